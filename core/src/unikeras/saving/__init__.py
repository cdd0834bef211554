"""`keras.saving`: `.keras` model files, and serialization of configs."""

from unikeras.saving.saving_api import load_model, load_weights, save_model, save_weights  # noqa: F401,E501
from unikeras.saving.file_editor import KerasFileEditor  # noqa: F401
from unikeras.saving.object_registration import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_object,
)
from unikeras.saving.serialization import (  # noqa: F401
    get_registered_name,
    register_keras_serializable,
    deserialize_keras_object,
    serialize_keras_object,
)
