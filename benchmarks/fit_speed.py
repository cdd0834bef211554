"""Training speed of `Model.fit` on the active backend against a hand-written native loop.

    UNIKERAS_BACKEND=jax python benchmarks/fit_speed.py [--model mlp|cnn|lstm] [--repeats 7]
        [--samples 5120] [--jit-compile auto|true|false|both] [--rss]
        [--device auto|cpu|gpu] [--mixed-precision [float16|bfloat16]]

`--model` picks the network (`MODELS`), trained with Adam (learning rate 1e-3) on the sparse
categorical cross-entropy of its logits, on synthetic data in batches of 128, without
shuffling:

- `mlp`: Dense 784-512-256-10 (ReLU) on flat inputs;
- `cnn`: Conv2D(16, 3) ReLU, MaxPooling2D(2), Conv2D(32, 3) ReLU, MaxPooling2D(2), Flatten,
  Dense(10) on 28x28x1 images (channels last);
- `lstm`: LSTM(64) over 28 steps of 28 features, Dense(10) on its last output.

Every implementation starts from the same initial weights and trains on the same arrays:

- `unikeras`: `model.fit(x, y, batch_size=128, epochs=1)` with the default compile options;
- `native`: the same network, loss and Adam written directly in the engine, looping over the
  same batches; registered per backend in `NATIVE_LOOPS` (JAX: a `jax.jit`-compiled
  `value_and_grad` step with donated buffers; torch: eager `torch.autograd.grad` and an
  in-place Adam; tensorflow: a `tf.function` step with `GradientTape` and variable updates);
- `keras 3`: Keras 3 itself on the same engine, when `keras` is importable.

Each repeat times one epoch of each implementation in turn (interleaved, so drifts in machine
speed hit all of them); one untimed epoch first compiles everything. The table reports the
median epoch time, samples per second, and the time relative to the native loop (goals: at
most 1.15x for JAX, 1.3x for torch and tensorflow, and no slower than Keras 3). The load
average before and after is printed, since the numbers are only comparable on a quiet machine.

`--device` and `--mixed-precision` (see `devices.py`): every implementation runs on the device
unikeras uses (a visible GPU by default; `cpu` hides it) and, with a mixed policy, computes
in float16 or bfloat16; the header names the device (the GPU card) and the policy.

`--rss` also runs each implementation alone in a fresh process (its model or native loop on
the same data and initial weights, one warm-up and two timed epochs; the native loop's process
does not import unikeras) and adds its peak resident memory (Linux `VmHWM`) beside the native
loop's, as `predict_latency.py --rss` does.
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

NUM_CLASSES = 10
LEARNING_RATE = 1e-3
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7  # Keras' Adam defaults
GOALS = {"jax": 1.15, "torch": 1.3, "tensorflow": 1.3}


def mlp_layers(layers):
    return [
        layers.Dense(512, activation="relu"),
        layers.Dense(256, activation="relu"),
        layers.Dense(NUM_CLASSES),
    ]


def cnn_layers(layers):
    return [
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(NUM_CLASSES),
    ]


def lstm_layers(layers):
    return [layers.LSTM(64), layers.Dense(NUM_CLASSES)]


#: model name -> (input shape of one sample, `layers module -> list of layers`). The weights
#: the native loops receive are `model.get_weights()` of these, in that order.
MODELS = {
    "mlp": ((784,), mlp_layers),
    "cnn": ((28, 28, 1), cnn_layers),
    "lstm": ((28, 28), lstm_layers),
}


def synthetic_data(samples, input_shape, seed=0):
    """Random inputs in [0, 1) and uniform labels over the classes."""
    rng = np.random.default_rng(seed)
    x = rng.random((samples, *input_shape), dtype=np.float32)
    y = rng.integers(0, NUM_CLASSES, size=samples).astype("int32")
    return x, y


def build_model(keras_module, model_name):
    """The benchmark model `model_name` built with `keras_module` (unikeras or Keras 3)."""
    input_shape, make_layers = MODELS[model_name]
    return keras_module.Sequential(
        [keras_module.Input(input_shape)] + make_layers(keras_module.layers)
    )


def compiled_model(keras_module, model_name, weights, jit_compile="auto"):
    model = build_model(keras_module, model_name)
    model.set_weights(weights)
    model.compile(
        optimizer=keras_module.optimizers.Adam(LEARNING_RATE),
        loss=keras_module.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile,
    )
    return model


def fit_runner(keras_module, model_name, weights, x, y, batch_size, jit_compile="auto"):
    """Returns a function that trains one epoch with `fit` (compiled with `jit_compile`)."""
    model = compiled_model(keras_module, model_name, weights, jit_compile)
    return lambda: model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)


# --- native loops: one per engine ---------------------------------------------------------
#: backend name -> `builder(model_name, weights, x, y, batch_size, precision="none") ->
#: run_one_epoch`. Each builder writes the model (`MODELS`), the loss and Adam (constants
#: above) directly in its engine, on the device unikeras uses, starts from `weights` (NumPy
#: arrays, `get_weights()` order), computes in `devices.compute_dtype(precision)` when that
#: is set, and returns a function that trains one epoch over `x`, `y` in order, waits until
#: the engine has finished and returns the last batch's loss as a Python float.
NATIVE_LOOPS = {}


def native_loop(backend_name):
    """Registers a native loop builder for `backend_name` (see `NATIVE_LOOPS`)."""

    def register(builder):
        NATIVE_LOOPS[backend_name] = builder
        return builder

    return register


def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start : start + batch_size], y[start : start + batch_size]


def adam_alpha(t, sqrt):
    """Adam's bias-corrected step size at step `t` (Keras' formula), using `sqrt`."""
    return LEARNING_RATE * sqrt(1 - BETA_2**t) / (1 - BETA_1**t)


def lstm_gates(z, c, split, sigmoid, tanh):
    """One LSTM update from the gate pre-activations `z` (Keras' order i, f, c, o)."""
    i, f, g, o = split(z)
    c = sigmoid(f) * c + sigmoid(i) * tanh(g)
    return sigmoid(o) * tanh(c), c


def jax_adam_runner(forward, weights, x, y, batch_size, precision="none"):
    """`run_epoch()` of a jitted JAX step: `forward(params, x)` logits, sparse categorical
    cross-entropy, Adam written out, donated buffers (shared with benchmarks/layer_fit.py).
    With a mixed `precision` the float32 parameters and float inputs are cast to the compute
    dtype inside the step and the logits back to float32."""
    import jax
    import jax.numpy as jnp

    dtype = devices.compute_dtype(precision)
    scale = devices.LOSS_SCALE if dtype == "float16" else 1.0

    def loss_fn(params, xb, yb):
        if dtype is not None:
            params = [p.astype(dtype) for p in params]
            if jnp.issubdtype(xb.dtype, jnp.floating):
                xb = xb.astype(dtype)
        logits = forward(params, xb).astype(jnp.float32)
        picked = jnp.take_along_axis(logits, yb[:, None], axis=-1)[:, 0]
        return jnp.mean(jax.nn.logsumexp(logits, axis=-1) - picked) * scale

    @jax.jit
    def init_slots(params):
        return [jnp.zeros_like(p) for p in params], [jnp.zeros_like(p) for p in params]

    def step(params, m, v, t, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        if scale != 1.0:
            loss, grads = loss / scale, [g / scale for g in grads]
        t = t + 1
        alpha = adam_alpha(t, jnp.sqrt)
        m = [mi + (g - mi) * (1 - BETA_1) for mi, g in zip(m, grads)]
        v = [vi + (g * g - vi) * (1 - BETA_2) for vi, g in zip(v, grads)]
        params = [p - alpha * mi / (jnp.sqrt(vi) + EPSILON) for p, mi, vi in zip(params, m, v)]
        return params, m, v, t, loss

    step = jax.jit(step, donate_argnums=(0, 1, 2, 3))
    state = [
        [jnp.asarray(w) for w in weights],
        *init_slots([jnp.asarray(w) for w in weights]),
        jnp.zeros((), jnp.float32),
    ]

    def run_epoch():
        loss = None
        for xb, yb in batches(x, y, batch_size):
            *new_state, loss = step(*state, xb, yb)
            state[:] = new_state
        return float(loss)

    return run_epoch


@native_loop("jax")
def jax_loop(model_name, weights, x, y, batch_size, precision="none"):
    import jax
    import jax.numpy as jnp
    from jax import lax

    def mlp(params, h):
        for w, b in zip(params[0:-2:2], params[1:-2:2]):
            h = jax.nn.relu(h @ w + b)
        return h @ params[-2] + params[-1]

    def cnn(params, h):
        for kernel, bias in zip(params[0:4:2], params[1:4:2]):
            h = lax.conv_general_dilated(
                h, kernel, (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC")
            )
            h = jax.nn.relu(h + bias)
            h = lax.reduce_window(h, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        return h.reshape(h.shape[0], -1) @ params[-2] + params[-1]

    def lstm(params, sequences):
        kernel, recurrent, bias, w, b = params
        inputs = jnp.swapaxes(sequences, 0, 1) @ kernel + bias

        def cell(carry, z):
            h, c = carry
            split = lambda gates: jnp.split(gates, 4, axis=-1)  # noqa: E731
            return lstm_gates(z + h @ recurrent, c, split, jax.nn.sigmoid, jnp.tanh), None

        zeros = jnp.zeros((sequences.shape[0], recurrent.shape[0]), sequences.dtype)
        (h, _), _ = lax.scan(cell, (zeros, zeros), inputs)
        return h @ w + b

    forward = {"mlp": mlp, "cnn": cnn, "lstm": lstm}[model_name]
    return jax_adam_runner(forward, weights, x, y, batch_size, precision)


def torch_layout(model_name, weights, x):
    """Weights and inputs in torch's channels-first layout (CNN only; others unchanged).

    Conv kernels go from HWIO to OIHW and images from NHWC to NCHW; the dense kernel's rows
    are reordered so that flattening channels-first features computes the same logits.
    """
    if model_name != "cnn":
        return weights, x
    k1, b1, k2, b2, w, b = weights
    channels = k2.shape[-1]
    side = int(round((w.shape[0] // channels) ** 0.5))
    w = w.reshape(side, side, channels, -1).transpose(2, 0, 1, 3).reshape(w.shape)
    oihw = [np.ascontiguousarray(k.transpose(3, 2, 0, 1)) for k in (k1, k2)]
    return [oihw[0], b1, oihw[1], b2, np.ascontiguousarray(w), b], x.transpose(0, 3, 1, 2)


def torch_autocast(device, precision):
    """`torch.autocast` on `device` for a mixed `precision`, else a context doing nothing."""
    import contextlib

    import torch

    dtype = devices.compute_dtype(precision)
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=getattr(torch, dtype))


def to_device(tensors, device):
    """`tensors` moved to `device` (the same objects on the CPU, as before `--device`)."""
    if device.type == "cpu":
        return tensors
    return [t.to(device, non_blocking=True) for t in tensors]


@native_loop("torch")
def torch_loop(model_name, weights, x, y, batch_size, precision="none"):
    import torch
    import torch.nn.functional as F

    def mlp(params, h):
        for w, b in zip(params[0:-2:2], params[1:-2:2]):
            h = torch.relu(torch.addmm(b, h, w))
        return torch.addmm(params[-1], h, params[-2])

    def cnn(params, h):
        for kernel, bias in zip(params[0:4:2], params[1:4:2]):
            h = F.max_pool2d(torch.relu(F.conv2d(h, kernel, bias)), 2)
        return torch.addmm(params[-1], h.flatten(1), params[-2])

    def lstm(params, sequences):
        kernel, recurrent, bias, w, b = params
        inputs = sequences @ kernel + bias
        h = c = sequences.new_zeros(sequences.shape[0], recurrent.shape[0])
        for z in inputs.unbind(1):
            h, c = lstm_gates(
                torch.addmm(z, h, recurrent), c, lambda g: g.chunk(4, -1), torch.sigmoid, torch.tanh
            )
        return torch.addmm(b, h, w)

    forward = {"mlp": mlp, "cnn": cnn, "lstm": lstm}[model_name]
    weights, x = torch_layout(model_name, weights, x)
    device = devices.torch_device()
    params = [torch.tensor(w, requires_grad=True, device=device) for w in weights]
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    # The data stays on the host and each batch is copied to the device, as `fit` does.
    data = torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y).long()
    step = [0]
    scale = devices.LOSS_SCALE if devices.compute_dtype(precision) == "float16" else None

    def train_step(xb, yb):
        xb, yb = to_device((xb, yb), device)
        with torch_autocast(device, precision):
            loss = F.cross_entropy(forward(params, xb), yb)
        if scale is None:
            grads = torch.autograd.grad(loss, params)
        else:
            grads = [g / scale for g in torch.autograd.grad(loss * scale, params)]
        step[0] += 1
        alpha = adam_alpha(step[0], lambda value: value**0.5)
        with torch.no_grad():
            for p, mi, vi, g in zip(params, m, v, grads):
                mi.lerp_(g, 1 - BETA_1)
                vi.mul_(BETA_2).addcmul_(g, g, value=1 - BETA_2)
                p.addcdiv_(mi, vi.sqrt().add_(EPSILON), value=-alpha)
        return loss

    def run_epoch():
        for xb, yb in batches(*data, batch_size):
            loss = train_step(xb, yb)
        return loss.item()

    return run_epoch


def tf_mixed(forward, precision):
    """`forward(params, x)` computing in the mixed `precision`'s dtype (float32 parameters
    and float inputs cast inside, logits cast back to float32), or `forward` itself."""
    import tensorflow as tf

    dtype = devices.compute_dtype(precision)
    if dtype is None:
        return forward

    def mixed(params, h):
        params = [tf.cast(p, dtype) for p in params]
        if h.dtype.is_floating:
            h = tf.cast(h, dtype)
        return tf.cast(forward(params, h), tf.float32)

    return mixed


@native_loop("tensorflow")
def tensorflow_loop(model_name, weights, x, y, batch_size, precision="none"):
    import tensorflow as tf

    def mlp(params, h):
        for w, b in zip(params[0:-2:2], params[1:-2:2]):
            h = tf.nn.relu(h @ w + b)
        return h @ params[-2] + params[-1]

    def cnn(params, h):
        for kernel, bias in zip(params[0:4:2], params[1:4:2]):
            h = tf.nn.relu(tf.nn.conv2d(h, kernel, 1, "VALID") + bias)
            h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        return tf.reshape(h, (tf.shape(h)[0], -1)) @ params[-2] + params[-1]

    def lstm(params, sequences):
        kernel, recurrent, bias, w, b = params
        inputs = tf.einsum("ntf,fg->ntg", sequences, kernel) + bias
        h = c = tf.zeros((tf.shape(sequences)[0], recurrent.shape[0]), sequences.dtype)
        for t in range(sequences.shape[1]):
            h, c = lstm_gates(
                inputs[:, t] + h @ recurrent, c, lambda g: tf.split(g, 4, -1), tf.sigmoid, tf.tanh
            )
        return h @ w + b

    forward = tf_mixed({"mlp": mlp, "cnn": cnn, "lstm": lstm}[model_name], precision)
    scale = devices.LOSS_SCALE if devices.compute_dtype(precision) == "float16" else 1.0
    params = [tf.Variable(w) for w in weights]
    m = [tf.Variable(tf.zeros_like(w)) for w in weights]
    v = [tf.Variable(tf.zeros_like(w)) for w in weights]
    step = tf.Variable(0.0)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            logits = forward(params, xb)
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=logits)
            )
            scaled = loss * scale if scale != 1.0 else loss
        grads = tape.gradient(scaled, params)
        if scale != 1.0:
            grads = [g / scale for g in grads]
        alpha = adam_alpha(step.assign_add(1.0), tf.sqrt)
        for p, mi, vi, g in zip(params, m, v, grads):
            mi.assign_add((g - mi) * (1 - BETA_1))
            vi.assign_add((g * g - vi) * (1 - BETA_2))
            p.assign_sub(alpha * mi / (tf.sqrt(vi) + EPSILON))
        return loss

    def run_epoch():
        loss = None
        for xb, yb in batches(x, y, batch_size):
            loss = train_step(xb, yb)
        return float(loss)

    return run_epoch


# --- Keras 3 -------------------------------------------------------------------------------
_KERAS_BACKENDS = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}


def import_keras3(backend_name):
    """Keras 3 on the same engine, or `None` when it is not installed (or not this engine)."""
    if backend_name not in _KERAS_BACKENDS:
        return None
    os.environ["KERAS_BACKEND"] = _KERAS_BACKENDS[backend_name]
    try:
        import keras
    except ImportError:
        return None
    if not keras.__version__.startswith("3.") or keras.backend.backend() != backend_name:
        return None
    return keras


# --- measuring -----------------------------------------------------------------------------
def measure(runners, repeats):
    """Times one call of each runner per repeat, interleaved; returns median seconds."""
    for run in runners.values():
        run()  # compile and warm up
    times = {name: [] for name in runners}
    for _ in range(repeats):
        for name, run in runners.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def _load():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


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


def runners_for(args, backend_name, weights, x, y, only=None):
    """The implementations to time, by label (`only`: just that one, importing no other
    framework than it needs: the native loop's process does not import unikeras)."""
    jit = {"auto": "auto", "true": True, "false": False, "both": "auto"}[args.jit_compile]
    runners = {}
    if only is None or only.startswith("unikeras"):
        import unikeras

        devices.set_policy(unikeras, args.mixed_precision)
        flags = (False, True) if args.jit_compile == "both" else (jit,)
        for flag in flags:
            label = f"unikeras jit_compile={flag}" if args.jit_compile == "both" else "unikeras"
            if only in (None, label):
                runners[label] = fit_runner(
                    unikeras, args.model, weights, x, y, args.batch_size, flag
                )
    if only in (None, "native") and backend_name in NATIVE_LOOPS:
        runners["native"] = NATIVE_LOOPS[backend_name](
            args.model, weights, x, y, args.batch_size, args.mixed_precision
        )
    if only is None or only.startswith("keras"):
        keras3 = import_keras3(backend_name)
        if keras3 is not None:
            devices.set_policy(keras3, args.mixed_precision)
            runners[f"keras {keras3.__version__}"] = fit_runner(
                keras3, args.model, weights, x, y, args.batch_size, jit
            )
    return runners


def measure_one(args):
    """`--only`: trains one implementation alone (one warm-up and two epochs); prints its
    peak RSS as JSON."""
    with np.load(args.weights) as stored:
        weights = [stored[f"w{i}"] for i in range(len(stored.files))]
    x, y = synthetic_data(args.samples, MODELS[args.model][0])
    (run,) = runners_for(args, args.backend, weights, x, y, only=args.only).values()
    for _ in range(3):
        run()
    print(json.dumps({"peak_rss_mb": peak_rss_mb()}))


def rss_of(label, args, backend_name, weights_path):
    """Peak RSS (MB) of implementation `label` trained alone in a fresh process."""
    argv = [sys.executable, __file__, "--model", args.model, "--samples", str(args.samples)]
    argv += ["--batch-size", str(args.batch_size), "--jit-compile", args.jit_compile]
    argv += ["--only", label, "--weights", weights_path, "--backend", backend_name]
    argv += ["--device", args.device, "--mixed-precision", args.mixed_precision]
    result = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])["peak_rss_mb"]


