"""`UpSampling3D`: enlarges volumes by repeating entries."""

from unikeras.layers.reshaping.base_upsampling import BaseUpSampling


class UpSampling3D(BaseUpSampling):
    """Repeats the entries of the three spatial axes of rank-5 inputs `size` times.

    Args:
        size: int or 3 ints, the upsampling factor per axis.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).

    Examples:
        >>> x = np.array([0.0, 1.0], "float32").reshape(1, 2, 1, 1, 1)
        >>> keras.layers.UpSampling3D((2, 1, 1))(x)[0, :, 0, 0, 0]
        array([0., 0., 1., 1.], dtype=float32)
        >>> keras.layers.UpSampling3D(2)(np.zeros((1, 2, 3, 4, 5), "float32")).shape
        (1, 4, 6, 8, 5)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(3, size, data_format, **kwargs)
