"""`UpSampling1D`: repeats each step."""

from unikeras.layers.reshaping.base_upsampling import BaseUpSampling


class UpSampling1D(BaseUpSampling):
    """Repeats each step of `(batch, steps, features)` inputs `size` times.

    Args:
        size: int, the upsampling factor.

    Examples:
        >>> keras.layers.UpSampling1D(2)(np.array([[[1.0], [2.0]]], 'float32'))[..., 0]
        array([[1., 1., 2., 2.]], dtype=float32)
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(1, size, "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        config["size"] = self.size[0]
        return config
