"""Checks specific to the OpenVINO backend plugin (`keras-openvino`); skipped on other backends."""

import numpy as np
import pytest

import unikeras
from unikeras import layers, ops
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(registry.backend() != "openvino",
                                reason="needs UNIKERAS_BACKEND=openvino (keras-openvino installed)")

if registry.backend() == "openvino":
    from keras_openvino import export_openvino
    from keras_openvino.graph import COMPILE_STATS, OpenVINOTensor


def _mlp():
    inputs = unikeras.Input((4,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    return unikeras.Model(inputs, layers.Dense(3, activation="softmax")(hidden))


def _reference(model, x):
    out = x
    for layer in model.layers[1:]:
        out = ops.convert_to_numpy(layer(out))
    return out


def test_backend_info_is_inference_only_with_exact_precision():
    info = registry.table.backend_info()
    assert info["name"] == "openvino" and info["training"] is False
    assert info["precision"] == "float32" and info["device"] == "CPU"


def test_eager_ops_compute_values():
    x = ops.convert_to_tensor(np.arange(6, dtype="float32").reshape(2, 3))
    assert isinstance(x, OpenVINOTensor)
    np.testing.assert_allclose(ops.convert_to_numpy(ops.matmul(x, ops.transpose(x))),
                               [[5.0, 14.0], [14.0, 50.0]])
    assert ops.dtype(ops.add(ops.ones((2,), "int32"), 1.5)) == "float32"


def test_predict_compiles_once_per_signature_with_dynamic_batch():
    model = _mlp()
    x = np.random.RandomState(0).rand(10, 4).astype("float32")
    before = COMPILE_STATS["compilations"]
    first = model.predict(x, batch_size=4, verbose=0)
    assert COMPILE_STATS["compilations"] == before + 1  # batches of 4 and 2 share one model
    model.predict(x, batch_size=5, verbose=0)
    assert COMPILE_STATS["compilations"] == before + 1
    np.testing.assert_allclose(first, _reference(model, x), rtol=1e-5, atol=1e-6)


def test_new_weights_are_used_without_a_rebuild():
    model = _mlp()
    x = np.random.RandomState(1).rand(3, 4).astype("float32")
    model.predict(x, verbose=0)
    compiled = COMPILE_STATS["compilations"]
    model.set_weights([np.full(w.shape, 0.1, "float32") for w in model.get_weights()])
    after = model.predict(x, verbose=0)
    np.testing.assert_allclose(after, _reference(model, x), rtol=1e-5, atol=1e-6)
    model.layers[-1].bias.assign(np.array([5.0, 0.0, 0.0], "float32"))
    np.testing.assert_allclose(model.predict(x, verbose=0), _reference(model, x), rtol=1e-5)
    assert COMPILE_STATS["compilations"] == compiled


def test_cnn_predict_matches_layer_by_layer():
    inputs = unikeras.Input((8, 8, 3))
    h = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    h = layers.MaxPooling2D(2)(h)
    h = layers.GlobalAveragePooling2D()(h)
    model = unikeras.Model(inputs, layers.Dense(2)(h))
    x = np.random.RandomState(2).rand(5, 8, 8, 3).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), _reference(model, x),
                               rtol=1e-4, atol=1e-5)


def test_fit_names_a_training_backend():
    model = _mlp()
    model.compile(loss="mse")
    with pytest.raises((RuntimeError, ValueError), match="keras-jax|training backend"):
        model.fit(np.zeros((2, 4), "float32"), np.zeros((2, 3), "float32"), verbose=0)


@pytest.mark.parametrize("call", [
    lambda: ops.fft((np.zeros(4, "float32"), np.zeros(4, "float32"))),
    lambda: ops.qr(np.eye(2, dtype="float32")),
    lambda: ops.unique(np.array([1, 1, 2])),
])
def test_unclaimed_ops_raise_not_implemented_naming_the_backend(call):
    with pytest.raises(NotImplementedError, match="openvino"):
        call()


def test_export_writes_openvino_ir(tmp_path):
    import openvino as ov

    model = _mlp()
    path = export_openvino(model, tmp_path / "mlp")
    assert path.endswith(".xml") and (tmp_path / "mlp.bin").exists()
    x = np.random.RandomState(3).rand(2, 4).astype("float32")
    compiled = ov.Core().compile_model(ov.Core().read_model(path), "CPU",
                                       {"INFERENCE_PRECISION_HINT": "f32"})
    np.testing.assert_allclose(compiled([x])[0], model.predict(x, verbose=0), rtol=1e-5)
