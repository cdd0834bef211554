"""NumPy backend: the NumPy-like ops (`keras.ops.numpy`)."""

import builtins

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.common.array_args import (
    check_correlate_ranks,
    check_pad_args,
    correlate_dtypes,
)
from unikeras.backend.common.numpy_api import bind_numpy_ops
from unikeras.backend.common.axes import axis_arg
from unikeras.backend.common.conversion import promotion_dtype
from unikeras.backend.common.dtype_rules import (
    ACCUMULATION_DTYPES,
    accumulation_dtype,
    float_dtype,
    numeric_dtype,
)
from unikeras.backend.config import floatx
from unikeras.backend.hookspec import fast_entry, hookimpl
from unikeras.backend.numpy.core import convert_to_tensor, to_np_dtype

_NDARRAY = np.ndarray


def _dtype_of(x):
    """The dtype to promote with: arrays give theirs, Python scalars stay weak types."""
    dtype = getattr(x, "dtype", None)  # the common case, without a further call
    return dtype if dtype is not None else promotion_dtype(x, convert_to_tensor)


_RESULT_DTYPES = {}  # (input dtypes or Python types, resolve, floatx) -> NumPy dtype
_PLAIN = (np.ndarray, float, int, bool)


def _result_np_dtype(xs, resolve=None):
    """The NumPy dtype of `result_type(*xs)` (then `resolve`d), cached per input dtypes."""
    key = (*[_dtype_of(x) for x in xs], resolve, floatx())
    dtype = _RESULT_DTYPES.get(key)
    if dtype is None:
        name = dtypes.result_type(*key[:-2])
        dtype = _RESULT_DTYPES[key] = to_np_dtype(resolve(name) if resolve else name)
    return dtype


def _as(x, dtype):
    """`x` as an array of NumPy dtype `dtype`; arrays and Python scalars take a short path."""
    if x.__class__ in _PLAIN:
        return np.asarray(x, dtype=dtype)
    return convert_to_tensor(x, dtype=dtype)


def promote(*xs):
    """Converts `xs` to arrays of their Keras 3 result dtype."""
    dtype = _result_np_dtype(xs)
    return [_as(x, dtype) for x in xs]


def binary(np_fn, resolve=None):
    """Wraps a NumPy binary ufunc with Keras 3 promotion, keeping same-dtype calls fast.

    Args:
        np_fn: The NumPy function.
        resolve: Optional function from the promoted dtype name to the dtype the op computes
            in and returns (e.g. ints to `floatx()` for division). It must keep float and
            complex dtypes unchanged.
    """

    def slow(x1, x2):
        dtype = _result_np_dtype((x1, x2), resolve)
        result = np_fn(_as(x1, dtype), _as(x2, dtype))
        # NumPy has no boolean loop for some ufuncs (power, floor_divide): cast back.
        return result if result.dtype == dtype else result.astype(dtype)

    # Fast path: when NumPy's result has the dtype of one of the inputs, Keras 3 promotion
    # gives that dtype too (NumPy only ever promotes wider than Keras: int + float to
    # float64, int16 + float16 to float32, bool + Python int to int64, ...). One dtype
    # identity check after the call costs far less than resolving the promotion first.
    def op(x1, x2):
        result = np_fn(x1, x2)
        try:
            if result.dtype is x1.dtype:
                return result
        except AttributeError:  # x1 is a Python scalar or a list
            pass
        if result.dtype is getattr(x2, "dtype", None):
            return result
        return slow(x1, x2)

    def float_op(x1, x2):
        result = op(x1, x2)
        return result if result.dtype.kind in "fc" else slow(x1, x2)

    # `resolve` may change integer dtypes (ints divide to floats) but never float ones.
    return op if resolve is None else float_op


