"""`ZeroPadding3D`: adds zeros around volumes."""

from unikeras.layers.reshaping.base_axis_pairs import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    """Zero-pads the three spatial axes of rank-5 inputs.

    Args:
        padding: int (every side), 3 ints (symmetric per axis) or 3 `(before, after)` pairs.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, padding, data_format, **kwargs)
