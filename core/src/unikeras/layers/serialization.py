"""`keras.layers.serialize` / `keras.layers.deserialize`."""

from unikeras.saving import serialization as _serialization


def serialize(layer):
    """Returns the layer configuration as a Python dict.

    Args:
        layer: A `keras.layers.Layer` instance to serialize.

    Returns:
        A JSON-able dict (`module`, `class_name`, `config`, `registered_name`, and
        `build_config` once the layer is built), as `keras.saving.serialize_keras_object`.

    Examples:
        >>> config = keras.layers.serialize(keras.layers.Dense(2, name="d"))
        >>> config["class_name"]
        'Dense'
    """
    return _serialization.serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Returns a Keras layer object from its configuration.

    Args:
        config: A dict made by `serialize` (or a Keras 3 layer config).
        custom_objects: Optional dict mapping names to custom classes and functions
            considered during deserialization.

    Returns:
        A `keras.layers.Layer` instance.

    Examples:
        >>> config = keras.layers.serialize(keras.layers.Dense(2, name="d"))
        >>> layer = keras.layers.deserialize(config)
        >>> type(layer).__name__, layer.units
        ('Dense', 2)
    """
    from unikeras.layers.layer import Layer

    obj = _serialization._deserialize_object(config, custom_objects=custom_objects)
    if not isinstance(obj, Layer):
        raise ValueError(
            "`keras.layers.deserialize` was passed a `config` object that is not "
            f"a `keras.layers.Layer`. Received: {config}"
        )
    return obj
