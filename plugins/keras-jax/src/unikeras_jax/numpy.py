"""JAX backend: the NumPy-like ops (`keras.ops.numpy`), with Keras 3 dtype promotion.

JAX's own promotion differs from Keras 3's where 64-bit types are enabled (`int32 + 1.5` would
give `float64`), so every op fixes its result dtype with `unikeras.backend.dtypes` and passes
it to JAX explicitly.
"""

import builtins

import jax.numpy as jnp
import numpy as np

from unikeras_jax.convert import convert_to_tensor, dtype_of, to_jnp_dtype
from unikeras.backend.api import dtypes
from unikeras.backend.common.array_args import (
    check_correlate_ranks,
    check_pad_args,
    correlate_dtypes,
)
from unikeras.backend.common.numpy_api import bind_numpy_ops
from unikeras.backend.common.axes import axis_arg
from unikeras.backend.common.dtype_rules import (
    accumulation_dtype,
    float_dtype,
    is_inexact,
    numeric_dtype,
)
from unikeras.backend.api import floatx, hookimpl

_RESULT_DTYPES = {}  # (input dtypes or Python types, resolve, floatx) -> JAX dtype
_WEAK_TYPES = (bool, int, float, complex)


def result_jnp_dtype(xs, resolve=None):
    """The JAX dtype of `result_type(*xs)` (then `resolve`d), cached per input dtypes."""
    key = (*[dtype_of(x) for x in xs], resolve, floatx())
    dtype = _RESULT_DTYPES.get(key)
    if dtype is None:
        name = dtypes.result_type(*key[:-2])
        dtype = _RESULT_DTYPES[key] = to_jnp_dtype(resolve(name) if resolve else name)
    return dtype


def _operand(x):
    """Keeps Python scalars (weak types) as they are; converts everything else to arrays."""
    return x if x.__class__ in _WEAK_TYPES else convert_to_tensor(x)


def promote(*xs):
    """Converts `xs` to arrays of their Keras 3 result dtype."""
    xs = [_operand(x) for x in xs]
    dtype = result_jnp_dtype(xs)
    return [convert_to_tensor(x, dtype=dtype) for x in xs]


try:  # concrete arrays; tracers take the general path. Named, not made: creating an array
    # here would start the XLA backend at import, before `keras.distribution.initialize`.
    from jax._src.array import ArrayImpl as _ARRAY_IMPL
except ImportError:  # pragma: no cover - a JAX that moved it
    _ARRAY_IMPL = type(jnp.zeros(()))


def _cast_pair(x1, x2, dtype):
    """`x1, x2` in `dtype`; a Python scalar next to an array stays a (weak) scalar."""
    weak1, weak2 = x1.__class__ in _WEAK_TYPES, x2.__class__ in _WEAK_TYPES
    if weak1 and weak2:
        return convert_to_tensor(x1, dtype), x2
    return (
        x1 if weak1 else convert_to_tensor(x1, dtype),
        x2 if weak2 else convert_to_tensor(x2, dtype),
    )


def binary(jnp_fn, resolve=None):
    """Wraps a JAX binary function with Keras 3 promotion, keeping same-dtype calls fast.

    Args:
        jnp_fn: The `jax.numpy` function.
        resolve: Optional function from the promoted dtype name to the dtype the op computes
            in and returns (e.g. ints to `floatx()` for division). It must keep float and
            complex dtypes unchanged.
    """
    fast_kinds = "iufc" if resolve is None else "fc"

    def op(x1, x2):
        if (
            x1.__class__ is _ARRAY_IMPL
            and x2.__class__ is _ARRAY_IMPL
            and x1.dtype == x2.dtype
            and x1.dtype.kind in fast_kinds
        ):
            return jnp_fn(x1, x2)
        x1, x2 = _operand(x1), _operand(x2)
        dtype = result_jnp_dtype((x1, x2), resolve)
        result = jnp_fn(*_cast_pair(x1, x2, dtype))
        return result if result.dtype == dtype else result.astype(dtype)

    return op


