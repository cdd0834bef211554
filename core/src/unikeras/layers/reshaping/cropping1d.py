"""`Cropping1D`: removes entries at the ends of the steps axis."""

from unikeras.layers.reshaping.base_axis_pairs import BaseCropping


class Cropping1D(BaseCropping):
    """Crops `(batch, steps, features)` inputs along the steps axis.

    Args:
        cropping: int (both ends) or `(before, after)`.

    Examples:
        >>> keras.layers.Cropping1D((1, 1))(np.arange(5.0).reshape(1, 5, 1))[..., 0]
        array([[1., 2., 3.]], dtype=float32)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(1, cropping, "channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]
        return config
