"""`keras.ops.numpy`: the public ops of `unikeras.backend.specs.numpy`.

Every op of the spec is an ordinary function in this module. The block between the
`BEGIN GENERATED OPS` / `END GENERATED OPS` lines is written by `core/tools/gen_ops.py`
(do not edit it by hand); the ops defined above it by hand (argument checks beyond the
contract's, special symbolic handling) win, and a hand-written `_check_<op>` function is
called first by the generated op of that name.
"""

import builtins
import functools

from unikeras.backend.dtypes import result_type as _result_type
from unikeras.backend.keras_tensor import KerasTensor as _KerasTensor
from unikeras.backend.registry import table as _table
from unikeras.ops import arg_checks as _args
from unikeras.ops.dispatch import SHAPE_RULES as _SHAPE_RULES
from unikeras.ops.dispatch import nested_keras_tensor as _nested_keras_tensor
from unikeras.ops.dispatch import symbolic as _symbolic_call
from unikeras.ops.operation import Operation as _Operation
from unikeras.ops.operation import unique_name as _unique_name

# --------------------------------------------------------------------------------------------
# Array creation, shape manipulation, indexing, sorting (helper A2)
# --------------------------------------------------------------------------------------------

def _has_keras_tensor(xs):
    return builtins.any(isinstance(x, _KerasTensor) for x in xs)


def histogram(x, bins=10, range=None):
    """Histogram of the values of a 1-D tensor, with equal-width bins.

    Args:
        x: A 1-D tensor.
        bins: A positive int: the number of bins. Defaults to `10`.
        range: A pair `(low, high)`: the interval the bins cover (values outside are not
            counted). `None` (default) means `(min(x), max(x))`.

    Returns:
        A pair `(counts, bin_edges)`: `int32` counts of shape `(bins,)`, and the bin edges of
        shape `(bins + 1,)` with dtype `result_type(x.dtype, float)`. Every bin but the last
        is half-open `[edge[i], edge[i + 1])`; the last includes its right edge.

    Examples:
        >>> counts, edges = keras.ops.histogram(np.array([1.0, 2.0, 2.5, 4.0]), bins=3)
        >>> counts
        array([1, 2, 1], dtype=int32)
        >>> edges
        array([1., 2., 3., 4.])
    """
    if not isinstance(bins, int) or isinstance(bins, bool) or bins < 1:
        raise ValueError(f"histogram: `bins` must be a positive int, received {bins!r}.")
    if range is not None and (len(range) != 2 or range[1] < range[0]):
        raise ValueError("histogram: `range` must be a pair (low, high) with low <= high, "
                         f"received {range!r}.")
    if len(getattr(x, "shape", ())) > 1 or (isinstance(x, (list, tuple)) and x
                                            and isinstance(x[0], (list, tuple))):
        raise ValueError(f"histogram: `x` must be 1-D, received shape {getattr(x, 'shape', '')}.")
    if x.__class__ is _KerasTensor:
        return _symbolic_call("histogram", (x, bins, range), {})
    return _table.histogram(x, bins, range)


def array_split(x, indices_or_sections, axis=0):
    """Splits `x` into `indices_or_sections` parts along `axis`, allowing unequal parts.

    When the size along `axis` does not divide evenly, the first parts are larger by one.

    Args:
        x: Input tensor.
        indices_or_sections: A positive int: the number of parts.
        axis: The axis to split along. Defaults to `0`.

    Returns:
        A list of `indices_or_sections` tensors of the dtype of `x`.

    Examples:
        >>> keras.ops.array_split(np.arange(5), 2)
        [array([0, 1, 2]), array([3, 4])]
    """
    if not isinstance(indices_or_sections, int) or indices_or_sections < 1:
        raise ValueError("array_split: `indices_or_sections` must be a positive int, received "
                         f"{indices_or_sections!r}.")
    if not isinstance(axis, int):
        raise ValueError(f"array_split: `axis` must be an int, received {axis!r}.")
    if x.__class__ is _KerasTensor:
        return _symbolic_call("array_split", (x, indices_or_sections, axis), {})
    return _table.array_split(x, indices_or_sections, axis)


def _nonzero_shape(x):
    return tuple(_KerasTensor((None,), dtype="int32") for _ in x.shape)


def _bincount_shape(x, weights=None, minlength=0, sparse=False):
    dtype = "int32" if weights is None else _result_type(x.dtype, weights.dtype)
    return _KerasTensor(tuple(x.shape[:-1]) + (None,), dtype=dtype)


def _unique_shape(x, sorted=True, return_index=False, return_inverse=False,
                  return_counts=False, axis=None, size=None, fill_value=None):
    if axis is None:
        values = _KerasTensor((size,), dtype=x.dtype)
        inverse = x.shape
    else:
        axis %= len(x.shape)
        values = _KerasTensor(x.shape[:axis] + (size,) + x.shape[axis + 1:], dtype=x.dtype)
        inverse = (x.shape[axis],)
    extras = [_KerasTensor(shape, dtype="int32") for shape, wanted in (
        ((size,), return_index), (inverse, return_inverse), ((size,), return_counts)) if wanted]
    return tuple([values] + extras) if extras else values


def _diagonal_shape(x, offset=0, axis1=0, axis2=1):
    # The generic inference would take min(unknown, known) as the known length.
    rank = len(x.shape)
    axis1, axis2 = axis1 % rank, axis2 % rank
    rows, cols = x.shape[axis1], x.shape[axis2]
    if rows is None or cols is None:
        length = None
    else:
        length = builtins.max(0, builtins.min(rows + builtins.min(offset, 0),
                                              cols - builtins.max(offset, 0)))
    others = tuple(d for i, d in enumerate(x.shape) if i not in (axis1, axis2))
    return _KerasTensor(others + (length,), dtype=x.dtype)


_SHAPE_RULES.update(nonzero=_nonzero_shape, bincount=_bincount_shape, unique=_unique_shape,
                   diagonal=_diagonal_shape)

# --------------------------------------------------------------------------------------------
# Element-wise ops and reductions that check their arguments (helper A1)
# --------------------------------------------------------------------------------------------


def where(condition, x1=None, x2=None):
    """Chooses `x1` where `condition` is true, else `x2`, with broadcasting.

    Args:
        condition: Tensor; non-zero means true.
        x1: Values where `condition` is true.
        x2: Values where `condition` is false. `x1` and `x2` are both given or both `None`
            (one of them alone is a `ValueError`).

    Returns:
        A tensor of the broadcast shape and the promoted dtype of `x1` and `x2`. When both are
        `None`, returns `nonzero(condition)`: a tuple of `int32` index tensors, one per
        dimension.

    Examples:
        >>> keras.ops.where(np.array([True, False]), np.array([1, 2]), np.array([10, 20]))
        array([ 1, 20])
        >>> keras.ops.where(np.array([[1, 0], [0, 2]]))
        (array([0, 1], dtype=int32), array([0, 1], dtype=int32))
    """
    if (x1 is None) != (x2 is None):
        raise ValueError(
            "where: `x1` and `x2` must both be None or both be given. "
            f"Received: x1={x1!r}, x2={x2!r}"
        )
    if _has_keras_tensor((condition, x1, x2)):
        return _symbolic_call("where", (condition, x1, x2), {})
    return _table.where(condition, x1, x2)


def select(condlist, choicelist, default=0):
    """Picks, element-wise, from the first choice whose condition is true (`default` if none).

    Args:
        condlist: List of boolean tensors.
        choicelist: List of tensors, as long as `condlist`.
        default: Value where every condition is false. Defaults to 0.

    Returns:
        A tensor of the broadcast shape, dtype promoted over `choicelist` and `default`.

    Examples:
        >>> conds = [np.array([True, False, False]), np.array([True, True, False])]
        >>> choices = [np.array([1, 2, 3]), np.array([10, 20, 30])]
        >>> keras.ops.select(conds, choices, default=-1)
        array([ 1, 20, -1])
    """
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise ValueError(
            "select: `condlist` and `choicelist` must be lists. Received: "
            f"type(condlist)={type(condlist).__name__}, "
            f"type(choicelist)={type(choicelist).__name__}"
        )
    if not condlist or len(condlist) != len(choicelist):
        raise ValueError(
            "select: `condlist` and `choicelist` must be non-empty and of equal length. "
            f"Received: len(condlist)={len(condlist)}, len(choicelist)={len(choicelist)}"
        )
    if _has_keras_tensor([*condlist, *choicelist, default]):
        return _symbolic_call("select", (list(condlist), list(choicelist), default), {})
    return _table.select(list(condlist), list(choicelist), default)


def _rearrange_shape(tensor, pattern, **axes_lengths):
    from unikeras.backend.common.patterns import rearrange_plan

    _, _, output_shape = rearrange_plan(pattern, tuple(tensor.shape), axes_lengths)
    return _KerasTensor(output_shape, dtype=tensor.dtype)


_SHAPE_RULES.update(rearrange=_rearrange_shape)