@hookimpl
def matmul(x1, x2):
    if (
        x1.__class__ is _ARRAY_IMPL
        and x2.__class__ is _ARRAY_IMPL
        and x1.dtype == x2.dtype
        and x1.dtype.kind in "fc"
    ):
        return jnp.matmul(x1, x2)  # same float dtype: no casts (each `astype` is a dispatch)
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    name = dtypes.matmul_result_type(x1.dtype, x2.dtype)
    dtype = to_jnp_dtype(name)
    if name in ("uint8", "int16", "bool"):  # products in int32, then cast (wraps as Keras')
        out = jnp.matmul(x1.astype("int32"), x2.astype("int32"), preferred_element_type="int32")
        return out.astype(dtype)
    return jnp.matmul(x1.astype(dtype), x2.astype(dtype), preferred_element_type=dtype)


def _name(x):
    return dtypes.standardize_dtype(x.dtype)


@hookimpl
def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    dtype = to_jnp_dtype(accumulation_dtype(_name(x)))
    return jnp.sum(x, axis=axis_arg(axis), keepdims=keepdims, dtype=dtype)


@hookimpl
def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    name = _name(x)
    out = to_jnp_dtype(name if is_inexact(name) else floatx())
    compute = jnp.float32 if name in ("float16", "bfloat16") else out
    result = jnp.mean(x.astype(compute), axis=axis_arg(axis), keepdims=keepdims, dtype=compute)
    return result.astype(out)


@hookimpl
def concatenate(xs, axis=0):
    return jnp.concatenate(promote(*xs), axis=axis)


def _dtype_or_floatx(dtype):
    return to_jnp_dtype(dtype or floatx())


@hookimpl
def zeros(shape, dtype=None):
    return jnp.zeros(shape, dtype=_dtype_or_floatx(dtype))


@hookimpl
def ones(shape, dtype=None):
    return jnp.ones(shape, dtype=_dtype_or_floatx(dtype))


# --------------------------------------------------------------------------------------------
# Array creation, shape manipulation, indexing, sorting, products
# --------------------------------------------------------------------------------------------


def _like_dtype(x, dtype):
    """The dtype for `*_like` ops: `dtype` if given, else the dtype of `x`."""
    return to_jnp_dtype(dtype) if dtype is not None else x.dtype


def _float_result(*values):
    """`result_type(*values, float)`, where values are tensors or Python scalars."""
    return dtypes.result_type(*[dtype_of(_operand(v)) for v in values], float)


@hookimpl
def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = dtypes.result_type(*[dtype_of(v) for v in given])
    if stop is None:
        start, stop = 0, start
    return jnp.arange(start, stop, 1 if step is None else step, dtype=to_jnp_dtype(dtype))


def _space(jnp_fn, start, stop, dtype, **kwargs):
    """Runs a `*space` function in float64 (JAX computes int outputs in floats too)."""
    dtype = to_jnp_dtype(dtype or _float_result(start, stop))
    start, stop = convert_to_tensor(start), convert_to_tensor(stop)
    compute = (
        jnp.promote_types(dtype, jnp.float32)
        if jnp.issubdtype(dtype, jnp.inexact)
        else to_jnp_dtype("float64")
    )
    return jnp_fn(start.astype(compute), stop.astype(compute), dtype=compute, **kwargs), dtype


@hookimpl
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    (samples, step), dtype = _space(
        jnp.linspace, start, stop, dtype, num=num, endpoint=endpoint, retstep=True, axis=axis
    )
    if jnp.issubdtype(dtype, jnp.integer):
        samples = jnp.floor(samples)
    samples = samples.astype(dtype)
    return (samples, jnp.asarray(step).astype(dtype)) if retstep else samples


@hookimpl
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    samples, dtype = _space(
        jnp.logspace, start, stop, dtype, num=num, endpoint=endpoint, base=base, axis=axis
    )
    return samples.astype(dtype)


@hookimpl
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    samples, dtype = _space(
        jnp.geomspace, start, stop, dtype, num=num, endpoint=endpoint, axis=axis
    )
    return samples.astype(dtype)


@hookimpl
def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M=M, k=k, dtype=_dtype_or_floatx(dtype))


@hookimpl
def identity(n, dtype=None):
    return jnp.identity(n, dtype=_dtype_or_floatx(dtype))


@hookimpl
def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(N, M=M, k=k, dtype=_dtype_or_floatx(dtype))


@hookimpl
def full(shape, fill_value, dtype=None):
    dtype = _dtype_or_floatx(dtype)
    return jnp.full(shape, convert_to_tensor(fill_value, dtype=dtype), dtype=dtype)


