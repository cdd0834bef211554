"""`Multiply` and its functional form `multiply`."""

from unikeras import ops
from unikeras.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Multiplies a list of inputs element-wise. Example: `keras.layers.Multiply()([x1, x2])`."""

    _reduce_op = staticmethod(ops.multiply)


def multiply(inputs, **kwargs):
    """Functional interface to the `Multiply` layer: `Multiply(**kwargs)(inputs)`."""
    return Multiply(**kwargs)(inputs)
