"""NumPy backend: dtypes and tensor conversion (hooks `convert_to_tensor`,
`convert_to_numpy`, `is_tensor`, `standardize_native_dtype`)."""

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.common import conversion
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.variable import Variable as BaseVariable

_ndarray = np.ndarray
has_bfloat16 = conversion.has_bfloat16
bfloat16_dtype = conversion.bfloat16_dtype


def to_np_dtype(dtype):
    """Returns the NumPy dtype for a unikeras dtype name."""
    name = dtypes.standardize_dtype(dtype)
    if name == "bfloat16":
        bfloat16 = bfloat16_dtype()
        if bfloat16 is None:
            raise ValueError("bfloat16 on the numpy backend needs `pip install ml-dtypes`.")
        return bfloat16
    if name == "string":
        return np.dtype(object)
    return np.dtype(name)


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if dtype is not None:
        dtype = to_np_dtype(dtype)
    elif x.__class__ is _ndarray:  # the most common call first: an array, no dtype
        return x
    if isinstance(x, BaseVariable):
        x = x.value
    if x.__class__ is _ndarray:
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    if dtype is None:
        name = conversion.default_dtype(x, numpy_scalars=False)
        dtype = None if name is None else to_np_dtype(name)
    if hasattr(x, "__array__") or isinstance(
        x, (list, tuple, np.generic, int, float, bool, complex)
    ):
        return np.asarray(x, dtype=dtype)
    if isinstance(x, str):
        return np.asarray(x, dtype=object)
    raise TypeError(f"convert_to_tensor: cannot convert {type(x).__name__} to a tensor.")


@hookimpl
def convert_to_numpy(x):
    return np.asarray(conversion.unwrap(x))


@hookimpl
def is_tensor(x):
    return isinstance(x, (np.ndarray, np.generic))


@hookimpl
def standardize_native_dtype(dtype):
    return to_np_dtype(dtype)
