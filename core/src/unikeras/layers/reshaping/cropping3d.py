"""`Cropping3D`: removes entries at the borders of volumes."""

from unikeras.layers.reshaping.base_axis_pairs import BaseCropping


class Cropping3D(BaseCropping):
    """Crops the three spatial axes of rank-5 inputs.

    Args:
        cropping: int (every side), 3 ints (symmetric per axis) or 3 `(before, after)` pairs.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).

    Examples:
        >>> keras.layers.Cropping3D(1)(np.zeros((1, 4, 5, 6, 2), "float32")).shape
        (1, 2, 3, 4, 2)
        >>> keras.layers.Cropping3D(((1, 0), (0, 1), (2, 0)))(np.zeros((1, 4, 4, 4, 2))).shape
        (1, 3, 3, 2, 2)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format, **kwargs)
