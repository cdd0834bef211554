"""Argument checks shared by the public ops (the one home of the `_check_<op>` helpers).

A generated op calls its namespace module's `_check_<op>` first, with its own arguments, on
every backend and for KerasTensors too: an invalid argument raises the same `ValueError`
(naming the op, what it expects and what it received) whichever backend runs, and the
backends no longer check it each on their own. The checks read only cheap Python-level facts
(a value's `shape` attribute, option values): they never convert a tensor.
"""

import math

import numpy as np

from unikeras.backend import config as _config
from unikeras.backend.common import shape_rules as _shape_rules


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
    if shape1 == shape2 or shape1 is None or shape2 is None:  # the common case first
        return True
    return _shape_rules.compatible(shape1, shape2)


def check_block_starts(op_name, inputs, start_indices):
    """Raises a `ValueError` unless `start_indices` has one entry per axis of `inputs`.

    Args:
        op_name: The op's name (`"slice"`, `"slice_update"`), for the message.
        inputs: The tensor the block is taken from.
        start_indices: A sequence of ints (or scalar tensors), or an int tensor.

    Returns:
        The rank of `inputs`, or `None` when it is unknown.
    """
    shape = getattr(inputs, "shape", None)
    if shape.__class__ is not tuple:
        shape = static_shape(inputs)
    if shape is None:
        return None
    if isinstance(start_indices, (list, tuple)):
        count = len(start_indices)
    else:
        starts_shape = static_shape(start_indices)
        if starts_shape is None or None in starts_shape:
            return len(shape)
        count = math.prod(starts_shape)
    if count != len(shape):
        raise ValueError(
            f"{op_name}: `start_indices` must have one entry per axis of `inputs` (rank "
            f"{len(shape)}). Received: inputs.shape={shape}, {count} start indices"
        )
    return len(shape)


def conv_shapes(inputs, kernel, data_format):
    """The static input channel count and kernel shape of a convolution, for its checks.

    Args:
        inputs: The convolution's inputs `(batch, *spatial, channels)` (channels after the
            batch axis with `data_format="channels_first"`).
        kernel: Its kernel `(*kernel_size, in, out)`.
        data_format: `"channels_last"`, `"channels_first"` or `None` (the global default).

    Returns:
        `(channels, kernel_shape)`, or `None` when a rank is unknown or wrong (the backends
        report wrong ranks) or the channel count is unknown.
    """
    shape, kernel_shape = static_shape(inputs), static_shape(kernel)
    if shape is None or kernel_shape is None:
        return None
    if len(shape) not in (3, 4, 5) or len(kernel_shape) != len(shape):
        return None
    if data_format is None:
        data_format = _config.image_data_format()
    channels = shape[1] if data_format == "channels_first" else shape[-1]
    return None if channels is None else (channels, kernel_shape)