@hookimpl
def matmul(x1, x2):
    if x1.__class__ is _NDARRAY and x2.__class__ is _NDARRAY:
        result = np.matmul(x1, x2)
        if result.dtype is x1.dtype and result.dtype.kind in "fc":  # see `binary`
            return result
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    # Keras 3: two int8 operands give int32, any other pair its promoted dtype (uint8,
    # int16 and bool products wrap / saturate to that dtype).
    dtype = dtypes.matmul_result_type(x1.dtype, x2.dtype)
    np_dtype = to_np_dtype(dtype)
    compute = np.dtype("int32") if dtype in ("uint8", "int16", "bool") else np_dtype
    result = np.matmul(x1.astype(compute), x2.astype(compute))
    # ml_dtypes' bfloat16 matmul accumulates and returns float32; Keras gives bfloat16.
    return result if result.dtype == np_dtype else result.astype(np_dtype)


@hookimpl
def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = accumulation_dtype(dtypes.standardize_dtype(x.dtype))
    return np.asarray(np.sum(x, axis=axis_arg(axis), keepdims=keepdims, dtype=to_np_dtype(dtype)))


@hookimpl
def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    name = dtypes.standardize_dtype(x.dtype)
    out = name if dtypes.is_float_dtype(name) or dtypes.is_complex_dtype(name) else floatx()
    result = np.mean(
        x,
        axis=axis_arg(axis),
        keepdims=keepdims,
        dtype="float64" if out != "float64" and name in ("float16", "bfloat16") else None,
    )
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


# --------------------------------------------------------------------------------------------
# Array creation, shape manipulation, indexing, sorting, products (helper A2)
# --------------------------------------------------------------------------------------------


def _operand(x):
    """Keeps Python scalars (weak types) and arrays as they are; converts lists and Variables."""
    if isinstance(x, (bool, int, float, complex)) or x.__class__ is np.ndarray:
        return x
    return convert_to_tensor(x)


def _promote_all(xs):
    """Converts a sequence of array-likes to arrays of their Keras 3 result dtype."""
    return promote(*[_operand(x) for x in xs])


def _like_dtype(x, dtype):
    """The dtype for `*_like` ops: `dtype` if given, else the dtype of `x`."""
    return to_np_dtype(dtype) if dtype is not None else convert_to_tensor(x).dtype


def _float_result(*values):
    """`result_type(*values, float)`, where values are arrays or Python scalars."""
    return dtypes.result_type(*[_dtype_of(_operand(v)) for v in values], float)


@hookimpl
def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = dtypes.result_type(*[_dtype_of(v) for v in given])
    if stop is None:
        start, stop = 0, start
    return np.arange(start, stop, 1 if step is None else step, dtype=to_np_dtype(dtype))


@hookimpl
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = to_np_dtype(dtype or _float_result(start, stop))
    samples, step = np.linspace(
        convert_to_tensor(start),
        convert_to_tensor(stop),
        num=num,
        endpoint=endpoint,
        retstep=True,
        dtype=dtype,
        axis=axis,
    )
    return (samples, np.asarray(step).astype(dtype)) if retstep else samples


@hookimpl
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = to_np_dtype(dtype or _float_result(start, stop))
    return np.logspace(
        convert_to_tensor(start),
        convert_to_tensor(stop),
        num=num,
        endpoint=endpoint,
        base=base,
        dtype=dtype,
        axis=axis,
    )


@hookimpl
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = to_np_dtype(dtype or _float_result(start, stop))
    return np.geomspace(
        convert_to_tensor(start),
        convert_to_tensor(stop),
        num=num,
        endpoint=endpoint,
        dtype=dtype,
        axis=axis,
    )


@hookimpl
def eye(N, M=None, k=0, dtype=None):
    return np.eye(N, M=M, k=k, dtype=to_np_dtype(dtype or floatx()))


@hookimpl
def identity(n, dtype=None):
    return np.identity(n, dtype=to_np_dtype(dtype or floatx()))


@hookimpl
def tri(N, M=None, k=0, dtype=None):
    return np.tri(N, M=M, k=k, dtype=to_np_dtype(dtype or floatx()))


@hookimpl
def full(shape, fill_value, dtype=None):
    return np.full(shape, convert_to_tensor(fill_value), dtype=to_np_dtype(dtype or floatx()))


@hookimpl
def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    return np.full(x.shape, convert_to_tensor(fill_value), dtype=_like_dtype(x, dtype))


@hookimpl
def empty(shape, dtype=None):
    # Zeros, so that the reference backend is deterministic; callers must not rely on it.
    return np.zeros(shape, dtype=to_np_dtype(dtype or floatx()))


