"""Training speed of `Model.fit` on the active backend against a hand-written native loop.

    UNIKERAS_BACKEND=jax python benchmarks/fit_speed.py [--repeats 7] [--samples 5120]

The model is an MLP 784-512-256-10 (ReLU, logits, sparse categorical cross-entropy) trained
with Adam (learning rate 1e-3) on synthetic data in batches of 128, without shuffling. Every
implementation starts from the same initial weights and trains on the same arrays:

- `unikeras`: `model.fit(x, y, batch_size=128, epochs=1)` with the default compile options;
- `native`: the same network, loss and Adam written directly in the engine (for JAX: a
  `jax.jit`-compiled `value_and_grad` step with donated buffers), looping over the same
  NumPy batches; registered per backend in `NATIVE_LOOPS`;
- `keras 3`: Keras 3 itself on the same engine, when `keras` is importable.

Each repeat times one epoch of each implementation in turn (interleaved, so drifts in machine
speed hit all of them); one untimed epoch first compiles everything. The table reports the
median epoch time, samples per second, and the time relative to the native loop (the goal
for JAX is at most 1.15x).
"""

import argparse
import os
import platform
import statistics
import time

import numpy as np

import unikeras
from unikeras.backend import registry

LAYER_SIZES = (784, 512, 256, 10)
LEARNING_RATE = 1e-3
BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7  # Keras' Adam defaults


def synthetic_data(samples, seed=0):
    """Random inputs in [0, 1) and uniform labels over the 10 classes."""
    rng = np.random.default_rng(seed)
    x = rng.random((samples, LAYER_SIZES[0]), dtype=np.float32)
    y = rng.integers(0, LAYER_SIZES[-1], size=samples).astype("int32")
    return x, y


def build_mlp(keras_module):
    """The benchmark MLP built with `keras_module` (unikeras or Keras 3)."""
    layers = keras_module.layers
    return keras_module.Sequential(
        [keras_module.Input((LAYER_SIZES[0],))]
        + [layers.Dense(units, activation="relu") for units in LAYER_SIZES[1:-1]]
        + [layers.Dense(LAYER_SIZES[-1])])


def compiled_mlp(keras_module, weights):
    model = build_mlp(keras_module)
    model.set_weights(weights)
    model.compile(optimizer=keras_module.optimizers.Adam(LEARNING_RATE),
                  loss=keras_module.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def fit_runner(keras_module, weights, x, y, batch_size):
    """Returns a function that trains one epoch with `fit`."""
    model = compiled_mlp(keras_module, weights)
    return lambda: model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)


# --- native loops: one per engine ---------------------------------------------------------
#: backend name -> `builder(weights, x, y, batch_size) -> run_one_epoch`. Each builder writes
#: the MLP, the loss and Adam (constants above) directly in its engine, starts from
#: `weights` (NumPy arrays `[w1, b1, w2, b2, w3, b3]`) and returns a function that trains one
#: epoch over `x`, `y` in order and waits until the engine has finished.
NATIVE_LOOPS = {}


def native_loop(backend_name):
    """Registers a native loop builder for `backend_name` (see `NATIVE_LOOPS`)."""
    def register(builder):
        NATIVE_LOOPS[backend_name] = builder
        return builder

    return register


def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


@native_loop("jax")
def jax_loop(weights, x, y, batch_size):
    import jax
    import jax.numpy as jnp

    def loss_fn(params, xb, yb):
        h = xb
        for w, b in zip(params[0:-2:2], params[1:-2:2]):
            h = jax.nn.relu(h @ w + b)
        logits = h @ params[-2] + params[-1]
        picked = jnp.take_along_axis(logits, yb[:, None], axis=-1)[:, 0]
        return jnp.mean(jax.nn.logsumexp(logits, axis=-1) - picked)

    @jax.jit
    def init_slots(params):
        return [jnp.zeros_like(p) for p in params], [jnp.zeros_like(p) for p in params]

    def step(params, m, v, t, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        t = t + 1
        alpha = LEARNING_RATE * jnp.sqrt(1 - BETA_2 ** t) / (1 - BETA_1 ** t)
        m = [mi + (g - mi) * (1 - BETA_1) for mi, g in zip(m, grads)]
        v = [vi + (g * g - vi) * (1 - BETA_2) for vi, g in zip(v, grads)]
        params = [p - alpha * mi / (jnp.sqrt(vi) + EPSILON) for p, mi, vi in zip(params, m, v)]
        return params, m, v, t, loss

    step = jax.jit(step, donate_argnums=(0, 1, 2, 3))
    state = [[jnp.asarray(w) for w in weights], *init_slots([jnp.asarray(w) for w in weights]),
             jnp.zeros((), jnp.float32)]

    def run_epoch():
        loss = None
        for xb, yb in batches(x, y, batch_size):
            *new_state, loss = step(*state, xb, yb)
            state[:] = new_state
        jax.block_until_ready(loss)

    return run_epoch


# Extension points: @native_loop("torch") and @native_loop("tensorflow") go here.


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


def report(medians, samples, batch_size, backend_name):
    native = medians.get("native")
    print(f"\nfit speed, backend {backend_name} ({registry.table.backend_info()['notes']}), "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
          f"{samples} samples, batch {batch_size}\n")
    print("| implementation | epoch time (ms, median) | samples/s | time vs native |")
    print("|---|---:|---:|---:|")
    for name, seconds in medians.items():
        ratio = f"{seconds / native:.2f}x" if native else "n/a"
        print(f"| {name} | {seconds * 1e3:.1f} | {samples / seconds:,.0f} | {ratio} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--samples", type=int, default=5120)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()

    backend_name = registry.backend()
    if not registry.table.backend_info().get("training"):
        raise SystemExit(f"backend {backend_name!r} cannot train; select one with "
                         "UNIKERAS_BACKEND=jax (or torch, tensorflow)")
    x, y = synthetic_data(args.samples)
    unikeras.utils.set_random_seed(0)
    weights = build_mlp(unikeras).get_weights()

    runners = {"unikeras": fit_runner(unikeras, weights, x, y, args.batch_size)}
    if backend_name in NATIVE_LOOPS:
        runners["native"] = NATIVE_LOOPS[backend_name](weights, x, y, args.batch_size)
    keras3 = import_keras3(backend_name)
    if keras3 is not None:
        runners[f"keras {keras3.__version__}"] = fit_runner(keras3, weights, x, y,
                                                             args.batch_size)
    report(measure(runners, args.repeats), args.samples, args.batch_size, backend_name)


if __name__ == "__main__":
    main()
