"""`RandomSaturation`: scales the saturation of each image by a random factor."""

from unikeras import ops
from unikeras.backend.config import epsilon
from unikeras.layers.preprocessing.image.base_unit_color import RandomUnitColorLayer
from unikeras.layers.preprocessing.image.color_utils import adjust_hsv


class RandomSaturation(RandomUnitColorLayer):
    """Randomly adjusts the saturation of RGB images during training (the identity at
    inference).

    For `u` drawn per image in `[lower, upper]`, the HSV saturation is multiplied by
    `u / (1 - u + epsilon)` and clipped to `[0, 1]`: `u = 0.5` keeps the image, `u = 0`
    makes it grayscale and `u = 1` fully saturated.

    Args:
        factor: A number `f` in `[0, 1]` (range `(0, f)`) or a pair `(lower, upper)` in
            `[-1, 1]` (as Keras 3 stores it; a negative `u` gives a grayscale image).
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.RandomSaturation(0.5, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> y = layer(images)
        >>> bool(y.min() >= 0 and y.max() <= 255)  # clipped to value_range
        True
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    _FACTOR_LOW = -1.0

    def _adjust(self, images, factor):
        scale = ops.divide(factor, ops.add(ops.subtract(1.0, factor), epsilon()))
        return adjust_hsv(
            self,
            images,
            lambda hue, sat, val: (hue, ops.clip(ops.multiply(sat, scale), 0.0, 1.0), val),
        )