def report(medians, args, backend_name, load_before, rss=None):
    """Prints the header line and the markdown table (first column: the backend)."""
    import unikeras
    from unikeras.backend import registry

    native = medians.get("native")
    print(
        f"fit speed: unikeras {unikeras.__version__} on {backend_name} "
        f"({registry.table.backend_info()['version']}, "
        f"{registry.table.backend_info()['notes']}), Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; model {args.model}, {args.samples} samples, batch "
        f"{args.batch_size}, jit_compile {args.jit_compile}, median of {args.repeats} epochs; "
        f"load average {load_before} "
        f"before / {_load()} after; "
        + devices.describe(backend_name, args.device, args.mixed_precision)
        + "\n"
    )
    print(
        "| backend | model | implementation | epoch time (ms, median) | samples/s "
        "| time vs native | goal |" + (" peak RSS (MB) |" if rss else "")
    )
    print("|---|---|---|---:|---:|---:|---:|" + ("---:|" if rss else ""))
    goal = f"<= {GOALS[backend_name]}x" if backend_name in GOALS else "-"
    for name, seconds in medians.items():
        ratio = f"{seconds / native:.2f}x" if native else "n/a"
        line = (
            f"| {backend_name} | {args.model} | {name} | {seconds * 1e3:.1f} "
            f"| {args.samples / seconds:,.0f} | {ratio} | {goal if name.startswith('unikeras') else ''} |"
        )
        if rss:
            line += f" {rss[name]:.0f} |"
        print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="mlp")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--samples", type=int, default=5120)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument(
        "--jit-compile",
        choices=("auto", "true", "false", "both"),
        default="auto",
        help="`compile(jit_compile=...)` of the unikeras and Keras 3 models; `both` measures "
        "unikeras with jit_compile False and True side by side",
    )
    parser.add_argument("--rss", action="store_true", help="add a peak RSS column")
    devices.add_arguments(parser)
    parser.add_argument("--only", help=argparse.SUPPRESS)
    parser.add_argument("--weights", help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        measure_one(args)
        return

    import unikeras
    from unikeras.backend import registry

    backend_name = registry.backend()
    if not registry.table.backend_info().get("training"):
        raise SystemExit(
            f"backend {backend_name!r} cannot train; select one with "
            "UNIKERAS_BACKEND=jax (or torch, tensorflow)"
        )
    devices.check_device(args.device, backend_name)
    x, y = synthetic_data(args.samples, MODELS[args.model][0])
    unikeras.utils.set_random_seed(0)
    weights = build_model(unikeras, args.model).get_weights()

    runners = runners_for(args, backend_name, weights, x, y)
    load_before = _load()
    medians = measure(runners, args.repeats)
    rss = None
    if args.rss:
        del runners
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "weights.npz")
            np.savez(path, **{f"w{i}": w for i, w in enumerate(weights)})
            rss = {label: rss_of(label, args, backend_name, path) for label in medians}
    report(medians, args, backend_name, load_before, rss)


if __name__ == "__main__":
    main()
