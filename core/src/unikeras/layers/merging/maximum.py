"""`Maximum` and its functional form `maximum`."""

from unikeras import ops
from unikeras.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Element-wise maximum of a list of inputs. Example: `keras.layers.Maximum()([x1, x2])`."""

    _reduce_op = staticmethod(ops.maximum)


def maximum(inputs, **kwargs):
    """Functional interface to the `Maximum` layer: `Maximum(**kwargs)(inputs)`."""
    return Maximum(**kwargs)(inputs)
