"""`LeakyReLU`: `x` if positive else `negative_slope * x`."""

from unikeras import ops
from unikeras.layers.activations.elementwise import ElementwiseActivation, check_non_negative


class LeakyReLU(ElementwiseActivation):
    """Leaky rectified linear unit.

    Args:
        negative_slope: Slope (>= 0) for negative inputs. `alpha` is accepted as its
            deprecated alias.

    Examples:
        >>> keras.layers.LeakyReLU(negative_slope=0.1)(np.array([-10.0, 2.0], 'float32'))
        array([-1.,  2.], dtype=float32)
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        check_non_negative(self, negative_slope=negative_slope)
        self.negative_slope = negative_slope

    def call(self, inputs):
        return ops.leaky_relu(inputs, negative_slope=self.negative_slope)

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
