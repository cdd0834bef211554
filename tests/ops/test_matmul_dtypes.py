"""`ops.matmul` result dtypes for integer and bool operands, as Keras 3.15.1's on every
backend: two int8 operands give int32, any other pair its promoted dtype (Keras 3 gives
uint8 @ uint8 -> uint8, int16 @ int16 -> int16, bool @ bool -> bool; unikeras widened all
of them to int32). Found by core/tools/op_dtype_parity.py."""

import itertools

import numpy as np
import pytest

from unikeras import KerasTensor, backend, ops

# Pairs whose NumPy promotion stays within 32 bits: there Keras 3's promotion lattice and
# NumPy's agree (int8 @ int8 is the one exception Keras makes, widening to int32).
DTYPES = ("bool", "uint8", "int8", "int16", "uint16", "int32")
PAIRS = list(itertools.product(DTYPES, DTYPES))


def _expected(d1, d2):
    if d1 == d2 == "int8":
        return "int32"
    return np.result_type(np.dtype(d1), np.dtype(d2)).name


@pytest.mark.parametrize("d1,d2", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_matmul_integer_and_bool_dtypes(d1, d2):
    a = np.array([[1, 0, 2], [0, 1, 1]])
    b = np.array([[1, 1], [0, 1], [1, 0]])
    want = _expected(d1, d2)
    x1, x2 = ops.convert_to_tensor(a.astype(d1), d1), ops.convert_to_tensor(b.astype(d2), d2)
    out = ops.matmul(x1, x2)
    assert backend.standardize_dtype(out.dtype) == want
    product = np.matmul(a.astype(d1).astype("int64"), b.astype(d2).astype("int64"))
    np.testing.assert_array_equal(np.asarray(ops.convert_to_numpy(out)), product.astype(want))
    spec = ops.matmul(KerasTensor((2, 3), dtype=d1), KerasTensor((3, 2), dtype=d2))
    assert backend.standardize_dtype(spec.dtype) == want