@hookimpl
def view(x, dtype=None):
    x = convert_to_tensor(x)
    return x.view(x.dtype if dtype is None else to_np_dtype(dtype))


@hookimpl
def repeat(x, repeats, axis=None):
    return np.repeat(convert_to_tensor(x), repeats, axis=axis)


@hookimpl
def stack(x, axis=0):
    return np.stack(_promote_all(x), axis=axis)


@hookimpl
def hstack(xs):
    return np.hstack(_promote_all(xs))


@hookimpl
def vstack(xs):
    return np.vstack(_promote_all(xs))


@hookimpl
def dstack(xs):
    return np.dstack(_promote_all(xs))


@hookimpl
def column_stack(xs):
    return np.column_stack(_promote_all(xs))


@hookimpl
def append(x1, x2, axis=None):
    x1, x2 = _promote_all((x1, x2))
    return np.append(x1, x2, axis=axis)


@hookimpl
def pad(x, pad_width, mode="constant", constant_values=None):
    check_pad_args(mode, constant_values)
    x = convert_to_tensor(x)
    pad_width = np.asarray(pad_width, dtype="int64")
    if mode == "empty":  # unspecified values: zeros keep the reference deterministic
        mode, constant_values = "constant", 0
    kwargs = {} if constant_values is None else {"constant_values": constant_values}
    return np.pad(x, pad_width, mode="wrap" if mode == "circular" else mode, **kwargs)


@hookimpl
def diag(x, k=0):
    x = convert_to_tensor(x)
    return np.diag(x, k=k).copy()


@hookimpl
def diagonal(x, offset=0, axis1=0, axis2=1):
    return np.diagonal(convert_to_tensor(x), offset=offset, axis1=axis1, axis2=axis2).copy()


@hookimpl
def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    name = dtypes.standardize_dtype(x.dtype)
    dtype = to_np_dtype(ACCUMULATION_DTYPES.get(name, name))
    return np.asarray(np.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype))


def _indices(indices):
    indices = convert_to_tensor(indices)
    return indices if dtypes.is_int_dtype(indices.dtype) else indices.astype("int32")


@hookimpl
def take(x, indices, axis=None):
    return np.take(convert_to_tensor(x), _indices(indices), axis=axis)


@hookimpl
def take_along_axis(x, indices, axis=None):
    x, indices = convert_to_tensor(x), _indices(indices)
    if axis is None:
        return np.take_along_axis(x.reshape(-1), indices.reshape(-1), axis=0)
    axis = axis % x.ndim
    # x and indices broadcast on every axis but `axis`, where each keeps its own length.
    shape = list(
        np.broadcast_shapes(
            x.shape[:axis] + (1,) + x.shape[axis + 1 :],
            indices.shape[:axis] + (1,) + indices.shape[axis + 1 :],
        )
    )
    x = np.broadcast_to(x, tuple(shape[:axis] + [x.shape[axis]] + shape[axis + 1 :]))
    indices = np.broadcast_to(
        indices, tuple(shape[:axis] + [indices.shape[axis]] + shape[axis + 1 :])
    )
    return np.take_along_axis(x, indices, axis=axis)


@hookimpl
def nonzero(x):
    return tuple(i.astype("int32") for i in np.nonzero(convert_to_tensor(x)))


@hookimpl
def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = _promote_all((x1, x2))
    return np.isin(x1, x2, assume_unique=assume_unique, invert=invert)


@hookimpl
def argsort(x, axis=-1):
    return np.argsort(convert_to_tensor(x), axis=axis, kind="stable").astype("int32")


@hookimpl
def argpartition(x, kth, axis=-1):
    return np.argpartition(convert_to_tensor(x), kth, axis=axis).astype("int32")


@hookimpl
def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = _promote_all((sorted_sequence, values))
    return np.searchsorted(sorted_sequence, values, side=side).astype("int32")


@hookimpl
def digitize(x, bins):
    x, bins = _promote_all((x, bins))
    return np.digitize(x, bins).astype("int32")


@hookimpl
def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    counts, edges = np.histogram(x, bins=bins, range=range)
    return counts.astype("int32"), edges.astype(to_np_dtype(_float_result(x)))


