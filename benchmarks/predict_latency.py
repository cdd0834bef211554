"""Inference speed on the active backend: predict latency at batch 1 and throughput at 1024.

    UNIKERAS_BACKEND=openvino python benchmarks/predict_latency.py [--repeats 51]

Two networks with the same seeded weights on every backend:

- `mlp`: Dense 784-512-256-10 (ReLU);
- `cnn`: Conv2D(16, 3) ReLU, MaxPooling2D(2), Conv2D(32, 3) ReLU, MaxPooling2D(2), Flatten,
  Dense(10) on 28x28x1 images.

Rows per backend:

- `unikeras`: latency of `model.predict_on_batch` on one sample (what a server calls per
  request) and throughput of `model.predict(x, batch_size=1024)` on 1024 samples;
- `openvino IR` (openvino run only): the model exported with
  `model.export(path, format="openvino")`, read and compiled by plain OpenVINO (f32 hint) and
  called directly: the floor the openvino backend is measured against (goal: within 1.2x);
- `keras 3`: Keras 3 itself on the same backend, when `keras` is importable.

Every timing is the median of `--repeats` calls after warm-up calls (compilation excluded).
Run every backend in one go with `python benchmarks/run_all.py benchmarks/predict_latency.py`.
"""

import argparse
import os
import statistics
import tempfile
import time

import numpy as np

import unikeras
from unikeras.backend import registry

THROUGHPUT_BATCH = 1024


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


def median_seconds(fn, repeats, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def model_timings(model, one, many, repeats):
    """(latency at batch 1, samples/s at batch 1024) of a unikeras or Keras 3 model."""
    latency = median_seconds(lambda: model.predict_on_batch(one), repeats)
    seconds = median_seconds(
        lambda: model.predict(many, batch_size=THROUGHPUT_BATCH, verbose=0), max(5, repeats // 5)
    )
    return latency, len(many) / seconds


def ir_timings(model, one, many, repeats):
    """The same figures for the model exported to OpenVINO IR and run by plain OpenVINO."""
    import openvino as ov

    with tempfile.TemporaryDirectory() as folder:
        path = model.export(os.path.join(folder, "model"), format="openvino")
        core = ov.Core()
        compiled = core.compile_model(
            core.read_model(path), "CPU", {"INFERENCE_PRECISION_HINT": "f32"}
        )
    request = compiled.create_infer_request()
    latency = median_seconds(lambda: request.infer([one]), repeats)
    seconds = median_seconds(lambda: request.infer([many]), max(5, repeats // 5))
    return latency, len(many) / seconds


def keras3_module(backend_name):
    """Keras 3 on the same engine, or None when it is not importable."""
    if os.environ.get("KERAS_BACKEND") != backend_name:
        return None
    try:
        import keras
    except ImportError:
        return None
    return keras if keras.__version__.startswith("3.") else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=51)
    args = parser.parse_args()
    backend_name = registry.backend()
    keras3 = keras3_module(backend_name)
    print(
        f"predict speed: unikeras {unikeras.__version__} on {backend_name}; latency = "
        "median predict_on_batch time at batch 1, throughput = samples/s of predict at "
        f"batch {THROUGHPUT_BATCH}; ratio = latency / openvino IR latency"
    )
    print()
    print("| backend | model | implementation | latency batch 1 (ms) | throughput (samples/s) |")
    print("|---|---|---|---:|---:|")
    for name, (shape, _) in MODELS.items():
        rng = np.random.default_rng(1)
        one = rng.random((1, *shape), dtype=np.float32)
        many = rng.random((THROUGHPUT_BATCH, *shape), dtype=np.float32)
        model = build(unikeras, name)
        rows = [("unikeras", model_timings(model, one, many, args.repeats))]
        if backend_name == "openvino":
            rows.append(
                ("openvino IR (plain OpenVINO)", ir_timings(model, one, many, args.repeats))
            )
        if keras3 is not None:
            rows.append(
                (
                    f"keras {keras3.__version__}",
                    model_timings(build(keras3, name), one, many, args.repeats),
                )
            )
        for label, (latency, throughput) in rows:
            print(
                f"| {backend_name} | {name} | {label} | {latency * 1e3:.3f} | {throughput:,.0f} |"
            )


if __name__ == "__main__":
    main()
