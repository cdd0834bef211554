"""`keras.regularizers.OrthogonalRegularizer` against the NumPy formula."""

import json

import numpy as np
import pytest

import unikeras as keras
from unikeras import regularizers


def orthogonal_penalty(w, factor, mode):
    """`factor` times the mean |cosine| between distinct rows (or columns) of `w`."""
    vectors = w if mode == "rows" else w.T
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosines = unit @ unit.T
    n = len(vectors)
    pairs = np.abs(cosines[np.triu_indices(n, k=1)])
    return factor * pairs.mean()


@pytest.mark.parametrize("mode,shape", [("rows", (5, 3)), ("columns", (4, 6)), ("rows", (2, 7))])
def test_matches_numpy(mode, shape):
    w = np.random.default_rng(0).normal(size=shape).astype("float32")
    value = regularizers.OrthogonalRegularizer(factor=0.3, mode=mode)(w)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(value), orthogonal_penalty(w, 0.3, mode), rtol=1e-5
    )


def test_orthogonal_rows_give_zero():
    w = np.linalg.qr(np.random.default_rng(1).normal(size=(6, 6)))[0][:3].astype("float32")
    value = regularizers.OrthogonalRegularizer(1.0)(w)
    assert abs(float(keras.ops.convert_to_numpy(value))) < 1e-6
    columns = regularizers.OrthogonalRegularizer(1.0, mode="columns")(w)
    assert float(keras.ops.convert_to_numpy(columns)) > 0.01


def test_config_get_and_layer_loss():
    regularizer = regularizers.OrthogonalRegularizer(factor=0.2, mode="columns")
    config = regularizer.get_config()
    assert config == {"factor": 0.2, "mode": "columns"}
    json.dumps(regularizers.serialize(regularizer))
    clone = regularizers.deserialize(regularizers.serialize(regularizer))
    assert isinstance(clone, regularizers.OrthogonalRegularizer)
    assert clone.get_config() == config
    default = regularizers.get("orthogonal_regularizer")
    assert default.get_config() == {"factor": 0.01, "mode": "rows"}
    assert isinstance(regularizers.get("OrthogonalRegularizer"), regularizers.OrthogonalRegularizer)

    layer = keras.layers.Dense(3, kernel_regularizer=regularizer)
    layer(np.ones((2, 4), "float32"))
    kernel = keras.ops.convert_to_numpy(layer.kernel.value)
    losses = [float(keras.ops.convert_to_numpy(v)) for v in layer.losses]
    np.testing.assert_allclose(losses, [orthogonal_penalty(kernel, 0.2, "columns")], rtol=1e-5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="factor"):
        regularizers.OrthogonalRegularizer(factor=-1.0)
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2), "float32"))
