"""Embedding: lookups against NumPy indexing, masking, initial weights, config."""

import warnings

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, check_symbolic_shape, rand

import unikeras as keras


@pytest.mark.parametrize("shape", [(4,), (2, 5), (2, 3, 4)])
@pytest.mark.parametrize("dtype", ["int32", "int64", "float32"])
def test_lookup_matches_numpy(shape, dtype):
    layer = keras.layers.Embedding(10, 3)
    ids = np.random.default_rng(0).integers(0, 10, shape).astype(dtype)
    layer(ids)
    table = rand((10, 3), seed=1)
    layer.set_weights([table])
    out = layer(ids)
    assert keras.ops.convert_to_numpy(out).dtype == np.float32
    assert_outputs_close(out, table[ids.astype("int64")])


def test_weights_defaults_and_config():
    layer = keras.layers.Embedding(20, 4)
    ids = np.arange(6).reshape(2, 3)
    layer(ids)
    assert [w.name for w in layer.weights] == ["embeddings"]
    table = layer.get_weights()[0]
    assert table.shape == (20, 4)
    assert np.all(np.abs(table) <= 0.05) and table.std() > 0
    config = layer.get_config()
    assert config["mask_zero"] is False
    assert config["embeddings_initializer"]["class_name"] == "RandomUniform"
    check_config_roundtrip(layer, ids)
    check_config_roundtrip(
        keras.layers.Embedding(7, 2, mask_zero=True, embeddings_regularizer="l2"), ids
    )
    check_symbolic_shape(keras.layers.Embedding(7, 2), (3,), ids)


def test_mask_zero():
    layer = keras.layers.Embedding(5, 2, mask_zero=True)
    ids = np.array([[1, 0, 3], [0, 0, 4]])
    layer(ids)
    mask = keras.ops.convert_to_numpy(layer.compute_mask(ids))
    np.testing.assert_array_equal(mask, ids != 0)
    assert layer.supports_masking
    assert keras.layers.Embedding(5, 2).compute_mask(ids) is None


def test_initial_weights_and_input_length():
    table = rand((6, 2), seed=3)
    layer = keras.layers.Embedding(6, 2, weights=table)
    assert layer.built
    assert_outputs_close(layer(np.array([5, 0])), table[[5, 0]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.layers.Embedding(6, 2, input_length=3)
    assert any("input_length" in str(w.message) for w in caught)


def test_argument_errors():
    with pytest.raises(ValueError, match="input_dim"):
        keras.layers.Embedding(0, 2)
    with pytest.raises(ValueError, match="output_dim"):
        keras.layers.Embedding(3, -1)
