"""NumPy backend: dtypes and tensor conversion (hooks `convert_to_tensor`,
`convert_to_numpy`, `is_tensor`, `standardize_native_dtype`)."""

import importlib.util

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.common import conversion
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.variable import Variable as BaseVariable

_ndarray = np.ndarray
_BFLOAT16 = []  # the NumPy bfloat16 dtype (or None), found on first use


def has_bfloat16():
    """Whether bfloat16 is available (ml_dtypes installed), without importing ml_dtypes."""
    if _BFLOAT16:
        return _BFLOAT16[0] is not None
    return importlib.util.find_spec("ml_dtypes") is not None


def bfloat16_dtype():
    """The NumPy bfloat16 dtype from ml_dtypes, imported on first use (importing it costs
    0.3-3 s, so `import unikeras` does not), or None when ml_dtypes is not installed."""
    if not _BFLOAT16:
        try:
            import ml_dtypes
        except ImportError:  # pragma: no cover
            _BFLOAT16.append(None)
        else:
            _BFLOAT16.append(np.dtype(ml_dtypes.bfloat16))
    return _BFLOAT16[0]


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
