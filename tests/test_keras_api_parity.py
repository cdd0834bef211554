"""unikeras offers every public name of Keras 3.15.1 (where Keras 3 is installed: the jax env).

Each package is imported in its own subprocess; for every namespace the test lists Keras'
public names and, for callables, their parameters. A name Keras has and unikeras lacks, or a
parameter of Keras' callable that ours lacks (without `**kwargs`) or defaults differently, is a
regression unless it is listed in `KNOWN_GAPS` below (work other issues own). A listed gap
that has been closed fails too, so the list stays true.
"""

import json
import subprocess
import sys

import pytest

keras = pytest.importorskip("keras")

NAMESPACES = """activations applications backend callbacks config constraints datasets distribution
dtype_policies export initializers layers losses metrics mixed_precision models ops ops.image
ops.linalg ops.nn ops.numpy ops.math ops.core optimizers optimizers.schedules preprocessing
preprocessing.image preprocessing.sequence quantizers random regularizers saving tree utils
visualization wrappers""".split()

# Names owned by another open issue (none at present).
KNOWN_GAPS = {}
KNOWN_SIGNATURE_GAPS = set()

PROBE = r"""
import importlib, inspect, json, sys, warnings
warnings.simplefilter("ignore")
root = importlib.import_module(sys.argv[1])

def resolve(ns):
    obj = root
    try:
        for part in ns.split(".") if ns else []:
            obj = getattr(obj, part)
        return obj
    except AttributeError:
        try:
            return importlib.import_module(sys.argv[1] + "." + ns)
        except Exception:
            return None

def params(obj):
    try:
        sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    except (TypeError, ValueError):
        return None
    out = {}
    for p in sig.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            out["**"] = "**"
        elif p.name != "self" and p.kind is not p.VAR_POSITIONAL:
            out[p.name] = repr(p.default) if p.default is not p.empty else "<required>"
    return out

out = {}
for ns in [""] + sys.argv[2:]:
    obj = resolve(ns)
    if obj is None:
        out[ns] = None
        continue
    names = {}
    for n in dir(obj):
        if n.startswith("_") or n in ("src", "api", "version"):
            continue
        try:
            v = getattr(obj, n)
        except Exception:
            continue
        names[n] = params(v) if callable(v) and not inspect.ismodule(v) else None
    out[ns] = names
print(json.dumps(out))
"""


def _probe(package):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, package, *NAMESPACES],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def surfaces():
    return _probe("keras"), _probe("unikeras")


def _known(namespace, name):
    gaps = KNOWN_GAPS.get(namespace, ())
    return gaps == "*" or name in gaps


def test_every_keras_name_is_present(surfaces):
    theirs, ours = surfaces
    missing, closed = [], []
    for ns in [""] + NAMESPACES:
        keras_names = theirs.get(ns) or {}
        our_names = ours.get(ns) or {}
        for name in sorted(keras_names):
            if name not in our_names and not _known(ns, name):
                missing.append(f"{ns or 'keras'}.{name}")
            if name in our_names and _known(ns, name) and KNOWN_GAPS.get(ns) != "*":
                closed.append(f"{ns or 'keras'}.{name}")
    assert not missing, f"Keras 3 names missing from unikeras: {missing}"
    assert not closed, f"names listed in KNOWN_GAPS are now present, remove them: {closed}"


def test_parameters_match_keras(surfaces):
    theirs, ours = surfaces
    differ = []
    for ns in [""] + NAMESPACES:
        for name, keras_params in sorted((theirs.get(ns) or {}).items()):
            our_params = (ours.get(ns) or {}).get(name)
            if keras_params is None or our_params is None:
                continue
            gone = (
                []
                if "**" in our_params
                else [p for p in keras_params if p not in our_params and p != "**"]
            )
            other = [
                p
                for p in keras_params
                if p in our_params
                and p != "**"
                and keras_params[p] != our_params[p]
                and "<required>" not in (keras_params[p], our_params[p])
            ]
            key = f"{ns or 'keras'}.{name}"
            if (gone or other) and key not in KNOWN_SIGNATURE_GAPS:
                differ.append(f"{key}: missing {gone}, other defaults {other}")
    assert not differ, "parameters differ from Keras 3:\n" + "\n".join(differ)
