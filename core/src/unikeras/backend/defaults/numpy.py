"""Default implementations of `keras.ops.numpy` ops composed of other ops.

Each calls the active backend through the dispatch table (`ops` below) and follows the
dtype rules of its hook spec (`unikeras.backend.specs.numpy`).
"""

import builtins
import math

from unikeras.backend import dtypes
from unikeras.backend.common.axes import canonical_axes
from unikeras.backend.common.dtype_rules import accumulation_dtype, float_dtype, numeric_dtype
from unikeras.backend.common.patterns import parse_signature, rearrange_plan
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.registry import table as ops
from unikeras.backend import tree

default = hookimpl(trylast=True)


def _dtype_of(x):
    """A dtype for `dtypes.result_type`: tensors give theirs, Python scalars stay weak."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None:
        return dtypes.standardize_dtype(dtype)
    if isinstance(x, (list, tuple)):
        return dtypes.standardize_dtype(ops.convert_to_tensor(x).dtype)
    return x


def _tensor(x, dtype=None):
    x = ops.convert_to_tensor(x)
    if dtype is not None and dtypes.standardize_dtype(x.dtype) != dtype:
        x = ops.cast(x, dtype)
    return x


def _name(x):
    return dtypes.standardize_dtype(x.dtype)


def _wide(dtype):
    """The dtype to compute a float op of `dtype` in: at least float32."""
    return "float32" if dtype in ("float16", "bfloat16") else dtype


def _is_float(x):
    return dtypes.is_float_dtype(_name(x))


# --------------------------------------------------------------------------------------------
# Element-wise
# --------------------------------------------------------------------------------------------


@default
def fabs(x):
    x = _tensor(x)
    return ops.absolute(_tensor(x, float_dtype(_name(x))))


def _nan_aware_extreme(x1, x2, pick):
    dtype = dtypes.result_type(_dtype_of(x1), _dtype_of(x2))
    x1, x2 = _tensor(x1, dtype), _tensor(x2, dtype)
    result = pick(x1, x2)
    if not dtypes.is_float_dtype(dtype):
        return result
    return ops.where(ops.isnan(x1), x2, ops.where(ops.isnan(x2), x1, result))


@default
def fmax(x1, x2):
    return _nan_aware_extreme(x1, x2, ops.maximum)


@default
def fmin(x1, x2):
    return _nan_aware_extreme(x1, x2, ops.minimum)


@default
def fmod(x1, x2):
    dtype = numeric_dtype(dtypes.result_type(_dtype_of(x1), _dtype_of(x2)))
    x1, x2 = _tensor(x1, dtype), _tensor(x2, dtype)
    zero = ops.equal(x2, 0)
    is_float = dtypes.is_float_dtype(dtype)
    divisor = x2 if is_float else ops.where(zero, ops.ones_like(x2), x2)
    floored = ops.mod(x1, divisor)  # has the sign of the divisor; fmod's has x1's
    wrong_sign = ops.logical_and(
        ops.not_equal(floored, 0), ops.not_equal(ops.less(x1, 0), ops.less(divisor, 0))
    )
    result = ops.where(wrong_sign, ops.subtract(floored, divisor), floored)
    if not is_float:
        result = ops.where(zero, ops.zeros_like(result), result)
    return result


# Abramowitz & Stegun 9.8.1 / 9.8.2 (relative error below 2e-7).
_I0_SMALL = (1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813)
_I0_LARGE = (
    0.39894228,
    0.01328592,
    0.00225319,
    -0.00157565,
    0.00916281,
    -0.02057706,
    0.02635537,
    -0.01647633,
    0.00392377,
)


def _polyval(coefficients, t):
    result = ops.full_like(t, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        result = ops.add(ops.multiply(result, t), c)
    return result


@default
def i0(x):
    x = _tensor(x)
    out = float_dtype(_name(x))
    ax = ops.absolute(_tensor(x, _wide(out)))
    small = _polyval(_I0_SMALL, ops.square(ops.divide(ax, 3.75)))
    big_x = ops.maximum(ax, 3.75)  # keeps the unused branch finite
    large = ops.multiply(
        _polyval(_I0_LARGE, ops.divide(3.75, big_x)), ops.divide(ops.exp(big_x), ops.sqrt(big_x))
    )
    return _tensor(ops.where(ops.less_equal(ax, 3.75), small, large), out)


@default
def sinc(x):
    x = _tensor(x)
    out = float_dtype(_name(x))
    x = _tensor(x, _wide(out))
    zero = ops.equal(x, 0)
    y = ops.multiply(ops.where(zero, ops.ones_like(x), x), math.pi)
    return _tensor(ops.where(zero, ops.ones_like(x), ops.divide(ops.sin(y), y)), out)


def _check_int_exponent(x2):
    x2 = _tensor(x2)
    name = _name(x2)
    if not (dtypes.is_int_dtype(name) or name == "bool"):
        raise TypeError(
            f"ldexp: the exponent `x2` must be an integer tensor, received dtype {name}."
        )
    return x2


@default
def ldexp(x1, x2):
    x2 = _check_int_exponent(x2)
    x1 = _tensor(x1)
    out = float_dtype(_name(x1))
    wide = "float64" if out == "float64" else "float32"
    scale = ops.power(ops.full_like(x2, 2.0, dtype=wide), _tensor(x2, wide))
    return _tensor(ops.multiply(_tensor(x1, wide), scale), out)


# (mantissa bits, lowest normal exponent) per float dtype.
_FLOAT_LAYOUT = {
    "float16": (10, -14),
    "bfloat16": (7, -126),
    "float32": (23, -126),
    "float64": (52, -1022),
}


@default
def nextafter(x1, x2):
    dtype = dtypes.result_type(_dtype_of(x1), _dtype_of(x2), 1.0)
    bits, lowest = _FLOAT_LAYOUT[dtype]
    wide = "float64" if dtype == "float64" else "float32"
    x1, x2 = _tensor(_tensor(x1, dtype), wide), _tensor(_tensor(x2, dtype), wide)
    magnitude = ops.absolute(x1)
    safe = ops.where(ops.equal(magnitude, 0), ops.ones_like(magnitude), magnitude)
    exponent = ops.floor(ops.log2(safe))
    # log2 may round across a power of two: correct the exponent to 2**e <= |x| < 2**(e+1).
    below = ops.subtract(exponent, 1.0)
    exponent = ops.where(ops.greater(ops.exp2(exponent), safe), below, exponent)
    above = ops.add(exponent, 1.0)
    exponent = ops.where(ops.less_equal(ops.exp2(above), safe), above, exponent)
    exponent = ops.maximum(exponent, float(lowest))
    ulp = ops.exp2(ops.subtract(exponent, float(bits)))
    # Moving towards zero from an exact power of two takes the finer spacing below it.
    at_power = ops.logical_and(
        ops.equal(magnitude, ops.exp2(exponent)), ops.greater(exponent, float(lowest))
    )
    towards_zero = ops.not_equal(ops.less(x2, x1), ops.less(x1, 0))
    step = ops.where(ops.logical_and(at_power, towards_zero), ops.multiply(ulp, 0.5), ulp)
    tiny = 2.0 ** (lowest - bits)
    stepped = ops.where(ops.less(x1, x2), ops.add(x1, step), ops.subtract(x1, step))
    stepped = ops.where(
        ops.equal(magnitude, 0),
        ops.where(ops.less(x1, x2), ops.full_like(x1, tiny), ops.full_like(x1, -tiny)),
        stepped,
    )
    result = ops.where(ops.equal(x1, x2), x2, stepped)
    result = ops.where(
        ops.logical_or(ops.isnan(x1), ops.isnan(x2)), ops.full_like(x1, float("nan")), result
    )
    return _tensor(result, dtype)


@default
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return ops.all(ops.isclose(x1, x2, rtol, atol, equal_nan))


@default
def ptp(x, axis=None, keepdims=False):
    x = _tensor(x)
    if _name(x) == "bool":
        raise TypeError(
            "ptp: boolean tensors have no range (max - min); cast `x` to a numeric dtype first."
        )
    return ops.subtract(ops.max(x, axis, keepdims), ops.min(x, axis, keepdims))


def _scaled_q(q):
    q = _tensor(q)
    return ops.divide(_tensor(q, _wide(float_dtype(_name(q)))), 100.0)


@default
def percentile(x, q, axis=None, method="linear", keepdims=False):
    return ops.quantile(x, _scaled_q(q), axis, method, keepdims)


@default
def slogdet(x):
    # From the determinant: exact in sign, but log|det| overflows where det itself does
    # (engines with an LU-based slogdet kernel override this).
    x = _tensor(x)
    out = float_dtype(_name(x))
    det = ops.det(_tensor(x, _wide(out)))
    return _tensor(ops.sign(det), out), _tensor(ops.log(ops.absolute(det)), out)


# --------------------------------------------------------------------------------------------
# NaN-ignoring reductions
# --------------------------------------------------------------------------------------------


def _without_nan(x, fill):
    return ops.where(ops.isnan(x), ops.full_like(x, fill), x) if _is_float(x) else x


@default
def nansum(x, axis=None, keepdims=False):
    x = _tensor(x)
    return _tensor(ops.sum(_without_nan(x, 0), axis, keepdims), accumulation_dtype(_name(x)))


@default
def nanprod(x, axis=None, keepdims=False):
    x = _tensor(x)
    return ops.prod(_without_nan(x, 1), axis, keepdims, accumulation_dtype(_name(x)))


def _float_input(x):
    x = _tensor(x)
    out = float_dtype(_name(x))
    return _tensor(x, _wide(out)), out


def _nan_moments(x, axis, keepdims):
    """(count of non-NaN, their sum) over `axis`, in the float compute dtype."""
    valid = ops.logical_not(ops.isnan(x))
    count = ops.sum(_tensor(valid, _name(x)), axis, keepdims)
    return count, ops.sum(ops.where(valid, x, ops.zeros_like(x)), axis, keepdims)


@default
def nanmean(x, axis=None, keepdims=False):
    x, out = _float_input(x)
    count, total = _nan_moments(x, axis, keepdims)
    return _tensor(ops.divide(total, count), out)


@default
def nanvar(x, axis=None, keepdims=False):
    x, out = _float_input(x)
    count, total = _nan_moments(x, axis, True)
    centered = ops.subtract(x, ops.divide(total, count))
    centered = ops.where(ops.isnan(x), ops.zeros_like(x), centered)
    if not keepdims:
        count = ops.sum(_tensor(ops.logical_not(ops.isnan(x)), _name(x)), axis, False)
    return _tensor(ops.divide(ops.sum(ops.square(centered), axis, keepdims), count), out)


@default
def nanstd(x, axis=None, keepdims=False):
    x = _tensor(x)
    out = float_dtype(_name(x))
    return _tensor(ops.sqrt(ops.nanvar(_tensor(x, _wide(out)), axis, keepdims)), out)


def _nan_extreme(x, axis, keepdims, reduce, fill):
    x = _tensor(x)
    if not _is_float(x):
        return reduce(x, axis, keepdims)
    nan = ops.isnan(x)
    result = reduce(ops.where(nan, ops.full_like(x, fill), x), axis, keepdims)
    return ops.where(ops.all(nan, axis, keepdims), ops.full_like(result, float("nan")), result)


@default
def nanmax(x, axis=None, keepdims=False):
    return _nan_extreme(x, axis, keepdims, ops.max, float("-inf"))


@default
def nanmin(x, axis=None, keepdims=False):
    return _nan_extreme(x, axis, keepdims, ops.min, float("inf"))


def _nan_arg(x, axis, keepdims, arg, reduce, fill):
    x = _tensor(x)
    if not _is_float(x):
        return arg(x, axis, keepdims)
    nan = ops.isnan(x)
    filled = ops.where(nan, ops.full_like(x, fill), x)
    index = arg(filled, axis, keepdims)
    # Where the extreme is the fill value itself (an infinity), the first non-NaN holds it.
    first_valid = ops.argmax(_tensor(ops.logical_not(nan), "int32"), axis, keepdims)
    index = ops.where(ops.equal(reduce(filled, axis, keepdims), fill), first_valid, index)
    index = ops.where(ops.all(nan, axis, keepdims), ops.full_like(index, -1), index)
    return _tensor(index, "int32")


@default
def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg(x, axis, keepdims, ops.argmax, ops.max, float("-inf"))


@default
def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg(x, axis, keepdims, ops.argmin, ops.min, float("inf"))


@default
def nancumsum(x, axis=None, dtype=None):
    return ops.cumsum(_without_nan(_tensor(x), 0), axis, dtype)


@default
def nancumprod(x, axis=None, dtype=None):
    return ops.cumprod(_without_nan(_tensor(x), 1), axis, dtype)


_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


@default
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    if method not in _METHODS:
        raise ValueError(f"nanquantile: `method` must be one of {_METHODS}, received {method!r}.")
    x, out = _float_input(x)
    shape = tuple(ops.shape(x))
    rank = len(shape)
    axes = tuple(range(rank)) if axis is None else canonical_axes(axis, rank)
    kept = [a for a in range(rank) if a not in axes]
    # Reduced axes last, flattened to one; NaNs sort last as +inf and are not counted.
    flat = ops.transpose(x, kept + list(axes)) if rank else ops.reshape(x, (1,))
    reduced = [shape[a] for a in axes]
    size = -1 if None in reduced else math.prod(reduced)  # at most one unknown size below
    flat = ops.reshape(flat, tuple(-1 if shape[a] is None else shape[a] for a in kept) + (size,))
    nan = ops.isnan(flat)
    values = ops.sort(ops.where(nan, ops.full_like(flat, float("inf")), flat), -1)
    count = ops.sum(_tensor(ops.logical_not(nan), _name(x)), -1, True)  # (..., 1)
    q = _tensor(q, _name(x))
    q_shape = tuple(ops.shape(q))
    scalar_q = len(q_shape) == 0
    position = ops.multiply(ops.subtract(count, 1.0), ops.reshape(q, (1,) if scalar_q else (-1,)))
    position = ops.maximum(position, 0.0)
    lower, upper = ops.floor(position), ops.ceil(position)

    def pick(index):
        return ops.take_along_axis(values, _tensor(index, "int32"), -1)

    if method == "linear":
        low, high = pick(lower), pick(upper)
        weight = ops.subtract(position, lower)
        result = ops.add(low, ops.multiply(ops.subtract(high, low), weight))
        result = ops.where(ops.equal(weight, 0), low, result)  # no inf - inf
    elif method == "lower":
        result = pick(lower)
    elif method == "higher":
        result = pick(upper)
    elif method == "midpoint":
        result = ops.multiply(ops.add(pick(lower), pick(upper)), 0.5)
    else:
        result = pick(ops.round(position))
    result = ops.where(ops.equal(count, 0), ops.full_like(result, float("nan")), result)
    # result: kept dims + (len(q),); NumPy puts the q axis first.
    if keepdims:
        count_q = 1 if scalar_q else q_shape[0]
        result = (
            ops.reshape(
                result,
                tuple(
                    1 if a in axes else (-1 if shape[a] is None else shape[a]) for a in range(rank)
                )
                + (count_q,),
            )
            if rank
            else result
        )
    result = ops.moveaxis(result, -1, 0)
    if scalar_q:
        result = ops.squeeze(result, 0)
    return _tensor(result, out)


@default
def nanmedian(x, axis=None, keepdims=False):
    return ops.nanquantile(x, 0.5, axis, "linear", keepdims)


@default
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return ops.nanquantile(x, _scaled_q(q), axis, method, keepdims)


# --------------------------------------------------------------------------------------------
# Patterns and functions of functions
# --------------------------------------------------------------------------------------------


def _static(shape):
    return tuple(-1 if d is None else d for d in shape)


@default
def rearrange(tensor, pattern, **axes_lengths):
    x = _tensor(tensor)
    split, permutation, output = rearrange_plan(pattern, tuple(ops.shape(x)), axes_lengths)
    x = ops.reshape(x, _static(split))
    return ops.reshape(ops.transpose(x, permutation), _static(output))


def _broadcast_shapes(shapes):
    rank = builtins.max((len(s) for s in shapes), default=0)
    result = []
    for dims in zip(*[(1,) * (rank - len(s)) + tuple(s) for s in shapes]):
        sizes = {d for d in dims if d != 1}
        if len(sizes) > 1:
            raise ValueError(f"vectorize: loop dimensions {shapes} do not broadcast.")
        result.append(sizes.pop() if sizes else 1)
    return tuple(result)


@default
def vectorize(pyfunc, *, excluded=None, signature=None):
    excluded = set() if excluded is None else set(excluded)
    core_in, core_out = parse_signature(signature) if signature else (None, None)

    def vectorized(*args, **kwargs):
        mapped = [i for i in range(len(args)) if i not in excluded]
        names = [k for k in kwargs if k not in excluded]
        tensors = [_tensor(args[i]) for i in mapped] + [_tensor(kwargs[k]) for k in names]
        cores = core_in if core_in is not None else [()] * len(tensors)
        if len(cores) != len(tensors):
            raise ValueError(
                f"vectorize: signature {signature!r} has {len(cores)} inputs, "
                f"received {len(tensors)} mapped arguments."
            )
        shapes = [tuple(ops.shape(t)) for t in tensors]
        sizes = {}
        for shape, core in zip(shapes, cores):
            if len(shape) < len(core):
                raise ValueError(
                    f"vectorize: an argument of shape {shape} has fewer "
                    f"dimensions than its core dimensions {core}."
                )
            for name, dim in zip(core, shape[len(shape) - len(core) :]):
                if sizes.setdefault(name, dim) != dim:
                    raise ValueError(
                        f"vectorize: core dimension {name!r} has sizes {sizes[name]} and {dim}."
                    )
        loop = _broadcast_shapes([s[: len(s) - len(c)] for s, c in zip(shapes, cores)])
        flat = [
            ops.reshape(
                ops.broadcast_to(t, loop + s[len(s) - len(c) :]), (-1,) + s[len(s) - len(c) :]
            )
            for t, s, c in zip(tensors, shapes, cores)
        ]

        def call(elements):
            positional, keywords = list(args), dict(kwargs)
            for i, value in zip(mapped + names, elements):
                if isinstance(i, int):
                    positional[i] = value
                else:
                    keywords[i] = value
            return pyfunc(*positional, **keywords)

        if math.prod(loop) == 0:
            raise ValueError(
                "vectorize: cannot infer the output of a function mapped over zero elements."
            )
        results = ops.vectorized_map(call, tuple(flat))
        return tree.map_structure(lambda r: ops.reshape(r, loop + tuple(ops.shape(r))[1:]), results)

    return vectorized
