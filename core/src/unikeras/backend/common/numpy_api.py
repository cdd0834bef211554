"""The NumPy-API ops (`keras.ops.numpy`) whose code is the same for every array namespace that
follows the NumPy API, written once.

`bind_numpy_ops` defines them against `xp`, the caller's array module (`numpy` for the built-in
backend, `jax.numpy` for JAX), and the caller's own conversion and promotion helpers (each
backend keeps its fast paths for those). It returns the hook implementations as a namespace,
which the backend's `numpy` module adds to its globals, so each op stays a plain function (a
closure: no extra call per op). Ops whose code differs per engine stay in the backends.
"""

import types

import numpy as np

from unikeras.backend.common.array_args import check_rot90_axes
from unikeras.backend.common.axes import axis_arg, sections
from unikeras.backend.common.dtype_rules import float_dtype, numeric_dtype, wide_float_dtype
from unikeras.backend.hookspec import hookimpl


def bind_numpy_ops(xp, namespace):
    """Binds the shared `numpy` hook implementations to one array namespace and adds them to
    a backend's `numpy` module.

    Args:
        xp: The array module (`numpy` or `jax.numpy`).
        namespace: The `globals()` of the backend's `numpy` module. It must define the
            helpers the shared ops call, by these names:
            - `convert_to_tensor(x, dtype=None)`;
            - `promote(*xs)`: the inputs as arrays of their Keras 3 result dtype;
            - `binary(fn, resolve=None)`: a binary op with Keras 3 promotion;
            - `compare(fn)`: a comparison or logical op (boolean result);
            - `unary_float(fn, wide_int64=False)`: a unary op, float result;
            - `_cumulative(fn, x, axis, dtype)`: a cumulative sum or product;
            - `_like_dtype(x, dtype)`: the array dtype of a `*_like` result;
            - `_moment(fn, x, axis, keepdims)`: `std` / `var` in a float dtype;
            - `_nan_extreme(fn)`: `nanmax` / `nanmin`;
            - `_nan_float_reduction(fn)`: a NaN-ignoring float reduction;
            - `_window(fn)`: a window function of a length (`bartlett`, ...);
            - `max(x, axis=None, keepdims=False, initial=None)` (for `amax`);
            - `min(x, axis=None, keepdims=False, initial=None)` (for `amin`);
            The ops (and the helpers they share) are added to it.

    Returns:
        A `types.SimpleNamespace` of what was added, by name.
    """
    convert_to_tensor = namespace["convert_to_tensor"]
    promote = namespace["promote"]
    binary = namespace["binary"]
    compare = namespace["compare"]
    unary_float = namespace["unary_float"]
    cumulative = namespace["_cumulative"]
    like_dtype = namespace["_like_dtype"]
    moment = namespace["_moment"]
    nan_extreme = namespace["_nan_extreme"]
    nan_float_reduction = namespace["_nan_float_reduction"]
    window = namespace["_window"]
    reduce_max = namespace["max"]
    reduce_min = namespace["min"]
    ops = types.SimpleNamespace()

    def _hook(fn, name=None):
        impl = hookimpl(fn)
        setattr(ops, name or fn.__name__, impl)
        return impl

    def _helper(fn):
        setattr(ops, fn.__name__, fn)
        return fn

    _hook(binary(xp.add), "add")

    _hook(binary(xp.subtract), "subtract")

    _hook(binary(xp.multiply), "multiply")

    @_hook
    def reshape(x, newshape):
        return xp.reshape(convert_to_tensor(x), newshape)

    @_hook
    def transpose(x, axes=None):
        return xp.transpose(convert_to_tensor(x), axes)

    @_hook
    def array(x, dtype=None):
        return xp.array(convert_to_tensor(x, dtype=dtype), copy=True)

    @_hook
    def zeros_like(x, dtype=None):
        x = convert_to_tensor(x)
        return xp.zeros(x.shape, dtype=like_dtype(x, dtype))

    @_hook
    def ones_like(x, dtype=None):
        x = convert_to_tensor(x)
        return xp.ones(x.shape, dtype=like_dtype(x, dtype))

    @_hook
    def empty_like(x, dtype=None):
        return zeros_like(x, dtype=dtype)

    @_hook
    def copy(x):
        return xp.array(convert_to_tensor(x), copy=True)

    @_hook
    def expand_dims(x, axis):
        return xp.expand_dims(convert_to_tensor(x), axis_arg(axis))

    @_hook
    def squeeze(x, axis=None):
        return xp.squeeze(convert_to_tensor(x), axis=axis_arg(axis))

    @_hook
    def ravel(x):
        return xp.ravel(convert_to_tensor(x))

    @_hook
    def broadcast_to(x, shape):
        return xp.broadcast_to(convert_to_tensor(x), tuple(shape))

    @_hook
    def moveaxis(x, source, destination):
        return xp.moveaxis(convert_to_tensor(x), axis_arg(source), axis_arg(destination))

    @_hook
    def swapaxes(x, axis1, axis2):
        return xp.swapaxes(convert_to_tensor(x), axis1, axis2)

    @_hook
    def flip(x, axis=None):
        return xp.flip(convert_to_tensor(x), axis=axis_arg(axis))

    @_hook
    def fliplr(x):
        return xp.fliplr(convert_to_tensor(x))

    @_hook
    def flipud(x):
        return xp.flipud(convert_to_tensor(x))

    @_hook
    def roll(x, shift, axis=None):
        return xp.roll(convert_to_tensor(x), axis_arg(shift), axis=axis_arg(axis))

    @_hook
    def rot90(array, k=1, axes=(0, 1)):
        array = convert_to_tensor(array)
        check_rot90_axes(array.ndim, array.shape, axes)
        return xp.rot90(array, k=k, axes=tuple(axes))

    @_hook
    def tile(x, repeats):
        if hasattr(repeats, "shape"):  # a tensor of counts: its values must be concrete
            try:
                repeats = [int(r) for r in np.asarray(repeats).reshape(-1)]
            except Exception as error:  # a tracer under `jit` / shape inference
                raise ValueError(
                    "ops.tile: `repeats` must be known when the function is traced (Python "
                    "ints, e.g. from `ops.shape(x)`), not a traced tensor. "
                    f"Received: repeats={repeats!r}"
                ) from error
        return xp.tile(convert_to_tensor(x), repeats)

    @_hook
    def split(x, indices_or_sections, axis=0):
        return xp.split(convert_to_tensor(x), sections(indices_or_sections), axis=axis)

    @_hook
    def array_split(x, indices_or_sections, axis=0):
        return xp.array_split(convert_to_tensor(x), sections(indices_or_sections), axis=axis)

    @_hook
    def hsplit(x, indices_or_sections):
        return xp.hsplit(convert_to_tensor(x), sections(indices_or_sections))

    @_hook
    def vsplit(x, indices_or_sections):
        return xp.vsplit(convert_to_tensor(x), sections(indices_or_sections))

    @_hook
    def dsplit(x, indices_or_sections):
        return xp.dsplit(convert_to_tensor(x), sections(indices_or_sections))

    @_hook
    def meshgrid(*x, indexing="xy"):
        if indexing not in ("xy", "ij"):
            raise ValueError(f"meshgrid: `indexing` must be 'xy' or 'ij', received {indexing!r}.")
        return list(xp.meshgrid(*[convert_to_tensor(v) for v in x], indexing=indexing))

    @_hook
    def ndim(x):
        return xp.ndim(convert_to_tensor(x))

    @_hook
    def size(x):
        return int(xp.size(convert_to_tensor(x)))

    @_hook
    def tril(x, k=0):
        return xp.tril(convert_to_tensor(x), k=k)

    @_hook
    def triu(x, k=0):
        return xp.triu(convert_to_tensor(x), k=k)

    @_hook
    def diagflat(x, k=0):
        return xp.diagflat(convert_to_tensor(x), k=k)

    @_hook
    def unravel_index(indices, shape):
        indices = convert_to_tensor(indices)
        return tuple(c.astype(indices.dtype) for c in xp.unravel_index(indices, tuple(shape)))

    @_hook
    def sort(x, axis=-1):
        return xp.sort(convert_to_tensor(x), axis=axis)

    @_helper
    def _as_3_vectors(x):
        """Pads 2-vectors (last axis) with a zero z component."""
        if x.shape[-1] == 2:
            return xp.concatenate([x, xp.zeros_like(x[..., :1])], axis=-1)
        return x

    @_hook
    def diff(a, n=1, axis=-1):
        return xp.diff(convert_to_tensor(a), n=n, axis=axis)

    _hook(window(xp.bartlett), "bartlett")

    _hook(window(xp.blackman), "blackman")

    _hook(window(xp.hamming), "hamming")

    _hook(window(xp.hanning), "hanning")

    @_helper
    def _xy(fn):
        """Renames the operands of a binary op to `x, y` (the bitwise ops' parameter names)."""

        def op(x, y):
            return fn(x, y)

        return op

    _hook(unary_float(xp.sqrt), "sqrt")

    _hook(unary_float(xp.cbrt, wide_int64=True), "cbrt")

    _hook(unary_float(xp.reciprocal), "reciprocal")

    _hook(unary_float(xp.exp), "exp")

    _hook(unary_float(xp.exp2), "exp2")

    _hook(unary_float(xp.expm1), "expm1")

    _hook(unary_float(xp.log), "log")

    _hook(unary_float(xp.log10), "log10")

    _hook(unary_float(xp.log1p), "log1p")

    _hook(unary_float(xp.log2), "log2")

    _hook(unary_float(xp.sin), "sin")

    _hook(unary_float(xp.cos), "cos")

    _hook(unary_float(xp.tan), "tan")

    _hook(unary_float(xp.arcsin), "arcsin")

    _hook(unary_float(xp.arccos), "arccos")

    _hook(unary_float(xp.arctan), "arctan")

    _hook(unary_float(xp.sinh), "sinh")

    _hook(unary_float(xp.cosh), "cosh")

    _hook(unary_float(xp.tanh), "tanh")

    _hook(unary_float(xp.arcsinh), "arcsinh")

    _hook(unary_float(xp.arccosh), "arccosh")

    _hook(unary_float(xp.arctanh), "arctanh")

    _hook(unary_float(xp.deg2rad, wide_int64=True), "deg2rad")

    _hook(unary_float(xp.rad2deg, wide_int64=True), "rad2deg")

    _hook(unary_float(xp.floor), "floor")

    _hook(unary_float(xp.ceil), "ceil")

    _hook(binary(xp.logaddexp, float_dtype), "logaddexp")

    _hook(binary(xp.logaddexp2, float_dtype), "logaddexp2")

    _hook(binary(xp.arctan2, float_dtype), "arctan2")

    _hook(binary(xp.hypot, wide_float_dtype), "hypot")

    _hook(binary(xp.heaviside, wide_float_dtype), "heaviside")

    _hook(binary(xp.divide, float_dtype), "divide")

    _hook(binary(xp.divide, float_dtype), "true_divide")

    _hook(binary(xp.maximum), "maximum")

    _hook(binary(xp.minimum), "minimum")

    _hook(binary(xp.mod, numeric_dtype), "mod")

    _hook(binary(xp.gcd), "gcd")

    _hook(binary(xp.lcm), "lcm")

    _hook(compare(xp.equal), "equal")

    _hook(compare(xp.not_equal), "not_equal")

    _hook(compare(xp.greater), "greater")

    _hook(compare(xp.greater_equal), "greater_equal")

    _hook(compare(xp.less), "less")

    _hook(compare(xp.less_equal), "less_equal")

    _hook(compare(xp.logical_and), "logical_and")

    _hook(compare(xp.logical_or), "logical_or")

    _hook(compare(xp.logical_xor), "logical_xor")

    _hook(_xy(binary(xp.bitwise_and)), "bitwise_and")

    _hook(_xy(binary(xp.bitwise_or)), "bitwise_or")

    _hook(_xy(binary(xp.bitwise_xor)), "bitwise_xor")

    _hook(_xy(binary(xp.left_shift)), "bitwise_left_shift")

    _hook(_xy(binary(xp.left_shift)), "left_shift")

    _hook(_xy(binary(xp.right_shift)), "bitwise_right_shift")

    _hook(_xy(binary(xp.right_shift)), "right_shift")

    @_hook
    def abs(x):
        return xp.absolute(convert_to_tensor(x))

    @_hook
    def absolute(x):
        return xp.absolute(convert_to_tensor(x))

    @_hook
    def negative(x):
        return xp.negative(convert_to_tensor(x))

    @_hook
    def signbit(x):
        return xp.signbit(convert_to_tensor(x))

    @_hook
    def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
        x1, x2 = promote(x1, x2)
        return xp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)

    @_hook
    def isfinite(x):
        return xp.isfinite(convert_to_tensor(x))

    @_hook
    def isinf(x):
        return xp.isinf(convert_to_tensor(x))

    @_hook
    def isnan(x):
        return xp.isnan(convert_to_tensor(x))

    @_hook
    def isneginf(x):
        return xp.isneginf(convert_to_tensor(x))

    @_hook
    def isposinf(x):
        return xp.isposinf(convert_to_tensor(x))

    @_hook
    def isreal(x):
        return xp.isreal(convert_to_tensor(x))

    @_hook
    def logical_not(x):
        return xp.logical_not(convert_to_tensor(x))

    @_hook
    def bitwise_invert(x):
        return xp.invert(convert_to_tensor(x))

    @_hook
    def bitwise_not(x):
        return xp.invert(convert_to_tensor(x))

    @_hook
    def where(condition, x1=None, x2=None):
        condition = convert_to_tensor(condition)
        if x1 is None and x2 is None:
            return tuple(i.astype(xp.int32) for i in xp.nonzero(condition))
        x1, x2 = promote(x1, x2)
        return xp.where(condition, x1, x2)

    @_hook
    def select(condlist, choicelist, default=0):
        *choicelist, default = promote(*choicelist, default)
        condlist = [convert_to_tensor(c).astype(bool) for c in condlist]
        return xp.select(condlist, choicelist, default=default)

    @_hook
    def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
        return xp.nan_to_num(convert_to_tensor(x), nan=nan, posinf=posinf, neginf=neginf)

    @_hook
    def real(x):
        return xp.real(convert_to_tensor(x))

    @_hook
    def imag(x):
        return xp.imag(convert_to_tensor(x))

    @_hook
    def amax(x, axis=None, keepdims=False):
        return reduce_max(x, axis=axis, keepdims=keepdims)

    @_hook
    def amin(x, axis=None, keepdims=False):
        return reduce_min(x, axis=axis, keepdims=keepdims)

    @_hook
    def std(x, axis=None, keepdims=False):
        return moment(xp.std, x, axis, keepdims)

    @_hook
    def var(x, axis=None, keepdims=False):
        return moment(xp.var, x, axis, keepdims)

    @_hook
    def cumsum(x, axis=None, dtype=None):
        return cumulative(xp.cumsum, x, axis, dtype)

    @_hook
    def cumprod(x, axis=None, dtype=None):
        return cumulative(xp.cumprod, x, axis, dtype)

    _hook(binary(xp.fmax), "fmax")

    _hook(binary(xp.fmin), "fmin")

    _hook(nan_float_reduction(xp.nanmean), "nanmean")

    _hook(nan_float_reduction(xp.nanvar), "nanvar")

    _hook(nan_float_reduction(xp.nanstd), "nanstd")

    _hook(nan_float_reduction(xp.nanmedian), "nanmedian")

    _hook(nan_extreme(xp.nanmax), "nanmax")

    _hook(nan_extreme(xp.nanmin), "nanmin")

    namespace.update(vars(ops))
    return ops