@hookimpl
def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    dtype = _like_dtype(x, dtype)
    return jnp.full(x.shape, convert_to_tensor(fill_value, dtype=dtype), dtype=dtype)


@hookimpl
def empty(shape, dtype=None):
    return jnp.zeros(shape, dtype=_dtype_or_floatx(dtype))


@hookimpl
def view(x, dtype=None):
    x = convert_to_tensor(x)
    if dtype is None:
        return x
    return x.view(to_jnp_dtype(dtype))


@hookimpl
def repeat(x, repeats, axis=None):
    if isinstance(repeats, list):
        repeats = np.asarray(repeats)  # static counts keep the output shape known
    return jnp.repeat(convert_to_tensor(x), repeats, axis=axis)


@hookimpl
def stack(x, axis=0):
    return jnp.stack(promote(*x), axis=axis)


@hookimpl
def hstack(xs):
    return jnp.hstack(promote(*xs))


@hookimpl
def vstack(xs):
    return jnp.vstack(promote(*xs))


@hookimpl
def dstack(xs):
    return jnp.dstack(promote(*xs))


@hookimpl
def column_stack(xs):
    return jnp.column_stack(promote(*xs))


@hookimpl
def append(x1, x2, axis=None):
    x1, x2 = promote(x1, x2)
    return jnp.append(x1, x2, axis=axis)


@hookimpl
def pad(x, pad_width, mode="constant", constant_values=None):
    check_pad_args(mode, constant_values)
    x = convert_to_tensor(x)
    pad_width = np.asarray(pad_width, dtype="int64")
    if mode == "empty":  # unspecified values: zeros keep results deterministic
        mode, constant_values = "constant", 0
    kwargs = {}
    if constant_values is not None:
        kwargs["constant_values"] = convert_to_tensor(constant_values, dtype=x.dtype)
    return jnp.pad(x, pad_width, mode="wrap" if mode == "circular" else mode, **kwargs)


@hookimpl
def diag(x, k=0):
    x = convert_to_tensor(x)
    return jnp.diag(x, k=k)


@hookimpl
def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(convert_to_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


@hookimpl
def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    dtype = to_jnp_dtype(accumulation_dtype(_name(x)))
    return jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)


def _indices(indices):
    indices = convert_to_tensor(indices)
    return indices if dtypes.is_int_dtype(indices.dtype) else indices.astype(jnp.int32)


@hookimpl
def take(x, indices, axis=None):
    x, indices = convert_to_tensor(x), _indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    # NumPy's negative indices count from the end; out-of-range ones are clamped.
    indices = jnp.where(indices < 0, indices + x.shape[axis], indices)
    return jnp.take(x, indices, axis=axis, mode="clip")


@hookimpl
def take_along_axis(x, indices, axis=None):
    x, indices = convert_to_tensor(x), _indices(indices)
    if axis is None:
        x, indices, axis = x.reshape(-1), indices.reshape(-1), 0
    indices = jnp.where(indices < 0, indices + x.shape[axis], indices)
    return jnp.take_along_axis(x, indices, axis=axis, mode="clip")


@hookimpl
def nonzero(x):
    return tuple(i.astype(jnp.int32) for i in jnp.nonzero(convert_to_tensor(x)))


@hookimpl
def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = promote(x1, x2)
    return jnp.isin(x1, x2, assume_unique=assume_unique, invert=invert)


@hookimpl
def argsort(x, axis=-1):
    return jnp.argsort(convert_to_tensor(x), axis=axis, stable=True).astype(jnp.int32)


@hookimpl
def argpartition(x, kth, axis=-1):
    # A stable full sort is a valid partition for every kth (and matches NumPy's choice on
    # small inputs, where NumPy sorts too).
    return jnp.argsort(convert_to_tensor(x), axis=axis, stable=True).astype(jnp.int32)


@hookimpl
def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = promote(sorted_sequence, values)
    return jnp.searchsorted(sorted_sequence, values, side=side).astype(jnp.int32)


@hookimpl
def digitize(x, bins):
    x, bins = promote(x, bins)
    return jnp.digitize(x, bins).astype(jnp.int32)


