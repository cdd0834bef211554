"""Argument checks shared by the public ops (the one home of the `_check_<op>` helpers).

A generated op calls its namespace module's `_check_<op>` first, with its own arguments, on
every backend and for KerasTensors too: an invalid argument raises the same `ValueError`
(naming the op, what it expects and what it received) whichever backend runs, and the
backends no longer check it each on their own. The checks read only cheap Python-level facts
(a value's `shape` attribute, option values): they never convert a tensor.
"""

import numpy as np


def static_shape(x):
    """The static shape of `x` as a tuple (`None` for an unknown dimension).

    Args:
        x: A tensor of any backend, a KerasTensor, a Variable, a NumPy array or a Python
            value (nested lists, scalars).

    Returns:
        The shape tuple, or `None` when even the rank is unknown (a graph tensor of unknown
        rank).
    """
    shape = getattr(x, "shape", None)
    if shape.__class__ is tuple:  # NumPy, JAX, KerasTensor: as it is
        return shape
    if shape is None:
        return np.shape(x)
    try:
        return tuple(shape)
    except (TypeError, ValueError):  # e.g. a TensorShape of unknown rank
        return None


def require_rank(op_name, name, x, ranks):
    """Raises a `ValueError` unless the rank of `x` is one of `ranks` (or unknown).

    Args:
        op_name: The op's name, for the message.
        name: The argument's name, for the message.
        x: The argument.
        ranks: The accepted ranks (a tuple of ints).

    Returns:
        The static shape of `x` (a tuple, or `None` when its rank is unknown).
    """
    shape = getattr(x, "shape", None)
    if shape.__class__ is not tuple:  # the common case inline: one call less per op call
        shape = static_shape(x)
    if shape is not None and len(shape) not in ranks:
        expected = " or ".join(f"{r}-D" for r in ranks)
        raise ValueError(f"{op_name}: `{name}` must be {expected}. Received: {name}.shape={shape}")
    return shape


def require_choice(op_name, name, value, choices):
    """Raises a `ValueError` unless `value` is one of `choices`.

    Args:
        op_name: The op's name, for the message.
        name: The argument's name, for the message.
        value: The argument.
        choices: The accepted values (a tuple).
    """
    if value not in choices:
        raise ValueError(
            f"{op_name}: `{name}` must be one of {', '.join(map(repr, choices))}. "
            f"Received: {name}={value!r}"
        )


def dim(shape, axis):
    """Dimension `axis` of `shape`, or `None` when unknown or when `axis` is out of range."""
    if shape is None or not -len(shape) <= axis < len(shape):
        return None
    return shape[axis]


def compatible(shape1, shape2):
    """Whether two static shapes can be equal (same rank, equal known dimensions)."""
    if shape1 is None or shape2 is None:
        return True
    return len(shape1) == len(shape2) and all(
        a is None or b is None or a == b for a, b in zip(shape1, shape2)
    )
