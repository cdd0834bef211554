"""Per-call overhead of `unikeras.ops` over calling the active backend's engine directly.

    UNIKERAS_BACKEND=torch python benchmarks/op_overhead.py [--repeats 201] [--calls 2000]
        [--clock wall|thread] [--device auto|cpu|gpu]

On each backend the engine's own function is called on that engine's tensors (numpy:
`np.add` on arrays; jax: `jnp.add` on jax arrays; torch: `torch.add` on tensors;
tensorflow: `tf.add` on eager tensors; openvino: a single-op model compiled once per shape,
run by an infer request on the host arrays, goal 3x), and `unikeras.ops` is called on the
same tensors (on openvino, Keras 3 is not measured: its ops take only its own tensors).
When Keras 3 is importable on the same engine (`KERAS_BACKEND` is set to match),
`keras.ops` is measured too, in the same run.

Each measurement times a loop of `--calls` calls; the implementations are measured in turn
(interleaved) `--repeats` times, so drifts in machine speed hit all of them, and the median
of each is reported in ns per call with the ratio to the engine. Each call passes the two
operands as user code does (`fn(x1, x2)`); `--clock thread` times this thread's CPU time
instead of wall time, for a machine other jobs share. Inputs are tiny (8 float32
elements, an 8x8 matmul) so that the fixed cost per call dominates. The load average before
and after the run is printed, since the numbers are only comparable on a quiet machine.

`--device` (see `devices.py`): the engine's tensors live on the device unikeras uses (a
visible GPU by default: torch tensors are copied to `cuda`, JAX and TensorFlow place them on
their default device); on a GPU each loop of calls waits for the device at its end, so the
queued kernels are counted (use the wall clock there). The header names the device.
"""

import argparse
import os
import platform
import statistics
import time

import devices

os.environ.setdefault("UNIKERAS_BACKEND", "numpy")
devices.early_setup()  # `--device cpu` hides the GPUs before an engine is imported

import numpy as np  # noqa: E402

import unikeras  # noqa: E402
from unikeras import ops  # noqa: E402
from unikeras.backend import registry  # noqa: E402

OPS = ("add", "multiply", "matmul")
#: The overhead goal per backend (unikeras time / engine time); tensorflow has none.
GOALS = {"numpy": 1.5, "jax": 1.3, "torch": 1.3, "tensorflow": 1.3, "openvino": 3.0}


# --- engines: one per backend ---------------------------------------------------------------
#: backend name -> `() -> (engine label, to_tensor, {op name: engine function})`; the engine
#: is imported only when its backend is the one measured.
ENGINES = {}


def engine(backend_name):
    """Registers the engine description of `backend_name` (see `ENGINES`)."""

    def register(describe):
        ENGINES[backend_name] = describe
        return describe

    return register


@engine("numpy")
def numpy_engine():
    return f"numpy {np.__version__}", np.asarray, dict(zip(OPS, (np.add, np.multiply, np.matmul)))


@engine("jax")
def jax_engine():
    import jax
    import jax.numpy as jnp

    return (
        f"jax {jax.__version__}",
        jnp.asarray,
        dict(zip(OPS, (jnp.add, jnp.multiply, jnp.matmul))),
    )


@engine("torch")
def torch_engine():
    import torch

    device = devices.torch_device()
    to_tensor = torch.from_numpy
    if device.type != "cpu":  # unikeras' device

        def to_tensor(array):
            return torch.from_numpy(array).to(device)

    return (
        f"torch {torch.__version__}",
        to_tensor,
        dict(zip(OPS, (torch.add, torch.mul, torch.matmul))),
    )


@engine("tensorflow")
def tensorflow_engine():
    import tensorflow as tf

    return (
        f"tensorflow {tf.__version__}",
        tf.constant,
        dict(zip(OPS, (tf.add, tf.multiply, tf.linalg.matmul))),
    )


@engine("openvino")
def openvino_engine():
    import openvino as ov
    import openvino.opset14 as ov_ops

    core = ov.Core()
    requests = {}

    def compiled(name, build):
        """The engine's call of op `name`: a single-op model compiled once per input shape
        (f32 hint), run by an infer request on the host arrays."""

        def run(x1, x2):
            key = (x1.shape, x2.shape)
            request = requests.get((name, key))
            if request is None:
                p1 = ov_ops.parameter(list(x1.shape), ov.Type.f32)
                p2 = ov_ops.parameter(list(x2.shape), ov.Type.f32)
                model = ov.Model([build(p1, p2)], [p1, p2])
                request = core.compile_model(
                    model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"}
                ).create_infer_request()
                requests[(name, key)] = request
            request.set_input_tensor(0, ov.Tensor(x1))
            request.set_input_tensor(1, ov.Tensor(x2))
            request.infer()
            return np.array(request.get_output_tensor(0).data)

        return run

    from unikeras import ops as unikeras_ops

    def to_tensor(array):
        return unikeras_ops.convert_to_tensor(array)

    builders = {
        "add": ov_ops.add,
        "multiply": ov_ops.multiply,
        "matmul": lambda a, b: ov_ops.matmul(a, b, False, False),
    }
    engine_ops = {name: compiled(name, build) for name, build in builders.items()}
    # The engine runs on host arrays (what a unikeras OpenVINO tensor holds).
    return (
        f"openvino {ov.__version__} (compiled single-op model)",
        to_tensor,
        {name: _on_host(fn) for name, fn in engine_ops.items()},
    )