@hookimpl
def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    dtype = to_jnp_dtype(_float_result(x))
    compute = jnp.promote_types(dtype, jnp.float32)
    counts, edges = jnp.histogram(x.astype(compute), bins=bins, range=range)
    return counts.astype(jnp.int32), edges.astype(dtype)


@hookimpl
def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("bincount: sparse=True is not supported by the jax backend.")
    x = convert_to_tensor(x)
    if weights is None:
        dtype = jnp.int32
    else:
        weights = convert_to_tensor(weights)
        dtype = to_jnp_dtype(dtypes.result_type(x.dtype, weights.dtype))
        weights = weights.astype(dtype)
    # (not jnp.max(x, initial=-1): -1 wraps to 255 for uint8 ids, giving 256 bins)
    top = int(jnp.max(x)) if x.size else -1
    length = builtins.max(top + 1, minlength)
    if x.ndim == 1:
        return jnp.bincount(x, weights, length=length).astype(dtype)
    rows = [
        jnp.bincount(row, None if weights is None else weights[i], length=length)
        for i, row in enumerate(x)
    ]
    return (
        jnp.stack(rows).reshape(x.shape[0], length).astype(dtype)
        if rows
        else jnp.zeros((0, length), dtype)
    )


def _fixed_length(values, axis, size, fill):
    """Truncates or pads `values` along `axis` to `size` entries."""
    values = jnp.take(values, jnp.arange(builtins.min(size, values.shape[axis])), axis=axis)
    widths = [(0, 0)] * values.ndim
    widths[axis] = (0, size - values.shape[axis])
    return jnp.pad(values, widths, constant_values=fill)


@hookimpl
def unique(x, sorted, return_index, return_inverse, return_counts, axis, size, fill_value):
    x = convert_to_tensor(x)
    values, index, inverse, counts = jnp.unique(
        x, return_index=True, return_inverse=True, return_counts=True, axis=axis
    )
    value_axis = 0 if axis is None else axis % x.ndim
    if not sorted:  # order of first occurrence
        order = jnp.argsort(index, stable=True)
        values, index, counts = (
            jnp.take(values, order, axis=value_axis),
            index[order],
            counts[order],
        )
        inverse = jnp.argsort(order)[inverse]
    inverse = inverse.reshape(x.shape if axis is None else (x.shape[value_axis],))
    if size is not None:
        fill = 0 if fill_value is None else fill_value
        values = _fixed_length(values, value_axis, size, fill)
        index, counts = _fixed_length(index, 0, size, 0), _fixed_length(counts, 0, size, 0)
    extras = [
        a.astype(jnp.int32)
        for a, wanted in ((index, return_index), (inverse, return_inverse), (counts, return_counts))
        if wanted
    ]
    return tuple([values] + extras) if extras else values


def _product_dtype(x1, x2):
    """Promoted operands and the dtype products accumulate in (`preferred_element_type`)."""
    x1, x2 = promote(x1, x2)
    return x1, x2, x1.dtype


@hookimpl
def dot(x1, x2):
    x1, x2, dtype = _product_dtype(x1, x2)
    return jnp.dot(x1, x2, preferred_element_type=dtype)


@hookimpl
def inner(x1, x2):
    x1, x2, dtype = _product_dtype(x1, x2)
    return jnp.inner(x1, x2, preferred_element_type=dtype)


@hookimpl
def outer(x1, x2):
    x1, x2 = promote(x1, x2)
    return jnp.outer(x1, x2)


@hookimpl
def vdot(x1, x2):
    x1, x2, dtype = _product_dtype(x1, x2)
    return jnp.vdot(x1, x2, preferred_element_type=dtype)


@hookimpl
def tensordot(x1, x2, axes=2):
    if isinstance(axes, (list, tuple)):
        axes = tuple(axis_arg(a) for a in axes)
    x1, x2, dtype = _product_dtype(x1, x2)
    return jnp.tensordot(x1, x2, axes=axes, preferred_element_type=dtype)


@hookimpl
def einsum(subscripts, *operands, **kwargs):
    operands = [convert_to_tensor(x) for x in operands]
    names = {_name(x) for x in operands}
    dtype = to_jnp_dtype("int32" if names == {"int8"} else dtypes.result_type(*names))
    operands = [x.astype(dtype) for x in operands]
    return jnp.einsum(subscripts, *operands, preferred_element_type=dtype, **kwargs)


