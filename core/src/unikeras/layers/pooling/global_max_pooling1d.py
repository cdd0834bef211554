"""`GlobalMaxPooling1D`: the maximum over the steps axis."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Maximum over the steps axis of rank-3 inputs; arguments as in
    `BaseGlobalPooling` (`data_format`, `keepdims`).

    Example:

    >>> keras.layers.GlobalMaxPooling1D()(np.array([[[1.0, 8.0], [3.0, 4.0]]], 'float32'))
    array([[3., 8.]], dtype=float32)
    """

    _pool_dimensions = 1
    _reduce = staticmethod(ops.max)
