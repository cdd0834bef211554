"""`RandomHue`: rotates the hue of each image by a random angle."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base_unit_color import RandomUnitColorLayer
from unikeras.layers.preprocessing.image.color_utils import adjust_hsv


class RandomHue(RandomUnitColorLayer):
    """Randomly shifts the hue of RGB images during training (the identity at inference).

    Each image is converted to HSV, its hue (in `[0, 1]`) shifted by `±f / 2` modulo 1, `f`
    drawn per image in `[lower, upper]` and the sign at random, then converted back and
    clipped to `value_range`.

    Args:
        factor: A number `f` in `[0, 1]` (range `(0, f)`) or a pair `(lower, upper)`;
            `(f, f)` gives a shift of exactly `f / 2` either way.
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.RandomHue(0.5, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> y = layer(images)
        >>> bool(y.min() >= 0 and y.max() <= 255)  # clipped to value_range
        True
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def _draw(self, images):
        shape = (ops.shape(images)[0], 1, 1, 1)
        flip = ops.greater(self._uniform(shape, 0.0, 1.0), 0.5)
        magnitude = ops.multiply(self._uniform(shape, *self.factor), 0.5)
        return ops.where(flip, ops.negative(magnitude), magnitude)

    def _adjust(self, images, shift):
        return adjust_hsv(
            self, images, lambda hue, sat, val: (ops.mod(ops.add(hue, shift), 1.0), sat, val)
        )
