"""OpenVINO backend: the NumPy-style ops (`unikeras.ops.numpy`) as opset nodes.

Each op promotes dtypes with Keras 3's rules first, converts its tensor arguments with `node`
and builds the result from `openvino.opset14` nodes (`opset15` for the bit shifts); see
`unikeras_openvino.graph`. Shapes may be dynamic: sizes come from `ShapeOf` nodes, and only
arguments that fix the output's rank or length (axes, counts, widths) must be Python values.
"""

import builtins
import math

import numpy as np
import openvino as ov
import openvino.opset14 as ov_ops
import openvino.opset15 as ov_ops15

from unikeras.backend.api import dtypes
from unikeras.backend.common.array_args import (
    check_correlate_ranks,
    check_pad_args,
    check_rot90_axes,
    correlate_dtypes,
)
from unikeras.backend.common.dtype_rules import (
    ACCUMULATION_DTYPES,
    accumulation_dtype,
    numeric_dtype,
    wide_float_dtype,
)
from unikeras.backend.common.dtype_rules import float_dtype as float_dtype_of
from unikeras.backend.api import floatx, hookimpl

from unikeras_openvino import stable
from unikeras_openvino.core import int_const
from unikeras_openvino.graph import const, dtype_name, dtype_of, graph_op, node, partial_shape

_END = np.iinfo(np.int64).max  # an open slice end


def rank(x):
    return len(partial_shape(x))


def dtype_out(x):
    """The unikeras dtype name of a graph value."""
    return dtype_name(x.get_element_type())


def _name(x):
    """The standardized dtype name of an argument (tensor, array or Python scalar)."""
    return dtypes.result_type(dtype_of(x))


def float_dtype(*xs):
    """The dtype of a float-valued op on `xs`: ints and bools give `floatx()`."""
    dtype = dtypes.result_type(*[dtype_of(x) for x in xs])
    return dtype if dtypes.is_float_dtype(dtype) else floatx()


def promoted(*xs):
    """The arguments as graph values of their common Keras 3 dtype."""
    dtype = dtypes.result_type(*[dtype_of(x) for x in xs])
    return [node(x, dtype) for x in xs]


def axes_of(axis, x):
    """A list of non-negative axes (`None`: every axis)."""
    n = rank(x)
    if axis is None:
        return list(range(n))
    axis = axis if isinstance(axis, (list, tuple)) else [axis]
    return [int(a) % n if n else 0 for a in axis]


def _is_float(x):
    return dtypes.is_float_dtype(dtype_out(x))


def _is_bool(x):
    return x.get_element_type() == ov.Type.boolean


def _real_only(op, **tensors):
    """Raises for complex arguments: OpenVINO has no complex element types."""
    for arg, value in tensors.items():
        if dtypes.is_complex_dtype(_name(value)):
            raise _unsupported(
                op, arg, f"OpenVINO has no complex element types (received {_name(value)})."
            )


def _scalar(value, like):
    """A 0-d Constant of `like`'s element type."""
    return const(value, dtype_out(like))


def _shape(x):
    return ov_ops.shape_of(x, "i64").output(0)


def _dim(x, axis):
    """The size of `axis` of `x`: a Python int when static, else a 0-d int64 node."""
    size = partial_shape(x)[axis]
    if size is not None:
        return size
    return ov_ops.gather(_shape(x), int_const(axis % rank(x)), int_const(0)).output(0)


def _i64(value):
    """An int or a 0-d int64 node as a graph value."""
    return const(value, "int64") if isinstance(value, (int, np.integer)) else value


def _arange(stop, start=0):
    """int64 `[start, stop)` (ints or 0-d int64 nodes)."""
    return ov_ops.range(_i64(start), _i64(stop), const(1, "int64"), "i64").output(0)


def _flat(x):
    return ov_ops.reshape(x, int_const([-1]), False).output(0)


def _slice(x, axis, start, stop, step=1):
    return ov_ops.slice(
        x, int_const([start]), int_const([stop]), int_const([step]), int_const([axis])
    ).output(0)


def _along(values, axis, n):
    """Reshapes a 1-D value to broadcast along `axis` of a rank-`n` tensor."""
    shape = [1] * n
    shape[axis] = -1
    return ov_ops.reshape(values, int_const(shape), False).output(0)


def _move_to_end(x, axes):
    """Transposes `axes` (non-negative) to the end, keeping the other axes' order."""
    perm = [a for a in range(rank(x)) if a not in axes] + list(axes)
    return ov_ops.transpose(x, int_const(perm)).output(0)


def _zeros_of(x):
    return ov_ops.broadcast(_scalar(0, x), _shape(x)).output(0)


def _unsupported(op, arg, why):
    return NotImplementedError(
        f"`{op}` with this `{arg}` is not implemented by the unikeras backend 'openvino': {why}"
    )


# --------------------------------------------------------------------------------------------
# Element-wise arithmetic
# --------------------------------------------------------------------------------------------

_BOOL_EQUIVALENT = {
    "add": ov_ops.logical_or,
    "maximum": ov_ops.logical_or,
    "multiply": ov_ops.logical_and,
    "minimum": ov_ops.logical_and,
}


_NARROW_INTS = ("int8", "uint8")


def _wrapping(build, *values):
    """`build` on 8-bit ints computed in int32 and wrapped back: OpenVINO saturates 8-bit
    products, NumPy wraps them."""
    dtype = dtype_out(values[0])
    if dtype not in _NARROW_INTS:
        return build(*values)
    return node(build(*[node(v, "int32") for v in values]), dtype)


def _arith(name, build, x1, x2):
    a, b = promoted(x1, x2)
    if _is_bool(a) and name in _BOOL_EQUIVALENT:
        return _BOOL_EQUIVALENT[name](a, b)
    if name == "multiply":
        return _wrapping(build, a, b)
    return build(a, b)


@hookimpl
@graph_op
def add(x1, x2):
    return _arith("add", ov_ops.add, x1, x2)


@hookimpl
@graph_op
def subtract(x1, x2):
    return _arith("subtract", ov_ops.subtract, x1, x2)


@hookimpl
@graph_op
def multiply(x1, x2):
    return _arith("multiply", ov_ops.multiply, x1, x2)


def _may_be_nan(x):
    """Whether graph value `x` can hold a NaN: a float that is not a Constant free of them."""
    if not _is_float(x):
        return False
    owner = x.get_node()
    if owner.get_type_name() != "Constant":
        return True
    return bool(np.isnan(np.asarray(owner.get_data(), "float32")).any())


def _nan_propagating(name, build, x1, x2):
    """`maximum`/`minimum` propagating NaN as NumPy and Keras 3 do: OpenVINO's Maximum and
    Minimum return the other operand where one is NaN (which one depends on the kernel:
    compiled or folded). Each float operand that may hold a NaN (not a NaN-free Constant,
    as the 0 of `maximum(x, 0.0)`) selects itself where `x != x`. Not IsNaN: the CPU plugin
    fuses NotEqual and Select with the Maximum into one element-wise kernel in static
    shapes (IsNaN measured 1.9x a bare Maximum on 2M elements). Not a Select on `a < b`
    alone either: the CPU plugin's Greater is true for a NaN operand. In `predict`'s model
    (dynamic batch) each node runs apart: a Dense MLP with three of these ops predicts in
    the same time as before, a graph of nothing but element-wise ops takes up to 3.6x."""
    a, b = promoted(x1, x2)
    if _is_bool(a):
        return _BOOL_EQUIVALENT[name](a, b)
    out = build(a, b)
    for operand in (b, a):  # the first operand's NaN wins, as in NumPy
        if _may_be_nan(operand):
            out = ov_ops.select(ov_ops.not_equal(operand, operand), operand, out)
    return out


@hookimpl
@graph_op
def maximum(x1, x2):
    return _nan_propagating("maximum", ov_ops.maximum, x1, x2)


@hookimpl
@graph_op
def minimum(x1, x2):
    return _nan_propagating("minimum", ov_ops.minimum, x1, x2)


def _float_pair(x1, x2, resolve=float_dtype_of):
    """The operands of a float-valued binary op: promoted, then ints resolved to a float."""
    dtype = resolve(dtypes.result_type(dtype_of(x1), dtype_of(x2)))
    return node(x1, dtype), node(x2, dtype)


@hookimpl
@graph_op
def true_divide(x1, x2):
    return ov_ops.divide(*_float_pair(x1, x2))


@hookimpl
@graph_op
def divide(x1, x2):
    return true_divide(x1, x2)


_SPLITTERS = {"float16": 2.0**6 + 1, "float32": 2.0**12 + 1, "float64": 2.0**27 + 1}


def _split_float(x):
    """Veltkamp's split of x into a high and a low half, each with half the mantissa."""
    scaled = ov_ops.multiply(x, _scalar(_SPLITTERS[dtype_out(x)], x))
    high = ov_ops.subtract(scaled, ov_ops.subtract(scaled, x))
    return high, ov_ops.subtract(x, high)


def _residual(a, q, b):
    """a - q * b without rounding the product (Dekker's exact product)."""
    product = ov_ops.multiply(q, b)
    (qh, ql), (bh, bl) = _split_float(q), _split_float(b)
    error = ov_ops.add(
        ov_ops.add(
            ov_ops.add(ov_ops.subtract(ov_ops.multiply(qh, bh), product), ov_ops.multiply(qh, bl)),
            ov_ops.multiply(ql, bh),
        ),
        ov_ops.multiply(ql, bl),
    )
    return ov_ops.subtract(ov_ops.subtract(a, product), error)


def _float_divmod(a, b):
    """Python's floor division and modulo of floats, exact where NumPy's fmod-based ones are.

    floor(a / b) alone can be one off when the rounded quotient lands on an integer
    (1 / 0.2 rounds to 5.0); the exact remainder tells, and corrects it.
    """
    zero, one = _scalar(0, a), _scalar(1, a)
    quotient = ov_ops.floor(ov_ops.divide(a, b))
    rest = _residual(a, quotient, b)
    sign_b = ov_ops.less(b, zero)
    wrong_sign = ov_ops.logical_and(
        ov_ops.not_equal(rest, zero), ov_ops.not_equal(ov_ops.less(rest, zero), sign_b)
    )
    quotient = ov_ops.select(wrong_sign, ov_ops.subtract(quotient, one), quotient)
    rest = ov_ops.select(wrong_sign, ov_ops.add(rest, b), rest)
    too_big = ov_ops.greater_equal(ov_ops.absolute(rest), ov_ops.absolute(b))
    quotient = ov_ops.select(too_big, ov_ops.add(quotient, one), quotient)
    rest = ov_ops.select(too_big, ov_ops.subtract(rest, b), rest)
    by_zero = ov_ops.equal(b, zero)
    nan = _scalar(np.nan, a)
    return (
        ov_ops.select(by_zero, ov_ops.divide(a, b), quotient).output(0),
        ov_ops.select(by_zero, nan, rest).output(0),
    )


def _int_divisible(a, b):
    # 8-bit integer Divide rounds instead of flooring: compute those in int32.
    if dtype_out(a) in ("int8", "uint8"):
        return node(a, "int32"), node(b, "int32")
    return a, b


@hookimpl
@graph_op
def floor_divide(x1, x2):
    a, b = promoted(x1, x2)
    if _is_bool(a):  # x // y of 0/1 values: 1 only for 1 // 1
        return ov_ops.logical_and(a, b)
    if _is_float(a):
        return _float_divmod(a, b)[0]
    wide_a, wide_b = _int_divisible(a, b)
    return node(ov_ops.divide(wide_a, wide_b).output(0), dtype_out(a))  # floors, as Python


@hookimpl
@graph_op
def mod(x1, x2):
    dtype = numeric_dtype(dtypes.result_type(dtype_of(x1), dtype_of(x2)))
    a, b = node(x1, dtype), node(x2, dtype)
    if dtypes.is_float_dtype(dtype):
        return _float_divmod(a, b)[1]
    return ov_ops.floor_mod(a, b)


@hookimpl
@graph_op
def power(x1, x2):
    a, b = promoted(x1, x2)
    if _is_bool(a):  # 0 ** 1 is the only 0
        return ov_ops.logical_or(a, ov_ops.logical_not(b))
    return _wrapping(ov_ops.power, a, b)


@hookimpl
@graph_op
def negative(x):
    x = node(x)
    if _is_float(x):
        return ov_ops.negative(x)
    return ov_ops.subtract(_scalar(0, x), x)  # wraps, as NumPy (unsigned ints too)