class _VectorizedCall(_Operation):
    """A call of a function made by `vectorize`, as a node of a functional graph."""

    def __init__(self, fn):
        super().__init__(name=_unique_name("vectorize"))
        self.fn = fn

    def call(self, *args, **kwargs):
        return self.fn(*args, **kwargs)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turns `pyfunc` into a function that maps over the leading (broadcast) axes of its
    tensor arguments, as `numpy.vectorize`.

    Args:
        pyfunc: Function of tensors written with `keras.ops`.
        excluded: Set of argument positions (ints) or names passed through unmapped.
        signature: Generalized ufunc signature such as `"(n),(n)->()"`; without it every
            argument is mapped element by element.

    Returns:
        The vectorized function; called on KerasTensors it infers the output symbolically.

    Examples:
        >>> row_dot = keras.ops.vectorize(lambda a, b: keras.ops.sum(a * b), signature="(n),(n)->()")
        >>> row_dot(np.array([[1, 2], [3, 4]]), np.array([1, 1]))
        array([3, 7])
    """
    if not callable(pyfunc):
        raise TypeError(f"vectorize: `pyfunc` must be callable, received {pyfunc!r}.")
    fn = _table.vectorize(pyfunc, excluded=excluded, signature=signature)

    @functools.wraps(pyfunc)
    def vectorized(*args, **kwargs):
        if _nested_keras_tensor((args, kwargs)):
            return _VectorizedCall(fn).symbolic_call(*args, **kwargs)
        return fn(*args, **kwargs)

    return vectorized


# --------------------------------------------------------------------------------------------
# Shared argument checks: each generated op calls its `_check_<op>` first (unikeras.ops.arg_checks)
# --------------------------------------------------------------------------------------------


def _check_diag(x, k=0):
    _args.require_rank("diag", "x", x, (1, 2))


def _check_vander(x, N=None, increasing=False):
    _args.require_rank("vander", "x", x, (1,))


def _check_searchsorted(sorted_sequence, values, side="left"):
    _args.require_rank("searchsorted", "sorted_sequence", sorted_sequence, (1,))
    _args.require_choice("searchsorted", "side", side, ("left", "right"))


def _check_digitize(x, bins):
    _args.require_rank("digitize", "bins", bins, (1,))


def _check_cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axis
    n1 = _args.dim(_args.static_shape(x1), axisa)
    n2 = _args.dim(_args.static_shape(x2), axisb)
    if n1 not in (2, 3, None) or n2 not in (2, 3, None):
        raise ValueError(
            "cross: both inputs must hold 2- or 3-vectors along `axisa`/`axisb`. Received "
            f"vector lengths {n1} and {n2}."
        )


def _check_meshgrid(*x, indexing="xy"):
    _args.require_choice("meshgrid", "indexing", indexing, ("xy", "ij"))


def _check_average(x, axis=None, weights=None):
    if weights is None:
        return
    shape, weights_shape = _args.static_shape(x), _args.static_shape(weights)
    if shape is None or weights_shape is None or _args.compatible(shape, weights_shape):
        return
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    if (
        len(weights_shape) != 1
        or len(axes) != 1
        or axes[0] is None
        or not _args.compatible((_args.dim(shape, axes[0]),), weights_shape)
    ):
        raise ValueError(
            "average: `weights` must have the shape of `x` or be 1-D with the length of `x` "
            f"along a single `axis`. Received: x.shape={shape}, weights.shape={weights_shape}, "
            f"axis={axis}"
        )


def _require_min_rank(op_name, x, rank):
    shape = getattr(x, "shape", None)
    if shape.__class__ is not tuple:
        shape = _args.static_shape(x)
    if shape is not None and len(shape) < rank:
        raise ValueError(
            f"{op_name}: `x` must have at least {rank} dimension{'s' if rank > 1 else ''}. "
            f"Received: x.shape={shape}"
        )


def _check_fliplr(x):
    _require_min_rank("fliplr", x, 2)


def _check_flipud(x):
    _require_min_rank("flipud", x, 1)


def _broadcast_dims(dims):
    # One dimension of a broadcast of static shapes: a known size other than 1 wins.
    known = [d for d in dims if d not in (None, 1)]
    if known:
        return known[0]
    return None if None in dims else 1


def _cross_shape(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    # As Keras: an unknown vector length counts as 2 unless the other one is 3 (the generic
    # inference would run the op on a probe size that is neither 2 nor 3).
    if axis is not None:
        axisa = axisb = axisc = axis
    shape1, shape2 = list(x1.shape), list(x2.shape)
    n1, n2 = shape1.pop(axisa), shape2.pop(axisb)
    rank = builtins.max(len(shape1), len(shape2))
    padded = [[1] * (rank - len(s)) + s for s in (shape1, shape2)]
    shape = [_broadcast_dims(dims) for dims in zip(*padded)]
    if n1 == 3 or n2 == 3:
        shape.insert(axisc % (rank + 1), 3)
    return _KerasTensor(tuple(shape), dtype=_result_type(x1.dtype, x2.dtype))


_SHAPE_RULES.update(cross=_cross_shape)


# --- BEGIN GENERATED OPS: written by core/tools/gen_ops.py from backend/specs/numpy.py ---
# Regenerate with `python core/tools/gen_ops.py` after changing the spec or a hand-written op.
from unikeras.backend.keras_tensor import KerasTensor as _KT  # noqa: E402
from unikeras.backend.registry import add_table_listener as _add_table_listener  # noqa: E402
from unikeras.ops.dispatch import any_keras_tensor as _any_kt  # noqa: E402,F401
from unikeras.ops.dispatch import bind_implementations as _bind  # noqa: E402
from unikeras.ops.dispatch import nested_keras_tensor as _nested_kt  # noqa: E402,F401
from unikeras.ops.dispatch import symbolic as _symbolic  # noqa: E402


def add(x1, x2):
    """Adds two tensors element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        `x1 + x2`, with the promoted dtype.

    Examples:
        >>> keras.ops.add(np.array([1, 2]), np.array([10, 20]))
        array([11, 22])
    """
    if x1.__class__ is _fast_add_type and x2.__class__ is _fast_add_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_add_dtypes:
            try:
                return _fast_add(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("add", (x1, x2), {})
    return _impl_add(x1, x2)


def subtract(x1, x2):
    """Subtracts `x2` from `x1` element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor, subtracted from `x1`; broadcast against it.

    Returns:
        `x1 - x2`, of the broadcast shape and the promoted dtype.

    Examples:
        >>> keras.ops.subtract(np.array([5, 7]), np.array([1, 2]))
        array([4, 5])
    """
    if x1.__class__ is _fast_subtract_type and x2.__class__ is _fast_subtract_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_subtract_dtypes:
            try:
                return _fast_subtract(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("subtract", (x1, x2), {})
    return _impl_subtract(x1, x2)


def multiply(x1, x2):
    """Multiplies two tensors element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor; broadcast against `x1`.

    Returns:
        `x1 * x2`, of the broadcast shape and the promoted dtype.

    Examples:
        >>> keras.ops.multiply(np.array([[1], [2]]), np.array([10, 100]))
        array([[ 10, 100],
               [ 20, 200]])
    """
    if x1.__class__ is _fast_multiply_type and x2.__class__ is _fast_multiply_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_multiply_dtypes:
            try:
                return _fast_multiply(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("multiply", (x1, x2), {})
    return _impl_multiply(x1, x2)


def matmul(x1, x2):
    """Matrix product of two tensors (NumPy `matmul` semantics, batched over leading axes).

    A 1-D operand is treated as a vector (its added axis is removed from the result); leading
    (batch) axes broadcast. Integer inputs give an integer result (`int8 x int8 -> int32`).

    Args:
        x1: First tensor, of shape `(..., N, K)` or `(K,)`.
        x2: Second tensor, of shape `(..., K, M)` or `(K,)`.

    Returns:
        The product, of shape `(..., N, M)` (without the axes of 1-D operands), with the
        promoted dtype.

    Examples:
        >>> keras.ops.matmul(np.eye(2, dtype='float32'), np.array([[1.0, 2.0], [3.0, 4.0]], 'float32'))
        array([[1., 2.],
               [3., 4.]], dtype=float32)
        >>> keras.ops.matmul(np.ones((5, 2, 3), 'float32'), np.ones((3, 4), 'float32')).shape
        (5, 2, 4)
    """
    if x1.__class__ is _fast_matmul_type and x2.__class__ is _fast_matmul_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_matmul_dtypes:
            try:
                return _fast_matmul(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("matmul", (x1, x2), {})
    return _impl_matmul(x1, x2)


def reshape(x, newshape):
    """Gives a new shape to a tensor without changing its data.

    Args:
        x: Input tensor.
        newshape: Int or tuple of ints; one entry may be `-1` (inferred).

    Returns:
        A tensor of shape `newshape` with the elements of `x` in row-major order, and the
        dtype of `x`.

    Examples:
        >>> keras.ops.reshape(np.arange(6), (2, 3))
        array([[0, 1, 2],
               [3, 4, 5]])
        >>> keras.ops.reshape(np.arange(6), (-1, 2)).shape
        (3, 2)
    """
    if x.__class__ is _KT:
        return _symbolic("reshape", (x, newshape), {})
    return _impl_reshape(x, newshape)


def transpose(x, axes=None):
    """Permutes the axes of `x`.

    Args:
        x: Input tensor.
        axes: Sequence of the axes of `x` in their new order; `None` (default) reverses them.

    Returns:
        A tensor with the same elements and dtype and permuted axes.

    Examples:
        >>> keras.ops.transpose(np.array([[1, 2, 3]]))
        array([[1],
               [2],
               [3]])
        >>> keras.ops.transpose(np.zeros((2, 3, 4)), axes=(1, 0, 2)).shape
        (3, 2, 4)
    """
    if x.__class__ is _KT:
        return _symbolic("transpose", (x, axes), {})
    return _impl_transpose(x, axes)


def sum(x, axis=None, keepdims=False):
    """Sum of elements over `axis`.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) sums all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The sum. Booleans and integers narrower than 32 bits sum in `int32`, `uint8/16` in
        `uint32`; other dtypes are kept.

    Examples:
        >>> keras.ops.sum(np.array([[1, 2], [3, 4]]), axis=1)
        array([3, 7])
        >>> keras.ops.sum(np.array([[1, 2], [3, 4]], 'int8'), keepdims=True)
        array([[10]], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("sum", (x, axis, keepdims), {})
    return _impl_sum(x, axis, keepdims)


def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over `axis`. Integer and bool inputs give `floatx()`.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to average over; `None` (default) averages all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The mean, a float tensor (the dtype of `x` for float inputs).

    Examples:
        >>> keras.ops.mean(np.array([[1.0, 2.0], [3.0, 4.0]], 'float32'), axis=0)
        array([2., 3.], dtype=float32)
        >>> keras.ops.mean(np.array([1, 2]))
        array(1.5, dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("mean", (x, axis, keepdims), {})
    return _impl_mean(x, axis, keepdims)


def concatenate(xs, axis=0):
    """Joins a sequence of tensors along an existing axis.

    Args:
        xs: A sequence of tensors with the same shape except along `axis`.
        axis: The axis along which the tensors are joined. Defaults to `0`.

    Returns:
        The concatenated tensor, with the promoted dtype of `xs`.

    Examples:
        >>> keras.ops.concatenate([np.array([1, 2]), np.array([3])])
        array([1, 2, 3])
        >>> keras.ops.concatenate([np.array([[1, 2]]), np.array([[3, 4]])], axis=1)
        array([[1, 2, 3, 4]])
    """
    if _any_kt(xs):
        return _symbolic("concatenate", (xs, axis), {})
    return _impl_concatenate(xs, axis)


def zeros(shape, dtype=None):
    """Returns a tensor of zeros of the given shape and dtype.

    Args:
        shape: Shape of the new tensor: an int or a tuple of ints.
        dtype: Dtype of the new tensor; `None` (default) uses `floatx()`.

    Returns:
        A tensor of zeros of shape `shape`.

    Examples:
        >>> keras.ops.zeros((2,), dtype='int32')
        array([0, 0], dtype=int32)
        >>> keras.ops.zeros((2, 3)).dtype
        dtype('float32')
    """
    return _impl_zeros(shape, dtype)


def ones(shape, dtype=None):
    """Returns a tensor of ones of the given shape and dtype.

    Args:
        shape: Shape of the new tensor: an int or a tuple of ints.
        dtype: Dtype of the new tensor; `None` (default) uses `floatx()`.

    Returns:
        A tensor of ones of shape `shape`.

    Examples:
        >>> keras.ops.ones((2, 3)).shape
        (2, 3)
        >>> keras.ops.ones((2,), dtype='int32')
        array([1, 1], dtype=int32)
    """
    return _impl_ones(shape, dtype)


def array(x, dtype=None):
    """Creates a tensor from `x`.

    The dtype rules are those of `convert_to_tensor`: Python ints give `int32`, Python floats
    `floatx()`, NumPy arrays and tensors keep their dtype.

    Args:
        x: A tensor, NumPy array, Python scalar or (nested) list.
        dtype: The dtype of the result. `None` (default) infers it from `x`.

    Returns:
        A tensor holding the values of `x`.

    Examples:
        >>> keras.ops.array([1, 2])
        array([1, 2], dtype=int32)
        >>> keras.ops.array([1, 2], dtype='float32')
        array([1., 2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("array", (x, dtype), {})
    return _impl_array(x, dtype)


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)`.

    Args:
        start: The first value; when `stop` is `None` it is the (exclusive) end instead and
            the values start at 0.
        stop: The exclusive end of the interval. Defaults to `None`.
        step: The spacing between adjacent values. `None` (default) means 1.
        dtype: The dtype of the result. When `None`, it is the Keras 3 result type of the
            given `start`, `stop` and `step` (Python ints give `int32`, Python floats
            `floatx()`).

    Returns:
        A 1-D tensor of `ceil((stop - start) / step)` values.

    Examples:
        >>> keras.ops.arange(0, 6, 2)
        array([0, 2, 4], dtype=int32)
        >>> keras.ops.arange(1.0, 2.0, 0.25)
        array([1.  , 1.25, 1.5 , 1.75], dtype=float32)
    """
    return _impl_arange(start, stop, step, dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced samples from `start` to `stop`.

    Tensor `start` and `stop` broadcast against each other; their samples run along `axis`.

    Args:
        start: The first sample (a scalar or tensor).
        stop: The last sample (excluded when `endpoint` is `False`).
        num: The number of samples. Defaults to `50`.
        endpoint: If `True` (default), `stop` is the last sample; else it is excluded.
        retstep: If `True`, also return the spacing between samples. Defaults to `False`.
        dtype: The dtype of the result. `None` (default) means
            `result_type(start, stop, float)`.
        axis: The axis of the result holding the samples when `start` or `stop` are
            tensors. Defaults to `0`.

    Returns:
        A tensor of `num` samples along `axis`; with `retstep=True`, the pair
        `(samples, step)`.

    Examples:
        >>> keras.ops.linspace(0.0, 1.0, 5)
        array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
        >>> keras.ops.linspace(0.0, 1.0, 4, endpoint=False)
        array([0.  , 0.25, 0.5 , 0.75], dtype=float32)
    """
    if start.__class__ is _KT or stop.__class__ is _KT:
        return _symbolic("linspace", (start, stop, num, endpoint, retstep, dtype, axis), {})
    return _impl_linspace(start, stop, num, endpoint, retstep, dtype, axis)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """Samples spaced evenly on a log scale: `base ** linspace(start, stop, num)`.

    Args:
        start: The exponent of the first sample, `base ** start` (a scalar or tensor).
        stop: The exponent of the last sample, `base ** stop` (excluded when `endpoint` is
            `False`).
        num: The number of samples. Defaults to `50`.
        endpoint: If `True` (default), `stop` is the last sample; else it is excluded.
        base: The base of the log space. Defaults to `10`.
        dtype: The dtype of the result. `None` (default) means
            `result_type(start, stop, float)`.
        axis: The axis of the result holding the samples when `start` or `stop` are
            tensors. Defaults to `0`.

    Returns:
        A tensor of `num` samples along `axis`.

    Examples:
        >>> keras.ops.logspace(0.0, 2.0, 3)
        array([  1.,  10., 100.], dtype=float32)
        >>> keras.ops.logspace(0.0, 3.0, 4, base=2)
        array([1., 2., 4., 8.], dtype=float32)
    """
    if start.__class__ is _KT or stop.__class__ is _KT:
        return _symbolic("logspace", (start, stop, num, endpoint, base, dtype, axis), {})
    return _impl_logspace(start, stop, num, endpoint, base, dtype, axis)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """Samples spaced evenly on a log scale from `start` to `stop` (a geometric progression).

    Each sample is a constant multiple of the previous one.

    Args:
        start: The first sample (a non-zero scalar or tensor).
        stop: The last sample (excluded when `endpoint` is `False`), of the sign of `start`.
        num: The number of samples. Defaults to `50`.
        endpoint: If `True` (default), `stop` is the last sample; else it is excluded.
        dtype: The dtype of the result. `None` (default) means
            `result_type(start, stop, float)`.
        axis: The axis of the result holding the samples when `start` or `stop` are
            tensors. Defaults to `0`.

    Returns:
        A tensor of `num` samples along `axis`.

    Examples:
        >>> keras.ops.geomspace(1.0, 8.0, 4).round(4)
        array([1., 2., 4., 8.], dtype=float32)
    """
    if start.__class__ is _KT or stop.__class__ is _KT:
        return _symbolic("geomspace", (start, stop, num, endpoint, dtype, axis), {})
    return _impl_geomspace(start, stop, num, endpoint, dtype, axis)


def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on a diagonal and zeros elsewhere.

    Args:
        N: The number of rows.
        M: The number of columns. `None` (default) means `N`.
        k: The diagonal holding the ones: `0` (default) the main one, `> 0` above it, `< 0`
            below it.
        dtype: The dtype of the tensor. `None` (default) means `floatx()`.

    Returns:
        A tensor of shape `(N, M)`.

    Examples:
        >>> keras.ops.eye(2)
        array([[1., 0.],
               [0., 1.]], dtype=float32)
        >>> keras.ops.eye(2, 3, k=1, dtype='int32')
        array([[0, 1, 0],
               [0, 0, 1]], dtype=int32)
    """
    return _impl_eye(N, M, k, dtype)


def identity(n, dtype=None):
    """The `n x n` identity matrix.

    Args:
        n: The number of rows and columns.
        dtype: The dtype of the matrix. `None` (default) means `floatx()`.

    Returns:
        A tensor of shape `(n, n)` with ones on the main diagonal and zeros elsewhere.

    Examples:
        >>> keras.ops.identity(2, dtype='int32')
        array([[1, 0],
               [0, 1]], dtype=int32)
    """
    return _impl_identity(n, dtype)


def tri(N, M=None, k=0, dtype=None):
    """A matrix with ones at and below a diagonal and zeros elsewhere.

    Args:
        N: Number of rows.
        M: Number of columns; `None` (default) gives `N`.
        k: The diagonal at and below which the matrix is filled: 0 (default) for the main
            diagonal, positive above it, negative below.
        dtype: Dtype of the result; `None` (default) uses `floatx()`.

    Returns:
        An `(N, M)` tensor with `T[i, j] = 1` where `j <= i + k`, else 0.

    Examples:
        >>> keras.ops.tri(3, dtype='int32')
        array([[1, 0, 0],
               [1, 1, 0],
               [1, 1, 1]], dtype=int32)
        >>> keras.ops.tri(2, 3, k=1)
        array([[1., 1., 0.],
               [1., 1., 1.]], dtype=float32)
    """
    return _impl_tri(N, M, k, dtype)


def full(shape, fill_value, dtype=None):
    """A tensor of the given shape filled with `fill_value`.

    Args:
        shape: An int or a tuple of ints: the shape of the tensor.
        fill_value: A scalar, or a tensor broadcastable to `shape`.
        dtype: The dtype of the tensor. `None` (default) means `floatx()` (also for an
            integer `fill_value`).

    Returns:
        A tensor of shape `shape`.

    Examples:
        >>> keras.ops.full((2,), 7.0)
        array([7., 7.], dtype=float32)
        >>> keras.ops.full((2, 2), 3, dtype='int32')
        array([[3, 3],
               [3, 3]], dtype=int32)
    """
    if fill_value.__class__ is _KT:
        return _symbolic("full", (shape, fill_value, dtype), {})
    return _impl_full(shape, fill_value, dtype)


def full_like(x, fill_value, dtype=None):
    """A tensor with the shape of `x` filled with `fill_value`.

    Args:
        x: The tensor whose shape (and dtype, by default) the result takes.
        fill_value: A scalar, or a tensor broadcastable to the shape of `x`.
        dtype: The dtype of the result. `None` (default) keeps the dtype of `x`.

    Returns:
        A tensor of the shape of `x`.

    Examples:
        >>> keras.ops.full_like(np.array([1, 2, 3]), 7)
        array([7, 7, 7])
        >>> keras.ops.full_like(np.array([1, 2]), 0.5, dtype='float32')
        array([0.5, 0.5], dtype=float32)
    """
    if x.__class__ is _KT or fill_value.__class__ is _KT:
        return _symbolic("full_like", (x, fill_value, dtype), {})
    return _impl_full_like(x, fill_value, dtype)


def zeros_like(x, dtype=None):
    """A tensor of zeros shaped like `x`.

    Args:
        x: Tensor whose shape (and, by default, dtype) the result takes.
        dtype: Dtype of the result; `None` (default) uses the dtype of `x`.

    Returns:
        A tensor of zeros of the shape of `x`.

    Examples:
        >>> keras.ops.zeros_like(np.array([[1.5, 2.0]], 'float32'))
        array([[0., 0.]], dtype=float32)
        >>> keras.ops.zeros_like(np.array([1.5, 2.0]), dtype='int32')
        array([0, 0], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("zeros_like", (x, dtype), {})
    return _impl_zeros_like(x, dtype)


def ones_like(x, dtype=None):
    """A tensor of ones shaped like `x`.

    Args:
        x: Tensor whose shape (and, by default, dtype) the result takes.
        dtype: Dtype of the result; `None` (default) uses the dtype of `x`.

    Returns:
        A tensor of ones of the shape of `x`.

    Examples:
        >>> keras.ops.ones_like(np.array([[1, 2, 3]], 'int32'))
        array([[1, 1, 1]], dtype=int32)
        >>> keras.ops.ones_like(np.array([1, 2]), dtype='float32')
        array([1., 1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("ones_like", (x, dtype), {})
    return _impl_ones_like(x, dtype)


def empty(shape, dtype=None):
    """A tensor of the given shape whose values are unspecified.

    Args:
        shape: An int or a tuple of ints: the shape of the tensor.
        dtype: The dtype of the tensor. `None` (default) means `floatx()`.

    Returns:
        A tensor of shape `shape`; read its values only after writing them.

    Examples:
        >>> x = keras.ops.empty((2, 3))
        >>> x.shape, x.dtype
        ((2, 3), dtype('float32'))
    """
    return _impl_empty(shape, dtype)


def empty_like(x, dtype=None):
    """A tensor with the shape of `x` whose values are unspecified.

    Args:
        x: The tensor whose shape (and dtype, by default) the result takes.
        dtype: The dtype of the result. `None` (default) keeps the dtype of `x`.

    Returns:
        A tensor of the shape of `x`; read its values only after writing them.

    Examples:
        >>> y = keras.ops.empty_like(np.array([1.0, 2.0], 'float16'))
        >>> y.shape, y.dtype
        ((2,), dtype('float16'))
    """
    if x.__class__ is _KT:
        return _symbolic("empty_like", (x, dtype), {})
    return _impl_empty_like(x, dtype)


def copy(x):
    """Returns a copy of `x`.

    Args:
        x: Input tensor.

    Returns:
        A new tensor with the values, shape and dtype of `x`.

    Examples:
        >>> keras.ops.copy(np.array([1, 2], 'int8'))
        array([1, 2], dtype=int8)
    """
    if x.__class__ is _KT:
        return _symbolic("copy", (x,), {})
    return _impl_copy(x)


def view(x, dtype=None):
    """Reinterprets the bytes of `x` as another dtype, without copying or converting values.

    The last axis scales by the ratio of the item sizes (it must divide evenly).

    Args:
        x: Input tensor.
        dtype: Dtype to view the data as; `None` (default) keeps the dtype of `x`.

    Returns:
        A tensor of dtype `dtype` holding the bytes of `x`.

    Examples:
        >>> keras.ops.view(np.array([-1], 'int8'), 'uint8')
        array([255], dtype=uint8)
        >>> keras.ops.view(np.array([1.0], 'float32'), 'int32')  # the IEEE bits 0x3F800000
        array([1065353216], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("view", (x, dtype), {})
    return _impl_view(x, dtype)


def expand_dims(x, axis):
    """Inserts axes of size 1 into the shape of `x`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the positions of the new axes in the result's shape.
            Negative values count from the end.

    Returns:
        A tensor with the values and dtype of `x` and `len(axis)` more dimensions.

    Examples:
        >>> keras.ops.expand_dims(np.array([1, 2]), 0).shape
        (1, 2)
        >>> keras.ops.expand_dims(np.array([1, 2]), (0, 2)).shape
        (1, 2, 1)
    """
    if x.__class__ is _KT:
        return _symbolic("expand_dims", (x, axis), {})
    return _impl_expand_dims(x, axis)


def squeeze(x, axis=None):
    """Removes axes of size 1 from `x`.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to remove, each of size 1; `None` (default) removes every
            size-1 axis.

    Returns:
        A tensor with the same elements and dtype and fewer axes.

    Examples:
        >>> keras.ops.squeeze(np.zeros((1, 3, 1))).shape
        (3,)
        >>> keras.ops.squeeze(np.zeros((1, 3, 1)), axis=0).shape
        (3, 1)
    """
    if x.__class__ is _KT:
        return _symbolic("squeeze", (x, axis), {})
    return _impl_squeeze(x, axis)


def ravel(x):
    """Returns `x` flattened to one dimension (row-major order).

    Args:
        x: Input tensor.

    Returns:
        A 1-D tensor of `size(x)` elements, with the dtype of `x`.

    Examples:
        >>> keras.ops.ravel(np.array([[1, 2], [3, 4]]))
        array([1, 2, 3, 4])
    """
    if x.__class__ is _KT:
        return _symbolic("ravel", (x,), {})
    return _impl_ravel(x)


def broadcast_to(x, shape):
    """Broadcasts `x` to `shape` (NumPy broadcasting rules).

    Args:
        x: Input tensor.
        shape: A tuple of ints: the target shape. Each axis of `x` must be 1 or equal to the
            matching trailing axis of `shape`.

    Returns:
        A tensor of shape `shape` and the dtype of `x`.

    Examples:
        >>> keras.ops.broadcast_to(np.array([1, 2]), (2, 2))
        array([[1, 2],
               [1, 2]])
    """
    if x.__class__ is _KT:
        return _symbolic("broadcast_to", (x, shape), {})
    return _impl_broadcast_to(x, shape)


def moveaxis(x, source, destination):
    """Moves axes of `x` to new positions; the other axes keep their order.

    Args:
        x: Input tensor.
        source: Original position of the axis to move (int), or tuple of positions.
        destination: Destination position (int), or tuple of positions, as long as `source`.

    Returns:
        A tensor with the same elements and dtype and permuted axes.

    Examples:
        >>> keras.ops.moveaxis(np.zeros((2, 3, 4)), 0, -1).shape
        (3, 4, 2)
        >>> keras.ops.moveaxis(np.zeros((2, 3, 4)), (0, 1), (2, 0)).shape
        (3, 4, 2)
    """
    if x.__class__ is _KT:
        return _symbolic("moveaxis", (x, source, destination), {})
    return _impl_moveaxis(x, source, destination)


def swapaxes(x, axis1, axis2):
    """Interchanges two axes of `x`.

    Args:
        x: Input tensor.
        axis1: First axis.
        axis2: Second axis.

    Returns:
        A tensor with the same elements and dtype, with `axis1` and `axis2` swapped.

    Examples:
        >>> keras.ops.swapaxes(np.array([[1, 2, 3]]), 0, 1)
        array([[1],
               [2],
               [3]])
        >>> keras.ops.swapaxes(np.zeros((2, 3, 4)), 0, 2).shape
        (4, 3, 2)
    """
    if x.__class__ is _KT:
        return _symbolic("swapaxes", (x, axis1, axis2), {})
    return _impl_swapaxes(x, axis1, axis2)


def flip(x, axis=None):
    """Reverses the order of the elements of `x` along `axis`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reverse. `None` (default) reverses all
            axes.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.flip(np.array([1, 2, 3]))
        array([3, 2, 1])
        >>> keras.ops.flip(np.array([[1, 2], [3, 4]]), axis=1)
        array([[2, 1],
               [4, 3]])
    """
    if x.__class__ is _KT:
        return _symbolic("flip", (x, axis), {})
    return _impl_flip(x, axis)


def fliplr(x):
    """Reverses the order of the elements of `x` along axis 1 (left/right).

    Args:
        x: Input tensor of at least 2 dimensions.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.fliplr(np.array([[1, 2], [3, 4]]))
        array([[2, 1],
               [4, 3]])
    """
    _check_fliplr(x)
    if x.__class__ is _KT:
        return _symbolic("fliplr", (x,), {})
    return _impl_fliplr(x)


def flipud(x):
    """Reverses the order of the elements of `x` along axis 0 (up/down).

    Args:
        x: Input tensor of at least 1 dimension.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.flipud(np.array([[1, 2], [3, 4]]))
        array([[3, 4],
               [1, 2]])
    """
    _check_flipud(x)
    if x.__class__ is _KT:
        return _symbolic("flipud", (x,), {})
    return _impl_flipud(x)


def roll(x, shift, axis=None):
    """Rolls elements of `x` along `axis`; elements shifted past the end reappear at the start.

    Args:
        x: Input tensor.
        shift: Number of places to shift (int), or tuple of ints, one per axis of `axis`.
            Negative values shift towards the start.
        axis: Axis or tuple of axes to roll along; `None` (default) rolls the flattened
            tensor and restores the shape.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.roll(np.array([1, 2, 3]), 1)
        array([3, 1, 2])
        >>> keras.ops.roll(np.array([[1, 2], [3, 4]]), -1, axis=1)
        array([[2, 1],
               [4, 3]])
    """
    if x.__class__ is _KT:
        return _symbolic("roll", (x, shift, axis), {})
    return _impl_roll(x, shift, axis)


def rot90(array, k=1, axes=(0, 1)):
    """Rotates `array` by 90 degrees `k` times in the plane of `axes`.

    The rotation goes from the first axis towards the second (counterclockwise for a matrix
    with the default `axes`).

    Args:
        array: Input tensor of at least 2 dimensions.
        k: Number of 90-degree rotations; negative values rotate the other way. Defaults to 1.
        axes: The two axes that define the plane of rotation. Defaults to `(0, 1)`.

    Returns:
        The rotated tensor, with the dtype of `array`.

    Examples:
        >>> keras.ops.rot90(np.array([[1, 2], [3, 4]]))
        array([[2, 4],
               [1, 3]])
        >>> keras.ops.rot90(np.array([[1, 2], [3, 4]]), k=-1)
        array([[3, 1],
               [4, 2]])
    """
    if array.__class__ is _KT:
        return _symbolic("rot90", (array, k, axes), {})
    return _impl_rot90(array, k, axes)


def tile(x, repeats):
    """Repeats the whole of `x` `repeats` times along each axis.

    When `repeats` has more entries than `x` has axes, `x` gets leading size-1 axes; when it
    has fewer, it is padded with leading 1s.

    Args:
        x: Input tensor.
        repeats: Number of repetitions: an int (for the last axis) or a sequence of ints, one
            per axis.

    Returns:
        The tiled tensor, with the dtype of `x`.

    Examples:
        >>> keras.ops.tile(np.array([1, 2]), 2)
        array([1, 2, 1, 2])
        >>> keras.ops.tile(np.array([1, 2]), (2, 1))
        array([[1, 2],
               [1, 2]])
    """
    if x.__class__ is _KT:
        return _symbolic("tile", (x, repeats), {})
    return _impl_tile(x, repeats)


def repeat(x, repeats, axis=None):
    """Repeats each element of `x` along `axis`.

    Args:
        x: Input tensor.
        repeats: Number of repetitions: an int for every element, or one count per element
            along `axis`.
        axis: Axis along which to repeat; `None` (default) uses the flattened tensor and
            returns a 1-D tensor.

    Returns:
        The tensor with repeated elements, with the dtype of `x`.

    Examples:
        >>> keras.ops.repeat(np.array([1, 2]), 2)
        array([1, 1, 2, 2])
        >>> keras.ops.repeat(np.array([[1, 2], [3, 4]]), [1, 2], axis=0)
        array([[1, 2],
               [3, 4],
               [3, 4]])
    """
    if x.__class__ is _KT:
        return _symbolic("repeat", (x, repeats, axis), {})
    return _impl_repeat(x, repeats, axis)


def stack(x, axis=0):
    """Joins tensors of the same shape along a new axis.

    Args:
        x: Sequence of tensors, all of the same shape.
        axis: Position of the new axis in the result. Defaults to 0.

    Returns:
        A tensor with one more axis than the inputs, of size `len(x)`, with the promoted
        dtype.

    Examples:
        >>> keras.ops.stack([np.array([1, 2]), np.array([3, 4])], axis=0)
        array([[1, 2],
               [3, 4]])
        >>> keras.ops.stack([np.array([1, 2]), np.array([3, 4])], axis=1)
        array([[1, 3],
               [2, 4]])
    """
    if _any_kt(x):
        return _symbolic("stack", (x, axis), {})
    return _impl_stack(x, axis)


def hstack(xs):
    """Stacks tensors horizontally (along axis 1; axis 0 for 1-D inputs).

    Args:
        xs: A sequence of tensors with the same shape except along the stacking axis.

    Returns:
        The stacked tensor, with the promoted dtype of `xs`.

    Examples:
        >>> keras.ops.hstack([np.array([1, 2]), np.array([3])])
        array([1, 2, 3])
        >>> keras.ops.hstack([np.array([[1], [2]]), np.array([[3], [4]])])
        array([[1, 3],
               [2, 4]])
    """
    if _any_kt(xs):
        return _symbolic("hstack", (xs,), {})
    return _impl_hstack(xs)


def vstack(xs):
    """Stacks tensors vertically (row-wise): concatenation along axis 0.

    1-D inputs of length `N` are first reshaped to `(1, N)` rows.

    Args:
        xs: Sequence of tensors with the same shape except along the first axis.

    Returns:
        The stacked tensor, of at least 2 dimensions, with the promoted dtype.

    Examples:
        >>> keras.ops.vstack([np.array([1, 2]), np.array([3, 4])])
        array([[1, 2],
               [3, 4]])
    """
    if _any_kt(xs):
        return _symbolic("vstack", (xs,), {})
    return _impl_vstack(xs)


def dstack(xs):
    """Stacks tensors depth-wise (along axis 2).

    1-D inputs of length `N` become `(1, N, 1)` and 2-D inputs `(M, N)` become `(M, N, 1)`
    first.

    Args:
        xs: A sequence of tensors with the same shape except along axis 2.

    Returns:
        A tensor of at least 3 dimensions with the promoted dtype of `xs`.

    Examples:
        >>> keras.ops.dstack([np.array([1, 2]), np.array([3, 4])])
        array([[[1, 3],
                [2, 4]]])
    """
    if _any_kt(xs):
        return _symbolic("dstack", (xs,), {})
    return _impl_dstack(xs)


def column_stack(xs):
    """Stacks 1-D tensors as the columns of a 2-D tensor.

    1-D inputs become columns; 2-D (and higher) inputs are joined along axis 1 as with
    `hstack`.

    Args:
        xs: A sequence of tensors with the same length along axis 0.

    Returns:
        A tensor of at least 2 dimensions with the promoted dtype of `xs`.

    Examples:
        >>> keras.ops.column_stack([np.array([1, 2]), np.array([3, 4])])
        array([[1, 3],
               [2, 4]])
    """
    if _any_kt(xs):
        return _symbolic("column_stack", (xs,), {})
    return _impl_column_stack(xs)


def split(x, indices_or_sections, axis=0):
    """Splits `x` into several tensors along `axis`.

    Args:
        x: Input tensor.
        indices_or_sections: An int `N`: `N` equal sections (the axis length must be
            divisible by `N`); or a sequence of sorted indices where the axis is cut.
        axis: Axis to split along. Defaults to 0.

    Returns:
        A list of tensors.

    Examples:
        >>> keras.ops.split(np.arange(6), 3)
        [array([0, 1]), array([2, 3]), array([4, 5])]
        >>> keras.ops.split(np.arange(5), [1, 3])
        [array([0]), array([1, 2]), array([3, 4])]
    """
    if x.__class__ is _KT:
        return _symbolic("split", (x, indices_or_sections, axis), {})
    return _impl_split(x, indices_or_sections, axis)


def hsplit(x, indices_or_sections):
    """Splits `x` along axis 1 (column-wise; axis 0 for 1-D inputs).

    Args:
        x: Input tensor.
        indices_or_sections: An int `N` (that many equal parts; the size along the axis must
            divide evenly) or a sorted sequence of indices where the splits happen.

    Returns:
        A list of tensors of the dtype of `x`.

    Examples:
        >>> keras.ops.hsplit(np.arange(4), 2)
        [array([0, 1]), array([2, 3])]
        >>> keras.ops.hsplit(np.arange(6), [2, 3])
        [array([0, 1]), array([2]), array([3, 4, 5])]
    """
    if x.__class__ is _KT:
        return _symbolic("hsplit", (x, indices_or_sections), {})
    return _impl_hsplit(x, indices_or_sections)


def vsplit(x, indices_or_sections):
    """Splits `x` into several tensors along axis 0 (rows); `x` needs at least 2 dimensions.

    Args:
        x: Input tensor of at least 2 dimensions.
        indices_or_sections: An int `N`: `N` equal sections (the number of rows must be
            divisible by `N`); or a sequence of sorted row indices where `x` is cut.

    Returns:
        A list of tensors.

    Examples:
        >>> keras.ops.vsplit(np.arange(8).reshape(4, 2), 2)
        [array([[0, 1],
               [2, 3]]), array([[4, 5],
               [6, 7]])]
    """
    if x.__class__ is _KT:
        return _symbolic("vsplit", (x, indices_or_sections), {})
    return _impl_vsplit(x, indices_or_sections)


def dsplit(x, indices_or_sections):
    """Splits `x` along axis 2 (depth-wise).

    Args:
        x: Input tensor of at least 3 dimensions.
        indices_or_sections: An int `N` (that many equal parts; the size along axis 2 must
            divide evenly) or a sorted sequence of indices where the splits happen.

    Returns:
        A list of tensors of the dtype of `x`.

    Examples:
        >>> tuple(part.shape for part in keras.ops.dsplit(np.zeros((1, 2, 4)), 2))
        ((1, 2, 2), (1, 2, 2))
        >>> tuple(part.shape for part in keras.ops.dsplit(np.zeros((1, 2, 4)), [1]))
        ((1, 2, 1), (1, 2, 3))
    """
    if x.__class__ is _KT:
        return _symbolic("dsplit", (x, indices_or_sections), {})
    return _impl_dsplit(x, indices_or_sections)


def append(x1, x2, axis=None):
    """Appends `x2` to the end of `x1` along `axis`.

    Args:
        x1: First tensor.
        x2: Tensor to append. With an `axis` it must have the shape of `x1` except along
            `axis`.
        axis: The axis along which `x2` is appended. `None` (default) flattens both tensors
            first.

    Returns:
        The concatenated tensor, with the promoted dtype of `x1` and `x2`.

    Examples:
        >>> keras.ops.append(np.array([1, 2]), np.array([[3]]))
        array([1, 2, 3])
        >>> keras.ops.append(np.array([[1, 2]]), np.array([[3, 4]]), axis=0)
        array([[1, 2],
               [3, 4]])
    """
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("append", (x1, x2, axis), {})
    return _impl_append(x1, x2, axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads `x`.

    Args:
        x: Tensor to pad.
        pad_width: `((before_1, after_1), ..., (before_N, after_N))`, `((before, after),)`
            for every axis, or `(pad,)` / `int` for `before = after = pad` on every axis.
        mode: `"constant"`, `"edge"`, `"linear_ramp"`, `"maximum"`, `"mean"`, `"median"`,
            `"minimum"`, `"reflect"`, `"symmetric"`, `"wrap"`, `"empty"` or `"circular"`
            (the same as `"wrap"`).
        constant_values: Value to pad with in `"constant"` mode (default 0); passing it with
            another mode is a `ValueError`.

    Returns:
        The padded tensor, with the dtype of `x`; each axis grows by `before + after`.

    Examples:
        >>> keras.ops.pad(np.array([1, 2]), ((1, 2),))
        array([0, 1, 2, 0, 0])
        >>> keras.ops.pad(np.array([[1, 2]]), ((0, 1), (1, 0)), constant_values=9)
        array([[9, 1, 2],
               [9, 9, 9]])
        >>> keras.ops.pad(np.array([1, 2, 3]), 2, mode='reflect')
        array([3, 2, 1, 2, 3, 2, 1])
    """
    if x.__class__ is _KT:
        return _symbolic("pad", (x, pad_width, mode, constant_values), {})
    return _impl_pad(x, pad_width, mode, constant_values)


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D tensors: `"xy"` (Cartesian) or `"ij"` (matrix) indexing.

    Args:
        *x: 1-D tensors, the coordinates along each dimension of the grid.
        indexing: `"xy"` (default): for two inputs of lengths `M` and `N` the grids have shape
            `(N, M)`; `"ij"`: shape `(M, N)`.

    Returns:
        A list of N tensors, each of the grid's shape and of its input's dtype.

    Examples:
        >>> keras.ops.meshgrid(np.array([1, 2, 3]), np.array([4, 5]))
        [array([[1, 2, 3],
               [1, 2, 3]]), array([[4, 4, 4],
               [5, 5, 5]])]
        >>> keras.ops.meshgrid(np.array([1, 2, 3]), np.array([4, 5]), indexing='ij')[0].shape
        (3, 2)
    """
    _check_meshgrid(*x, indexing=indexing)
    if _any_kt(x):
        return _symbolic("meshgrid", (*x,), {"indexing": indexing})
    return _impl_meshgrid(*x, indexing=indexing)


def ndim(x):
    """Returns the number of dimensions of `x`.

    Args:
        x: Input tensor.

    Returns:
        The rank of `x`, a Python int.

    Examples:
        >>> keras.ops.ndim(np.zeros((2, 3)))
        2
    """
    if x.__class__ is _KT:
        return _symbolic("ndim", (x,), {})
    return _impl_ndim(x)


def size(x):
    """Returns the number of elements of `x`.

    Args:
        x: Input tensor.

    Returns:
        The product of the dimensions of `x`, a Python int.

    Examples:
        >>> keras.ops.size(np.zeros((2, 3)))
        6
    """
    if x.__class__ is _KT:
        return _symbolic("size", (x,), {})
    return _impl_size(x)


def tril(x, k=0):
    """Lower triangle of (the last two axes of) `x`: elements above diagonal `k` set to 0.

    Args:
        x: Input tensor of at least 2 dimensions.
        k: Diagonal above which to zero elements: 0 (default) for the main diagonal, positive
            above it, negative below.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.tril(np.ones((3, 3), 'int32'))
        array([[1, 0, 0],
               [1, 1, 0],
               [1, 1, 1]], dtype=int32)
        >>> keras.ops.tril(np.ones((3, 3), 'int32'), k=-1)
        array([[0, 0, 0],
               [1, 0, 0],
               [1, 1, 0]], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("tril", (x, k), {})
    return _impl_tril(x, k)


def triu(x, k=0):
    """Upper triangle of (the last two axes of) `x`: elements below diagonal `k` set to 0.

    Args:
        x: Input tensor of at least 2 dimensions.
        k: Diagonal below which to zero elements: 0 (default) for the main diagonal, positive
            above it, negative below.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.triu(np.ones((3, 3), 'int32'))
        array([[1, 1, 1],
               [0, 1, 1],
               [0, 0, 1]], dtype=int32)
        >>> keras.ops.triu(np.ones((3, 3), 'int32'), k=1)
        array([[0, 1, 1],
               [0, 0, 1],
               [0, 0, 0]], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("triu", (x, k), {})
    return _impl_triu(x, k)


def diag(x, k=0):
    """Extracts a diagonal of a 2-D tensor, or builds a 2-D tensor from a 1-D diagonal.

    Args:
        x: A 2-D tensor (its `k`-th diagonal is returned) or a 1-D tensor (placed on the
            `k`-th diagonal of a square matrix of zeros).
        k: The diagonal: `0` (default) the main one, `> 0` above it, `< 0` below it.

    Returns:
        A 1-D tensor for a 2-D `x`; a 2-D tensor of size `len(x) + |k|` for a 1-D `x`. The
        dtype is that of `x`.

    Examples:
        >>> keras.ops.diag(np.array([1, 2]))
        array([[1, 0],
               [0, 2]])
        >>> keras.ops.diag(np.array([[1, 2], [3, 4]]), k=1)
        array([2])
    """
    _check_diag(x, k)
    if x.__class__ is _KT:
        return _symbolic("diag", (x, k), {})
    return _impl_diag(x, k)


def diagflat(x, k=0):
    """Builds a 2-D tensor with the flattened `x` on a diagonal.

    Args:
        x: Input tensor; it is flattened first.
        k: The diagonal: `0` (default) the main one, `> 0` above it, `< 0` below it.

    Returns:
        A square 2-D tensor of size `x.size + |k|` and the dtype of `x`, zero off the
        diagonal.

    Examples:
        >>> keras.ops.diagflat(np.array([1, 2]), k=1)
        array([[0, 1, 0],
               [0, 0, 2],
               [0, 0, 0]])
    """
    if x.__class__ is _KT:
        return _symbolic("diagflat", (x, k), {})
    return _impl_diagflat(x, k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    """Returns the given diagonal of the 2-D planes spanned by `axis1` and `axis2`.

    Args:
        x: Input tensor of at least 2 dimensions.
        offset: The diagonal: `0` (default) the main one, `> 0` above it, `< 0` below it.
        axis1: The first axis of the planes (their rows). Defaults to `0`.
        axis2: The second axis of the planes (their columns). Defaults to `1`.

    Returns:
        A tensor of the dtype of `x`: its other axes, then the diagonal as the last axis.

    Examples:
        >>> keras.ops.diagonal(np.array([[0, 1], [2, 3]]))
        array([0, 3])
        >>> keras.ops.diagonal(np.arange(8).reshape(2, 2, 2), axis1=1, axis2=2)
        array([[0, 3],
               [4, 7]])
    """
    if x.__class__ is _KT:
        return _symbolic("diagonal", (x, offset, axis1, axis2), {})
    return _impl_diagonal(x, offset, axis1, axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along a diagonal of the planes given by `axis1` and `axis2`.

    Args:
        x: Input tensor of at least 2 dimensions.
        offset: Diagonal offset: 0 (default) for the main diagonal, positive above it,
            negative below.
        axis1: First axis of the planes. Defaults to 0.
        axis2: Second axis of the planes. Defaults to 1.

    Returns:
        The sums, of the shape of `x` without `axis1` and `axis2`. Booleans and integers
        narrower than 32 bits sum in `int32`, `uint8/16` in `uint32`; other dtypes are kept.

    Examples:
        >>> keras.ops.trace(np.array([[1, 2], [3, 4]]))
        array(5)
        >>> keras.ops.trace(np.array([[1, 2], [3, 4]]), offset=1)
        array(2)
    """
    if x.__class__ is _KT:
        return _symbolic("trace", (x, offset, axis1, axis2), {})
    return _impl_trace(x, offset, axis1, axis2)


def take(x, indices, axis=None):
    """Elements of `x` at `indices` along `axis`.

    Negative indices count from the end.

    Args:
        x: Input tensor.
        indices: Integer tensor of the indices to take.
        axis: Axis to take along; `None` (default) takes from the flattened `x`.

    Returns:
        A tensor of shape `x.shape[:axis] + indices.shape + x.shape[axis + 1:]` (the shape of
        `indices` when `axis` is `None`), with the dtype of `x`.

    Examples:
        >>> keras.ops.take(np.array([10, 20, 30]), np.array([2, 0]))
        array([30, 10])
        >>> keras.ops.take(np.array([[1, 2], [3, 4]]), np.array([1, 0]), axis=1)
        array([[2, 1],
               [4, 3]])
    """
    if x.__class__ is _KT or indices.__class__ is _KT:
        return _symbolic("take", (x, indices, axis), {})
    return _impl_take(x, indices, axis)


def take_along_axis(x, indices, axis=None):
    """Picks values of `x` with `indices` along `axis`, as `argsort` or `argmax` results index.

    `x` and `indices` broadcast against each other on the other axes.

    Args:
        x: Input tensor.
        indices: Integer tensor with the rank of `x` (the rank of the flattened `x` when
            `axis` is `None`).
        axis: Axis to pick along; `None` (default) uses the flattened `x`.

    Returns:
        A tensor of the broadcast shape with `indices.shape[axis]` along `axis`, with the dtype
        of `x`.

    Examples:
        >>> keras.ops.take_along_axis(np.array([[10, 20], [30, 40]]), np.array([[1], [0]]), axis=1)
        array([[20],
               [30]])
        >>> x = np.array([[10, 30, 20], [60, 40, 50]])
        >>> keras.ops.take_along_axis(x, keras.ops.argsort(x, axis=1), axis=1)
        array([[10, 20, 30],
               [40, 50, 60]])
    """
    if x.__class__ is _KT or indices.__class__ is _KT:
        return _symbolic("take_along_axis", (x, indices, axis), {})
    return _impl_take_along_axis(x, indices, axis)


def nonzero(x):
    """Indices of the non-zero elements of `x`.

    The output length depends on the values, so it is `None` symbolically.

    Args:
        x: Input tensor.

    Returns:
        A tuple of one `int32` 1-D tensor per dimension of `x`: the coordinates of the non-zero
        elements along that dimension, in row-major order.

    Examples:
        >>> keras.ops.nonzero(np.array([[0, 1], [2, 0]]))
        (array([0, 1], dtype=int32), array([1, 0], dtype=int32))
    """
    if x.__class__ is _KT:
        return _symbolic("nonzero", (x,), {})
    return _impl_nonzero(x)


def unravel_index(indices, shape):
    """Converts flat indices into a tuple of coordinate tensors for `shape`.

    Args:
        indices: Integer tensor of indices into a flattened tensor of shape `shape`.
        shape: Shape (tuple of ints) the indices refer to.

    Returns:
        A tuple of `len(shape)` tensors of the shape of `indices`, one per dimension; they
        have the dtype of `indices` (`int32` for Python ints).

    Examples:
        >>> keras.ops.unravel_index(np.array([1, 5], 'int32'), (2, 3))
        (array([0, 1], dtype=int32), array([1, 2], dtype=int32))
    """
    if indices.__class__ is _KT:
        return _symbolic("unravel_index", (indices, shape), {})
    return _impl_unravel_index(indices, shape)


def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each element of `x1` occurs in `x2`.

    Args:
        x1: Input tensor.
        x2: The values to look for (any shape; it is flattened).
        assume_unique: If `True`, both inputs are assumed to hold unique values, which can
            speed up the computation. Defaults to `False`.
        invert: If `True`, the result is negated (whether each element is NOT in `x2`).
            Defaults to `False`.

    Returns:
        A `bool` tensor of the shape of `x1`.

    Examples:
        >>> keras.ops.isin(np.array([1, 2, 3]), np.array([2, 5]))
        array([False,  True, False])
        >>> keras.ops.isin(np.array([1, 2, 3]), np.array([2, 5]), invert=True)
        array([ True, False,  True])
    """
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("isin", (x1, x2, assume_unique, invert), {})
    return _impl_isin(x1, x2, assume_unique, invert)


def sort(x, axis=-1):
    """Sorts `x` in ascending order along `axis`.

    Args:
        x: Input tensor.
        axis: Axis along which to sort; `None` sorts the flattened tensor. Defaults to -1
            (the last axis).

    Returns:
        The sorted tensor, with the dtype of `x` (1-D when `axis` is `None`).

    Examples:
        >>> keras.ops.sort(np.array([3, 1, 2]))
        array([1, 2, 3])
        >>> keras.ops.sort(np.array([[3, 1], [0, 2]]), axis=0)
        array([[0, 1],
               [3, 2]])
    """
    if x.__class__ is _KT:
        return _symbolic("sort", (x, axis), {})
    return _impl_sort(x, axis)


def argsort(x, axis=-1):
    """Indices that sort `x` along `axis` (a stable sort, ascending).

    Args:
        x: Input tensor.
        axis: The axis to sort along. Defaults to `-1` (the last axis); `None` sorts the
            flattened tensor.

    Returns:
        An `int32` tensor of indices, of the shape of `x` (1-D when `axis` is `None`).

    Examples:
        >>> keras.ops.argsort(np.array([3, 1, 2]))
        array([1, 2, 0], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("argsort", (x, axis), {})
    return _impl_argsort(x, axis)


def argpartition(x, kth, axis=-1):
    """Indices that partition `x` along `axis` around the element at sorted position `kth`.

    The element at position `kth` of the result is the index of the value that would be there
    if `x` were sorted; indices of smaller values come before it and of larger values after
    it. The order inside each part is unspecified.

    Args:
        x: Input tensor.
        kth: An int (or a sequence of ints): the sorted position(s) to partition around.
        axis: The axis to partition along. Defaults to `-1`.

    Returns:
        An `int32` tensor of indices, of the shape of `x`.

    Examples:
        >>> x = np.array([3, 4, 2, 1])
        >>> indices = keras.ops.argpartition(x, 2)
        >>> int(x[indices[2]]), sorted(x[indices[:2]].tolist()), x[indices[3]].tolist()
        (3, [1, 2], 4)
    """
    if x.__class__ is _KT:
        return _symbolic("argpartition", (x, kth, axis), {})
    return _impl_argpartition(x, kth, axis)


def searchsorted(sorted_sequence, values, side="left"):
    """Indices where `values` would be inserted into `sorted_sequence` to keep it sorted.

    Args:
        sorted_sequence: 1-D tensor sorted in ascending order.
        values: Tensor of values to insert.
        side: `"left"` (default): the first suitable index; `"right"`: the last one.

    Returns:
        An `int32` tensor of the shape of `values`.

    Examples:
        >>> keras.ops.searchsorted(np.array([1, 3, 5]), np.array([3, 4]))
        array([1, 2], dtype=int32)
        >>> keras.ops.searchsorted(np.array([1, 3, 5]), np.array([3, 4]), side='right')
        array([2, 2], dtype=int32)
    """
    _check_searchsorted(sorted_sequence, values, side)
    if sorted_sequence.__class__ is _KT or values.__class__ is _KT:
        return _symbolic("searchsorted", (sorted_sequence, values, side), {})
    return _impl_searchsorted(sorted_sequence, values, side)


def digitize(x, bins):
    """Index of the bin each element of `x` falls in.

    For increasing `bins`, the index `i` satisfies `bins[i - 1] <= x < bins[i]`: values below
    `bins[0]` give 0 and values at or above `bins[-1]` give `len(bins)`. Decreasing `bins`
    are supported too (`bins[i - 1] > x >= bins[i]`).

    Args:
        x: Input tensor.
        bins: A 1-D monotonic tensor of bin edges.

    Returns:
        An `int32` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.digitize(np.array([0.5, 1.0, 2.5, 4.0]), np.array([1.0, 2.0, 3.0]))
        array([0, 1, 2, 3], dtype=int32)
    """
    _check_digitize(x, bins)
    if x.__class__ is _fast_digitize_type and bins.__class__ is _fast_digitize_type:
        _dtype = x.dtype
        if _dtype is bins.dtype and _dtype in _fast_digitize_dtypes:
            try:
                return _fast_digitize(x, bins)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or bins.__class__ is _KT:
        return _symbolic("digitize", (x, bins), {})
    return _impl_digitize(x, bins)


def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts the occurrences of each value in a tensor of non-negative integers.

    Args:
        x: A 1-D tensor of non-negative ints, or a 2-D one (counted row by row).
        weights: Optional tensor of the shape of `x`: each occurrence adds its weight instead
            of 1. Defaults to `None`.
        minlength: The minimum length of the output (counts past `max(x)` are zeros).
            Defaults to `0`.
        sparse: Whether to return a sparse tensor. Only backends with sparse tensors support
            `True`; the NumPy backend raises `ValueError`. Defaults to `False`.

    Returns:
        A tensor of length `max(max(x) + 1, minlength)` on its last axis (one row per row of a
        2-D `x`): `int32` counts, or sums of `weights` with dtype `result_type(x, weights)`.
        The length depends on the values, so it is `None` symbolically.

    Examples:
        >>> keras.ops.bincount(np.array([0, 1, 1, 3]))
        array([1, 2, 0, 1], dtype=int32)
        >>> keras.ops.bincount(np.array([0, 1, 1]), weights=np.array([0.5, 1.0, 2.0], 'float32'),
        ...                    minlength=4)
        array([0.5, 3. , 0. , 0. ], dtype=float32)
    """
    if x.__class__ is _KT or weights.__class__ is _KT:
        return _symbolic("bincount", (x, weights, minlength, sparse), {})
    return _impl_bincount(x, weights, minlength, sparse)


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None,
           size=None, fill_value=None):
    """Unique elements of `x` (of the flattened `x`, or sub-tensors along `axis`).

    Args:
        x: Input tensor.
        sorted: Sort the unique values ascending (default); when `False` they keep the order
            of their first occurrence.
        return_index: Also return the `int32` index of each value's first occurrence.
        return_inverse: Also return `int32` indices into the unique values that rebuild `x`.
        return_counts: Also return `int32` counts of each unique value.
        axis: Axis whose slices are compared as units (unique rows for `axis=0` of a
            matrix); `None` (default) uses the flattened `x`.
        size: When given, the output is truncated or padded to this length (static shape).
        fill_value: Padding value for the unique values when `size` is given (default 0);
            indices and counts are padded with 0.

    Returns:
        The unique values, or a tuple with the requested extra outputs in the order above.

    Examples:
        >>> keras.ops.unique(np.array([3, 1, 3, 2]))
        array([1, 2, 3])
        >>> keras.ops.unique(np.array([3, 1, 3, 2]), return_counts=True)
        (array([1, 2, 3]), array([1, 1, 2], dtype=int32))
        >>> keras.ops.unique(np.array([3, 1, 3]), size=4, fill_value=-1)
        array([ 1,  3, -1, -1])
    """
    if x.__class__ is _KT:
        return _symbolic("unique", (x, sorted, return_index, return_inverse, return_counts, axis,
                                    size, fill_value), {})
    return _impl_unique(x, sorted, return_index, return_inverse, return_counts, axis, size,
                        fill_value)


def dot(x1, x2):
    """Dot product of two tensors (NumPy `dot` semantics).

    Scalars multiply element-wise; 1-D by 1-D is the inner product; 2-D by 2-D the matrix
    product; N-D contracts the last axis of `x1` with the second-to-last axis of `x2` (the
    only axis of a 1-D `x2`).

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        The product, with the promoted dtype of `x1` and `x2`.

    Examples:
        >>> keras.ops.dot(np.array([1, 2]), np.array([3, 4]))
        array(11)
        >>> keras.ops.dot(np.array([[1, 2], [3, 4]]), np.array([1, 1]))
        array([3, 7])
    """
    if x1.__class__ is _fast_dot_type and x2.__class__ is _fast_dot_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_dot_dtypes:
            try:
                return _fast_dot(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("dot", (x1, x2), {})
    return _impl_dot(x1, x2)


def inner(x1, x2):
    """Inner product of two tensors over their last axes.

    For 1-D tensors the ordinary inner product; in general
    `inner(x1, x2)[i, j] = sum(x1[i, :] * x2[j, :])` over all leading index tuples.

    Args:
        x1: First tensor.
        x2: Second tensor, with the same size of last axis as `x1`.

    Returns:
        A tensor of shape `x1.shape[:-1] + x2.shape[:-1]` with the promoted dtype.

    Examples:
        >>> keras.ops.inner(np.array([1, 2, 3]), np.array([0, 1, 0]))
        array(2)
        >>> keras.ops.inner(np.array([[1, 2], [3, 4]]), np.array([1, 1]))
        array([3, 7])
    """
    if x1.__class__ is _fast_inner_type and x2.__class__ is _fast_inner_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_inner_dtypes:
            try:
                return _fast_inner(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("inner", (x1, x2), {})
    return _impl_inner(x1, x2)


def outer(x1, x2):
    """Outer product of the flattened `x1` and `x2`.

    Args:
        x1: First tensor, flattened to length `M`.
        x2: Second tensor, flattened to length `N`.

    Returns:
        The `(M, N)` tensor `x1[i] * x2[j]`, with the promoted dtype.

    Examples:
        >>> keras.ops.outer(np.array([1, 2]), np.array([1, 10]))
        array([[ 1, 10],
               [ 2, 20]])
    """
    if x1.__class__ is _fast_outer_type and x2.__class__ is _fast_outer_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_outer_dtypes:
            try:
                return _fast_outer(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("outer", (x1, x2), {})
    return _impl_outer(x1, x2)


def vdot(x1, x2):
    """Dot product of the flattened inputs, the first one complex-conjugated.

    Args:
        x1: First tensor (conjugated when complex).
        x2: Second tensor, with as many elements as `x1`.

    Returns:
        A scalar tensor, `sum(conj(x1) * x2)` over the flattened inputs, with the promoted
        dtype.

    Examples:
        >>> keras.ops.vdot(np.array([[1, 2], [3, 4]]), np.array([[1, 1], [1, 1]]))
        array(10)
    """
    if x1.__class__ is _fast_vdot_type and x2.__class__ is _fast_vdot_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_vdot_dtypes:
            try:
                return _fast_vdot(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("vdot", (x1, x2), {})
    return _impl_vdot(x1, x2)


def tensordot(x1, x2, axes=2):
    """Tensor dot product: sums the products of `x1` and `x2` over the given axes.

    Args:
        x1: First tensor.
        x2: Second tensor.
        axes: An int `N`: sum over the last `N` axes of `x1` and the first `N` axes of `x2`
            (default 2); or a pair `(axes_1, axes_2)` of axis lists of the same length, summed
            pairwise.

    Returns:
        A tensor whose shape is the non-summed axes of `x1` followed by those of `x2`, with
        the promoted dtype.

    Examples:
        >>> keras.ops.tensordot(np.ones((2, 3)), np.ones((3, 4)), axes=1).shape
        (2, 4)
        >>> keras.ops.tensordot(np.array([[1, 2], [3, 4]]), np.array([[1, 0], [0, 1]]))
        array(5)
    """
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("tensordot", (x1, x2, axes), {})
    return _impl_tensordot(x1, x2, axes)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over `operands` as described by `subscripts`.

    Each operand gets one letter per axis; letters repeated across operands are multiplied
    together, and letters missing from the output (after `->`) are summed over. Without `->`,
    the output holds the letters that appear once, in alphabetical order.

    Args:
        subscripts: The summation, e.g. `"ij,jk->ik"` (matrix product) or `"ii"` (trace).
        *operands: The tensors, one per comma-separated group of `subscripts`.
        **kwargs: Passed on to the einsum of the NumPy and JAX backends (e.g. NumPy's
            `optimize`); the other backends ignore them.

    Returns:
        The result tensor with the promoted dtype of the operands (`int8` operands give
        `int32`).

    Examples:
        >>> keras.ops.einsum('ij,j->i', np.array([[1, 2], [3, 4]]), np.array([1, 1]))
        array([3, 7])
        >>> keras.ops.einsum('i,j->ij', np.array([1, 2]), np.array([3, 4]))
        array([[3, 4],
               [6, 8]])
    """
    if _any_kt(operands):
        return _symbolic("einsum", (subscripts, *operands), {**kwargs})
    return _impl_einsum(subscripts, *operands, **kwargs)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of vectors of 2 or 3 components.

    The vectors lie along `axisa` of `x1` and `axisb` of `x2`; the other axes broadcast. Two
    2-vectors give the scalar z component of their product.

    Args:
        x1: First tensor of vectors.
        x2: Second tensor of vectors.
        axisa: The axis of `x1` holding the vectors. Defaults to `-1`.
        axisb: The axis of `x2` holding the vectors. Defaults to `-1`.
        axisc: The axis of the result holding the product vectors (ignored when both are
            2-vectors). Defaults to `-1`.
        axis: When given, overrides `axisa`, `axisb` and `axisc`. Defaults to `None`.

    Returns:
        The cross products, with the promoted dtype of `x1` and `x2`.

    Examples:
        >>> keras.ops.cross(np.array([1, 0, 0]), np.array([0, 1, 0]))
        array([0, 0, 1])
        >>> keras.ops.cross(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
        array(-2.)
    """
    _check_cross(x1, x2, axisa, axisb, axisc, axis)
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("cross", (x1, x2, axisa, axisb, axisc, axis), {})
    return _impl_cross(x1, x2, axisa, axisb, axisc, axis)


def kron(x1, x2):
    """Kronecker product of `x1` and `x2`.

    The result is a block tensor: block `i` is `x1[i] * x2`, for every index `i` of `x1`.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        A tensor whose shape is the element-wise product of the shapes (the shorter one
        padded with leading ones), with the promoted dtype.

    Examples:
        >>> keras.ops.kron(np.array([1, 2]), np.array([1, 10]))
        array([ 1, 10,  2, 20])
        >>> keras.ops.kron(np.array([[1, 2], [3, 4]]), np.array([[1, 1]]))
        array([[1, 1, 2, 2],
               [3, 3, 4, 4]])
    """
    if x1.__class__ is _fast_kron_type and x2.__class__ is _fast_kron_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_kron_dtypes:
            try:
                return _fast_kron(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("kron", (x1, x2), {})
    return _impl_kron(x1, x2)


def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D tensors.

    Output element `k` is `sum_n x1[n + k] * conj(x2[n])` over the overlapping positions.

    Args:
        x1: First 1-D tensor.
        x2: Second 1-D tensor.
        mode: `"valid"` (default: only full overlaps, `max(M, N) - min(M, N) + 1` values),
            `"same"` (`max(M, N)` values, centred) or `"full"` (every partial overlap,
            `M + N - 1` values), for inputs of lengths `M` and `N`.

    Returns:
        A 1-D tensor. Its dtype is `float64` when the promoted dtype of the inputs is `int64`
        or `float64`, `float16` / `bfloat16` when it is one of those, else `float32`.

    Examples:
        >>> keras.ops.correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]))
        array([3.5])
        >>> keras.ops.correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]), mode="full")
        array([0.5, 2. , 3.5, 3. , 0. ])
    """
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("correlate", (x1, x2, mode), {})
    return _impl_correlate(x1, x2, mode)


def corrcoef(x):
    """Pearson correlation coefficients of the rows of `x`.

    Each row is a variable and each column an observation; entry `(i, j)` of the result is
    `cov(x[i], x[j]) / sqrt(var(x[i]) * var(x[j]))`.

    Args:
        x: A 1-D or 2-D tensor: the variables (rows) and their observations (columns).

    Returns:
        A square tensor with one row and column per variable (a scalar for a 1-D `x`). The
        dtype is `float64` for `int64` input, else `result_type(x.dtype, float)`.

    Examples:
        >>> keras.ops.corrcoef(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))
        array([[ 1., -1.],
               [-1.,  1.]])
    """
    if x.__class__ is _KT:
        return _symbolic("corrcoef", (x,), {})
    return _impl_corrcoef(x)


def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference of `a` along `axis`.

    The first difference is `a[1:] - a[:-1]` along `axis` (`!=` for booleans); higher ones
    repeat it `n` times.

    Args:
        a: Input tensor.
        n: The number of times the difference is taken. Defaults to `1`.
        axis: The axis along which it is taken. Defaults to `-1`.

    Returns:
        A tensor of the dtype of `a`, `n` shorter along `axis`.

    Examples:
        >>> keras.ops.diff(np.array([1, 4, 9, 16]))
        array([3, 5, 7])
        >>> keras.ops.diff(np.array([1, 4, 9, 16]), n=2)
        array([2, 2])
    """
    if a.__class__ is _KT:
        return _symbolic("diff", (a, n, axis), {})
    return _impl_diff(a, n, axis)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along `axis` by the trapezoidal rule.

    Args:
        y: Values to integrate.
        x: Sample points of `y` along `axis`; `None` (default) uses evenly spaced points
            `dx` apart.
        dx: Spacing between the sample points when `x` is `None`. Defaults to 1.0.
        axis: Axis to integrate along. Defaults to -1.

    Returns:
        The integral, of the shape of `y` without `axis`; dtype `result_type(y.dtype, float)`.

    Examples:
        >>> keras.ops.trapezoid(np.array([1.0, 2.0, 3.0], 'float32'))
        array(4., dtype=float32)
        >>> y = np.array([1.0, 2.0, 3.0], 'float32')
        >>> keras.ops.trapezoid(y, x=np.array([0.0, 1.0, 3.0], 'float32'))
        array(6.5, dtype=float32)
    """
    if y.__class__ is _KT or x.__class__ is _KT:
        return _symbolic("trapezoid", (y, x, dx, axis), {})
    return _impl_trapezoid(y, x, dx, axis)


def vander(x, N=None, increasing=False):
    """Vandermonde matrix of a 1-D tensor: its columns are powers of `x`.

    Args:
        x: 1-D input tensor.
        N: Number of columns; `None` (default) gives `len(x)`.
        increasing: If `False` (default) the powers decrease from left to right (the last
            column is `x ** 0`); if `True` they increase.

    Returns:
        A `(len(x), N)` tensor with the dtype of `x`.

    Examples:
        >>> keras.ops.vander(np.array([1, 2, 3]))
        array([[1, 1, 1],
               [4, 2, 1],
               [9, 3, 1]])
        >>> keras.ops.vander(np.array([1, 2, 3]), N=2, increasing=True)
        array([[1, 1],
               [1, 2],
               [1, 3]])
    """
    _check_vander(x, N, increasing)
    if x.__class__ is _KT:
        return _symbolic("vander", (x, N, increasing), {})
    return _impl_vander(x, N, increasing)


def bartlett(x):
    """The Bartlett (triangular) window.

    Element `n` of the window of `M` points is `1 - |2n / (M - 1) - 1|`.

    Args:
        x: An int: the number of points `M` of the window.

    Returns:
        A 1-D tensor of `x` values with dtype `floatx()`.

    Examples:
        >>> keras.ops.bartlett(5)
        array([0. , 0.5, 1. , 0.5, 0. ], dtype=float32)
    """
    return _impl_bartlett(x)


def blackman(x):
    """The Blackman window.

    Element `n` of the window of `M` points is
    `0.42 - 0.5 * cos(2 * pi * n / (M - 1)) + 0.08 * cos(4 * pi * n / (M - 1))`.

    Args:
        x: An int: the number of points `M` of the window.

    Returns:
        A 1-D tensor of `x` values with dtype `floatx()`.

    Examples:
        >>> keras.ops.blackman(5)[1:4]
        array([0.34, 1.  , 0.34], dtype=float32)
    """
    return _impl_blackman(x)


def hamming(x):
    """The Hamming window.

    Element `n` of the window of `M` points is `0.54 - 0.46 * cos(2 * pi * n / (M - 1))`.

    Args:
        x: An int: the number of points `M` of the window.

    Returns:
        A 1-D tensor of `x` values with dtype `floatx()`.

    Examples:
        >>> keras.ops.hamming(5)
        array([0.08, 0.54, 1.  , 0.54, 0.08], dtype=float32)
    """
    return _impl_hamming(x)


def hanning(x):
    """The Hann window.

    Element `n` of the window of `M` points is `0.5 - 0.5 * cos(2 * pi * n / (M - 1))`.

    Args:
        x: An int: the number of points `M` of the window.

    Returns:
        A 1-D tensor of `x` values with dtype `floatx()`.

    Examples:
        >>> keras.ops.hanning(5)
        array([0. , 0.5, 1. , 0.5, 0. ], dtype=float32)
    """
    return _impl_hanning(x)


def kaiser(x, beta):
    """The Kaiser window.

    Element `n` of the window of `M` points is
    `i0(beta * sqrt(1 - (2 * n / (M - 1) - 1) ** 2)) / i0(beta)`, with `i0` the modified
    Bessel function of order 0.

    Args:
        x: An int: the number of points `M` of the window.
        beta: The shape parameter: `0` gives a rectangular window, larger values a narrower
            one.

    Returns:
        A 1-D tensor of `x` values with dtype `floatx()`.

    Examples:
        >>> keras.ops.kaiser(3, 5.0)
        array([0.03671089, 1.        , 0.03671089], dtype=float32)
    """
    return _impl_kaiser(x, beta)


def abs(x):
    """Absolute value element-wise. Alias of `absolute`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x` holding `|x|`.

    Examples:
        >>> keras.ops.abs(np.array([-1.5, 0.0, 2.0]))
        array([1.5, 0. , 2. ])
    """
    if x.__class__ is _KT:
        return _symbolic("abs", (x,), {})
    return _impl_abs(x)


def absolute(x):
    """Absolute value element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x` holding `|x|`.

    Examples:
        >>> keras.ops.absolute(np.array([-2, 3], 'int8'))
        array([2, 3], dtype=int8)
    """
    if x.__class__ is _KT:
        return _symbolic("absolute", (x,), {})
    return _impl_absolute(x)


def negative(x):
    """Numerical negative element-wise (`-x`).

    Args:
        x: Input tensor.

    Returns:
        `-x`, with the shape and dtype of `x`.

    Examples:
        >>> keras.ops.negative(np.array([1, -2, 0]))
        array([-1,  2,  0])
    """
    if x.__class__ is _KT:
        return _symbolic("negative", (x,), {})
    return _impl_negative(x)


def sign(x):
    """Sign of `x` element-wise: -1, 0 or 1 (`x / |x|` for complex).

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> keras.ops.sign(np.array([-2.0, 0.0, 3.0], 'float32'))
        array([-1.,  0.,  1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sign", (x,), {})
    return _impl_sign(x)


def signbit(x):
    """Whether the sign bit is set element-wise (`True` for negative values and -0.0).

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.signbit(np.array([-2.0, -0.0, 0.0, 3.0], 'float32'))
        array([ True,  True, False, False])
    """
    if x.__class__ is _KT:
        return _symbolic("signbit", (x,), {})
    return _impl_signbit(x)


def square(x):
    """`x * x` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x`, except `bool` gives `int32`.

    Examples:
        >>> keras.ops.square(np.array([-2, 3]))
        array([4, 9])
    """
    if x.__class__ is _KT:
        return _symbolic("square", (x,), {})
    return _impl_square(x)


def sqrt(x):
    """Non-negative square root element-wise.

    Args:
        x: Input tensor.

    Returns:
        `sqrt(x)`, a float tensor of the shape of `x` (integers give `floatx()`).

    Examples:
        >>> keras.ops.sqrt(np.array([4.0, 9.0], 'float32'))
        array([2., 3.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sqrt", (x,), {})
    return _impl_sqrt(x)


def cbrt(x):
    """Cube root element-wise (negative inputs give negative roots).

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; `int64` gives
        `float64`, other integers and bools `floatx()`.

    Examples:
        >>> keras.ops.cbrt(np.array([8.0, -27.0]))
        array([ 2., -3.])
    """
    if x.__class__ is _KT:
        return _symbolic("cbrt", (x,), {})
    return _impl_cbrt(x)


def reciprocal(x):
    """`1 / x` element-wise.

    Args:
        x: Input tensor.

    Returns:
        `1 / x`, a float tensor of the shape of `x` (integers give `floatx()`).

    Examples:
        >>> keras.ops.reciprocal(np.array([2.0, 4.0], 'float32'))
        array([0.5 , 0.25], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("reciprocal", (x,), {})
    return _impl_reciprocal(x)


def exp(x):
    """The exponential `e ** x` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.exp(np.array([0.0, 1.0], 'float32'))
        array([1.      , 2.718282], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("exp", (x,), {})
    return _impl_exp(x)


def exp2(x):
    """`2 ** x` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.exp2(np.array([0.0, 3.0], 'float32'))
        array([1., 8.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("exp2", (x,), {})
    return _impl_exp2(x)


def expm1(x):
    """`exp(x) - 1` element-wise, accurate for small `x`.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.expm1(np.array([0.0, 1e-10]))
        array([0.e+00, 1.e-10])
    """
    if x.__class__ is _KT:
        return _symbolic("expm1", (x,), {})
    return _impl_expm1(x)


def log(x):
    """Natural logarithm element-wise.

    Args:
        x: Input tensor (negative values give NaN, 0 gives `-inf`).

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.log(np.array([1.0, np.e], 'float32'))
        array([0., 1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("log", (x,), {})
    return _impl_log(x)


def log10(x):
    """Base-10 logarithm element-wise.

    Args:
        x: Input tensor (negative values give NaN, 0 gives `-inf`).

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.log10(np.array([1.0, 10.0, 1000.0]))
        array([0., 1., 3.])
    """
    if x.__class__ is _KT:
        return _symbolic("log10", (x,), {})
    return _impl_log10(x)


def log1p(x):
    """`log(1 + x)` element-wise, accurate for small `x`.

    Args:
        x: Input tensor (values below -1 give NaN, -1 gives `-inf`).

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.log1p(np.array([0.0, 1e-10]))
        array([0.e+00, 1.e-10])
    """
    if x.__class__ is _KT:
        return _symbolic("log1p", (x,), {})
    return _impl_log1p(x)


def log2(x):
    """Base-2 logarithm element-wise.

    Args:
        x: Input tensor (negative values give NaN, 0 gives `-inf`).

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.log2(np.array([1.0, 8.0], 'float32'))
        array([0., 3.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("log2", (x,), {})
    return _impl_log2(x)


def logaddexp(x1, x2):
    """`log(exp(x1) + exp(x2))` element-wise, computed without overflow.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with dtype `result_type(x1, x2, float)`.

    Examples:
        >>> keras.ops.logaddexp(np.array([0.0, 1000.0]), np.array([0.0, 1000.0]))
        array([6.93147181e-01, 1.00069315e+03])
    """
    if x1.__class__ is _fast_logaddexp_type and x2.__class__ is _fast_logaddexp_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_logaddexp_dtypes:
            try:
                return _fast_logaddexp(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("logaddexp", (x1, x2), {})
    return _impl_logaddexp(x1, x2)


def logaddexp2(x1, x2):
    """`log2(2 ** x1 + 2 ** x2)` element-wise, computed without overflow.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with dtype `result_type(x1, x2, float)`.

    Examples:
        >>> keras.ops.logaddexp2(np.array([1.0, 3.0], 'float32'), np.array([1.0, 3.0], 'float32'))
        array([2., 4.], dtype=float32)
    """
    if x1.__class__ is _fast_logaddexp2_type and x2.__class__ is _fast_logaddexp2_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_logaddexp2_dtypes:
            try:
                return _fast_logaddexp2(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("logaddexp2", (x1, x2), {})
    return _impl_logaddexp2(x1, x2)


def sin(x):
    """Sine element-wise.

    Args:
        x: Angles in radians.

    Returns:
        `sin(x)`, a float tensor of the shape of `x`.

    Examples:
        >>> keras.ops.sin(np.array([0.0, np.pi / 2], 'float32'))
        array([0., 1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sin", (x,), {})
    return _impl_sin(x)


def cos(x):
    """Cosine element-wise.

    Args:
        x: Input tensor of angles in radians.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.cos(np.array([0.0, np.pi], 'float32'))
        array([ 1., -1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("cos", (x,), {})
    return _impl_cos(x)


def tan(x):
    """Tangent element-wise.

    Args:
        x: Angles in radians.

    Returns:
        `tan(x)`, a float tensor of the shape of `x`.

    Examples:
        >>> keras.ops.tan(np.array([0.0, np.pi / 4], 'float32'))
        array([0., 1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("tan", (x,), {})
    return _impl_tan(x)


def arcsin(x):
    """Inverse sine element-wise.

    Args:
        x: Input tensor, with values in `[-1, 1]` (others give NaN).

    Returns:
        A float tensor of angles in radians in `[-pi/2, pi/2]`, of the shape of `x`. Float
        inputs keep their dtype; integers and bools give `floatx()`.

    Examples:
        >>> keras.ops.arcsin(np.array([0.0, 1.0], 'float32'))
        array([0.       , 1.5707964], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("arcsin", (x,), {})
    return _impl_arcsin(x)


def arccos(x):
    """Inverse cosine element-wise.

    Args:
        x: Input tensor, with values in `[-1, 1]` (others give NaN).

    Returns:
        A float tensor of angles in radians in `[0, pi]`, of the shape of `x`. Float inputs
        keep their dtype; integers and bools give `floatx()`.

    Examples:
        >>> keras.ops.arccos(np.array([1.0, 0.0, -1.0], 'float32'))
        array([0.       , 1.5707964, 3.1415927], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("arccos", (x,), {})
    return _impl_arccos(x)


def arctan(x):
    """Inverse tangent element-wise.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of angles in radians in `(-pi/2, pi/2)`, of the shape of `x`. Float
        inputs keep their dtype; integers and bools give `floatx()`.

    Examples:
        >>> keras.ops.arctan(np.array([0.0, 1.0], 'float32'))
        array([0.       , 0.7853982], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("arctan", (x,), {})
    return _impl_arctan(x)


def arctan2(x1, x2):
    """Element-wise angle of the point `(x2, x1)`, choosing the quadrant from both signs.

    Args:
        x1: The y-coordinates.
        x2: The x-coordinates, broadcastable with `x1`.

    Returns:
        Angles in radians in `[-pi, pi]`, of the broadcast shape, with dtype
        `result_type(x1, x2, float)`.

    Examples:
        >>> keras.ops.arctan2(np.array([1.0, 0.0], 'float32'), np.array([0.0, -1.0], 'float32'))
        array([1.5707964, 3.1415927], dtype=float32)
    """
    if x1.__class__ is _fast_arctan2_type and x2.__class__ is _fast_arctan2_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_arctan2_dtypes:
            try:
                return _fast_arctan2(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("arctan2", (x1, x2), {})
    return _impl_arctan2(x1, x2)


def sinh(x):
    """Hyperbolic sine element-wise.

    Args:
        x: Input tensor.

    Returns:
        `sinh(x)`, a float tensor of the shape of `x`.

    Examples:
        >>> keras.ops.sinh(np.array([0.0, 1.0], 'float32'))
        array([0.       , 1.1752012], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sinh", (x,), {})
    return _impl_sinh(x)


def cosh(x):
    """Hyperbolic cosine element-wise.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.cosh(np.array([0.0, 1.0], 'float32'))
        array([1.       , 1.5430807], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("cosh", (x,), {})
    return _impl_cosh(x)


def tanh(x):
    """Hyperbolic tangent element-wise.

    Args:
        x: Input tensor.

    Returns:
        `tanh(x)`, a float tensor of the shape of `x`, with values in `[-1, 1]`.

    Examples:
        >>> keras.ops.tanh(np.array([0.0, 1.0], 'float32'))
        array([0.       , 0.7615942], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("tanh", (x,), {})
    return _impl_tanh(x)


def arcsinh(x):
    """Inverse hyperbolic sine element-wise.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.arcsinh(np.array([0.0, 1.0], 'float32'))
        array([0.       , 0.8813736], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("arcsinh", (x,), {})
    return _impl_arcsinh(x)


def arccosh(x):
    """Inverse hyperbolic cosine element-wise.

    Args:
        x: Input tensor, with values `>= 1` (others give NaN).

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.arccosh(np.array([1.0, 2.0], 'float32'))
        array([0.      , 1.316958], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("arccosh", (x,), {})
    return _impl_arccosh(x)


def arctanh(x):
    """Inverse hyperbolic tangent element-wise.

    Args:
        x: Input tensor, with values in `[-1, 1]` (`-1` and `1` give infinities, values
            outside NaN).

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.arctanh(np.array([0.0, 0.5], 'float32'))
        array([0.        , 0.54930615], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("arctanh", (x,), {})
    return _impl_arctanh(x)


def deg2rad(x):
    """Converts angles from degrees to radians element-wise (`x * pi / 180`).

    Args:
        x: Input tensor of angles in degrees.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; `int64` gives
        `float64`, other integers and bools `floatx()`.

    Examples:
        >>> keras.ops.deg2rad(np.array([180.0, 90.0], 'float32'))
        array([3.1415927, 1.5707964], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("deg2rad", (x,), {})
    return _impl_deg2rad(x)


def rad2deg(x):
    """Converts angles from radians to degrees element-wise.

    Args:
        x: Angles in radians.

    Returns:
        `x * 180 / pi`, a float tensor (`int64` gives `float64`).

    Examples:
        >>> keras.ops.rad2deg(np.array([np.pi, np.pi / 2], 'float32'))
        array([180.,  90.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("rad2deg", (x,), {})
    return _impl_rad2deg(x)


def hypot(x1, x2):
    """`sqrt(x1 ** 2 + x2 ** 2)` element-wise, with broadcasting.

    Args:
        x1: First tensor (a leg of the right triangle).
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype; integer and bool results
        become `floatx()` (`int64` gives `float64`).

    Examples:
        >>> keras.ops.hypot(np.array([3.0, 5.0], 'float32'), np.array([4.0, 12.0], 'float32'))
        array([ 5., 13.], dtype=float32)
    """
    if x1.__class__ is _fast_hypot_type and x2.__class__ is _fast_hypot_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_hypot_dtypes:
            try:
                return _fast_hypot(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("hypot", (x1, x2), {})
    return _impl_hypot(x1, x2)


def floor(x):
    """Largest integer `<= x` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x` (NumPy's rule, also for integer inputs): float
        inputs keep their dtype, integers and bools give `floatx()`.

    Examples:
        >>> keras.ops.floor(np.array([-1.5, 1.2], 'float32'))
        array([-2.,  1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("floor", (x,), {})
    return _impl_floor(x)


def ceil(x):
    """Smallest integer `>= x` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x` (NumPy's rule, also for integer inputs): float
        inputs keep their dtype, integers and bools give `floatx()`.

    Examples:
        >>> keras.ops.ceil(np.array([-1.5, 1.2], 'float32'))
        array([-1.,  2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("ceil", (x,), {})
    return _impl_ceil(x)


def round(x, decimals=0):
    """Rounds half to even to `decimals` decimal places element-wise.

    Args:
        x: Input tensor.
        decimals: Number of decimal places; negative values round to the left of the decimal
            point. Defaults to 0.

    Returns:
        The rounded tensor, with the dtype of `x`.

    Examples:
        >>> keras.ops.round(np.array([0.5, 1.5, 2.25], 'float32'), decimals=0)  # halves to even
        array([0., 2., 2.], dtype=float32)
        >>> keras.ops.round(np.array([1234, 1250]), decimals=-2)
        array([1200, 1200])
    """
    if x.__class__ is _KT:
        return _symbolic("round", (x, decimals), {})
    return _impl_round(x, decimals)


def trunc(x):
    """Rounds towards zero element-wise.

    Args:
        x: Input tensor.

    Returns:
        The integer parts of `x`, with the shape and dtype of `x` (ints and bools unchanged).

    Examples:
        >>> keras.ops.trunc(np.array([-1.7, 1.7, 2.0], 'float32'))
        array([-1.,  1.,  2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("trunc", (x,), {})
    return _impl_trunc(x)


def clip(x, x_min, x_max):
    """Limits the values of `x` to `[x_min, x_max]`.

    Args:
        x: Input tensor.
        x_min: Lower bound (scalar or broadcastable array).
        x_max: Upper bound (scalar or broadcastable array).

    Returns:
        The dtype of `x` (`bool` gives `int32`).

    Examples:
        >>> keras.ops.clip(np.array([-2.0, 0.5, 3.0], 'float32'), 0.0, 1.0)
        array([0. , 0.5, 1. ], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("clip", (x, x_min, x_max), {})
    return _impl_clip(x, x_min, x_max)


def maximum(x1, x2):
    """Element-wise maximum with broadcasting (NaN propagates).

    Args:
        x1: First tensor.
        x2: Second tensor; broadcast against `x1`.

    Returns:
        The larger of `x1` and `x2` at each position (NaN where either is NaN), of the
        broadcast shape and the promoted dtype.

    Examples:
        >>> keras.ops.maximum(np.array([1, 5]), np.array([3, 2]))
        array([3, 5])
    """
    if x1.__class__ is _fast_maximum_type and x2.__class__ is _fast_maximum_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_maximum_dtypes:
            try:
                return _fast_maximum(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("maximum", (x1, x2), {})
    return _impl_maximum(x1, x2)


def minimum(x1, x2):
    """Element-wise minimum with broadcasting (NaN propagates).

    Args:
        x1: First tensor.
        x2: Second tensor; broadcast against `x1`.

    Returns:
        The smaller of `x1` and `x2` at each position (NaN where either is NaN), of the
        broadcast shape and the promoted dtype.

    Examples:
        >>> keras.ops.minimum(np.array([1, 5]), np.array([3, 2]))
        array([1, 2])
        >>> keras.ops.minimum(np.array([1.0, np.nan], 'float32'), np.array([0.0, 0.0], 'float32'))
        array([ 0., nan], dtype=float32)
    """
    if x1.__class__ is _fast_minimum_type and x2.__class__ is _fast_minimum_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_minimum_dtypes:
            try:
                return _fast_minimum(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("minimum", (x1, x2), {})
    return _impl_minimum(x1, x2)


def power(x1, x2):
    """`x1 ** x2` element-wise, with broadcasting.

    Args:
        x1: The bases.
        x2: The exponents; broadcast against `x1`.

    Returns:
        `x1 ** x2`, of the broadcast shape and the promoted dtype.

    Examples:
        >>> keras.ops.power(np.array([2, 3]), 2)
        array([4, 9])
        >>> keras.ops.power(np.array([4.0, 9.0], 'float32'), 0.5)
        array([2., 3.], dtype=float32)
    """
    if x1.__class__ is _fast_power_type and x2.__class__ is _fast_power_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_power_dtypes:
            try:
                return _fast_power(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("power", (x1, x2), {})
    return _impl_power(x1, x2)


def divide(x1, x2):
    """True division `x1 / x2` element-wise, with broadcasting.

    Args:
        x1: The dividend.
        x2: The divisor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with dtype `result_type(x1, x2, float)` (integer
        inputs give a float result).

    Examples:
        >>> keras.ops.divide(np.array([1, 3]), np.array([2, 4]))
        array([0.5 , 0.75], dtype=float32)
    """
    if x1.__class__ is _fast_divide_type and x2.__class__ is _fast_divide_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_divide_dtypes:
            try:
                return _fast_divide(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("divide", (x1, x2), {})
    return _impl_divide(x1, x2)


def true_divide(x1, x2):
    """Divides `x1` by `x2` element-wise, with broadcasting: alias of `divide`.

    Args:
        x1: Numerator tensor.
        x2: Denominator tensor; broadcast against `x1`.

    Returns:
        `x1 / x2`, a float tensor of the broadcast shape (integers give a float result).

    Examples:
        >>> keras.ops.true_divide(np.array([1.0, 3.0], 'float32'), np.array([2.0, 4.0], 'float32'))
        array([0.5 , 0.75], dtype=float32)
    """
    if x1.__class__ is _fast_true_divide_type and x2.__class__ is _fast_true_divide_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_true_divide_dtypes:
            try:
                return _fast_true_divide(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("true_divide", (x1, x2), {})
    return _impl_true_divide(x1, x2)


def floor_divide(x1, x2):
    """`floor(x1 / x2)` element-wise, with broadcasting (Python's `//`).

    Args:
        x1: The dividend.
        x2: The divisor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype of `x1` and `x2` (integer
        inputs give integers, rounded towards negative infinity).

    Examples:
        >>> keras.ops.floor_divide(np.array([7, -7]), 2)
        array([ 3, -4])
    """
    if x1.__class__ is _fast_floor_divide_type and x2.__class__ is _fast_floor_divide_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_floor_divide_dtypes:
            try:
                return _fast_floor_divide(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("floor_divide", (x1, x2), {})
    return _impl_floor_divide(x1, x2)


def divide_no_nan(x1, x2):
    """Safe division `x1 / x2` element-wise: 0 wherever `x2` is 0.

    Args:
        x1: The dividend.
        x2: The divisor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with dtype `result_type(x1, x2, float)`.

    Examples:
        >>> keras.ops.divide_no_nan(np.array([1.0, 1.0], 'float32'), np.array([0.0, 2.0], 'float32'))
        array([0. , 0.5], dtype=float32)
    """
    if x1.__class__ is _fast_divide_no_nan_type and x2.__class__ is _fast_divide_no_nan_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_divide_no_nan_dtypes:
            try:
                return _fast_divide_no_nan(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("divide_no_nan", (x1, x2), {})
    return _impl_divide_no_nan(x1, x2)


def mod(x1, x2):
    """Remainder of floor division element-wise, with broadcasting.

    The result has the sign of `x2` (as NumPy's `mod`, unlike C's `fmod`).

    Args:
        x1: Dividend tensor.
        x2: Divisor tensor; broadcast against `x1`.

    Returns:
        `x1 - floor(x1 / x2) * x2`, of the broadcast shape and the promoted dtype (`bool`
        gives `int32`).

    Examples:
        >>> keras.ops.mod(np.array([5, -5]), 3)
        array([2, 1])
        >>> keras.ops.mod(np.array([5.5, -5.5], 'float32'), 2.0)
        array([1.5, 0.5], dtype=float32)
    """
    if x1.__class__ is _fast_mod_type and x2.__class__ is _fast_mod_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_mod_dtypes:
            try:
                return _fast_mod(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("mod", (x1, x2), {})
    return _impl_mod(x1, x2)


def heaviside(x1, x2):
    """The Heaviside step function element-wise.

    0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`.

    Args:
        x1: Input tensor.
        x2: The value where `x1` is 0, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype; integer and bool results
        become `floatx()` (`int64` gives `float64`).

    Examples:
        >>> keras.ops.heaviside(np.array([-1.5, 0.0, 2.0]), 0.5)
        array([0. , 0.5, 1. ])
    """
    if x1.__class__ is _fast_heaviside_type and x2.__class__ is _fast_heaviside_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_heaviside_dtypes:
            try:
                return _fast_heaviside(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("heaviside", (x1, x2), {})
    return _impl_heaviside(x1, x2)


def gcd(x1, x2):
    """Greatest common divisor of `|x1|` and `|x2|` element-wise.

    Args:
        x1: First tensor of integers.
        x2: Second tensor of integers, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with the promoted integer dtype.

    Examples:
        >>> keras.ops.gcd(np.array([12, -18]), np.array([8, 12]))
        array([4, 6])
    """
    if x1.__class__ is _fast_gcd_type and x2.__class__ is _fast_gcd_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_gcd_dtypes:
            try:
                return _fast_gcd(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("gcd", (x1, x2), {})
    return _impl_gcd(x1, x2)


def lcm(x1, x2):
    """Least common multiple of `|x1|` and `|x2|` element-wise.

    Args:
        x1: First tensor of integers.
        x2: Second tensor of integers, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with the promoted integer dtype.

    Examples:
        >>> keras.ops.lcm(np.array([4, -6]), np.array([6, 4]))
        array([12, 12])
    """
    if x1.__class__ is _fast_lcm_type and x2.__class__ is _fast_lcm_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_lcm_dtypes:
            try:
                return _fast_lcm(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("lcm", (x1, x2), {})
    return _impl_lcm(x1, x2)


def equal(x1, x2):
    """`x1 == x2` element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A `bool` tensor of the broadcast shape (NaN is never equal to anything).

    Examples:
        >>> keras.ops.equal(np.array([1, 2]), np.array([1, 3]))
        array([ True, False])
    """
    if x1.__class__ is _fast_equal_type and x2.__class__ is _fast_equal_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_equal_dtypes:
            try:
                return _fast_equal(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("equal", (x1, x2), {})
    return _impl_equal(x1, x2)


def not_equal(x1, x2):
    """`x1 != x2` element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor; broadcast against `x1`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.not_equal(np.array([1, 2, 3]), np.array([1, 0, 3]))
        array([False,  True, False])
    """
    if x1.__class__ is _fast_not_equal_type and x2.__class__ is _fast_not_equal_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_not_equal_dtypes:
            try:
                return _fast_not_equal(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("not_equal", (x1, x2), {})
    return _impl_not_equal(x1, x2)


def greater(x1, x2):
    """`x1 > x2` element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.greater(np.array([1, 5]), 2)
        array([False,  True])
    """
    if x1.__class__ is _fast_greater_type and x2.__class__ is _fast_greater_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_greater_dtypes:
            try:
                return _fast_greater(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("greater", (x1, x2), {})
    return _impl_greater(x1, x2)


def greater_equal(x1, x2):
    """`x1 >= x2` element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.greater_equal(np.array([1, 2, 3]), 2)
        array([False,  True,  True])
    """
    if x1.__class__ is _fast_greater_equal_type and x2.__class__ is _fast_greater_equal_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_greater_equal_dtypes:
            try:
                return _fast_greater_equal(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("greater_equal", (x1, x2), {})
    return _impl_greater_equal(x1, x2)


def less(x1, x2):
    """`x1 < x2` element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.less(np.array([1, 2, 3]), 2)
        array([ True, False, False])
    """
    if x1.__class__ is _fast_less_type and x2.__class__ is _fast_less_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_less_dtypes:
            try:
                return _fast_less(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("less", (x1, x2), {})
    return _impl_less(x1, x2)


def less_equal(x1, x2):
    """`x1 <= x2` element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.less_equal(np.array([1, 2, 3]), 2)
        array([ True,  True, False])
    """
    if x1.__class__ is _fast_less_equal_type and x2.__class__ is _fast_less_equal_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_less_equal_dtypes:
            try:
                return _fast_less_equal(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("less_equal", (x1, x2), {})
    return _impl_less_equal(x1, x2)


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether `x1` and `x2` are equal element-wise within a tolerance.

    An element is close when `|x1 - x2| <= atol + rtol * |x2|`.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.
        rtol: Relative tolerance. Defaults to `1e-5`.
        atol: Absolute tolerance. Defaults to `1e-8`.
        equal_nan: If `True`, two NaNs count as close. Defaults to `False`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.isclose(np.array([1.0, 1.0, np.nan]), np.array([1.0 + 1e-9, 1.1, np.nan]))
        array([ True, False, False])
        >>> keras.ops.isclose(np.array([np.nan]), np.array([np.nan]), equal_nan=True)
        array([ True])
    """
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("isclose", (x1, x2, rtol, atol, equal_nan), {})
    return _impl_isclose(x1, x2, rtol, atol, equal_nan)


def isfinite(x):
    """Whether each element of `x` is finite (neither infinite nor NaN).

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.isfinite(np.array([1.0, np.inf, np.nan]))
        array([ True, False, False])
    """
    if x.__class__ is _KT:
        return _symbolic("isfinite", (x,), {})
    return _impl_isfinite(x)


def isinf(x):
    """Whether each element of `x` is positive or negative infinity.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.isinf(np.array([1.0, np.inf, -np.inf, np.nan]))
        array([False,  True,  True, False])
    """
    if x.__class__ is _KT:
        return _symbolic("isinf", (x,), {})
    return _impl_isinf(x)


def isnan(x):
    """Whether each element of `x` is NaN (not a number).

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.isnan(np.array([1.0, np.nan], 'float32'))
        array([False,  True])
    """
    if x.__class__ is _KT:
        return _symbolic("isnan", (x,), {})
    return _impl_isnan(x)


def isneginf(x):
    """Whether each element of `x` is negative infinity.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.isneginf(np.array([1.0, np.inf, -np.inf]))
        array([False, False,  True])
    """
    if x.__class__ is _KT:
        return _symbolic("isneginf", (x,), {})
    return _impl_isneginf(x)


def isposinf(x):
    """Whether each element of `x` is positive infinity.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.isposinf(np.array([1.0, np.inf, -np.inf]))
        array([False,  True, False])
    """
    if x.__class__ is _KT:
        return _symbolic("isposinf", (x,), {})
    return _impl_isposinf(x)


def isreal(x):
    """Whether each element of `x` is real (has a zero imaginary part).

    Elements of real (non-complex) tensors are all real.

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.isreal(np.array([1 + 0j, 1 + 2j]))
        array([ True, False])
    """
    if x.__class__ is _KT:
        return _symbolic("isreal", (x,), {})
    return _impl_isreal(x)


def logical_and(x1, x2):
    """Logical AND of `x1` and `x2` element-wise, with broadcasting.

    Non-zero values count as true.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.logical_and(np.array([True, True]), np.array([True, False]))
        array([ True, False])
    """
    if x1.__class__ is _fast_logical_and_type and x2.__class__ is _fast_logical_and_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_logical_and_dtypes:
            try:
                return _fast_logical_and(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("logical_and", (x1, x2), {})
    return _impl_logical_and(x1, x2)


def logical_or(x1, x2):
    """Logical OR of `x1` and `x2` element-wise, with broadcasting.

    Non-zero values count as true.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.logical_or(np.array([True, False, False]), np.array([False, False, True]))
        array([ True, False,  True])
    """
    if x1.__class__ is _fast_logical_or_type and x2.__class__ is _fast_logical_or_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_logical_or_dtypes:
            try:
                return _fast_logical_or(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("logical_or", (x1, x2), {})
    return _impl_logical_or(x1, x2)


def logical_xor(x1, x2):
    """Logical XOR of `x1` and `x2` element-wise, with broadcasting.

    Non-zero values count as true.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A `bool` tensor of the broadcast shape.

    Examples:
        >>> keras.ops.logical_xor(np.array([True, True, False]), np.array([True, False, False]))
        array([False,  True, False])
    """
    if x1.__class__ is _fast_logical_xor_type and x2.__class__ is _fast_logical_xor_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_logical_xor_dtypes:
            try:
                return _fast_logical_xor(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("logical_xor", (x1, x2), {})
    return _impl_logical_xor(x1, x2)


def logical_not(x):
    """Logical NOT of `x` element-wise (zero counts as false, so it gives `True`).

    Args:
        x: Input tensor.

    Returns:
        A `bool` tensor of the shape of `x`.

    Examples:
        >>> keras.ops.logical_not(np.array([0, 2]))
        array([ True, False])
    """
    if x.__class__ is _KT:
        return _symbolic("logical_not", (x,), {})
    return _impl_logical_not(x)


def bitwise_and(x, y):
    """Bitwise AND of two integer or bool tensors element-wise.

    Args:
        x: First tensor (integer or bool).
        y: Second tensor (integer or bool), broadcastable with `x`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype.

    Examples:
        >>> keras.ops.bitwise_and(np.array([12, 10]), np.array([10, 6]))
        array([8, 2])
    """
    if x.__class__ is _fast_bitwise_and_type and y.__class__ is _fast_bitwise_and_type:
        _dtype = x.dtype
        if _dtype is y.dtype and _dtype in _fast_bitwise_and_dtypes:
            try:
                return _fast_bitwise_and(x, y)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or y.__class__ is _KT:
        return _symbolic("bitwise_and", (x, y), {})
    return _impl_bitwise_and(x, y)


def bitwise_or(x, y):
    """Bitwise OR of two integer or bool tensors element-wise.

    Args:
        x: First tensor (integer or bool).
        y: Second tensor (integer or bool), broadcastable with `x`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype.

    Examples:
        >>> keras.ops.bitwise_or(np.array([12, 10]), np.array([10, 6]))
        array([14, 14])
    """
    if x.__class__ is _fast_bitwise_or_type and y.__class__ is _fast_bitwise_or_type:
        _dtype = x.dtype
        if _dtype is y.dtype and _dtype in _fast_bitwise_or_dtypes:
            try:
                return _fast_bitwise_or(x, y)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or y.__class__ is _KT:
        return _symbolic("bitwise_or", (x, y), {})
    return _impl_bitwise_or(x, y)


def bitwise_xor(x, y):
    """Bitwise XOR of two integer or bool tensors element-wise.

    Args:
        x: First tensor (integer or bool).
        y: Second tensor (integer or bool), broadcastable with `x`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype.

    Examples:
        >>> keras.ops.bitwise_xor(np.array([12, 10]), np.array([10, 6]))
        array([ 6, 12])
    """
    if x.__class__ is _fast_bitwise_xor_type and y.__class__ is _fast_bitwise_xor_type:
        _dtype = x.dtype
        if _dtype is y.dtype and _dtype in _fast_bitwise_xor_dtypes:
            try:
                return _fast_bitwise_xor(x, y)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or y.__class__ is _KT:
        return _symbolic("bitwise_xor", (x, y), {})
    return _impl_bitwise_xor(x, y)


def bitwise_invert(x):
    """Bitwise NOT element-wise: two's complement for integers, logical NOT for bools.

    Args:
        x: Input tensor (integer or bool).

    Returns:
        A tensor of the shape and dtype of `x` (`~x`, which is `-x - 1` for signed integers).

    Examples:
        >>> keras.ops.bitwise_invert(np.array([0, 5], 'int8'))
        array([-1, -6], dtype=int8)
    """
    if x.__class__ is _KT:
        return _symbolic("bitwise_invert", (x,), {})
    return _impl_bitwise_invert(x)


def bitwise_not(x):
    """Bitwise NOT element-wise. Alias of `bitwise_invert`.

    Args:
        x: Input tensor (integer or bool).

    Returns:
        A tensor of the shape and dtype of `x`: `~x`.

    Examples:
        >>> keras.ops.bitwise_not(np.array([True, False]))
        array([False,  True])
    """
    if x.__class__ is _KT:
        return _symbolic("bitwise_not", (x,), {})
    return _impl_bitwise_not(x)


def bitwise_left_shift(x, y):
    """Shifts the bits of the integers of `x` to the left by `y` element-wise.

    Equivalent to multiplying `x` by `2 ** y`.

    Args:
        x: Input tensor of integers.
        y: The number of bits to shift by (integers, broadcastable with `x`).

    Returns:
        A tensor of the broadcast shape with the promoted dtype (a Python int `y` keeps the
        dtype of `x`).

    Examples:
        >>> keras.ops.bitwise_left_shift(np.array([1, 3], 'int32'), 2)
        array([ 4, 12], dtype=int32)
    """
    if (
        x.__class__ is _fast_bitwise_left_shift_type
        and y.__class__ is _fast_bitwise_left_shift_type
    ):
        _dtype = x.dtype
        if _dtype is y.dtype and _dtype in _fast_bitwise_left_shift_dtypes:
            try:
                return _fast_bitwise_left_shift(x, y)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or y.__class__ is _KT:
        return _symbolic("bitwise_left_shift", (x, y), {})
    return _impl_bitwise_left_shift(x, y)


def left_shift(x, y):
    """Shifts the bits of the integers of `x` to the left by `y`. Alias of `bitwise_left_shift`.

    Args:
        x: Input tensor of integers.
        y: The number of bits to shift by (integers, broadcastable with `x`).

    Returns:
        A tensor of the broadcast shape with the promoted dtype (a Python int `y` keeps the
        dtype of `x`).

    Examples:
        >>> keras.ops.left_shift(np.array([1, 3], 'int32'), 2)
        array([ 4, 12], dtype=int32)
    """
    if x.__class__ is _fast_left_shift_type and y.__class__ is _fast_left_shift_type:
        _dtype = x.dtype
        if _dtype is y.dtype and _dtype in _fast_left_shift_dtypes:
            try:
                return _fast_left_shift(x, y)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or y.__class__ is _KT:
        return _symbolic("left_shift", (x, y), {})
    return _impl_left_shift(x, y)


def bitwise_right_shift(x, y):
    """Shifts the bits of the integers of `x` to the right by `y` element-wise.

    The shift is arithmetic: signed integers keep their sign (`x // 2 ** y`).

    Args:
        x: Input tensor of integers.
        y: The number of bits to shift by (integers, broadcastable with `x`).

    Returns:
        A tensor of the broadcast shape with the promoted dtype (a Python int `y` keeps the
        dtype of `x`).

    Examples:
        >>> keras.ops.bitwise_right_shift(np.array([8, -8], 'int32'), 2)
        array([ 2, -2], dtype=int32)
    """
    if (
        x.__class__ is _fast_bitwise_right_shift_type
        and y.__class__ is _fast_bitwise_right_shift_type
    ):
        _dtype = x.dtype
        if _dtype is y.dtype and _dtype in _fast_bitwise_right_shift_dtypes:
            try:
                return _fast_bitwise_right_shift(x, y)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or y.__class__ is _KT:
        return _symbolic("bitwise_right_shift", (x, y), {})
    return _impl_bitwise_right_shift(x, y)


def right_shift(x, y):
    """Shifts the bits of integers to the right element-wise: alias of `bitwise_right_shift`.

    Args:
        x: Integer input tensor.
        y: Number of bits to shift by (non-negative integers); broadcast against `x`.

    Returns:
        `x >> y` (an arithmetic shift: signed values keep their sign), with the promoted
        integer dtype.

    Examples:
        >>> keras.ops.right_shift(np.array([8, 5]), 1)
        array([4, 2])
        >>> keras.ops.right_shift(np.array([-8], 'int32'), 1)
        array([-4], dtype=int32)
    """
    if x.__class__ is _fast_right_shift_type and y.__class__ is _fast_right_shift_type:
        _dtype = x.dtype
        if _dtype is y.dtype and _dtype in _fast_right_shift_dtypes:
            try:
                return _fast_right_shift(x, y)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or y.__class__ is _KT:
        return _symbolic("right_shift", (x, y), {})
    return _impl_right_shift(x, y)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replaces NaN by `nan`, +inf by `posinf` and -inf by `neginf`.

    Args:
        x: Input tensor.
        nan: Value that replaces NaN. Defaults to `0.0`.
        posinf: Value that replaces positive infinity; `None` (default) uses the largest
            finite value of the dtype of `x`.
        neginf: Value that replaces negative infinity; `None` (default) uses the smallest
            (most negative) finite value of the dtype of `x`.

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> x = np.array([np.nan, np.inf, -np.inf, 1.0], 'float32')
        >>> keras.ops.nan_to_num(x, posinf=9.0, neginf=-9.0)
        array([ 0.,  9., -9.,  1.], dtype=float32)
        >>> keras.ops.nan_to_num(np.array([np.inf], 'float32'))
        array([3.4028235e+38], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nan_to_num", (x, nan, posinf, neginf), {})
    return _impl_nan_to_num(x, nan, posinf, neginf)


def real(x):
    """Real part of `x` element-wise.

    Args:
        x: Input tensor; a real tensor is returned as it is.

    Returns:
        The real part, of the shape of `x` and the matching real dtype (complex64 gives
        float32).

    Examples:
        >>> keras.ops.real(np.array([1 + 2j, 3 - 1j], 'complex64'))
        array([1., 3.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("real", (x,), {})
    return _impl_real(x)


def imag(x):
    """Imaginary part of each element of `x`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`: `complex64` gives `float32`, `complex128` gives
        `float64`; real tensors give zeros of their own dtype.

    Examples:
        >>> keras.ops.imag(np.array([1 + 2j, 3.0]))
        array([2., 0.])
    """
    if x.__class__ is _KT:
        return _symbolic("imag", (x,), {})
    return _impl_imag(x)


def conj(x):
    """Complex conjugate element-wise. Alias of `conjugate`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x` with the sign of each imaginary part flipped;
        real tensors are returned unchanged.

    Examples:
        >>> keras.ops.conj(np.array([1 + 2j, 3 - 1j]))
        array([1.-2.j, 3.+1.j])
    """
    if x.__class__ is _KT:
        return _symbolic("conj", (x,), {})
    return _impl_conj(x)


def conjugate(x):
    """Complex conjugate element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape and dtype of `x` with the sign of each imaginary part flipped;
        real tensors are returned unchanged.

    Examples:
        >>> keras.ops.conjugate(np.array([1 + 2j, 3 - 1j]))
        array([1.-2.j, 3.+1.j])
    """
    if x.__class__ is _KT:
        return _symbolic("conjugate", (x,), {})
    return _impl_conjugate(x)


def angle(x):
    """Counterclockwise angle of complex numbers from the positive real axis, in radians.

    Real inputs give 0 for non-negative values and pi for negative ones.

    Args:
        x: Input tensor (complex or real).

    Returns:
        A float tensor of the shape of `x` with values in `[-pi, pi]`: `complex64` gives
        `float32`, `complex128` `float64`, integers and bools `floatx()`.

    Examples:
        >>> keras.ops.angle(np.array([1.0, -1.0, 1j]))
        array([0.        , 3.14159265, 1.57079633])
    """
    if x.__class__ is _KT:
        return _symbolic("angle", (x,), {})
    return _impl_angle(x)


def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis` (int, tuple or `None` for all).

    Args:
        x: Input tensor.
        axis: Axis or axes to reduce.
        keepdims: Keep reduced axes with size 1.
        initial: Minimum value of the output (allows reducing empty tensors).

    Returns:
        The dtype of `x`.

    Examples:
        >>> keras.ops.max(np.array([[1, 5], [7, 2]]), axis=0)
        array([7, 5])
    """
    if x.__class__ is _KT:
        return _symbolic("max", (x, axis, keepdims, initial), {})
    return _impl_max(x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis`.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.
        initial: Maximum value of the output (allows reducing empty tensors); `None` (default)
            for none.

    Returns:
        The minimum, with the dtype of `x`.

    Examples:
        >>> keras.ops.min(np.array([[1, 5], [7, 2]]), axis=1)
        array([1, 2])
    """
    if x.__class__ is _KT:
        return _symbolic("min", (x, axis, keepdims, initial), {})
    return _impl_min(x, axis, keepdims, initial)


def amax(x, axis=None, keepdims=False):
    """Maximum of `x` over `axis`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce. `None` (default) reduces over all
            axes.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        A tensor of the dtype of `x` and the reduced shape.

    Examples:
        >>> keras.ops.amax(np.array([[1, 5], [3, 2]]), axis=0)
        array([3, 5])
    """
    if x.__class__ is _KT:
        return _symbolic("amax", (x, axis, keepdims), {})
    return _impl_amax(x, axis, keepdims)


def amin(x, axis=None, keepdims=False):
    """Minimum of `x` over `axis`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to reduce. `None` (default) reduces over all
            axes.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        A tensor of the dtype of `x` and the reduced shape.

    Examples:
        >>> keras.ops.amin(np.array([[1, 5], [3, 2]]), axis=1, keepdims=True)
        array([[1],
               [2]])
    """
    if x.__class__ is _KT:
        return _symbolic("amin", (x, axis, keepdims), {})
    return _impl_amin(x, axis, keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product of elements over `axis`.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.
        dtype: Dtype of the result. `None` (default): bools and integers narrower than 32 bits
            multiply in `int32` (`uint8/16` in `uint32`), others keep their dtype.

    Returns:
        The product.

    Examples:
        >>> keras.ops.prod(np.array([1, 2, 3, 4]))
        array(24)
        >>> keras.ops.prod(np.array([[1, 2], [3, 4]], 'int8'), axis=1)
        array([ 2, 12], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("prod", (x, axis, keepdims, dtype), {})
    return _impl_prod(x, axis, keepdims, dtype)


def std(x, axis=None, keepdims=False):
    """Population standard deviation over `axis` (divisor `N`).

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The standard deviation, a float tensor (integers give `floatx()`).

    Examples:
        >>> keras.ops.std(np.array([1.0, 3.0], 'float32'))
        array(1., dtype=float32)
        >>> keras.ops.std(np.array([[1, 3], [2, 2]]), axis=1)
        array([1., 0.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("std", (x, axis, keepdims), {})
    return _impl_std(x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    """Population variance over `axis` (divisor `N`).

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The variance, a float tensor (integers give `floatx()`).

    Examples:
        >>> keras.ops.var(np.array([1.0, 3.0], 'float32'))
        array(1., dtype=float32)
        >>> keras.ops.var(np.array([[1, 3], [2, 2]]), axis=1)
        array([1., 0.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("var", (x, axis, keepdims), {})
    return _impl_var(x, axis, keepdims)


def all(x, axis=None, keepdims=False):
    """Whether all elements over `axis` are true (non-zero).

    Args:
        x: Input tensor (any dtype; non-zero counts as true).
        axis: An int or a tuple of ints: the axes reduced by logical AND. `None` (default)
            reduces over all axes. Negative values count from the last axis.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        A `bool` tensor: the reduced shape of `x`.

    Examples:
        >>> keras.ops.all(np.array([[True, False], [True, True]]), axis=1)
        array([False,  True])
    """
    if x.__class__ is _KT:
        return _symbolic("all", (x, axis, keepdims), {})
    return _impl_all(x, axis, keepdims)


def any(x, axis=None, keepdims=False):
    """Whether any element over `axis` is true (non-zero).

    Args:
        x: Input tensor (any dtype; non-zero counts as true).
        axis: An int or a tuple of ints: the axes reduced by logical OR. `None` (default)
            reduces over all axes. Negative values count from the last axis.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        A `bool` tensor: the reduced shape of `x`.

    Examples:
        >>> keras.ops.any(np.array([[True, False], [False, False]]), axis=1)
        array([ True, False])
    """
    if x.__class__ is _KT:
        return _symbolic("any", (x, axis, keepdims), {})
    return _impl_any(x, axis, keepdims)


def argmax(x, axis=None, keepdims=False):
    """Index of the (first) maximum of `x` along `axis`.

    Args:
        x: Input tensor.
        axis: The axis to search along. `None` (default) searches the flattened tensor.
        keepdims: If `True`, the reduced axis is kept with size 1. Defaults to `False`.

    Returns:
        An `int32` tensor of indices: the shape of `x` without `axis` (a scalar when `axis`
        is `None`).

    Examples:
        >>> keras.ops.argmax(np.array([[1, 9, 3], [7, 2, 5]]), axis=1)
        array([1, 0], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("argmax", (x, axis, keepdims), {})
    return _impl_argmax(x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    """Index of the (first) minimum of `x` along `axis`.

    Args:
        x: Input tensor.
        axis: The axis to search along. `None` (default) searches the flattened tensor.
        keepdims: If `True`, the reduced axis is kept with size 1. Defaults to `False`.

    Returns:
        An `int32` tensor of indices: the shape of `x` without `axis` (a scalar when `axis`
        is `None`).

    Examples:
        >>> keras.ops.argmin(np.array([3, 1, 2]))
        array(1, dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("argmin", (x, axis, keepdims), {})
    return _impl_argmin(x, axis, keepdims)


def average(x, axis=None, weights=None):
    """Weighted average of `x` over `axis`.

    Computes `sum(x * weights) / sum(weights)` over `axis`; without weights, the mean.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to average over. `None` (default)
            averages all elements.
        weights: Weights of the same shape as `x`, or 1-D with the length of `x` along a
            single `axis`. `None` (default) gives every element weight 1.

    Returns:
        A tensor of the reduced shape with dtype `result_type(x, weights, float)`.

    Examples:
        >>> keras.ops.average(np.array([1.0, 2.0, 3.0, 4.0]), weights=np.array([3.0, 1.0, 0.0, 0.0]))
        array(1.25)
        >>> keras.ops.average(np.array([[1.0, 2.0], [3.0, 4.0]]), axis=1, weights=np.array([1.0, 3.0]))
        array([1.75, 3.75])
    """
    _check_average(x, axis, weights)
    if x.__class__ is _KT or weights.__class__ is _KT:
        return _symbolic("average", (x, axis, weights), {})
    return _impl_average(x, axis, weights)


def median(x, axis=None, keepdims=False):
    """Median over `axis`.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) uses the flattened tensor.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The median, a float tensor (`int64` gives `floatx()`).

    Examples:
        >>> keras.ops.median(np.array([[1.0, 3.0, 2.0], [4.0, 6.0, 5.0]], 'float32'), axis=1)
        array([2., 5.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("median", (x, axis, keepdims), {})
    return _impl_median(x, axis, keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """`q`-th quantiles over `axis`.

    Args:
        x: Input tensor.
        q: Quantile or sequence of quantiles, in `[0, 1]`.
        axis: Axis or axes; `None` uses the flattened tensor.
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`.
        keepdims: Keep reduced axes with size 1.

    Returns:
        Float result; a non-scalar `q` adds a leading axis of `len(q)`.

    Examples:
        >>> keras.ops.quantile(np.array([1.0, 2.0, 3.0, 4.0], 'float32'), 0.5)
        array(2.5, dtype=float32)
        >>> keras.ops.quantile(np.array([[1.0, 2.0], [3.0, 4.0]], 'float32'), [0.0, 1.0], axis=1)
        array([[1., 3.],
               [2., 4.]], dtype=float32)
    """
    if x.__class__ is _KT or q.__class__ is _KT:
        return _symbolic("quantile", (x, q, axis, method, keepdims), {})
    return _impl_quantile(x, q, axis, method, keepdims)


def count_nonzero(x, axis=None):
    """Number of non-zero elements of `x` over `axis`.

    Args:
        x: Input tensor.
        axis: An int or a tuple of ints: the axes to count over. `None` (default) counts over
            all axes.

    Returns:
        An `int32` tensor of the shape of `x` without the counted axes.

    Examples:
        >>> keras.ops.count_nonzero(np.array([0, 3, 0, 1]))
        array(2, dtype=int32)
        >>> keras.ops.count_nonzero(np.array([[0, 1], [2, 3]]), axis=0)
        array([1, 2], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("count_nonzero", (x, axis), {})
    return _impl_count_nonzero(x, axis)


def cumsum(x, axis=None, dtype=None):
    """Cumulative sum of `x` along `axis`.

    Args:
        x: Input tensor.
        axis: The axis of the sums. `None` (default) works on the flattened tensor.
        dtype: The dtype of the result. `None` (default) keeps the dtype of `x` (`bool`
            gives `int32`).

    Returns:
        A tensor of the shape of `x` (1-D when `axis` is `None`).

    Examples:
        >>> keras.ops.cumsum(np.array([1, 2, 3]))
        array([1, 3, 6])
        >>> keras.ops.cumsum(np.array([True, True, False]))
        array([1, 2, 2], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("cumsum", (x, axis, dtype), {})
    return _impl_cumsum(x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    """Cumulative product of `x` along `axis`.

    Args:
        x: Input tensor.
        axis: The axis of the products. `None` (default) works on the flattened tensor.
        dtype: The dtype of the result. `None` (default) keeps the dtype of `x` (`bool`
            gives `int32`).

    Returns:
        A tensor of the shape of `x` (1-D when `axis` is `None`).

    Examples:
        >>> keras.ops.cumprod(np.array([1, 2, 3, 4]))
        array([ 1,  2,  6, 24])
        >>> keras.ops.cumprod(np.array([[1, 2], [3, 4]]), axis=0)
        array([[1, 2],
               [3, 8]])
    """
    if x.__class__ is _KT:
        return _symbolic("cumprod", (x, axis, dtype), {})
    return _impl_cumprod(x, axis, dtype)


def fabs(x):
    """Absolute value element-wise, as a float.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x` holding `|x|`. Float inputs keep their dtype;
        integers and bools give `floatx()`.

    Examples:
        >>> keras.ops.fabs(np.array([-1, 2]))
        array([1., 2.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("fabs", (x,), {})
    return _impl_fabs(x)


def fmax(x1, x2):
    """Element-wise maximum of `x1` and `x2` that ignores NaNs.

    Where one input is NaN the other is returned; the result is NaN only where both are.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype of `x1` and `x2`.

    Examples:
        >>> keras.ops.fmax(np.array([1.0, np.nan, np.nan]), np.array([np.nan, 2.0, np.nan]))
        array([ 1.,  2., nan])
    """
    if x1.__class__ is _fast_fmax_type and x2.__class__ is _fast_fmax_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_fmax_dtypes:
            try:
                return _fast_fmax(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("fmax", (x1, x2), {})
    return _impl_fmax(x1, x2)


def fmin(x1, x2):
    """Element-wise minimum of `x1` and `x2` that ignores NaNs.

    Where one input is NaN the other is returned; the result is NaN only where both are.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype of `x1` and `x2`.

    Examples:
        >>> keras.ops.fmin(np.array([1.0, np.nan, 5.0]), np.array([np.nan, 2.0, 3.0]))
        array([1., 2., 3.])
    """
    if x1.__class__ is _fast_fmin_type and x2.__class__ is _fast_fmin_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_fmin_dtypes:
            try:
                return _fast_fmin(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("fmin", (x1, x2), {})
    return _impl_fmin(x1, x2)


def fmod(x1, x2):
    """C-style remainder of `x1 / x2` element-wise: the result has the sign of `x1`.

    `mod` differs: its result has the sign of `x2`. Integer division by zero gives 0; float
    division by zero gives NaN.

    Args:
        x1: The dividend.
        x2: The divisor, broadcastable with `x1`.

    Returns:
        A tensor of the broadcast shape with the promoted dtype of `x1` and `x2` (`bool`
        gives `int32`).

    Examples:
        >>> keras.ops.fmod(np.array([-7, 7]), np.array([3, -3]))
        array([-1,  1])
    """
    if x1.__class__ is _fast_fmod_type and x2.__class__ is _fast_fmod_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_fmod_dtypes:
            try:
                return _fast_fmod(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("fmod", (x1, x2), {})
    return _impl_fmod(x1, x2)


def i0(x):
    """Modified Bessel function of the first kind, order 0, element-wise.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x`. Float inputs keep their dtype; integers and bools
        give `floatx()`.

    Examples:
        >>> keras.ops.i0(np.array([0.0, 1.0], 'float32'))
        array([1.       , 1.2660658], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("i0", (x,), {})
    return _impl_i0(x)


def sinc(x):
    """Normalized sinc element-wise: `sin(pi x) / (pi x)`, with `sinc(0) = 1`.

    Args:
        x: Input tensor.

    Returns:
        A float tensor of the shape of `x`.

    Examples:
        >>> keras.ops.sinc(np.array([0.0, 0.5], 'float32'))
        array([1.        , 0.63661975], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("sinc", (x,), {})
    return _impl_sinc(x)


def ldexp(x1, x2):
    """Returns `x1 * 2 ** x2` element-wise.

    Args:
        x1: Mantissas; ints and bools compute in `floatx()`.
        x2: Integer exponents, broadcastable with `x1`; a float tensor raises `TypeError`.

    Returns:
        Float tensor of the broadcast shape and the float dtype of `x1`.

    Examples:
        >>> keras.ops.ldexp(np.array([1.0, 3.0], 'float32'), np.array([2, -1]))
        array([4. , 1.5], dtype=float32)
    """
    if x1.__class__ is _fast_ldexp_type and x2.__class__ is _fast_ldexp_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_ldexp_dtypes:
            try:
                return _fast_ldexp(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("ldexp", (x1, x2), {})
    return _impl_ldexp(x1, x2)


def nextafter(x1, x2):
    """Next representable float after `x1` in the direction of `x2`, element-wise.

    Where `x1 == x2` the result is `x2`.

    Args:
        x1: Values to step from.
        x2: Direction to step in; broadcast against `x1`.

    Returns:
        A float tensor of the broadcast shape; dtype: Keras 3 promotion of `x1`, `x2` and a
        Python float.

    Examples:
        >>> keras.ops.nextafter(np.array([1.0, 1.0], 'float32'), np.array([2.0, 0.0], 'float32'))
        array([1.0000001 , 0.99999994], dtype=float32)
    """
    if x1.__class__ is _fast_nextafter_type and x2.__class__ is _fast_nextafter_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_nextafter_dtypes:
            try:
                return _fast_nextafter(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("nextafter", (x1, x2), {})
    return _impl_nextafter(x1, x2)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Whether two tensors are equal element-wise within a tolerance.

    True when every element satisfies `|x1 - x2| <= atol + rtol * |x2|` (the test of
    `isclose`), with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor, broadcastable with `x1`.
        rtol: Relative tolerance. Defaults to `1e-5`.
        atol: Absolute tolerance. Defaults to `1e-8`.
        equal_nan: If `True`, NaNs in the same position count as equal. Defaults to `False`.

    Returns:
        A scalar `bool` tensor.

    Examples:
        >>> keras.ops.allclose(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]))
        array(True)
        >>> keras.ops.allclose(np.array([1.0, np.nan]), np.array([1.0, np.nan]))
        array(False)
    """
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("allclose", (x1, x2, rtol, atol, equal_nan), {})
    return _impl_allclose(x1, x2, rtol, atol, equal_nan)


def ptp(x, axis=None, keepdims=False):
    """Range of values (`max - min`) over `axis`.

    Args:
        x: Input tensor; `bool` raises `TypeError`, as subtraction of booleans is undefined.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        `max(x) - min(x)` over `axis`, with the dtype of `x`.

    Examples:
        >>> keras.ops.ptp(np.array([[1, 5], [7, 2]]), axis=0)
        array([6, 3])
        >>> keras.ops.ptp(np.array([[1, 5], [7, 2]]))
        array(6)
    """
    if x.__class__ is _KT:
        return _symbolic("ptp", (x, axis, keepdims), {})
    return _impl_ptp(x, axis, keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """`q`-th percentiles over `axis`: `quantile(x, q / 100, ...)`.

    Args:
        x: Input tensor.
        q: Percentile or sequence of percentiles, in `[0, 100]`.
        axis: Axis or axes; `None` (default) uses the flattened tensor.
        method: `"linear"` (default), `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`: how
            to pick a value between two data points.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        Float result; a non-scalar `q` adds a leading axis of `len(q)`.

    Examples:
        >>> keras.ops.percentile(np.array([1.0, 2.0, 3.0, 4.0], 'float32'), [0, 50, 100])
        array([1. , 2.5, 4. ], dtype=float32)
        >>> keras.ops.percentile(np.array([1.0, 2.0, 3.0, 4.0], 'float32'), 50, method='lower')
        array(2., dtype=float32)
    """
    if x.__class__ is _KT or q.__class__ is _KT:
        return _symbolic("percentile", (x, q, axis, method, keepdims), {})
    return _impl_percentile(x, q, axis, method, keepdims)


def slogdet(x):
    """Sign and natural log of the absolute determinant of square matrices.

    Args:
        x: Tensor of shape `(..., M, M)`.

    Returns:
        `(sign, logabsdet)`, each of shape `x.shape[:-2]` and float dtype (ints give
        `floatx()`); the determinant is `sign * exp(logabsdet)`. A singular matrix gives sign
        0 and `-inf`.

    Examples:
        >>> keras.ops.slogdet(np.array([[2.0, 0.0], [0.0, -3.0]], 'float32'))  # det = -6
        (array(-1., dtype=float32), array(1.7917595, dtype=float32))
    """
    if x.__class__ is _KT:
        return _symbolic("slogdet", (x,), {})
    return _impl_slogdet(x)


def nansum(x, axis=None, keepdims=False):
    """Sum over `axis`, treating NaNs as 0.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The sum, with the dtype of `sum` (narrow ints and bools accumulate in 32 bits).

    Examples:
        >>> keras.ops.nansum(np.array([[1.0, np.nan], [2.0, 3.0]], 'float32'), axis=1)
        array([1., 5.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nansum", (x, axis, keepdims), {})
    return _impl_nansum(x, axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    """Product over `axis`, treating NaNs as 1.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The product, with the dtype of `prod`.

    Examples:
        >>> keras.ops.nanprod(np.array([2.0, np.nan, 3.0], 'float32'))
        array(6., dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanprod", (x, axis, keepdims), {})
    return _impl_nanprod(x, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    """Mean of the non-NaN elements over `axis` (NaN where all are NaN).

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to average over; `None` (default) averages all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The mean, a float tensor.

    Examples:
        >>> x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]], 'float32')
        >>> keras.ops.nanmean(x, axis=1)
        array([ 2., nan], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanmean", (x, axis, keepdims), {})
    return _impl_nanmean(x, axis, keepdims)


def nanvar(x, axis=None, keepdims=False):
    """Population variance of the non-NaN elements over `axis`.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The variance (divisor: the number of non-NaN elements), a float tensor.

    Examples:
        >>> keras.ops.nanvar(np.array([1.0, np.nan, 3.0], 'float32'))
        array(1., dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanvar", (x, axis, keepdims), {})
    return _impl_nanvar(x, axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    """Population standard deviation of the non-NaN elements over `axis`.

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The standard deviation (divisor: the number of non-NaN elements), a float tensor.

    Examples:
        >>> keras.ops.nanstd(np.array([1.0, np.nan, 3.0], 'float32'))
        array(1., dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanstd", (x, axis, keepdims), {})
    return _impl_nanstd(x, axis, keepdims)


def nanmax(x, axis=None, keepdims=False):
    """Maximum over `axis`, ignoring NaNs (NaN where all are NaN).

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The maximum, with the dtype of `x`.

    Examples:
        >>> keras.ops.nanmax(np.array([[1.0, np.nan], [np.nan, np.nan]], 'float32'), axis=1)
        array([ 1., nan], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanmax", (x, axis, keepdims), {})
    return _impl_nanmax(x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    """Minimum over `axis`, ignoring NaNs (NaN where all are NaN).

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) reduces all elements.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The minimum, with the dtype of `x`.

    Examples:
        >>> x = np.array([[1.0, np.nan, -2.0], [np.nan, np.nan, np.nan]], 'float32')
        >>> keras.ops.nanmin(x, axis=1)
        array([-2., nan], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanmin", (x, axis, keepdims), {})
    return _impl_nanmin(x, axis, keepdims)


def nanargmax(x, axis=None, keepdims=False):
    """Index of the first maximum over `axis`, ignoring NaNs.

    An all-NaN slice gives -1 (NumPy raises; a traced engine cannot).

    Args:
        x: Input tensor.
        axis: Axis along which to search; `None` (default) searches the flattened tensor.
        keepdims: If `True`, the reduced axis is kept with size 1. Defaults to `False`.

    Returns:
        An `int32` tensor of indices.

    Examples:
        >>> keras.ops.nanargmax(np.array([[np.nan, 3.0, 1.0], [2.0, np.nan, 5.0]], 'float32'), axis=1)
        array([1, 2], dtype=int32)
        >>> keras.ops.nanargmax(np.array([np.nan, np.nan], 'float32'))
        array(-1, dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanargmax", (x, axis, keepdims), {})
    return _impl_nanargmax(x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    """Index of the first minimum over `axis`, ignoring NaNs.

    An all-NaN slice gives -1 (NumPy raises; a traced engine cannot).

    Args:
        x: Input tensor.
        axis: Axis along which to search; `None` (default) searches the flattened tensor.
        keepdims: If `True`, the reduced axis is kept with size 1. Defaults to `False`.

    Returns:
        An `int32` tensor of indices.

    Examples:
        >>> keras.ops.nanargmin(np.array([[np.nan, 3.0, 1.0], [2.0, np.nan, 5.0]], 'float32'), axis=1)
        array([2, 0], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanargmin", (x, axis, keepdims), {})
    return _impl_nanargmin(x, axis, keepdims)


def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis`, treating NaNs as 0.

    Args:
        x: Input tensor.
        axis: Axis along which to accumulate; `None` (default) uses the flattened tensor.
        dtype: Dtype of the result; `None` (default) gives the dtype of `cumsum`.

    Returns:
        A tensor of the shape of `x` (1-D when `axis` is `None`).

    Examples:
        >>> keras.ops.nancumsum(np.array([2.0, np.nan, 3.0], 'float32'))
        array([2., 2., 5.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nancumsum", (x, axis, dtype), {})
    return _impl_nancumsum(x, axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis`, treating NaNs as 1.

    Args:
        x: Input tensor.
        axis: Axis along which to accumulate; `None` (default) uses the flattened tensor.
        dtype: Dtype of the result; `None` (default) gives the dtype of `cumprod`.

    Returns:
        A tensor of the shape of `x` (1-D when `axis` is `None`).

    Examples:
        >>> keras.ops.nancumprod(np.array([2.0, np.nan, 3.0], 'float32'))
        array([2., 2., 6.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nancumprod", (x, axis, dtype), {})
    return _impl_nancumprod(x, axis, dtype)


def nanmedian(x, axis=None, keepdims=False):
    """Median of the non-NaN elements over `axis` (NaN where all are NaN).

    Args:
        x: Input tensor.
        axis: Axis or tuple of axes to reduce; `None` (default) uses the flattened tensor.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        The median, a float tensor.

    Examples:
        >>> keras.ops.nanmedian(np.array([1.0, np.nan, 4.0, 2.0], 'float32'))
        array(2., dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("nanmedian", (x, axis, keepdims), {})
    return _impl_nanmedian(x, axis, keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """`quantile` of the non-NaN elements over `axis` (NaN where all are NaN).

    Args:
        x: Input tensor.
        q: Quantile or 1-D sequence of quantiles, in `[0, 1]`.
        axis: Axis or axes; `None` uses the flattened tensor.
        method: `"linear"`, `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`.
        keepdims: Keep reduced axes with size 1.

    Returns:
        Float result; a non-scalar `q` adds a leading axis of `len(q)`.

    Examples:
        >>> keras.ops.nanquantile(np.array([1.0, np.nan, 3.0, 5.0], 'float32'), [0.5, 1.0])
        array([3., 5.], dtype=float32)
    """
    if x.__class__ is _KT or q.__class__ is _KT:
        return _symbolic("nanquantile", (x, q, axis, method, keepdims), {})
    return _impl_nanquantile(x, q, axis, method, keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """`percentile` of the non-NaN elements (`q` in `[0, 100]`), see `nanquantile`.

    Args:
        x: Input tensor.
        q: Percentile or 1-D sequence of percentiles, in `[0, 100]`.
        axis: Axis or axes; `None` (default) uses the flattened tensor.
        method: `"linear"` (default), `"lower"`, `"higher"`, `"midpoint"` or `"nearest"`: how
            to pick a value between two data points.
        keepdims: If `True`, the reduced axes are kept with size 1. Defaults to `False`.

    Returns:
        Float result (NaN where all elements are NaN); a non-scalar `q` adds a leading axis of
        `len(q)`.

    Examples:
        >>> keras.ops.nanpercentile(np.array([1.0, np.nan, 3.0, 5.0], 'float32'), [0, 25, 50])
        array([1., 2., 3.], dtype=float32)
    """
    if x.__class__ is _KT or q.__class__ is _KT:
        return _symbolic("nanpercentile", (x, q, axis, method, keepdims), {})
    return _impl_nanpercentile(x, q, axis, method, keepdims)


def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, merges and splits axes as described by an einops pattern.

    Args:
        tensor: Input tensor.
        pattern: `"<input axes> -> <output axes>"`: names separated by spaces, a group
            `(h w)` merges (on the right) or splits (on the left) axes.
        **axes_lengths: Sizes of the axes a split cannot infer.

    Returns:
        A tensor with the same elements and dtype, reshaped and transposed.

    Examples:
        >>> keras.ops.rearrange(np.arange(6).reshape(2, 3), 'h w -> w h')
        array([[0, 3],
               [1, 4],
               [2, 5]])
        >>> keras.ops.rearrange(np.arange(6), '(h w) -> h w', h=2)
        array([[0, 1, 2],
               [3, 4, 5]])
        >>> keras.ops.rearrange(np.zeros((2, 3, 4)), 'b h w -> b (h w)').shape
        (2, 12)
    """
    if tensor.__class__ is _KT:
        return _symbolic("rearrange", (tensor, pattern), {**axes_lengths})
    return _impl_rearrange(tensor, pattern, **axes_lengths)


#: Every op of the spec module, hand-written or generated, in the spec's order.
__all__ = [
    "add",
    "subtract",
    "multiply",
    "matmul",
    "reshape",
    "transpose",
    "sum",
    "mean",
    "concatenate",
    "zeros",
    "ones",
    "array",
    "arange",
    "linspace",
    "logspace",
    "geomspace",
    "eye",
    "identity",
    "tri",
    "full",
    "full_like",
    "zeros_like",
    "ones_like",
    "empty",
    "empty_like",
    "copy",
    "view",
    "expand_dims",
    "squeeze",
    "ravel",
    "broadcast_to",
    "moveaxis",
    "swapaxes",
    "flip",
    "fliplr",
    "flipud",
    "roll",
    "rot90",
    "tile",
    "repeat",
    "stack",
    "hstack",
    "vstack",
    "dstack",
    "column_stack",
    "split",
    "array_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "append",
    "pad",
    "meshgrid",
    "ndim",
    "size",
    "tril",
    "triu",
    "diag",
    "diagflat",
    "diagonal",
    "trace",
    "take",
    "take_along_axis",
    "nonzero",
    "unravel_index",
    "isin",
    "sort",
    "argsort",
    "argpartition",
    "searchsorted",
    "digitize",
    "histogram",
    "bincount",
    "unique",
    "dot",
    "inner",
    "outer",
    "vdot",
    "tensordot",
    "einsum",
    "cross",
    "kron",
    "correlate",
    "corrcoef",
    "diff",
    "trapezoid",
    "vander",
    "bartlett",
    "blackman",
    "hamming",
    "hanning",
    "kaiser",
    "abs",
    "absolute",
    "negative",
    "sign",
    "signbit",
    "square",
    "sqrt",
    "cbrt",
    "reciprocal",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log10",
    "log1p",
    "log2",
    "logaddexp",
    "logaddexp2",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "arctan2",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "deg2rad",
    "rad2deg",
    "hypot",
    "floor",
    "ceil",
    "round",
    "trunc",
    "clip",
    "maximum",
    "minimum",
    "power",
    "divide",
    "true_divide",
    "floor_divide",
    "divide_no_nan",
    "mod",
    "heaviside",
    "gcd",
    "lcm",
    "equal",
    "not_equal",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_invert",
    "bitwise_not",
    "bitwise_left_shift",
    "left_shift",
    "bitwise_right_shift",
    "right_shift",
    "where",
    "select",
    "nan_to_num",
    "real",
    "imag",
    "conj",
    "conjugate",
    "angle",
    "max",
    "min",
    "amax",
    "amin",
    "prod",
    "std",
    "var",
    "all",
    "any",
    "argmax",
    "argmin",
    "average",
    "median",
    "quantile",
    "count_nonzero",
    "cumsum",
    "cumprod",
    "fabs",
    "fmax",
    "fmin",
    "fmod",
    "i0",
    "sinc",
    "ldexp",
    "nextafter",
    "allclose",
    "ptp",
    "percentile",
    "slogdet",
    "nansum",
    "nanprod",
    "nanmean",
    "nanvar",
    "nanstd",
    "nanmax",
    "nanmin",
    "nanargmax",
    "nanargmin",
    "nancumsum",
    "nancumprod",
    "nanmedian",
    "nanquantile",
    "nanpercentile",
    "rearrange",
    "vectorize",
]

#: The ops generated above: each calls `_impl_<op>`, bound by `_rebind`.
_GENERATED = (
    "add",
    "subtract",
    "multiply",
    "matmul",
    "reshape",
    "transpose",
    "sum",
    "mean",
    "concatenate",
    "zeros",
    "ones",
    "array",
    "arange",
    "linspace",
    "logspace",
    "geomspace",
    "eye",
    "identity",
    "tri",
    "full",
    "full_like",
    "zeros_like",
    "ones_like",
    "empty",
    "empty_like",
    "copy",
    "view",
    "expand_dims",
    "squeeze",
    "ravel",
    "broadcast_to",
    "moveaxis",
    "swapaxes",
    "flip",
    "fliplr",
    "flipud",
    "roll",
    "rot90",
    "tile",
    "repeat",
    "stack",
    "hstack",
    "vstack",
    "dstack",
    "column_stack",
    "split",
    "hsplit",
    "vsplit",
    "dsplit",
    "append",
    "pad",
    "meshgrid",
    "ndim",
    "size",
    "tril",
    "triu",
    "diag",
    "diagflat",
    "diagonal",
    "trace",
    "take",
    "take_along_axis",
    "nonzero",
    "unravel_index",
    "isin",
    "sort",
    "argsort",
    "argpartition",
    "searchsorted",
    "digitize",
    "bincount",
    "unique",
    "dot",
    "inner",
    "outer",
    "vdot",
    "tensordot",
    "einsum",
    "cross",
    "kron",
    "correlate",
    "corrcoef",
    "diff",
    "trapezoid",
    "vander",
    "bartlett",
    "blackman",
    "hamming",
    "hanning",
    "kaiser",
    "abs",
    "absolute",
    "negative",
    "sign",
    "signbit",
    "square",
    "sqrt",
    "cbrt",
    "reciprocal",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log10",
    "log1p",
    "log2",
    "logaddexp",
    "logaddexp2",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "arctan2",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "deg2rad",
    "rad2deg",
    "hypot",
    "floor",
    "ceil",
    "round",
    "trunc",
    "clip",
    "maximum",
    "minimum",
    "power",
    "divide",
    "true_divide",
    "floor_divide",
    "divide_no_nan",
    "mod",
    "heaviside",
    "gcd",
    "lcm",
    "equal",
    "not_equal",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_invert",
    "bitwise_not",
    "bitwise_left_shift",
    "left_shift",
    "bitwise_right_shift",
    "right_shift",
    "nan_to_num",
    "real",
    "imag",
    "conj",
    "conjugate",
    "angle",
    "max",
    "min",
    "amax",
    "amin",
    "prod",
    "std",
    "var",
    "all",
    "any",
    "argmax",
    "argmin",
    "average",
    "median",
    "quantile",
    "count_nonzero",
    "cumsum",
    "cumprod",
    "fabs",
    "fmax",
    "fmin",
    "fmod",
    "i0",
    "sinc",
    "ldexp",
    "nextafter",
    "allclose",
    "ptp",
    "percentile",
    "slogdet",
    "nansum",
    "nanprod",
    "nanmean",
    "nanvar",
    "nanstd",
    "nanmax",
    "nanmin",
    "nanargmax",
    "nanargmin",
    "nancumsum",
    "nancumprod",
    "nanmedian",
    "nanquantile",
    "nanpercentile",
    "rearrange",
)

#: The generated ops of two `Tensor` operands: each also tests for a fast entry.
_FAST = (
    "add",
    "subtract",
    "multiply",
    "matmul",
    "digitize",
    "dot",
    "inner",
    "outer",
    "vdot",
    "kron",
    "logaddexp",
    "logaddexp2",
    "arctan2",
    "hypot",
    "maximum",
    "minimum",
    "power",
    "divide",
    "true_divide",
    "floor_divide",
    "divide_no_nan",
    "mod",
    "heaviside",
    "gcd",
    "lcm",
    "equal",
    "not_equal",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_left_shift",
    "left_shift",
    "bitwise_right_shift",
    "right_shift",
    "fmax",
    "fmin",
    "fmod",
    "ldexp",
    "nextafter",
)


def _rebind():
    """Binds each generated op's `_impl_<op>` (and fast entry) to the active backend's."""
    _bind(globals(), _GENERATED, _FAST)


_rebind()
_add_table_listener(_rebind)
# --- END GENERATED OPS ---

# `keras.ops.numpy.get_item` is the core op (`x[key]`), exported here too as in Keras 3.
from unikeras.ops.core import get_item  # noqa: E402

__all__ += ["get_item"]
