"""`Activation`: applies an activation function to its input."""

from unikeras import activations
from unikeras.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to an output.

    Args:
        activation: Activation function or the name of a built-in one (e.g. `"relu"`).

    Examples:
        >>> keras.layers.Activation('relu')(np.array([-1.0, 2.0], 'float32'))
        array([0., 2.], dtype=float32)
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