@hookimpl
def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by the numpy backend.")
    x = convert_to_tensor(x)
    if weights is None:
        dtype = "int32"
    else:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(x.dtype, weights.dtype)
    if x.ndim == 1:
        return np.bincount(x, weights, minlength).astype(to_np_dtype(dtype))
    length = builtins.max(int(x.max(initial=-1)) + 1, minlength)
    rows = [
        np.bincount(row, None if weights is None else weights[i], length) for i, row in enumerate(x)
    ]
    return np.stack(rows).reshape(x.shape[0], length).astype(to_np_dtype(dtype))


def _fixed_length(values, axis, size, fill):
    """Truncates or pads `values` along `axis` to `size` entries."""
    values = values.take(np.arange(builtins.min(size, values.shape[axis])), axis=axis)
    widths = [(0, 0)] * values.ndim
    widths[axis] = (0, size - values.shape[axis])
    return np.pad(values, widths, constant_values=fill)


@hookimpl
def unique(x, sorted, return_index, return_inverse, return_counts, axis, size, fill_value):
    x = convert_to_tensor(x)
    values, index, inverse, counts = np.unique(
        x, return_index=True, return_inverse=True, return_counts=True, axis=axis
    )
    value_axis = 0 if axis is None else axis % x.ndim
    if not sorted:  # order of first occurrence
        order = np.argsort(index, kind="stable")
        values, index, counts = values.take(order, axis=value_axis), index[order], counts[order]
        inverse = np.argsort(order)[inverse]
    inverse = inverse.reshape(x.shape if axis is None else (x.shape[value_axis],))
    if size is not None:
        values = _fixed_length(values, value_axis, size, 0 if fill_value is None else fill_value)
        index, counts = _fixed_length(index, 0, size, 0), _fixed_length(counts, 0, size, 0)
    extras = [
        a.astype("int32")
        for a, wanted in ((index, return_index), (inverse, return_inverse), (counts, return_counts))
        if wanted
    ]
    return tuple([values] + extras) if extras else values


def _promoted_pair(x1, x2):
    x1, x2 = _promote_all((x1, x2))
    return np.asarray(x1), np.asarray(x2)


@hookimpl
def dot(x1, x2):
    return np.asarray(np.dot(*_promoted_pair(x1, x2)))


@hookimpl
def inner(x1, x2):
    return np.asarray(np.inner(*_promoted_pair(x1, x2)))


@hookimpl
def outer(x1, x2):
    return np.outer(*_promoted_pair(x1, x2))


@hookimpl
def vdot(x1, x2):
    return np.asarray(np.vdot(*_promoted_pair(x1, x2)))


@hookimpl
def tensordot(x1, x2, axes=2):
    if isinstance(axes, (list, tuple)):
        axes = tuple(axis_arg(a) for a in axes)
    return np.asarray(np.tensordot(*_promoted_pair(x1, x2), axes=axes))


@hookimpl
def einsum(subscripts, *operands, **kwargs):
    operands = [convert_to_tensor(x) for x in operands]
    names = {dtypes.standardize_dtype(x.dtype) for x in operands}
    dtype = "int32" if names == {"int8"} else dtypes.result_type(*names)
    compute = "float32" if dtype == "bfloat16" else dtype  # NumPy cannot sum in bfloat16
    operands = [x.astype(to_np_dtype(compute)) for x in operands]
    return np.asarray(np.einsum(subscripts, *operands, **kwargs)).astype(to_np_dtype(dtype))


@hookimpl
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2 = _promoted_pair(x1, x2)
    x1, x2 = np.moveaxis(x1, axisa, -1), np.moveaxis(x2, axisb, -1)
    result = np.cross(_shared._as_3_vectors(x1), _shared._as_3_vectors(x2))
    if x1.shape[-1] == 2 and x2.shape[-1] == 2:
        return result[..., 2]
    return np.moveaxis(result, -1, axisc)


@hookimpl
def kron(x1, x2):
    return np.kron(*_promoted_pair(x1, x2))


