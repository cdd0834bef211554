"""Bases of the `Cropping*D` and `ZeroPadding*D` layers: a `(before, after)` pair of
sizes per spatial axis."""

import operator

from unikeras import ops
from unikeras.backend.config import standardize_data_format
from unikeras.layers.convolutional.conv_utils import spatial_axes
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


def _non_negative_int(value):
    try:
        value = operator.index(value)
    except TypeError:
        return None
    return value if value >= 0 else None


def standardize_pairs(value, rank, name):
    """Returns `value` as `rank` `(before, after)` pairs of non-negative ints.

    Accepted: an int (every side); for `rank == 1` a pair; otherwise `rank` ints (symmetric
    per axis) or `rank` pairs.
    """

    def pair(v):
        single = _non_negative_int(v)
        if single is not None:
            return (single, single)
        try:
            result = tuple(_non_negative_int(x) for x in v)
        except TypeError:
            return None
        return result if len(result) == 2 and None not in result else None

    if rank == 1:
        pairs = (pair(value),)
    elif _non_negative_int(value) is not None:
        pairs = (pair(value),) * rank
    else:
        try:
            pairs = tuple(pair(v) for v in value)
        except TypeError:
            pairs = (None,)
    if len(pairs) != rank or None in pairs:
        forms = (
            "an int or a tuple of 2 ints"
            if rank == 1
            else f"an int, a tuple of {rank} ints or a tuple of {rank} tuples of 2 ints"
        )
        raise ValueError(f"`{name}` must be {forms}, all >= 0. Received: {name}={value!r}")
    return pairs


class BaseAxisPairs(Layer):
    """Changes each spatial axis by a `(before, after)` pair; subclasses define `call`.

    Subclasses set `_arg_name` (the constructor argument: `"cropping"` or `"padding"`) and
    `_sign` (`-1` removes the pair's sizes, `+1` adds them).

    Args:
        rank: Number of spatial axes.
        pairs: The constructor argument, see `standardize_pairs`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
    """

    _arg_name = None
    _sign = None

    def __init__(self, rank, pairs, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.pairs = standardize_pairs(pairs, rank, self._arg_name)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def _spatial_axes(self):
        return spatial_axes(self.data_format, self.rank)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(self._spatial_axes, self.pairs):
            if shape[axis] is None:
                continue
            shape[axis] += self._sign * (before + after)
            if shape[axis] <= 0:
                raise ValueError(
                    f'Layer "{self.name}": `{self._arg_name}` {self.pairs} removes the whole '
                    f"axis {axis} of the input. Received input shape {tuple(input_shape)}"
                )
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config[self._arg_name] = self.pairs[0] if self.rank == 1 else self.pairs
        config["data_format"] = self.data_format
        return config


class BaseCropping(BaseAxisPairs):
    """Removes `before` / `after` entries at the ends of each spatial axis."""

    _arg_name = "cropping"
    _sign = -1

    def call(self, inputs):
        self.compute_output_shape(tuple(inputs.shape))
        key = [slice(None)] * (self.rank + 2)
        for axis, (before, after) in zip(self._spatial_axes, self.pairs):
            key[axis] = slice(before, -after if after else None)
        return ops.get_item(inputs, tuple(key))


class BaseZeroPadding(BaseAxisPairs):
    """Adds `before` / `after` zeros at the ends of each spatial axis."""

    _arg_name = "padding"
    _sign = 1

    def call(self, inputs):
        pad_width = [(0, 0)] * (self.rank + 2)
        for axis, pair in zip(self._spatial_axes, self.pairs):
            pad_width[axis] = pair
        return ops.pad(inputs, pad_width)
