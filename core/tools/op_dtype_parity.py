"""Sweep every `keras.ops` function over input dtypes and compare unikeras with Keras 3.15.1.

Usage::

    python core/tools/op_dtype_parity.py [--backend jax --backend torch ...] [--filter REGEX]
        [--dtypes bool,int8,float32,pyint] [--json results.json] [--details 40]

For every public function of `keras.ops` (its `numpy`, `nn`, `math`, `linalg` and `core`
functions, which `keras.ops` holds flat) and of `keras.ops.image`, plus the binary operators
of `keras.Variable` (`var.__add__`, `var.__eq__`, ...), the tool builds small inputs in every
dtype: `bool`, `uint8/16/32`, `int8/16/32/64`, `bfloat16`, `float16/32/64`, `complex64/128`
and the Python scalars `pyint` (2) and `pyfloat` (1.5), Keras' weak types. An op whose
signature has one required tensor argument gets one case per dtype; one with two tensor
arguments (`x1, x2`, `x, y`, `a, b`, `target, output`, ...) one case per dtype pair. Ops whose
other arguments are not tensors (axes, shapes, callables) take the templates of `SPECIAL`
(the swept tensors are marked `X` and `Y` there); ops in neither list are left out and
counted as `skip`.

The cases run in two subprocesses: Keras 3.15.1 (`KERAS_BACKEND=<backend>`) and unikeras
(`UNIKERAS_BACKEND=<backend>`), each converting the inputs with its own
`ops.convert_to_tensor(array, dtype)`. Each result (every leaf of a tuple/list result) is
compared: dtype (`keras.backend.standardize_dtype`; a Python scalar or bool result is named
`py:<type>`), shape, then values (`allclose`, NaNs equal; rtol 1e-2 for 16-bit floats, 1e-4
otherwise). A case ends as:

- `ok` / `both-raise`: the same result / both libraries raise;
- `dtype`, `shape`, `value`: the first thing that differs;
- `uk-raises`: Keras gives a result, unikeras raises;
- `keras-raises`: unikeras gives a result where Keras raises (`keras-NI` where Keras raises
  NotImplementedError, e.g. ops Keras' OpenVINO backend lacks: not a unikeras defect);
- `crash`: the interpreter died (the worker restarts after the case).

The tool prints the differing cases (up to `--details` per backend) and a summary table, op x
backend, of the ops with a difference (cells: counts per status), with a total row per status.
`--json` writes every case's result. The workers (`--worker keras|unikeras`) are internal.

Cost: the full sweep is about 12,000 cases a backend, slow where Keras compiles each op
(jax: ~3 cases/s on two shared cores); `--dtypes bool,int8,int32,float32,pyint,pyfloat`
(about 5,000 cases) runs numpy/torch in minutes. Values of `empty`/`empty_like` differ by
nature, and some differences are Keras' own backend quirks (its numpy backend returns NumPy
float64 scalars for Python-scalar inputs, its torch `cross` uses the first axis of size 3):
read the reasons before fixing.
"""

import argparse
import collections
import inspect
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile

BACKENDS = ("jax", "torch", "tensorflow", "numpy", "openvino")
ARRAY_DTYPES = (
    "bool",
    "uint8",
    "uint16",
    "uint32",
    "int8",
    "int16",
    "int32",
    "int64",
    "bfloat16",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
)
SCALARS = {"pyint": 2, "pyfloat": 1.5}
ALL_DTYPES = ARRAY_DTYPES + tuple(SCALARS)

# Base values of the swept arrays. "mat" is symmetric positive definite (cholesky, inv,
# solve work), "mat2" has no zero (divisions) and is invertible.
BASES = {
    "mat": [[2, 1, 0], [1, 3, 1], [0, 1, 4]],
    "mat2": [[1, 2, 1], [3, 1, 2], [1, 1, 1]],
    "vec": [1, 2, 3],
    "vec2": [3, 1],
    "idx": [0, 2, 1],
    "pair": [[1, 2], [3, 4], [0, 1]],
    "img": [[[(i + j + c) % 4 for c in range(3)] for j in range(3)] for i in range(3)],
    "x4": [[[[(i * 4 + j + c) % 5 for c in range(2)] for j in range(4)] for i in range(4)]],
    "k4": [
        [[[(i + j + c + o) % 3 for o in range(3)] for c in range(2)] for j in range(2)]
        for i in range(2)
    ],
    "scal": 3,
}

