"""Activation, Identity and Lambda against NumPy; config round-trips; Lambda safe mode."""

import json

import numpy as np
import pytest
from layer_checks import (
    assert_outputs_close,
    check_config_roundtrip,
    check_symbolic_shape,
    rand,
    to_numpy,
)

import unikeras as keras
from unikeras import ops


@pytest.mark.parametrize("shape", [(2, 5), (3, 4, 2), (1, 2, 3, 4)])
@pytest.mark.parametrize(
    "name,fn",
    [
        ("relu", lambda x: np.maximum(x, 0)),
        ("tanh", np.tanh),
        ("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
        ("linear", lambda x: x),
    ],
)
def test_activation(shape, name, fn):
    x = rand(shape, seed=1)
    layer = keras.layers.Activation(name)
    assert_outputs_close(layer(x), fn(x))
    assert layer.get_config()["activation"] == name
    check_config_roundtrip(layer, x)
    check_symbolic_shape(keras.layers.Activation(name), shape[1:], x)
    assert layer.count_params() == 0


def test_activation_callable_and_masking():
    layer = keras.layers.Activation(keras.activations.softmax)
    x = rand((2, 3))
    e = np.exp(x - x.max(-1, keepdims=True))
    assert_outputs_close(layer(x), e / e.sum(-1, keepdims=True))
    assert layer.supports_masking


@pytest.mark.parametrize("shape", [(2, 3), (4, 2, 3)])
def test_identity(shape):
    x = rand(shape)
    layer = keras.layers.Identity()
    assert_outputs_close(layer(x), x)
    check_config_roundtrip(layer, x)
    check_symbolic_shape(keras.layers.Identity(), shape[1:], x)


def test_identity_nested():
    a, b = rand((2, 3)), rand((2, 4), seed=1)
    out = keras.layers.Identity()({"a": a, "b": b})
    assert_outputs_close(out, {"a": a, "b": b})
    sym = keras.layers.Identity()([keras.Input((3,)), keras.Input((4,))])
    assert [s.shape for s in sym] == [(None, 3), (None, 4)]


def double(x):
    return x * 2.0


def test_lambda_values_and_arguments():
    x = rand((3, 4))
    assert_outputs_close(keras.layers.Lambda(lambda t: ops.square(t))(x), x**2)
    scaled = keras.layers.Lambda(lambda t, k: t * k, arguments={"k": 3.0})
    assert_outputs_close(scaled(x), x * 3.0)
    assert keras.layers.Lambda(double).count_params() == 0


@pytest.mark.parametrize("shape", [(2, 6), (3, 2, 6)])
def test_lambda_symbolic_shape_inferred(shape):
    x = rand(shape)
    layer = keras.layers.Lambda(lambda t: ops.sum(t, axis=-1, keepdims=True))
    out = check_symbolic_shape(layer, shape[1:], x)
    assert out.shape == (None,) + shape[1:-1] + (1,)


def test_lambda_output_shape_tuple_and_callable():
    layer = keras.layers.Lambda(lambda t: t[:, :2], output_shape=(2,))
    assert layer(keras.Input((5,))).shape == (None, 2)
    assert layer.compute_output_shape((7, 5)) == (7, 2)
    fn_shape = keras.layers.Lambda(lambda t: t[:, :2], output_shape=lambda s: (s[0], 2))
    assert fn_shape(keras.Input((5,))).shape == (None, 2)


def test_lambda_multiple_inputs():
    a, b = rand((2, 3)), rand((2, 3), seed=2)
    layer = keras.layers.Lambda(lambda xs: xs[0] * xs[1])
    assert_outputs_close(layer([a, b]), a * b)
    assert layer([keras.Input((3,)), keras.Input((3,))]).shape == (None, 3)


def test_lambda_mask_and_training_forwarded():
    seen = {}

    def fn(x, mask=None, training=None):
        seen["training"] = training
        return x

    layer = keras.layers.Lambda(fn, mask=lambda inputs, mask: ops.ones((2,), dtype="bool"))
    layer(rand((2, 3)), training=True)
    assert seen["training"] is True
    assert layer.supports_masking
    assert to_numpy(layer.compute_mask(rand((2, 3)), None)).tolist() == [True, True]


def test_lambda_named_function_stored_by_name():
    layer = keras.layers.Lambda(keras.activations.relu)
    config = layer.get_config()
    json.dumps(config)
    assert config["function"]["class_name"] == "function"
    assert config["function"]["config"] == "relu"
    clone = keras.layers.Lambda.from_config(config)  # no code executed: safe by default
    x = rand((2, 3))
    assert_outputs_close(clone(x), np.maximum(x, 0))


def test_lambda_registered_function_stored_by_name():
    @keras.saving.register_keras_serializable(package="D1Test")
    def triple(x):
        return x * 3.0

    config = keras.layers.Lambda(triple).get_config()
    assert config["function"]["registered_name"] == "D1Test>triple"
    clone = keras.layers.Lambda.from_config(config)
    assert clone.function is triple


def _lambda_config():
    offset = 1.5
    layer = keras.layers.Lambda(lambda t, scale=2.0: t * scale + offset, output_shape=(3,))
    return layer, layer.get_config()


def test_lambda_bytecode_refused_in_safe_mode():
    _, config = _lambda_config()
    json.dumps(config)
    assert config["function"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="safe_mode=False") as info:
        keras.layers.Lambda.from_config(config)
    assert "enable_unsafe_deserialization" in str(info.value)
    with pytest.raises(ValueError, match="arbitrary code"):
        keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(keras.layers.Lambda(lambda t: t))
        )


def test_lambda_bytecode_loads_when_unsafe_allowed():
    layer, config = _lambda_config()
    x = rand((2, 3))
    clone = keras.layers.Lambda.from_config(json.loads(json.dumps(config)), safe_mode=False)
    assert_outputs_close(clone(x), to_numpy(layer(x)))
    assert_outputs_close(clone(x), x * 2.0 + 1.5)
    assert clone(keras.Input((3,))).shape == (None, 3)


def test_lambda_local_def_uses_bytecode():
    def local(t):
        return ops.abs(t)

    config = keras.layers.Lambda(local).get_config()
    assert config["function"]["class_name"] == "__lambda__"
    clone = keras.layers.Lambda.from_config(config, safe_mode=False)
    x = rand((2, 3))
    assert_outputs_close(clone(x), np.abs(x))


def test_lambda_rejects_non_callable():
    with pytest.raises(ValueError, match="callable"):
        keras.layers.Lambda(3)


def test_lambda_public_op_stored_by_name():
    config = keras.layers.Lambda(ops.abs).get_config()
    assert config["function"]["class_name"] == "function"
    assert config["function"]["config"] == "abs"
