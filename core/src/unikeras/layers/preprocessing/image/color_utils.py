"""Helpers of the colour layers: value ranges, Keras' `[0, 1]` factors, and the base of the
colour layers that draw nothing."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import ImageLayer, factor_range


def value_range_pair(layer, value_range):
    """Checks a `value_range` argument (two numbers) and returns it sorted, as a tuple."""
    if not isinstance(value_range, (list, tuple)) or len(value_range) != 2:
        raise ValueError(
            f'Layer "{layer.name}": `value_range` must be a list of two numbers. '
            f"Received: value_range={value_range!r}"
        )
    return tuple(sorted(value_range))


def unit_factor(layer, arg, factor, low=0.0):
    """Checks a Keras factor: a number `f` (`|f|` in `[0, 1]`, `f >= low`) gives `(0, |f|)`,
    a pair (values in `[low, 1]`) is sorted."""
    lower, upper = factor_range(layer, arg, factor, low, 1.0)
    return (lower, upper) if isinstance(factor, (list, tuple)) else (0.0, upper)


def rescale(images, source, target):
    """Maps `images` linearly from the `(low, high)` range `source` onto `target`."""
    if tuple(source) == tuple(target):
        return images
    scale = (target[1] - target[0]) / (source[1] - source[0])
    return ops.add(ops.multiply(ops.subtract(images, source[0]), scale), target[0])


class ColorLayer(ImageLayer):
    """Base of the colour layers without random draws. Bounding boxes and segmentation
    masks of dict inputs pass through unchanged.

    Args:
        value_range: `(low, high)`: the range of the input values.
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = value_range_pair(self, value_range)

    def _transform_masks(self, masks, transformation):
        return masks

    def _transform_boxes(self, boxes, transformation, height, width):
        return None

    def get_config(self):
        config = super().get_config()
        config["value_range"] = list(self.value_range)
        return config


def adjust_hsv(layer, images, adjust):
    """Maps RGB `images` from `layer.value_range` to `[0, 1]`, applies `adjust(hue,
    saturation, value)` (channels of shape `(batch, ..., 1, ...)`) in HSV, and maps back."""
    axis = -1 if layer.data_format == "channels_last" else 1
    hsv = ops.image.rgb_to_hsv(
        rescale(images, layer.value_range, (0, 1)), data_format=layer.data_format
    )
    hsv = ops.concatenate(adjust(*ops.split(hsv, 3, axis=axis)), axis=axis)
    rgb = ops.image.hsv_to_rgb(hsv, data_format=layer.data_format)
    return rescale(rgb, (0, 1), layer.value_range)
