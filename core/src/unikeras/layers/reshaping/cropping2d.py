"""`Cropping2D`: removes rows and columns at the borders of images."""

from unikeras.layers.reshaping.base_axis_pairs import BaseCropping


class Cropping2D(BaseCropping):
    """Crops the height and width axes of rank-4 inputs.

    Args:
        cropping: int (every side), `(symmetric_height, symmetric_width)` or
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).

    Examples:
        >>> keras.layers.Cropping2D(((1, 0), (0, 1)))(np.ones((1, 4, 4, 3), 'float32')).shape
        (1, 3, 3, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format, **kwargs)
