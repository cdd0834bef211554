"""`Multiply` and its functional form `multiply`."""

from unikeras import ops
from unikeras.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Multiplies a list of inputs element-wise. Example: `keras.layers.Multiply()([x1, x2])`.

    Examples:
        >>> keras.layers.Multiply()([np.array([[2.0, 3.0]]), np.array([[4.0, 5.0]])])
        array([[ 8., 15.]], dtype=float32)
    """

    _reduce_op = staticmethod(ops.multiply)


def multiply(inputs, **kwargs):
    """Functional interface to the `Multiply` layer: `Multiply(**kwargs)(inputs)`.

    Args:
        inputs: A list of input tensors of the same shape.
        **kwargs: Standard layer keyword arguments (e.g. `name`, `dtype`).

    Returns:
        The element-wise product of the inputs.

    Examples:
        >>> keras.layers.multiply([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])])
        array([[ 3., 10.]], dtype=float32)
    """
    return Multiply(**kwargs)(inputs)
