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


# Public names unikeras has beyond Keras 3.15.1 on purpose (namespace -> name -> reason). Any
# other public, non-module name of a namespace that Keras 3.15.1 lacks is a leaked helper: give
# it a leading underscore (or move it) instead of adding it here.
_PLUGIN_API = "the plugin system and tensor conversion of `keras.backend` (README: Plugins)"
_EXTRA_OP = "an op beyond Keras 3.15.1 (docs/op_coverage.json)"
EXTRA_NAMES = {
    "backend": dict.fromkeys(
        (
            "BackendError",
            "KerasTensor",
            "PluginValidationError",
            "convert_to_numpy",
            "convert_to_tensor",
            "hookimpl",
            "implemented_ops",
            "installed_backends",
            "is_tensor",
            "register_plugin",
            "selection_reason",
            "table",
            "unregister_plugin",
        ),
        _PLUGIN_API,
    ),
    "config": {
        "in_safe_mode": "read by the plugins' engine layers (TFSMLayer, TorchModuleWrapper), "
        "which may import only public modules",
    },
    "layers": {
        "GroupedQueryAttention": "the class behind Keras' GroupQueryAttention; configs saved "
        "by unikeras name it and are resolved by name",
    },
    "losses": {"LossFunctionWrapper": "configs name it and are resolved by name"},
    "models": {"Functional": "configs name it and are resolved by name"},
    "ops": dict.fromkeys(("column_stack", "gammainc", "matrix_power"), _EXTRA_OP),
    "ops.linalg": {"matrix_power": _EXTRA_OP},
    "ops.numpy": {
        "column_stack": _EXTRA_OP,
        "rearrange": "Keras 3.15.1 has `keras.ops.rearrange`; here it is a numpy-namespace op",
    },
}


def _our_namespace(ns):
    import importlib

    obj = importlib.import_module("unikeras")
    for part in ns.split(".") if ns else []:
        obj = getattr(obj, part)
    return obj


def test_no_helper_names_leak(surfaces):
    import inspect

    theirs, ours = surfaces
    leaked, stale = [], []
    for ns in [""] + NAMESPACES:
        keras_names, our_names = theirs.get(ns), ours.get(ns)
        if keras_names is None or our_names is None:
            continue
        namespace = _our_namespace(ns)
        allowed = EXTRA_NAMES.get(ns, {})
        for name in sorted(our_names):
            if name in keras_names or inspect.ismodule(getattr(namespace, name)):
                continue
            if name not in allowed:
                leaked.append(f"{ns or 'keras'}.{name}")
        stale += [
            f"{ns}.{name}" for name in allowed if name not in our_names or name in keras_names
        ]
    assert not leaked, f"public names that Keras 3.15.1 does not have (helpers leaked?): {leaked}"
    assert not stale, f"EXTRA_NAMES entries no longer extra, remove them: {stale}"
