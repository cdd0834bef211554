"""Flatten, Reshape, Permute and RepeatVector against NumPy."""

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, check_symbolic_shape, rand

import unikeras as keras


@pytest.mark.parametrize("shape", [(2,), (2, 3), (2, 3, 4), (2, 3, 4, 5)])
def test_flatten(shape):
    x = rand(shape)
    layer = keras.layers.Flatten()
    assert_outputs_close(layer(x), x.reshape(shape[0], -1))
    check_symbolic_shape(keras.layers.Flatten(), shape[1:], x)
    check_config_roundtrip(layer, x)


def test_flatten_channels_first_moves_channels_last():
    x = rand((2, 3, 4, 5))
    layer = keras.layers.Flatten(data_format="channels_first")
    assert_outputs_close(layer(x), np.transpose(x, (0, 2, 3, 1)).reshape(2, -1))
    assert layer.get_config()["data_format"] == "channels_first"
    assert keras.layers.Flatten().get_config()["data_format"] == "channels_last"


def test_flatten_unknown_dims():
    assert keras.layers.Flatten()(keras.Input((None, 4))).shape == (None, None)


@pytest.mark.parametrize(
    "shape,target,expected",
    [
        ((2, 12), (3, 4), (2, 3, 4)),
        ((2, 3, 4), (-1,), (2, 12)),
        ((2, 3, 4), (2, -1), (2, 2, 6)),
        ((3, 2, 2, 2), (8, 1), (3, 8, 1)),
    ],
)
def test_reshape(shape, target, expected):
    x = rand(shape)
    layer = keras.layers.Reshape(target)
    assert_outputs_close(layer(x), x.reshape(expected))
    check_symbolic_shape(keras.layers.Reshape(target), shape[1:], x)
    check_config_roundtrip(layer, x)
    assert layer.get_config()["target_shape"] == target


def test_reshape_unknown_input_dims():
    assert keras.layers.Reshape((-1, 2))(keras.Input((None, 4))).shape == (None, None, 2)


def test_reshape_errors():
    with pytest.raises(ValueError, match='"bad".*target_shape'):
        keras.layers.Reshape((-1, -1), name="bad")
    with pytest.raises(ValueError, match=r'"rs".*\(2, 5\).*target_shape=\(3, 2\)'):
        keras.layers.Reshape((3, 2), name="rs")(rand((2, 5)))
    with pytest.raises(ValueError, match="total size"):
        keras.layers.Reshape((-1, 3))(keras.Input((4,)))


@pytest.mark.parametrize(
    "shape,dims",
    [
        ((2, 3, 4), (2, 1)),
        ((2, 3, 4, 5), (3, 1, 2)),
        ((2, 3), (1,)),
    ],
)
def test_permute(shape, dims):
    x = rand(shape)
    layer = keras.layers.Permute(dims)
    assert_outputs_close(layer(x), np.transpose(x, (0,) + dims))
    check_symbolic_shape(keras.layers.Permute(dims), shape[1:], x)
    check_config_roundtrip(layer, x)


def test_permute_errors():
    with pytest.raises(ValueError, match="dims"):
        keras.layers.Permute((0, 1))
    with pytest.raises(ValueError, match="dims"):
        keras.layers.Permute((1, 3))
    with pytest.raises(ValueError, match=r'"perm".*expected ndim=3.*ndim=2'):
        keras.layers.Permute((2, 1), name="perm")(rand((2, 3)))


@pytest.mark.parametrize("n", [1, 3])
def test_repeat_vector(n):
    x = rand((4, 5))
    layer = keras.layers.RepeatVector(n)
    assert_outputs_close(layer(x), np.repeat(x[:, None, :], n, axis=1))
    check_symbolic_shape(keras.layers.RepeatVector(n), (5,), x)
    check_config_roundtrip(layer, x)


def test_repeat_vector_errors():
    with pytest.raises(TypeError, match="n"):
        keras.layers.RepeatVector(2.5)
    with pytest.raises(ValueError, match=r'"rv".*expected ndim=2.*ndim=3'):
        keras.layers.RepeatVector(2, name="rv")(rand((2, 3, 4)))
