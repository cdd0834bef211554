"""`keras.saving`: `.keras` model files, and serialization of configs."""

from unikeras.saving.saving_api import load_model, save_model  # noqa: F401
from unikeras.saving.serialization import (  # noqa: F401
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
