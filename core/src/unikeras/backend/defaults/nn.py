"""Default implementations of `keras.ops.nn` ops composed of other ops.

Each calls the active backend through the dispatch table (`ops` below), so an engine that
has a fused kernel for one of them (OpenVINO's `DepthToSpace`, say) overrides it.
"""

from unikeras.backend.common.conv_args import (
    check_depth_to_space,
    check_rank4,
    check_space_to_depth,
)
from unikeras.backend.config import standardize_data_format
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.registry import table as ops

default = hookimpl(trylast=True)


@default
def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    depthwise = ops.depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return ops.conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def _block_layout(op, x, block_size, data_format):
    """Returns `(x as channels_last, its static (h, w, c), batch for reshape, b, format)`."""
    x = ops.convert_to_tensor(x)
    shape = tuple(ops.shape(x))
    check_rank4(op, shape)
    data_format = standardize_data_format(data_format)
    if data_format == "channels_first":
        x = ops.transpose(x, (0, 2, 3, 1))
        shape = (shape[0], shape[2], shape[3], shape[1])
    batch = shape[0] if isinstance(shape[0], int) else -1  # unknown in a traced graph
    return x, shape, batch, int(block_size), data_format


def _to_format(x, data_format):
    return ops.transpose(x, (0, 3, 1, 2)) if data_format == "channels_first" else x


@default
def depth_to_space(x, block_size, data_format="channels_last"):
    x, shape, n, b, data_format = _block_layout("depth_to_space", x, block_size, data_format)
    check_depth_to_space(shape, b)
    _, h, w, c = shape
    depth = c // (b * b)
    if data_format == "channels_first":  # channels ordered (depth, block row, block col)
        x = ops.transpose(ops.reshape(x, (n, h, w, depth, b, b)), (0, 1, 4, 2, 5, 3))
    else:  # channels ordered (block row, block col, depth)
        x = ops.transpose(ops.reshape(x, (n, h, w, b, b, depth)), (0, 1, 3, 2, 4, 5))
    return _to_format(ops.reshape(x, (n, h * b, w * b, depth)), data_format)


@default
def space_to_depth(x, block_size, data_format="channels_last"):
    x, shape, n, b, data_format = _block_layout("space_to_depth", x, block_size, data_format)
    check_space_to_depth(shape, b)
    _, h, w, c = shape
    x = ops.reshape(x, (n, h // b, b, w // b, b, c))
    # Channel order as in `depth_to_space` for the same data_format.
    x = ops.transpose(
        x, (0, 1, 3, 5, 2, 4) if data_format == "channels_first" else (0, 1, 3, 2, 4, 5)
    )
    return _to_format(ops.reshape(x, (n, h // b, w // b, c * b * b)), data_format)
