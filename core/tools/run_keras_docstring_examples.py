"""Run the code examples of Keras 3's own docstrings on unikeras and compare with Keras.

Usage::

    python core/tools/run_keras_docstring_examples.py [--backend jax] \
        [--namespace ops --namespace activations ...] [--filter REGEX] \
        [--keras-backend jax] [--json results.json] [--examples examples.json] [--verbose]

The examples are the text keras.io's API pages show: for every public object of the chosen
`keras.<namespace>` modules (walked with `dir()`, public submodules included, each object
once under its first public name), the doctest `>>>`/`...` statements of its docstring (one
example per docstring, the statements run in order as doctest runs them) and every fenced
```` ```python ```` block under an "Example(s):" / "Usage:" heading (one example each).
Docstrings of the public methods of public classes count too.

Each example runs twice, each time in a fresh namespace of its own:

- with Keras 3.15.1 (`KERAS_BACKEND`, by default the backend asked for, in a subprocess),
  with `keras`, `ops`, `layers`, `np`/`numpy` and `collections` predefined;
- with unikeras on the chosen backend (`UNIKERAS_BACKEND`, in another subprocess): the
  example's `import keras` / `from keras... import` lines import unikeras instead and the
  predefined `keras`, `ops` and `layers` are unikeras'.

For doctest statements that are expressions (and `print(expr)` calls) the value is captured;
a statement whose docstring output is a traceback records the exception's type instead. For
fenced blocks the array-like top-level variables left at the end are captured. Values compare
as NumPy arrays (shape, dtype, `allclose` with rtol 1e-5 / atol 1e-6, NaNs equal); examples
that draw random numbers (their source mentions `random` or `seed`) compare only shapes and
dtypes, and so do values that differ between two Keras runs with seeds 0 and 1 (weights from
initialisers; `--one-seed` runs Keras once); other objects compare by type name; Python
containers element by element. `Dense`, `Input`, `InputLayer`, `Layer`, `Model`,
`Sequential`, `models`, `optimizers`, `losses`, `metrics` and `callbacks` are predefined too
(examples name them bare), and a doctest continuation line missing its `...` prompt after an
incomplete `>>>` statement joins that statement.

Each example ends as PASS, FAIL(reason: the first value that differs), ERROR(the last line of
the unikeras traceback) or KERAS-FAILS (the example fails under Keras itself: not unikeras'
concern; the statements before the one Keras fails at still count). The tool prints the
non-PASS examples and a summary table (namespace x status); `--json` writes every result.
`--examples FILE` writes the extracted examples with Keras' values, adding the values of this
`--keras-backend` to a file that exists (the data file of
`tests/docs/test_keras_docstring_examples.py` holds Keras' values on every backend);
`--from-examples FILE` runs unikeras on such a file without running Keras (Keras' values on
jax, dtypes not compared, where Keras fails on the backend or the file has none for it).

The workers (`--worker keras|unikeras`) are internal: they read examples from a JSON file and
write one JSON line per example, switching back to their backend after an example that
switched it (`keras.config.set_backend`'s). The tests keep to the examples Keras ran, at least
in part (`comparable`), and run them with `run_unikeras_examples`.
"""

import argparse
import ast
import builtins
import collections
import contextlib
import importlib
import inspect
import io
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback

DEFAULT_NAMESPACES = ("ops", "activations", "random", "tree", "utils")
STATUSES = ("PASS", "FAIL", "ERROR", "KERAS-FAILS")
RTOL = 1e-5
ATOL = 1e-6
MAX_ELEMENTS = 4096  # larger arrays are stored as shape, dtype and summary statistics
EXAMPLE_TIMEOUT_S = 120

_HEADING = re.compile(r"^([A-Z][\w ]*):\s*$")
_EXAMPLE_HEADING = re.compile(r"example|usage", re.IGNORECASE)
_FENCE = re.compile(r"^```python\s*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_RANDOM = re.compile(r"random|seed|dropout|shuffle", re.IGNORECASE)


# --------------------------------------------------------------------------- extraction


def _public_objects(module, prefix, seen_modules, seen_objects):
    """Yields (public name, object) for a keras API module, submodules after objects."""
    submodules = []
    for name in sorted(dir(module)):
        if name.startswith("_"):
            continue
        try:
            obj = getattr(module, name)
        except Exception:  # pragma: no cover - lazy attributes that fail to import
            continue
        if inspect.ismodule(obj):
            if obj.__name__.startswith("keras") and id(obj) not in seen_modules:
                submodules.append((f"{prefix}.{name}", obj))
            continue
        if id(obj) in seen_objects:
            continue
        seen_objects.add(id(obj))
        yield f"{prefix}.{name}", obj
        if inspect.isclass(obj):
            for member_name, member in sorted(vars(obj).items()):
                if member_name.startswith("_"):
                    continue
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, property):
                    member = member.fget
                if inspect.isfunction(member) and id(member) not in seen_objects:
                    seen_objects.add(id(member))
                    yield f"{prefix}.{name}.{member_name}", member
    for sub_prefix, sub in submodules:
        if id(sub) in seen_modules:
            continue
        seen_modules.add(id(sub))
        yield from _public_objects(sub, sub_prefix, seen_modules, seen_objects)


