"""Parsers for the string arguments of `rearrange` (einops patterns) and `vectorize`
(generalized ufunc signatures). Pure Python on static values, shared by every backend."""

import re

_GROUP = re.compile(r"\(([^()]*)\)|([^\s()]+)")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _parse_side(text, pattern):
    groups = []
    for match in _GROUP.finditer(text):
        names = match.group(1).split() if match.group(1) is not None else [match.group(2)]
        for name in names:
            if not _NAME.match(name):
                raise ValueError(
                    f"rearrange: axis name {name!r} in pattern {pattern!r} is not an identifier "
                    "(only named axes and parenthesised groups are supported)."
                )
        groups.append(names)
    leftover = _GROUP.sub("", text).strip()
    if leftover:
        raise ValueError(f"rearrange: cannot parse {leftover!r} in pattern {pattern!r}.")
    return groups


def rearrange_plan(pattern, shape, axes_lengths):
    """Plans `rearrange(tensor, pattern, **axes_lengths)` for a tensor of `shape`.

    Args:
        pattern: `"<input axes> -> <output axes>"`.
        shape: The input's shape; entries may be `None` (unknown).
        axes_lengths: Dict of given axis sizes.

    Returns:
        `(split_shape, permutation, output_shape)`: the input reshaped to one axis per
        name (`split_shape`, entries may be `None`), transposed by `permutation`, then
        reshaped to `output_shape` (entries `None` where unknown).
    """
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise ValueError(
            f"rearrange: `pattern` must be a string 'inputs -> outputs', received {pattern!r}."
        )
    left_text, right_text = pattern.split("->")
    left, right = _parse_side(left_text, pattern), _parse_side(right_text, pattern)
    if len(left) != len(shape):
        raise ValueError(
            f"rearrange: pattern {pattern!r} names {len(left)} input axes but the tensor has "
            f"rank {len(shape)} (shape {tuple(shape)})."
        )
    left_names = [n for group in left for n in group]
    right_names = [n for group in right for n in group]
    for names, side in ((left_names, "input"), (right_names, "output")):
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(
                f"rearrange: axes {repeated} repeated on the {side} side of {pattern!r}."
            )
    if set(left_names) != set(right_names):
        raise ValueError(
            f"rearrange: the two sides of {pattern!r} must name the same axes; only on one "
            f"side: {sorted(set(left_names) ^ set(right_names))}."
        )
    unknown = sorted(set(axes_lengths) - set(left_names))
    if unknown:
        raise ValueError(f"rearrange: axes_lengths {unknown} are not axes of {pattern!r}.")
    sizes = {}
    for group, dim in zip(left, shape):
        dim = None if dim is None else int(dim)
        if len(group) == 1:
            name = group[0]
            given = axes_lengths.get(name)
            if given is not None and dim is not None and int(given) != dim:
                raise ValueError(
                    f"rearrange: axis {name!r} has size {dim}, but axes_lengths gives {given}."
                )
            sizes[name] = dim if dim is not None else given
            continue
        missing = [n for n in group if n not in axes_lengths]
        if len(missing) > 1:
            raise ValueError(
                f"rearrange: cannot infer the sizes of {missing} in group ({' '.join(group)}) "
                f"of {pattern!r}; give all but one in axes_lengths."
            )
        known = 1
        for n in group:
            if n in axes_lengths:
                sizes[n] = int(axes_lengths[n])
                known *= sizes[n]
        if missing:
            if dim is not None and (known == 0 or dim % known):
                raise ValueError(
                    f"rearrange: group ({' '.join(group)}) of size {dim} is not "
                    f"divisible by {known}."
                )
            sizes[missing[0]] = None if dim is None else dim // known
        elif dim is not None and known != dim:
            raise ValueError(
                f"rearrange: group ({' '.join(group)}) has size {dim}, but "
                f"axes_lengths multiply to {known}."
            )
    split_shape = [sizes[n] for n in left_names]
    permutation = [left_names.index(n) for n in right_names]
    output_shape = []
    for group in right:
        size = 1
        for n in group:
            size = None if size is None or sizes[n] is None else size * sizes[n]
        output_shape.append(size)
    return split_shape, permutation, tuple(output_shape)


_ARG = re.compile(r"\(([^()]*)\)")


def parse_signature(signature):
    """Parses a generalized ufunc signature such as `"(m,n),(n)->(m)"`.

    Returns:
        `(inputs, outputs)`: lists of tuples of core dimension names, one per argument.
    """
    if not isinstance(signature, str) or signature.count("->") != 1:
        raise ValueError(
            f"vectorize: invalid signature {signature!r}, expected e.g. '(n),(n)->()'."
        )
    sides = signature.replace(" ", "").split("->")
    parsed = []
    for side in sides:
        args = [tuple(d for d in m.group(1).split(",") if d) for m in _ARG.finditer(side)]
        if _ARG.sub("", side).replace(",", ""):
            raise ValueError(f"vectorize: invalid signature {signature!r}.")
        parsed.append(args)
    return parsed[0], parsed[1]
