"""OpenVINO backend: the NumPy-style ops (`unikeras.ops.numpy`) as opset nodes.

Each op promotes dtypes with Keras 3's rules first, converts its tensor arguments with `node`
and builds the result from `openvino.opset14` nodes (see `keras_openvino.graph`).
"""

import builtins

import numpy as np
import openvino as ov
import openvino.opset14 as ov_ops

from unikeras.backend import dtypes
from unikeras.backend.config import floatx
from unikeras.backend.hookspec import hookimpl

from keras_openvino.core import int_const
from keras_openvino.graph import const, dtype_name, dtype_of, graph_op, node, partial_shape


def rank(x):
    return len(partial_shape(x))


def dtype_out(x):
    """The unikeras dtype name of a graph value."""
    return dtype_name(x.get_element_type())


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


# --------------------------------------------------------------------------------------------
# Element-wise arithmetic
# --------------------------------------------------------------------------------------------

_BOOL_EQUIVALENT = {"add": ov_ops.logical_or, "maximum": ov_ops.logical_or,
                    "multiply": ov_ops.logical_and, "minimum": ov_ops.logical_and}


def _arith(name, build, x1, x2):
    a, b = promoted(x1, x2)
    if a.get_element_type() == ov.Type.boolean and name in _BOOL_EQUIVALENT:
        return _BOOL_EQUIVALENT[name](a, b)
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


@hookimpl
@graph_op
def maximum(x1, x2):
    return _arith("maximum", ov_ops.maximum, x1, x2)


@hookimpl
@graph_op
def minimum(x1, x2):
    return _arith("minimum", ov_ops.minimum, x1, x2)


@hookimpl
@graph_op
def true_divide(x1, x2):
    dtype = float_dtype(x1, x2)
    return ov_ops.divide(node(x1, dtype), node(x2, dtype))


@hookimpl
@graph_op
def divide(x1, x2):
    return true_divide(x1, x2)


@hookimpl
@graph_op
def floor_divide(x1, x2):
    a, b = promoted(x1, x2)
    if dtypes.is_float_dtype(dtype_out(a)):
        return ov_ops.floor(ov_ops.divide(a, b))
    return ov_ops.divide(a, b, python_division=True)


@hookimpl
@graph_op
def mod(x1, x2):
    a, b = promoted(x1, x2)
    if dtypes.is_float_dtype(dtype_out(a)):  # Python's sign rule: x - floor(x / y) * y
        return ov_ops.subtract(a, ov_ops.multiply(ov_ops.floor(ov_ops.divide(a, b)), b))
    return ov_ops.floor_mod(a, b)


@hookimpl
@graph_op
def power(x1, x2):
    a, b = promoted(x1, x2)
    return ov_ops.power(a, b)


@hookimpl
@graph_op
def negative(x):
    x = node(x)
    return ov_ops.negative(x)


@hookimpl
@graph_op
def absolute(x):
    x = node(x)
    if x.get_element_type() == ov.Type.boolean or dtype_out(x).startswith("uint"):
        return x
    return ov_ops.absolute(x)


@hookimpl
@graph_op
def abs(x):
    return absolute(x)


@hookimpl
@graph_op
def sign(x):
    x = node(x)
    if dtypes.is_float_dtype(dtype_out(x)):
        return ov_ops.sign(x)
    zero = const(0, dtype_out(x))
    positive = ov_ops.convert(ov_ops.greater(x, zero), x.get_element_type())
    negative_ = ov_ops.convert(ov_ops.less(x, zero), x.get_element_type())
    return ov_ops.subtract(positive, negative_)


@hookimpl
@graph_op
def square(x):
    x = node(x)
    if x.get_element_type() == ov.Type.boolean:
        x = node(x, "int32")
    return ov_ops.multiply(x, x)


def _float_unary(build, x):
    return build(node(x, float_dtype(x)))


@hookimpl
@graph_op
def sqrt(x):
    return _float_unary(ov_ops.sqrt, x)


@hookimpl
@graph_op
def exp(x):
    return _float_unary(ov_ops.exp, x)


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


def _scaled(x, factor, build):
    x = node(x, float_dtype(x))
    return ov_ops.multiply(build(x), const(factor, dtype_out(x)))


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
def exp2(x):
    x = node(x, float_dtype(x))
    return ov_ops.power(const(2, dtype_out(x)), x)


@hookimpl
@graph_op
def log1p(x):
    x = node(x, float_dtype(x))
    return ov_ops.log(ov_ops.add(x, const(1, dtype_out(x))))


@hookimpl
@graph_op
def expm1(x):
    x = node(x, float_dtype(x))
    return ov_ops.subtract(ov_ops.exp(x), const(1, dtype_out(x)))


