"""Serving speed of `keras.applications` models on the active backend and from their exports.

    UNIKERAS_BACKEND=torch KERAS_BACKEND=torch python benchmarks/applications_serving.py \\
        [--models resnet50,mobilenetv3small] [--repeats 21] [--batch-repeats 5] [--threads N]
        [--exports auto|none|onnx,openvino,tf_saved_model] [--skip 'model(x)'] [--quick]

Two networks, `weights=None`, logits out, 224x224x3 inputs (`--size`): `resnet50` (`ResNet50`) and
`mobilenetv3small` (`MobileNetV3Small`, its `Rescaling` preprocessing included). The inputs
are drawn once from a fixed seed as each model expects them after its preprocessing.

Implementations, all fed the same NumPy batch and read back as NumPy where the path returns
NumPy:

- `unikeras predict_on_batch`, `unikeras model(x)` (an engine tensor, timed until the engine
  has finished) and `unikeras predict` (`verbose=0`);
- `keras <version> predict_on_batch` and `predict`: Keras 3 on the same engine (when
  `KERAS_BACKEND` names the active backend and Keras 3 is importable; OpenVINO included),
  with the unikeras model's weights (`set_weights`: the same layer order);
- the unikeras model exported with `model.export` and served by the format's own runtime,
  nothing of unikeras on the call path: `SavedModel, TF` (`tf.saved_model.load(...).serve`),
  `ONNX, onnxruntime` (an `InferenceSession` on the CPU provider) and `IR, OpenVINO` (plain
  OpenVINO, f32 inference hint, one infer request). `--exports auto` exports what the
  backend produces itself: tensorflow the SavedModel and ONNX (`tf2onnx`), torch ONNX
  (`torch.onnx`), openvino the IR; jax none (its exports go through a subprocess on another
  backend). The export time is printed above the table.

Paired timing, as in `predict_latency.py`: each repeat calls every implementation once, in
turn, so drifts in machine speed hit all of them. `batch 1 ms` is the median latency of
`--repeats` paired calls of one sample; `batch 32 samples/s` is 32 over the median time of
`--batch-repeats` paired calls of 32 samples. The ratios are the medians of the per-repeat
time ratios to the unikeras path of the same repeat (`predict_on_batch` at batch 1, `predict`
at batch 32): below 1 is faster than unikeras. `rel. diff` is the largest absolute
difference of the batch-1 logits from unikeras' `predict_on_batch`, over their largest
magnitude (a check that every path computes the same model).

`--threads N` sets the engines' CPU thread pools where they can be set in-process
(`OMP_NUM_THREADS`, torch intra-op, TensorFlow intra/inter-op, onnxruntime intra-op, the
plain OpenVINO `INFERENCE_NUM_THREADS`); by default every runtime uses its own default (all
cores). `--quick` is a smoke check: MobileNetV3Small at 96x96, batch 4, 3 repeats. Run every
backend with `python benchmarks/run_all.py --env jax=.venv/bin/python ...
benchmarks/applications_serving.py` (`run_all` sets `UNIKERAS_BACKEND` and `KERAS_BACKEND`).
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from predict_latency import keras3_module, paired  # noqa: E402

#: name -> (keras.applications attribute, input preprocessing of raw [0, 255) pixels)
MODELS = {
    # ResNet50's own preprocessing ("caffe": BGR, mean subtracted) is outside the model.
    "resnet50": ("ResNet50", lambda x: x[..., ::-1] - np.float32([103.939, 116.779, 123.68])),
    # MobileNetV3 rescales inside the model (include_preprocessing=True).
    "mobilenetv3small": ("MobileNetV3Small", lambda x: x),
}
#: backend -> the formats `--exports auto` exports from it
AUTO_EXPORTS = {
    "tensorflow": ("tf_saved_model", "onnx"),
    "torch": ("onnx",),
    "openvino": ("openvino",),
}
EXPORT_LABELS = {
    "tf_saved_model": "SavedModel, TF",
    "onnx": "ONNX, onnxruntime",
    "openvino": "IR, OpenVINO",
}


def build(keras_module, name, size):
    """`keras_module.applications.<model>(weights=None)` for `size`x`size`x3 images, logits
    out (`classifier_activation=None`: the output check compares logits, not saturated
    probabilities)."""
    return getattr(keras_module.applications, MODELS[name][0])(
        weights=None, input_shape=(size, size, 3), classifier_activation=None
    )


def sample(name, size, batch, seed):
    """`batch` images drawn from `seed`, preprocessed as model `name` expects them."""
    raw = np.random.default_rng(seed).uniform(0, 255, size=(batch, size, size, 3))
    return np.ascontiguousarray(MODELS[name][1](raw.astype("float32")), dtype="float32")


def set_threads(threads):
    """Limits the thread pools that can be set before the engines start (see module doc)."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ["MKL_NUM_THREADS"] = str(threads)


