"""The eager inference fast path (issue 19): `model(x)`, `predict_on_batch` and one-batch
`predict` of a graph model run its inference plan without `Layer.__call__`, on backends whose
`model(x)` and predict function are not compiled (numpy, torch).

The fast path must give the general path's outputs bit for bit, and must not be taken where
`Layer.__call__` has work to do (masks, subclasses overriding `call`, mixed precision, activity
regularizers, symbolic inputs, calls inside another layer's call).
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend.registry import table
from unikeras.layers import layer as layer_module


def _seeded(model):
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype(w.dtype) for w in model.get_weights()])
    return model


def _mlp():
    return _seeded(
        keras.Sequential(
            [
                keras.Input((6,)),
                keras.layers.Dense(5, activation="relu"),
                keras.layers.Dense(3),
            ]
        )
    )


def _cnn():
    inputs = keras.Input((8, 8, 2))
    x = keras.layers.Conv2D(4, 3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Conv2D(3, 1, activation="relu")(x)
    x = keras.layers.Activation("tanh")(x)
    outputs = keras.layers.Dense(2)(keras.layers.Flatten()(x))
    return _seeded(keras.Model(inputs, outputs))


def _general(model, x):
    """The outputs of the general path: every layer through `Layer.__call__`."""
    graph = getattr(model, "_functional", None) or model
    out = graph._run(x, lambda op, args, kwargs: op(*args, **kwargs))
    return np.asarray(keras.ops.convert_to_numpy(out))


def _spy_layer_calls(monkeypatch):
    """The layers whose `Layer.__call__` runs from now on."""
    seen = []
    original = layer_module.Layer.__call__

    def spy(self, *args, **kwargs):
        seen.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(layer_module.Layer, "__call__", spy)
    return seen


def _eager_calls(model):
    return not type(model)._serves_calls


@pytest.mark.parametrize("make", [_mlp, _cnn], ids=["mlp", "cnn"])
def test_fast_path_outputs_equal_the_general_path_bit_for_bit(make, monkeypatch):
    model = make()
    shape = (3,) + tuple(model.inputs[0].shape[1:])
    x = np.random.default_rng(1).standard_normal(shape).astype("float32")
    expected = _general(model, x)
    seen = _spy_layer_calls(monkeypatch)
    results = {
        "model(x)": keras.ops.convert_to_numpy(model(x)),
        "model(tensor, training=False)": keras.ops.convert_to_numpy(
            model(keras.ops.convert_to_tensor(x), training=False)
        ),
        "predict_on_batch": model.predict_on_batch(x),
        "predict": model.predict(x, verbose=0),
    }
    for name, value in results.items():
        if _eager_calls(model):  # the plan runs the same engine calls
            np.testing.assert_array_equal(np.asarray(value), expected, err_msg=name)
        else:  # a compiled function (jax, tensorflow, openvino) may fuse and round otherwise
            np.testing.assert_allclose(value, expected, rtol=1e-6, atol=1e-6, err_msg=name)
    if _eager_calls(model):
        # No layer went through `Layer.__call__` (the plan calls each layer's `call`).
        assert seen == [], [layer.name for layer in seen]


def test_predict_on_batch_records_no_gradients_on_torch():
    if keras.backend.backend() != "torch":
        pytest.skip("torch-only: gradient recording")
    import torch

    model = _mlp()
    x = np.ones((2, 6), "float32")
    model.predict_on_batch(x)  # makes the predict function: the next call is the fast one
    seen = []

    class Spy(torch.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            if func is torch.addmm:
                seen.append(torch.is_grad_enabled())
            return func(*args, **(kwargs or {}))

    with Spy():
        model.predict_on_batch(x)
        model.predict(x, verbose=0)
        out = model(x)
    # Two Dense layers: predict_on_batch and predict under no_grad, model(x) records (as
    # Keras 3 does).
    assert seen == [False] * 4 + [True] * 2 and out.requires_grad


def _assert_not_taken(model, x, monkeypatch, outer=None):
    seen = _spy_layer_calls(monkeypatch)
    model(x)
    model.predict_on_batch(x)
    assert (outer or model) in seen


def test_not_taken_for_masks(monkeypatch):
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Embedding(10, 3, mask_zero=True), keras.layers.Dense(2)]
    )
    _assert_not_taken(model, np.array([[1, 2, 0, 0]], "int32"), monkeypatch)


def test_not_taken_for_a_subclass_overriding_call(monkeypatch):
    class Doubled(keras.Model):
        def call(self, inputs):
            return super().call(inputs) * 2.0

    inputs = keras.Input((6,))
    model = Doubled(inputs, keras.layers.Dense(3)(inputs))
    x = np.ones((2, 6), "float32")
    _assert_not_taken(model, x, monkeypatch)
    dense = model.layers[-1]
    expected = 2.0 * (x @ np.asarray(dense.kernel) + np.asarray(dense.bias))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), expected, rtol=1e-6)


def test_not_taken_under_mixed_precision(monkeypatch):
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = _mlp()
    finally:
        keras.mixed_precision.set_global_policy("float32")
    x = np.ones((2, 6), "float32")
    _assert_not_taken(model, x, monkeypatch)
    assert keras.backend.standardize_dtype(model(x).dtype) == "float16"


def test_not_taken_with_an_activity_regularizer(monkeypatch):
    inputs = keras.Input((6,))
    outputs = keras.layers.Dense(3, activity_regularizer="l2")(inputs)
    model = keras.Model(inputs, outputs)
    x = np.ones((2, 6), "float32")
    _assert_not_taken(model, x, monkeypatch)
    assert len(model.losses) == 1


def test_not_taken_inside_another_layers_call_or_on_symbolic_inputs(monkeypatch):
    inner = _mlp()
    symbolic = inner(keras.Input((6,)))  # builds a graph node, not a plan call
    assert isinstance(symbolic, keras.KerasTensor)

    class Outer(keras.layers.Layer):
        def call(self, x, training=None):
            return inner(x)

    x = np.ones((2, 6), "float32")
    expected = _general(inner, x)
    seen = _spy_layer_calls(monkeypatch)
    out = keras.ops.convert_to_numpy(Outer()(x))
    assert inner in seen  # resolved `training` from the outer call's context
    np.testing.assert_array_equal(out, expected)


def test_inputs_that_do_not_fit_the_plan_take_the_general_path(monkeypatch):
    model = _mlp()
    seen = _spy_layer_calls(monkeypatch)
    # float64 data: converted and cast by `Layer.__call__`, as before
    x64 = np.random.default_rng(2).random((2, 6))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(model(x64)), _general(model, x64.astype("float32")), rtol=1e-6
    )
    assert model in seen
    with pytest.raises(ValueError, match="incompatible|expected"):
        model(np.ones((2, 5), "float32"))


def test_later_changes_are_seen():
    model = _mlp()
    x = np.random.default_rng(3).random((2, 6), dtype=np.float32)
    model(x)
    model.predict_on_batch(x)

    def check():
        for value in (keras.ops.convert_to_numpy(model(x)), model.predict_on_batch(x)):
            np.testing.assert_allclose(value, _general(model, x), rtol=1e-6, atol=1e-6)

    model.set_weights([w * 2.0 for w in model.get_weights()])
    check()
    if not _eager_calls(model):
        return  # a compiled function keeps the Python attributes it was traced with (Keras 3)
    model.layers[0].activation = keras.activations.linear
    check()
    if table.backend_info()["training"]:
        model.layers[1].enable_lora(2)
        model.layers[1].lora_kernel_b.assign(np.ones((2, 3), "float32"))
        check()