@hookimpl
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2 = promote(x1, x2)
    x1, x2 = jnp.moveaxis(x1, axisa, -1), jnp.moveaxis(x2, axisb, -1)
    result = jnp.cross(_shared._as_3_vectors(x1), _shared._as_3_vectors(x2))
    if x1.shape[-1] == 2 and x2.shape[-1] == 2:
        return result[..., 2]
    return jnp.moveaxis(result, -1, axisc)


@hookimpl
def kron(x1, x2):
    return jnp.kron(*promote(x1, x2))


@hookimpl
def correlate(x1, x2, mode="valid"):
    dtype, compute = correlate_dtypes(
        dtypes.result_type(dtype_of(_operand(x1)), dtype_of(_operand(x2)))
    )
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    check_correlate_ranks(x1.shape, x2.shape)
    compute = to_jnp_dtype(compute)
    out = jnp.correlate(x1.astype(compute), x2.astype(compute), mode)
    return out.astype(to_jnp_dtype(dtype))


@hookimpl
def corrcoef(x):
    x = convert_to_tensor(x)
    name = _name(x)
    dtype = "float64" if name == "int64" else dtypes.result_type(name, float)
    return jnp.corrcoef(x.astype(to_jnp_dtype("float64"))).astype(to_jnp_dtype(dtype))


@hookimpl
def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = convert_to_tensor(y)
    dtype = to_jnp_dtype(_float_result(y))
    x = None if x is None else convert_to_tensor(x).astype(to_jnp_dtype("float64"))
    return jnp.trapezoid(y.astype(to_jnp_dtype("float64")), x, dx=dx, axis=axis).astype(dtype)


@hookimpl
def vander(x, N=None, increasing=False):
    x = convert_to_tensor(x)
    compute = to_jnp_dtype(dtypes.result_type(x.dtype, floatx()))
    out = jnp.vander(x.astype(compute), N=N, increasing=increasing)
    if jnp.issubdtype(x.dtype, jnp.integer):
        out = jnp.round(out)
    return out.astype(x.dtype)


def _window(jnp_window):
    """Wraps a window function: the length may be a tensor; the result is floatx."""

    def window(x):
        return jnp_window(int(convert_to_tensor(x))).astype(to_jnp_dtype(floatx()))

    return window


@hookimpl
def kaiser(x, beta):
    length = int(convert_to_tensor(x))
    return jnp.kaiser(length, jnp.asarray(beta, to_jnp_dtype("float64"))).astype(
        to_jnp_dtype(floatx())
    )


# --------------------------------------------------------------------------------------------
# Element-wise math, comparisons, logic, bitwise ops and reductions
# --------------------------------------------------------------------------------------------


def floats(x, wide_int64=False):
    """`x` as an array of the float dtype a float-valued op computes in."""
    x = convert_to_tensor(x)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    return x.astype(to_jnp_dtype(float_dtype(x.dtype, wide_int64)))


def unary_float(jnp_fn, wide_int64=False):
    """Wraps a JAX unary function whose result is float (ints and bools give `floatx()`)."""

    def op(x):
        return jnp_fn(floats(x, wide_int64))

    return op


def compare(jnp_fn):
    """Wraps a JAX comparison: operands promoted as Keras 3 does, `bool` result."""

    def op(x1, x2):
        if x1.__class__ is _ARRAY_IMPL and x2.__class__ is _ARRAY_IMPL and x1.dtype == x2.dtype:
            return jnp_fn(x1, x2)
        x1, x2 = _operand(x1), _operand(x2)
        return jnp_fn(*_cast_pair(x1, x2, result_jnp_dtype((x1, x2))))

    return op


floor_divide = hookimpl(binary(jnp.floor_divide, numeric_dtype))


def _power(x1, x2):
    x1 = x1 if hasattr(x1, "dtype") else jnp.asarray(x1, x2.dtype)
    x2 = x2 if hasattr(x2, "dtype") else jnp.asarray(x2, x1.dtype)
    # Integer powers with negative exponents are 0 (or +-1) in NumPy; JAX raises.
    if jnp.issubdtype(x1.dtype, jnp.integer) and jnp.issubdtype(x2.dtype, jnp.signedinteger):
        positive = jnp.power(x1, jnp.maximum(x2, 0))
        unit = jnp.where(jnp.abs(x1) == 1, jnp.where(x2 % 2 == 0, jnp.abs(x1), x1), 0)
        return jnp.where(x2 < 0, unit.astype(x1.dtype), positive)
    if x1.dtype == jnp.bool_:
        return jnp.logical_or(x1, jnp.logical_not(x2))
    return jnp.power(x1, x2)