def engine_threads(backend_name, threads):
    """Sets the active engine's in-process thread pools (after its import)."""
    if backend_name == "torch":
        import torch

        torch.set_num_threads(threads)
    elif backend_name == "tensorflow":
        import tensorflow as tf

        try:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        except RuntimeError:  # already initialized: the environment variables apply
            pass


# --- the exported artifacts, each served by its own runtime ---------------------------------
def serve_saved_model(path, threads):
    """`call(np array) -> np array` of a SavedModel's `serve` endpoint in TensorFlow."""
    import tensorflow as tf

    if threads:
        try:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
        except RuntimeError:
            pass
    loaded = tf.saved_model.load(path)  # kept alive by the call: it owns the variables
    return lambda x: np.asarray(loaded.serve(tf.constant(x)))


def serve_onnx(path, threads):
    """`call(np array) -> np array` of an ONNX file in onnxruntime (CPU provider)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return lambda x: session.run(None, {name: x})[0]


def serve_ir(path, threads):
    """`call(np array) -> np array` of an OpenVINO IR compiled by plain OpenVINO (f32)."""
    import openvino as ov

    core = ov.Core()
    options = {"INFERENCE_PRECISION_HINT": "f32"}
    if threads:
        options["INFERENCE_NUM_THREADS"] = threads
    request = core.compile_model(core.read_model(path), "CPU", options).create_infer_request()
    return lambda x: request.infer([x])[0]


SERVERS = {"tf_saved_model": serve_saved_model, "onnx": serve_onnx, "openvino": serve_ir}
SUFFIXES = {"tf_saved_model": "", "onnx": ".onnx", "openvino": ""}


def exported_calls(model, formats, folder, threads, notes):
    """`{label: call}` of `model` exported to each format in `folder` and served; the export
    times (or failures) are appended to `notes`."""
    calls = {}
    for fmt in formats:
        start = time.perf_counter()
        try:
            path = model.export(
                os.path.join(folder, f"{model.name}-{fmt}{SUFFIXES[fmt]}"),
                format=fmt,
                verbose=False,
            )
            calls[EXPORT_LABELS[fmt]] = SERVERS[fmt](str(path), threads)
        except Exception as error:  # reported in the notes, the other paths still run
            last = (str(error).strip().splitlines() or [repr(error)])[-1]
            notes.append(f"{model.name}: export to {fmt} failed: {type(error).__name__}: {last}")
            continue
        notes.append(f"{model.name}: export to {fmt} took {time.perf_counter() - start:.1f} s")
    return calls


# --- unikeras and Keras 3 --------------------------------------------------------------------
def unikeras_calls(model):
    """The unikeras serving paths as `{label: call(np array)}`."""

    def call_model(x):
        out = model(x)
        block = getattr(out, "block_until_ready", None)  # JAX dispatches asynchronously
        return block() if block is not None else out

    return {
        "unikeras predict_on_batch": model.predict_on_batch,
        "unikeras model(x)": call_model,
        "unikeras predict": lambda x: model.predict(x, verbose=0),
    }


def keras3_calls(keras3, name, size, weights):
    """Keras 3's `predict_on_batch` and `predict` of the same network and weights."""
    model = build(keras3, name, size)
    model.set_weights(weights)
    return {
        f"keras {keras3.__version__} predict_on_batch": model.predict_on_batch,
        f"keras {keras3.__version__} predict": lambda x: model.predict(x, verbose=0),
    }


def to_numpy(value):
    """An output of any path as a NumPy array."""
    if hasattr(value, "detach"):
        value = value.detach().cpu()
    return np.asarray(value)


