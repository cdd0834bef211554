"""`keras.saving`: serialization of configs (model files come with the saving issue)."""

from unikeras.saving.serialization import (  # noqa: F401
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
