"""Op hooks of the core namespace (`keras.ops.core`): casting, shapes, control flow."""

from unikeras.backend.hookspec import Nested, Tensor, op


@op
def cast(x: Tensor, dtype):
    """Casts `x` to `dtype` (a dtype name or object).

    Example:

    >>> keras.ops.cast(np.array([1.7, -1.2]), 'int32')
    array([ 1, -1], dtype=int32)
    """


@op
def get_item(x: Tensor, key):
    """Returns `x[key]`.

    Args:
        x: Input tensor.
        key: The index: an int, a slice, `None`, `Ellipsis`, or a tuple of these (NumPy
            basic indexing).

    Returns:
        The selected part of `x`, with the dtype of `x`.

    Example:

    >>> keras.ops.get_item(np.arange(6).reshape(2, 3), (slice(None), 1))
    array([1, 4])
    >>> keras.ops.get_item(np.arange(5), slice(1, 4))
    array([1, 2, 3])
    """


@op
def shape(x: Tensor):
    """Returns the shape of `x` as a tuple of ints (`None` for dimensions unknown at trace time)."""


@op
def saturate_cast(x: Tensor, dtype):
    """Casts `x` to `dtype`, first clipping it to the range `dtype` can represent.

    `saturate_cast([-1., 256.], "uint8")` gives `[0, 255]` where `cast` would wrap around.
    """


@op
def slice(inputs: Tensor, start_indices, shape):
    """Returns the block of `inputs` of size `shape` starting at `start_indices`.

    Args:
        inputs: Tensor of rank `n`.
        start_indices: `n` ints (or an int tensor): where the block starts on each axis.
        shape: `n` ints: the size of the block on each axis.

    Example:

    >>> keras.ops.slice(np.arange(6), (1,), (3,))
    array([1, 2, 3])
    """


@op
def slice_update(inputs: Tensor, start_indices, updates: Tensor):
    """Returns `inputs` with the block starting at `start_indices` replaced by `updates`.

    `updates` has the rank of `inputs` and is cast to its dtype.

    Example:

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

    Example:

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
        reduction: `None` (replace), `"add"`, `"mul"`, `"max"` or `"min"`: how an update
            combines with the value already there.

    Example:

    >>> keras.ops.scatter_update(np.zeros(3, 'int32'), np.array([[1]]), np.array([9], 'int32'))
    array([0, 9, 0], dtype=int32)
    """


@op
def stop_gradient(variable: Tensor):
    """Returns `variable` unchanged, but no gradient flows back through it.

    Example:

    >>> keras.ops.stop_gradient(np.array([1.0], 'float32'))
    array([1.], dtype=float32)
    """


@op
def cond(pred: Tensor, true_fn, false_fn):
    """Returns `true_fn()` if `pred` is true, else `false_fn()`.

    Both functions take no argument and return structures of the same shapes and dtypes.

    Example:

    >>> keras.ops.cond(True, lambda: 1, lambda: 2)
    1
    """


@op
def switch(index: Tensor, branches, *operands: Nested):
    """Calls `branches[index](*operands)`; `index` is clamped to `[0, len(branches) - 1]`."""


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

    Example:

    >>> keras.ops.while_loop(lambda i: i < 5, lambda i: i + 2, 0)
    6
    """


@op
def fori_loop(lower, upper, body_fun, init_val: Nested):
    """Returns `val` after `for i in range(lower, upper): val = body_fun(i, val)`.

    Example:

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
        reverse: Scan from the end.
        unroll: Loop unrolling hint (a positive int, or `True` to unroll fully).

    Returns:
        `(final_carry, ys)`, where `ys` stacks the `y`s along a new leading axis.
    """


@op
def associative_scan(f, elems: Nested, reverse=False, axis=0):
    """Inclusive scan of `elems` along `axis` with the associative binary function `f`.

    `f(a, b)` takes and returns structures like `elems`, acting element-wise over slices.
    With `f = add` this is a cumulative sum.
    """


@op
def map(f, xs: Nested):
    """Returns `f` applied to each slice of `xs` along axis 0, stacked along axis 0."""


@op
def vectorized_map(function, elements: Nested):
    """Like `map(function, elements)`, vectorized where the backend can (`jax.vmap`)."""


@op
def unstack(x: Tensor, num=None, axis=0):
    """Splits `x` along `axis` into a list of tensors of rank `x.ndim - 1`."""


@op
def custom_gradient(f):
    """Decorator: `f(*args)` returns `(output, grad_fn)`; gradients of output use `grad_fn`.

    `grad_fn(*upstream, value=None)` (or `grad_fn(upstream)`) returns the gradients with
    respect to the inputs. Backends without autodiff return a function giving `output`.
    """
