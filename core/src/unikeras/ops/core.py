"""`keras.ops.core`: the public ops of `unikeras.backend.specs.core`.

Every op of the spec is an ordinary function in this module. The block between the
`BEGIN GENERATED OPS` / `END GENERATED OPS` lines is written by `core/tools/gen_ops.py`
(do not edit it by hand); the ops defined above it by hand (argument checks beyond the
contract's, special symbolic handling) win, and a hand-written `_check_<op>` function is
called first by the generated op of that name. `dtype`, `convert_to_tensor`,
`convert_to_numpy` and `is_tensor` wrap hooks of the base contract
(`unikeras.backend.hookspec`).
"""

from unikeras.backend import dtypes as _dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.registry import table
from unikeras.ops import arg_checks as _args
from unikeras.ops.dispatch import symbolic


def shape(x):
    """Returns the shape of `x` as a tuple (`None` for unknown dimensions of a KerasTensor).

    Args:
        x: A tensor (or a symbolic `KerasTensor`).

    Returns:
        A tuple of ints; `None` entries for the unknown dimensions of a `KerasTensor`.

    Examples:
        >>> keras.ops.shape(np.zeros((2, 3)))
        (2, 3)
    """
    if x.__class__ is KerasTensor:
        return x.shape
    return table.shape(x)


