"""`TimeDistributed`: applies a layer to every temporal slice of its input."""

from unikeras import ops
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.name_scope import name_scope
from unikeras.layers.layer import Layer
from unikeras.saving import serialization


class TimeDistributed(Layer):
    """Applies `layer` independently to each slice `inputs[:, t]` of `(batch, time, ...)`.

    The batch and time axes are merged into one before calling `layer` once, then split
    again, so the wrapped layer sees inputs of shape `(batch * time, ...)`.

    Args:
        layer: The layer to apply (shared weights across timesteps).

    Examples:
        >>> keras.layers.TimeDistributed(keras.layers.Dense(2))(np.zeros((1, 5, 3), 'float32')).shape
        (1, 5, 2)
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise ValueError(
                f"TimeDistributed: `layer` must be a Layer instance. Received: layer={layer!r}"
            )
        self.layer = layer
        self.supports_masking = True

    def _check_shape(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(
                f'Layer "{self.name}": `TimeDistributed` requires an input of rank >= 3 '
                f"(batch, time, ...). Received input shape {tuple(input_shape)}"
            )

    def build(self, input_shape):
        self._check_shape(input_shape)
        if not self.layer.built:
            with name_scope(self.layer.name):
                self.layer.build((None,) + tuple(input_shape[2:]))
            self.layer.built = True
        self.built = True

    def compute_output_shape(self, input_shape):
        self._check_shape(input_shape)
        inner = self.layer.compute_output_spec(
            KerasTensor((None,) + tuple(input_shape[2:]), dtype=self.compute_dtype)
        )
        return tuple(input_shape[:2]) + tuple(inner.shape[1:])

    def call(self, inputs, training=None, mask=None):
        shape = ops.shape(inputs)
        batch, time = shape[0], shape[1]
        merged = ops.reshape(inputs, (-1,) + tuple(inputs.shape[2:]))
        kwargs = {} if training is None else {"training": training}
        if mask is not None and self.layer._signature().mask:
            kwargs["mask"] = ops.reshape(mask, (-1,) + tuple(mask.shape[2:]))
        outputs = self.layer(merged, **kwargs)
        return ops.reshape(outputs, (batch, time) + tuple(outputs.shape[1:]))

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialization.serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = serialization._deserialize_object(
            config["layer"], custom_objects=custom_objects
        )
        return super().from_config(config)
