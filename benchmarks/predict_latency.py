"""Inference speed on the active backend: the three serving paths at batch 1 against the
engine's own call, and throughput at 1024.

    UNIKERAS_BACKEND=torch python benchmarks/predict_latency.py [--repeats 201] [--rss]
        [--device auto|cpu|gpu] [--mixed-precision [float16|bfloat16]]

Two networks with the same seeded weights on every backend:

- `mlp`: Dense 784-512-256-10 (ReLU);
- `cnn`: Conv2D(16, 3) ReLU, MaxPooling2D(2), Conv2D(32, 3) ReLU, MaxPooling2D(2), Flatten,
  Dense(10) on 28x28x1 images.

Implementations, all fed the same NumPy sample:

- `native`: the network written directly in the engine with the model's weights, called the
  way a server would (registered per backend in `NATIVE`): JAX a `jax.jit` function, torch a
  `torch.nn` module under `no_grad`, TensorFlow a `tf.function` over `tf.Variable`s, OpenVINO
  the model exported with `model.export(path, format="openvino")` compiled by plain OpenVINO
  (f32 hint) and run by an infer request. Its NumPy output is read back, as `predict` does.
- `predict_on_batch`, `model(x)` and `predict(x, verbose=0)` of the unikeras model (`model(x)`
  returns an engine tensor: it is timed until the engine has finished, not converted).
- `keras 3`'s `predict_on_batch`, when Keras 3 is importable on the same engine.

Paired timing: each repeat calls every implementation once, in turn, so drifts in machine
speed hit all of them; the table gives the median latency of each and the median over the
repeats of its ratio to the native call of the same repeat (goals: `predict_on_batch` and
`model(x)` at most 1.2x, `predict` at most 1.5x). Throughput is `predict` at batch 1024
against the native call on the same 1024 samples.

`--rss` runs each implementation alone in a fresh process (the benchmark's own workload: a
model, warm-up and the timed calls) and adds its peak resident memory (`ru_maxrss`) beside
the native one; on torch also that of the native module called with gradients on (`model(x)`
records gradients, as Keras 3's does). Run every backend with `python benchmarks/run_all.py
benchmarks/predict_latency.py`.

`--device` and `--mixed-precision` (see `devices.py`): the native call runs on the device
unikeras uses (its weights there, each input copied there and the output read back, as
`predict` does) and computes in the mixed policy's dtype (torch `autocast`, JAX and
TensorFlow casts; OpenVINO's native IR keeps its f32 hint); `model(x)` is timed until the
device has finished.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import devices

devices.early_setup()  # `--device cpu` hides the GPUs before an engine is imported

THROUGHPUT_BATCH = 1024
GOALS = {"predict_on_batch": 1.2, "model(x)": 1.2, "predict": 1.5}


def mlp(layers):
    return [
        layers.Dense(512, activation="relu"),
        layers.Dense(256, activation="relu"),
        layers.Dense(10),
    ]


def cnn(layers):
    return [
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(10),
    ]


MODELS = {"mlp": ((784,), mlp), "cnn": ((28, 28, 1), cnn)}


def build(keras_module, name):
    """The network `name` in `keras_module` with weights drawn from a fixed seed."""
    shape, make = MODELS[name]
    model = keras_module.Sequential([keras_module.Input(shape), *make(keras_module.layers)])
    rng = np.random.default_rng(0)
    model.set_weights(
        [rng.normal(scale=0.05, size=w.shape).astype("float32") for w in model.get_weights()]
    )
    return model


# --- native calls: one per engine ------------------------------------------------------------
#: backend name -> `builder(model name, unikeras model, precision="none") -> (call(np array)
#: -> np array, sync(engine output))`; the builder writes the network in its engine with the
#: model's weights, on the device unikeras uses, computing in the mixed `precision`'s dtype.
NATIVE = {}


def native(backend_name):
    """Registers the native builder of `backend_name` (see `NATIVE`)."""

    def register(builder):
        NATIVE[backend_name] = builder
        return builder

    return register


def _plan(model):
    """The model's layers as `(kind, weights)` steps the native builders follow."""
    steps = []
    for layer in model.layers:
        kind = type(layer).__name__
        weights = [np.asarray(w) for w in layer.get_weights()]
        steps.append((kind, weights))
    return steps


