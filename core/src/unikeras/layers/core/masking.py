"""`Masking`: masks the timesteps whose features all equal `mask_value`."""

from unikeras import ops
from unikeras.layers.layer import Layer


class Masking(Layer):
    """Zeroes the entries of each timestep (all but the last axis) whose features all
    equal `mask_value`, and masks those timesteps for the downstream layers.

    Args:
        mask_value: The padding value.

    Examples:
        >>> x = np.array([[[1.0], [0.0], [2.0]]], 'float32')
        >>> keras.layers.Masking(mask_value=0.0).compute_mask(x)
        array([[ True, False,  True]])
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, previous_mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.multiply(inputs, ops.cast(keep, inputs.dtype))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
