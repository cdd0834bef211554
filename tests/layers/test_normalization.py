"""LayerNormalization, BatchNormalization and Normalization against NumPy statistics."""

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, check_symbolic_shape, rand

import unikeras as keras


def _randomize(layer, seed=11, positive=()):
    """Random weights; the weights named in `positive` get positive values (variances)."""
    values = []
    for i, w in enumerate(layer.weights):
        value = rand(w.shape, seed=seed + i)
        values.append(np.abs(value) + 0.5 if w.name in positive else value)
    layer.set_weights(values)
    return {w.name: v for w, v in zip(layer.weights, values)}


# --- LayerNormalization ---------------------------------------------------------------------


def reference_layer_norm(x, axes, gamma, beta, epsilon, rms_scaling=False):
    x = x.astype(np.float64)
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    centered = x if rms_scaling else x - mean
    out = centered / np.sqrt(var + epsilon)
    if gamma is not None:
        out = out * gamma.reshape(shape)
    if beta is not None:
        out = out + beta.reshape(shape)
    return out.astype(np.float32)


@pytest.mark.parametrize(
    "shape,axis",
    [
        ((3, 5), -1),
        ((2, 4, 6), -1),
        ((2, 4, 6), 1),
        ((2, 3, 4, 5), [1, 3]),
        ((2, 3, 4), [-2, -1]),
    ],
)
@pytest.mark.parametrize(
    "center,scale,rms",
    [
        (True, True, False),
        (False, True, False),
        (True, False, False),
        (True, True, True),
    ],
)
def test_layer_normalization(shape, axis, center, scale, rms):
    x = rand(shape, seed=1) * 3 + 1
    layer = keras.layers.LayerNormalization(
        axis=axis, center=center, scale=scale, rms_scaling=rms, epsilon=1e-2
    )
    layer(x)
    weights = _randomize(layer)
    axes = tuple(a % len(shape) for a in (axis if isinstance(axis, list) else [axis]))
    expected = reference_layer_norm(x, axes, weights.get("gamma"), weights.get("beta"), 1e-2, rms)
    assert_outputs_close(layer(x), expected, rtol=1e-4, atol=1e-5)
    check_config_roundtrip(layer, x)
    check_symbolic_shape(keras.layers.LayerNormalization(axis=axis), shape[1:], x)


def test_layer_normalization_defaults_and_weights():
    layer = keras.layers.LayerNormalization()
    config = layer.get_config()
    assert config["epsilon"] == 1e-3 and config["axis"] == -1
    assert config["center"] and config["scale"] and not config["rms_scaling"]
    layer(rand((2, 4)))
    assert [w.name for w in layer.weights] == ["gamma", "beta"]
    np.testing.assert_array_equal(layer.get_weights()[0], np.ones(4))
    rms = keras.layers.LayerNormalization(rms_scaling=True)
    rms(rand((2, 4)))
    assert [w.name for w in rms.weights] == ["gamma"]
    with pytest.raises(TypeError, match="axis"):
        keras.layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match=r'"ln".*axis'):
        keras.layers.LayerNormalization(axis=3, name="ln")(rand((2, 4)))


# --- BatchNormalization ---------------------------------------------------------------------


def _bn_reference(x, axis, mean, var, gamma, beta, epsilon):
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    out = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + epsilon)
    return out * gamma.reshape(shape) + beta.reshape(shape)


@pytest.mark.parametrize("shape,axis", [((4, 3), -1), ((3, 5, 4), -1), ((2, 3, 4, 4), 1)])
def test_batch_normalization_inference(shape, axis):
    x = rand(shape, seed=2)
    layer = keras.layers.BatchNormalization(axis=axis)
    layer(x)
    w = _randomize(layer, positive=("moving_variance",))
    expected = _bn_reference(
        x, axis, w["moving_mean"], w["moving_variance"], w["gamma"], w["beta"], 1e-3
    )
    assert_outputs_close(layer(x), expected, rtol=1e-4, atol=1e-5)
    assert_outputs_close(layer(x, training=False), expected, rtol=1e-4, atol=1e-5)
    check_config_roundtrip(layer, x)
    check_symbolic_shape(keras.layers.BatchNormalization(axis=axis), shape[1:], x)


@pytest.mark.parametrize("shape,axis", [((6, 3), -1), ((2, 3, 4, 5), 1), ((3, 4, 2), 2)])
def test_batch_normalization_training_updates_moving_statistics(shape, axis):
    x = rand(shape, seed=3) * 2 + 1
    layer = keras.layers.BatchNormalization(axis=axis, momentum=0.9, epsilon=1e-2)
    layer(x)
    w = _randomize(layer, positive=("moving_variance",))
    reduce = tuple(a for a in range(x.ndim) if a != axis % x.ndim)
    mean, var = x.mean(axis=reduce), x.var(axis=reduce)
    expected = _bn_reference(x, axis, mean, var, w["gamma"], w["beta"], 1e-2)
    assert_outputs_close(layer(x, training=True), expected, rtol=1e-4, atol=1e-5)
    moving_mean, moving_variance = layer.get_weights()[2:]
    np.testing.assert_allclose(moving_mean, w["moving_mean"] * 0.9 + mean * 0.1, rtol=1e-5)
    np.testing.assert_allclose(moving_variance, w["moving_variance"] * 0.9 + var * 0.1, rtol=1e-5)
    layer.trainable = False
    layer(x, training=True)  # frozen: inference mode, no update
    np.testing.assert_allclose(layer.get_weights()[2], moving_mean)


