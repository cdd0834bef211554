"""`GlobalMaxPooling2D`: the maximum over the height and width axes."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Maximum over the height and width axes of rank-4 inputs.

    Args:
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or
            `"channels_first"` (inputs `(batch, channels, height, width)`); `None`:
            `keras.config.image_data_format()`.
        keepdims: Whether the pooled axes are kept with size 1 (default `False`).

    Examples:
        >>> x = np.arange(8.0, dtype="float32").reshape(1, 2, 2, 2)
        >>> keras.layers.GlobalMaxPooling2D()(x)  # channel 0 holds 0, 2, 4, 6
        array([[6., 7.]], dtype=float32)
    """

    _pool_dimensions = 2
    _reduce = staticmethod(ops.max)
