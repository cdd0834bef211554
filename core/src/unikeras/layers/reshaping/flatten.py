"""`Flatten`: flattens all axes but the batch axis."""

import math

from unikeras import ops
from unikeras.backend.config import standardize_data_format
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class Flatten(Layer):
    """Flattens the input to `(batch, features)`; a `(batch,)` input becomes `(batch, 1)`.

    Args:
        data_format: `"channels_last"` or `"channels_first"` (default: the global image data
            format). With `"channels_first"`, the channel axis is moved last before
            flattening, so the feature order matches a `channels_last` model's.

    Examples:
        >>> keras.layers.Flatten()(np.zeros((2, 3, 4))).shape
        (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = len(inputs.shape)
        if self.data_format == "channels_first" and rank > 2:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, rank)) + (1,))
        batch, features = self.compute_output_shape(tuple(inputs.shape))
        if features is None:
            return ops.reshape(inputs, (-1 if batch is None else batch, -1))
        return ops.reshape(inputs, (-1, features))

    def compute_output_shape(self, input_shape):
        rest = tuple(input_shape[1:])
        features = None if None in rest else math.prod(rest)
        return (input_shape[0], features)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