@hookimpl
@graph_op
def reciprocal(x):
    x = node(x, float_dtype(x))
    return ov_ops.divide(const(1, dtype_out(x)), x)


@hookimpl
@graph_op
def floor(x):
    x = node(x)
    if not dtypes.is_float_dtype(dtype_out(x)):
        return node(x, float_dtype(x))
    return ov_ops.floor(x)


@hookimpl
@graph_op
def ceil(x):
    x = node(x)
    if not dtypes.is_float_dtype(dtype_out(x)):
        return node(x, float_dtype(x))
    return ov_ops.ceiling(x)


@hookimpl
@graph_op
def trunc(x):
    x = node(x)
    if not dtypes.is_float_dtype(dtype_out(x)):
        return x
    return ov_ops.multiply(ov_ops.sign(x), ov_ops.floor(ov_ops.absolute(x)))


@hookimpl
@graph_op
def round(x, decimals=0):
    x = node(x)
    if not dtypes.is_float_dtype(dtype_out(x)):
        return x
    if decimals == 0:
        return ov_ops.round(x, "half_to_even")
    scale = const(10.0 ** decimals, dtype_out(x))
    return ov_ops.divide(ov_ops.round(ov_ops.multiply(x, scale), "half_to_even"), scale)


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
    if x1 is None or x2 is None:
        raise NotImplementedError(
            "`where` with only a condition (the indices of true elements) is not implemented "
            "by the unikeras backend 'openvino': its output shape depends on the values."
        )
    a, b = promoted(x1, x2)
    return ov_ops.select(node(condition, "bool"), a, b)


# --------------------------------------------------------------------------------------------
# Comparisons and logic
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
    if not dtypes.is_float_dtype(dtype_out(x)):
        return ov_ops.broadcast(const(default, "bool"), ov_ops.shape_of(x))
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


# --------------------------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------------------------

_SUM_DTYPES = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32",
               "uint16": "uint32"}


def _reduce(build, x, axis, keepdims, dtype=None):
    x = node(x, dtype)
    return build(x, int_const(axes_of(axis, x)), keepdims)


@hookimpl
@graph_op
def sum(x, axis=None, keepdims=False):
    x = node(x)
    return _reduce(ov_ops.reduce_sum, x, axis, keepdims, _SUM_DTYPES.get(dtype_out(x)))


@hookimpl
@graph_op
def prod(x, axis=None, keepdims=False, dtype=None):
    x = node(x)
    target = dtypes.standardize_dtype(dtype) if dtype else _SUM_DTYPES.get(dtype_out(x))
    return _reduce(ov_ops.reduce_prod, x, axis, keepdims, target)


@hookimpl
@graph_op
def mean(x, axis=None, keepdims=False):
    return _reduce(ov_ops.reduce_mean, x, axis, keepdims, float_dtype(x))


def _extremum(build_reduce, bool_reduce, x, axis, keepdims, initial):
    x = node(x)
    if x.get_element_type() == ov.Type.boolean:
        out = _reduce(bool_reduce, x, axis, keepdims)
    else:
        out = _reduce(build_reduce, x, axis, keepdims)
    if initial is not None:
        out = build_pair(build_reduce, out, node(initial, dtype_out(x)))
    return out


def build_pair(build_reduce, a, b):
    return (ov_ops.maximum if build_reduce is ov_ops.reduce_max else ov_ops.minimum)(a, b)


@hookimpl
@graph_op
def max(x, axis=None, keepdims=False, initial=None):
    return _extremum(ov_ops.reduce_max, ov_ops.reduce_logical_or, x, axis, keepdims, initial)


@hookimpl
@graph_op
def min(x, axis=None, keepdims=False, initial=None):
    return _extremum(ov_ops.reduce_min, ov_ops.reduce_logical_and, x, axis, keepdims, initial)


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
def var(x, axis=None, keepdims=False):
    x = node(x, float_dtype(x))
    axes = int_const(axes_of(axis, x))
    centered = ov_ops.subtract(x, ov_ops.reduce_mean(x, axes, True))
    return ov_ops.reduce_mean(ov_ops.multiply(centered, centered), axes, keepdims)


@hookimpl
@graph_op
def std(x, axis=None, keepdims=False):
    return ov_ops.sqrt(var(x, axis=axis, keepdims=keepdims))


def _arg_extremum(mode, x, axis, keepdims):
    x = node(x)
    if x.get_element_type() == ov.Type.boolean:
        x = node(x, "int32")
    if axis is None:
        x, axis = ov_ops.reshape(x, int_const([-1]), False).output(0), 0
    axis = int(axis) % builtins.max(rank(x), 1)
    top = ov_ops.topk(x, const(1, "int64"), axis, mode, "value", "i32", stable=True)
    index = top.output(1)
    return index if keepdims else ov_ops.squeeze(index, int_const([axis]))


