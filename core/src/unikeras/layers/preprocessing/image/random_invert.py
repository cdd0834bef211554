"""`RandomInvert`: inverts the colours of a random share of the images."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer
from unikeras.layers.preprocessing.image.color_utils import unit_factor


class RandomInvert(RandomColorLayer):
    """Randomly inverts image colours during training (the identity at inference).

    For each image a probability `p` is drawn in `[lower, upper]`; with probability `p`
    the image `x` becomes `low + high - x` (`value_range = (low, high)`).

    Args:
        factor: A number `f` in `[0, 1]` (`p` in `[0, f]`) or a pair `(lower, upper)`.
            Defaults to `1.0`.
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.RandomInvert(factor=(1.0, 1.0), seed=0)  # always invert
        >>> layer(np.array([[[[0.0, 100.0, 255.0]]]], "float32"))  # 255 - x
        array([[[[255., 155.,   0.]]]], dtype=float32)
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = unit_factor(self, "factor", factor)

    def _draw(self, images):
        shape = (ops.shape(images)[0], 1, 1, 1)
        probability = self._uniform(shape, *self.factor)
        return ops.less(self._uniform(shape, 0.0, 1.0), probability)

    def _adjust(self, images, invert):
        low, high = self.value_range
        return ops.where(invert, ops.subtract(low + high, images), images)
