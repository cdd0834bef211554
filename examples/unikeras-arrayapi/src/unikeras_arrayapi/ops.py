"""The ops this example implements, each with Array API functions and Keras 3 dtype rules.

Keras 3 promotes dtypes its own way (`int32 + float32` is `float32`, Python scalars are
weak), not the array library's way, so every op first settles its result dtype with
`unikeras.backend.api.dtypes.result_type` and computes in it. The contract's docstrings
(`unikeras.backend.specs`) say each op's rules; the conformance kit checks them.
"""

import numpy

from unikeras.backend.api import dtypes, floatx, hookimpl

from unikeras_arrayapi.core import convert_to_tensor, native_dtype, xp


def _dtype_of(x):
    """What `result_type` takes: a tensor's dtype name, or a Python scalar (a weak type)."""
    if hasattr(x, "dtype"):
        return dtypes.standardize_dtype(x.dtype)
    if isinstance(x, (bool, int, float)):
        return x
    return dtypes.standardize_dtype(convert_to_tensor(x).dtype)


def _as(x, dtype):
    return xp.asarray(convert_to_tensor(x), dtype=native_dtype(dtype))


def _name(x):
    return dtypes.standardize_dtype(x.dtype)


def _float_name(dtype):
    """Ints and bools compute float ops in `floatx()`; floats keep their dtype."""
    return dtype if dtypes.is_float_dtype(dtype) else floatx()


def _binary(fn, to_float=False):
    def op(x1, x2):
        dtype = dtypes.result_type(_dtype_of(x1), _dtype_of(x2))
        if to_float:
            dtype = _float_name(dtype)
        return xp.asarray(fn(_as(x1, dtype), _as(x2, dtype)))

    return op


def _unary_float(fn):
    def op(x):
        x = convert_to_tensor(x)
        return xp.asarray(fn(_as(x, _float_name(_name(x)))))

    return op


# --------------------------------------------------------------------------------- arithmetic

add = hookimpl(_binary(xp.add))
subtract = hookimpl(_binary(xp.subtract))
multiply = hookimpl(_binary(xp.multiply))
maximum = hookimpl(_binary(xp.maximum))
minimum = hookimpl(_binary(xp.minimum))
divide = hookimpl(_binary(xp.divide, to_float=True))
sqrt = hookimpl(_unary_float(xp.sqrt))
exp = hookimpl(_unary_float(xp.exp))
log = hookimpl(_unary_float(xp.log))
tanh = hookimpl(_unary_float(xp.tanh))


@hookimpl
def negative(x):
    return xp.negative(convert_to_tensor(x))


@hookimpl
def absolute(x):
    x = convert_to_tensor(x)
    return xp.asarray(x, copy=True) if _name(x) == "bool" else xp.abs(x)


@hookimpl
def square(x):
    x = convert_to_tensor(x)
    return xp.square(_as(x, "int32") if _name(x) == "bool" else x)  # Keras: bool -> int32


@hookimpl
def matmul(x1, x2):
    dtype = dtypes.result_type(_dtype_of(x1), _dtype_of(x2))
    if dtype in ("bool", "int8", "uint8", "int16"):
        dtype = "int32"  # Keras 3 multiplies narrow ints (and bools) in int32
    return xp.asarray(xp.matmul(_as(x1, dtype), _as(x2, dtype)))


# ------------------------------------------------------------------------------- reductions

_ACCUMULATE = {
    "bool": "int32",
    "int8": "int32",
    "int16": "int32",
    "uint8": "uint32",
    "uint16": "uint32",
}


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@hookimpl
def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = native_dtype(_ACCUMULATE.get(_name(x), _name(x)))
    return xp.asarray(xp.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype))


@hookimpl
def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    out = _float_name(_name(x))
    # float16 sums overflow: accumulate in float32 (the Array API's mean has no `dtype`).
    wide = "float32" if out == "float16" else out
    result = xp.mean(_as(x, wide), axis=_axis(axis), keepdims=keepdims)
    return xp.asarray(result, dtype=native_dtype(out))


