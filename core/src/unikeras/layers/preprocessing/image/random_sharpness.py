"""`RandomSharpness`: blends each image with a smoothed copy of itself."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base_unit_color import RandomUnitColorLayer


class RandomSharpness(RandomUnitColorLayer):
    """Randomly blurs or sharpens images during training (the identity at inference).

    Each image `x` becomes `x + (1 - 2 f) * (smooth(x) - x)`, `f` drawn per image in
    `[lower, upper]` and `smooth` the per-channel 3x3 convolution with
    `[[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13` (zero padding), clipped to `value_range`:
    `f = 0` gives the smoothed image, `f = 0.5` the input, `f = 1` a sharpened image.

    Args:
        factor: A number `f` in `[0, 1]` (range `(0, f)`) or a pair `(lower, upper)`.
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.RandomSharpness(0.5, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> y = layer(images)
        >>> bool(y.min() >= 0 and y.max() <= 255)  # clipped to value_range
        True
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def _adjust(self, images, factor):
        channels = images.shape[-1 if self.data_format == "channels_last" else 1]
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = ops.convert_to_tensor([[a, a, a], [a, b, a], [a, a, a]], self.compute_dtype)
        kernel = ops.tile(ops.reshape(kernel, (3, 3, 1, 1)), (1, 1, channels, 1))
        smoothed = ops.depthwise_conv(images, kernel, padding="same", data_format=self.data_format)
        return ops.add(
            images,
            ops.multiply(
                ops.subtract(1.0, ops.multiply(2.0, factor)), ops.subtract(smoothed, images)
            ),
        )
