"""`Identity`: returns its input unchanged."""

from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.layer import Layer
from unikeras.backend import tree


class Identity(Layer):
    """A placeholder layer that returns its input (any nested structure) unchanged.

    Examples:
        >>> keras.layers.Identity()(np.array([1.0, 2.0], 'float32'))
        array([1., 2.], dtype=float32)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs):
        return tree.map_structure(
            lambda x: KerasTensor(x.shape, dtype=x.dtype, sparse=x.sparse), inputs
        )
