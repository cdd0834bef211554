"""`RandomErasing`: fills a random rectangle of some images in training."""

from unikeras import ops, random
from unikeras.layers.preprocessing.image.augment_utils import random_span, rectangle_mask
from unikeras.layers.preprocessing.image.base_color import RandomColorLayer
from unikeras.layers.preprocessing.image.color_utils import unit_factor


class RandomErasing(RandomColorLayer):
    """Randomly erases a rectangle of images during training (the identity at inference).

    Each image is erased with probability `p`, itself drawn per image in `factor`. Its
    rectangle covers the fractions `sqrt(s_w)` of the width and `sqrt(s_h)` of the height,
    `s_w` and `s_h` drawn in `scale`, at a uniform position, and is filled with
    `fill_value` (`None`: Gaussian noise of standard deviation `value_range[1]`), clipped to
    `value_range`. Bounding boxes and segmentation masks of dict inputs pass through.

    Args:
        factor: Probability of erasing: a number `f` in `[0, 1]` (drawn in `[0, f]`) or a
            pair `(lower, upper)`.
        scale: A number `s` (`[0, s]`) or a pair `(lower, upper)` in `[0, 1]`: the range
            of the squared side fractions of the rectangle.
        fill_value: `None`, a number, or one number per channel.
        value_range: `(low, high)` range of the input values.
        seed: Int seed of the layer's random generator.
        data_format: `"channels_last"` or `"channels_first"`.

    Examples:
        >>> layer = keras.layers.RandomErasing(seed=0)
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
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = unit_factor(self, "factor", factor)
        self.scale = unit_factor(self, "scale", scale)
        if fill_value is not None and not isinstance(fill_value, (int, float, list, tuple)):
            raise ValueError(
                f'Layer "{self.name}": `fill_value` must be None, a number or a '
                f"list of numbers. Received: fill_value={fill_value!r}"
            )
        self.fill_value = fill_value

    def _draw(self, images):
        shape = tuple(ops.shape(images))
        batch = shape[0]
        height, width = self._image_size(shape)
        # Keras 3's draw order: side fractions, x span, y span, probability, threshold, fill.
        sides = ops.sqrt(self._uniform((batch, 2), *self.scale))
        x0, x1 = random_span(self, batch, width, sides[:, 0])
        y0, y1 = random_span(self, batch, height, sides[:, 1])
        probability = self._uniform((batch,), *self.factor)
        apply = ops.less(self._uniform((batch,), 0.0, 1.0), probability)
        mask = ops.logical_and(
            rectangle_mask(self, shape, x0, x1, y0, y1), ops.reshape(apply, (-1, 1, 1, 1))
        )
        return {"mask": mask, "fill": self._fill(shape)}

    def _fill(self, shape):
        if self.fill_value is None:
            fill = ops.multiply(
                random.normal(shape, dtype=self.compute_dtype, seed=self.generator),
                self.value_range[1],
            )
        elif isinstance(self.fill_value, (list, tuple)):
            channels = [1, 1, 1, 1]
            channels[3 if self.data_format == "channels_last" else 1] = -1
            fill = ops.reshape(ops.convert_to_tensor(self.fill_value, self.compute_dtype), channels)
        else:
            fill = ops.convert_to_tensor(self.fill_value, self.compute_dtype)
        return ops.clip(fill, *self.value_range)

    def _augment(self, images, draws, interpolation):
        # Only the fill is clipped to `value_range`, not the images (as in Keras 3).
        return ops.where(draws["mask"], ops.cast(draws["fill"], images.dtype), images)

    def get_config(self):
        config = super().get_config()
        config.update({"scale": list(self.scale), "fill_value": self.fill_value})
        return config