power = hookimpl(binary(_power))


@hookimpl
def divide_no_nan(x1, x2):
    x1, x2 = promote(x1, x2)
    dtype = to_jnp_dtype(float_dtype(x1.dtype))
    x1, x2 = x1.astype(dtype), x2.astype(dtype)
    safe = jnp.where(x2 == 0, jnp.ones((), dtype), x2)
    return jnp.where(x2 == 0, jnp.zeros((), dtype), x1 / safe)


@hookimpl
def sign(x):
    x = convert_to_tensor(x)
    return x if x.dtype == jnp.bool_ else jnp.sign(x)  # a bool is its own sign


@hookimpl
def square(x):
    x = convert_to_tensor(x)
    return jnp.square(x.astype(jnp.int32) if x.dtype == jnp.bool_ else x)


@hookimpl
def round(x, decimals=0):
    x = convert_to_tensor(x)
    if x.dtype == jnp.bool_ or jnp.issubdtype(x.dtype, jnp.integer) and decimals >= 0:
        return x
    if jnp.issubdtype(x.dtype, jnp.integer):  # round to tens, hundreds, ... in float64
        return jnp.round(x.astype(to_jnp_dtype("float64")), decimals).astype(x.dtype)
    return jnp.round(x, decimals=decimals)


@hookimpl
def trunc(x):
    x = convert_to_tensor(x)
    return jnp.trunc(x) if jnp.issubdtype(x.dtype, jnp.inexact) else x


@hookimpl
def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    dtype = jnp.int32 if x.dtype == jnp.bool_ else x.dtype
    return jnp.clip(x.astype(dtype), x_min, x_max).astype(dtype)


def _conjugate(x):
    x = convert_to_tensor(x)
    return jnp.conjugate(x)


@hookimpl
def conj(x):
    return _conjugate(x)


@hookimpl
def conjugate(x):
    return _conjugate(x)


@hookimpl
def angle(x):
    x = floats(x)
    return jnp.angle(x).astype(jnp.real(x).dtype)  # 0-d float32 inputs would give float64


def _extreme(jnp_fn, x, axis, keepdims, initial):
    x = convert_to_tensor(x)
    if initial is not None:
        initial = convert_to_tensor(initial, dtype=x.dtype)
    return jnp_fn(x, axis=axis_arg(axis), keepdims=keepdims, initial=initial).astype(x.dtype)


@hookimpl
def max(x, axis=None, keepdims=False, initial=None):
    return _extreme(jnp.max, x, axis, keepdims, initial)


@hookimpl
def min(x, axis=None, keepdims=False, initial=None):
    return _extreme(jnp.min, x, axis, keepdims, initial)


@hookimpl
def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = to_jnp_dtype(dtype or accumulation_dtype(_name(x)))
    return jnp.prod(x, axis=axis_arg(axis), keepdims=keepdims, dtype=dtype)


def _moment(jnp_fn, x, axis, keepdims):
    """Runs `jnp.std`/`jnp.var` in at least float32 and returns the Keras 3 float dtype."""
    x = convert_to_tensor(x)
    out = to_jnp_dtype(float_dtype(x.dtype))
    compute = jnp.promote_types(out, jnp.float32) if jnp.issubdtype(out, jnp.floating) else out
    return jnp_fn(x.astype(compute), axis=axis_arg(axis), keepdims=keepdims).astype(out)


@hookimpl
def all(x, axis=None, keepdims=False):
    return jnp.all(convert_to_tensor(x), axis=axis_arg(axis), keepdims=keepdims)


@hookimpl
def any(x, axis=None, keepdims=False):
    return jnp.any(convert_to_tensor(x), axis=axis_arg(axis), keepdims=keepdims)


