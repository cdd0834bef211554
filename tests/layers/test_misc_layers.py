"""Masking, Dot, noise/dropout regularizers and activation layers against NumPy."""

import numpy as np
import pytest

import unikeras as keras
from layer_checks import check_config_roundtrip, check_symbolic_shape, rand, to_numpy


def close(actual, expected, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(to_numpy(actual), expected, rtol=rtol, atol=atol)


def check_all(layer, x, expected):
    close(layer(x), expected)
    check_config_roundtrip(layer, x)
    check_symbolic_shape(layer, x.shape[1:], x)


# --- Masking ------------------------------------------------------------------------------


def test_masking():
    x = rand((2, 4, 3))
    x[0, 1] = 0.0
    x[1, 3] = 0.0
    layer = keras.layers.Masking()
    keep = np.any(x != 0, axis=-1)
    check_all(layer, x, x * keep[..., None])
    close(layer.compute_mask(x, None), keep)
    x[1, 0] = 2.5
    layer = keras.layers.Masking(mask_value=2.5)
    close(layer(x), x * np.any(x != 2.5, axis=-1)[..., None])
    symbolic = layer(keras.Input((4, 3)))
    assert tuple(symbolic._keras_mask.shape) == (None, 4)


# --- Dot ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shapes,axes,equation",
    [
        (((3, 4), (3, 4)), 1, "bi,bi->b"),
        (((3, 4), (3, 4)), -1, "bi,bi->b"),
        (((2, 3, 4), (2, 5, 4)), (2, 2), "bij,bkj->bik"),
        (((2, 3, 4), (2, 3, 5)), 1, "bij,bik->bjk"),
        (((2, 3, 4), (2, 4)), (2, 1), "bij,bj->bi"),
    ],
)
@pytest.mark.parametrize("normalize", [False, True])
def test_dot(shapes, axes, equation, normalize):
    x1, x2 = rand(shapes[0], 1), rand(shapes[1], 2)
    ax = axes if isinstance(axes, tuple) else (axes, axes)
    n1, n2 = x1, x2
    if normalize:
        n1 = x1 / np.linalg.norm(x1, axis=ax[0], keepdims=True)
        n2 = x2 / np.linalg.norm(x2, axis=ax[1], keepdims=True)
    expected = np.einsum(equation, n1, n2)
    if expected.ndim == 1:
        expected = expected[:, None]
    layer = keras.layers.Dot(
        axes=list(axes) if isinstance(axes, tuple) else axes, normalize=normalize
    )
    close(layer([x1, x2]), expected, rtol=1e-4, atol=1e-5)
    check_config_roundtrip(layer, [x1, x2])
    check_symbolic_shape(layer, [shapes[0][1:], shapes[1][1:]], [x1, x2])


def test_dot_errors():
    with pytest.raises(ValueError, match="incompatible input shapes"):
        keras.layers.Dot(axes=1)([rand((2, 3)), rand((2, 4))])
    with pytest.raises(ValueError, match="list of 2 inputs"):
        keras.layers.Dot(axes=1)(rand((2, 3)))


# --- Random regularization layers -------------------------------------------------------------


@pytest.mark.parametrize(
    "cls,shape,kwargs,shared",
    [
        (keras.layers.SpatialDropout1D, (4, 50, 6), {}, (1,)),
        (keras.layers.SpatialDropout2D, (4, 10, 5, 6), {}, (1, 2)),
        (keras.layers.SpatialDropout2D, (4, 6, 10, 5), {"data_format": "channels_first"}, (2, 3)),
        (keras.layers.SpatialDropout3D, (2, 4, 3, 5, 6), {}, (1, 2, 3)),
    ],
)
def test_spatial_dropout(cls, shape, kwargs, shared):
    layer = cls(0.5, seed=1, **kwargs)
    x = np.ones(shape, "float32")
    close(layer(x), x)
    out = to_numpy(layer(x, training=True))
    assert set(np.unique(out)) <= {0.0, 2.0} and 0 < out.mean() < 2
    # One decision per (sample, channel), shared over the spatial axes.
    assert np.all(out.min(axis=shared) == out.max(axis=shared))
    check_config_roundtrip(layer, x)
    check_symbolic_shape(layer, shape[1:], x)
    with pytest.raises(ValueError, match=layer.name):
        layer(np.ones((2, 3), "float32"))


def test_gaussian_noise_and_dropout():
    x = np.ones((200, 50), "float32")
    noise = keras.layers.GaussianNoise(0.5, seed=1)
    check_all(noise, x, x)
    diff = to_numpy(noise(x, training=True)) - x
    assert abs(diff.mean()) < 0.02 and abs(diff.std() - 0.5) < 0.02
    drop = keras.layers.GaussianDropout(0.2, seed=1)
    check_all(drop, x, x)
    factor = to_numpy(drop(x, training=True))
    assert abs(factor.mean() - 1) < 0.02 and abs(factor.std() - np.sqrt(0.25)) < 0.02
    for cls, arg in (
        (keras.layers.GaussianNoise, "stddev"),
        (keras.layers.GaussianDropout, "rate"),
    ):
        with pytest.raises(ValueError, match=arg):
            cls(1.5)


