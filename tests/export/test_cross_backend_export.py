"""Models trained on jax, torch and tensorflow, exported as a TensorFlow SavedModel, ONNX and
OpenVINO IR, each served by its runtime alone (a subprocess importing only tensorflow,
onnxruntime or openvino, never unikeras) with `predict`'s outputs within 1e-5, at two batch
sizes (the batch dimension stays dynamic), with the model's input and output names. Runs in
the tox env `all`, which installs every engine and the exporters."""

import importlib.util
import os
import subprocess
import sys

import pytest

from unikeras.backend import registry

TRAINERS = ("jax", "torch", "tensorflow")
NEEDED = ("tensorflow", "onnx", "onnxruntime", "tf2onnx", "openvino")

TRAIN = """
import sys
import numpy as np
import unikeras as keras
from unikeras import layers

folder, name = sys.argv[1], sys.argv[2]
keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
image, features = keras.Input((6, 6, 1), name="image"), keras.Input((3,), name="features")
h = layers.GlobalAveragePooling2D()(layers.Conv2D(4, 3, activation="relu")(image))
h = layers.Dense(8, activation="relu")(layers.Concatenate()([h, features]))
h = layers.BatchNormalization()(h)
model = keras.Model(
    [image, features],
    [layers.Dense(3, activation="softmax", name="label")(h), layers.Dense(1, name="score")(h)],
)
x = [rng.normal(size=(16, 6, 6, 1)).astype("float32"), rng.normal(size=(16, 3)).astype("float32")]
y = [rng.integers(0, 3, size=(16,)), rng.normal(size=(16, 1)).astype("float32")]
model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", "mse"])
model.fit(x, y, epochs=2, batch_size=8, verbose=0)
model.export(f"{folder}/{name}_sm", verbose=False)
model.export(f"{folder}/{name}.onnx", format="onnx", verbose=False)
model.export(f"{folder}/{name}.xml", format="openvino", verbose=False)
for i, part in enumerate(x):
    np.save(f"{folder}/{name}-x{i}.npy", part)
for i, part in enumerate(model.predict(x, verbose=0)):
    np.save(f"{folder}/{name}-y{i}.npy", np.asarray(part))
print("ok")
"""

# Each runtime alone: nothing of unikeras is imported.
SERVE_COMMON = """
import sys
import numpy as np

folder, names = sys.argv[1], sys.argv[2].split(",")


def check(serve):
    for name in names:
        x = [np.load(f"{folder}/{name}-x{i}.npy") for i in range(2)]
        y = [np.load(f"{folder}/{name}-y{i}.npy") for i in range(2)]
        for rows in (16, 1):
            got = serve(name, [part[:rows] for part in x])
            assert len(got) == 2, (name, len(got))
            for g, e in zip(got, y):
                np.testing.assert_allclose(
                    np.asarray(g), e[:rows], rtol=1e-5, atol=1e-5, err_msg=f"{name}, {rows} rows"
                )
"""

SERVE_SAVED_MODEL = (
    SERVE_COMMON
    + """
import tensorflow as tf


def serve(name, x):
    loaded = tf.saved_model.load(f"{folder}/{name}_sm")
    signature = loaded.signatures["serving_default"]
    by_name = signature(**{"image": tf.constant(x[0]), "features": tf.constant(x[1])})
    direct = loaded.serve(x)
    for a, b in zip(direct, sorted(by_name.values(), key=lambda t: -t.shape[-1])):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-6)
    return [t.numpy() for t in direct]


check(serve)
assert not any(m.startswith("unikeras") for m in sys.modules)
print("ok")
"""
)

SERVE_ONNX = (
    SERVE_COMMON
    + """
import onnxruntime as ort


def serve(name, x):
    session = ort.InferenceSession(f"{folder}/{name}.onnx", providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["image", "features"]
    assert [o.name for o in session.get_outputs()] == ["label", "score"]
    assert all(not isinstance(i.shape[0], int) for i in session.get_inputs())  # dynamic batch
    return session.run(None, {"image": x[0], "features": x[1]})


check(serve)
assert not any(m.startswith("unikeras") for m in sys.modules)
print("ok")
"""
)

SERVE_IR = (
    SERVE_COMMON
    + """
import openvino as ov

core = ov.Core()


def serve(name, x):
    model = core.read_model(f"{folder}/{name}.xml")
    assert model.inputs[0].get_partial_shape()[0].is_dynamic
    compiled = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    result = compiled(x)
    return [result[i] for i in range(len(compiled.outputs))]


check(serve)
assert not any(m.startswith("unikeras") for m in sys.modules)
print("ok")
"""
)


def _run(code, folder, *args, backend=None):
    env = dict(os.environ, OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("KERAS_BACKEND", None)
    if backend:
        env["UNIKERAS_BACKEND"] = backend
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0 and "ok" in done.stdout, (
        f"{backend or 'runtime'}: {done.stderr[-3000:]}"
    )


@pytest.mark.skipif(
    not set(TRAINERS + ("openvino",)) <= set(registry.installed_backends())
    or not all(importlib.util.find_spec(m) for m in NEEDED),
    reason="needs every backend plugin, onnx, onnxruntime and tf2onnx installed (the tox "
    "env `all`)",
)
def test_cross_trained_on_each_backend_served_by_each_runtime_alone(tmp_path):
    for backend in TRAINERS:
        _run(TRAIN, tmp_path, backend, backend=backend)
    names = ",".join(TRAINERS)
    _run(SERVE_SAVED_MODEL, tmp_path, names)
    _run(SERVE_ONNX, tmp_path, names)
    _run(SERVE_IR, tmp_path, names)
