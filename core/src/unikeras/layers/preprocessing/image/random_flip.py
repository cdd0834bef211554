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
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomFlip("horizontal", seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (1, 4, 4, 3)).astype("float32")
        >>> y = layer(images)  # `training` defaults to True in a direct call
        >>> bool(np.array_equal(y, images) or np.array_equal(y, images[:, :, ::-1]))
        True
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        check_choice(self, "mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL))
        self.mode = mode

    def _draw(self, images):
        return ops.less_equal(self._uniform((ops.shape(images)[0], 1, 1, 1), 0.0, 1.0), 0.5)

    def _augment(self, images, flip, interpolation):
        height_axis, width_axis = self._spatial_axes(4)
        if self.mode != VERTICAL:
            images = ops.where(flip, ops.flip(images, axis=width_axis), images)
        if self.mode != HORIZONTAL:
            images = ops.where(flip, ops.flip(images, axis=height_axis), images)
        return images

    def _augment_boxes(self, boxes, flip, height, width):
        flip = ops.reshape(flip, (-1, 1, 1))
        x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
        if self.mode != VERTICAL:
            x1, x2 = ops.subtract(width, x2), ops.subtract(width, x1)
        if self.mode != HORIZONTAL:
            y1, y2 = ops.subtract(height, y2), ops.subtract(height, y1)
        flipped = ops.concatenate([x1, y1, x2, y2], axis=-1)
        return ops.where(flip, flipped, boxes), height, width

    def get_config(self):
        config = super().get_config()
        config["mode"] = self.mode
        return config
