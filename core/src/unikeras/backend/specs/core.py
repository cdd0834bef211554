"""Op hooks of the core namespace (`keras.ops.core`): casting, shapes, control flow."""

from unikeras.backend.hookspec import Nested, Tensor, op


@op
def cast(x: Tensor, dtype):
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


@op
def get_item(x: Tensor, key):
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


@op
def shape(x: Tensor):
    """Returns the shape of `x` as a tuple of ints (`None` for dimensions unknown at trace time).

    Args:
        x: A tensor.

    Returns:
        A tuple of ints (or `None` entries).

    Examples:
        >>> keras.ops.shape(np.zeros((2, 3)))
        (2, 3)
    """


@op
def saturate_cast(x: Tensor, dtype):
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


@op
def slice(inputs: Tensor, start_indices, shape):
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


@op
def slice_update(inputs: Tensor, start_indices, updates: Tensor):
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


@op
def scatter(indices: Tensor, values: Tensor, shape):
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


@op
def scatter_update(inputs: Tensor, indices: Tensor, updates: Tensor, reduction=None):
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


@op
def stop_gradient(variable: Tensor):
    """Returns `variable` unchanged, but no gradient flows back through it.

    Args:
        variable: A tensor or a `Variable`.

    Returns:
        A tensor of the value of `variable`, treated as a constant by differentiation.

    Examples:
        >>> keras.ops.stop_gradient(np.array([1.0], 'float32'))
        array([1.], dtype=float32)
    """


@op
def cond(pred: Tensor, true_fn, false_fn):
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


@op
def switch(index: Tensor, branches, *operands: Nested):
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


@op
def while_loop(cond, body, loop_vars: Nested, maximum_iterations=None):
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


@op
def fori_loop(lower, upper, body_fun, init_val: Nested):
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


@op
def scan(f, init: Nested, xs: Nested = None, length=None, reverse=False, unroll=1):
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


@op
def associative_scan(f, elems: Nested, reverse=False, axis=0):
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


@op
def map(f, xs: Nested):
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


@op
def vectorized_map(function, elements: Nested):
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


@op
def unstack(x: Tensor, num=None, axis=0):
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


@op
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
