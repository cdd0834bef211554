"""`keras.legacy.saving`: the Keras 2 (`tf.keras`) `{"class_name", "config"}` serialization."""

from unikeras.utils.legacy import deserialize_keras_object, serialize_keras_object

__all__ = ["deserialize_keras_object", "serialize_keras_object"]