def _reduced_shape(shape, axis, keepdims):
    axes = (
        range(len(shape))
        if axis is None
        else [a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))]
    )
    return tuple(1 if i in axes else d for i, d in enumerate(shape) if keepdims or i not in axes)


def _extreme(fn, combine):
    def op(x, axis=None, keepdims=False, initial=None):
        x = convert_to_tensor(x)
        axis = _axis(axis)
        if initial is None:
            return xp.asarray(fn(x, axis=axis, keepdims=keepdims))
        start = xp.full(_reduced_shape(x.shape, axis, keepdims), initial, dtype=x.dtype)
        if x.size == 0:  # an empty reduction gives `initial`
            return start
        return combine(xp.asarray(fn(x, axis=axis, keepdims=keepdims)), start)

    return op


max = hookimpl(_extreme(xp.max, xp.maximum))
min = hookimpl(_extreme(xp.min, xp.minimum))


# ------------------------------------------------------------------------ creation and shape


@hookimpl
def zeros(shape, dtype=None):
    return xp.zeros(tuple(shape), dtype=native_dtype(dtype or floatx()))


@hookimpl
def ones(shape, dtype=None):
    return xp.ones(tuple(shape), dtype=native_dtype(dtype or floatx()))


@hookimpl
def reshape(x, newshape):
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    return xp.reshape(convert_to_tensor(x), newshape)


@hookimpl
def broadcast_to(x, shape):
    return xp.broadcast_to(convert_to_tensor(x), tuple(shape))


@hookimpl
def transpose(x, axes=None):
    x = convert_to_tensor(x)
    axes = tuple(range(x.ndim))[::-1] if axes is None else tuple(a % x.ndim for a in axes)
    return xp.permute_dims(x, axes)


# -------------------------------------------------------------------------------------- nn


@hookimpl
def relu(x):
    x = convert_to_tensor(x)
    return xp.maximum(x, xp.zeros((), dtype=x.dtype))


@hookimpl
def sigmoid(x):
    x = convert_to_tensor(x)
    x = _as(x, _float_name(_name(x)))
    e = xp.exp(-xp.abs(x))  # exp of a non-positive number: no overflow
    one = xp.ones((), dtype=x.dtype)
    return xp.where(x >= 0, one / (one + e), e / (one + e))


@hookimpl
def softmax(x, axis=-1):
    x = convert_to_tensor(x)
    x = _as(x, _float_name(_name(x)))
    if x.ndim == 0:
        return xp.ones_like(x)
    axis = _axis(axis)
    shifted = x - xp.max(x, axis=axis, keepdims=True)
    e = xp.exp(shifted)
    return e / xp.sum(e, axis=axis, keepdims=True)


# ---------------------------------------------------------------------------------- random
# The Array API has no random numbers: a backend draws them with its library's generator.
# Seeds are `(2,)` uint32 tensors (`keras.random.SeedGenerator`); a seed always gives the same
# numbers.


def _generator(seed):
    words = numpy.asarray(seed).astype(numpy.uint32).reshape(-1)
    return numpy.random.Generator(numpy.random.PCG64([int(w) for w in words]))


@hookimpl
def random_uniform(shape, minval, maxval, dtype, seed):
    low = float(numpy.asarray(minval))
    high = float(numpy.asarray(maxval))
    values = _generator(seed).uniform(low, high, size=tuple(shape))
    out = xp.asarray(values, dtype=native_dtype(dtype))
    # Rounding to a narrow dtype can land on `maxval`; the interval is half-open.
    return xp.where(out >= high, xp.asarray(low, dtype=out.dtype), out)


@hookimpl
def random_normal(shape, mean, stddev, dtype, seed):
    values = _generator(seed).normal(
        float(numpy.asarray(mean)), float(numpy.asarray(stddev)), size=tuple(shape)
    )
    return xp.asarray(values, dtype=native_dtype(dtype))
