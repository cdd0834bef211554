"""`RandomColorDegeneration`: blends each image towards its grayscale version."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base_unit_color import RandomUnitColorLayer


class RandomColorDegeneration(RandomUnitColorLayer):
    """Randomly dulls the colours of RGB images during training (the identity at
    inference).

    Each image `x` becomes `x + f * (gray(x) - x)`, `gray` its luma repeated over the
    channels and `f` drawn per image in `[lower, upper]`, clipped to `value_range`.

    Args:
        factor: A number `f` in `[0, 1]` (range `(0, f)`) or a pair `(lower, upper)` in
            `[-1, 1]` (as Keras 3 stores it; a negative `f` moves colours away from gray).
        value_range: `(low, high)` range of the input values. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.RandomColorDegeneration(0.5, seed=0)
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
        gray = ops.image.rgb_to_grayscale(images, data_format=self.data_format)
        return ops.add(images, ops.multiply(factor, ops.subtract(gray, images)))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        channels = input_shape[-1 if self.data_format == "channels_last" else -3]
        if channels is not None and channels != 3:
            raise ValueError(
                f'Layer "{self.name}" expected RGB images with 3 channels. '
                f"Received: input_shape={tuple(input_shape)}"
            )
        return tuple(input_shape)
