"""`Minimum` and its functional form `minimum`."""

from unikeras import ops
from unikeras.layers.merging.base_merge import Merge


class Minimum(Merge):
    """Element-wise minimum of a list of inputs. Example: `keras.layers.Minimum()([x1, x2])`.

    Examples:
        >>> keras.layers.Minimum()([np.array([[1.0, 9.0]]), np.array([[5.0, 2.0]])])
        array([[1., 2.]], dtype=float32)
    """

    _reduce_op = staticmethod(ops.minimum)


def minimum(inputs, **kwargs):
    """Functional interface to the `Minimum` layer: `Minimum(**kwargs)(inputs)`.

    Args:
        inputs: A list of input tensors of the same shape.
        **kwargs: Standard layer keyword arguments (e.g. `name`, `dtype`).

    Returns:
        The element-wise minimum of the inputs.

    Examples:
        >>> keras.layers.minimum([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])])
        array([[1., 2.]], dtype=float32)
    """
    return Minimum(**kwargs)(inputs)
