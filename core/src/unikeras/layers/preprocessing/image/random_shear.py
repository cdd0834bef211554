"""`RandomShear`: shears each image along x and/or y by a random amount in training."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import factor_range
from unikeras.layers.preprocessing.image.base_affine import RandomAffineLayer, affine_rows


class RandomShear(RandomAffineLayer):
    """Randomly shears images during training (the identity at inference).

    Each image draws `shear_x` in `x_factor` and `shear_y` in `y_factor`, both negated
    together with probability 1/2; the output pixel `(x, y)` then reads the input at
    `(x + shear_x * y, y + shear_y * x)` (a shear about the top-left corner, as in Keras 3).

    Args:
        x_factor: A number `f` in `[0, 1]` (shear in `[-f, f]`) or a pair `(lower, upper)`
            of numbers in `[0, 1]`: the horizontal shift per row, as a fraction of a pixel.
        y_factor: The same for the vertical shift per column.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"` (see
            `RandomAffineLayer`).
        fill_value: The value outside the input when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: Int seed of the layer's random generator.
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomShear(x_factor=0.2, y_factor=0.2, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        seed=None,
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
        self.x_factor = x_factor
        self.y_factor = y_factor
        self.x_range = factor_range(self, "x_factor", x_factor, 0.0, 1.0)
        self.y_range = factor_range(self, "y_factor", y_factor, 0.0, 1.0)

    def _transforms(self, batch, height, width):
        # Keras 3's draw order: the sign, then y, then x.
        sign = ops.where(ops.greater(self._uniform((batch,), 0.0, 1.0), 0.5), -1.0, 1.0)
        shear_y = ops.multiply(self._uniform((batch,), *self.y_range), sign)
        shear_x = ops.multiply(self._uniform((batch,), *self.x_range), sign)
        return affine_rows(batch, 1.0, shear_x, 0.0, shear_y, 1.0, 0.0)

    def get_config(self):
        config = super().get_config()
        config.update({"x_factor": self.x_factor, "y_factor": self.y_factor})
        return config
