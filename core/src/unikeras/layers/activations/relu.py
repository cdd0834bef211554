"""`ReLU`: rectified linear unit with optional cap, leak and threshold."""

from unikeras import activations
from unikeras.layers.activations.elementwise import ElementwiseActivation, check_non_negative


class ReLU(ElementwiseActivation):
    """`max_value` above `max_value`, `x` for `threshold < x < max_value`, and
    `negative_slope * (x - threshold)` below `threshold`.

    Args:
        max_value: Optional upper bound (>= 0) of the output.
        negative_slope: Slope (>= 0) below the threshold.
        threshold: Threshold (>= 0) under which values are damped.

    Examples:
        >>> keras.layers.ReLU(max_value=1.0)(np.array([-1.0, 0.5, 3.0], 'float32'))
        array([0. , 0.5, 1. ], dtype=float32)
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None:
            check_non_negative(self, max_value=max_value)
        check_non_negative(self, negative_slope=negative_slope, threshold=threshold)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def call(self, inputs):
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "max_value": self.max_value,
                "negative_slope": self.negative_slope,
                "threshold": self.threshold,
            }
        )
        return config