def measure(name, args, backend_name, unikeras, folder, notes):
    """Times every implementation on model `name`; returns its table rows."""
    model = build(unikeras, name, args.size)
    calls = unikeras_calls(model)
    keras3 = keras3_module(backend_name)
    if keras3 is not None:
        calls.update(keras3_calls(keras3, name, args.size, model.get_weights()))
    formats = (
        AUTO_EXPORTS.get(backend_name, ())
        if args.exports == "auto"
        else [f for f in args.exports.split(",") if f and f != "none"]
    )
    calls.update(exported_calls(model, formats, folder, args.threads, notes))
    skip = [part for part in args.skip.split(",") if part]
    references = ("unikeras predict_on_batch", "unikeras predict")  # never skipped
    calls = {
        label: call
        for label, call in calls.items()
        if label in references or not any(part in label for part in skip)
    }

    one = sample(name, args.size, 1, seed=1)
    many = sample(name, args.size, args.batch, seed=2)
    reference = to_numpy(calls["unikeras predict_on_batch"](one))
    scale = float(np.max(np.abs(reference))) or 1.0
    diffs = {
        label: float(np.max(np.abs(to_numpy(call(one)) - reference))) / scale
        for label, call in calls.items()
    }
    latency = paired(calls, one, args.repeats, warmup=args.warmup)
    bulk = {label: call for label, call in calls.items() if "predict_on_batch" not in label}
    bulk = {label: call for label, call in bulk.items() if "model(x)" not in label}
    throughput = paired(bulk, many, args.batch_repeats, warmup=1)

    def ratio(times, base):
        return statistics.median(t / b for t, b in zip(times[base[0]], times[base[1]]))

    rows = []
    for label in calls:
        median = statistics.median(latency[label])
        row = [
            backend_name,
            name,
            label,
            f"{median * 1e3:.2f}",
            f"{ratio(latency, (label, 'unikeras predict_on_batch')):.2f}x",
        ]
        if label in throughput:
            rate = args.batch / statistics.median(throughput[label])
            row += [f"{rate:,.1f}", f"{ratio(throughput, (label, 'unikeras predict')):.2f}x"]
        else:
            row += ["", ""]
        row.append(f"{diffs[label]:.1e}")
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--size", type=int, default=224, help="image height and width")
    parser.add_argument("--batch", type=int, default=32, help="throughput batch size")
    parser.add_argument("--repeats", type=int, default=21, help="paired batch-1 repeats")
    parser.add_argument("--batch-repeats", type=int, default=5, help="paired batch repeats")
    parser.add_argument("--warmup", type=int, default=3, help="untimed batch-1 calls first")
    parser.add_argument("--threads", type=int, default=0, help="0: each runtime's default")
    parser.add_argument(
        "--exports",
        default="auto",
        help="'auto' (what the backend exports itself), 'none', or formats separated by ','",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="leave out the implementations whose label contains one of these ','-separated "
        "parts, e.g. 'model(x)' (eager on OpenVINO: seconds per call); the unikeras "
        "predict_on_batch and predict references stay",
    )
    parser.add_argument("--quick", action="store_true", help="smoke check (see module doc)")
    args = parser.parse_args()
    if args.quick:
        args.models, args.size, args.batch = "mobilenetv3small", 96, 4
        args.repeats, args.batch_repeats, args.warmup = 3, 2, 1
    for name in args.models.split(","):
        if name not in MODELS:
            parser.error(f"unknown model {name!r}; expected one of {', '.join(MODELS)}")
    if args.threads:
        set_threads(args.threads)

    import unikeras
    from unikeras.backend import registry

    backend_name = registry.backend()
    if args.threads:
        engine_threads(backend_name, args.threads)
    info = registry.table.backend_info()
    load_before = "/".join(f"{v:.2f}" for v in os.getloadavg())
    notes, rows = [], []
    with tempfile.TemporaryDirectory() as folder:
        for name in args.models.split(","):
            rows.extend(measure(name, args, backend_name, unikeras, folder, notes))
    threads = args.threads or "default"
    print(
        f"applications serving: unikeras {unikeras.__version__} on {backend_name} "
        f"({info['version']}), Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"threads {threads}; {args.size}x{args.size} inputs, weights=None; batch 1 = median of "
        f"{args.repeats} paired calls, batch {args.batch} = median of {args.batch_repeats}; "
        f"ratios = median per-repeat time ratio to unikeras (below 1: faster); load average "
        f"{load_before} before / " + "/".join(f"{v:.2f}" for v in os.getloadavg()) + " after"
    )
    for note in notes:
        print(f"{backend_name}: {note}")
    print()
    print(
        "| backend | model | implementation | batch 1 ms | vs unikeras predict_on_batch "
        f"| batch {args.batch} samples/s | vs unikeras predict | rel. diff |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
