"""`UpSampling3D`: enlarges volumes by repeating entries."""

from unikeras.layers.reshaping.base_upsampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Repeats the entries of the three spatial axes of rank-5 inputs `size` times.

    Args:
        size: int or 3 ints, the upsampling factor per axis.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(3, size, data_format, **kwargs)
