"""`GlobalMaxPooling1D`: the maximum over the steps axis."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Maximum over the steps axis of rank-3 inputs.

    Args:
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or `"channels_first"`
            (inputs `(batch, channels, steps)`); `None`: `keras.config.image_data_format()`.
        keepdims: Whether the pooled axes are kept with size 1 (default `False`).

    Examples:
        >>> keras.layers.GlobalMaxPooling1D()(np.array([[[1.0, 8.0], [3.0, 4.0]]], 'float32'))
        array([[3., 8.]], dtype=float32)
    """

    _pool_dimensions = 1
    _reduce = staticmethod(ops.max)
