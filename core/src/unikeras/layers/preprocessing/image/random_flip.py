"""`RandomFlip`: flips images left-right and/or top-bottom at random in training."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import RandomImageLayer, check_choice

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(RandomImageLayer):
    """Randomly flips images during training (the identity at inference).

    Each image is flipped with probability 1/2. With `"horizontal_and_vertical"` one draw
    decides both flips, as in Keras 3: an image is either kept or flipped on both axes.

    Args:
        mode: `"horizontal"` (left-right), `"vertical"` (top-bottom) or
            `"horizontal_and_vertical"`.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        check_choice(self, "mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL))
        self.mode = mode

    def _augment(self, images):
        batch = ops.shape(images)[0]
        flip = ops.less_equal(self._uniform((batch, 1, 1, 1), 0.0, 1.0), 0.5)
        height_axis, width_axis = self._spatial_axes(4)
        axes = {HORIZONTAL: (width_axis,), VERTICAL: (height_axis,),
                HORIZONTAL_AND_VERTICAL: (width_axis, height_axis)}[self.mode]
        for axis in axes:
            images = ops.where(flip, ops.flip(images, axis=axis), images)
        return images

    def get_config(self):
        config = super().get_config()
        config["mode"] = self.mode
        return config
