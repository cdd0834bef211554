"""`GlobalMaxPooling3D`: the maximum over the three spatial axes."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Maximum over the three spatial axes of rank-5 inputs; arguments as in
    `BaseGlobalPooling` (`data_format`, `keepdims`)."""

    _pool_dimensions = 3
    _reduce = staticmethod(ops.max)
