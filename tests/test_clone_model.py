"""`keras.models.clone_model` with Keras 3's semantics for Sequential, Functional and
subclassed models: new layers and weights, `input_tensors`, `clone_function`,
`call_function`, `recursive`, shared layers, compiled clones."""

import inspect

import numpy as np
import pytest

import unikeras as keras
from unikeras import ops
from unikeras.backend import table

TRAINING = table.backend_info()["training"]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _x(shape=(4, 5), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _copy_and_compare(original, clone, x):
    """Clones have fresh weights; with the original's weights they compute the same."""
    assert all(a is not b for a, b in zip(original.weights, clone.weights))
    clone.set_weights(original.get_weights())
    np.testing.assert_allclose(_np(clone(x)), _np(original(x)), rtol=1e-5, atol=1e-6)


def test_signature_matches_keras():
    parameters = inspect.signature(keras.models.clone_model).parameters
    assert list(parameters)[:6] == [
        "model",
        "input_tensors",
        "clone_function",
        "call_function",
        "recursive",
        "kwargs",
    ]
    assert parameters["recursive"].default is False


def test_sequential_clone():
    model = keras.Sequential(
        [
            keras.Input((5,), name="inp"),
            keras.layers.Dense(4),
            keras.layers.Dropout(0.1),
            keras.layers.Dense(2),
        ],
        name="seq",
    )
    clone = keras.models.clone_model(model)
    assert type(clone) is keras.Sequential and clone.name == "seq"
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Dropout", "Dense"]
    assert all(a is not b for a, b in zip(model.layers, clone.layers))
    assert clone.input_shape == (None, 5)
    _copy_and_compare(model, clone, _x())
    with pytest.raises(ValueError, match="call_function"):
        keras.models.clone_model(model, call_function=lambda layer, *a, **k: layer(*a, **k))


def test_sequential_clone_on_input_tensors_and_clone_function():
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="relu")])
    new_input = keras.Input((5,), name="fresh")
    seen = []

    def clone_function(layer):
        seen.append(layer.name)
        config = layer.get_config()
        config["units"] = 7
        return type(layer).from_config(config)

    clone = keras.models.clone_model(
        model, input_tensors=[new_input], clone_function=clone_function
    )
    assert seen == [model.layers[0].name]
    assert clone.output_shape == (None, 7)
    with pytest.raises(ValueError, match="single tensor"):
        keras.models.clone_model(model, input_tensors=[new_input, new_input])
    with pytest.raises(ValueError, match="KerasTensor"):
        keras.models.clone_model(model, input_tensors=np.zeros((1, 5)))


def test_functional_clone_multi_io_and_shared_layer():
    a = keras.Input((5,), name="a")
    b = keras.Input((5,), name="b")
    shared = keras.layers.Dense(3, name="shared")
    merged = keras.layers.Concatenate()([shared(a), shared(b)])
    out1 = keras.layers.Dense(2, name="head1")(merged)
    out2 = ops.sum(merged, axis=-1, keepdims=True)
    model = keras.Model([a, b], [out1, out2], name="multi")
    clone = keras.models.clone_model(model)
    assert type(clone).__name__ == "Functional" and clone.name == "multi"
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    cloned_shared = [layer for layer in clone.layers if layer.name == "shared"]
    assert len(cloned_shared) == 1 and cloned_shared[0] is not shared
    assert len(clone.weights) == len(model.weights)  # the shared layer is cloned once
    clone.set_weights(model.get_weights())
    x = [_x(seed=1), _x(seed=2)]
    for got, want in zip(clone(x), model(x)):
        np.testing.assert_allclose(_np(got), _np(want), rtol=1e-5, atol=1e-6)


def test_functional_clone_function_sharing_and_call_function():
    inputs = keras.Input((5,))
    x = keras.layers.Dense(4, name="d1")(inputs)
    outputs = keras.layers.Dense(2, name="d2")(x)
    model = keras.Model(inputs, outputs)

    def call_function(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        if isinstance(layer, keras.layers.Dense):
            out = keras.layers.Activation("relu")(out)
        return out

    clone = keras.models.clone_model(
        model, clone_function=lambda layer: layer, call_function=call_function
    )
    assert [type(layer).__name__ for layer in clone.layers] == [
        "InputLayer",
        "Dense",
        "Activation",
        "Dense",
        "Activation",
    ]
    assert clone.layers[1] is model.layers[1] and clone.layers[3] is model.layers[2]
    data = _x(seed=3)
    d1, d2 = model.layers[1], model.layers[2]
    hidden = np.maximum(data @ d1.kernel.numpy() + d1.bias.numpy(), 0)
    expected = np.maximum(hidden @ d2.kernel.numpy() + d2.bias.numpy(), 0)
    np.testing.assert_allclose(_np(clone(data)), expected, rtol=1e-5, atol=1e-6)


def test_functional_clone_on_input_tensors():
    inputs = keras.Input((5,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    new_inputs = keras.Input((5,), name="other")
    clone = keras.models.clone_model(model, input_tensors=new_inputs)
    assert clone.inputs[0] is new_inputs
    _copy_and_compare(model, clone, _x(seed=4))
    with pytest.raises(ValueError, match="same structure"):
        keras.models.clone_model(model, input_tensors=[new_inputs, keras.Input((5,))])


def test_recursive_clone_of_inner_models():
    inner = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3)], name="inner")
    inputs = keras.Input((5,))
    outputs = keras.layers.Dense(2)(inner(inputs))
    model = keras.Model(inputs, outputs)
    cloned_names = []

    def clone_function(layer):
        cloned_names.append(layer.name)
        return type(layer).from_config(layer.get_config())

    keras.models.clone_model(model, clone_function=clone_function)
    assert "inner" in cloned_names  # not recursive: the inner model is cloned whole
    cloned_names.clear()
    clone = keras.models.clone_model(model, clone_function=clone_function, recursive=True)
    assert "inner" not in cloned_names and inner.layers[0].name in cloned_names
    assert type(clone.layers[1]) is keras.Sequential and clone.layers[1] is not inner
    _copy_and_compare(model, clone, _x(seed=5))


def test_subclassed_model_clone():
    @keras.saving.register_keras_serializable(package="TestClone")
    class Sub(keras.Model):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.dense = keras.layers.Dense(units)

        def call(self, x):
            return self.dense(x)

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    model = Sub(units=4)
    model(_x())
    clone = keras.models.clone_model(model)
    assert type(clone) is Sub and clone.units == 4
    with pytest.raises(ValueError, match="clone_function"):
        keras.models.clone_model(model, clone_function=lambda layer: layer)
    with pytest.raises(ValueError, match="call_function"):
        keras.models.clone_model(model, call_function=lambda layer, *a, **k: layer(*a, **k))
    with pytest.raises(ValueError, match="Unexpected keyword"):
        keras.models.clone_model(model, bogus=1)


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: compile/fit raise by design")
def test_compiled_model_clone_is_compiled():
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    clone = keras.models.clone_model(model)
    assert clone.compiled
    assert type(clone.optimizer) is keras.optimizers.SGD and clone.optimizer is not model.optimizer
    history = clone.fit(_x((8, 5)), _x((8, 1)), epochs=1, verbose=0)
    assert "mae" in history.history
