"""`Average` and its functional form `average`."""

from unikeras import ops
from unikeras.layers.merging.base_merge import Merge


class Average(Merge):
    """Averages a list of inputs element-wise. Example: `keras.layers.Average()([x1, x2])`.

    Examples:
        >>> keras.layers.Average()([np.array([[2.0, 4.0]]), np.array([[4.0, 8.0]])])
        array([[3., 6.]], dtype=float32)
    """

    _reduce_op = staticmethod(ops.add)

    def _merge_function(self, inputs):
        return ops.divide(super()._merge_function(inputs), len(inputs))


def average(inputs, **kwargs):
    """Functional interface to the `Average` layer: `Average(**kwargs)(inputs)`.

    Args:
        inputs: A list of input tensors of the same shape.
        **kwargs: Standard layer keyword arguments (e.g. `name`, `dtype`).

    Returns:
        The element-wise mean of the inputs.

    Examples:
        >>> keras.layers.average([np.array([[1.0, 2.0]]), np.array([[3.0, 6.0]])])
        array([[2., 4.]], dtype=float32)
    """
    return Average(**kwargs)(inputs)