# Parameter-name pairs of binary ops swept over dtype pairs.
BINARY_NAMES = {
    ("x1", "x2"),
    ("x", "y"),
    ("a", "b"),
    ("target", "output"),
    ("abs_", "angle"),
    ("start", "stop"),
    ("x", "bins"),
    ("x", "fill_value"),
}


def X(base="mat", **kw):
    return {"sweep": 0, "base": base, **kw}


def Y(base="mat2", **kw):
    return {"sweep": 1, "base": base, **kw}


def fixed(dtype, base):
    return {"fixed": dtype, "base": base}


# op name -> list of (args, kwargs) templates.
SPECIAL = {
    "concatenate": [([[X(), Y()]], {})],
    "stack": [([[X(), Y()]], {})],
    "hstack": [([[X(), Y()]], {})],
    "vstack": [([[X(), Y()]], {})],
    "dstack": [([[X(), Y()]], {})],
    "column_stack": [([[X(), Y()]], {})],
    "meshgrid": [([X("vec"), Y("vec")], {})],
    "einsum": [(["ij,jk->ik", X(), Y()], {})],
    "where": [([fixed("bool", "mat"), X(), Y()], {})],
    "select": [([[fixed("bool", "mat"), fixed("bool", "mat2")], [X(), Y()]], {})],
    "clip": [([X(), 1, 3], {})],
    "full": [([[3, 3], X()], {})],
    "searchsorted": [([X("vec"), Y()], {})],
    "percentile": [([X(), 50], {})],
    "quantile": [([X(), 0.5], {})],
    "nanpercentile": [([X(), 50], {})],
    "nanquantile": [([X(), 0.5], {})],
    "take": [([X(), fixed("int32", "vec2")], {"axis": 0})],
    "take_along_axis": [([X(), fixed("int32", "idx")], {"axis": 0})],
    "argpartition": [([X(), 1], {})],
    "array_split": [([X(), 3], {})],
    "split": [([X(), 3], {})],
    "hsplit": [([X(), 3], {})],
    "vsplit": [([X(), 3], {})],
    "expand_dims": [([X(), 0], {})],
    "reshape": [([X(), [9]], {})],
    "broadcast_to": [([X("vec"), [3, 3]], {})],
    "tile": [([X(), [2, 1]], {})],
    "repeat": [([X(), 2], {})],
    "roll": [([X(), 1], {})],
    "pad": [([X(), [[1, 1], [0, 0]]], {})],
    "one_hot": [([X("idx"), 4], {})],
    "top_k": [([X(), 2], {})],
    "moments": [([X(), [0]], {})],
    "segment_sum": [([X(), fixed("int32", "idx")], {"num_segments": 3})],
    "segment_max": [([X(), fixed("int32", "idx")], {"num_segments": 3})],
    "segment_min": [([X(), fixed("int32", "idx")], {"num_segments": 3})],
    "segment_prod": [([X(), fixed("int32", "idx")], {"num_segments": 3})],
    "max_pool": [([X("x4"), 2], {})],
    "average_pool": [([X("x4"), 2], {})],
    "conv": [([X("x4"), Y("k4")], {})],
    "saturate_cast": [([X(), "uint8"], {})],
    "cast": [([X(), "float32"], {}), ([X(), "int8"], {})],
    "in_top_k": [([fixed("int32", "idx"), X(), 2], {})],
    "slice": [([X(), [0, 1], [2, 2]], {})],
    "slice_update": [([X(), [0, 0], Y()], {})],
    "scatter": [([fixed("int32", "pair"), X("vec2"), [3, 3]], {})],
    "scatter_update": [([X(), fixed("int32", "pair"), Y("vec2")], {})],
    "moveaxis": [([X(), 0, 1], {})],
    "swapaxes": [([X(), 0, 1], {})],
    "threshold": [([X(), 1.5, 0], {})],
    "psnr": [([X(), Y(), 6.0], {})],
    "batch_normalization": [([X(), Y("vec"), Y("vec"), -1], {})],
    "extract_sequences": [([X(), 2, 1], {})],
    "get_item": [([X(), 1], {})],
    "unravel_index": [([X("vec"), [3, 3]], {})],
    "sparse_categorical_crossentropy": [([X("idx"), Y()], {})],
    "view_as_complex": [([X("pair")], {})],
    "fft": [([[X(), Y()]], {})],
    "fft2": [([[X(), Y()]], {})],
    "ifft2": [([[X(), Y()]], {})],
    "irfft": [([[X("vec"), Y("vec")]], {})],
    "arange": [([X("scal")], {})],
    "histogram": [([X("vec")], {})],
    "bincount": [([X("idx")], {})],
    "image.resize": [([X("img"), [2, 2]], {})],
}
# Unary ops whose one argument is not a tensor, or that need more than a tensor.
SKIP = {
    "custom_gradient",
    "stop_gradient",
    "associative_scan",
    "scan",
    "map",
    "switch",
    "vectorized_map",
    "cond",
    "while_loop",
    "fori_loop",
    "jvp",
    "kaiser",
    "unfold",
    "fold",
    "ctc_decode",
    "ctc_loss",
    "rearrange",
    "space_to_depth",
    "depth_to_space",
}
VARIABLE_OPERATORS = (
    "add sub mul truediv floordiv mod pow matmul eq ne lt le gt ge and or xor "
    "radd rsub rmul rtruediv"
).split()


