"""`ActivityRegularization`: adds an L1/L2 penalty on its input to the losses."""

from unikeras import regularizers
from unikeras.layers.layer import Layer


class ActivityRegularization(Layer):
    """The identity, plus the loss `l1 * sum(|x|) + l2 * sum(x**2)` on its input.

    Args:
        l1: L1 factor.
        l2: L2 factor.

    Examples:
        >>> layer = keras.layers.ActivityRegularization(l1=0.1)
        >>> layer(np.array([[1.0, -2.0]], "float32"))
        array([[ 1., -2.]], dtype=float32)
        >>> round(float(layer.losses[0]), 4)  # 0.1 * (1 + 2)
        0.3
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
