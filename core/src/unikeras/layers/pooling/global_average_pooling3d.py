"""`GlobalAveragePooling3D`: the mean over the three spatial axes."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Mean over the three spatial axes of rank-5 inputs.

    Args:
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (inputs `(batch, channels, dim1, dim2, dim3)`); `None`:
            `keras.config.image_data_format()`.
        keepdims: Whether the pooled axes are kept with size 1 (default `False`).

    Examples:
        >>> keras.layers.GlobalAveragePooling3D()(np.ones((2, 3, 4, 5, 6), "float32")).shape
        (2, 6)
        >>> layer = keras.layers.GlobalAveragePooling3D(keepdims=True)
        >>> layer(np.ones((2, 3, 4, 5, 6), "float32")).shape
        (2, 1, 1, 1, 6)
    """

    _pool_dimensions = 3
    _reduce = staticmethod(ops.mean)