def test_alpha_dropout():
    rate = 0.3
    layer = keras.layers.AlphaDropout(rate, seed=2)
    x = rand((300, 40))
    check_all(layer, x, x)
    out = to_numpy(layer(x, training=True))
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    dropped = np.isclose(out, a * alpha_p + b, atol=1e-5)
    assert abs(dropped.mean() - rate) < 0.03
    close(out[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-5)
    # Standard normal inputs keep mean 0 and variance 1 (the point of alpha dropout).
    assert abs(out.mean()) < 0.05 and abs(out.std() - 1) < 0.05
    shared = to_numpy(
        keras.layers.AlphaDropout(0.5, noise_shape=(None, 1), seed=3)(x, training=True)
    )
    a = (0.5 * (1 + 0.5 * alpha_p**2)) ** -0.5
    b = -a * alpha_p * 0.5
    row_dropped = np.isclose(shared, a * alpha_p + b, atol=1e-5).all(axis=1)
    close(shared[~row_dropped], a * x[~row_dropped] + b, rtol=1e-5, atol=1e-5)
    assert 0 < row_dropped.sum() < 300


def test_activity_regularization():
    layer = keras.layers.ActivityRegularization(l1=0.1, l2=0.01)
    x = rand((3, 4))
    check_all(layer, x, x)
    layer(x)
    (loss,) = layer.losses
    # Keras 3 divides an activity penalty by the output's batch size (3 here)
    close(loss, (0.1 * np.abs(x).sum() + 0.01 * (x**2).sum()) / 3, rtol=1e-5)


def test_activity_regularizer_penalty_is_divided_by_the_batch_size():
    # keras.regularizers.Regularizer's docstring example: kernel term 0.25, activity term
    # sum(out**2) * 0.01 / batch = 5.0 (out is 20 everywhere), 5.25 in all, as Keras 3.15.1
    layer = keras.layers.Dense(
        5,
        kernel_initializer="ones",
        kernel_regularizer=keras.regularizers.L1(0.01),
        activity_regularizer=keras.regularizers.L2(0.01),
    )
    layer(np.full((5, 5), 2.0, "float32"))
    kernel_term, activity_term = sorted(float(to_numpy(v)) for v in layer.losses)
    close(kernel_term, 0.25, rtol=1e-6)
    close(activity_term, 5.0, rtol=1e-6)
    # a scalar output is not divided
    scalar = keras.layers.Lambda(lambda t: keras.ops.sum(t), activity_regularizer="l1")
    scalar(np.full((4, 2), 0.5, "float32"))
    close(to_numpy(scalar.losses[0]), 0.01 * 4.0, rtol=1e-6)


# --- Activation layers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"max_value": 1.0},
        {"negative_slope": 0.1},
        {"threshold": 0.5},
        {"max_value": 1.2, "negative_slope": 0.2, "threshold": 0.3},
    ],
)
def test_relu(kwargs):
    x = rand((3, 4, 5)) * 2
    m, s, t = (
        kwargs.get("max_value"),
        kwargs.get("negative_slope", 0.0),
        kwargs.get("threshold", 0.0),
    )
    expected = np.where(x >= t, x, s * (x - t))
    if m is not None:
        expected = np.where(x >= m, m, expected)
    check_all(keras.layers.ReLU(**kwargs), x, expected)


def test_relu_errors():
    for kwargs in ({"max_value": -1}, {"negative_slope": -0.1}, {"threshold": None}):
        with pytest.raises(ValueError, match=list(kwargs)[0]):
            keras.layers.ReLU(**kwargs)


def test_leaky_relu_and_elu():
    x = rand((4, 6))
    check_all(keras.layers.LeakyReLU(), x, np.where(x > 0, x, 0.3 * x))
    check_all(keras.layers.LeakyReLU(negative_slope=0.05), x, np.where(x > 0, x, 0.05 * x))
    assert keras.layers.LeakyReLU(alpha=0.2).negative_slope == 0.2
    with pytest.raises(ValueError, match="negative_slope"):
        keras.layers.LeakyReLU(negative_slope=-1)
    check_all(keras.layers.ELU(), x, np.where(x > 0, x, np.exp(x) - 1))
    check_all(keras.layers.ELU(alpha=0.5), x, np.where(x > 0, x, 0.5 * (np.exp(x) - 1)))


@pytest.mark.parametrize(
    "shape,shared_axes", [((3, 5), None), ((2, 4, 5), [1]), ((2, 3, 4, 5), [1, 2])]
)
def test_prelu(shape, shared_axes):
    layer = keras.layers.PReLU(shared_axes=shared_axes)
    x = rand(shape)
    layer(x)
    alpha_shape = [
        1 if shared_axes and i + 1 in shared_axes else d for i, d in enumerate(shape[1:])
    ]
    assert tuple(layer.weights[0].shape) == tuple(alpha_shape)
    alpha = rand(alpha_shape, 5)
    layer.set_weights([alpha])
    check_all(layer, x, np.where(x > 0, x, alpha * x))
    with pytest.raises(ValueError, match=layer.name):
        layer(rand((2,) + tuple(d + 1 for d in shape[1:])))


def np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 1, (1, 2)])
def test_softmax(axis):
    x = rand((2, 3, 4))
    layer = keras.layers.Softmax(axis=axis)
    check_all(layer, x, np_softmax(x, axis))
    mask = np.random.default_rng(1).random((2, 3, 4)) > 0.3
    mask[..., 0] = mask[:, 0] = True
    expected = np_softmax(np.where(mask, x, -1e9), axis) * mask
    close(layer(x, mask=mask), expected)
