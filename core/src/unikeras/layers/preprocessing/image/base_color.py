"""Base of the random colour layers: a value range the outputs are clipped to."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import RandomImageLayer
from unikeras.layers.preprocessing.image.color_utils import value_range_pair


class RandomColorLayer(RandomImageLayer):
    """Adjusts each image by a random factor, then clips the result to `value_range`.
    Bounding boxes and segmentation masks of dict inputs pass through unchanged.

    Subclasses set `self.factor` (the validated pair), and implement `_factor_bounds()` (the
    interval the factor is drawn in) and `_adjust(images, factor)` (`factor` of shape
    `(batch, 1, 1, 1)`).

    Args:
        value_range: `(low, high)`: the range of the input values, also the clip range.
        seed: Int seed of the layer's random generator.
    """

    def __init__(self, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.value_range = value_range_pair(self, value_range)

    def _draw(self, images):
        return self._uniform((ops.shape(images)[0], 1, 1, 1), *self._factor_bounds())

    def _augment(self, images, factor, interpolation):
        return ops.clip(self._adjust(images, factor), *self.value_range)

    def _transform_masks(self, masks, transformation):
        return masks

    def _augment_boxes(self, boxes, factor, height, width):
        return None

    def get_config(self):
        config = super().get_config()
        config.update({"factor": list(self.factor), "value_range": list(self.value_range)})
        return config
