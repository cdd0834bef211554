"""Argument checks and output-size arithmetic shared by convolution and pooling layers."""

import operator

from unikeras import ops


def _as_int(value):
    try:
        return operator.index(value)
    except TypeError:
        return None


def standardize_tuple(value, n, name, allow_zero=False):
    """Returns `value` (an int or an iterable of `n` ints) as a tuple of `n` ints."""
    if _as_int(value) is not None:
        result = (_as_int(value),) * n
    else:
        try:
            result = tuple(_as_int(v) for v in value)
        except TypeError:
            result = None
        if result is None or len(result) != n or None in result:
            raise ValueError(
                f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
            )
    smallest = 0 if allow_zero else 1
    if any(v < smallest for v in result):
        relation = ">= 0" if allow_zero else "> 0"
        raise ValueError(
            f"The `{name}` argument must be a tuple of integers {relation}. Received {name}={value}"
        )
    return result


def standardize_padding(value, allow_causal=False):
    """Returns `value` lowercased after checking it is `"valid"`, `"same"` (or `"causal"`)."""
    padding = str(value).lower()
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if padding not in allowed:
        raise ValueError(
            f"The `padding` argument must be one of {allowed}. Received: padding={value!r}"
        )
    return padding


def output_length(size, window, stride, dilation, padding):
    """Output size of one spatial axis (`None` stays `None`)."""
    if size is None:
        return None
    if padding == "valid":
        return (size - (window - 1) * dilation - 1) // stride + 1
    return (size - 1) // stride + 1


def spatial_output_shape(layer, input_shape, windows, strides, dilations, padding):
    """Output sizes of the spatial axes of `input_shape` (in `layer.data_format`).

    Raises a ValueError naming `layer` when an axis is too small for its window.
    """
    rank = len(windows)
    spatial = (
        input_shape[1 : rank + 1]
        if layer.data_format == "channels_last"
        else input_shape[2 : rank + 2]
    )
    sizes = tuple(
        output_length(*args, padding) for args in zip(spatial, windows, strides, dilations)
    )
    if any(s is not None and s <= 0 for s in sizes):
        raise ValueError(
            f'Layer "{layer.name}": computed output size would be negative or zero. '
            f"Received input shape {tuple(input_shape)}, window={windows}, strides={strides}, "
            f"dilation_rate={dilations}, padding={padding!r}."
        )
    return sizes


def with_channels(layer, batch, spatial, channels):
    """Assembles a full output shape in `layer.data_format`."""
    if layer.data_format == "channels_last":
        return (batch,) + tuple(spatial) + (channels,)
    return (batch, channels) + tuple(spatial)


def check_strides_dilation(layer):
    """Raises a ValueError naming `layer` when `strides > 1` meets `dilation_rate > 1`."""
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(
            f'Layer "{layer.name}": `strides > 1` is not supported together with '
            f"`dilation_rate > 1`. Received: strides={layer.strides}, "
            f"dilation_rate={layer.dilation_rate}"
        )


def known_channels(layer, input_shape):
    """The channel count of `input_shape` (in `layer.data_format`); it must be known."""
    channels = input_shape[-1 if layer.data_format == "channels_last" else 1]
    if channels is None:
        raise ValueError(
            f'Layer "{layer.name}": the channel dimension of the input must be '
            f"known. Received input shape {tuple(input_shape)}"
        )
    return channels


def add_bias(layer, outputs, bias):
    """`outputs + bias` with `bias` broadcast along the channel axis of `layer.data_format`."""
    if bias is None:
        return outputs
    if layer.data_format == "channels_last":
        return ops.add(outputs, bias)
    return ops.add(outputs, ops.reshape(bias, (1, -1) + (1,) * (len(outputs.shape) - 2)))


def spatial_axes(data_format, rank):
    """Indices of the `rank` spatial axes of an input in `data_format`."""
    first = 1 if data_format == "channels_last" else 2
    return range(first, first + rank)