def _list_ops(keras):
    """(name, function) of the public keras.ops functions and keras.ops.image functions."""
    out = []
    for prefix, module in (("", keras.ops), ("image.", keras.ops.image)):
        for name in sorted(dir(module)):
            obj = getattr(module, name)
            if name.startswith("_") or not callable(obj) or isinstance(obj, type):
                continue
            if inspect.ismodule(obj):
                continue
            out.append((prefix + name, obj))
    return out


def make_cases(dtypes, pattern):
    """The case list, from Keras' own op signatures (Keras imported on its numpy backend)."""
    previous = os.environ.get("KERAS_BACKEND")
    os.environ["KERAS_BACKEND"] = "numpy"  # (if Keras is not imported yet: the lightest)
    try:
        import keras
    finally:
        if previous is None:
            del os.environ["KERAS_BACKEND"]
        else:
            os.environ["KERAS_BACKEND"] = previous

    cases = []
    skipped = []
    for name, fn in _list_ops(keras):
        if pattern and not re.search(pattern, name):
            continue
        templates = SPECIAL.get(name)
        if templates is None and name not in SKIP:
            params = [
                p
                for p in inspect.signature(fn).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            names = tuple(p.name for p in params)
            if len(names) == 1 and not name.startswith("image."):
                templates = [([X()], {})]
            elif len(names) == 1 and name in (
                "image.rgb_to_grayscale",
                "image.rgb_to_hsv",
                "image.hsv_to_rgb",
            ):
                templates = [([X("img")], {})]
            elif names in BINARY_NAMES:
                templates = [([X(), Y()], {})]
        if templates is None:
            skipped.append(name)
            continue
        for args, kwargs in templates:
            swept = _sweeps(args)
            pairs = (
                [(a,) for a in dtypes] if swept < 2 else [(a, b) for a in dtypes for b in dtypes]
            )
            for pair in pairs:
                cases.append({"op": name, "args": args, "kwargs": kwargs, "dtypes": list(pair)})
    for operator in VARIABLE_OPERATORS:
        if pattern and not re.search(pattern, "var.__%s__" % operator):
            continue
        for a in dtypes:
            if a in SCALARS or a.startswith("complex") or a == "bool":
                continue  # a Variable holds an array of a real dtype
            for b in dtypes:
                args = [X(var=True), Y()]
                cases.append(
                    {
                        "op": "var.__%s__" % operator,
                        "args": args,
                        "kwargs": {},
                        "dtypes": [a, b],
                    }
                )
    return cases, skipped


def _sweeps(args):
    n = 0
    for a in args:
        if isinstance(a, list):
            n = max(n, _sweeps(a))
        elif isinstance(a, dict) and "sweep" in a:
            n = max(n, a["sweep"] + 1)
    return n


# --- worker -----------------------------------------------------------------------------


def _base_array(np, base, dtype):
    values = np.array(BASES[base], dtype="float64")
    if dtype == "bool":
        return values > 1
    if dtype.startswith("float") or dtype == "bfloat16":
        return values + 0.25
    if dtype.startswith("complex"):
        return values + 0.25 + 0.5j
    return values.astype("int64")


def _build(arg, case, keras, np):
    if isinstance(arg, list):
        return [_build(a, case, keras, np) for a in arg]
    if not isinstance(arg, dict):
        return arg
    dtype = case["dtypes"][arg["sweep"]] if "sweep" in arg else arg["fixed"]
    if dtype in SCALARS:
        return SCALARS[dtype]
    values = _base_array(np, arg["base"], dtype)
    if arg.get("var"):
        return keras.Variable(values, dtype=dtype, trainable=False)
    return keras.ops.convert_to_tensor(values, dtype=dtype)


def _leaves(value):
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    if isinstance(value, dict):
        return [leaf for k in sorted(value) for leaf in _leaves(value[k])]
    return [value]


def _describe(value, keras, np):
    out = []
    for leaf in _leaves(value):
        if isinstance(leaf, (bool, int, float, complex)):
            array = np.asarray(leaf)
            dtype = "py:" + type(leaf).__name__
        else:
            dtype = keras.backend.standardize_dtype(leaf.dtype)
            array = np.asarray(keras.ops.convert_to_numpy(leaf))
        if array.dtype.kind == "c":
            array = array.astype("complex128")
            values = [array.real.ravel().tolist(), array.imag.ravel().tolist()]
        else:
            values = [array.astype("float64").ravel().tolist()]
        out.append({"dtype": dtype, "shape": list(array.shape), "values": values})
    return out


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def worker(library, input_path, output_path, start):
    import warnings

    import numpy as np

    warnings.filterwarnings("ignore")
    if library == "keras":
        import keras
    else:
        import unikeras as keras
    with open(input_path) as f:
        cases = json.load(f)
    signal.signal(signal.SIGALRM, _alarm)
    with open(output_path, "a") as out:
        for index in range(start, len(cases)):
            case = cases[index]
            out.write(json.dumps({"index": index, "status": "started"}) + "\n")
            out.flush()
            result = {"index": index}
            signal.alarm(30)
            try:
                args = _build(case["args"], case, keras, np)
                kwargs = case["kwargs"]
                if case["op"].startswith("var."):
                    value = getattr(args[0], case["op"][4:])(*args[1:])
                elif case["op"].startswith("image."):
                    value = getattr(keras.ops.image, case["op"][6:])(*args, **kwargs)
                else:
                    value = getattr(keras.ops, case["op"])(*args, **kwargs)
                result["outs"] = _describe(value, keras, np)
            except BaseException as e:  # noqa: BLE001 - every failure is a result
                if isinstance(e, KeyboardInterrupt):
                    raise
                result["error"] = type(e).__name__
                result["message"] = str(e).splitlines()[0][:200] if str(e) else ""
            finally:
                signal.alarm(0)
            out.write(json.dumps(result) + "\n")
            out.flush()


def _read(path, n):
    results = [None] * n
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if r.get("status") == "started":
                    if results[r["index"]] is None:
                        results[r["index"]] = {"index": r["index"], "crash": True}
                else:
                    results[r["index"]] = r
    return results


def _start_worker(library, backend, cases_path, output_path, start):
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
    if library == "keras":
        env["KERAS_BACKEND"] = backend
        env.pop("UNIKERAS_BACKEND", None)
    else:
        env["UNIKERAS_BACKEND"] = backend
        env.pop("KERAS_BACKEND", None)
    command = [sys.executable, os.path.abspath(__file__), "--worker", library]
    command += ["--input", cases_path, "--output", output_path, "--start", str(start)]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def run_backend(backend, cases, folder):
    """Runs the cases with Keras and unikeras on `backend` (two worker processes at once)."""
    cases_path = os.path.join(folder, "cases.json")
    with open(cases_path, "w") as f:
        json.dump(cases, f)
    paths = {lib: os.path.join(folder, f"{backend}-{lib}.jsonl") for lib in ("keras", "unikeras")}
    for path in paths.values():
        if os.path.exists(path):
            os.remove(path)
    pending = {lib: 0 for lib in paths}
    for _ in range(200):
        procs = {
            lib: _start_worker(lib, backend, cases_path, paths[lib], s)
            for lib, s in pending.items()
        }
        pending = {}
        for lib, proc in procs.items():
            _, err = proc.communicate()
            results = _read(paths[lib], len(cases))
            done = [i for i, r in enumerate(results) if r is not None]
            last = max(done) + 1 if done else 0
            if proc.returncode != 0 and last < len(cases):
                if not done:
                    sys.exit(f"{lib} worker on {backend} failed:\n{err[-3000:]}")
                pending[lib] = last
        if not pending:
            break
    return _read(paths["keras"], len(cases)), _read(paths["unikeras"], len(cases))


def compare(k, u):
    """Status and a reason for one case's Keras result `k` and unikeras result `u`."""
    if k.get("crash") or u.get("crash"):
        return "crash", "keras" if k.get("crash") else "unikeras"
    if "error" in k and "error" in u:
        return "both-raise", ""
    if "error" in k:
        if k["error"] == "NotImplementedError":
            return "keras-NI", k["message"]
        return "keras-raises", f"{k['error']}: {k['message']}"
    if "error" in u:
        return "uk-raises", f"{u['error']}: {u['message']}"
    if len(k["outs"]) != len(u["outs"]):
        return "shape", f"{len(k['outs'])} results vs {len(u['outs'])}"
    for ko, uo in zip(k["outs"], u["outs"]):
        if ko["dtype"] != uo["dtype"]:
            return "dtype", f"keras {ko['dtype']} unikeras {uo['dtype']}"
    for ko, uo in zip(k["outs"], u["outs"]):
        if ko["shape"] != uo["shape"]:
            return "shape", f"keras {ko['shape']} unikeras {uo['shape']}"
    for ko, uo in zip(k["outs"], u["outs"]):
        rtol = 1e-2 if ko["dtype"] in ("float16", "bfloat16") else 1e-4
        for kv, uv in zip(ko["values"], uo["values"]):
            if not _allclose(kv, uv, rtol):
                return "value", f"keras {kv[:6]} unikeras {uv[:6]}"
    return "ok", ""


def _allclose(a, b, rtol):
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if math.isnan(x) and math.isnan(y):
            continue
        if math.isinf(x) or math.isinf(y):
            if x != y:
                return False
            continue
        if abs(x - y) > 1e-5 + rtol * abs(y):
            return False
    return True


GOOD = ("ok", "both-raise", "keras-NI", "skip")
STATUSES = (
    "ok",
    "both-raise",
    "dtype",
    "shape",
    "value",
    "uk-raises",
    "keras-raises",
    "keras-NI",
    "crash",
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", choices=BACKENDS)
    parser.add_argument("--filter", help="regex on op names (var.__eq__, image.resize, add, ...)")
    parser.add_argument("--dtypes", help="comma-separated dtypes to sweep (default: all)")
    parser.add_argument("--json", help="write every case's result here")
    parser.add_argument(
        "--details", type=int, default=40, help="differing cases printed per backend"
    )
    parser.add_argument("--worker", choices=("keras", "unikeras"), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.input, args.output, args.start)
        return 0
    dtypes = args.dtypes.split(",") if args.dtypes else list(ALL_DTYPES)
    cases, skipped = make_cases(dtypes, args.filter)
    print(f"{len(cases)} cases; ops left out (no template): {' '.join(skipped)}")
    table = collections.defaultdict(collections.Counter)  # (op, backend) -> status counts
    totals = collections.defaultdict(collections.Counter)
    records = []
    backends = args.backend or list(BACKENDS)
    with tempfile.TemporaryDirectory(prefix="op_dtype_parity_") as folder:
        for backend in backends:
            keras_results, uk_results = run_backend(backend, cases, folder)
            shown = 0
            for case, k, u in zip(cases, keras_results, uk_results):
                status, reason = compare(k, u)
                table[(case["op"], backend)][status] += 1
                totals[backend][status] += 1
                records.append({"backend": backend, **case, "status": status, "reason": reason})
                if status not in GOOD and shown < args.details:
                    shown += 1
                    print(f"[{backend}] {status:12s} {case['op']}{tuple(case['dtypes'])}: {reason}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(records, f)
    ops = sorted({op for op, _ in table})
    bad_ops = [op for op in ops if any(s not in GOOD for b in backends for s in table[(op, b)])]
    width = max([len(op) for op in bad_ops] + [10])
    print("\nops with a difference (status:count per backend):")
    print(" " * width + " | " + " | ".join(f"{b:28s}" for b in backends))
    for op in bad_ops:
        cells = []
        for b in backends:
            counts = table[(op, b)]
            cells.append(
                " ".join(f"{s}:{n}" for s, n in sorted(counts.items()) if s not in GOOD)[:28]
            )
        print(f"{op:{width}s} | " + " | ".join(f"{c:28s}" for c in cells))
    print("\ntotals (cases):")
    for status in STATUSES:
        print(f"{status:{width}s} | " + " | ".join(f"{totals[b][status]:<28d}" for b in backends))
    print(f"{'ops compared':{width}s} | {len(ops)}; ops with a difference: {len(bad_ops)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
