"""`GlobalMaxPooling3D`: the maximum over the three spatial axes."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Maximum over the three spatial axes of rank-5 inputs.

    Args:
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (inputs `(batch, channels, dim1, dim2, dim3)`); `None`:
            `keras.config.image_data_format()`.
        keepdims: Whether the pooled axes are kept with size 1 (default `False`).

    Examples:
        >>> x = np.arange(16.0, dtype="float32").reshape(1, 2, 2, 2, 2)
        >>> keras.layers.GlobalMaxPooling3D()(x)
        array([[14., 15.]], dtype=float32)
        >>> keras.layers.GlobalMaxPooling3D(keepdims=True)(x).shape
        (1, 1, 1, 1, 2)
    """

    _pool_dimensions = 3
    _reduce = staticmethod(ops.max)