def _group(public_name, obj):
    """The report's namespace: `ops.numpy`, `ops.nn`, ... for ops, else the first part."""
    first = public_name.split(".")[0]
    if first == "ops":
        module = getattr(obj, "__module__", "") or ""
        match = re.match(r"keras\.src\.ops\.(\w+)", module)
        if match:
            return f"ops.{match.group(1)}"
        return "ops"
    return first


def _doctest_statements(doc):
    """The doctest statements of a docstring: [{"src", "want", "raises"}]."""
    import doctest

    try:
        examples = doctest.DocTestParser().get_examples(doc)
    except ValueError:
        return []
    statements = []
    for example in examples:
        source, want = example.source, example.want
        if want and not want.startswith("Traceback") and not _complete(source):
            # A continuation line missing its `...` prompt (a docstring bug) reads as output.
            joined = source + textwrap.dedent(want)
            if _complete(joined):
                source, want = joined, ""
        statements.append(
            {
                "src": source,
                "want": want,
                "raises": example.exc_msg is not None or want.startswith("Traceback"),
            }
        )
    return statements


def _complete(source):
    """Whether `source` parses as Python."""
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


def _fenced_blocks(doc):
    """The ```python blocks of a docstring that sit under an Example(s)/Usage heading."""
    blocks = []
    for match in _FENCE.finditer(doc):
        heading = None
        for line in reversed(doc[: match.start()].splitlines()):
            head = _HEADING.match(line)
            if head:
                heading = head.group(1)
                break
        if heading is not None and _EXAMPLE_HEADING.search(heading):
            blocks.append(textwrap.dedent(match.group(1)))
    return blocks


def extract(namespaces, name_filter=None):
    """Extracts the docstring examples of the public objects of `keras.<namespace>`s.

    Args:
        namespaces: names of `keras` submodules, e.g. `("ops", "activations")`.
        name_filter: optional regular expression an example's public name must match.

    Returns:
        A list of example dicts: `id`, `name`, `namespace`, `kind` (`"doctest"` or
        `"fenced"`), `statements` (doctest) or `source` (fenced), and `random`.
    """
    import keras

    seen_modules, seen_objects = set(), set()
    examples = []
    pattern = re.compile(name_filter) if name_filter else None
    for namespace in namespaces:
        module = keras
        for part in namespace.split("."):
            module = getattr(module, part)
        seen_modules.add(id(module))
        for name, obj in _public_objects(module, namespace, seen_modules, seen_objects):
            if pattern is not None and not pattern.search(name):
                continue
            doc = inspect.getdoc(obj)
            if not doc:
                continue
            group = _group(name, obj)
            statements = _doctest_statements(doc)
            if statements:
                source = "".join(s["src"] for s in statements)
                examples.append(
                    {
                        "id": f"{name}#doctest",
                        "name": name,
                        "namespace": group,
                        "kind": "doctest",
                        "statements": statements,
                        "random": bool(_RANDOM.search(source)),
                    }
                )
            for index, block in enumerate(_fenced_blocks(doc)):
                examples.append(
                    {
                        "id": f"{name}#fenced{index}",
                        "name": name,
                        "namespace": group,
                        "kind": "fenced",
                        "source": block,
                        "random": bool(_RANDOM.search(block)),
                    }
                )
    return examples


# --------------------------------------------------------------------------- running

_KERAS_IMPORTS = [
    (re.compile(r"^(\s*)import keras\s*$", re.M), r"\1import unikeras as keras"),
    (re.compile(r"^(\s*)import keras as (\w+)", re.M), r"\1import unikeras as \2"),
    (re.compile(r"^(\s*)from keras import ", re.M), r"\1from unikeras import "),
    # `from keras.src import dtype_policies` (DTypePolicyMap's docstring): the public module
    (re.compile(r"^(\s*)from keras\.src import (?=\w+\s*$)", re.M), r"\1from unikeras import "),
    (re.compile(r"^(\s*)from keras\.(?!src\b)", re.M), r"\1from unikeras."),
    (re.compile(r"^(\s*)import keras\.(?!src\b)([\w.]+) as ", re.M), r"\1import unikeras.\2 as "),
]


def to_unikeras(source):
    """Rewrites an example's `keras` imports to import unikeras instead."""
    for pattern, replacement in _KERAS_IMPORTS:
        source = pattern.sub(replacement, source)
    return source


