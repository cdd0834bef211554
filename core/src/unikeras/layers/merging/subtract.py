"""`Subtract` and its functional form `subtract`."""

from unikeras import ops
from unikeras.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Subtracts two inputs: `inputs[0] - inputs[1]`. Example:
    `keras.layers.Subtract()([x1, x2])`.

    Examples:
        >>> keras.layers.Subtract()([np.array([[5.0, 5.0]]), np.array([[1.0, 2.0]])])
        array([[4., 3.]], dtype=float32)
    """

    def compute_output_shape(self, input_shape):
        self._check_two(input_shape)
        return super().compute_output_shape(input_shape)

    def _merge_function(self, inputs):
        self._check_two([tuple(x.shape) for x in inputs])
        return ops.subtract(inputs[0], inputs[1])

    def _check_two(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2:
            raise ValueError(
                f'Layer "{self.name}": a `Subtract` layer should be called on exactly 2 '
                f"inputs. Received: input_shape={input_shape}"
            )


def subtract(inputs, **kwargs):
    """Functional interface to the `Subtract` layer: `Subtract(**kwargs)(inputs)`.

    Args:
        inputs: A list of exactly two tensors of the same shape.
        **kwargs: Standard layer keyword arguments (e.g. `name`, `dtype`).

    Returns:
        `inputs[0] - inputs[1]`.

    Examples:
        >>> keras.layers.subtract([np.array([[1.0, 2.0]]), np.array([[3.0, 5.0]])])
        array([[-2., -3.]], dtype=float32)
    """
    return Subtract(**kwargs)(inputs)
