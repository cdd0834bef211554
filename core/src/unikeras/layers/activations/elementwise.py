"""Base of the activation layers: element-wise, shape-preserving, mask-preserving."""

from unikeras.layers.layer import Layer


class ElementwiseActivation(Layer):
    """A layer applying an element-wise function in `call`; output shape = input shape."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def compute_output_shape(self, input_shape):
        return input_shape


def check_non_negative(layer, **values):
    """Raises a ValueError naming `layer` unless each value is a number >= 0."""
    for name, value in values.items():
        if value is None or value < 0:
            raise ValueError(
                f'Layer "{layer.name}" ({type(layer).__name__}): `{name}` must be a '
                f"non-negative number. Received: {name}={value!r}"
            )
