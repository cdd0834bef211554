"""`Pipeline`: applies a list of (preprocessing) layers in order."""

from unikeras.layers.layer import Layer
from unikeras.saving import serialization


class Pipeline(Layer):
    """Applies a series of layers to an input, in order.

    Unlike a `Sequential` model, a `Pipeline` is a plain layer: useful as an image
    augmentation pipeline. `training` is passed on to every layer that takes it.

    Args:
        layers: List of layers (or callables taking one input).
        name: Name of the layer.

    Examples:
        >>> pipeline = keras.layers.Pipeline(
        ...     [keras.layers.Rescaling(1 / 255), keras.layers.CenterCrop(2, 2)]
        ... )
        >>> y = pipeline(np.full((1, 4, 4, 3), 255.0, "float32"))
        >>> y.shape, float(y.max())
        ((1, 2, 2, 3), 1.0)
    """

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                f'Layer "{self.name}" (Pipeline): `layers` must be a list of '
                f"layers. Received: layers={layers!r}"
            )
        self._layers = list(layers)

    @property
    def layers(self):
        """The layers of the pipeline, in order."""
        return list(self._layers)

    def call(self, inputs, training=True):
        for layer in self._layers:
            inputs = layer(inputs, training=training) if isinstance(layer, Layer) else layer(inputs)
        return inputs

    def compute_output_spec(self, inputs, training=True):
        # Each layer on symbolic inputs, rather than a trace of `call`: a trace would leak
        # traced seed-generator states of the random layers.
        return self.call(inputs, training=training)

    def get_config(self):
        return {"layers": serialization.serialize_keras_object(self._layers), "name": self.name}

    @classmethod
    def from_config(cls, config):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                "`Pipeline` config must contain a `layers` key with a list of "
                f"serialized layers. Received: layers={layers!r}"
            )
        return cls(**dict(config, layers=[serialization._deserialize_object(x) for x in layers]))