def _resolve(lib, public_name):
    obj = lib
    for part in public_name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _namespace(library, example):
    """A fresh namespace with the names Keras' docstring examples take as predefined: `keras`,
    `ops`, `layers`, `np`/`numpy`, `collections`, `math`, the public names of the documented
    object's module (as after `from keras.ops import *`, less those that shadow builtins: the
    examples name them bare, e.g. `rfft` in `keras.ops.irfft`'s), the documented object (the
    class of a method) under its own name and `tf` when the example uses it."""
    import numpy

    if library == "keras":
        import keras as lib
    else:
        import unikeras as lib
    extra = {}
    parts = example["name"].split(".")
    owner = parts[:-1] if len(parts) > 2 and parts[-2][:1].isupper() else parts
    parent = _resolve(lib, ".".join(owner[:-1]))
    if inspect.ismodule(parent):  # examples name their siblings bare (`rfft` in `irfft`'s)
        for name in dir(parent):
            if not name.startswith("_") and not hasattr(builtins, name):
                sibling = getattr(parent, name, None)
                if sibling is not None and not inspect.ismodule(sibling):
                    extra[name] = sibling
    value = _resolve(lib, ".".join(owner))
    if value is not None:
        extra[owner[-1]] = value
    source = example.get("source") or "".join(s["src"] for s in example.get("statements", ()))
    if re.search(r"\btf\.", source):
        try:
            import tensorflow as tf

            extra["tf"] = tf
        except ImportError:
            pass
    # Names bare examples use without importing them (`Dense` in the initializers' docs).
    common = {
        "Dense": lib.layers.Dense,
        "Input": lib.Input,
        "InputLayer": lib.layers.InputLayer,
        "Layer": lib.layers.Layer,
        "Model": lib.Model,
        "Sequential": lib.Sequential,
        "models": lib.models,
        "optimizers": lib.optimizers,
        "losses": lib.losses,
        "metrics": lib.metrics,
        "callbacks": lib.callbacks,
    }
    return {
        **common,
        **extra,
        "__name__": "__docstring_example__",
        "keras": lib,
        "ops": lib.ops,
        "layers": lib.layers,
        "np": numpy,
        "numpy": numpy,
        "collections": collections,
        "math": math,
    }


def _to_numpy(value, lib):
    import numpy as np

    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    try:
        return np.asarray(lib.ops.convert_to_numpy(value))
    except Exception:
        return np.asarray(value)


def _is_tensor(value, lib):
    import numpy as np

    if isinstance(value, (np.ndarray, np.generic)):
        return True
    if isinstance(value, (bool, int, float, complex, str, bytes, type(None))):
        return False
    try:
        if lib.ops.is_tensor(value):
            return True
    except Exception:
        pass
    if isinstance(value, getattr(lib, "Variable", ())):  # a layer may return its variable
        return True
    return type(value).__name__ == "Variable" and hasattr(value, "numpy")


def _json_number(x):
    if isinstance(x, complex):
        return [_json_number(x.real), _json_number(x.imag)]
    if isinstance(x, float) and not math.isfinite(x):
        return repr(x)  # "nan", "inf", "-inf"
    return x


def _json_data(data):
    if isinstance(data, list):
        return [_json_data(item) for item in data]
    if isinstance(data, bytes):
        return data.decode("latin-1")
    return _json_number(data)


def serialize(value, lib, depth=0):
    """A JSON-able description of a value an example produced."""
    import numpy as np

    if depth > 6:
        return {"t": "object", "type": type(value).__name__}
    if _is_tensor(value, lib):
        array = _to_numpy(value, lib)
        dtype = str(array.dtype)
        if array.dtype.kind in "US" and isinstance(value, (np.ndarray, np.generic)):
            pass  # NumPy strings: NumPy's dtype name under both libraries
        elif getattr(lib, "__name__", "") != "keras" and hasattr(value, "dtype"):
            dtype = str(lib.backend.standardize_dtype(value.dtype))
        elif hasattr(value, "dtype"):
            try:
                dtype = str(lib.backend.standardize_dtype(value.dtype))
            except Exception:
                pass
        out = {"t": "array", "dtype": dtype, "shape": list(array.shape)}
        if array.dtype.kind in "biufc" and array.dtype.itemsize <= 1 and array.dtype.kind == "f":
            array = array.astype("float32")
        if array.dtype.kind == "V" or dtype == "bfloat16":
            array = array.astype("float32")
        if array.size <= MAX_ELEMENTS:
            out["data"] = _json_data(array.tolist())
        elif array.dtype.kind in "biuf":
            out["sum"] = _json_number(float(np.sum(array.astype("float64"))))
        return out
    if type(value).__name__ == "TensorShape" and hasattr(value, "as_list"):
        value = tuple(value.as_list()) if value.rank is not None else None  # TensorFlow shapes
    if isinstance(value, bool) or value is None:
        return {"t": "scalar", "value": value}
    if isinstance(value, (int, float, complex)):
        return {"t": "scalar", "value": _json_number(value)}
    if isinstance(value, str):
        return {"t": "str", "value": value}
    if isinstance(value, (list, tuple)) and len(value) <= 256:
        return {
            "t": "seq",
            "type": type(value).__name__,
            "items": [serialize(item, lib, depth + 1) for item in value],
        }
    if isinstance(value, dict) and len(value) <= 256:
        return {
            "t": "dict",
            "items": {str(key): serialize(item, lib, depth + 1) for key, item in value.items()},
        }
    return {"t": "object", "type": type(value).__name__}


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout(f"example ran past {EXAMPLE_TIMEOUT_S} s")


