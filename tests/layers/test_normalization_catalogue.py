"""`GroupNormalization`, `UnitNormalization`, `SpectralNormalization` against NumPy."""

import numpy as np
import pytest

import unikeras as keras
from layer_checks import check_config_roundtrip, check_symbolic_shape, rand, to_numpy


def close(actual, expected, rtol=1e-4, atol=1e-5):
    np.testing.assert_allclose(to_numpy(actual), expected, rtol=rtol, atol=atol)


def np_group_norm(x, groups, axis, gamma, beta, epsilon=1e-3):
    x = np.moveaxis(x, axis, -1)
    shape = x.shape
    grouped = x.reshape(shape[0], -1, groups, shape[-1] // groups)
    mean = grouped.mean(axis=(1, 3), keepdims=True)
    var = grouped.var(axis=(1, 3), keepdims=True)
    out = ((grouped - mean) / np.sqrt(var + epsilon)).reshape(shape) * gamma + beta
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize(
    "shape,groups,axis",
    [
        ((2, 6), 3, -1),
        ((2, 5, 8), 4, -1),
        ((2, 3, 4, 6), 2, -1),
        ((2, 6, 3, 4), 3, 1),
        ((3, 4, 4), -1, -1),
    ],
)
def test_group_normalization(shape, groups, axis):
    layer = keras.layers.GroupNormalization(groups=groups, axis=axis)
    x = rand(shape) * 3 + 1
    layer(x)
    gamma, beta = rand(layer.weights[0].shape, 1), rand(layer.weights[1].shape, 2)
    layer.set_weights([gamma, beta])
    g = shape[axis] if groups == -1 else groups
    close(layer(x), np_group_norm(x, g, axis, gamma, beta))
    check_config_roundtrip(layer, x)
    check_symbolic_shape(layer, shape[1:], x)


def test_group_normalization_without_affine_and_errors():
    x = rand((2, 4, 6))
    layer = keras.layers.GroupNormalization(groups=2, center=False, scale=False, epsilon=1e-5)
    assert layer(x) is not None and layer.weights == []
    close(layer(x), np_group_norm(x, 2, -1, 1.0, 0.0, 1e-5))
    with pytest.raises(ValueError, match="cannot be more than"):
        keras.layers.GroupNormalization(groups=8)(x)
    with pytest.raises(ValueError, match="divide"):
        keras.layers.GroupNormalization(groups=4)(x)
    layer = keras.layers.GroupNormalization(groups=2)
    layer(x)
    with pytest.raises(ValueError, match=layer.name):
        layer(rand((2, 4, 8)))


@pytest.mark.parametrize("shape,axis", [((3, 5), -1), ((2, 3, 4), 1), ((2, 3, 4), [1, 2])])
def test_unit_normalization(shape, axis):
    layer = keras.layers.UnitNormalization(axis=axis)
    x = rand(shape)
    axes = tuple(axis) if isinstance(axis, list) else axis
    close(layer(x), x / np.sqrt((x**2).sum(axis=axes, keepdims=True)))
    check_config_roundtrip(layer, x)
    check_symbolic_shape(layer, shape[1:], x)
    close(layer(np.zeros(shape, "float32")), np.zeros(shape))


def np_spectral(kernel, u, iterations):
    w = kernel.reshape(-1, kernel.shape[-1])
    for _ in range(iterations):
        v = u @ w.T
        v = v / np.linalg.norm(v)
        u = v @ w
        u = u / np.linalg.norm(u)
    sigma = (v @ w @ u.T).item()
    return u, kernel / sigma


@pytest.mark.parametrize("iterations", [1, 3])
def test_spectral_normalization_dense(iterations):
    layer = keras.layers.SpectralNormalization(keras.layers.Dense(4), power_iterations=iterations)
    x = rand((3, 5))
    layer(x)
    names = [w.path.split("/")[-1] for w in layer.weights]
    assert names == ["vector_u", "kernel", "bias"]
    u, kernel, bias = rand((1, 4), 1), rand((5, 4), 2), rand((4,), 3)
    layer.set_weights([u, kernel, bias])
    close(layer(x), x @ kernel + bias)  # inference: the kernel is used as is
    new_u, new_kernel = np_spectral(kernel, u, iterations)
    close(layer(x, training=True), x @ new_kernel + bias)
    close(layer.weights[0].numpy(), new_u)
    close(layer.weights[1].numpy(), new_kernel)
    check_symbolic_shape(layer, (5,), x)


def test_spectral_normalization_conv_config_and_errors():
    layer = keras.layers.SpectralNormalization(keras.layers.Conv1D(3, 2))
    x = rand((2, 6, 4))
    layer(x)
    u, kernel, bias = rand((1, 3), 1), rand((2, 4, 3), 2), rand((3,), 3)
    layer.set_weights([u, kernel, bias])
    layer(x, training=True)
    close(layer.weights[1].numpy(), np_spectral(kernel, u, 1)[1])
    check_config_roundtrip(layer, x)
    with pytest.raises(ValueError, match="power_iterations"):
        keras.layers.SpectralNormalization(keras.layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="kernel"):
        keras.layers.SpectralNormalization(keras.layers.Flatten())(x)