@hookimpl
@graph_op
def absolute(x):
    _real_only("absolute", x=x)
    x = node(x)
    if _is_bool(x) or dtype_out(x).startswith("uint"):
        return x
    return ov_ops.absolute(x)


@hookimpl
@graph_op
def abs(x):
    return absolute(x)


@hookimpl
@graph_op
def sign(x):
    _real_only("sign", x=x)
    x = node(x)
    if _is_bool(x):
        return x
    if _is_float(x):
        return ov_ops.sign(x)
    zero = _scalar(0, x)
    positive = ov_ops.convert(ov_ops.greater(x, zero), x.get_element_type())
    negative_ = ov_ops.convert(ov_ops.less(x, zero), x.get_element_type())
    return ov_ops.subtract(positive, negative_)


@hookimpl
@graph_op
def signbit(x):
    x = node(x)
    if _is_float(x):  # -0.0 is the zero whose reciprocal is negative
        zero = _scalar(0, x)
        negative_zero = ov_ops.logical_and(
            ov_ops.equal(x, zero), ov_ops.less(ov_ops.divide(_scalar(1, x), x), zero)
        )
        return ov_ops.logical_or(ov_ops.less(x, zero), negative_zero)
    if _is_bool(x) or dtype_out(x).startswith("uint"):
        return ov_ops.broadcast(const(False, "bool"), _shape(x))
    return ov_ops.less(x, _scalar(0, x))


@hookimpl
@graph_op
def square(x):
    x = node(x)
    if _is_bool(x):
        x = node(x, "int32")
    return _wrapping(lambda v: ov_ops.multiply(v, v), x)


def _float_unary(build, x, wide_int64=False):
    return build(node(x, float_dtype_of(_name(x), wide_int64)))


@hookimpl
@graph_op
def sqrt(x):
    return _float_unary(ov_ops.sqrt, x)


@hookimpl
@graph_op
def cbrt(x):
    def build(v):
        root = ov_ops.power(ov_ops.absolute(v), _scalar(1 / 3, v))
        return ov_ops.multiply(ov_ops.sign(v), root)

    return _float_unary(build, x, wide_int64=True)


@hookimpl
@graph_op
def exp(x):
    return _float_unary(lambda v: stable.exp(v) if stable.precise(v) else ov_ops.exp(v), x)


@hookimpl
@graph_op
def log(x):
    return _float_unary(ov_ops.log, x)


@hookimpl
@graph_op
def sin(x):
    return _float_unary(ov_ops.sin, x)


@hookimpl
@graph_op
def cos(x):
    return _float_unary(ov_ops.cos, x)


@hookimpl
@graph_op
def tan(x):
    return _float_unary(ov_ops.tan, x)


@hookimpl
@graph_op
def tanh(x):
    return _float_unary(ov_ops.tanh, x)


@hookimpl
@graph_op
def sinh(x):
    return _float_unary(ov_ops.sinh, x)


@hookimpl
@graph_op
def cosh(x):
    return _float_unary(ov_ops.cosh, x)


@hookimpl
@graph_op
def arcsin(x):
    return _float_unary(ov_ops.asin, x)


@hookimpl
@graph_op
def arccos(x):
    return _float_unary(ov_ops.acos, x)


@hookimpl
@graph_op
def arctan(x):
    return _float_unary(ov_ops.atan, x)


@hookimpl
@graph_op
def arcsinh(x):
    return _float_unary(ov_ops.asinh, x)


@hookimpl
@graph_op
def arccosh(x):
    return _float_unary(ov_ops.acosh, x)


@hookimpl
@graph_op
def arctanh(x):
    return _float_unary(ov_ops.atanh, x)


def _scaled(x, factor, build=None, wide_int64=False):
    x = node(x, float_dtype_of(_name(x), wide_int64))
    return ov_ops.multiply(x if build is None else build(x), _scalar(factor, x))


@hookimpl
@graph_op
def log2(x):
    return _scaled(x, 1 / np.log(2), ov_ops.log)


@hookimpl
@graph_op
def log10(x):
    return _scaled(x, 1 / np.log(10), ov_ops.log)


@hookimpl
@graph_op
def deg2rad(x):
    return _scaled(x, np.pi / 180, wide_int64=True)


@hookimpl
@graph_op
def rad2deg(x):
    return _scaled(x, 180 / np.pi, wide_int64=True)


@hookimpl
@graph_op
def exp2(x):
    x = node(x, float_dtype(x))
    return ov_ops.power(_scalar(2, x), x)


@hookimpl
@graph_op
def log1p(x):
    x = node(x, float_dtype(x))
    if stable.precise(x):
        return stable.log1p(x)
    return ov_ops.log(ov_ops.add(x, _scalar(1, x)))


@hookimpl
@graph_op
def expm1(x):
    x = node(x, float_dtype(x))
    if stable.precise(x):
        return stable.expm1(x)
    return ov_ops.subtract(ov_ops.exp(x), _scalar(1, x))


@hookimpl
@graph_op
def reciprocal(x):
    x = node(x, float_dtype(x))
    return ov_ops.divide(_scalar(1, x), x)


def _log_add(x1, x2, log_base, ln_base):
    """log_b(b**x1 + b**x2) as max + log_b(1 + b**-|x1 - x2|); equal inputs give x + log_b 2."""
    a, b = _float_pair(x1, x2)
    diff = ov_ops.subtract(a, b)
    spread = ov_ops.exp(
        ov_ops.multiply(ov_ops.negative(ov_ops.absolute(diff)), _scalar(ln_base, a))
    )
    if stable.is_float32(a):  # log_b(1 + spread) as log1p(spread) / ln(b), no cancellation
        tail = ov_ops.multiply(stable.log1p_of_small(spread), _scalar(1 / ln_base, a))
    else:
        tail = log_base(ov_ops.add(_scalar(1, a), spread))
    result = ov_ops.add(ov_ops.maximum(a, b), tail)
    same = ov_ops.equal(a, b)  # also both infinite: the difference would be NaN
    return ov_ops.select(same, ov_ops.add(a, log_base(_scalar(2, a))), result)


@hookimpl
@graph_op
def logaddexp(x1, x2):
    return _log_add(x1, x2, ov_ops.log, 1.0)


@hookimpl
@graph_op
def logaddexp2(x1, x2):
    def log2_(v):
        return ov_ops.multiply(ov_ops.log(v), _scalar(1 / np.log(2), v))

    return _log_add(x1, x2, log2_, np.log(2))


@hookimpl
@graph_op
def arctan2(x1, x2):
    y, x = _float_pair(x1, x2)
    zero = _scalar(0, x)
    base = ov_ops.atan(ov_ops.divide(y, x))
    half_turn = ov_ops.select(signbit(y), _scalar(-np.pi, x), _scalar(np.pi, x))
    left = ov_ops.add(base, half_turn)  # x < 0: atan(y / x) lands in the opposite quadrant
    on_axis = ov_ops.select(
        ov_ops.equal(y, zero),
        ov_ops.select(signbit(x), half_turn, y),
        ov_ops.multiply(ov_ops.sign(y), _scalar(np.pi / 2, x)),
    )
    result = ov_ops.select(ov_ops.less(x, zero), left, base)
    result = ov_ops.select(ov_ops.equal(x, zero), on_axis, result)
    # both infinite: atan(inf / inf) is nan; NumPy gives +-pi/4 or +-3pi/4
    corner = ov_ops.select(signbit(x), _scalar(3 * np.pi / 4, x), _scalar(np.pi / 4, x))
    corner = ov_ops.select(signbit(y), ov_ops.negative(corner), corner)
    both_inf = ov_ops.logical_and(ov_ops.is_inf(y), ov_ops.is_inf(x))
    return ov_ops.select(both_inf, corner, result)


@hookimpl
@graph_op
def hypot(x1, x2):
    a, b = _float_pair(x1, x2, wide_float_dtype)
    return ov_ops.sqrt(ov_ops.add(ov_ops.multiply(a, a), ov_ops.multiply(b, b)))


@hookimpl
@graph_op
def heaviside(x1, x2):
    a, b = _float_pair(x1, x2, wide_float_dtype)
    zero = _scalar(0, a)
    steps = ov_ops.select(
        ov_ops.less(a, zero), zero, ov_ops.select(ov_ops.greater(a, zero), _scalar(1, a), b)
    )
    return ov_ops.select(ov_ops.is_nan(a), a, steps)


@hookimpl
@graph_op
def divide_no_nan(x1, x2):
    a, b = _float_pair(x1, x2)
    zero = _scalar(0, a)
    return ov_ops.select(ov_ops.equal(b, zero), zero, ov_ops.divide(a, b))


def _euclid_steps(dtype):
    # Euclid needs at most ~1.44 log2(max) steps (consecutive Fibonacci numbers).
    return math.ceil(1.45 * np.iinfo(np.dtype(dtype)).bits) + 2


def _gcd_nodes(a, b):
    zero, one = _scalar(0, a), _scalar(1, a)
    a, b = ov_ops.absolute(a), ov_ops.absolute(b)
    shape = ov_ops.shape_of(ov_ops.add(a, b), "i64")
    a, b = ov_ops.broadcast(a, shape), ov_ops.broadcast(b, shape)
    for _ in range(_euclid_steps(dtype_out(a.output(0)))):
        done = ov_ops.equal(b, zero)
        rest = ov_ops.floor_mod(a, ov_ops.select(done, one, b))
        a, b = ov_ops.select(done, a, b), ov_ops.select(done, b, rest)
    return a


def _int_pair(op, x1, x2):
    a, b = promoted(x1, x2)
    if not dtypes.is_int_dtype(dtype_out(a)):
        raise TypeError(f"`{op}` takes integer tensors, received dtype {dtype_out(a)}.")
    return a, b


@hookimpl
@graph_op
def gcd(x1, x2):
    return _gcd_nodes(*_int_pair("gcd", x1, x2))


@hookimpl
@graph_op
def lcm(x1, x2):
    a, b = _int_pair("lcm", x1, x2)
    divisor = _gcd_nodes(a, b)
    zero = _scalar(0, a)
    safe = ov_ops.select(ov_ops.equal(divisor, zero), _scalar(1, a), divisor)
    return ov_ops.absolute(ov_ops.multiply(ov_ops.divide(a, safe), b))


@hookimpl
@graph_op
def floor(x):
    x = node(x)
    if not _is_float(x):
        return node(x, float_dtype(x))
    return ov_ops.floor(x)


@hookimpl
@graph_op
def ceil(x):
    x = node(x)
    if not _is_float(x):
        return node(x, float_dtype(x))
    return ov_ops.ceiling(x)


@hookimpl
@graph_op
def trunc(x):
    x = node(x)
    if not _is_float(x):
        return x
    return ov_ops.multiply(ov_ops.sign(x), ov_ops.floor(ov_ops.absolute(x)))


@hookimpl
@graph_op
def round(x, decimals=0):
    x = node(x)
    if not _is_float(x):
        if decimals >= 0 or _is_bool(x):
            return x
        # Integers round to tens, hundreds...: half to even, computed exactly in float64.
        scale = const(10.0**-decimals, "float64")
        rounded = ov_ops.round(ov_ops.divide(node(x, "float64"), scale), "half_to_even")
        return node(ov_ops.multiply(rounded, scale).output(0), dtype_out(x))
    if decimals == 0:
        return ov_ops.round(x, "half_to_even")
    if decimals > 0:
        scale = _scalar(10.0**decimals, x)
        return ov_ops.divide(ov_ops.round(ov_ops.multiply(x, scale), "half_to_even"), scale)
    scale = _scalar(10.0**-decimals, x)
    return ov_ops.multiply(ov_ops.round(ov_ops.divide(x, scale), "half_to_even"), scale)


@hookimpl
@graph_op
def clip(x, x_min, x_max):
    x = node(x)
    dtype = dtype_out(x)
    if dtype == "bool":
        x, dtype = node(x, "int32"), "int32"
    return ov_ops.minimum(ov_ops.maximum(x, node(x_min, dtype)), node(x_max, dtype))