def _last_line(exc):
    lines = traceback.format_exception_only(type(exc), exc)
    return lines[-1].strip().splitlines()[0][:300] if lines else type(exc).__name__


def _split_statement(src):
    """(body, expression): the statement's last node as an expression to evaluate, if any;
    `print(x)` evaluates `x`."""
    tree = ast.parse(src, mode="exec")
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return tree, None
    last = tree.body[-1].value
    if (
        isinstance(last, ast.Call)
        and isinstance(last.func, ast.Name)
        and last.func.id == "print"
        and len(last.args) == 1
        and not last.keywords
    ):
        last = last.args[0]
    tree.body = tree.body[:-1]
    return tree, ast.Expression(last)


def run_example(example, library):
    """Runs one example with `library` ("keras" or "unikeras") in a fresh namespace.

    Returns:
        A dict: `status` ("ok" or "error"), `error` (last traceback line), `at` (statement
        index or line of the error), `values` (list of [index, serialized value]).
    """
    if library == "keras":
        import keras as lib
    else:
        import unikeras as lib
    namespace = _namespace(library, example)
    values = []
    result = {"id": example["id"], "status": "ok", "values": values}
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(EXAMPLE_TIMEOUT_S)
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink):
            if example["kind"] == "fenced":
                source = example["source"]
                if library != "keras":
                    source = to_unikeras(source)
                try:
                    exec(compile(source, f"<{example['id']}>", "exec"), namespace)
                except BaseException as exc:  # noqa: BLE001 - reported, not raised
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    result.update(status="error", error=_last_line(exc), at=None)
                    result["traceback"] = traceback.format_exc()[-3000:]
                    return result
                for name, value in namespace.items():
                    if name.startswith("_") or inspect.ismodule(value):
                        continue
                    if _is_tensor(value, lib):
                        values.append([name, serialize(value, lib)])
                return result
            for index, statement in enumerate(example["statements"]):
                src = statement["src"]
                if library != "keras":
                    src = to_unikeras(src)
                try:
                    body, expression = _split_statement(src)
                    exec(compile(body, f"<{example['id']}:{index}>", "exec"), namespace)
                    if expression is not None:
                        code = compile(expression, f"<{example['id']}:{index}>", "eval")
                        value = eval(code, namespace)
                        values.append([index, serialize(value, lib)])
                except BaseException as exc:  # noqa: BLE001 - reported, not raised
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    if statement["raises"] and not isinstance(exc, _Timeout):
                        values.append([index, {"t": "raises", "type": type(exc).__name__}])
                        continue
                    result.update(status="error", error=_last_line(exc), at=index)
                    result["traceback"] = traceback.format_exc()[-3000:]
                    return result
                if statement["raises"]:
                    result.update(status="error", error="no exception raised (docstring shows one)")
                    result["at"] = index
                    return result
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return result


_SELECTION_VARIABLES = ("KERAS_BACKEND", "UNIKERAS_BACKEND")


def _restore_backend(library, selection):
    """Switches back to the worker's backend after an example that switched it
    (`keras.config.set_backend`'s example sets `KERAS_BACKEND` and selects jax): the examples
    after it must run on the backend asked for."""
    for name in _SELECTION_VARIABLES:
        if selection[name] is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = selection[name]
    lib = importlib.import_module(library)
    if lib.config.backend() != selection["backend"]:
        lib.config.set_backend(selection["backend"])


def _worker(args):
    """Runs the examples of `args.input` with one library, one JSON line each."""
    import warnings

    warnings.simplefilter("ignore")
    if args.worker == "unikeras":
        sys.modules["keras"] = None  # an example importing Keras itself fails: no mixing
    if args.worker == "keras" and args.extract:
        examples = extract(args.namespace or DEFAULT_NAMESPACES, args.filter)
        with open(args.input, "w") as f:
            json.dump(examples, f)
    with open(args.input) as f:
        examples = json.load(f)
    selection = {name: os.environ.get(name) for name in _SELECTION_VARIABLES}
    selection["backend"] = importlib.import_module(args.worker).config.backend()
    done = set()
    if os.path.exists(args.output):
        with open(args.output) as f:
            done = {json.loads(line)["id"] for line in f if line.strip()}
    with open(args.output, "a") as out:
        for example in examples:
            if example["id"] in done:
                continue
            # written first, so a crash of the interpreter names the example that crashed it
            out.write(json.dumps({"id": example["id"], "status": "started"}) + "\n")
            out.flush()
            start = time.perf_counter()
            if args.seed is not None:
                lib = importlib.import_module(args.worker)
                lib.utils.set_random_seed(args.seed)
            result = run_example(example, args.worker)
            _restore_backend(args.worker, selection)
            result["seconds"] = round(time.perf_counter() - start, 3)
            out.write(json.dumps(result) + "\n")
            out.flush()
    return 0