@native("jax")
def jax_native(name, model, precision="none"):
    import jax
    import jax.numpy as jnp

    plan = [(kind, [jnp.asarray(w) for w in weights]) for kind, weights in _plan(model)]
    last = len(plan) - 1
    dtype = devices.compute_dtype(precision)

    def forward(params, x):
        if dtype is not None:
            params = [[w.astype(dtype) for w in weights] for weights in params]
            x = x.astype(dtype)
        for i, ((kind, _), weights) in enumerate(zip(plan, params)):
            if kind == "Dense":
                x = x @ weights[0] + weights[1]
            elif kind == "Conv2D":
                x = jax.lax.conv_general_dilated(
                    x, weights[0], (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC")
                )
                x = x + weights[1]
            elif kind == "MaxPooling2D":
                x = jax.lax.reduce_window(
                    x, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID"
                )
            elif kind == "Flatten":
                x = x.reshape(x.shape[0], -1)
            if kind in ("Dense", "Conv2D") and i != last:
                x = jax.nn.relu(x)
        return x if dtype is None else x.astype(jnp.float32)

    jitted = jax.jit(forward)
    params = [weights for _, weights in plan]
    return (lambda x: np.asarray(jitted(params, x))), jax.block_until_ready


@native("torch")
def torch_native(name, model, precision="none", grad=False):
    """`grad=True`: the module called with gradients recorded, as a torch user's plain
    `module(x)` and unikeras' `model(x)` (Keras 3 semantics) call it."""
    import torch

    modules = []
    plan = _plan(model)
    for i, (kind, weights) in enumerate(plan):
        if kind == "Dense":
            module = torch.nn.Linear(*weights[0].shape)
            module.weight.data = torch.from_numpy(weights[0].T.copy())
            module.bias.data = torch.from_numpy(weights[1])
        elif kind == "Conv2D":
            kernel = weights[0]
            module = torch.nn.Conv2d(kernel.shape[2], kernel.shape[3], kernel.shape[:2])
            module.weight.data = torch.from_numpy(kernel.transpose(3, 2, 0, 1).copy())
            module.bias.data = torch.from_numpy(weights[1])
        elif kind == "MaxPooling2D":
            module = torch.nn.MaxPool2d(2)
        else:  # Flatten: channels last, as Keras flattens
            module = _ChannelsLastFlatten()
        modules.append(module)
        if kind in ("Dense", "Conv2D") and i != len(plan) - 1:
            modules.append(torch.nn.ReLU())
    device = devices.torch_device()
    network = torch.nn.Sequential(*modules).eval().to(device)
    images = len(MODELS[name][0]) == 3
    dtype = devices.compute_dtype(precision)
    if device.type == "cpu" and dtype is None:  # as before `--device`

        def call(x):
            with torch.set_grad_enabled(grad):
                tensor = torch.from_numpy(x)
                if images:
                    tensor = tensor.permute(0, 3, 1, 2)
                return network(tensor).detach().numpy()

        return call, lambda out: out

    def call_on_device(x):
        with torch.set_grad_enabled(grad), fit_speed_autocast(device, precision):
            tensor = torch.from_numpy(x).to(device)
            if images:
                tensor = tensor.permute(0, 3, 1, 2)
            return network(tensor).detach().float().cpu().numpy()

    return call_on_device, lambda out: out


def fit_speed_autocast(device, precision):
    """`torch.autocast` for a mixed `precision` (`fit_speed.torch_autocast`)."""
    from fit_speed import torch_autocast

    return torch_autocast(device, precision)


class _ChannelsLastFlatten:
    """Flattens NCHW activations in NHWC order, as the Keras model does (set up lazily as a
    torch module)."""

    def __new__(cls):
        import torch

        class Flatten(torch.nn.Module):
            def forward(self, x):
                return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)

        return Flatten()


