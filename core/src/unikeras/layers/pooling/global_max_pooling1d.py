"""`GlobalMaxPooling1D`: the maximum over the steps axis."""

from unikeras import ops
from unikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Maximum over the steps axis of rank-3 inputs; arguments as in
    `BaseGlobalPooling` (`data_format`, `keepdims`)."""

    _pool_dimensions = 1
    _reduce = staticmethod(ops.max)
