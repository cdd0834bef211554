"""Rescaling against NumPy."""

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


@pytest.mark.parametrize("shape", [(2, 3), (2, 4, 4, 3)])
@pytest.mark.parametrize("scale,offset", [(1 / 255, 0.0), (1 / 127.5, -1.0), (2.0, 0.5)])
def test_rescaling(shape, scale, offset):
    x = rand(shape) * 100
    layer = keras.layers.Rescaling(scale, offset=offset)
    assert_outputs_close(layer(x), x * np.float32(scale) + np.float32(offset), rtol=1e-5)
    check_symbolic_shape(keras.layers.Rescaling(scale, offset), shape[1:], x)
    check_config_roundtrip(layer, x)


def test_rescaling_int_input_gives_compute_dtype():
    x = np.arange(6, dtype="int32").reshape(2, 3)
    out = keras.layers.Rescaling(0.5)(x)
    assert keras.backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(to_numpy(out), x * 0.5)
    sym = keras.layers.Rescaling(0.5)(keras.Input((3,), dtype="int32"))
    assert sym.dtype == "float32"


def test_rescaling_per_channel():
    x = rand((2, 4, 3))
    scale, offset = [1.0, 2.0, 3.0], (0.0, 1.0, -1.0)
    layer = keras.layers.Rescaling(scale, offset)
    assert_outputs_close(layer(x), x * np.array(scale, "float32") + np.array(offset, "float32"))
    clone = check_config_roundtrip(layer, x)
    assert tuple(clone.offset) == offset
