"""Custom objects for deserialization: `CustomObjectScope`, `get_custom_objects`,
`get_registered_object`.

Names resolve, in Keras 3's order: the innermost `custom_object_scope`, the global dict of
registered objects (`register_keras_serializable`, or entries written into
`get_custom_objects()`), the `custom_objects` argument, then `module_objects`.
"""

import threading

from unikeras.backend import global_state

_REGISTERED = {}  # "package>name" -> object (`register_keras_serializable`)


class _ScopeState(threading.local):
    objects = None


_SCOPE = _ScopeState()


def scope_objects():
    """The objects of the innermost active `custom_object_scope` (an empty dict if none)."""
    return _SCOPE.objects or {}


class CustomObjectScope:
    """Exposes custom classes/functions to Keras deserialization internals.

    Under a scope `with custom_object_scope(objects_dict)`, Keras methods such as
    `keras.models.load_model()` or `keras.models.model_from_config()` are able to deserialize
    any custom object referenced by a saved config (e.g. a custom layer or metric). An inner
    scope replaces the outer one's objects until it exits.

    Examples:
        ```python
        layer = Dense(3, kernel_regularizer=my_regularizer)
        config = layer.get_config()  # refers to `my_regularizer` by name
        with custom_object_scope({"my_regularizer": my_regularizer}):
            layer = Dense.from_config(config)
        ```

    Args:
        custom_objects: Dictionary of `{str: object}` pairs, where the `str` key is the
            object name.
    """

    def __init__(self, custom_objects):
        if custom_objects is not None and not isinstance(custom_objects, dict):
            raise TypeError(
                "`custom_objects` must be a dict mapping names to classes or functions. "
                f"Received: {custom_objects!r}"
            )
        self.custom_objects = custom_objects or {}
        self.backup = None

    def __enter__(self):
        self.backup = dict(scope_objects())
        _SCOPE.objects = dict(self.custom_objects)
        return self

    def __exit__(self, *exc_info):
        _SCOPE.objects = dict(self.backup or {})


custom_object_scope = CustomObjectScope


def get_custom_objects():
    """Retrieves a live reference to the global dictionary of custom objects.

    Objects registered with `register_keras_serializable` are in it under their registered
    name (`"package>name"`); writing an entry registers an object under that name. Objects of
    a `custom_object_scope()` are not added to this dictionary.

    Examples:
        ```python
        get_custom_objects().clear()
        get_custom_objects()["MyObject"] = MyObject
        ```

    Returns:
        Global dictionary mapping registered names to classes and functions.
    """
    return _REGISTERED


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Returns the class or function registered as `name`.

    Looks in the active `custom_object_scope`, then among globally registered objects, then
    in `custom_objects`, then in `module_objects`.

    Examples:
        ```python
        def from_config(cls, config, custom_objects=None):
            if "my_custom_object_name" in config:
                config["hidden_cls"] = keras.saving.get_registered_object(
                    config["my_custom_object_name"], custom_objects=custom_objects)
        ```

    Args:
        name: The name to look up.
        custom_objects: A dictionary of custom objects to look the name up in. Generally,
            `custom_objects` is provided by the user.
        module_objects: A dictionary of custom objects to look the name up in. Generally,
            `module_objects` is provided by midlevel library implementers.

    Returns:
        An instantiable class or function associated with `name`, or `None` if not found.
    """
    scope = _SCOPE.objects
    if scope and name in scope:
        return scope[name]
    registered = _REGISTERED
    if name in registered:
        return registered[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


@global_state.on_clear_session
def _reset_custom_object_scope():
    _SCOPE.objects = None