@hookimpl
@graph_op
def argmax(x, axis=None, keepdims=False):
    return _arg_extremum("max", x, axis, keepdims)


@hookimpl
@graph_op
def argmin(x, axis=None, keepdims=False):
    return _arg_extremum("min", x, axis, keepdims)


@hookimpl
@graph_op
def cumsum(x, axis=None, dtype=None):
    x = node(x)
    target = dtypes.standardize_dtype(dtype) if dtype else _SUM_DTYPES.get(dtype_out(x))
    x = node(x, target)
    if axis is None:
        x, axis = ov_ops.reshape(x, int_const([-1]), False).output(0), 0
    return ov_ops.cumsum(x, int_const(axis))


# --------------------------------------------------------------------------------------------
# Linear algebra
# --------------------------------------------------------------------------------------------


def _matmul_dtype(x1, x2):
    dtype = dtypes.result_type(dtype_of(x1), dtype_of(x2))
    return "int32" if dtype in ("int8", "uint8", "bool") else dtype


@hookimpl
@graph_op
def matmul(x1, x2):
    dtype = _matmul_dtype(x1, x2)
    a, b = node(x1, dtype), node(x2, dtype)
    return ov_ops.matmul(a, b, False, False)


@hookimpl
@graph_op
def dot(x1, x2):
    dtype = _matmul_dtype(x1, x2)
    a, b = node(x1, dtype), node(x2, dtype)
    if rank(a) == 0 or rank(b) == 0:
        return ov_ops.multiply(a, b)
    if rank(b) > 2:  # contract a's last axis with b's second to last
        letters = "abcdefghijklmnopqrstuvwxyz"
        sa = letters[:rank(a)]
        sb = letters[rank(a):rank(a) + rank(b) - 2] + sa[-1] + letters[rank(a) + rank(b) - 2]
        out = sa[:-1] + sb[:-2] + sb[-1]
        return ov_ops.einsum([a, b], f"{sa},{sb}->{out}")
    return ov_ops.matmul(a, b, False, False)


@hookimpl
@graph_op
def einsum(subscripts, *operands, **kwargs):
    dtype = _matmul_dtype(*operands) if len(operands) > 1 else dtype_of(operands[0])
    return ov_ops.einsum([node(o, dtype) for o in operands], subscripts.replace(" ", ""))


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
    return ov_ops.reshape(node(x), int_const([-1]), False)


@hookimpl
@graph_op
def concatenate(xs, axis=0):
    values = promoted(*xs)
    if axis is None:
        values = [ov_ops.reshape(v, int_const([-1]), False).output(0) for v in values]
        axis = 0
    return ov_ops.concat(values, int(axis) % builtins.max(rank(values[0]), 1))


@hookimpl
@graph_op
def stack(x, axis=0):
    values = promoted(*x)
    axis = int(axis) % (rank(values[0]) + 1)
    return ov_ops.concat([ov_ops.unsqueeze(v, int_const([axis])) for v in values], axis)


@hookimpl
@graph_op
def broadcast_to(x, shape):
    return ov_ops.broadcast(node(x), int_const(list(shape)))


@hookimpl
@graph_op
def tile(x, repeats):
    x = node(x)
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    n = builtins.max(rank(x), len(repeats))
    if rank(x) < n:
        x = ov_ops.reshape(x, int_const([1] * (n - rank(x)) + list(partial_shape(x))), False)
    return ov_ops.tile(x, int_const([1] * (n - len(repeats)) + repeats))


@hookimpl
@graph_op
def flip(x, axis=None):
    x = node(x)
    out = x
    for a in axes_of(axis, x):
        out = ov_ops.reverse(out, int_const([a]), "index") if hasattr(ov_ops, "reverse") else \
            _reverse_axis(out, a)
    return out


def _reverse_axis(x, axis):
    begin, end, step = [0] * rank(x), [0] * rank(x), [1] * rank(x)
    begin[axis], end[axis], step[axis] = -1, -(2 ** 62), -1
    mask = [1] * rank(x)
    mask[axis] = 0
    return ov_ops.strided_slice(x, int_const(begin), int_const(end), int_const(step),
                                mask, mask, [], [], [])


@hookimpl
@graph_op
def pad(x, pad_width, mode="constant", constant_values=None):
    x = node(x)
    n = rank(x)
    widths = np.broadcast_to(np.asarray(pad_width, np.int64).reshape(-1, 2)
                             if np.size(pad_width) > 1 else np.asarray(pad_width), (n, 2))
    modes = {"constant": "constant", "reflect": "reflect", "symmetric": "symmetric",
             "edge": "edge"}
    if mode not in modes:
        raise NotImplementedError(
            f"`pad` with mode={mode!r} is not implemented by the unikeras backend 'openvino'."
        )
    value = None
    if mode == "constant":
        value = node(0 if constant_values is None else constant_values, dtype_out(x))
    return ov_ops.pad(x, int_const(widths[:, 0]), int_const(widths[:, 1]), modes[mode], value)