def dtype(x):
    """Returns the dtype name of the tensor `x` (e.g. `"float32"`).

    Args:
        x: A tensor, array-like value or `KerasTensor`.

    Returns:
        The standardized dtype name, a string.

    Examples:
        >>> keras.ops.dtype(np.zeros(2, 'float16'))
        'float16'
    """
    if x.__class__ is KerasTensor:
        return x.dtype
    return _dtypes.standardize_dtype(table.convert_to_tensor(x).dtype)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts a NumPy array, Python value or tensor to a tensor of the active backend.

    Args:
        x: The value to convert.
        dtype: Target dtype (default: keep `x`'s; Python floats give `floatx()` and Python
            ints `int32`).
        sparse: Whether to keep sparse tensors sparse.
        ragged: Whether to keep ragged tensors ragged (ignored by backends without them).

    Returns:
        A tensor of the active backend (a NumPy array on the NumPy backend).

    Examples:
        >>> keras.ops.convert_to_tensor([1.0, 2.0])
        array([1., 2.], dtype=float32)
    """
    if x.__class__ is KerasTensor:
        return symbolic("cast", (x, dtype or x.dtype), {})
    return table.convert_to_tensor(x, dtype, sparse)


def convert_to_numpy(x):
    """Converts a tensor of the active backend (or a Variable) to a NumPy array.

    Args:
        x: A tensor, Variable or array-like value.

    Returns:
        A NumPy array of the value of `x`.

    Examples:
        >>> keras.ops.convert_to_numpy(keras.ops.convert_to_tensor([1, 2]))
        array([1, 2], dtype=int32)
    """
    return table.convert_to_numpy(x)


def is_tensor(x):
    """Returns whether `x` is a tensor of the active backend.

    Args:
        x: Any value.

    Returns:
        A Python bool; `False` for lists and other Python values.

    Examples:
        >>> keras.ops.is_tensor(keras.ops.convert_to_tensor([1, 2])), keras.ops.is_tensor([1, 2])
        (True, False)
    """
    return table.is_tensor(x)


# --------------------------------------------------------------------------------------------
# Shared argument checks: each generated op calls its `_check_<op>` first (unikeras.ops.arg_checks)
# --------------------------------------------------------------------------------------------


def _check_slice(inputs, start_indices, shape):
    rank = _args.check_block_starts("slice", inputs, start_indices)
    if rank is not None and len(shape) != rank:
        raise ValueError(
            f"slice: `shape` must have one entry per axis of `inputs` (rank {rank}). "
            f"Received: inputs.shape={_args.static_shape(inputs)}, shape={tuple(shape)}"
        )


def _check_slice_update(inputs, start_indices, updates):
    rank = _args.check_block_starts("slice_update", inputs, start_indices)
    updates_shape = _args.static_shape(updates)
    if rank is not None and updates_shape is not None and len(updates_shape) != rank:
        raise ValueError(
            f"slice_update: `updates` must have the rank of `inputs` ({rank}). Received: "
            f"inputs.shape={_args.static_shape(inputs)}, updates.shape={updates_shape}"
        )


def _check_scatter_update(inputs, indices, updates, reduction=None):
    _args.require_choice("scatter_update", "reduction", reduction, _SCATTER_REDUCTIONS)


#: The `reduction`s of `scatter_update` (`None`: replace).
_SCATTER_REDUCTIONS = (None, "add", "mul", "max", "min")


# --- BEGIN GENERATED OPS: written by core/tools/gen_ops.py from backend/specs/core.py ---
# Regenerate with `python core/tools/gen_ops.py` after changing the spec or a hand-written op.
from unikeras.backend.keras_tensor import KerasTensor as _KT  # noqa: E402
from unikeras.backend.registry import add_table_listener as _add_table_listener  # noqa: E402
from unikeras.ops.dispatch import any_keras_tensor as _any_kt  # noqa: E402,F401
from unikeras.ops.dispatch import bind_implementations as _bind  # noqa: E402
from unikeras.ops.dispatch import nested_keras_tensor as _nested_kt  # noqa: E402,F401
from unikeras.ops.dispatch import symbolic as _symbolic  # noqa: E402


def cast(x, dtype):
    """Casts `x` to `dtype`.

    Float to integer casts truncate towards zero; out-of-range values wrap around or are
    undefined, depending on the engine (use `saturate_cast` to clip instead).

    Args:
        x: Input tensor (or array-like).
        dtype: Target dtype, a name such as `"int32"` or a dtype object.

    Returns:
        A tensor of the shape of `x` and dtype `dtype`.

    Examples:
        >>> keras.ops.cast(np.array([1.7, -1.2]), 'int32')
        array([ 1, -1], dtype=int32)
    """
    if x.__class__ is _KT:
        return _symbolic("cast", (x, dtype), {})
    return _impl_cast(x, dtype)


def get_item(x, key):
    """Returns `x[key]`.

    Args:
        x: Input tensor.
        key: An index as in NumPy basic indexing: an int, a slice, `None`, `Ellipsis`, or a
            tuple of those.

    Returns:
        The selected part of `x`, in its dtype.

    Examples:
        >>> keras.ops.get_item(np.arange(6).reshape(2, 3), (1, slice(0, 2)))
        array([3, 4])
    """
    if x.__class__ is _KT:
        return _symbolic("get_item", (x, key), {})
    return _impl_get_item(x, key)


def saturate_cast(x, dtype):
    """Casts `x` to `dtype`, first clipping it to the range `dtype` can represent.

    Where `cast` would wrap around or overflow, out-of-range values become the smallest or
    largest value of `dtype`.

    Args:
        x: Input tensor.
        dtype: Target dtype, a name such as `"uint8"` or a dtype object.

    Returns:
        A tensor of the shape of `x` and dtype `dtype`.

    Examples:
        >>> keras.ops.saturate_cast(np.array([-1.0, 256.0]), 'uint8')
        array([  0, 255], dtype=uint8)
    """
    if x.__class__ is _KT:
        return _symbolic("saturate_cast", (x, dtype), {})
    return _impl_saturate_cast(x, dtype)


def slice(inputs, start_indices, shape):
    """Returns the block of `inputs` of size `shape` starting at `start_indices`.

    Args:
        inputs: Tensor of rank `n`.
        start_indices: `n` ints (or an int tensor): where the block starts on each axis.
        shape: `n` ints: the size of the block on each axis.

    Returns:
        A tensor of shape `shape`, in the dtype of `inputs`.

    Examples:
        >>> keras.ops.slice(np.arange(6), (1,), (3,))
        array([1, 2, 3])
    """
    _check_slice(inputs, start_indices, shape)
    if inputs.__class__ is _KT:
        return _symbolic("slice", (inputs, start_indices, shape), {})
    return _impl_slice(inputs, start_indices, shape)


def slice_update(inputs, start_indices, updates):
    """Returns `inputs` with the block starting at `start_indices` replaced by `updates`.

    Args:
        inputs: Tensor of rank `n`.
        start_indices: `n` ints (or an int tensor): where the block starts on each axis.
        updates: Tensor of rank `n`, the new block; it is cast to the dtype of `inputs`.

    Returns:
        A tensor of the shape and dtype of `inputs`.

    Examples:
        >>> keras.ops.slice_update(np.zeros(4, 'int32'), (1,), np.array([7, 8], 'int32'))
        array([0, 7, 8, 0], dtype=int32)
    """
    _check_slice_update(inputs, start_indices, updates)
    if inputs.__class__ is _KT or updates.__class__ is _KT:
        return _symbolic("slice_update", (inputs, start_indices, updates), {})
    return _impl_slice_update(inputs, start_indices, updates)


def scatter(indices, values, shape):
    """Returns zeros of `shape` with `values` written at `indices` (duplicates add up).

    Args:
        indices: Int tensor of shape `(num_updates, k)`, `k <= len(shape)`: each row indexes
            the first `k` axes.
        values: Tensor of shape `(num_updates,) + shape[k:]`; gives the output dtype.
        shape: Shape of the output.

    Returns:
        A tensor of shape `shape`, in the dtype of `values`.

    Examples:
        >>> keras.ops.scatter(np.array([[1], [3]]), np.array([5, 7]), (4,))
        array([0, 5, 0, 7])
    """
    if indices.__class__ is _KT or values.__class__ is _KT:
        return _symbolic("scatter", (indices, values, shape), {})
    return _impl_scatter(indices, values, shape)


def scatter_update(inputs, indices, updates, reduction=None):
    """Returns `inputs` with `updates` written at `indices` (`inputs[indices] = updates`).

    Args:
        inputs: Tensor of shape `(D0, ..., Dn)`.
        indices: Int tensor of shape `(num_updates, k)`, `k <= n + 1`.
        updates: Tensor of shape `(num_updates,) + inputs.shape[k:]`, cast to `inputs.dtype`.
        reduction: `None` (default: replace), `"add"`, `"mul"`, `"max"` or `"min"`: how an
            update combines with the value already there.

    Returns:
        A tensor of the shape and dtype of `inputs`.

    Examples:
        >>> keras.ops.scatter_update(np.zeros(3, 'int32'), np.array([[1]]), np.array([9], 'int32'))
        array([0, 9, 0], dtype=int32)
    """
    _check_scatter_update(inputs, indices, updates, reduction)
    if inputs.__class__ is _KT or indices.__class__ is _KT or updates.__class__ is _KT:
        return _symbolic("scatter_update", (inputs, indices, updates, reduction), {})
    return _impl_scatter_update(inputs, indices, updates, reduction)


def stop_gradient(variable):
    """Returns `variable` unchanged, but no gradient flows back through it.

    Args:
        variable: A tensor or a `Variable`.

    Returns:
        A tensor of the value of `variable`, treated as a constant by differentiation.

    Examples:
        >>> keras.ops.stop_gradient(np.array([1.0], 'float32'))
        array([1.], dtype=float32)
    """
    if variable.__class__ is _KT:
        return _symbolic("stop_gradient", (variable,), {})
    return _impl_stop_gradient(variable)


def cond(pred, true_fn, false_fn):
    """Returns `true_fn()` if `pred` is true, else `false_fn()`.

    Args:
        pred: Boolean scalar (a Python bool or a scalar tensor).
        true_fn: Callable without arguments, called when `pred` is true.
        false_fn: Callable without arguments, called otherwise; it returns a structure of the
            shapes and dtypes `true_fn` returns.

    Returns:
        The output of the branch taken.

    Examples:
        >>> keras.ops.cond(True, lambda: 1, lambda: 2)
        1
    """
    if pred.__class__ is _KT:
        return _symbolic("cond", (pred, true_fn, false_fn), {})
    return _impl_cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    """Calls `branches[index](*operands)`.

    `index` is clamped to `[0, len(branches) - 1]`.

    Args:
        index: Int scalar (or scalar int tensor), which branch to call.
        branches: List of callables, all taking `operands` and returning structures of the
            same shapes and dtypes.
        *operands: The arguments passed to the branch (tensors or nested structures).

    Returns:
        The output of the branch called.

    Examples:
        >>> branches = [lambda x: x + 1, lambda x: x * 10]
        >>> keras.ops.switch(1, branches, np.array([2]))
        array([20])
    """
    if index.__class__ is _KT or _any_kt(operands):
        return _symbolic("switch", (index, branches, *operands), {})
    return _impl_switch(index, branches, *operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeats `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true.

    Args:
        cond: Callable taking the loop variables, returning a boolean scalar.
        body: Callable taking the loop variables, returning new ones of the same structure.
        loop_vars: A tensor or tuple/list of tensors (a single tensor is passed as one
            argument and returned as one tensor).
        maximum_iterations: Optional bound on the number of iterations.

    Returns:
        The final loop variables, in the structure of `loop_vars`.

    Examples:
        >>> keras.ops.while_loop(lambda i: i < 5, lambda i: i + 2, 0)
        6
    """
    if _nested_kt(loop_vars):
        return _symbolic("while_loop", (cond, body, loop_vars, maximum_iterations), {})
    return _impl_while_loop(cond, body, loop_vars, maximum_iterations)


