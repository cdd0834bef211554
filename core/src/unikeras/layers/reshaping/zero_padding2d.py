"""`ZeroPadding2D`: adds rows and columns of zeros around images."""

from unikeras.layers.reshaping.base_axis_pairs import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    """Zero-pads the height and width axes of rank-4 inputs.

    Args:
        padding: int (every side), `(symmetric_height, symmetric_width)` or
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).

    Examples:
        >>> keras.layers.ZeroPadding2D(1)(np.ones((1, 2, 2, 1), 'float32'))[0, ..., 0]
        array([[0., 0., 0., 0.],
               [0., 1., 1., 0.],
               [0., 1., 1., 0.],
               [0., 0., 0., 0.]], dtype=float32)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(2, padding, data_format, **kwargs)