@hookimpl
@graph_op
def split(x, indices_or_sections, axis=0):
    x = node(x)
    size = partial_shape(x)[axis]
    if isinstance(indices_or_sections, int):
        if size % indices_or_sections:
            raise ValueError(
                f"split: axis {axis} of size {size} cannot be split into "
                f"{indices_or_sections} equal sections."
            )
        lengths = [size // indices_or_sections] * indices_or_sections
    else:
        cuts = [0] + [builtins.min(builtins.max(int(i), 0), size)
                      for i in indices_or_sections] + [size]
        lengths = [builtins.max(b - a, 0) for a, b in zip(cuts[:-1], cuts[1:])]
    parts = ov_ops.variadic_split(x, int_const(axis), int_const(lengths))
    return [parts.output(i) for i in range(len(lengths))]


@hookimpl
@graph_op
def take(x, indices, axis=None):
    x = node(x)
    if axis is None:
        x, axis = ov_ops.reshape(x, int_const([-1]), False).output(0), 0
    indices = node(indices, "int64")
    axis = int(axis) % rank(x)
    size = ov_ops.gather(ov_ops.shape_of(x, "i64"), int_const(axis), int_const(0))
    wrapped = ov_ops.select(ov_ops.less(indices, const(0, "int64")),
                            ov_ops.add(indices, size), indices)
    return ov_ops.gather(x, wrapped, int_const(axis))


@hookimpl
@graph_op
def take_along_axis(x, indices, axis=None):
    x = node(x)
    if axis is None:
        x, axis = ov_ops.reshape(x, int_const([-1]), False).output(0), 0
    indices = node(indices, "int64")
    axis = int(axis) % rank(x)
    size = ov_ops.gather(ov_ops.shape_of(x, "i64"), int_const(axis), int_const(0))
    wrapped = ov_ops.select(ov_ops.less(indices, const(0, "int64")),
                            ov_ops.add(indices, size), indices)
    shape = ov_ops.maximum(ov_ops.shape_of(x, "i64"), ov_ops.shape_of(wrapped, "i64"))
    x_shape = ov_ops.scatter_update(shape, int_const([axis]),
                                    ov_ops.gather(ov_ops.shape_of(x, "i64"), int_const([axis]),
                                                  int_const(0)), int_const(0))
    return ov_ops.gather_elements(ov_ops.broadcast(x, x_shape), ov_ops.broadcast(
        wrapped, shape), axis)


# --------------------------------------------------------------------------------------------
# Creation (constants from the arguments) and *_like
# --------------------------------------------------------------------------------------------


def _filled(shape, value, dtype):
    dtype = dtypes.standardize_dtype(dtype)
    return ov_ops.broadcast(node(value, dtype), int_const(list(shape)))


@hookimpl
@graph_op
def zeros(shape, dtype=None):
    return _filled([shape] if isinstance(shape, int) else shape, 0, dtype)


@hookimpl
@graph_op
def ones(shape, dtype=None):
    return _filled([shape] if isinstance(shape, int) else shape, 1, dtype)


@hookimpl
@graph_op
def full(shape, fill_value, dtype=None):
    dtype = dtype or dtypes.result_type(dtype_of(fill_value))
    return _filled([shape] if isinstance(shape, int) else shape, fill_value, dtype)


def _like(x, value, dtype):
    x = node(x)
    dtype = dtypes.standardize_dtype(dtype) if dtype else dtype_out(x)
    return ov_ops.broadcast(node(value, dtype), ov_ops.shape_of(x))


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
def full_like(x, fill_value, dtype=None):
    return _like(x, fill_value, dtype)


@hookimpl
@graph_op
def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        dtype = dtypes.result_type(*[dtype_of(v) for v in (start, stop, step)])
    values = np.arange(float(start) if isinstance(start, float) else start, stop, step)
    return const(values, dtypes.standardize_dtype(dtype))


@hookimpl
@graph_op
def eye(N, M=None, k=0, dtype=None):
    return const(np.eye(N, M, k), dtypes.standardize_dtype(dtype))


@hookimpl
@graph_op
def copy(x):
    return node(x)


@hookimpl
@graph_op
def ndim(x):
    return len(partial_shape(node(x)))


@hookimpl
@graph_op
def size(x):
    return int(np.prod(partial_shape(node(x)), dtype=np.int64))
