"""`GlobalAveragePooling2D`: the mean over the height and width axes."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Mean over the height and width axes of rank-4 inputs.

    Args:
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or
            `"channels_first"` (inputs `(batch, channels, height, width)`); `None`:
            `keras.config.image_data_format()`.
        keepdims: Whether the pooled axes are kept with size 1 (default `False`).

    Examples:
        >>> keras.layers.GlobalAveragePooling2D()(np.ones((2, 4, 4, 3), 'float32')).shape
        (2, 3)
    """

    _pool_dimensions = 2
    _reduce = staticmethod(ops.mean)