@native("tensorflow")
def tf_native(name, model, precision="none"):
    import tensorflow as tf

    plan = [(kind, [tf.Variable(w) for w in weights]) for kind, weights in _plan(model)]
    last = len(plan) - 1
    dtype = devices.compute_dtype(precision)

    @tf.function
    def forward(x):
        if dtype is not None:
            x = tf.cast(x, dtype)
        for i, (kind, weights) in enumerate(plan):
            if dtype is not None:
                weights = [tf.cast(w, dtype) for w in weights]
            if kind == "Dense":
                x = tf.matmul(x, weights[0]) + weights[1]
            elif kind == "Conv2D":
                x = tf.nn.conv2d(x, weights[0], 1, "VALID") + weights[1]
            elif kind == "MaxPooling2D":
                x = tf.nn.max_pool2d(x, 2, 2, "VALID")
            elif kind == "Flatten":
                x = tf.reshape(x, (tf.shape(x)[0], -1))
            if kind in ("Dense", "Conv2D") and i != last:
                x = tf.nn.relu(x)
        return x if dtype is None else tf.cast(x, tf.float32)

    return (lambda x: forward(x).numpy()), lambda out: out


@native("openvino")
def openvino_native(name, model, precision="none"):

    with tempfile.TemporaryDirectory() as folder:
        path = model.export(os.path.join(folder, "model"), format="openvino", verbose=False)
        return openvino_ir_call(path), lambda out: out