@hookimpl
@graph_op
def where(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return nonzero(condition)
    a, b = promoted(x1, x2)
    return ov_ops.select(node(condition, "bool"), a, b)


@hookimpl
@graph_op
def select(condlist, choicelist, default=0):
    *choices, result = promoted(*choicelist, default)
    for condition, choice in reversed(list(zip(condlist, choices))):
        result = ov_ops.select(node(condition, "bool"), choice, result).output(0)
    shape = ov_ops.shape_of(ov_ops.select(node(condlist[0], "bool"), result, result), "i64")
    return ov_ops.broadcast(result, shape)


@hookimpl
@graph_op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = node(x)
    if not _is_float(x):
        return x
    info = np.finfo(np.dtype(dtype_out(x)))
    big = _scalar(info.max if posinf is None else posinf, x)
    small = _scalar(info.min if neginf is None else neginf, x)
    # Comparisons rather than IsInf: they fold in float64 (the compiled CPU graph is float32).
    x = ov_ops.select(ov_ops.equal(x, x), x, _scalar(nan, x))
    x = ov_ops.select(ov_ops.equal(x, _scalar(np.inf, x)), big, x)
    return ov_ops.select(ov_ops.equal(x, _scalar(-np.inf, x)), small, x)


def _real_value(op, x):
    """`x` itself: the real part and the conjugate of a real tensor."""
    _real_only(op, x=x)
    return node(x)


@hookimpl
@graph_op
def real(x):
    return _real_value("real", x)


@hookimpl
@graph_op
def imag(x):
    _real_only("imag", x=x)
    return _zeros_of(node(x))


@hookimpl
@graph_op
def conj(x):
    return _real_value("conj", x)


@hookimpl
@graph_op
def conjugate(x):
    return _real_value("conjugate", x)


@hookimpl
@graph_op
def angle(x):
    _real_only("angle", x=x)
    x = node(x, float_dtype(x))
    turned = ov_ops.select(signbit(x), _scalar(np.pi, x), _scalar(0, x))
    return ov_ops.select(ov_ops.is_nan(x), x, turned)


# --------------------------------------------------------------------------------------------
# Comparisons, logic and bits
# --------------------------------------------------------------------------------------------


def _compare(build, x1, x2):
    a, b = promoted(x1, x2)
    return build(a, b)


@hookimpl
@graph_op
def equal(x1, x2):
    return _compare(ov_ops.equal, x1, x2)


@hookimpl
@graph_op
def not_equal(x1, x2):
    return _compare(ov_ops.not_equal, x1, x2)


@hookimpl
@graph_op
def greater(x1, x2):
    return _compare(ov_ops.greater, x1, x2)


@hookimpl
@graph_op
def greater_equal(x1, x2):
    return _compare(ov_ops.greater_equal, x1, x2)


@hookimpl
@graph_op
def less(x1, x2):
    return _compare(ov_ops.less, x1, x2)


@hookimpl
@graph_op
def less_equal(x1, x2):
    return _compare(ov_ops.less_equal, x1, x2)


@hookimpl
@graph_op
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    a, b = promoted(x1, x2)
    if not _is_float(a):
        a, b = node(a, floatx()), node(b, floatx())
    gap = ov_ops.absolute(ov_ops.subtract(a, b))
    bound = ov_ops.add(_scalar(atol, a), ov_ops.multiply(_scalar(rtol, a), ov_ops.absolute(b)))
    finite = ov_ops.logical_and(ov_ops.is_finite(a), ov_ops.is_finite(b))
    close = ov_ops.select(finite, ov_ops.less_equal(gap, bound), ov_ops.equal(a, b))
    if equal_nan:
        close = ov_ops.logical_or(close, ov_ops.logical_and(ov_ops.is_nan(a), ov_ops.is_nan(b)))
    return close


@hookimpl
@graph_op
def logical_and(x1, x2):
    return ov_ops.logical_and(node(x1, "bool"), node(x2, "bool"))


@hookimpl
@graph_op
def logical_or(x1, x2):
    return ov_ops.logical_or(node(x1, "bool"), node(x2, "bool"))


@hookimpl
@graph_op
def logical_xor(x1, x2):
    return ov_ops.logical_xor(node(x1, "bool"), node(x2, "bool"))


@hookimpl
@graph_op
def logical_not(x):
    return ov_ops.logical_not(node(x, "bool"))


def _float_test(build, x, default):
    x = node(x)
    if not _is_float(x):
        return ov_ops.broadcast(const(default, "bool"), _shape(x))
    return build(x)


@hookimpl
@graph_op
def isnan(x):
    return _float_test(ov_ops.is_nan, x, False)


@hookimpl
@graph_op
def isinf(x):
    return _float_test(ov_ops.is_inf, x, False)


@hookimpl
@graph_op
def isfinite(x):
    return _float_test(ov_ops.is_finite, x, True)


@hookimpl
@graph_op
def isneginf(x):
    return _float_test(lambda v: ov_ops.is_inf(v, {"detect_positive": False}), x, False)


@hookimpl
@graph_op
def isposinf(x):
    return _float_test(lambda v: ov_ops.is_inf(v, {"detect_negative": False}), x, False)


@hookimpl
@graph_op
def isreal(x):
    _real_only("isreal", x=x)
    return ov_ops.broadcast(const(True, "bool"), _shape(node(x)))


def _bitwise(op, build, x, y):
    a, b = promoted(x, y)
    if _is_float(a):
        raise TypeError(f"`{op}` takes integer or boolean tensors, received dtype {dtype_out(a)}.")
    return build(a, b)


@hookimpl
@graph_op
def bitwise_and(x, y):
    return _bitwise("bitwise_and", ov_ops.bitwise_and, x, y)


@hookimpl
@graph_op
def bitwise_or(x, y):
    return _bitwise("bitwise_or", ov_ops.bitwise_or, x, y)


@hookimpl
@graph_op
def bitwise_xor(x, y):
    return _bitwise("bitwise_xor", ov_ops.bitwise_xor, x, y)


@hookimpl
@graph_op
def bitwise_left_shift(x, y):
    return _bitwise("bitwise_left_shift", ov_ops15.bitwise_left_shift, x, y)


@hookimpl
@graph_op
def left_shift(x, y):
    return _bitwise("left_shift", ov_ops15.bitwise_left_shift, x, y)


@hookimpl
@graph_op
def bitwise_right_shift(x, y):
    return _bitwise("bitwise_right_shift", ov_ops15.bitwise_right_shift, x, y)


@hookimpl
@graph_op
def right_shift(x, y):
    return _bitwise("right_shift", ov_ops15.bitwise_right_shift, x, y)


@hookimpl
@graph_op
def bitwise_invert(x):
    return ov_ops.bitwise_not(node(x))


@hookimpl
@graph_op
def bitwise_not(x):
    return ov_ops.bitwise_not(node(x))


# --------------------------------------------------------------------------------------------
# Reductions and scans
# --------------------------------------------------------------------------------------------


def _reduce(build, x, axis, keepdims, dtype=None):
    x = node(x, dtype)
    return build(x, int_const(axes_of(axis, x)), keepdims)


@hookimpl
@graph_op
def sum(x, axis=None, keepdims=False):
    x = node(x)
    return _reduce(ov_ops.reduce_sum, x, axis, keepdims, accumulation_dtype(dtype_out(x)))


@hookimpl
@graph_op
def prod(x, axis=None, keepdims=False, dtype=None):
    x = node(x)
    target = dtypes.standardize_dtype(dtype) if dtype else accumulation_dtype(dtype_out(x))
    return _reduce(ov_ops.reduce_prod, x, axis, keepdims, target)


@hookimpl
@graph_op
def mean(x, axis=None, keepdims=False):
    return _reduce(ov_ops.reduce_mean, x, axis, keepdims, float_dtype(x))


def _extremum(x, axis, keepdims, initial, largest):
    x = node(x)
    if _is_bool(x):
        reduce, pair = (
            (ov_ops.reduce_logical_or, ov_ops.logical_or)
            if largest
            else (ov_ops.reduce_logical_and, ov_ops.logical_and)
        )
    else:
        reduce, pair = (
            (ov_ops.reduce_max, ov_ops.maximum) if largest else (ov_ops.reduce_min, ov_ops.minimum)
        )
    out = _reduce(reduce, x, axis, keepdims)
    if initial is not None:
        out = pair(out, node(initial, dtype_out(x)))
    if _is_float(x):  # NaN wins, as in NumPy (the reductions skip it)
        has_nan = _reduce(
            ov_ops.reduce_logical_or, ov_ops.not_equal(x, x).output(0), axis, keepdims
        )
        out = ov_ops.select(has_nan, _scalar(np.nan, x), out)
    return out


@hookimpl
@graph_op
def max(x, axis=None, keepdims=False, initial=None):
    return _extremum(x, axis, keepdims, initial, largest=True)


@hookimpl
@graph_op
def min(x, axis=None, keepdims=False, initial=None):
    return _extremum(x, axis, keepdims, initial, largest=False)


@hookimpl
@graph_op
def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


@hookimpl
@graph_op
def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


@hookimpl
@graph_op
def all(x, axis=None, keepdims=False):
    return _reduce(ov_ops.reduce_logical_and, x, axis, keepdims, "bool")


@hookimpl
@graph_op
def any(x, axis=None, keepdims=False):
    return _reduce(ov_ops.reduce_logical_or, x, axis, keepdims, "bool")


@hookimpl
@graph_op
def count_nonzero(x, axis=None):
    x = node(x)
    if not _is_bool(x):
        x = ov_ops.not_equal(x, _scalar(0, x)).output(0)
    return _reduce(ov_ops.reduce_sum, x, axis, False, "int32")


def _variance(x, axis, keepdims):
    """Variance in at least float32, and the float dtype to return it in."""
    out = float_dtype(x)
    x = node(x, dtypes.result_type(out, "float32"))
    axes = int_const(axes_of(axis, x))
    centered = ov_ops.subtract(x, ov_ops.reduce_mean(x, axes, True))
    return ov_ops.reduce_mean(ov_ops.multiply(centered, centered), axes, keepdims), out


@hookimpl
@graph_op
def var(x, axis=None, keepdims=False):
    value, out = _variance(x, axis, keepdims)
    return node(value.output(0), out)


@hookimpl
@graph_op
def std(x, axis=None, keepdims=False):
    value, out = _variance(x, axis, keepdims)
    return node(ov_ops.sqrt(value).output(0), out)


def _arg_extremum(mode, x, axis, keepdims):
    x = node(x)
    if _is_bool(x):
        x = node(x, "int32")
    n = rank(x)
    if axis is None:
        x, axis = _flat(x), 0
    axis = int(axis) % builtins.max(rank(x), 1)
    if rank(x) == 0:
        x = ov_ops.reshape(x, int_const([1]), False).output(0)
    index = _first_extreme(x, axis, mode)
    if _is_float(x):  # the first NaN wins, as in NumPy
        nans = node(ov_ops.not_equal(x, x).output(0), "int32")
        has_nan = ov_ops.reduce_logical_or(node(nans, "bool"), int_const(axis), True)
        index = ov_ops.select(has_nan, _first_extreme(nans, axis, "max"), index).output(0)
    if not keepdims:
        return ov_ops.squeeze(index, int_const([axis]))
    return ov_ops.reshape(index, int_const([1] * n), False) if n != rank(x) else index


def _first_extreme(x, axis, mode):
    """The index of the first largest ("max") or smallest ("min") value along `axis`."""
    return ov_ops.topk(x, const(1, "int64"), axis, mode, "value", "i32", stable=True).output(1)


@hookimpl
@graph_op
def argmax(x, axis=None, keepdims=False):
    return _arg_extremum("max", x, axis, keepdims)


@hookimpl
@graph_op
def argmin(x, axis=None, keepdims=False):
    return _arg_extremum("min", x, axis, keepdims)


def _scan_input(x, axis, dtype):
    """x in the scan's dtype (given, else x's own; bools as int32), flattened for no axis."""
    x = node(x)
    target = dtypes.standardize_dtype(dtype) if dtype else dtype_out(x)
    x = node(x, "int32" if target == "bool" else target)
    if axis is None:
        return _flat(x), 0
    return x, int(axis) % rank(x)


@hookimpl
@graph_op
def cumsum(x, axis=None, dtype=None):
    x, axis = _scan_input(x, axis, dtype)
    return ov_ops.cumsum(x, int_const(axis))


@hookimpl
@graph_op
def cumprod(x, axis=None, dtype=None):
    x, axis = _scan_input(x, axis, dtype)
    return _wrapping(lambda v: _cumulative_product(v, axis), x)


def _cumulative_product(x, axis):
    size = partial_shape(x)[axis]
    if size is None:  # a product over a triangular mask: out[i] = prod(x[j] for j <= i)
        n = _dim(x, axis)
        later = ov_ops.greater(
            ov_ops.unsqueeze(_arange(n), int_const(0)), ov_ops.unsqueeze(_arange(n), int_const(1))
        )
        rows = ov_ops.unsqueeze(x, int_const(axis))  # [..., i (new), j, ...]
        others = [k for k in range(rank(x) + 1) if k not in (axis, axis + 1)]
        mask = ov_ops.unsqueeze(later, int_const(others)) if others else later
        masked = ov_ops.select(mask, _scalar(1, x), rows)
        return ov_ops.reduce_prod(masked, int_const(axis + 1), False)
    # Hillis-Steele scan: log2(n) steps, each multiplying by the value `shift` places back.
    shift = 1
    while shift < size:
        ones = ov_ops.broadcast(_scalar(1, x), _shifted_shape(x, axis, shift))
        back = ov_ops.concat([ones, _slice(x, axis, 0, size - shift)], axis)
        x = ov_ops.multiply(x, back).output(0)
        shift *= 2
    return x


def _shifted_shape(x, axis, length):
    """The shape of `x` with `axis` set to `length`."""
    return ov_ops.scatter_update(_shape(x), int_const([axis]), int_const([length]), int_const(0))


@hookimpl
@graph_op
def average(x, axis=None, weights=None):
    given = [x] if weights is None else [x, weights]
    dtype = dtypes.result_type(*[dtype_of(v) for v in given], float)
    x = node(x, dtype)
    if weights is None:
        return ov_ops.reduce_mean(x, int_const(axes_of(axis, x)), False)
    weights = _weights_like(x, node(weights, dtype), axis)
    axes = int_const(axes_of(axis, x))
    total = ov_ops.reduce_sum(ov_ops.multiply(x, weights), axes, False)
    return ov_ops.divide(total, ov_ops.reduce_sum(weights, axes, False))


def _weights_like(x, weights, axis):
    """`weights` broadcast to x's shape: given with it, or 1-D along a single `axis` (the op's
    `_check_average` has checked which)."""
    x_shape, w_shape = partial_shape(x), partial_shape(weights)
    if len(w_shape) == len(x_shape):
        return weights
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    return _along(weights, axes[0] % len(x_shape), len(x_shape))


def _sorted_last(x, axis):
    """x (float) with the reduced `axis` (None, int or tuple) flattened and sorted last."""
    axes = axes_of(axis, x)
    moved = _move_to_end(x, axes)
    kept = rank(x) - len(axes)
    flat = ov_ops.reshape(moved, int_const([0] * kept + [-1]), True).output(0)
    return _sort_values(flat, kept), axes


def _quantile_nodes(x, q, axis, method, keepdims):
    out = float_dtype(x)
    x = node(x, dtypes.result_type(out, "float32"))
    values, axes = _sorted_last(x, axis)
    last = rank(values) - 1
    count = node(_i64(_dim(values, last)), "float64")
    q = node(q, "float64")
    position = ov_ops.multiply(q, ov_ops.subtract(count, const(1.0, "float64")))
    low, high = ov_ops.floor(position), ov_ops.ceiling(position)
    if method == "nearest":  # NumPy rounds the position half to even
        low = high = ov_ops.round(position, "half_to_even")
    elif method == "lower":
        high = low
    elif method == "higher":
        low = high
    elif method not in ("linear", "midpoint"):
        raise ValueError(f"quantile: unknown `method` {method!r}.")
    v_low = ov_ops.gather(values, ov_ops.convert(low, ov.Type.i64), int_const(last))
    v_high = ov_ops.gather(values, ov_ops.convert(high, ov.Type.i64), int_const(last))
    if method == "linear":
        weight = node(ov_ops.subtract(position, low).output(0), dtype_out(values))
        result = ov_ops.add(v_low, ov_ops.multiply(ov_ops.subtract(v_high, v_low), weight))
    elif method == "midpoint":
        result = ov_ops.multiply(ov_ops.add(v_low, v_high), _scalar(0.5, values))
    else:
        result = v_low
    result = result.output(0)
    q_rank = rank(q)
    if q_rank:  # the quantile axes lead, as in NumPy
        order = list(range(last, last + q_rank)) + list(range(last))
        result = ov_ops.transpose(result, int_const(order)).output(0)
    if keepdims:
        for a in sorted(axes):
            result = ov_ops.unsqueeze(result, int_const(a + q_rank)).output(0)
    return node(result, out)


@hookimpl
@graph_op
def median(x, axis=None, keepdims=False):
    return _quantile_nodes(x, 0.5, axis, "linear", keepdims)


@hookimpl
@graph_op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile_nodes(x, q, axis, method, keepdims)


# --------------------------------------------------------------------------------------------
# Products and related linear algebra
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def matmul(x1, x2):
    dtype = dtypes.matmul_result_type(dtype_of(x1), dtype_of(x2))
    if dtype in ("uint8", "int16", "bool"):  # products in int32, then cast (wraps as Keras')
        out = ov_ops.matmul(node(x1, "int32"), node(x2, "int32"), False, False)
        return node(out, dtype)
    return ov_ops.matmul(node(x1, dtype), node(x2, dtype), False, False)


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _contract(a, b, axes_a, axes_b):
    """Sums a * b over the paired axes (tensordot), as one Einsum node."""
    ra, rb = rank(a), rank(b)
    sa = list(_LETTERS[:ra])
    sb = list(_LETTERS[ra : ra + rb])
    for i, j in zip(axes_a, axes_b):
        sb[j] = sa[i]
    out = [s for i, s in enumerate(sa) if i not in axes_a] + [
        s for j, s in enumerate(sb) if j not in axes_b
    ]
    return ov_ops.einsum([a, b], f"{''.join(sa)},{''.join(sb)}->{''.join(out)}")


def _bool_as_int(a, b):
    """Bool products compute in int32 and return bool (any true pair)."""
    if _is_bool(a):
        return node(a, "int32"), node(b, "int32"), True
    return a, b, False


def _product(a, b, axes_a, axes_b):
    a, b, as_bool = _bool_as_int(a, b)
    result = _wrapping(lambda u, v: _contract(u, v, axes_a, axes_b), a, b)
    return ov_ops.convert(result, ov.Type.boolean) if as_bool else result


@hookimpl
@graph_op
def dot(x1, x2):
    a, b = promoted(x1, x2)
    if rank(a) == 0 or rank(b) == 0:
        return multiply(a, b)
    return _product(a, b, [rank(a) - 1], [builtins.max(rank(b) - 2, 0)])


@hookimpl
@graph_op
def inner(x1, x2):
    a, b = promoted(x1, x2)
    if rank(a) == 0 or rank(b) == 0:
        return multiply(a, b)
    return _product(a, b, [rank(a) - 1], [rank(b) - 1])


@hookimpl
@graph_op
def outer(x1, x2):
    a, b = promoted(_flat(node(x1)), _flat(node(x2)))
    return multiply(
        ov_ops.unsqueeze(a, int_const(1)).output(0), ov_ops.unsqueeze(b, int_const(0)).output(0)
    )


@hookimpl
@graph_op
def vdot(x1, x2):
    a, b = promoted(x1, x2)
    return _product(_flat(a), _flat(b), [0], [0])


@hookimpl
@graph_op
def tensordot(x1, x2, axes=2):
    a, b = promoted(x1, x2)
    if isinstance(axes, (int, np.integer)):
        axes_a = list(range(rank(a) - int(axes), rank(a)))
        axes_b = list(range(int(axes)))
    else:
        axes_a, axes_b = [[int(v) for v in np.atleast_1d(side)] for side in axes]
        axes_a = [v % rank(a) for v in axes_a]
        axes_b = [v % rank(b) for v in axes_b]
    return _product(a, b, axes_a, axes_b)


def _explicit(subscripts):
    """An einsum equation with its output: implicit mode sums the repeated labels away."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        return subscripts
    labels = subscripts.replace(",", "").replace(".", "")
    once = sorted(c for c in set(labels) if labels.count(c) == 1)
    return subscripts + "->" + ("..." if "..." in subscripts else "") + "".join(once)


@hookimpl
@graph_op
def einsum(subscripts, *operands, **kwargs):
    names = {_name(x) for x in operands}
    dtype = "int32" if names == {"int8"} else dtypes.result_type(*names)
    values = [node(x, dtype) for x in operands]
    as_bool = dtype == "bool"
    if as_bool:
        values = [node(v, "int32") for v in values]
    result = ov_ops.einsum(values, _explicit(subscripts))
    return ov_ops.convert(result, ov.Type.boolean) if as_bool else result


def _component(x, i):
    return ov_ops.gather(x, int_const(i), int_const(-1)).output(0)


@hookimpl
@graph_op
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = promoted(x1, x2)
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    la, lb = partial_shape(a)[-1], partial_shape(b)[-1]
    zero = _zeros_of(_component(a, 0))
    ax, ay, az = [_component(a, i) if i < la else None for i in range(3)]
    bx, by, bz = [_component(b, i) if i < lb else None for i in range(3)]
    if az is None and bz is None:
        return subtract(multiply(ax, by), multiply(ay, bx))
    az = az if az is not None else ov_ops.broadcast(zero, _shape(ax)).output(0)
    bz = bz if bz is not None else _zeros_of(bx)

    def term(p, q, r, s):
        return ov_ops.unsqueeze(subtract(multiply(p, q), multiply(r, s)), int_const(-1))

    result = ov_ops.concat(
        [term(ay, bz, az, by), term(az, bx, ax, bz), term(ax, by, ay, bx)], -1
    ).output(0)
    return moveaxis(result, -1, axisc)


@hookimpl
@graph_op
def kron(x1, x2):
    a, b = promoted(x1, x2)
    n = builtins.max(rank(a), rank(b))
    a, b = [
        ov_ops.unsqueeze(v, int_const(list(range(n - rank(v))))).output(0) if rank(v) < n else v
        for v in (a, b)
    ]
    # a[i] * b[j] lands at i * len(b) + j: interleave the axes, then merge each pair.
    a_wide = ov_ops.unsqueeze(a, int_const([2 * i + 1 for i in range(n)]))
    b_wide = ov_ops.unsqueeze(b, int_const([2 * i for i in range(n)]))
    product = multiply(a_wide.output(0), b_wide.output(0))
    shape = ov_ops.multiply(_shape(a), _shape(b))
    return ov_ops.reshape(product, shape, False)


@hookimpl
@graph_op
def correlate(x1, x2, mode="valid"):
    dtype, compute = correlate_dtypes(dtypes.result_type(dtype_of(x1), dtype_of(x2)))
    a, v = node(x1, compute), node(x2, compute)
    check_correlate_ranks(partial_shape(a), partial_shape(v))
    n, m = partial_shape(a)[0], partial_shape(v)[0]
    if n is None or m is None:
        raise _unsupported(
            "correlate", "x1", "the input lengths must be known when the graph is built."
        )
    swap = m > n  # NumPy slides the shorter input: the result comes out reversed
    if swap:
        a, v, n, m = v, a, m, n
    pads = {"valid": (0, 0), "same": (m // 2, m - 1 - m // 2), "full": (m - 1, m - 1)}
    if mode not in pads:
        raise ValueError(f"correlate: `mode` must be 'valid', 'same' or 'full', received {mode!r}.")
    begin, end = pads[mode]
    signal = ov_ops.reshape(a, int_const([1, 1, -1]), False)
    kernel = ov_ops.reshape(v, int_const([1, 1, -1]), False)
    result = _flat(ov_ops.convolution(signal, kernel, [1], [begin], [end], [1]).output(0))
    if swap:
        result = flip(result)
    return node(result, dtype)


@hookimpl
@graph_op
def corrcoef(x):
    name = _name(x)
    dtype = "float64" if name == "int64" else dtypes.result_type(name, float)
    x = node(x, dtypes.result_type(dtype, "float32"))
    if rank(x) == 1:
        x = ov_ops.unsqueeze(x, int_const(0)).output(0)
    centered = ov_ops.subtract(x, ov_ops.reduce_mean(x, int_const(1), True))
    cov = ov_ops.matmul(centered, centered, False, True)
    variances = ov_ops.reduce_sum(ov_ops.multiply(centered, centered), int_const(1), False)
    scale = ov_ops.sqrt(variances)
    outer_scale = ov_ops.multiply(
        ov_ops.unsqueeze(scale, int_const(1)), ov_ops.unsqueeze(scale, int_const(0))
    )
    result = ov_ops.clamp(ov_ops.divide(cov, outer_scale), -1.0, 1.0).output(0)
    if partial_shape(result) == (1, 1):
        result = ov_ops.reshape(result, int_const([]), False).output(0)
    return node(result, dtype)


@hookimpl
@graph_op
def diff(a, n=1, axis=-1):
    x = node(a)
    axis = int(axis) % rank(x)
    for _ in range(n):
        later, earlier = _slice(x, axis, 1, _END), _slice(x, axis, 0, -1)
        step = ov_ops.not_equal if _is_bool(x) else ov_ops.subtract
        x = step(later, earlier).output(0)
    return x


@hookimpl
@graph_op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    dtype = float_dtype(y)
    y = node(y, dtype)
    axis = int(axis) % rank(y)
    heights = ov_ops.add(_slice(y, axis, 1, _END), _slice(y, axis, 0, -1))
    if x is None:
        widths = _scalar(dx, y)
    else:
        xs = node(x, dtype)
        x_axis = 0 if rank(xs) == 1 else axis
        widths = ov_ops.subtract(_slice(xs, x_axis, 1, _END), _slice(xs, x_axis, 0, -1))
        if rank(xs) == 1:
            widths = _along(widths, axis, rank(y))
    areas = ov_ops.multiply(ov_ops.multiply(heights, widths), _scalar(0.5, y))
    return ov_ops.reduce_sum(areas, int_const(axis), False)


@hookimpl
@graph_op
def vander(x, N=None, increasing=False):
    x = node(x)
    compute = dtypes.result_type(dtype_out(x), floatx())
    columns = _dim(x, 0) if N is None else N
    powers = _arange(columns)
    if not increasing:
        last = ov_ops.subtract(_i64(columns), const(1, "int64"))
        powers = ov_ops.subtract(last, powers).output(0)
    base = ov_ops.unsqueeze(node(x, compute), int_const(1))
    table = ov_ops.power(base, ov_ops.unsqueeze(node(powers, compute), int_const(0)))
    return node(table.output(0), dtype_out(x))


# --------------------------------------------------------------------------------------------
# Shapes and layout
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def reshape(x, newshape):
    x = node(x)
    if isinstance(newshape, int):
        newshape = (newshape,)
    if builtins.any(d is None for d in newshape):
        raise ValueError(f"reshape: unknown dimension in the new shape {newshape}.")
    return ov_ops.reshape(x, int_const([int(d) for d in newshape]), False)


@hookimpl
@graph_op
def transpose(x, axes=None):
    x = node(x)
    n = rank(x)
    axes = list(range(n))[::-1] if axes is None else [int(a) % n for a in axes]
    return ov_ops.transpose(x, int_const(axes))


@hookimpl
@graph_op
def moveaxis(x, source, destination):
    x = node(x)
    n = rank(x)
    source = [int(a) % n for a in np.atleast_1d(source)]
    destination = [int(a) % n for a in np.atleast_1d(destination)]
    order = [a for a in range(n) if a not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return ov_ops.transpose(x, int_const(order))


@hookimpl
@graph_op
def swapaxes(x, axis1, axis2):
    x = node(x)
    order = list(range(rank(x)))
    a, b = int(axis1) % len(order), int(axis2) % len(order)
    order[a], order[b] = order[b], order[a]
    return ov_ops.transpose(x, int_const(order))


@hookimpl
@graph_op
def expand_dims(x, axis):
    x = node(x)
    axis = axis if isinstance(axis, (list, tuple)) else [axis]
    n = rank(x) + len(axis)
    return ov_ops.unsqueeze(x, int_const(sorted(int(a) % n for a in axis)))


@hookimpl
@graph_op
def squeeze(x, axis=None):
    x = node(x)
    shape = partial_shape(x)
    axes = [i for i, d in enumerate(shape) if d == 1] if axis is None else axes_of(axis, x)
    for a in axes:
        if shape[a] not in (1, None):
            raise ValueError(f"squeeze: cannot squeeze axis {a} of size {shape[a]}.")
    if not axes:
        return x
    return ov_ops.squeeze(x, int_const(axes))


@hookimpl
@graph_op
def ravel(x):
    return _flat(node(x))


@hookimpl
@graph_op
def concatenate(xs, axis=0):
    values = promoted(*xs)
    if axis is None:
        values = [_flat(v) for v in values]
        axis = 0
    return ov_ops.concat(values, int(axis) % builtins.max(rank(values[0]), 1))


@hookimpl
@graph_op
def stack(x, axis=0):
    values = promoted(*x)
    axis = int(axis) % (rank(values[0]) + 1)
    return ov_ops.concat([ov_ops.unsqueeze(v, int_const([axis])) for v in values], axis)


def _at_least(x, n, axes):
    """x with `axes` (for its rank) inserted until it has `n` dimensions (NumPy atleast_nd)."""
    if rank(x) >= n:
        return x
    return ov_ops.unsqueeze(x, int_const(axes[rank(x)])).output(0)


@hookimpl
@graph_op
def hstack(xs):
    values = [_at_least(v, 1, {0: [0]}) for v in promoted(*xs)]
    return ov_ops.concat(values, 0 if rank(values[0]) == 1 else 1)


@hookimpl
@graph_op
def vstack(xs):
    values = [_at_least(v, 2, {0: [0, 1], 1: [0]}) for v in promoted(*xs)]
    return ov_ops.concat(values, 0)


@hookimpl
@graph_op
def dstack(xs):
    values = [_at_least(v, 3, {0: [0, 1, 2], 1: [0, 2], 2: [2]}) for v in promoted(*xs)]
    return ov_ops.concat(values, 2)


@hookimpl
@graph_op
def column_stack(xs):
    values = [_at_least(v, 2, {0: [0, 1], 1: [1]}) for v in promoted(*xs)]
    return ov_ops.concat(values, 1)


@hookimpl
@graph_op
def append(x1, x2, axis=None):
    a, b = promoted(x1, x2)
    if axis is None:
        return ov_ops.concat([_flat(a), _flat(b)], 0)
    return ov_ops.concat([a, b], int(axis) % rank(a))


@hookimpl
@graph_op
def broadcast_to(x, shape):
    return ov_ops.broadcast(node(x), int_const(list(shape)))


@hookimpl
@graph_op
def tile(x, repeats):
    x = node(x)
    if not isinstance(repeats, (int, list, tuple)):
        # A tensor of counts (built from `ops.shape(x)[0]` in a traced `call`): its length
        # must be static, its values may be dynamic.
        counts = ov_ops.reshape(node(repeats, "int64"), int_const([-1]), False).output(0)
        length = counts.get_partial_shape()[0]
        if length.is_dynamic:
            raise ValueError(
                "ops.tile: `repeats` must have a static length (one count per axis). "
                f"Received: repeats of shape {counts.get_partial_shape()}"
            )
        n = builtins.max(rank(x), length.get_length())
        if rank(x) < n:
            x = ov_ops.unsqueeze(x, int_const(list(range(n - rank(x))))).output(0)
        if n > length.get_length():
            counts = ov_ops.concat([int_const([1] * (n - length.get_length())), counts], 0)
        return ov_ops.tile(x, counts)
    repeats = [repeats] if isinstance(repeats, int) else [int(r) for r in repeats]
    n = builtins.max(rank(x), len(repeats))
    if rank(x) < n:
        x = ov_ops.unsqueeze(x, int_const(list(range(n - rank(x))))).output(0)
    return ov_ops.tile(x, int_const([1] * (n - len(repeats)) + repeats))


def _reverse(x, axis):
    return _slice(x, axis, -1, -_END, -1)


@hookimpl
@graph_op
def flip(x, axis=None):
    x = node(x)
    for a in axes_of(axis, x):
        x = _reverse(x, a)
    return x


@hookimpl
@graph_op
def fliplr(x):
    x = node(x)
    if rank(x) < 2:
        raise ValueError(
            f"fliplr: expected a tensor with at least 2 dimensions, received "
            f"shape {partial_shape(x)}."
        )
    return _reverse(x, 1)


@hookimpl
@graph_op
def flipud(x):
    x = node(x)
    if rank(x) < 1:
        raise ValueError("flipud: expected a tensor with at least 1 dimension, received a scalar.")
    return _reverse(x, 0)


@hookimpl
@graph_op
def roll(x, shift, axis=None):
    x = node(x)
    if axis is None:
        rolled = ov_ops.roll(_flat(x), node(shift, "int64"), int_const(0))
        return ov_ops.reshape(rolled, _shape(x), False)
    return ov_ops.roll(x, node(shift, "int64"), node(axis, "int64"))


@hookimpl
@graph_op
def rot90(array, k=1, axes=(0, 1)):
    x = node(array)
    n = rank(x)
    check_rot90_axes(n, partial_shape(x), axes)
    first, second = axes[0] % n, axes[1] % n
    k %= 4
    if k == 0:
        return x
    if k == 2:
        return _reverse(_reverse(x, first), second)
    order = list(range(n))
    order[first], order[second] = order[second], order[first]
    if k == 1:
        return ov_ops.transpose(_reverse(x, second), int_const(order))
    return _reverse(ov_ops.transpose(x, int_const(order)).output(0), second)


@hookimpl
@graph_op
def repeat(x, repeats, axis=None):
    x = node(x)
    if axis is None:
        x, axis = _flat(x), 0
    axis = int(axis) % rank(x)
    if isinstance(repeats, (int, np.integer)):
        repeats = int(repeats)
        tiled = ov_ops.tile(
            ov_ops.unsqueeze(x, int_const(axis + 1)),
            int_const([1] * (axis + 1) + [repeats] + [1] * (rank(x) - axis - 1)),
        )
        shape = ov_ops.multiply(
            _shape(x), int_const([repeats if i == axis else 1 for i in range(rank(x))])
        )
        return ov_ops.reshape(tiled, shape, False)
    counts = node(repeats, "int64")
    if rank(counts) == 0:
        counts = ov_ops.broadcast(
            counts, ov_ops.reshape(_i64(_dim(x, axis)), int_const([1]), False)
        ).output(0)
    # Output position p reads element i where cumsum(counts)[i - 1] <= p < cumsum(counts)[i].
    ends = ov_ops.cumsum(counts, int_const(0))
    total = ov_ops.reduce_sum(counts, int_const(0), False)
    index = ov_ops.bucketize(_arange(total.output(0)), ends, "i64", False)
    return ov_ops.gather(x, index, int_const(axis))


def _pad_widths(pad_width, n):
    widths = np.asarray(pad_width, np.int64)
    return np.broadcast_to(widths.reshape(-1, 2) if widths.size > 1 else widths, (n, 2))


@hookimpl
@graph_op
def pad(x, pad_width, mode="constant", constant_values=None):
    check_pad_args(mode, constant_values)
    x = node(x)
    widths = _pad_widths(pad_width, rank(x))
    if mode in ("constant", "empty"):
        value = node(0 if constant_values is None else constant_values, dtype_out(x))
        return ov_ops.pad(x, int_const(widths[:, 0]), int_const(widths[:, 1]), "constant", value)
    if mode in ("edge", "reflect", "symmetric"):
        return ov_ops.pad(x, int_const(widths[:, 0]), int_const(widths[:, 1]), mode)
    for axis, (before, after) in enumerate(widths):
        if before or after:
            x = _PAD_AXIS[mode](x, axis, int(before), int(after))
    return x


def _pad_wrap(x, axis, before, after):
    size = _dim(x, axis)
    index = ov_ops.floor_mod(
        _arange(ov_ops.add(_i64(size), const(after, "int64")), -before), _i64(size)
    )
    return ov_ops.gather(x, index, int_const(axis)).output(0)


def _pad_with(x, axis, before, after, fill_before, fill_after):
    parts = [
        ov_ops.broadcast(fill_before, _shifted_shape(x, axis, before)).output(0),
        x,
        ov_ops.broadcast(fill_after, _shifted_shape(x, axis, after)).output(0),
    ]
    return ov_ops.concat(parts, axis).output(0)


def _stat_pad(statistic):
    def pad_axis(x, axis, before, after):
        value = statistic(x, axis)
        if not _is_float(x) and _is_float(value):  # NumPy rounds integer statistics
            value = ov_ops.round(value, "half_to_even").output(0)
        value = node(value, dtype_out(x))
        return _pad_with(x, axis, before, after, value, value)

    return pad_axis


def _pad_linear_ramp(x, axis, before, after):
    # Ramps from 0 (NumPy's default end value) towards the edge, as `linspace` without end.
    wide = node(x, "float64")
    edges = (_slice(wide, axis, 0, 1), _slice(wide, axis, -1, _END))
    ramps = []
    for edge, width, reverse in ((edges[0], before, False), (edges[1], after, True)):
        steps = node(_arange(width), "float64")
        if reverse:
            steps = ov_ops.subtract(const(float(width - 1), "float64"), steps)
        fraction = _along(
            ov_ops.divide(steps, const(float(builtins.max(width, 1)), "float64")).output(0),
            axis,
            rank(x),
        )
        ramp = ov_ops.multiply(edge, fraction)
        if not _is_float(x):
            ramp = ov_ops.floor(ramp)
        ramps.append(node(ramp.output(0), dtype_out(x)))
    return ov_ops.concat([ramps[0], x, ramps[1]], axis).output(0)


def _axis_reduce(build):
    return lambda x, axis: build(x, int_const(axis), True).output(0)


def _axis_mean(x, axis):
    return ov_ops.reduce_mean(node(x, float_dtype(x)), int_const(axis), True).output(0)


def _axis_median(x, axis):
    return _quantile_nodes(x, 0.5, axis, "linear", True)


_PAD_AXIS = {
    "wrap": _pad_wrap,
    "circular": _pad_wrap,
    "linear_ramp": _pad_linear_ramp,
    "maximum": _stat_pad(_axis_reduce(ov_ops.reduce_max)),
    "minimum": _stat_pad(_axis_reduce(ov_ops.reduce_min)),
    "mean": _stat_pad(_axis_mean),
    "median": _stat_pad(_axis_median),
}


def _split_lengths(size, indices_or_sections, axis, even):
    if isinstance(indices_or_sections, (int, np.integer)):
        parts = int(indices_or_sections)
        if even and size % parts:
            raise ValueError(
                f"split: axis {axis} of size {size} cannot be split into {parts} equal sections."
            )
        return [size // parts + (1 if i < size % parts else 0) for i in range(parts)]
    cuts = (
        [0]
        + [
            builtins.min(builtins.max(int(i), 0), size)
            for i in np.asarray(indices_or_sections).reshape(-1)
        ]
        + [size]
    )
    return [builtins.max(b - a, 0) for a, b in zip(cuts[:-1], cuts[1:])]


def _split(x, indices_or_sections, axis, even=True):
    x = node(x)
    axis = int(axis) % rank(x)
    size = partial_shape(x)[axis]
    if size is None and even and isinstance(indices_or_sections, (int, np.integer)):
        parts = ov_ops.split(x, int_const(axis), int(indices_or_sections))
        return [parts.output(i) for i in range(int(indices_or_sections))]
    if size is None:
        raise _unsupported(
            "array_split" if not even else "split", "x", f"axis {axis} must have a known size."
        )
    lengths = _split_lengths(size, indices_or_sections, axis, even)
    starts = np.cumsum([0] + lengths)
    return [_slice(x, axis, int(starts[i]), int(starts[i + 1])) for i in range(len(lengths))]


@hookimpl
@graph_op
def split(x, indices_or_sections, axis=0):
    return _split(x, indices_or_sections, axis)


@hookimpl
@graph_op
def array_split(x, indices_or_sections, axis=0):
    return _split(x, indices_or_sections, axis, even=False)


@hookimpl
@graph_op
def hsplit(x, indices_or_sections):
    x = node(x)
    return _split(x, indices_or_sections, 1 if rank(x) > 1 else 0)


@hookimpl
@graph_op
def vsplit(x, indices_or_sections):
    return _split(x, indices_or_sections, 0)


@hookimpl
@graph_op
def dsplit(x, indices_or_sections):
    return _split(x, indices_or_sections, 2)


@hookimpl
@graph_op
def meshgrid(*x, indexing="xy"):
    values = [_flat(node(v)) for v in x]
    axes = list(range(len(values)))
    if indexing == "xy" and len(values) > 1:
        axes[0], axes[1] = 1, 0
    shape = [None] * len(values)
    for value, axis in zip(values, axes):
        shape[axis] = _shape(value)
    shape = ov_ops.concat(shape, 0)
    return [
        ov_ops.broadcast(_along(v, a, len(values)), shape).output(0) for v, a in zip(values, axes)
    ]


# --------------------------------------------------------------------------------------------
# Indexing, triangles and diagonals
# --------------------------------------------------------------------------------------------


def _index_values(indices):
    """Indices as int64 (float indices truncate, as the reference's int32 cast does)."""
    return node(indices, "int64")


def _wrap_negative(indices, size):
    return ov_ops.select(
        ov_ops.less(indices, const(0, "int64")), ov_ops.add(indices, _i64(size)), indices
    ).output(0)


@hookimpl
@graph_op
def take(x, indices, axis=None):
    x = node(x)
    if axis is None:
        x, axis = _flat(x), 0
    axis = int(axis) % rank(x)
    indices = _wrap_negative(_index_values(indices), _dim(x, axis))
    return ov_ops.gather(x, indices, int_const(axis))


@hookimpl
@graph_op
def take_along_axis(x, indices, axis=None):
    x, indices = node(x), _index_values(indices)
    if axis is None:
        x, indices, axis = _flat(x), _flat(indices), 0
    axis = int(axis) % rank(x)
    indices = _wrap_negative(indices, _dim(x, axis))
    # Both broadcast on every axis but `axis`, where each keeps its own length.
    x_b = ov_ops.broadcast(x, _shifted_shape(indices, axis, 1), broadcast_spec="BIDIRECTIONAL")
    i_b = ov_ops.broadcast(indices, _shifted_shape(x, axis, 1), broadcast_spec="BIDIRECTIONAL")
    return ov_ops.gather_elements(x_b, i_b, axis)


def _grid(x):
    """Row and column indices (int64) of the last two axes of `x`, shaped to broadcast."""
    rows = ov_ops.unsqueeze(_arange(_dim(x, -2)), int_const(1))
    cols = ov_ops.unsqueeze(_arange(_dim(x, -1)), int_const(0))
    return rows, cols


def _triangle(x, k, keep):
    x = node(x)
    rows, cols = _grid(x)
    mask = keep(ov_ops.subtract(cols, rows), const(k, "int64"))
    return ov_ops.select(mask, x, _scalar(0, x))


@hookimpl
@graph_op
def tril(x, k=0):
    return _triangle(x, k, ov_ops.less_equal)


@hookimpl
@graph_op
def triu(x, k=0):
    return _triangle(x, k, ov_ops.greater_equal)


def _diagonal_nodes(x, offset, axis1, axis2):
    n = rank(x)
    axis1, axis2 = axis1 % n, axis2 % n
    x = _move_to_end(x, [axis1, axis2])
    rows, cols = _dim(x, -2), _dim(x, -1)
    if isinstance(rows, int) and isinstance(cols, int):
        length = builtins.max(
            0, builtins.min(rows + builtins.min(offset, 0), cols - builtins.max(offset, 0))
        )
    else:
        length = ov_ops.maximum(
            const(0, "int64"),
            ov_ops.minimum(
                ov_ops.add(_i64(rows), const(builtins.min(offset, 0), "int64")),
                ov_ops.subtract(_i64(cols), const(builtins.max(offset, 0), "int64")),
            ),
        ).output(0)
    # Diagonal element i sits at (i - min(offset, 0), i + max(offset, 0)) of the matrix.
    width = _i64(cols)
    start = ov_ops.add(
        ov_ops.multiply(width, const(builtins.max(-offset, 0), "int64")),
        const(builtins.max(offset, 0), "int64"),
    )
    stride = ov_ops.add(width, const(1, "int64"))
    index = ov_ops.add(ov_ops.multiply(_arange(length), stride), start)
    flat = ov_ops.reshape(x, int_const([0] * (n - 2) + [-1]), True)
    return ov_ops.gather(flat, index, int_const(n - 2))


@hookimpl
@graph_op
def diagonal(x, offset=0, axis1=0, axis2=1):
    return _diagonal_nodes(node(x), int(offset), int(axis1), int(axis2))


def _diag_matrix(v, k):
    """The square matrix with the 1-D `v` on diagonal `k`."""
    n = ov_ops.add(_i64(_dim(v, 0)), const(builtins.abs(k), "int64")).output(0)
    rows = ov_ops.unsqueeze(_arange(n), int_const(1))
    cols = ov_ops.unsqueeze(_arange(n), int_const(0))
    on_diagonal = ov_ops.equal(ov_ops.subtract(cols, rows), const(k, "int64"))
    source = rows if k >= 0 else cols  # which index walks along v
    last = ov_ops.subtract(_i64(_dim(v, 0)), const(1, "int64"))
    index = ov_ops.maximum(ov_ops.minimum(source, last), const(0, "int64"))
    values = ov_ops.gather(v, index, int_const(0))
    return ov_ops.select(on_diagonal, values, _scalar(0, v))


@hookimpl
@graph_op
def diag(x, k=0):
    x = node(x)
    if rank(x) == 1:
        return _diag_matrix(x, int(k))
    return _diagonal_nodes(x, int(k), 0, 1)


@hookimpl
@graph_op
def diagflat(x, k=0):
    return _diag_matrix(_flat(node(x)), int(k))


@hookimpl
@graph_op
def trace(x, offset=0, axis1=0, axis2=1):
    x = node(x)
    name = dtype_out(x)
    values = _diagonal_nodes(
        node(x, ACCUMULATION_DTYPES.get(name, name)), int(offset), int(axis1), int(axis2)
    )
    return ov_ops.reduce_sum(values, int_const(-1), False)


@hookimpl
@graph_op
def nonzero(x):
    x = node(x)
    n = rank(x)
    found = ov_ops.non_zero(x, "i32")
    if n == 1:
        return (ov_ops.squeeze(found, int_const(0)).output(0),)
    parts = ov_ops.split(found, int_const(0), n)
    return tuple(ov_ops.squeeze(parts.output(i), int_const(0)).output(0) for i in range(n))


@hookimpl
@graph_op
def unravel_index(indices, shape):
    indices = node(indices)
    remaining = indices
    coords = []
    for size in reversed([int(d) for d in shape]):
        size_ = _scalar(size, indices)
        coords.append(ov_ops.floor_mod(remaining, size_).output(0))
        remaining = ov_ops.divide(remaining, size_)
    return tuple(reversed(coords))


@hookimpl
@graph_op
def isin(x1, x2, assume_unique=False, invert=False):
    a, b = promoted(x1, x2)
    hits = ov_ops.equal(ov_ops.unsqueeze(a, int_const(-1)), _flat(b))
    found = ov_ops.reduce_logical_or(hits, int_const(-1), False)
    return ov_ops.logical_not(found) if invert else found


# --------------------------------------------------------------------------------------------
# Sorting, searching and counting
# --------------------------------------------------------------------------------------------


def _topk_all(x, axis, sort):
    """TopK over the whole `axis` in ascending order (stable: ties keep their order)."""
    k = _i64(_dim(x, axis))
    return ov_ops.topk(x, k, axis, "min", sort, "i32", stable=True)


def _sort_order(x, axis):
    """Stable ascending sort indices (int32) along `axis`; NaNs go last, as in NumPy."""
    if _is_bool(x):
        x = node(x, "int32")
    if not _is_float(x):
        return _topk_all(x, axis, "value").output(1)
    nan = ov_ops.not_equal(x, x)
    order = _topk_all(ov_ops.select(nan, _scalar(np.inf, x), x).output(0), axis, "value").output(1)
    # A second stable pass on "is NaN" moves the NaNs behind the infinities.
    flags = ov_ops.gather_elements(node(nan.output(0), "int32"), order, axis).output(0)
    return ov_ops.gather_elements(order, _topk_all(flags, axis, "value").output(1), axis).output(0)


def _sort_values(x, axis):
    return ov_ops.gather_elements(x, _sort_order(x, axis), axis).output(0)


def _sort_input(x, axis):
    x = node(x)
    if axis is None:
        return _flat(x), 0
    if rank(x) == 0:
        raise ValueError("sort: expected a tensor with at least 1 dimension, received a scalar.")
    return x, int(axis) % rank(x)


@hookimpl
@graph_op
def sort(x, axis=-1):
    return _sort_values(*_sort_input(x, axis))


@hookimpl
@graph_op
def argsort(x, axis=-1):
    return _sort_order(*_sort_input(x, axis))


@hookimpl
@graph_op
def argpartition(x, kth, axis=-1):
    # A full stable sort is one valid partition around every kth element.
    return argsort(x, axis)


def _bucket(values, edges, right):
    """For each value, the count of edges below it (`right`: at or below it), as int32."""
    return ov_ops.bucketize(values, edges, "i32", not right)


@hookimpl
@graph_op
def searchsorted(sorted_sequence, values, side="left"):
    seq, values = promoted(sorted_sequence, values)
    return _bucket(values, seq, side == "right")


@hookimpl
@graph_op
def digitize(x, bins):
    x, bins = promoted(x, bins)
    rising = _bucket(x, bins, True)
    # Decreasing bins: count from the top, over the reversed bins.
    falling = ov_ops.subtract(
        ov_ops.convert(_dim_node(bins, 0), ov.Type.i32), _bucket(x, _reverse(bins, 0), False)
    )
    decreasing = ov_ops.greater(_slice(bins, 0, 0, 1), _slice(bins, 0, -1, _END))
    return ov_ops.select(ov_ops.squeeze(decreasing, int_const(0)), falling, rising)


def _dim_node(x, axis):
    return ov_ops.gather(_shape(x), int_const(axis), int_const(0)).output(0)


@hookimpl
@graph_op
def histogram(x, bins=10, range=None):
    x = node(x)
    edge_dtype = dtypes.result_type(dtype_out(x), float)
    wide = node(x, "float64")
    if range is None:
        low = ov_ops.reduce_min(wide, int_const(0), False)
        high = ov_ops.reduce_max(wide, int_const(0), False)
        flat = ov_ops.equal(low, high)  # NumPy widens an empty range by 0.5 on each side
        low = ov_ops.select(flat, ov_ops.subtract(low, const(0.5, "float64")), low)
        high = ov_ops.select(flat, ov_ops.add(high, const(0.5, "float64")), high)
    else:
        low, high = const(float(range[0]), "float64"), const(float(range[1]), "float64")
    bins = int(bins)
    steps = ov_ops.divide(node(_arange(bins + 1), "float64"), const(float(bins), "float64"))
    edges = ov_ops.add(low, ov_ops.multiply(steps, ov_ops.subtract(high, low)))
    bin_type = dtype_out(x) if _is_float(x) else "float64"  # NumPy's edge dtype
    edges_b, x_b = node(edges.output(0), bin_type), node(x, bin_type)
    inside = ov_ops.logical_and(ov_ops.greater_equal(wide, low), ov_ops.less_equal(wide, high))
    inner = _slice(edges_b, 0, 1, -1)
    index = _bucket(x_b, inner, True)  # the top edge belongs to the last bin
    hits = ov_ops.equal(
        ov_ops.unsqueeze(index, int_const(1)),
        ov_ops.unsqueeze(node(_arange(bins), "int32"), int_const(0)),
    )
    hits = ov_ops.logical_and(hits, ov_ops.unsqueeze(inside, int_const(1)))
    counts = ov_ops.reduce_sum(node(hits.output(0), "int32"), int_const(0), False)
    return counts.output(0), node(edges_b, edge_dtype)


@hookimpl
@graph_op
def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise _unsupported("bincount", "sparse", "the backend has no sparse tensors.")
    x = node(x)
    index = node(x, "int64")
    if weights is None:
        dtype = "int32"
        updates = ov_ops.broadcast(const(1, dtype), _shape(index)).output(0)
    else:
        dtype = dtypes.result_type(dtype_out(x), _name(weights))
        updates = node(weights, dtype)
    largest = ov_ops.reduce_max(
        ov_ops.concat([_flat(index), int_const([-1])], 0), int_const(0), False
    )
    length = ov_ops.maximum(ov_ops.add(largest, const(1, "int64")), const(minlength, "int64"))
    axis = rank(index) - 1
    shape = ov_ops.concat(
        [_slice(_shape(index), 0, 0, axis), ov_ops.reshape(length, int_const([1]), False)], 0
    )
    zeros = ov_ops.broadcast(const(0, dtype), shape)
    return ov_ops.scatter_elements_update(zeros, index, updates, int_const(axis), "sum")


def _fixed_length(values, axis, size, fill):
    """Truncates or pads `values` along `axis` to `size` entries."""
    padding = ov_ops.broadcast(node(fill, dtype_out(values)), _shifted_shape(values, axis, size))
    return _slice(ov_ops.concat([values, padding], axis).output(0), axis, 0, size)


@hookimpl
@graph_op
def unique(x, sorted, return_index, return_inverse, return_counts, axis, size, fill_value):
    x = node(x)
    if axis is None:
        found = ov_ops.unique(_flat(x), None, sorted, "i32", "i32")
        value_axis = 0
    else:
        value_axis = int(axis) % rank(x)
        found = ov_ops.unique(x, int_const(value_axis), sorted, "i32", "i32")
    values, index, inverse, counts = [found.output(i) for i in range(4)]
    if axis is None:
        inverse = ov_ops.reshape(inverse, _shape(x), False).output(0)
    if size is not None:
        values = _fixed_length(values, value_axis, size, 0 if fill_value is None else fill_value)
        index, counts = _fixed_length(index, 0, size, 0), _fixed_length(counts, 0, size, 0)
    extras = [
        a
        for a, wanted in ((index, return_index), (inverse, return_inverse), (counts, return_counts))
        if wanted
    ]
    return tuple([values] + extras) if extras else values


# --------------------------------------------------------------------------------------------
# Creation (constants from the arguments) and *_like
# --------------------------------------------------------------------------------------------


def _shape_arg(shape):
    return [int(shape)] if isinstance(shape, (int, np.integer)) else [int(d) for d in shape]


def _filled(shape, value, dtype):
    return ov_ops.broadcast(
        node(value, dtypes.standardize_dtype(dtype)), int_const(_shape_arg(shape))
    )


@hookimpl
@graph_op
def zeros(shape, dtype=None):
    return _filled(shape, 0, dtype or floatx())


@hookimpl
@graph_op
def ones(shape, dtype=None):
    return _filled(shape, 1, dtype or floatx())


@hookimpl
@graph_op
def empty(shape, dtype=None):
    return _filled(shape, 0, dtype or floatx())


@hookimpl
@graph_op
def full(shape, fill_value, dtype=None):
    return _filled(shape, fill_value, dtype or floatx())


def _like(x, value, dtype):
    x = node(x)
    dtype = dtypes.standardize_dtype(dtype) if dtype else dtype_out(x)
    return ov_ops.broadcast(node(value, dtype), _shape(x))


@hookimpl
@graph_op
def zeros_like(x, dtype=None):
    return _like(x, 0, dtype)


@hookimpl
@graph_op
def ones_like(x, dtype=None):
    return _like(x, 1, dtype)


@hookimpl
@graph_op
def empty_like(x, dtype=None):
    return _like(x, 0, dtype)


@hookimpl
@graph_op
def full_like(x, fill_value, dtype=None):
    return _like(x, fill_value, dtype)


@hookimpl
@graph_op
def array(x, dtype=None):
    return node(x, None if dtype is None else dtypes.standardize_dtype(dtype))


@hookimpl
@graph_op
def copy(x):
    return node(x)


@hookimpl
@graph_op
def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = dtypes.result_type(*[dtype_of(v) for v in given])
    dtype = dtypes.standardize_dtype(dtype)
    if stop is None:
        start, stop = 0, start
    compute = (
        "float64"
        if dtypes.is_float_dtype(dtype)
        or builtins.any(isinstance(v, float) for v in (start, stop, step))
        else "int64"
    )
    values = ov_ops.range(
        node(start, compute),
        node(stop, compute),
        node(1 if step is None else step, compute),
        compute[0] + compute[-2:],
    )
    return node(values.output(0), dtype)


def _linspace_nodes(start, stop, num, endpoint, axis):
    """Evenly spaced float64 samples (on a new `axis`) and the step between them."""
    start, stop = node(start, "float64"), node(stop, "float64")
    shape = ov_ops.shape_of(ov_ops.add(start, stop), "i64")
    start, stop = ov_ops.broadcast(start, shape), ov_ops.broadcast(stop, shape)
    divisions = num - 1 if endpoint else num
    delta = ov_ops.subtract(stop, start)
    step = ov_ops.divide(delta, const(float(divisions) if divisions > 0 else np.nan, "float64"))
    n = rank(start.output(0))
    steps = _along(node(_arange(num), "float64"), 0, n + 1)
    samples = ov_ops.add(
        ov_ops.multiply(steps, ov_ops.unsqueeze(step, int_const(0))),
        ov_ops.unsqueeze(start, int_const(0)),
    ).output(0)
    if divisions <= 0:  # a single sample is `start`
        samples = ov_ops.broadcast(ov_ops.unsqueeze(start, int_const(0)), _shape(samples)).output(0)
    if endpoint and num > 1:
        samples = ov_ops.concat(
            [_slice(samples, 0, 0, num - 1), ov_ops.unsqueeze(stop, int_const(0))], 0
        ).output(0)
    axis = int(axis) % (n + 1)
    if axis:
        samples = moveaxis(samples, 0, axis)
    return samples, step.output(0)


def _space_dtype(dtype, start, stop):
    return (
        dtypes.standardize_dtype(dtype)
        if dtype
        else dtypes.result_type(dtype_of(start), dtype_of(stop), float)
    )


def _as_space(values, dtype):
    if not dtypes.is_float_dtype(dtype):  # integer samples round down, as in NumPy
        values = ov_ops.floor(values).output(0)
    return node(values, dtype)


@hookimpl
@graph_op
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = _space_dtype(dtype, start, stop)
    samples, step = _linspace_nodes(start, stop, int(num), endpoint, axis)
    samples = _as_space(samples, dtype)
    return (samples, node(step, dtype)) if retstep else samples


@hookimpl
@graph_op
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = _space_dtype(dtype, start, stop)
    samples, _ = _linspace_nodes(start, stop, int(num), endpoint, axis)
    return _as_space(ov_ops.power(node(base, "float64"), samples).output(0), dtype)


@hookimpl
@graph_op
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = _space_dtype(dtype, start, stop)
    start, stop = node(start, "float64"), node(stop, "float64")
    sign_ = ov_ops.sign(start)  # both ends share a sign: work on magnitudes
    low, high = ov_ops.multiply(start, sign_), ov_ops.multiply(stop, sign_)
    logs = [
        ov_ops.divide(ov_ops.log(v), const(np.log(10), "float64")).output(0) for v in (low, high)
    ]
    samples, _ = _linspace_nodes(*logs, int(num), endpoint, 0)
    samples = ov_ops.power(const(10.0, "float64"), samples).output(0)
    num = int(num)
    if num > 0:  # the ends are exact
        ends = [ov_ops.unsqueeze(low, int_const(0)).output(0)]
        middle_end = num - 1 if endpoint and num > 1 else num
        parts = ends + [_slice(samples, 0, 1, middle_end)]
        if endpoint and num > 1:
            parts.append(ov_ops.unsqueeze(high, int_const(0)).output(0))
        shape = _shape(samples)
        samples = ov_ops.concat(
            [
                ov_ops.broadcast(
                    p, ov_ops.concat([_slice(_shape(p), 0, 0, 1), _slice(shape, 0, 1, _END)], 0)
                ).output(0)
                for p in parts
            ],
            0,
        ).output(0)
    samples = ov_ops.multiply(samples, ov_ops.unsqueeze(sign_, int_const(0))).output(0)
    axis = int(axis) % rank(samples)
    if axis:
        samples = moveaxis(samples, 0, axis)
    return _as_space(samples, dtype)


def _band(N, M, k, keep, dtype):
    """The (N, M) matrix of `keep(col - row, k)` in `dtype` (eye, tri)."""
    M = N if M is None else M
    rows = ov_ops.unsqueeze(_arange(int(N)), int_const(1))
    cols = ov_ops.unsqueeze(_arange(int(M)), int_const(0))
    mask = keep(ov_ops.subtract(cols, rows), const(int(k), "int64"))
    return node(mask.output(0), dtypes.standardize_dtype(dtype or floatx()))


@hookimpl
@graph_op
def eye(N, M=None, k=0, dtype=None):
    return _band(N, M, k, ov_ops.equal, dtype)


@hookimpl
@graph_op
def identity(n, dtype=None):
    return _band(n, None, 0, ov_ops.equal, dtype)


@hookimpl
@graph_op
def tri(N, M=None, k=0, dtype=None):
    return _band(N, M, k, ov_ops.less_equal, dtype)


@hookimpl
@graph_op
def ndim(x):
    return len(partial_shape(node(x)))


@hookimpl
@graph_op
def size(x):
    shape = partial_shape(node(x))
    if None in shape:
        raise _unsupported("size", "x", "its shape is not fully known.")
    return int(np.prod(shape, dtype=np.int64))


# --------------------------------------------------------------------------------------------
# Windows
# --------------------------------------------------------------------------------------------


def _window(x, formula):
    """A window of length `x` from `formula(n, M)` on float64 positions; floatx result."""
    length = int(x)
    if length == 1:
        return node(const(np.ones(1), "float64"), floatx())
    positions = node(_arange(length), "float64")
    return node(formula(positions, float(length)).output(0), floatx())


def _cosine_window(*weights):
    """sum_k w_k cos(2 pi k n / (M - 1)) with alternating signs (Hann, Hamming, Blackman)."""

    def formula(n, m):
        phase = ov_ops.divide(
            ov_ops.multiply(n, const(2 * np.pi, "float64")), const(m - 1, "float64")
        )
        total = const(weights[0], "float64")
        for k, w in enumerate(weights[1:], 1):
            term = ov_ops.multiply(
                ov_ops.cos(ov_ops.multiply(phase, const(float(k), "float64"))),
                const(w * (-1) ** k, "float64"),
            )
            total = ov_ops.add(total, term)
        return total

    return formula


@hookimpl
@graph_op
def bartlett(x):
    def formula(n, m):
        half = const((m - 1) / 2, "float64")
        return ov_ops.subtract(
            const(1.0, "float64"), ov_ops.divide(ov_ops.absolute(ov_ops.subtract(n, half)), half)
        )

    return _window(x, formula)


@hookimpl
@graph_op
def blackman(x):
    return _window(x, _cosine_window(0.42, 0.5, 0.08))


@hookimpl
@graph_op
def hamming(x):
    return _window(x, _cosine_window(0.54, 0.46))


@hookimpl
@graph_op
def hanning(x):
    return _window(x, _cosine_window(0.5, 0.5))


def _bessel_i0(x):
    """The modified Bessel function I0 by its power series (float64 nodes)."""
    quarter = ov_ops.multiply(ov_ops.multiply(x, x), const(0.25, "float64"))
    term, total = const(1.0, "float64"), const(1.0, "float64")
    for k in range(1, 60):  # converges to float64 precision for |x| < 60
        term = ov_ops.multiply(term, ov_ops.divide(quarter, const(float(k * k), "float64")))
        total = ov_ops.add(total, term)
    return total


@hookimpl
@graph_op
def kaiser(x, beta):
    beta = float(beta)

    def formula(n, m):
        alpha = const((m - 1) / 2, "float64")
        ratio = ov_ops.divide(ov_ops.subtract(n, alpha), alpha)
        inside = ov_ops.sqrt(
            ov_ops.maximum(
                ov_ops.subtract(const(1.0, "float64"), ov_ops.multiply(ratio, ratio)),
                const(0.0, "float64"),
            )
        )
        scaled = ov_ops.multiply(inside, const(beta, "float64"))
        return ov_ops.divide(_bessel_i0(scaled), _bessel_i0(const(beta, "float64")))

    return _window(x, formula)


# --------------------------------------------------------------------------------------------
# view: bit patterns rebuilt with integer and exact float arithmetic (OpenVINO has no bitcast)
# --------------------------------------------------------------------------------------------

_FLOAT_LAYOUT = {"float16": (5, 10), "float32": (8, 23), "float64": (11, 52)}  # exponent, mantissa


def _bit_width(dtype):
    return 8 if dtype == "bool" else np.dtype(dtype).itemsize * 8


def _powers_of_two(dtype):
    """2 ** e (exact) for every normal exponent e of the float dtype, lowest first."""
    exponent_bits, _ = _FLOAT_LAYOUT[dtype]
    bias = 2 ** (exponent_bits - 1) - 1
    return const(np.ldexp(1.0, np.arange(1 - bias, bias + 1)), dtype), bias


def _int_const(value, like):
    """An int Constant of `like`'s element type (`value` may be the type's lowest value)."""
    return const(np.asarray(value).astype(np.dtype(dtype_out(like))), dtype_out(like))


def _float_bits(x):
    """The IEEE bit pattern of float `x` as the signed int of its width.

    Everything stays in that int type: compiled CPU graphs narrow int64 arithmetic.
    """
    dtype = dtype_out(x)
    exponent_bits, mantissa_bits = _FLOAT_LAYOUT[dtype]
    target = f"int{_bit_width(dtype)}"
    powers, bias = _powers_of_two(dtype)
    magnitude = ov_ops.absolute(x)
    # The biased exponent of a normal number is how many normal powers of two lie at or
    # below it (0 for zeros and subnormals).
    biased = ov_ops.bucketize(magnitude, powers, "i32", False)
    # magnitude / 2 ** e as products with exact powers of two (compiled division is not
    # exact), moved towards 1 first so that no product overflows or underflows.
    index = ov_ops.maximum(ov_ops.subtract(biased, const(1, "int32")), const(0, "int32"))
    exponents = np.arange(1 - bias, bias + 1)
    steps = np.where(exponents > 0, -((bias + 1) // 2), (bias + 1) // 2)
    towards_one = ov_ops.gather(const(np.ldexp(1.0, steps), dtype), index, int_const(0))
    inverse = ov_ops.gather(const(np.ldexp(1.0, -exponents - steps), dtype), index, int_const(0))
    ratio = ov_ops.multiply(ov_ops.multiply(magnitude, towards_one), inverse)
    scale = _scalar(2.0**mantissa_bits, x)
    normal = ov_ops.multiply(ov_ops.subtract(ratio, _scalar(1, x)), scale)
    subnormal = ov_ops.equal(biased, const(0, "int32"))
    tiny = _scaled_twice(subnormal, magnitude, 2.0 ** (bias - 1), 2.0**mantissa_bits)
    mantissa = node(ov_ops.select(subnormal, tiny, normal).output(0), target)
    biased = node(biased.output(0), target)
    infinite = ov_ops.equal(magnitude, _scalar(np.inf, x))
    nan = ov_ops.not_equal(x, x)
    biased = ov_ops.select(
        ov_ops.logical_or(infinite, nan), _int_const(2**exponent_bits - 1, biased), biased
    )
    mantissa = ov_ops.select(
        nan,
        _int_const(2 ** (mantissa_bits - 1), mantissa),
        ov_ops.select(infinite, _int_const(0, mantissa), mantissa),
    )
    bits = ov_ops.bitwise_or(
        ov_ops15.bitwise_left_shift(biased, _int_const(mantissa_bits, mantissa)), mantissa
    ).output(0)
    # The sign bit by shifting, not by a Select: the CPU plugin may run a Select fused with
    # float ops in float32, which rounds large int patterns.
    sign = ov_ops15.bitwise_left_shift(
        node(signbit(x).output(0), target), _int_const(_bit_width(dtype) - 1, bits)
    )
    return ov_ops.bitwise_or(bits, sign).output(0)


def _scaled_twice(where, x, first, second):
    """x * first * second where `where` holds (else 0), by two products kept apart by a
    Select: the CPU plugin merges consecutive constant factors, whose product may overflow
    or flush to zero where each step is exact."""
    zero = _scalar(0, x)
    partial = ov_ops.select(where, ov_ops.multiply(x, _scalar(first, x)), zero)
    return ov_ops.multiply(partial, _scalar(second, x))


def _signed(bits):
    """An int pattern as the signed int of its width (unsigned ints wrap)."""
    return node(bits, f"int{_bit_width(dtype_out(bits))}")


def _field(bits, shift, width):
    """`width` bits of a signed int pattern starting at bit `shift`, as a non-negative int."""
    shifted = ov_ops15.bitwise_right_shift(bits, _int_const(shift, bits)) if shift else bits
    return ov_ops.bitwise_and(shifted, _int_const(2**width - 1, bits)).output(0)


def _bits_float(bits, dtype):
    """The float `dtype` whose IEEE bit pattern is the int `bits` (same width)."""
    exponent_bits, mantissa_bits = _FLOAT_LAYOUT[dtype]
    powers, bias = _powers_of_two(dtype)
    bits = _signed(bits)
    mantissa = _field(bits, 0, mantissa_bits)
    biased = node(_field(bits, mantissa_bits, exponent_bits), "int32")
    mantissa_f = node(mantissa, dtype)
    fraction = ov_ops.multiply(mantissa_f, const(2.0**-mantissa_bits, dtype))
    index = ov_ops.minimum(
        ov_ops.maximum(ov_ops.subtract(biased, const(1, "int32")), const(0, "int32")),
        const(2 * bias - 1, "int32"),
    )
    normal = ov_ops.multiply(
        ov_ops.add(fraction, const(1.0, dtype)), ov_ops.gather(powers, index, int_const(0))
    )
    subnormal = ov_ops.equal(biased, const(0, "int32"))
    tiny = _scaled_twice(subnormal, mantissa_f, 2.0**-mantissa_bits, 2.0 ** (1 - bias))
    value = ov_ops.select(subnormal, tiny, normal)
    special = ov_ops.select(
        ov_ops.equal(mantissa, _int_const(0, mantissa)), const(np.inf, dtype), const(np.nan, dtype)
    )
    value = ov_ops.select(
        ov_ops.equal(biased, const(2**exponent_bits - 1, "int32")), special, value
    )
    negative_ = ov_ops.less(bits, _int_const(0, bits))
    # A product with a computed +-1 keeps -0.0 (a negation may be compiled as 0 - x).
    sign = ov_ops.select(negative_, const(-1.0, dtype), const(1.0, dtype))
    return ov_ops.multiply(value, sign).output(0)


def _regroup(bits, width):
    """Little-endian regrouping of int patterns along the last axis into `width`-bit ints."""
    bits = _signed(bits)
    source = _bit_width(dtype_out(bits))
    target = f"int{width}"
    keep = [0] * (rank(bits) - 1)
    if width < source:  # each element splits into source // width pieces, low bits first
        half = _int_const(2 ** (width - 1), bits)
        pieces = []
        for j in range(source // width):
            piece = _field(bits, width * j, width)
            piece = ov_ops.select(
                ov_ops.greater_equal(piece, half),
                ov_ops.subtract(piece, _int_const(2**width, bits)),
                piece,
            )
            pieces.append(ov_ops.unsqueeze(node(piece.output(0), target), int_const(-1)))
        return ov_ops.reshape(ov_ops.concat(pieces, -1), int_const(keep + [-1]), True).output(0)
    count = width // source
    grouped = ov_ops.reshape(bits, int_const(keep + [-1, count]), True).output(0)
    result = None
    for j in range(count):
        piece = node(ov_ops.gather(grouped, int_const(j), int_const(-1)).output(0), target)
        piece = ov_ops.bitwise_and(piece, _int_const(2**source - 1, piece))
        piece = ov_ops15.bitwise_left_shift(piece, _int_const(source * j, piece))
        result = piece if result is None else ov_ops.bitwise_or(result, piece)
    return result.output(0)


@hookimpl
@graph_op
def view(x, dtype=None):
    x = node(x)
    source = dtype_out(x)
    target = source if dtype is None else dtypes.standardize_dtype(dtype)
    if target == source:
        return x
    if target not in _FLOAT_LAYOUT and not dtypes.is_int_dtype(target) and target != "bool":
        raise _unsupported("view", "dtype", f"no bit pattern view as {target}.")
    if 64 in (_bit_width(source), _bit_width(target)):
        raise _unsupported(
            "view",
            "dtype",
            f"viewing {source} as {target} needs 64-bit "
            "integer arithmetic, which compiled OpenVINO CPU graphs narrow to "
            "32 bits.",
        )
    if source in _FLOAT_LAYOUT:
        bits = _float_bits(x)
    else:
        bits = node(x, "uint8") if source == "bool" else x
    width = _bit_width(target)
    if width != _bit_width(source):
        bits = _regroup(bits, width)
    if target in _FLOAT_LAYOUT:
        return _bits_float(bits, target)
    if target == "bool":
        return ov_ops.not_equal(bits, _scalar(0, bits))
    return node(bits, target)


# --------------------------------------------------------------------------------------------
# Issue 15 ops with an OpenVINO node (the others are the core defaults, built of graph nodes)
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def fmod(x1, x2):
    dtype = numeric_dtype(dtypes.result_type(dtype_of(x1), dtype_of(x2)))
    a, b = node(x1, dtype), node(x2, dtype)
    if dtypes.is_float_dtype(dtype):
        # OpenVINO's float Mod loses precision for large quotients: take the exact floored
        # remainder (sign of `b`) and move it to the sign of `a`.
        floored = _float_divmod(a, b)[1]
        zero_f = _scalar(0, floored)
        wrong_sign = ov_ops.logical_and(
            ov_ops.not_equal(floored, zero_f),
            ov_ops.not_equal(ov_ops.less(a, _scalar(0, a)), ov_ops.less(b, _scalar(0, b))),
        )
        return ov_ops.select(wrong_sign, ov_ops.subtract(floored, b), floored)
    zero = ov_ops.equal(b, _scalar(0, b))  # an integer division by zero gives 0, as NumPy
    remainder = ov_ops.mod(a, ov_ops.select(zero, _scalar(1, b), b))
    return ov_ops.select(zero, _scalar(0, remainder), remainder)