@hookimpl
def argmax(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return jnp.argmax(x, axis=axis, keepdims=keepdims).astype(jnp.int32)


@hookimpl
def argmin(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    return jnp.argmin(x, axis=axis, keepdims=keepdims).astype(jnp.int32)


@hookimpl
def average(x, axis=None, weights=None):
    given = [x] if weights is None else [x, weights]
    dtype = to_jnp_dtype(dtypes.result_type(*[dtype_of(_operand(v)) for v in given], float))
    x = convert_to_tensor(x, dtype=dtype)
    if weights is None:
        return jnp.mean(x, axis=axis_arg(axis)).astype(dtype)
    weights = _weights_like(x, convert_to_tensor(weights, dtype=dtype), axis)
    total = jnp.sum(x * weights, axis=axis_arg(axis))
    return (total / jnp.sum(weights, axis=axis_arg(axis))).astype(dtype)


def _weights_like(x, weights, axis):
    """`weights` broadcast to x's shape: given with it, or 1-D along a single `axis` (the op's
    `_check_average` has checked which)."""
    if weights.ndim == x.ndim:
        return weights
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    shape = [1] * x.ndim
    shape[axes[0]] = weights.shape[0]
    return jnp.broadcast_to(weights.reshape(shape), x.shape)


@hookimpl
def median(x, axis=None, keepdims=False):
    x = floats(x)
    return jnp.median(x, axis=axis_arg(axis), keepdims=keepdims).astype(x.dtype)


def _nearest_quantile(x, q, axis, keepdims):
    """`method="nearest"` as NumPy: the position `q (n - 1)` rounds half to even (JAX rounds
    halves down)."""
    axes = (
        range(x.ndim)
        if axis is None
        else [a % x.ndim for a in (axis if isinstance(axis, (list, tuple)) else [axis])]
    )
    n = int(np.prod([x.shape[a] for a in axes]))
    lower = jnp.quantile(x, q, axis=axis_arg(axis), method="lower", keepdims=keepdims)
    higher = jnp.quantile(x, q, axis=axis_arg(axis), method="higher", keepdims=keepdims)
    position = q * (n - 1)
    up = jnp.round(position) > jnp.floor(position)
    return jnp.where(up.reshape(up.shape + (1,) * (lower.ndim - up.ndim)), higher, lower)


@hookimpl
def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = floats(x)
    q = convert_to_tensor(q, dtype=jnp.promote_types(x.dtype, jnp.float32))
    if method == "nearest":
        return _nearest_quantile(x, q, axis, keepdims).astype(x.dtype)
    result = jnp.quantile(x, q, axis=axis_arg(axis), method=method, keepdims=keepdims)
    return result.astype(x.dtype)


@hookimpl
def count_nonzero(x, axis=None):
    return jnp.count_nonzero(convert_to_tensor(x), axis=axis_arg(axis)).astype(jnp.int32)


def _cumulative(jnp_fn, x, axis, dtype):
    """Runs `jnp.cumsum`/`jnp.cumprod` in `dtype`, else x's dtype (`bool` as `int32`)."""
    x = convert_to_tensor(x)
    dtype = to_jnp_dtype(dtype) if dtype is not None else x.dtype
    return jnp_fn(x, axis=axis, dtype=jnp.int32 if dtype == jnp.bool_ else dtype)


# --------------------------------------------------------------------------------------------
# Issue 15 ops with a jax.numpy kernel (nanargmax/nanargmin, rearrange use the core defaults)
# --------------------------------------------------------------------------------------------


def _wide_floats(x):
    """`x` as floats to compute in (at least float32) and the JAX dtype to return."""
    x = floats(x)
    return x.astype(jnp.promote_types(x.dtype, jnp.float32)), x.dtype


@hookimpl
def fabs(x):
    return jnp.fabs(floats(x))


def _fmod(x1, x2):
    if jnp.issubdtype(x1.dtype, jnp.inexact):
        return jnp.fmod(x1, x2)
    zero = x2 == 0  # NumPy gives 0 for an integer division by zero
    return jnp.where(zero, jnp.zeros_like(x1), jnp.fmod(x1, jnp.where(zero, 1, x2)))


@hookimpl
def fmod(x1, x2):
    dtype = result_jnp_dtype((_operand(x1), _operand(x2)), numeric_dtype)
    return _fmod(convert_to_tensor(x1, dtype=dtype), convert_to_tensor(x2, dtype=dtype))


@hookimpl
def i0(x):
    x, out = _wide_floats(x)
    return jnp.i0(x).astype(out)


@hookimpl
def sinc(x):
    x, out = _wide_floats(x)
    return jnp.sinc(x).astype(out)


@hookimpl
def ldexp(x1, x2):
    x2 = convert_to_tensor(x2)
    if not (jnp.issubdtype(x2.dtype, jnp.integer) or x2.dtype == jnp.bool_):
        raise TypeError(
            f"ldexp: the exponent `x2` must be an integer tensor, received dtype {_name(x2)}."
        )
    x1, out = _wide_floats(x1)
    return jnp.ldexp(x1, x2.astype(jnp.int32)).astype(out)


@hookimpl
def nextafter(x1, x2):
    dtype = result_jnp_dtype((_operand(x1), _operand(x2), 1.0))
    return jnp.nextafter(convert_to_tensor(x1, dtype=dtype), convert_to_tensor(x2, dtype=dtype))


@hookimpl
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = promote(x1, x2)
    return jnp.all(jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


@hookimpl
def ptp(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if x.dtype == jnp.bool_:
        raise TypeError(
            "ptp: boolean tensors have no range (max - min); cast `x` to a numeric dtype first."
        )
    return jnp.ptp(x, axis=axis_arg(axis), keepdims=keepdims)


@hookimpl
def percentile(x, q, axis=None, method="linear", keepdims=False):
    return quantile(
        x,
        convert_to_tensor(q, dtype=jnp.float64 if _name(floats(x)) == "float64" else jnp.float32)
        / 100,
        axis,
        method,
        keepdims,
    )


@hookimpl
def slogdet(x):
    x, out = _wide_floats(x)
    sign, logabsdet = jnp.linalg.slogdet(x)
    return sign.astype(out), logabsdet.astype(out)


def _nan_accumulation(jnp_fn):
    def op(x, axis=None, keepdims=False):
        x = convert_to_tensor(x)
        dtype = to_jnp_dtype(accumulation_dtype(_name(x)))
        return jnp_fn(x, axis=axis_arg(axis), keepdims=keepdims, dtype=dtype)

    return op


nansum = hookimpl(_nan_accumulation(jnp.nansum))
nanprod = hookimpl(_nan_accumulation(jnp.nanprod))


def _nan_float_reduction(jnp_fn):
    def op(x, axis=None, keepdims=False):
        x, out = _wide_floats(x)
        return jnp_fn(x, axis=axis_arg(axis), keepdims=keepdims).astype(out)

    return op


def _nan_extreme(jnp_fn):
    def op(x, axis=None, keepdims=False):
        x = convert_to_tensor(x)
        return jnp_fn(x, axis=axis_arg(axis), keepdims=keepdims).astype(x.dtype)

    return op


def _nan_cumulative(jnp_fn):
    def op(x, axis=None, dtype=None):
        x = convert_to_tensor(x)
        dtype = to_jnp_dtype(dtype) if dtype is not None else x.dtype
        return jnp_fn(x, axis=axis, dtype=jnp.int32 if dtype == jnp.bool_ else dtype)

    return op


nancumsum = hookimpl(_nan_cumulative(jnp.nancumsum))
nancumprod = hookimpl(_nan_cumulative(jnp.nancumprod))


def _nan_quantile(jnp_fn):
    def op(x, q, axis=None, method="linear", keepdims=False):
        if method == "nearest":  # JAX rounds halves of the position down; NumPy to even
            from unikeras.backend.api import numpy_defaults as defaults

            q = q if jnp_fn is jnp.nanquantile else convert_to_tensor(q, jnp.float32) / 100
            return defaults.nanquantile(x, q, axis, method, keepdims)
        x, out = _wide_floats(x)
        q = convert_to_tensor(q, dtype=x.dtype)
        return jnp_fn(x, q, axis=axis_arg(axis), method=method, keepdims=keepdims).astype(out)

    return op


nanquantile = hookimpl(_nan_quantile(jnp.nanquantile))
nanpercentile = hookimpl(_nan_quantile(jnp.nanpercentile))


@hookimpl
def vectorize(pyfunc, *, excluded=None, signature=None):
    return jnp.vectorize(pyfunc, excluded=frozenset(excluded or ()), signature=signature)


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.numpy_api` and bound here to `jnp` and this module's helpers.
_shared = bind_numpy_ops(jnp, globals())
