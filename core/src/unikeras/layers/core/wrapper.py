"""`Wrapper`: base of the layers that wrap (and own) another layer."""

from unikeras.backend.name_scope import name_scope
from unikeras.layers.layer import Layer
from unikeras.saving import serialization


class Wrapper(Layer):
    """Holds `layer` as a sublayer; `build` builds it; the config nests its config.

    Args:
        layer: The wrapped `Layer` instance.

    Examples:
        >>> class Doubled(keras.layers.Wrapper):
        ...     def call(self, inputs):
        ...         return 2.0 * self.layer(inputs)
        >>> layer = Doubled(keras.layers.Dense(1, kernel_initializer="ones"))
        >>> layer(np.array([[1.0, 2.0]], "float32"))  # 2 * (1 + 2)
        array([[6.]], dtype=float32)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Argument `layer` of {type(self).__name__} must be a Layer "
                f"instance. Received: layer={layer!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            with name_scope(self.layer.name):
                self.layer.build(input_shape)
            self.layer.built = True
        self.built = True

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialization.serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = serialization._deserialize_object(config["layer"], custom_objects)
        return super().from_config(config)
