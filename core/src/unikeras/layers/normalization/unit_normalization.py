"""`UnitNormalization`: scales each sample to unit L2 norm over `axis`."""

from unikeras import ops
from unikeras.layers.layer import Layer


class UnitNormalization(Layer):
    """`x / sqrt(max(sum(x**2, axis), 1e-12))`.

    Args:
        axis: int or list/tuple of ints, the axes of the norm.

    Examples:
        >>> keras.layers.UnitNormalization()(np.array([[3.0, 4.0]], 'float32'))
        array([[0.6, 0.8]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(
                f'Layer "{self.name}": invalid value for `axis` argument: expected '
                f"an int or a list/tuple of ints. Received: axis={axis!r}"
            )
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
        return ops.multiply(x, ops.rsqrt(ops.maximum(square_sum, 1e-12)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
