"""`Maximum` and its functional form `maximum`."""

from unikeras import ops
from unikeras.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Element-wise maximum of a list of inputs. Example: `keras.layers.Maximum()([x1, x2])`.

    Examples:
        >>> keras.layers.Maximum()([np.array([[1.0, 9.0]]), np.array([[5.0, 2.0]])])
        array([[5., 9.]], dtype=float32)
    """

    _reduce_op = staticmethod(ops.maximum)


def maximum(inputs, **kwargs):
    """Functional interface to the `Maximum` layer: `Maximum(**kwargs)(inputs)`.

    Args:
        inputs: A list of input tensors of the same shape.
        **kwargs: Standard layer keyword arguments (e.g. `name`, `dtype`).

    Returns:
        The element-wise maximum of the inputs.

    Examples:
        >>> keras.layers.maximum([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])])
        array([[3., 5.]], dtype=float32)
    """
    return Maximum(**kwargs)(inputs)