def openvino_ir_call(path):
    """The native OpenVINO call of the IR at `path`: plain OpenVINO (f32 hint), one infer
    request (the model is read and compiled before this returns)."""
    import openvino as ov

    core = ov.Core()
    compiled = core.compile_model(core.read_model(path), "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    return lambda x: request.infer([x])[0]


# --- unikeras and Keras 3 --------------------------------------------------------------------
def serving_calls(model, sync=None):
    """The three unikeras serving paths as `{name: call(np array)}` (`model(x)` waits for
    the device with `sync(out)` when given: `devices.synchronizer`)."""

    def call_model(x):
        out = model(x)
        if sync is not None:
            sync(out)
            return out
        block = getattr(out, "block_until_ready", None)  # JAX dispatches asynchronously
        return block() if block is not None else out

    return {
        "predict_on_batch": model.predict_on_batch,
        "model(x)": call_model,
        "predict": lambda x: model.predict(x, batch_size=THROUGHPUT_BATCH, verbose=0),
    }


def keras3_module(backend_name):
    """Keras 3 on the same engine, or None when it is not importable."""
    if os.environ.get("KERAS_BACKEND") != backend_name:
        return None
    try:
        import keras
    except ImportError:
        return None
    return keras if keras.__version__.startswith("3.") else None


#: Weight shapes of the networks (`get_weights()` order), so that a native run measured alone
#: (`--rss`) draws the same weights without importing unikeras.
SHAPES = {
    "mlp": [
        ("Dense", [(784, 512), (512,)]),
        ("Dense", [(512, 256), (256,)]),
        ("Dense", [(256, 10), (10,)]),
    ],
    "cnn": [
        ("Conv2D", [(3, 3, 1, 16), (16,)]),
        ("MaxPooling2D", []),
        ("Conv2D", [(3, 3, 16, 32), (32,)]),
        ("MaxPooling2D", []),
        ("Flatten", []),
        ("Dense", [(800, 10), (10,)]),
    ],
}


class _Weights:
    """Stands in for a built model in the native builders: `layers` with their class names
    and the seeded weights `build` sets."""

    def __init__(self, name):
        rng = np.random.default_rng(0)
        self.layers = []
        for kind, shapes in SHAPES[name]:
            weights = [rng.normal(scale=0.05, size=s).astype("float32") for s in shapes]
            self.layers.append(type(kind, (), {"get_weights": lambda self, w=weights: w})())


def implementations(name, backend_name, unikeras, only=None, precision="none"):
    """`{label: call(np array)}` of every implementation measured for model `name` (with
    `only`, just that one: the native one alone imports no unikeras; OpenVINO's reads the IR
    the parent exported, named by `PREDICT_LATENCY_IR`), computing in the mixed `precision`'s
    dtype (unikeras and Keras 3 under its dtype policy)."""
    if only == "native" and backend_name == "openvino":
        return {"native": openvino_ir_call(os.environ["PREDICT_LATENCY_IR"])}
    if only == "native":
        return {"native": NATIVE[backend_name](name, _Weights(name), precision)[0]}
    if only == NATIVE_GRAD:
        return {only: torch_native(name, _Weights(name), precision, grad=True)[0]}
    devices.set_policy(unikeras, precision)
    model = build(unikeras, name)
    calls = {}
    if backend_name in NATIVE and only in (None, "native"):
        call, _ = NATIVE[backend_name](name, model, precision)
        calls["native"] = call
    if only is None or only in GOALS:
        calls.update(serving_calls(model, devices.synchronizer(backend_name)))
    keras3 = keras3_module(backend_name) if only is None or only.startswith("keras") else None
    if keras3 is not None:
        devices.set_policy(keras3, precision)
        calls[f"keras {keras3.__version__} predict_on_batch"] = build(keras3, name).predict_on_batch
    return calls


def paired(calls, x, repeats, warmup=5):
    """Times one call of each implementation per repeat, in turn; returns `{label: list of
    seconds}`.

    The order rotates by one implementation per repeat, so no implementation always runs
    first (after the previous repeat's last one has evicted its caches)."""
    for call in calls.values():
        for _ in range(warmup):
            call(x)
    items = list(calls.items())
    times = {label: [] for label in calls}
    for repeat in range(repeats):
        shift = repeat % len(items)
        for label, call in items[shift:] + items[:shift]:
            start = time.perf_counter()
            call(x)
            times[label].append(time.perf_counter() - start)
    return times


#: `--rss` on torch: the native module called with gradients on (peak RSS only), the
#: like-for-like baseline of `model(x)`, which records gradients as Keras 3's does.
NATIVE_GRAD = "native, gradients on"


def peak_rss_mb():
    """Peak resident memory of this process in MB (Linux: `VmHWM`, which, unlike
    `ru_maxrss`, does not carry over the parent's peak through fork and exec)."""
    import resource

    if os.path.exists("/proc/self/status"):
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure_one(name, label, repeats, precision="none"):
    """`--only`: runs one implementation alone; prints its peak RSS as JSON."""
    backend_name = os.environ["PREDICT_LATENCY_BACKEND"]
    unikeras = None
    if label not in ("native", NATIVE_GRAD):
        import unikeras
    call = implementations(name, backend_name, unikeras, only=label, precision=precision)[label]
    rng = np.random.default_rng(1)
    shape = MODELS[name][0]
    one = rng.random((1, *shape), dtype=np.float32)
    many = rng.random((THROUGHPUT_BATCH, *shape), dtype=np.float32)
    for _ in range(repeats):
        call(one)
    for _ in range(3):
        call(many)
    print(json.dumps({"peak_rss_mb": peak_rss_mb()}))


def rss_of(name, label, repeats, backend_name, unikeras, args):
    """Peak RSS (MB) of `label` on model `name` run alone in a fresh process (OpenVINO's
    native run reads an IR exported here, so that it imports no unikeras)."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PREDICT_LATENCY_BACKEND": backend_name}
        if backend_name == "openvino" and label == "native":
            model = build(unikeras, name)
            env["PREDICT_LATENCY_IR"] = model.export(
                os.path.join(folder, "model"), format="openvino", verbose=False
            )
        result = subprocess.run(
            [sys.executable, __file__, "--only", name, label, "--repeats", str(repeats)]
            + ["--device", args.device, "--mixed-precision", args.mixed_precision],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout.strip().splitlines()[-1])["peak_rss_mb"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=201)
    parser.add_argument("--models", default="mlp,cnn")
    parser.add_argument("--rss", action="store_true", help="add peak RSS columns")
    devices.add_arguments(parser)
    parser.add_argument(
        "--only", nargs=2, metavar=("MODEL", "IMPLEMENTATION"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.only:
        measure_one(*args.only, args.repeats, args.mixed_precision)
        return

    import unikeras
    from unikeras.backend import registry

    backend_name = registry.backend()
    info = registry.table.backend_info()
    devices.check_device(args.device, backend_name)
    load_before = "/".join(f"{v:.2f}" for v in os.getloadavg())
    rows = []
    for name in args.models.split(","):
        shape = MODELS[name][0]
        rng = np.random.default_rng(1)
        one = rng.random((1, *shape), dtype=np.float32)
        many = rng.random((THROUGHPUT_BATCH, *shape), dtype=np.float32)
        calls = implementations(name, backend_name, unikeras, precision=args.mixed_precision)
        latency = paired(calls, one, args.repeats)
        bulk = {
            label: calls[label]
            for label in calls
            if label in ("native", "predict") or label.startswith("keras")
        }
        throughput = paired(bulk, many, max(5, args.repeats // 20), warmup=2)
        rss = {}
        if args.rss:
            rss = {
                label: rss_of(name, label, min(args.repeats, 51), backend_name, unikeras, args)
                for label in calls
            }
            if backend_name == "torch":
                rss[NATIVE_GRAD] = rss_of(
                    name, NATIVE_GRAD, min(args.repeats, 51), backend_name, unikeras, args
                )
        rows.append((name, calls, latency, throughput, rss))
    print(
        f"predict speed: unikeras {unikeras.__version__} on {backend_name} ({info['version']}), "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; batch-1 latency = median "
        f"of {args.repeats} paired calls, ratio = median of per-repeat ratios to native; "
        f"load average {load_before} before / "
        + "/".join(f"{v:.2f}" for v in os.getloadavg())
        + " after; "
        + devices.describe(backend_name, args.device, args.mixed_precision)
        + "\n"
    )
    header = "| backend | model | implementation | latency batch 1 (ms) | vs native | goal "
    header += "| samples/s at 1024 |"
    if args.rss:
        header += " peak RSS (MB) |"
    print(header)
    print("|---|---|---|---:|---:|---:|---:|" + ("---:|" if args.rss else ""))
    for name, calls, latency, throughput, rss in rows:
        base = latency.get("native")
        for label in calls:
            median = statistics.median(latency[label])
            ratio = (
                f"{statistics.median(t / b for t, b in zip(latency[label], base)):.2f}x"
                if base
                else "n/a"
            )
            goal = f"<= {GOALS[label]}x" if label in GOALS and base else ""
            rate = (
                f"{THROUGHPUT_BATCH / statistics.median(throughput[label]):,.0f}"
                if label in throughput
                else ""
            )
            line = (
                f"| {backend_name} | {name} | {label} | {median * 1e3:.3f} | {ratio} | {goal} "
                f"| {rate} |"
            )
            if args.rss:
                line += f" {rss[label]:.0f} |"
            print(line)
        if NATIVE_GRAD in rss:
            print(f"| {backend_name} | {name} | {NATIVE_GRAD} | | | | | {rss[NATIVE_GRAD]:.0f} |")


if __name__ == "__main__":
    main()