def fori_loop(lower, upper, body_fun, init_val):
    """Returns `val` after `for i in range(lower, upper): val = body_fun(i, val)`.

    Args:
        lower: Int, the first loop index.
        upper: Int, the loop stops before it.
        body_fun: Callable `(i, val) -> val`, keeping the structure, shapes and dtypes of
            `val`.
        init_val: The initial `val`: a tensor or a nested structure of tensors.

    Returns:
        The final `val`, in the structure of `init_val`.

    Examples:
        >>> keras.ops.fori_loop(0, 4, lambda i, total: total + i, 0)
        6
    """
    if _nested_kt(init_val):
        return _symbolic("fori_loop", (lower, upper, body_fun, init_val), {})
    return _impl_fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Scans `f(carry, x) -> (carry, y)` over the leading axis of `xs`.

    Args:
        f: Callable `(carry, x) -> (carry, y)`; `carry` keeps the structure of `init`.
        init: Initial carry (nested structure of tensors).
        xs: Nested structure of tensors scanned along axis 0, or `None` (then `length`
            steps with `x = None`).
        length: Number of steps; required when `xs` is `None`.
        reverse: Scan from the end (default `False`).
        unroll: Loop unrolling hint (a positive int, or `True` to unroll fully; default 1).

    Returns:
        `(final_carry, ys)`, where `ys` stacks the `y`s along a new leading axis.

    Examples:
        >>> def step(total, x):
        ...     return total + x, total * x  # running sum, and the previous sum times x
        >>> total, ys = keras.ops.scan(step, 0, np.array([1, 2, 3], 'int32'))
        >>> int(total), ys
        (6, array([0, 2, 9], dtype=int32))
    """
    if _nested_kt(init) or _nested_kt(xs):
        return _symbolic("scan", (f, init, xs, length, reverse, unroll), {})
    return _impl_scan(f, init, xs, length, reverse, unroll)


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan of `elems` along `axis` with an associative binary function `f`.

    With `f = add` this is a cumulative sum. Because `f` is associative, engines may
    evaluate the scan in parallel (as a tree of `f` calls) instead of one step at a time.

    Args:
        f: Associative callable `f(a, b)` taking and returning structures like `elems`,
            acting element-wise over slices.
        elems: Tensor or nested structure of tensors of the same length along `axis`.
        reverse: Scan from the end (default `False`).
        axis: Int, the scanned axis (default 0).

    Returns:
        A structure like `elems`: entry `i` is `f` folded over entries `0..i`.

    Examples:
        >>> keras.ops.associative_scan(lambda a, b: a + b, np.array([1, 2, 3, 4]))
        array([ 1,  3,  6, 10])
    """
    if _nested_kt(elems):
        return _symbolic("associative_scan", (f, elems, reverse, axis), {})
    return _impl_associative_scan(f, elems, reverse, axis)


