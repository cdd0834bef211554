"""`RandomTranslation`: shifts each image by a random offset in training."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import factor_range
from unikeras.layers.preprocessing.image.base_affine import RandomAffineLayer, affine_rows


class RandomTranslation(RandomAffineLayer):
    """Randomly translates images during training (the identity at inference).

    Each image moves down by `dy = u * height` and right by `dx = v * width` pixels, `u`
    and `v` drawn uniformly in the factor ranges (negative values move up / left).

    Args:
        height_factor: A number `f` in `[-1, 1]` (shifts in `[-f, f] * height`) or a pair
            `(lower, upper)` of fractions of the height.
        width_factor: The same, as fractions of the width.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: Int seed of the layer's random generator.
        fill_value: The value outside the input when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomTranslation(0.2, 0.2, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(
            fill_mode=fill_mode,
            interpolation=interpolation,
            seed=seed,
            fill_value=fill_value,
            data_format=data_format,
            **kwargs,
        )
        self.height_factor = height_factor
        self.width_factor = width_factor
        self.height_range = factor_range(self, "height_factor", height_factor, -1.0, 1.0)
        self.width_range = factor_range(self, "width_factor", width_factor, -1.0, 1.0)

    def _transforms(self, batch, height, width):
        dy = ops.multiply(self._uniform((batch,), *self.height_range), height)
        dx = ops.multiply(self._uniform((batch,), *self.width_range), width)
        return affine_rows(batch, 1.0, 0.0, ops.negative(dx), 0.0, 1.0, ops.negative(dy))

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return config
