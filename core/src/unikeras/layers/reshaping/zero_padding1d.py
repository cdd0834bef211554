"""`ZeroPadding1D`: adds zeros at the ends of the steps axis."""

from unikeras.layers.reshaping.base_axis_pairs import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    """Zero-pads the steps axis of `(batch, steps, features)` inputs (or channels_first).

    Args:
        padding: int (both ends) or `(before, after)`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).

    Examples:
        >>> keras.layers.ZeroPadding1D(1)(np.ones((1, 2, 1), 'float32'))[..., 0]
        array([[0., 1., 1., 0.]], dtype=float32)
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(1, padding, data_format, **kwargs)