@hookimpl
def correlate(x1, x2, mode="valid"):
    dtype, compute = correlate_dtypes(dtypes.result_type(_dtype_of(x1), _dtype_of(x2)))
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    check_correlate_ranks(x1.shape, x2.shape)
    return np.correlate(x1.astype(compute), x2.astype(compute), mode).astype(to_np_dtype(dtype))


@hookimpl
def corrcoef(x):
    x = convert_to_tensor(x)
    name = dtypes.standardize_dtype(x.dtype)
    dtype = "float64" if name == "int64" else dtypes.result_type(name, float)
    return np.asarray(np.corrcoef(x.astype("float64"))).astype(to_np_dtype(dtype))


@hookimpl
def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = convert_to_tensor(y)
    dtype = to_np_dtype(_float_result(y))
    x = None if x is None else convert_to_tensor(x).astype("float64")
    return np.asarray(np.trapezoid(y.astype("float64"), x, dx=dx, axis=axis)).astype(dtype)


@hookimpl
def vander(x, N=None, increasing=False):
    x = convert_to_tensor(x)
    compute = to_np_dtype(dtypes.result_type(x.dtype, floatx()))
    return np.vander(x.astype(compute), N=N, increasing=increasing).astype(x.dtype)


def _window(np_window):
    """Wraps a NumPy window function: the length may be a tensor; the result is floatx."""

    def window(x):
        return np_window(int(convert_to_tensor(x))).astype(to_np_dtype(floatx()))

    return window


@hookimpl
def kaiser(x, beta):
    return np.kaiser(int(convert_to_tensor(x)), float(beta)).astype(to_np_dtype(floatx()))


# --------------------------------------------------------------------------------------------
# Element-wise math, comparisons, logic, bitwise ops and reductions (helper A1)
# --------------------------------------------------------------------------------------------


def _floats(x, wide_int64=False):
    """`x` as an array of the float dtype a float-valued op computes in."""
    x = convert_to_tensor(x)
    if x.dtype.kind in "fc":
        return x
    return x.astype(to_np_dtype(float_dtype(x.dtype, wide_int64)))


def unary_float(np_fn, wide_int64=False):
    """Wraps a NumPy unary ufunc whose result is float (ints and bools give `floatx()`)."""

    def op(x):
        return np_fn(_floats(x, wide_int64))

    return op


def compare(np_fn):
    """Wraps a NumPy comparison ufunc: operands promoted as Keras 3 does, `bool` result."""

    def op(x1, x2):
        if x1.__class__ is _NDARRAY and x2.__class__ is _NDARRAY and x1.dtype == x2.dtype:
            return np_fn(x1, x2)
        return np_fn(*promote(x1, x2))

    return op


angle = hookimpl(unary_float(np.angle))

power = hookimpl(binary(np.power))
floor_divide = hookimpl(binary(np.floor_divide))


@hookimpl
def divide_no_nan(x1, x2):
    x1, x2 = promote(x1, x2)
    dtype = to_np_dtype(float_dtype(x1.dtype))
    x1, x2 = x1.astype(dtype), x2.astype(dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x2 == 0, np.zeros((), dtype), np.divide(x1, x2))


@hookimpl
def sign(x):
    x = convert_to_tensor(x)
    return x.copy() if x.dtype == bool else np.sign(x)  # a bool is its own sign


@hookimpl
def square(x):
    x = convert_to_tensor(x)
    return np.square(x.astype(np.int32) if x.dtype == bool else x)


@hookimpl
def round(x, decimals=0):
    x = convert_to_tensor(x)
    return np.round(x, decimals=decimals).astype(x.dtype, copy=False)


@hookimpl
def trunc(x):
    x = convert_to_tensor(x)
    return np.trunc(x) if x.dtype.kind in "fc" else x.copy()


@hookimpl
def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    dtype = np.dtype(np.int32) if x.dtype == bool else x.dtype
    return np.asarray(np.clip(x, x_min, x_max)).astype(dtype, copy=False)


@hookimpl
def conj(x):
    x = convert_to_tensor(x)
    return x.copy() if x.dtype == bool else np.conjugate(x)  # NumPy turns bool into int8


@hookimpl
def conjugate(x):
    x = convert_to_tensor(x)
    return x.copy() if x.dtype == bool else np.conjugate(x)  # NumPy turns bool into int8