def _on_host(fn):
    def run(x1, x2):
        return fn(np.asarray(x1), np.asarray(x2))

    return run


def import_keras3(backend_name):
    """Keras 3 on the same engine, or `None` when it is not importable there."""
    os.environ["KERAS_BACKEND"] = backend_name
    try:
        import keras
    except ImportError:
        return None
    if not keras.__version__.startswith("3.") or keras.backend.backend() != backend_name:
        return None
    return keras


# --- measuring ------------------------------------------------------------------------------
#: `--clock` choices: wall time, or the CPU time of this thread (steadier on a shared machine,
#: where wall time also counts the time the process waits for a core).
CLOCKS = {"wall": time.perf_counter_ns, "thread": time.thread_time_ns}


def _time_calls(fn, args, calls, clock=time.perf_counter_ns, sync=None):
    """Returns the mean ns per call of `fn(x1, x2)` over one loop of `calls` calls (with
    `sync`, `sync(last result)` waits for the device before the clock stops).

    The operands are passed as a user passes them, not as `fn(*args)`: Python 3.11 runs a
    Python function called with `*args` in a new interpreter call instead of inline, a cost
    (tens of ns) that `keras.ops.add(x, y)` never pays and the engines' C functions do not
    pay either."""
    x1, x2 = args
    start = clock()
    if sync is None:
        for _ in range(calls):
            fn(x1, x2)
    else:
        for _ in range(calls):
            out = fn(x1, x2)
        sync(out)
    return (clock() - start) / calls


def compare(functions, args, repeats, calls, clock=time.perf_counter_ns, sync=None):
    """Times each of `functions` (name -> fn) interleaved; returns name -> median ns/call."""
    for fn in functions.values():
        out = fn(*args)  # warm up caches, lazy imports and compilation caches
        if sync is not None:
            sync(out)
    times = {name: [] for name in functions}
    for _ in range(repeats):
        for name, fn in functions.items():
            times[name].append(_time_calls(fn, args, calls, clock, sync))
    return {name: statistics.median(values) for name, values in times.items()}


def _load():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=201)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall time, or this thread's CPU time (for a loaded shared machine)",
    )
    devices.add_arguments(parser, mixed_precision=False)
    args = parser.parse_args()

    backend_name = registry.backend()
    if backend_name not in ENGINES:
        raise SystemExit(f"no engine registered for backend {backend_name!r} in ENGINES")
    devices.check_device(args.device, backend_name)
    sync = devices.synchronizer(backend_name)
    engine_label, to_tensor, engine_ops = ENGINES[backend_name]()
    keras3 = import_keras3(backend_name) if backend_name != "openvino" else None
    vector = to_tensor(np.linspace(-1, 1, 8, dtype="float32"))
    matrix = to_tensor(np.linspace(-1, 1, 64, dtype="float32").reshape(8, 8))
    inputs = {"add": (vector, vector), "multiply": (vector, vector), "matmul": (matrix, matrix)}

    load_before = _load()
    rows = []
    for name in OPS:
        functions = {"unikeras": getattr(ops, name), "engine": engine_ops[name]}
        if keras3 is not None:
            functions["keras"] = getattr(keras3.ops, name)
        medians = compare(
            functions, inputs[name], args.repeats, args.calls, CLOCKS[args.clock], sync
        )
        rows.append((name, medians))

    keras_label = f"keras {keras3.__version__}" if keras3 else "keras 3 not importable"
    print(
        f"op overhead: unikeras {unikeras.__version__} on {backend_name} ({engine_label}), "
        f"{keras_label}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"median of {args.repeats} x {args.calls} calls ({args.clock} clock), "
        f"load average {load_before} "
        f"before / {_load()} after; {devices.describe(backend_name, args.device)}\n"
    )
    print(
        "| backend | op | engine ns/call | unikeras ns/call | unikeras/engine | goal "
        "| keras 3 ns/call | keras 3/engine |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    goal = f"< {GOALS[backend_name]}x" if backend_name in GOALS else "-"
    for name, medians in rows:
        base = medians["engine"]
        keras_cells = (
            f"{medians['keras']:.0f} | {medians['keras'] / base:.2f}x"
            if "keras" in medians
            else "- | -"
        )
        label = "matmul (8x8)" if name == "matmul" else name
        print(
            f"| {backend_name} | {label} | {base:.0f} | {medians['unikeras']:.0f} "
            f"| {medians['unikeras'] / base:.2f}x | {goal} | {keras_cells} |"
        )


if __name__ == "__main__":
    main()