def map(f, xs):
    """Applies `f` to each slice of `xs` along axis 0 and stacks the results along axis 0.

    Args:
        f: Callable taking one slice of `xs` (a structure like `xs` without axis 0).
        xs: Tensor or nested structure of tensors of the same length along axis 0.

    Returns:
        The outputs of `f` stacked along a new leading axis, in the structure `f` returns.

    Examples:
        >>> keras.ops.map(lambda row: keras.ops.sum(row), np.array([[1, 2], [3, 4]]))
        array([3, 7])
    """
    if _nested_kt(xs):
        return _symbolic("map", (f, xs), {})
    return _impl_map(f, xs)


def vectorized_map(function, elements):
    """Like `map(function, elements)`, vectorized where the backend can (e.g. `jax.vmap`).

    Args:
        function: Callable taking one slice of `elements` along axis 0.
        elements: Tensor or nested structure of tensors of the same length along axis 0.

    Returns:
        The outputs of `function` stacked along a new leading axis.

    Examples:
        >>> keras.ops.vectorized_map(lambda row: row * 2, np.array([[1, 2], [3, 4]]))
        array([[2, 4],
               [6, 8]])
    """
    if _nested_kt(elements):
        return _symbolic("vectorized_map", (function, elements), {})
    return _impl_vectorized_map(function, elements)