# --------------------------------------------------------------------------- comparing


def _decode(data):
    if isinstance(data, list):
        if len(data) == 2 and all(isinstance(x, (int, float)) for x in data):
            pass
        return [_decode(item) for item in data]
    if isinstance(data, str) and data in ("nan", "inf", "-inf"):
        return float(data)
    return data


def _array(desc):
    import numpy as np

    data = _decode(desc.get("data"))
    if desc["dtype"].startswith("complex"):
        array = np.asarray(data, dtype="float64")
        array = array[..., 0] + 1j * array[..., 1] if array.size else array
        return array.reshape(desc["shape"])
    try:
        return np.asarray(data).reshape(desc["shape"])
    except ValueError:
        return np.asarray(data, dtype=object)


def compare(expected, actual, random=False, path="value", strict_dtype=True):
    """Compares two serialized values. Returns None when they agree, else a reason."""
    import numpy as np

    if expected["t"] != actual["t"]:
        kinds = {expected["t"], actual["t"]}
        if kinds == {"array", "scalar"}:  # a NumPy scalar and a Python number agree
            pass
        else:
            got = actual.get("type") or actual["t"]
            want = expected.get("type") or expected["t"]
            return f"{path}: Keras gives a {want}, unikeras a {got}"
    kind = expected["t"]
    if kind == "raises" or actual["t"] == "raises":
        if expected["t"] != actual["t"]:
            return f"{path}: Keras raises {expected.get('type')}, unikeras {actual.get('type')}"
        return None
    if kind == "object":
        if expected["type"] != actual["type"]:
            return f"{path}: Keras gives a {expected['type']}, unikeras a {actual['type']}"
        return None
    if kind == "str":
        if expected["value"] != actual["value"]:
            return f"{path}: Keras gives {expected['value']!r}, unikeras {actual['value']!r}"
        return None
    if kind == "seq":
        if len(expected["items"]) != len(actual["items"]):
            return (
                f"{path}: Keras gives {len(expected['items'])} items, "
                f"unikeras {len(actual['items'])}"
            )
        for i, (e, a) in enumerate(zip(expected["items"], actual["items"])):
            reason = compare(e, a, random, f"{path}[{i}]", strict_dtype)
            if reason:
                return reason
        return None
    if kind == "dict":
        if sorted(expected["items"]) != sorted(actual["items"]):
            return (
                f"{path}: Keras keys {sorted(expected['items'])}, "
                f"unikeras {sorted(actual['items'])}"
            )
        for key in expected["items"]:
            reason = compare(
                expected["items"][key],
                actual["items"][key],
                random,
                f"{path}[{key!r}]",
                strict_dtype,
            )
            if reason:
                return reason
        return None
    # arrays and numbers
    if expected["t"] == "array" and actual["t"] == "array":
        if expected["shape"] != actual["shape"]:
            return f"{path}: shape {tuple(actual['shape'])}, Keras {tuple(expected['shape'])}"
        if strict_dtype and expected["dtype"] != actual["dtype"]:
            return f"{path}: dtype {actual['dtype']}, Keras {expected['dtype']}"
        if random:
            return None
        if "data" not in expected or "data" not in actual:
            if "sum" in expected and "sum" in actual:
                if not np.isclose(expected["sum"], actual["sum"], rtol=1e-4, atol=1e-4):
                    return f"{path}: sum {actual['sum']}, Keras {expected['sum']}"
            return None
        want, got = _array(expected), _array(actual)
    else:
        if random:
            return None
        want = (
            _array(expected)
            if expected["t"] == "array"
            else np.asarray(
                _decode(expected["value"])
                if not isinstance(expected["value"], list)
                else complex(*expected["value"])
            )
        )
        got = (
            _array(actual)
            if actual["t"] == "array"
            else np.asarray(
                _decode(actual["value"])
                if not isinstance(actual["value"], list)
                else complex(*actual["value"])
            )
        )
        if want.shape != got.shape:
            return f"{path}: shape {got.shape}, Keras {want.shape}"
    if want.dtype.kind in "biufc" and got.dtype.kind in "biufc":
        if want.dtype.kind == "b" or got.dtype.kind == "b":
            equal = np.array_equal(want, got)
        else:
            equal = np.allclose(got, want, rtol=RTOL, atol=ATOL, equal_nan=True)
    else:
        equal = np.array_equal(want, got)
    if not equal:
        return f"{path}: {_short(got)}, Keras {_short(want)}"
    return None


