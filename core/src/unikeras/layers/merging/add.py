"""`Add` and its functional form `add`."""

from unikeras import ops
from unikeras.layers.merging.base_merge import Merge


class Add(Merge):
    """Adds a list of inputs element-wise. Example: `keras.layers.Add()([x1, x2])`.

    Examples:
        >>> keras.layers.Add()([np.array([[1.0, 2.0]]), np.array([[10.0, 20.0]])])
        array([[11., 22.]], dtype=float32)
    """

    _reduce_op = staticmethod(ops.add)


def add(inputs, **kwargs):
    """Functional interface to the `Add` layer: `Add(**kwargs)(inputs)`.

    Args:
        inputs: A list of input tensors of the same shape.
        **kwargs: Standard layer keyword arguments (e.g. `name`, `dtype`).

    Returns:
        The element-wise sum of the inputs.

    Examples:
        >>> keras.layers.add([np.array([[1.0, 2.0]]), np.array([[10.0, 20.0]])])
        array([[11., 22.]], dtype=float32)
    """
    return Add(**kwargs)(inputs)
