"""`UpSampling2D`: enlarges images by integer factors (nearest or interpolated)."""

from unikeras import ops
from unikeras.layers.reshaping.base_upsampling import BaseUpSampling

_INTERPOLATIONS = ("bicubic", "bilinear", "lanczos3", "lanczos5", "nearest")


class UpSampling2D(BaseUpSampling):
    """Upsamples the height and width axes of rank-4 inputs by `size`.

    Args:
        size: int or `(height_factor, width_factor)`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
        interpolation: `"nearest"` (rows and columns repeated) or one of `"bilinear"`,
            `"bicubic"`, `"lanczos3"`, `"lanczos5"` (computed by `ops.image.resize`).

    Examples:
        >>> keras.layers.UpSampling2D(2)(np.ones((1, 2, 3, 1), 'float32')).shape
        (1, 4, 6, 1)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(2, size, data_format, **kwargs)
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(
                f'Layer "{self.name}": `interpolation` must be one of '
                f"{_INTERPOLATIONS}. Received: interpolation={interpolation!r}"
            )
        self.interpolation = interpolation

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        height, width = (inputs.shape[axis] for axis in self._spatial_axes)
        return ops.image.resize(
            inputs,
            (height * self.size[0], width * self.size[1]),
            interpolation=self.interpolation,
            data_format=self.data_format,
        )

    def get_config(self):
        config = super().get_config()
        config["interpolation"] = self.interpolation
        return config
