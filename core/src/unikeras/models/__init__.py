"""`keras.models`: Model, Sequential, and model (de)serialization helpers."""

import json as _json

from unikeras.models.functional import Functional  # noqa: F401
from unikeras.models.model import Model  # noqa: F401
from unikeras.models.sequential import Sequential  # noqa: F401
from unikeras.saving import serialization as _serialization
from unikeras.saving.saving_api import load_model, save_model  # noqa: F401
from unikeras.models.cloning import clone_model  # noqa: F401,E402


def model_from_json(json_string, custom_objects=None):
    """Parses a JSON model configuration string and returns a model instance.

    Examples:
        >>> model = keras.Sequential([keras.layers.Dense(5, input_shape=(3,)),
        ...                           keras.layers.Softmax()])
        >>> config = model.to_json()
        >>> loaded_model = keras.models.model_from_json(config)

    Args:
        json_string: JSON string encoding a model configuration (`model.to_json()`).
        custom_objects: Optional dictionary mapping names (strings) to custom classes or
            functions to be considered during deserialization.

    Returns:
        A Keras model instance (uncompiled).
    """
    return _serialization._deserialize_object(
        _json.loads(json_string), custom_objects=custom_objects
    )
