"""`RandomContrast`: scales each channel's deviations from its mean by a random factor."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import factor_range
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer


class RandomContrast(RandomColorLayer):
    """Randomly adjusts contrast during training (the identity at inference).

    Each channel of each image becomes `(x - mean) * c + mean`, `mean` its mean over the
    image and `c` drawn per image in `[1 - lower, 1 + upper]`, then clipped to
    `value_range`.

    Args:
        factor: A number `f` in `[0, 1]` (`c` in `[1 - f, 1 + f]`) or a pair
            `(lower, upper)`.
        value_range: `(low, high)` range of the input values (e.g. `(0, 255)` or
            `(0, 1)`); outputs are clipped to it.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"` (keyword argument).
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomContrast(0.5, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> y = layer(images)
        >>> bool(y.min() >= 0 and y.max() <= 255)  # clipped to value_range
        True
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        self.factor = factor_range(self, "factor", factor, 0.0, 1.0, symmetric=False)

    def _factor_bounds(self):
        return 1.0 - self.factor[0], 1.0 + self.factor[1]

    def _adjust(self, images, factor):
        mean = ops.mean(images, axis=self._spatial_axes(4), keepdims=True)
        return ops.add(ops.multiply(ops.subtract(images, mean), factor), mean)
