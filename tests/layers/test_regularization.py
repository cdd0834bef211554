"""Dropout: identity at inference, Bernoulli mask scaled by 1/(1-rate) in training."""

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


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 4)])
def test_dropout_inference_is_identity(shape):
    x = rand(shape)
    layer = keras.layers.Dropout(0.5, seed=1)
    assert_outputs_close(layer(x), x)
    assert_outputs_close(layer(x, training=False), x)
    check_symbolic_shape(layer, shape[1:], x)


def test_dropout_training_mask_and_scale():
    x = np.ones((200, 50), "float32")
    out = to_numpy(keras.layers.Dropout(0.3, seed=7)(x, training=True))
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-5)
    assert abs(kept.mean() - 0.7) < 0.03


def test_dropout_seeded_reproducible_and_advancing():
    x = np.ones((10, 10), "float32")
    a, b = keras.layers.Dropout(0.5, seed=3), keras.layers.Dropout(0.5, seed=3)
    first_a, first_b = to_numpy(a(x, training=True)), to_numpy(b(x, training=True))
    np.testing.assert_array_equal(first_a, first_b)
    assert not np.array_equal(first_a, to_numpy(a(x, training=True)))


def test_dropout_noise_shape_broadcasts():
    x = np.ones((3, 6, 8), "float32")
    out = to_numpy(keras.layers.Dropout(0.5, noise_shape=(None, 1, 8), seed=2)(x, training=True))
    # The same features are dropped at every timestep.
    np.testing.assert_array_equal(out, np.broadcast_to(out[:, :1, :], out.shape))
    assert (out == 0).any() and (out != 0).any()


def test_dropout_edge_rates():
    x = rand((3, 4))
    assert_outputs_close(keras.layers.Dropout(0.0)(x, training=True), x)
    assert_outputs_close(keras.layers.Dropout(1.0)(x, training=True), np.zeros_like(x))


@pytest.mark.parametrize("rate", [-0.1, 1.5, "a"])
def test_dropout_invalid_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        keras.layers.Dropout(rate)


def test_dropout_config():
    layer = keras.layers.Dropout(0.25, noise_shape=(None, 1), seed=5, name="drop")
    config = layer.get_config()
    assert {k: config[k] for k in ("rate", "noise_shape", "seed", "name")} == {
        "rate": 0.25,
        "noise_shape": (None, 1),
        "seed": 5,
        "name": "drop",
    }
    check_config_roundtrip(layer, rand((2, 3)))
    assert layer.weights == [] and layer.count_params() == 0
