"""`ZeroPadding3D`: adds zeros around volumes."""

from unikeras.layers.reshaping.base_axis_pairs import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Zero-pads the three spatial axes of rank-5 inputs.

    Args:
        padding: int (every side), 3 ints (symmetric per axis) or 3 `(before, after)` pairs.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).

    Examples:
        >>> y = keras.layers.ZeroPadding3D(1)(np.ones((1, 1, 1, 1, 1), "float32"))
        >>> y.shape
        (1, 3, 3, 3, 1)
        >>> y[0, :, 1, 1, 0]
        array([0., 1., 0.], dtype=float32)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, padding, data_format, **kwargs)
