"""`GlobalMaxPooling2D`: the maximum over the height and width axes."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Maximum over the height and width axes of rank-4 inputs; arguments as in
    `BaseGlobalPooling` (`data_format`, `keepdims`)."""

    _pool_dimensions = 2
    _reduce = staticmethod(ops.max)