def _short(array):
    text = " ".join(str(array.tolist() if hasattr(array, "tolist") else array).split())
    return text if len(text) <= 120 else text[:117] + "..."


def judge(example, keras_result, unikeras_result, strict_dtype=True):
    """PASS / FAIL / ERROR / KERAS-FAILS and a reason for one example.

    When Keras fails at a doctest statement, the statements before it still count: unikeras
    must run them and agree on their values (else FAIL / ERROR), and the example is
    KERAS-FAILS only then.
    """
    keras_failed = keras_result is None or keras_result.get("status") != "ok"
    keras_at = (keras_result or {}).get("at") if keras_failed else None
    if keras_failed and keras_at is None:
        return "KERAS-FAILS", (keras_result or {}).get("error", "Keras crashed")
    if unikeras_result is None or unikeras_result.get("status") == "started":
        return "ERROR", "the unikeras interpreter crashed on this example"
    if unikeras_result["status"] != "ok":
        where = unikeras_result.get("at")
        own = keras_result.get("backend_error")  # Keras on this backend, where it failed
        if own and own.get("at") == where and _error_type(own) == _error_type(unikeras_result):
            return "KERAS-FAILS", f"as under Keras on this backend: {own.get('error')}"
        if not keras_failed or where is None or where < keras_at:
            if where is not None:
                where = f" (statement {where}: {_statement(example, where)})"
            return "ERROR", unikeras_result["error"] + (where or "")
    expected = {str(k): v for k, v in keras_result["values"]}
    actual = {str(k): v for k, v in unikeras_result["values"]}
    for key, want in expected.items():
        if key not in actual:
            return "FAIL", f"{key}: no value from unikeras"
        random = example.get("random", False) or key in keras_result.get("random_keys", ())
        reason = compare(want, actual[key], random, "value", strict_dtype)
        if reason:
            where = _statement(example, key)
            return "FAIL", (f"statement {key} ({where}): " if where else f"{key}: ") + reason
    if keras_failed:
        return "KERAS-FAILS", keras_result.get("error", "Keras crashed")
    return "PASS", ""


def _error_type(result):
    return (result.get("error") or "").split(":")[0].strip()


def _statement(example, index):
    if example["kind"] != "doctest":
        return ""
    try:
        src = example["statements"][int(index)]["src"]
    except (ValueError, IndexError, TypeError):
        return ""
    src = " ".join(src.split())
    return src if len(src) <= 80 else src[:77] + "..."


# --------------------------------------------------------------------------- driver


def _mark_random(results, other):
    """Records in each of `results` (`random_keys`) the values that differ in `other`, a run
    with another seed: they come from random draws (weight initialisers, dropout, ...)."""
    for key, result in results.items():
        again = other.get(key) or {}
        theirs = {str(k): v for k, v in again.get("values", ())}
        changed = [
            str(k)
            for k, v in result.get("values", ())
            if str(k) in theirs and compare(v, theirs[str(k)]) is not None
        ]
        if changed:
            result["random_keys"] = changed