@hookimpl
def max(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    result = np.max(x, axis=axis_arg(axis), keepdims=keepdims, initial=initial)
    return np.asarray(result, dtype=x.dtype)


@hookimpl
def min(x, axis=None, keepdims=False, initial=None):
    x = convert_to_tensor(x)
    result = np.min(x, axis=axis_arg(axis), keepdims=keepdims, initial=initial)
    return np.asarray(result, dtype=x.dtype)


@hookimpl
def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = dtype or accumulation_dtype(dtypes.standardize_dtype(x.dtype))
    return np.asarray(np.prod(x, axis=axis_arg(axis), keepdims=keepdims, dtype=to_np_dtype(dtype)))


def _moment(np_fn, x, axis, keepdims):
    """Runs `np.std`/`np.var` in at least float32 and returns the Keras 3 float dtype."""
    x = convert_to_tensor(x)
    out = to_np_dtype(float_dtype(x.dtype))
    compute = np.promote_types(out, np.float32) if out.kind == "f" else out
    result = np_fn(x, axis=axis_arg(axis), keepdims=keepdims, dtype=compute)
    return np.asarray(result).astype(out, copy=False)


@hookimpl
def all(x, axis=None, keepdims=False):
    return np.asarray(np.all(convert_to_tensor(x), axis=axis_arg(axis), keepdims=keepdims))


@hookimpl
def any(x, axis=None, keepdims=False):
    return np.asarray(np.any(convert_to_tensor(x), axis=axis_arg(axis), keepdims=keepdims))


@hookimpl
def argmax(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return np.asarray(np.argmax(x, axis=axis, keepdims=keepdims), dtype=np.int32)


@hookimpl
def argmin(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return np.asarray(np.argmin(x, axis=axis, keepdims=keepdims), dtype=np.int32)


@hookimpl
def average(x, axis=None, weights=None):
    given = [x] if weights is None else [x, weights]
    dtype = to_np_dtype(dtypes.result_type(*[_dtype_of(v) for v in given], float))
    x = convert_to_tensor(x, dtype=dtype)
    if weights is None:
        return np.asarray(np.mean(x, axis=axis_arg(axis)), dtype=dtype)
    weights = _weights_like(x, convert_to_tensor(weights, dtype=dtype), axis)
    # Zero weights give NaN rather than an error, so that shape inference on zeros works.
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.sum(x * weights, axis=axis_arg(axis))
        return np.asarray(total / np.sum(weights, axis=axis_arg(axis)), dtype=dtype)


def _weights_like(x, weights, axis):
    """`weights` broadcast to x's shape: given with it, or 1-D along a single `axis` (the op's
    `_check_average` has checked which)."""
    if weights.ndim == x.ndim:
        return weights
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    shape = [1] * x.ndim
    shape[axes[0]] = -1
    return np.broadcast_to(weights.reshape(shape), x.shape)


@hookimpl
def median(x, axis=None, keepdims=False):
    x = _floats(x)
    return np.asarray(np.median(x, axis=axis_arg(axis), keepdims=keepdims), dtype=x.dtype)


@hookimpl
def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _floats(x)
    result = np.quantile(
        x, convert_to_tensor(q), axis=axis_arg(axis), method=method, keepdims=keepdims
    )
    return np.asarray(result, dtype=x.dtype)


@hookimpl
def count_nonzero(x, axis=None):
    counts = np.count_nonzero(convert_to_tensor(x), axis=axis_arg(axis))
    return np.asarray(counts, dtype=np.int32)


def _cumulative(np_fn, x, axis, dtype):
    """Runs `np.cumsum`/`np.cumprod` in `dtype`, else x's dtype (`bool` as `int32`)."""
    x = convert_to_tensor(x)
    dtype = to_np_dtype(dtype) if dtype is not None else x.dtype
    return np_fn(x, axis=axis, dtype=np.int32 if dtype == np.bool_ else dtype)


# --------------------------------------------------------------------------------------------
# Issue 15: fabs ... slogdet, the nan* reductions, rearrange, vectorize
# --------------------------------------------------------------------------------------------


def _wide(x):
    """`x` as floats to compute in (at least float32) and the NumPy dtype to return."""
    x = _floats(x)
    # float16 and bfloat16 (2 bytes) compute in float32; no ml-dtypes needed to tell them.
    wide = np.promote_types(x.dtype, np.float32) if x.dtype.itemsize < 4 else x.dtype
    return x.astype(wide, copy=False), x.dtype


def _quiet(fn, *args, **kwargs):
    """Runs a NumPy nan-function without its all-NaN-slice and invalid-value warnings."""
    import warnings

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


@hookimpl
def fabs(x):
    return np.fabs(_floats(x))


@hookimpl
def fmod(x1, x2):
    dtype = _result_np_dtype((x1, x2), numeric_dtype)
    return _quiet(np.fmod, _as(x1, dtype), _as(x2, dtype)).astype(dtype, copy=False)


@hookimpl
def i0(x):
    x = _floats(x)
    return np.i0(x.astype(np.float64)).astype(x.dtype)


@hookimpl
def sinc(x):
    x, out = _wide(x)
    return np.sinc(x).astype(out)


def _ldexp_exponent(x2):
    x2 = convert_to_tensor(x2)
    if x2.dtype.kind not in "iub":
        raise TypeError(
            f"ldexp: the exponent `x2` must be an integer tensor, received dtype "
            f"{dtypes.standardize_dtype(x2.dtype)}."
        )
    return x2


@hookimpl
def ldexp(x1, x2):
    x2 = _ldexp_exponent(x2)
    x1, out = _wide(x1)
    return _quiet(np.ldexp, x1, x2.astype(np.int32)).astype(out)


@hookimpl
def nextafter(x1, x2):
    dtype = _result_np_dtype((x1, x2, 1.0))
    return np.nextafter(_as(x1, dtype), _as(x2, dtype))


@hookimpl
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = promote(x1, x2)
    return np.asarray(np.allclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


@hookimpl
def ptp(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if x.dtype == bool:
        raise TypeError(
            "ptp: boolean tensors have no range (max - min); cast `x` to a numeric dtype first."
        )
    return np.asarray(np.ptp(x, axis=axis_arg(axis), keepdims=keepdims), dtype=x.dtype)


@hookimpl
def percentile(x, q, axis=None, method="linear", keepdims=False):
    x = _floats(x)
    result = np.percentile(
        x, convert_to_tensor(q), axis=axis_arg(axis), method=method, keepdims=keepdims
    )
    return np.asarray(result, dtype=x.dtype)


@hookimpl
def slogdet(x):
    x, out = _wide(x)
    sign, logabsdet = np.linalg.slogdet(x)
    return np.asarray(sign).astype(out), np.asarray(logabsdet).astype(out)


@hookimpl
def nansum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = to_np_dtype(accumulation_dtype(dtypes.standardize_dtype(x.dtype)))
    return np.asarray(np.nansum(x, axis=axis_arg(axis), keepdims=keepdims, dtype=dtype))


@hookimpl
def nanprod(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = to_np_dtype(accumulation_dtype(dtypes.standardize_dtype(x.dtype)))
    return np.asarray(np.nanprod(x, axis=axis_arg(axis), keepdims=keepdims, dtype=dtype))


def _nan_float_reduction(np_fn):
    def op(x, axis=None, keepdims=False):
        x, out = _wide(x)
        return np.asarray(_quiet(np_fn, x, axis=axis_arg(axis), keepdims=keepdims)).astype(out)

    return op


def _nan_extreme(np_fn):
    def op(x, axis=None, keepdims=False):
        x = convert_to_tensor(x)
        return np.asarray(_quiet(np_fn, x, axis=axis_arg(axis), keepdims=keepdims), x.dtype)

    return op


def _nan_arg(np_fn, fill):
    def op(x, axis=None, keepdims=False):
        x = convert_to_tensor(x)
        if x.dtype.kind not in "fc":
            return np.asarray(np_fn(x, axis=axis, keepdims=keepdims), dtype=np.int32)
        nan = np.isnan(x)
        filled = np.where(nan, fill, x)
        index = np_fn(filled, axis=axis, keepdims=keepdims)
        # Where the extreme is an infinity equal to the fill, the first non-NaN holds it.
        extreme = np.take_along_axis(
            filled.reshape(-1) if axis is None else filled,
            index.reshape(1)
            if axis is None
            else (index if keepdims else np.expand_dims(index, axis)),
            axis=0 if axis is None else axis,
        )
        first_valid = np.argmax(~nan, axis=axis, keepdims=keepdims)
        index = np.where(extreme.reshape(index.shape) == fill, first_valid, index)
        all_nan = np.all(nan, axis=axis, keepdims=keepdims)
        return np.asarray(np.where(all_nan, -1, index), dtype=np.int32)

    return op


nanargmax = hookimpl(_nan_arg(np.argmax, -np.inf))
nanargmin = hookimpl(_nan_arg(np.argmin, np.inf))


@hookimpl
def nancumsum(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    return _cumulative(
        np.cumsum, np.where(np.isnan(x), 0, x) if x.dtype.kind in "fc" else x, axis, dtype
    )


@hookimpl
def nancumprod(x, axis=None, dtype=None):
    x = convert_to_tensor(x)
    return _cumulative(
        np.cumprod, np.where(np.isnan(x), 1, x) if x.dtype.kind in "fc" else x, axis, dtype
    )


@hookimpl
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    x, out = _wide(x)
    result = _quiet(
        np.nanquantile,
        x,
        convert_to_tensor(q),
        axis=axis_arg(axis),
        method=method,
        keepdims=keepdims,
    )
    return np.asarray(result).astype(out)


@hookimpl
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    x, out = _wide(x)
    result = _quiet(
        np.nanpercentile,
        x,
        convert_to_tensor(q),
        axis=axis_arg(axis),
        method=method,
        keepdims=keepdims,
    )
    return np.asarray(result).astype(out)


@hookimpl
def rearrange(tensor, pattern, **axes_lengths):
    from unikeras.backend.common.patterns import rearrange_plan

    x = convert_to_tensor(tensor)
    split_shape, permutation, output_shape = rearrange_plan(pattern, x.shape, axes_lengths)
    return np.transpose(x.reshape(split_shape), permutation).reshape(output_shape)


@hookimpl
def vectorize(pyfunc, *, excluded=None, signature=None):
    return np.vectorize(
        pyfunc, excluded=set() if excluded is None else set(excluded), signature=signature
    )


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.numpy_api` and bound here to `np` and this module's helpers.
_shared = bind_numpy_ops(np, globals())


def _np_dtypes(names):
    """The NumPy dtypes of the dtype `names` this backend has, less bfloat16 (ml_dtypes, which
    `import unikeras` does not load: bfloat16 arrays take the implementation)."""
    found = []
    for name in names:
        if name == "bfloat16":
            continue
        try:
            found.append(to_np_dtype(name))
        except (TypeError, ValueError):
            pass
    return found


# Fast entries (`unikeras.backend.hookspec.fast_entry`): for two arrays of one of these
# dtypes, the ufunc's own result is the op's (Keras 3 promotion keeps an equal dtype), so the
# public op calls it without entering the implementation. Division and matmul serve floats
# only (ints divide to `floatx()`, small ints multiply into int32, bfloat16 matmul widens).
_FLOATS = _np_dtypes((*dtypes.FLOAT_TYPES, *dtypes.COMPLEX_TYPES))
_NUMBERS = _FLOATS + _np_dtypes(dtypes.INT_TYPES)
for _name, _ufunc, _dtypes in (
    ("add", np.add, (*_NUMBERS, np.dtype(bool))),
    ("subtract", np.subtract, _NUMBERS),
    ("multiply", np.multiply, (*_NUMBERS, np.dtype(bool))),
    ("maximum", np.maximum, (*_NUMBERS, np.dtype(bool))),
    ("minimum", np.minimum, (*_NUMBERS, np.dtype(bool))),
    ("divide", np.divide, _FLOATS),
    ("true_divide", np.divide, _FLOATS),
    ("matmul", np.matmul, [d for d in _FLOATS if d.name != "bfloat16"]),
):
    fast_entry(np.ndarray, _dtypes, _ufunc)(globals()[_name])