def unstack(x, num=None, axis=0):
    """Splits `x` along `axis` into a list of tensors of rank `x.ndim - 1`.

    Args:
        x: Input tensor.
        num: The length of `axis`, or `None` (default) to read it from `x`; when given it
            must match.
        axis: Int, the axis unstacked (default 0).

    Returns:
        A list of `x.shape[axis]` tensors, in the dtype of `x`.

    Examples:
        >>> keras.ops.unstack(np.array([[1, 2], [3, 4]]))
        [array([1, 2]), array([3, 4])]
    """
    if x.__class__ is _KT:
        return _symbolic("unstack", (x, num, axis), {})
    return _impl_unstack(x, num, axis)


def custom_gradient(f):
    """Decorator giving a function a custom gradient.

    `f(*args)` returns `(output, grad_fn)`; `grad_fn(*upstream, value=None)` (or
    `grad_fn(upstream)`) returns the gradients with respect to the inputs. Backends without
    automatic differentiation (NumPy) return a function giving `output`.

    Args:
        f: The function to decorate.

    Returns:
        A function with the signature of `f` returning `output`, differentiated by
        `grad_fn`.

    Examples:
        >>> @keras.ops.custom_gradient
        ... def double(x):
        ...     return x * 2, lambda upstream: upstream * 2
        >>> double(np.array([1.0], 'float32'))
        array([2.], dtype=float32)
    """
    return _impl_custom_gradient(f)


#: Every op of the spec module, hand-written or generated, in the spec's order.
__all__ = [
    "cast",
    "get_item",
    "shape",
    "saturate_cast",
    "slice",
    "slice_update",
    "scatter",
    "scatter_update",
    "stop_gradient",
    "cond",
    "switch",
    "while_loop",
    "fori_loop",
    "scan",
    "associative_scan",
    "map",
    "vectorized_map",
    "unstack",
    "custom_gradient",
]

#: The ops generated above: each calls `_impl_<op>`, bound by `_rebind`.
_GENERATED = (
    "cast",
    "get_item",
    "saturate_cast",
    "slice",
    "slice_update",
    "scatter",
    "scatter_update",
    "stop_gradient",
    "cond",
    "switch",
    "while_loop",
    "fori_loop",
    "scan",
    "associative_scan",
    "map",
    "vectorized_map",
    "unstack",
    "custom_gradient",
)

#: The generated ops of two `Tensor` operands: each also tests for a fast entry.
_FAST = (

)


def _rebind():
    """Binds each generated op's `_impl_<op>` (and fast entry) to the active backend's."""
    _bind(globals(), _GENERATED, _FAST)


_rebind()
_add_table_listener(_rebind)
# --- END GENERATED OPS ---

__all__ += ["dtype", "convert_to_tensor", "convert_to_numpy", "is_tensor"]
