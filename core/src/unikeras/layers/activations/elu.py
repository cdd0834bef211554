"""`ELU`: exponential linear unit."""

from unikeras import ops
from unikeras.layers.activations.elementwise import ElementwiseActivation


class ELU(ElementwiseActivation):
    """`x` if `x > 0` else `alpha * (exp(x) - 1)`.

    Args:
        alpha: Scale of the negative part.

    Examples:
        >>> keras.layers.ELU()(np.array([-1.0, 2.0], 'float32'))  # exp(-1) - 1
        array([-0.63212055,  2.        ], dtype=float32)
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs):
        return ops.elu(inputs, alpha=self.alpha)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