def test_batch_normalization_training_flag_reaches_layer_in_model():
    inputs = keras.Input((3,))
    layer = keras.layers.BatchNormalization(momentum=0.5)
    model = keras.Model(inputs, layer(inputs))
    x = rand((8, 3), seed=9) + 2
    model(x)
    np.testing.assert_array_equal(layer.get_weights()[2], np.zeros(3))
    model(x, training=True)
    np.testing.assert_allclose(layer.get_weights()[2], x.mean(0) * 0.5, rtol=1e-5)


def test_batch_normalization_training_with_mask():
    x = rand((2, 5, 3), seed=4)
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 0]], bool)
    layer = keras.layers.BatchNormalization(center=False, scale=False, momentum=0.0)
    layer(x, training=True, mask=mask)
    kept = x[mask]
    np.testing.assert_allclose(layer.get_weights()[0], kept.mean(0), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(layer.get_weights()[1], kept.var(0), rtol=1e-4, atol=1e-6)


def test_batch_normalization_defaults_weights_and_errors():
    layer = keras.layers.BatchNormalization()
    config = layer.get_config()
    assert (config["axis"], config["momentum"], config["epsilon"]) == (-1, 0.99, 1e-3)
    layer(rand((2, 3)))
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    np.testing.assert_array_equal(layer.get_weights()[3], np.ones(3))
    bare = keras.layers.BatchNormalization(center=False, scale=False)
    bare(rand((2, 3)))
    assert [w.name for w in bare.weights] == ["moving_mean", "moving_variance"]
    with pytest.raises(ValueError, match=r'"bn".*axis -1.*value 3'):
        bn = keras.layers.BatchNormalization(name="bn")
        bn(rand((2, 3)))
        bn(rand((2, 4)))


# --- Normalization (preprocessing) ----------------------------------------------------------


@pytest.mark.parametrize(
    "shape,axis",
    [
        ((20, 3), -1),
        ((10, 4, 3), -1),
        ((10, 4, 3), (1, 2)),
        ((10, 4, 3), 1),
        ((12, 2), None),
    ],
)
def test_normalization_adapt(shape, axis):
    data = rand(shape, seed=5) * 4 + 2
    layer = keras.layers.Normalization(axis=axis)
    layer.adapt(data)
    keep = () if axis is None else tuple(a % len(shape) for a in np.atleast_1d(axis))
    reduce = tuple(a for a in range(len(shape)) if a not in keep)
    mean = data.mean(axis=reduce, keepdims=True)
    std = data.std(axis=reduce, keepdims=True)
    assert_outputs_close(layer(data), (data - mean) / std, rtol=1e-4, atol=1e-5)
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert layer.trainable_weights == []
    check_config_roundtrip(layer, data)
    check_symbolic_shape(layer, shape[1:], data)


def test_normalization_adapt_from_batches_equals_full_data():
    data = rand((30, 4), seed=6) * 3 - 1
    full = keras.layers.Normalization()
    full.adapt(data)
    batched = keras.layers.Normalization()
    batched.adapt([data[:7], data[7:20], data[20:]])
    np.testing.assert_allclose(batched.get_weights()[0], data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(batched.get_weights()[1], data.var(0), rtol=1e-5)
    assert_outputs_close(batched(data), full(data), rtol=1e-5, atol=1e-5)


def test_normalization_fixed_statistics_and_invert():
    x = np.array([[1.0], [2.0], [3.0]], "float32")
    layer = keras.layers.Normalization(mean=3.0, variance=2.0)
    assert_outputs_close(layer(x), (x - 3) / np.sqrt(2))
    assert layer.weights == []
    check_config_roundtrip(layer, x)
    per_feature = keras.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    y = rand((3, 2), seed=7)
    assert_outputs_close(per_feature(y), (y - [1, 2]) / [2, 3])
    inverse = keras.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], invert=True)
    assert_outputs_close(inverse(per_feature(y)), y, rtol=1e-5, atol=1e-6)


def test_normalization_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        keras.layers.Normalization(mean=1.0)
    layer = keras.layers.Normalization(axis=-1, name="norm")
    layer.adapt(rand((5, 3)))
    with pytest.raises(ValueError, match=r'"norm".*incompatible shape'):
        layer.adapt(rand((5, 4)))
    with pytest.raises(ValueError, match=r'"norm2".*axis'):
        keras.layers.Normalization(axis=2, name="norm2").adapt(rand((5, 3)))
