"""Axis arguments: normalization of ints, lists and tuples against a static rank."""

import numpy as np


def canonical_axes(axis, ndim):
    """`axis` (an int or a sequence) as a sorted tuple of non-negative axes of an `ndim` array."""
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    return tuple(sorted(a % ndim for a in axis))


def axis_arg(axis):
    """A list `axis` as a tuple (engines accept ints, tuples and `None`)."""
    return tuple(axis) if isinstance(axis, list) else axis


def sections(indices_or_sections):
    """A section count as an int, split points as a list of ints (static shapes)."""
    if isinstance(indices_or_sections, (int, np.integer)):
        return int(indices_or_sections)
    return [int(i) for i in np.asarray(indices_or_sections).reshape(-1)]
