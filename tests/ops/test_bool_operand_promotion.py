"""`ops.power` / `ops.floor_divide` / `ops.subtract` with a bool first operand and a numeric second one
promote to the numeric dtype, as Keras 3.15.1 (the torch plugin's eager fast path took its
bool-only shortcut and gave a bool result: power(bool, float32) -> bool,
subtract(bool, int8) -> bool). Found by
core/tools/op_dtype_parity.py."""

import numpy as np
import pytest

from unikeras import backend, ops

DTYPES = ("uint8", "int8", "int16", "int32", "float16", "float32")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["power", "floor_divide", "subtract"])
def test_bool_then_numeric_promotes(name, dtype):
    a = np.array([True, False, True, True])
    b = np.array([2, 3, 1, 3]).astype(dtype)
    out = getattr(ops, name)(ops.convert_to_tensor(a, "bool"), ops.convert_to_tensor(b, dtype))
    want = np.result_type(a.dtype, b.dtype).name  # bool with one numeric dtype: that dtype
    assert backend.standardize_dtype(out.dtype) == want
    expected = getattr(np, name)(a.astype(want), b)
    np.testing.assert_allclose(np.asarray(ops.convert_to_numpy(out), "float64"), expected)
