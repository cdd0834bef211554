"""`RandomGaussianBlur`: blurs some images with a Gaussian of random width in training."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer
from unikeras.layers.preprocessing.image.color_utils import unit_factor


class RandomGaussianBlur(RandomColorLayer):
    """Randomly blurs images during training (the identity at inference).

    Each image is blurred with probability `p`, itself drawn per image in `factor`, by a
    normalised Gaussian kernel with zero padding (as `keras.ops.image.gaussian_blur`); one
    pair of standard deviations (horizontal, vertical), drawn in `sigma` plus `1e-6`, serves
    the whole batch. Outputs are clipped to `value_range`. Bounding boxes and segmentation
    masks of dict inputs pass through.

    Args:
        factor: Probability of blurring: a number `f` in `[0, 1]` (drawn in `[0, f]`) or a
            pair `(lower, upper)`.
        kernel_size: Odd int, or a pair of odd ints `(width, height)`: the kernel size.
        sigma: A number `s` (`[0, s]`) or a pair `(lower, upper)` in `[0, 1]`: the range
            of the standard deviations.
        value_range: `(low, high)` range of the input values.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.

    Examples:
        >>> layer = keras.layers.RandomGaussianBlur(seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> y = layer(images)
        >>> bool(y.min() >= 0 and y.max() <= 255)  # clipped to value_range
        True
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(
        self,
        factor=1.0,
        kernel_size=3,
        sigma=1.0,
        value_range=(0, 255),
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = unit_factor(self, "factor", factor)
        sizes = list(kernel_size) if isinstance(kernel_size, (list, tuple)) else [kernel_size] * 2
        if len(sizes) != 2 or not all(
            isinstance(s, int) and not isinstance(s, bool) and s > 0 and s % 2 == 1 for s in sizes
        ):
            raise ValueError(
                f'Layer "{self.name}": `kernel_size` must be an odd positive int '
                f"or a pair of them. Received: kernel_size={kernel_size!r}"
            )
        self.kernel_size = tuple(sizes)
        self.sigma = unit_factor(self, "sigma", sigma)

    def _draw(self, images):
        batch = ops.shape(images)[0]
        probability = self._uniform((batch,), *self.factor)
        apply = ops.less(self._uniform((batch,), 0.0, 1.0), probability)
        return {"apply": apply, "sigma": ops.add(self._uniform((2,), *self.sigma), 1e-6)}

    def _adjust(self, images, draws):
        # The Gaussian of `keras.ops.image.gaussian_blur`, built here: that op takes
        # static standard deviations on some engines, and these are drawn.
        kx = _gaussian(self.kernel_size[0], draws["sigma"][0], images.dtype)
        ky = _gaussian(self.kernel_size[1], draws["sigma"][1], images.dtype)
        channels = images.shape[3 if self.data_format == "channels_last" else 1]
        kernel = ops.tile(
            ops.reshape(
                ops.multiply(ops.reshape(ky, (-1, 1)), ops.reshape(kx, (1, -1))),
                self.kernel_size[::-1] + (1, 1),
            ),
            (1, 1, channels, 1),
        )
        blurred = ops.depthwise_conv(images, kernel, padding="same", data_format=self.data_format)
        return ops.where(ops.reshape(draws["apply"], (-1, 1, 1, 1)), blurred, images)

    def get_config(self):
        config = super().get_config()
        config.update({"kernel_size": list(self.kernel_size), "sigma": list(self.sigma)})
        return config


def _gaussian(size, sigma, dtype):
    """The normalised Gaussian weights of `size` taps of standard deviation `sigma`."""
    offsets = ops.subtract(ops.arange(size, dtype=dtype), (size - 1) / 2)
    weights = ops.exp(ops.multiply(-0.5, ops.square(ops.divide(offsets, sigma))))
    return ops.divide(weights, ops.sum(weights))
