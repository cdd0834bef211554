"""Control flow as plain Python loops, for eager backends (NumPy, PyTorch).

The backend supplies only its tensor pieces: `to_tensor` (conversion) and `stack` (stacking
a list of tensors along a new leading axis). Structures are handled with `tree`.
"""

from unikeras.backend import tree


def _as_tuple(state):
    return tuple(state) if isinstance(state, (tuple, list)) else (state,)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """`body(*state)` while `cond(*state)` (at most `maximum_iterations` times); the result
    has the container type of `loop_vars` (a single value, a tuple or a list)."""
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = _as_tuple(loop_vars)
    count = 0
    while (maximum_iterations is None or count < maximum_iterations) and bool(cond(*state)):
        state = _as_tuple(body(*state))
        count += 1
    if not is_sequence:
        return state[0]
    return type(loop_vars)(state) if isinstance(loop_vars, list) else state


def fori_loop(lower, upper, body_fun, init_val):
    """`body_fun(i, value)` for `i` in `range(lower, upper)`, starting from `init_val`."""
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def switch(index, branches, operands):
    """`branches[index](*operands)`, with `index` clamped into the range of `branches`."""
    index = min(max(int(index), 0), len(branches) - 1)
    return branches[index](*operands)


def leading_size(structure):
    """The size of axis 0 of the first non-None leaf of `structure` (0 without leaves)."""
    leaves = [leaf for leaf in tree.flatten(structure) if leaf is not None]
    return int(leaves[0].shape[0]) if leaves else 0


def _row(structure, i, to_tensor):
    return tree.map_structure(lambda a: None if a is None else to_tensor(a)[i], structure)


def _stack_results(results, to_tensor, stack):
    """Stacks a non-empty list of equally structured results along a new leading axis."""
    return tree.map_structure(lambda *leaves: stack([to_tensor(v) for v in leaves]), *results)


def scan(f, init, xs, length, reverse, to_tensor, stack):
    """`keras.ops.scan` as a Python loop: `(final carry, stacked per-step outputs)`."""
    if xs is None and length is None:
        raise ValueError("scan: `length` is required when `xs` is None.")
    n = int(length) if length is not None else leading_size(xs)
    if xs is not None and length is not None and leading_size(xs) != n:
        raise ValueError(
            f"scan: `length` ({n}) must match the leading dimension of `xs` ({leading_size(xs)})."
        )
    carry, ys = init, [None] * n
    for i in reversed(range(n)) if reverse else range(n):
        carry, ys[i] = f(carry, None if xs is None else _row(xs, i, to_tensor))
    if n == 0 or all(y is None for y in tree.flatten(ys[0])):
        return carry, None
    return carry, _stack_results(ys, to_tensor, stack)


def map(f, xs, to_tensor, stack):  # noqa: A001 - the name of the op
    """`keras.ops.map` as a Python loop over axis 0 of `xs`."""
    n = leading_size(xs)
    if n == 0:
        raise ValueError("map: `xs` has no entries along axis 0 to map over.")
    return _stack_results([f(_row(xs, i, to_tensor)) for i in range(n)], to_tensor, stack)


def check_unstack_num(num, size, axis):
    """Raises unless `num` (`None`: any) equals `size`, the size of the unstacked axis."""
    if num is not None and num != size:
        raise ValueError(f"unstack: `num` ({num}) must equal the size of axis {axis} ({size}).")
