"""`RandomZoom`: zooms each image in or out by a random factor per axis in training."""

from unikeras import ops
from unikeras.layers.preprocessing.image.base import factor_range
from unikeras.layers.preprocessing.image.base_affine import RandomAffineLayer, affine_rows


class RandomZoom(RandomAffineLayer):
    """Randomly zooms images during training (the identity at inference).

    Each image is scaled about its centre: the output pixel at distance `d` from the centre
    reads the input at distance `zoom * d`, with `zoom` drawn uniformly in
    `[1 + lower, 1 + upper]` per axis; a positive factor zooms out, a negative one in.

    Args:
        height_factor: A number `f` in `(-1, 1]` (zoom in `[1 - f, 1 + f]`) or a pair
            `(lower, upper)`, for the vertical axis.
        width_factor: The same for the horizontal axis; `None` uses the vertical zoom for
            both axes (the aspect ratio is kept).
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: Int seed of the layer's random generator.
        fill_value: The value outside the input when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        bounding_box_format: (keyword) Format of the boxes of dict inputs (e.g. `"xyxy"`).

    Examples:
        >>> layer = keras.layers.RandomZoom(0.2, seed=0)
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer(images).shape  # augmented: `training` defaults to True in a direct call
        (2, 8, 8, 3)
        >>> bool(np.array_equal(layer(images, training=False), images))  # inference
        True
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
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
        self.height_range = factor_range(
            self, "height_factor", height_factor, -1.0, 1.0, low_open=True
        )
        self.width_range = (
            None
            if width_factor is None
            else factor_range(self, "width_factor", width_factor, -1.0, 1.0, low_open=True)
        )

    def _transforms(self, batch, height, width):
        lower, upper = self.height_range
        zoom_y = self._uniform((batch,), 1.0 + lower, 1.0 + upper)
        zoom_x = zoom_y
        if self.width_range is not None:
            lower, upper = self.width_range
            zoom_x = self._uniform((batch,), 1.0 + lower, 1.0 + upper)
        return affine_rows(
            batch,
            zoom_x,
            0.0,
            _centre_shift(width, zoom_x),
            0.0,
            zoom_y,
            _centre_shift(height, zoom_y),
        )

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor})
        return config


def _centre_shift(size, zoom):
    """The offset that keeps the centre `(size - 1) / 2` fixed under scaling by `zoom`."""
    return ops.multiply((size - 1) / 2, ops.subtract(1.0, zoom))
