"""OpenVINO inference precision: `predict` throughput at batch 1024 for f32, bf16 and f16.

    UNIKERAS_BACKEND=openvino python benchmarks/openvino_precision.py [--repeats 15]

The `mlp` and `cnn` networks of `predict_latency.py`, with the same seeded weights, one copy
per precision chosen with `unikeras_openvino.config.set_model_precision` (the
`INFERENCE_PRECISION_HINT` its compiled model gets; `UNIKERAS_OPENVINO_PRECISION` sets the
default, `model.export(path, format="openvino", precision=...)` the exported IR's). Paired
timing: each repeat runs `predict` of every precision in turn, so drifts in machine speed hit
all of them. The table gives samples/s (1024 over the median time) and the largest absolute
difference from the f32 outputs. bf16 and f16 are only faster on CPUs that compute in them
(AMX, AVX512-BF16/FP16); elsewhere OpenVINO may emulate them slower than f32.
"""

import argparse
import os
import platform
import statistics
import time

import numpy as np

PRECISIONS = ("f32", "bf16", "f16")
BATCH = 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    import unikeras as keras
    from unikeras.backend import registry

    if registry.backend() != "openvino":
        raise SystemExit("run with UNIKERAS_BACKEND=openvino (unikeras-openvino installed)")
    from unikeras_openvino.config import set_model_precision

    layers = keras.layers
    models = {
        "mlp": (
            (784,),
            lambda: [
                layers.Dense(512, activation="relu"),
                layers.Dense(256, activation="relu"),
                layers.Dense(10),
            ],
        ),
        "cnn": (
            (28, 28, 1),
            lambda: [
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(2),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(2),
                layers.Flatten(),
                layers.Dense(10),
            ],
        ),
    }
    load = "/".join(f"{v:.2f}" for v in os.getloadavg())
    rows = []
    for name, (shape, make_layers) in models.items():
        keras.utils.set_random_seed(0)
        weights = keras.Sequential([keras.Input(shape)] + make_layers()).get_weights()
        copies = {}
        for precision in PRECISIONS:
            model = keras.Sequential([keras.Input(shape)] + make_layers())
            model.set_weights(weights)
            set_model_precision(model, precision)
            copies[precision] = model
        x = np.random.default_rng(1).random((BATCH, *shape), dtype=np.float32)
        outputs = {p: m.predict(x, batch_size=BATCH, verbose=0) for p, m in copies.items()}
        times = {p: [] for p in copies}
        for _ in range(args.repeats):
            for precision, model in copies.items():
                start = time.perf_counter()
                model.predict(x, batch_size=BATCH, verbose=0)
                times[precision].append(time.perf_counter() - start)
        for precision in PRECISIONS:
            error = float(np.max(np.abs(outputs[precision] - outputs["f32"])))
            rate = BATCH / statistics.median(times[precision])
            rows.append(f"| {name} | {precision} | {rate:,.0f} | {error:.1e} |")
    print(
        f"OpenVINO precision: unikeras {keras.__version__}, OpenVINO "
        f"{registry.table.backend_info()['version']}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; median of {args.repeats} paired repeats; load average "
        f"{load} before / {'/'.join(f'{v:.2f}' for v in os.getloadavg())} after\n"
    )
    print("| model | precision | samples/s at 1024 | max abs difference from f32 |")
    print("|---|---|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
