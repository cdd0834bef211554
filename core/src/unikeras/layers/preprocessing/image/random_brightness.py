"""`RandomBrightness`: adds a random offset to each image."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import factor_range
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer


class RandomBrightness(RandomColorLayer):
    """Randomly adjusts brightness during training (the identity at inference).

    Each image gets `delta = u * (high - low)` added to all its values, `u` drawn per
    image in `[lower, upper]`, then is clipped to `value_range = (low, high)`: `u = -1`
    gives a black image, `u = 1` a white one.

    Args:
        factor: A number `f` in `[-1, 1]` (`u` in `[-f, f]`) or a pair `(lower, upper)`.
        value_range: `(low, high)` range of the input values; outputs are clipped to it.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"` (keyword argument).
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomBrightness(factor=(0.5, 0.5))  # u = 0.5 for every image
        >>> layer(np.zeros((1, 1, 1, 3), "float32"))  # + 0.5 * 255
        array([[[[127.5, 127.5, 127.5]]]], dtype=float32)
        >>> layer(np.zeros((1, 1, 1, 3), "float32"), training=False)  # inference
        array([[[[0., 0., 0.]]]], dtype=float32)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        self.factor = factor_range(self, "factor", factor, -1.0, 1.0)

    def _factor_bounds(self):
        return self.factor

    def _adjust(self, images, factor):
        low, high = self.value_range
        return ops.add(images, ops.multiply(factor, high - low))
