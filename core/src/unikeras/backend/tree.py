"""Nested structures (lists, tuples, dicts, namedtuples) of leaves: flatten, map, repack.

Dicts are traversed in sorted-key order, like Keras 3's `keras.tree`. `None` is a leaf.
"""


def is_nested(x):
    """Returns whether `x` is a list, tuple or dict (a structure, not a leaf)."""
    return isinstance(x, (list, tuple, dict))


def _children(x):
    if isinstance(x, dict):
        return [x[k] for k in sorted(x, key=_sort_key)]
    return list(x)


def _sort_key(key):
    return (type(key).__name__, key) if not isinstance(key, str) else ("", key)


def flatten(structure):
    """Returns the leaves of `structure` in order, as a list."""
    if not is_nested(structure):
        return [structure]
    out = []
    stack = [structure]
    # Iterative depth-first walk keeping left-to-right order.
    while stack:
        item = stack.pop()
        if is_nested(item):
            stack.extend(reversed(_children(item)))
        else:
            out.append(item)
    return out


def _rebuild(template, children):
    if isinstance(template, dict):
        keys = sorted(template, key=_sort_key)
        rebuilt = dict(zip(keys, children))
        return (
            type(template)((k, rebuilt[k]) for k in template)
            if type(template) is not dict
            else {k: rebuilt[k] for k in template}
        )
    if isinstance(template, tuple) and hasattr(template, "_fields"):
        return type(template)(*children)
    return type(template)(children)


def pack_sequence_as(structure, flat_sequence):
    """Returns `flat_sequence` arranged in the nesting of `structure`."""
    flat = list(flat_sequence)
    values = iter(flat)
    try:
        result = _pack(structure, values)
        mismatch = next(values, _END) is not _END
    except StopIteration:
        mismatch = True
    if mismatch:
        raise ValueError(
            f"pack_sequence_as: structure has {len(flatten(structure))} leaves but {len(flat)} "
            "values given."
        )
    return result


_END = object()


def _pack(template, values):
    # A module-level function, not a closure over itself: a self-referencing closure is a
    # reference cycle, which kept every packed value (a torch output and its autograd graph)
    # alive until the cyclic garbage collector ran.
    if not is_nested(template):
        return next(values)
    return _rebuild(template, [_pack(c, values) for c in _children(template)])


def map_structure(fn, *structures):
    """Applies `fn` to corresponding leaves of `structures`, keeping the first's nesting."""
    if not structures:
        raise ValueError("map_structure needs at least one structure.")
    flats = [flatten(s) for s in structures]
    lengths = {len(f) for f in flats}
    if len(lengths) != 1:
        raise ValueError(f"map_structure: structures have different leaf counts {sorted(lengths)}.")
    return pack_sequence_as(structures[0], [fn(*leaves) for leaves in zip(*flats)])
