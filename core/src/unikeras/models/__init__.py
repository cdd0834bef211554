"""`keras.models`: Model, Sequential, and model (de)serialization helpers."""

from unikeras.models.functional import Functional  # noqa: F401
from unikeras.models.model import Model  # noqa: F401
from unikeras.models.sequential import Sequential  # noqa: F401
from unikeras.saving.saving_api import load_model  # noqa: F401


def clone_model(model, custom_objects=None):
    """Returns a new model with the same architecture and freshly initialized weights."""
    from unikeras.saving import serialization

    return serialization.deserialize_keras_object(
        serialization.serialize_keras_object(model), custom_objects=custom_objects
    )
