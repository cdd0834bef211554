"""Helpers of the geometric and mixing augmentation layers: the random
rectangles of `RandomErasing` and `CutMix`."""

from unikeras import ops


def random_span(layer, batch, length, fraction):
    """Per image, a random `[start, end)` span covering `fraction` (a `(batch,)` tensor)
    of `length`, placed uniformly inside it; drawn from `layer`'s generator."""
    size = ops.multiply(fraction, float(length))
    start = ops.multiply(layer._uniform((batch,), 0.0, 1.0), ops.subtract(float(length), size))
    return start, ops.add(start, size)


def rectangle_mask(layer, shape, x0, x1, y0, y1):
    """Boolean images of `shape` (a batch), true at the pixels `(y, x)` with
    `x0 <= x < x1` and `y0 <= y < y1` (each bound a `(batch,)` tensor)."""
    height_axis, width_axis = layer._spatial_axes(4)
    height, width = shape[height_axis], shape[width_axis]

    def inside(length, start, end):
        grid = ops.reshape(ops.arange(length, dtype=layer.compute_dtype), (1, -1))
        return ops.logical_and(
            ops.greater_equal(grid, ops.reshape(start, (-1, 1))),
            ops.less(grid, ops.reshape(end, (-1, 1))),
        )

    mask = ops.logical_and(
        ops.expand_dims(inside(height, y0, y1), 2), ops.expand_dims(inside(width, x0, x1), 1)
    )
    channel_axis = 3 if layer.data_format == "channels_last" else 1
    return ops.expand_dims(mask, channel_axis)
