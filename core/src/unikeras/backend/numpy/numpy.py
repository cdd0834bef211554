"""NumPy backend: the NumPy-like ops (`keras.ops.numpy`)."""

import builtins

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.config import floatx
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.numpy.core import convert_to_tensor, to_np_dtype

_F64 = np.dtype("float64")  # a singleton: compared by identity on the hot path


def _dtype_of(x):
    """The dtype to promote with: arrays give theirs, Python scalars stay weak types."""
    dtype = getattr(x, "dtype", None)
    return dtype if dtype is not None else type(x)


def promote(*xs):
    """Converts `xs` to arrays of their Keras 3 result dtype."""
    dtype = to_np_dtype(dtypes.result_type(*[_dtype_of(x) for x in xs]))
    return [convert_to_tensor(x, dtype=dtype) for x in xs]


def _is_f64(x):
    return getattr(x, "dtype", None) is _F64


def binary(np_fn):
    """Wraps a NumPy binary ufunc with Keras 3 promotion, keeping same-dtype calls fast."""

    def op(x1, x2):
        # NumPy only disagrees with Keras 3 when it widens to float64 (int + float,
        # int array + Python float), so other results are returned as they are.
        result = np_fn(x1, x2)
        if result.dtype is not _F64 or _is_f64(x1) or _is_f64(x2):
            return result
        return np_fn(*promote(x1, x2))

    return op


add = hookimpl(binary(np.add))
subtract = hookimpl(binary(np.subtract))
multiply = hookimpl(binary(np.multiply))


@hookimpl
def matmul(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = dtypes.result_type(x1.dtype, x2.dtype)
    if dtype in ("int8", "uint8", "int16", "bool"):
        dtype = "int32"
    x1, x2 = x1.astype(to_np_dtype(dtype)), x2.astype(to_np_dtype(dtype))
    return np.matmul(x1, x2)


@hookimpl
def reshape(x, newshape):
    return np.reshape(convert_to_tensor(x), newshape)


@hookimpl
def transpose(x, axes=None):
    return np.transpose(convert_to_tensor(x), axes)


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@hookimpl
def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    name = dtypes.standardize_dtype(x.dtype)
    dtype = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32",
             "uint16": "uint32"}.get(name, name)
    return np.asarray(np.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=to_np_dtype(dtype)))


@hookimpl
def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    name = dtypes.standardize_dtype(x.dtype)
    out = name if dtypes.is_float_dtype(name) or dtypes.is_complex_dtype(name) else floatx()
    result = np.mean(x, axis=_axis(axis), keepdims=keepdims, dtype="float64" if out != "float64"
                     and name in ("float16", "bfloat16") else None)
    return np.asarray(result).astype(to_np_dtype(out))


@hookimpl
def concatenate(xs, axis=0):
    xs = promote(*xs)
    return np.concatenate(xs, axis=axis)


@hookimpl
def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=to_np_dtype(dtype or floatx()))


@hookimpl
def ones(shape, dtype=None):
    return np.ones(shape, dtype=to_np_dtype(dtype or floatx()))


_ = builtins  # Python builtins stay reachable where op names shadow them (sum, ...)
