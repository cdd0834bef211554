"""`Rescaling`: `inputs * scale + offset`."""

from unikeras import ops
from unikeras.layers.layer import Layer
from unikeras.saving import serialization


class Rescaling(Layer):
    """Rescales inputs to `inputs * scale + offset`, in the layer's compute dtype.

    E.g. `Rescaling(1 / 255)` maps `[0, 255]` to `[0, 1]`, `Rescaling(1 / 127.5, offset=-1)`
    maps it to `[-1, 1]`.

    Args:
        scale: Float, or a list/array broadcast against the inputs (e.g. per channel).
        offset: Float, or a list/array broadcast against the inputs.

    Examples:
        >>> keras.layers.Rescaling(1 / 255)(np.array([0.0, 255.0], 'float32'))
        array([0., 1.], dtype=float32)
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.convert_to_tensor(self.scale, dtype=dtype)
        offset = ops.convert_to_tensor(self.offset, dtype=dtype)
        return ops.add(ops.multiply(ops.cast(inputs, dtype), scale), offset)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "scale": serialization.serialize_keras_object(self.scale),
                "offset": serialization.serialize_keras_object(self.offset),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("scale", "offset"):
            config[key] = serialization._deserialize_object(config[key])
        return super().from_config(config)
