"""Keras 3 dtype rules as tables on dtype names (strings), shared by every backend."""

from unikeras.backend import dtypes
from unikeras.backend.config import floatx

# `sum`, `prod`, `trace`...: narrow ints and bools accumulate in 32 bits.
ACCUMULATION_DTYPES = {
    "bool": "int32",
    "int8": "int32",
    "int16": "int32",
    "uint8": "uint32",
    "uint16": "uint32",
}


def accumulation_dtype(dtype):
    """Keras 3 dtype of `sum`/`prod`: narrow ints and bools accumulate in 32 bits."""
    return ACCUMULATION_DTYPES.get(dtype, dtype)


def is_inexact(dtype):
    """Whether the dtype name is a float or complex dtype."""
    return dtypes.is_float_dtype(dtype) or dtypes.is_complex_dtype(dtype)


def float_dtype(dtype, wide_int64=False):
    """The dtype a float-valued op returns for `dtype`: floats and complex keep theirs,
    ints and bools give `floatx()` (`float64` for `int64` when `wide_int64`)."""
    name = dtypes.standardize_dtype(dtype)
    if is_inexact(name):
        return name
    return "float64" if wide_int64 and name == "int64" else floatx()


def wide_float_dtype(dtype):
    """`float_dtype` where `int64` gives `float64`."""
    return float_dtype(dtype, wide_int64=True)


def numeric_dtype(dtype):
    """Bools compute as `int32` in arithmetic that has no boolean meaning (`mod`)."""
    return "int32" if dtype == "bool" else dtype


def compute_dtype(dtype):
    """The dtype to compute in: at least `float32` (image resampling, filters)."""
    return dtypes.result_type(dtype, "float32")


def float_pair_dtype(dtype_a, dtype_b):
    """The common dtype of two operands promoted to float (or complex), as `solve` needs."""
    name = dtypes.result_type(dtype_a, dtype_b)
    return name if is_inexact(name) else dtypes.result_type(name, float)