def _run_worker(library, backend, examples_path, output_path, args, extract_first=False, seed=None):
    """Runs a worker subprocess until every example has a result (restarting after a crash
    of the interpreter: the crashed example is left with status "started")."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
    if library == "keras":
        env["KERAS_BACKEND"] = backend
        env.pop("UNIKERAS_BACKEND", None)
    else:
        env["UNIKERAS_BACKEND"] = backend
    command = [sys.executable, os.path.abspath(__file__), "--worker", library]
    command += ["--input", os.path.abspath(examples_path)]
    command += ["--output", os.path.abspath(output_path)]
    if seed is not None:
        command += ["--seed", str(seed)]
    if extract_first:
        command.append("--extract")
        for namespace in args.namespace or DEFAULT_NAMESPACES:
            command += ["--namespace", namespace]
        if args.filter:
            command += ["--filter", args.filter]
    for _ in range(50):
        # In a scratch folder: examples write files (a callback's loss_log.json, checkpoints).
        with tempfile.TemporaryDirectory(prefix="docstring_example_cwd_") as cwd:
            proc = subprocess.run(command, env=env, stderr=subprocess.PIPE, text=True, cwd=cwd)
        if proc.returncode == 0:
            return
        if extract_first and not os.path.exists(examples_path):
            sys.exit(f"extraction failed:\n{proc.stderr[-3000:]}")
        extract_first = False
        if "--extract" in command:
            command = command[: command.index("--extract")]
        if not os.path.exists(output_path):
            sys.exit(f"{library} worker failed:\n{proc.stderr[-3000:]}")
    sys.exit(f"{library} worker kept crashing")


def comparable(keras_result):
    """Whether Keras ran an example, or at least one statement of it: there is something to
    compare (the tests run only those examples on unikeras and skip the others).

    Args:
        keras_result: Keras' result for the example (from `load_examples`), or None.
    """
    if keras_result is None:
        return False
    return keras_result.get("status") == "ok" or bool(keras_result.get("at"))


def run_unikeras_examples(examples, backend, folder, attempts=5, timeout=900):
    """Runs `examples` with unikeras on `backend` in one worker process (for the tests).

    Args:
        examples: Example dicts, as extracted.
        backend: The `UNIKERAS_BACKEND` to run on.
        folder: A scratch folder: the worker's files, and its working directory (examples
            write files, e.g. a callback's `loss_log.json`).
        attempts: Worker starts allowed: a crashed interpreter leaves its example
            "started", and the next start goes on after it.
        timeout: Seconds each start may take.

    Returns:
        A dict of results by example id.
    """
    examples_path = os.path.join(folder, "examples.json")
    output_path = os.path.join(folder, "unikeras.jsonl")
    with open(examples_path, "w") as f:
        json.dump(examples, f)
    command = [sys.executable, os.path.abspath(__file__), "--worker", "unikeras"]
    command += ["--input", examples_path, "--output", output_path]
    env = dict(os.environ, UNIKERAS_BACKEND=backend)
    for _ in range(attempts):
        proc = subprocess.run(
            command, env=env, stderr=subprocess.PIPE, text=True, timeout=timeout, cwd=folder
        )
        if proc.returncode == 0:
            break
        if not os.path.exists(output_path):
            raise RuntimeError(f"unikeras worker failed:\n{proc.stderr[-3000:]}")
    return _read_results(output_path)


def _read_results(path):
    results = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    item = json.loads(line)
                    results[item["id"]] = item  # a later line replaces "started"
    return results


def summary_table(rows, backend):
    """The namespace x status count table, as text."""
    counts = collections.defaultdict(collections.Counter)
    for row in rows:
        counts[row["namespace"]][row["status"]] += 1
    lines = [
        f"backend {backend}",
        f"{'namespace':<16}" + "".join(f"{s:>13}" for s in STATUSES) + f"{'total':>8}",
    ]
    total = collections.Counter()
    for namespace in sorted(counts):
        c = counts[namespace]
        total.update(c)
        lines.append(
            f"{namespace:<16}" + "".join(f"{c[s]:>13}" for s in STATUSES) + f"{sum(c.values()):>8}"
        )
    lines.append(
        f"{'total':<16}"
        + "".join(f"{total[s]:>13}" for s in STATUSES)
        + f"{sum(total.values()):>8}"
    )
    return "\n".join(lines)


def load_examples(path, backend, namespaces=None, name_filter=None):
    """Reads a data file written with `--examples`.

    Returns:
        `(examples, keras_results, strict_dtype)`: the examples (filtered), Keras' result per
        example id on `backend` and, per example id, whether dtypes are compared: not where
        the result is Keras' on jax, taken where Keras fails on `backend` or the file has no
        run on it.
    """
    with open(path) as f:
        data = json.load(f)
    examples = data["examples"]
    if name_filter:
        examples = [e for e in examples if re.search(name_filter, e["name"])]
    if namespaces:
        examples = [
            e
            for e in examples
            if any(e["name"] == n or e["name"].startswith(n + ".") for n in namespaces)
        ]
    keras_results, strict = {}, {}
    for example in examples:
        runs = {k: example["keras"][v] if v in RUN_KEYS else v for k, v in example["keras"].items()}
        result = runs.get(backend)
        strict[example["id"]] = result is not None
        if (result is None or result.get("status") != "ok") and runs.get("jax", {}).get(
            "status"
        ) == "ok":
            # Keras lacks the backend or fails on it (Keras' OpenVINO backend lacks many ops):
            # compare with Keras on jax, values only
            result, strict[example["id"]] = runs["jax"], False
            if runs.get(backend) is not None:  # an error like it in unikeras is Keras' too
                result = dict(result, backend_error=runs[backend])
        keras_results[example["id"]] = result
    return examples, keras_results, strict


RUN_KEYS = ("jax", "torch", "tensorflow", "numpy", "openvino")


def _run_order(backend):
    return RUN_KEYS.index(backend) if backend in RUN_KEYS else len(RUN_KEYS)


def _write_examples(path, examples, keras_results, keras_backend):
    """Writes (or adds Keras' results on `keras_backend` to) an `--examples` data file."""
    stored = {}
    backends = []
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
        backends = old["keras_backends"]
        stored = {e["id"]: e for e in old["examples"]}
    for example in examples:  # examples a --filter left out keep their stored runs
        item = dict(stored.get(example["id"], example))
        item.update({k: v for k, v in example.items() if k != "keras"})
        result = keras_results.get(example["id"]) or {"status": "error", "error": "crashed"}
        runs = dict(item.get("keras", {}))
        for key in list(runs):
            if isinstance(runs[key], str):
                runs[key] = runs[runs[key]]
        runs[keras_backend] = {k: v for k, v in result.items() if k not in ("id", "traceback")}
        item["keras"] = runs
        stored[example["id"]] = item
    out = list(stored.values())
    if keras_backend not in backends:
        backends.append(keras_backend)
    for item in out:  # a run identical to another backend's names it: the file stays small
        runs = item["keras"]
        for i, key in enumerate(sorted(runs, key=_run_order)):
            for earlier in sorted(runs, key=_run_order)[:i]:
                if not isinstance(runs[earlier], str) and runs[earlier] == runs[key]:
                    runs[key] = earlier
                    break
    with open(path, "w") as f:
        json.dump(
            {"keras_version": "3.15.1", "keras_backends": backends, "examples": out},
            f,
            separators=(",", ":"),
        )
        f.write("\n")


def main(argv=None):
    """The command line: runs the examples, prints the report, writes the files asked for."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="jax", help="unikeras backend (default jax)")
    parser.add_argument(
        "--keras-backend",
        default=None,
        help="Keras 3 backend of the reference run (default: the same as --backend)",
    )
    parser.add_argument(
        "--namespace",
        action="append",
        help=f"keras namespace to walk, repeatable (default: {', '.join(DEFAULT_NAMESPACES)})",
    )
    parser.add_argument("--filter", help="regular expression on the example's public name")
    parser.add_argument("--json", help="write every result to this JSON file")
    parser.add_argument(
        "--examples",
        help="write the extracted examples with Keras' values to this JSON file (an existing "
        "file gets Keras' values on this backend added)",
    )
    parser.add_argument(
        "--from-examples",
        help="read examples with Keras' values from this file instead of running Keras",
    )
    parser.add_argument("--raw", help="write unikeras' raw results (JSON lines) to this file")
    parser.add_argument("--verbose", action="store_true", help="print PASS lines too")
    parser.add_argument("--loose-dtype", action="store_true", help="do not compare dtypes")
    parser.add_argument("--worker", choices=("keras", "unikeras"), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--extract", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--one-seed",
        action="store_true",
        help="run Keras once (by default twice, with seeds 0 and 1: values that differ "
        "between the two runs come from random draws and compare by shape and dtype only)",
    )
    parser.add_argument(
        "--keras-only", action="store_true", help="run Keras only (with --examples: the data file)"
    )
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)

    keras_backend = args.keras_backend or args.backend
    strict_dtype = collections.defaultdict(lambda: not args.loose_dtype)
    with tempfile.TemporaryDirectory(prefix="docstring_examples_") as tmp:
        examples_path = os.path.join(tmp, "examples.json")
        keras_out = os.path.join(tmp, "keras.jsonl")
        unikeras_out = os.path.join(tmp, "unikeras.jsonl")
        if args.from_examples:
            examples, keras_results, strict_dtype = load_examples(
                args.from_examples, args.backend, args.namespace, args.filter
            )
            if args.loose_dtype:
                strict_dtype = dict.fromkeys(strict_dtype, False)
            with open(examples_path, "w") as f:
                json.dump(examples, f)
        else:
            seed = None if args.one_seed else 0
            _run_worker("keras", keras_backend, examples_path, keras_out, args, True, seed)
            with open(examples_path) as f:
                examples = json.load(f)
            keras_results = _read_results(keras_out)
            if not args.one_seed:
                again = os.path.join(tmp, "keras_seed1.jsonl")
                _run_worker("keras", keras_backend, examples_path, again, args, seed=1)
                _mark_random(keras_results, _read_results(again))
        if args.examples and not args.from_examples:
            _write_examples(args.examples, examples, keras_results, keras_backend)
        if args.keras_only:
            return 0
        _run_worker("unikeras", args.backend, examples_path, unikeras_out, args)
        unikeras_results = _read_results(unikeras_out)
        if args.raw:
            with open(args.raw, "w") as f:
                for result in unikeras_results.values():
                    f.write(json.dumps(result) + "\n")

    rows = []
    for example in examples:
        status, reason = judge(
            example,
            keras_results.get(example["id"]),
            unikeras_results.get(example["id"]),
            strict_dtype=strict_dtype[example["id"]],
        )
        rows.append(
            {
                "id": example["id"],
                "namespace": example["namespace"],
                "status": status,
                "reason": reason,
            }
        )
        if status != "PASS" or args.verbose:
            print(f"{status:<12} {example['id']}: {reason}")
    print()
    print(summary_table(rows, args.backend))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {"backend": args.backend, "keras_backend": keras_backend, "results": rows},
                f,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
