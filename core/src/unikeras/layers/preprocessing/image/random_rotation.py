"""`RandomRotation`: rotates each image by a random angle about its centre in training."""

import math

from unikeras import ops
from unikeras.layers.preprocessing.image.base import factor_range
from unikeras.layers.preprocessing.image.base_affine import RandomAffineLayer, affine_rows


class RandomRotation(RandomAffineLayer):
    """Randomly rotates images during training (the identity at inference).

    Each image turns by its own angle, drawn uniformly in `[lower, upper] * 360` degrees,
    about its centre `((width - 1) / 2, (height - 1) / 2)`; positive angles turn
    counter-clockwise.

    Args:
        factor: A number `f` in `[-1, 1]` (angles in `[-f, f]` turns) or a pair
            `(lower, upper)` of fractions of a full turn.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"` (see
            `RandomAffineLayer`).
        interpolation: `"bilinear"` or `"nearest"`.
        seed: Int seed of the layer's random generator.
        fill_value: The value outside the input when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomRotation(0.2, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(
        self,
        factor,
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
        self.factor = factor_range(self, "factor", factor, -1.0, 1.0)

    def _transforms(self, batch, height, width):
        lower, upper = self.factor
        angle = ops.multiply(self._uniform((batch,), lower * 360.0, upper * 360.0), math.pi / 180.0)
        cos, sin = ops.cos(angle), ops.sin(angle)
        cx, cy = (width - 1) / 2, (height - 1) / 2
        # Output (x, y) reads the input at centre + R(angle) (p - centre).
        one_minus_cos = ops.subtract(1.0, cos)
        return affine_rows(
            batch,
            cos,
            ops.negative(sin),
            ops.add(ops.multiply(cx, one_minus_cos), ops.multiply(cy, sin)),
            sin,
            cos,
            ops.subtract(ops.multiply(cy, one_minus_cos), ops.multiply(cx, sin)),
        )

    def get_config(self):
        config = super().get_config()
        config["factor"] = list(self.factor)
        return config
