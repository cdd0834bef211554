"""`"int"` (and the Python type `int`) as a dtype means Keras 3.15.1's integer width on each
backend everywhere a dtype is accepted: int64 on TensorFlow, int32 on jax (with or without
x64), torch and numpy (Keras 3.15.1's `standardize_dtype("int")`, checked under each of
jax, torch, tensorflow and numpy). Python ints as values stay weakly typed (int32)."""

import numpy as np
import pytest

import unikeras as keras
from unikeras import ops

# keras/src/backend/common/dtypes.py PYTHON_DTYPES_MAP in Keras 3.15.1.
KERAS3_INT = "int64" if keras.backend.backend() == "tensorflow" else "int32"


def _dtype(x):
    return keras.backend.standardize_dtype(x.dtype)


@pytest.mark.parametrize("alias", ["int", int], ids=["str", "type"])
def test_int_alias_everywhere(alias):
    assert keras.backend.standardize_dtype(alias) == KERAS3_INT
    assert keras.utils.standardize_dtype(alias) == KERAS3_INT
    assert keras.Variable(np.array([1, 2]), dtype=alias, trainable=False).dtype == KERAS3_INT
    assert _dtype(ops.zeros((2,), dtype=alias)) == KERAS3_INT
    assert _dtype(ops.ones((2,), dtype=alias)) == KERAS3_INT
    assert _dtype(ops.arange(3, dtype=alias)) == KERAS3_INT
    assert _dtype(ops.full((2,), 7, dtype=alias)) == KERAS3_INT
    casted = ops.cast(np.array([1.7, -2.2], "float32"), alias)
    assert _dtype(casted) == KERAS3_INT
    np.testing.assert_array_equal(ops.convert_to_numpy(casted), [1, -2])
    assert _dtype(ops.convert_to_tensor([1, 2], dtype=alias)) == KERAS3_INT
    assert keras.Input((2,), dtype=alias).dtype == KERAS3_INT
    assert keras.KerasTensor((2,), dtype=alias).dtype == KERAS3_INT
    layer = keras.layers.Layer()
    assert layer.add_weight(shape=(), dtype=alias, initializer="zeros").dtype == KERAS3_INT


def test_python_int_values_stay_weak():
    # Keras 3.15.1 on every backend: a Python int is weakly typed (int32), not "int".
    assert keras.backend.result_type(int, int) == "int32"
    assert _dtype(ops.convert_to_tensor(5)) == "int32"
    assert keras.Variable(3, trainable=False).dtype == "int32"
    assert keras.backend.standardize_dtype("int64") == "int64"
    assert keras.backend.standardize_dtype(np.int32) == "int32"


def test_unknown_aliases_are_refused():
    # Keras 3.15.1: ValueError "Invalid dtype: uint".
    for alias in ("uint", "complex"):
        with pytest.raises(ValueError, match="Invalid dtype"):
            keras.backend.standardize_dtype(alias)
