"""`keras.utils.legacy`: the Keras 2 (`tf.keras`) serialization format.

A legacy config is `{"class_name": ..., "config": ...}` with nested objects serialized the same
way; names are resolved among `custom_objects`, the active custom object scopes, registered
objects and the `module_objects` the caller passes (nothing is imported from the config).
"""

import inspect


def _registered_name(obj):
    from unikeras.saving.serialization import get_registered_name

    return get_registered_name(obj)


def serialize_keras_object(instance):
    """Serializes a Keras object into the legacy `{"class_name", "config"}` form.

    Args:
        instance: The object: anything with `get_config()`, or a named function/class.

    Returns:
        A JSON-compatible dict (or the registered name of a function), `None` for `None`.
    """
    instance = inspect.unwrap(instance) if callable(instance) else instance
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        config = instance.get_config()
        serialized = {}
        for key, item in config.items():
            if isinstance(item, str):
                serialized[key] = item
                continue
            try:
                value = serialize_keras_object(item)
                if isinstance(value, dict) and not isinstance(item, dict):
                    value["__passive_serialization__"] = True
                serialized[key] = value
            except ValueError:
                serialized[key] = item
        return {"class_name": _registered_name(type(instance)), "config": serialized}
    if hasattr(instance, "__name__"):
        return _registered_name(instance)
    raise ValueError(f"Cannot serialize {instance} because it doesn't implement `get_config()`.")


def _lookup(name, module_objects, custom_objects):
    from unikeras import saving

    return saving.get_registered_object(
        name, custom_objects=custom_objects, module_objects=module_objects or {}
    )


def _unknown(printable_module_name, name):
    return ValueError(
        f"Unknown {printable_module_name}: '{name}'. Please ensure you are using a "
        "`keras.utils.custom_object_scope` and that this object is included in "
        "the scope, or pass it in `custom_objects`."
    )


def deserialize_keras_object(
    identifier, module_objects=None, custom_objects=None, printable_module_name="object"
):
    """Turns the legacy serialized form of a Keras object back into the object.

    Args:
        identifier: A `{"class_name": ..., "config": ...}` dict, a name, or a function.
        module_objects: Dict of built-in objects to look names up in.
        custom_objects: Dict of user objects to look names up in (searched first).
        printable_module_name: What the object is, for error messages.

    Returns:
        The object (a class named by a string is instantiated with no arguments).
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        if "class_name" not in identifier or "config" not in identifier:
            raise ValueError(
                f"Improper config format for {identifier}. Expecting python dict "
                "contains `class_name` and `config` as keys"
            )
        name = identifier["class_name"]
        cls = _lookup(name, module_objects, custom_objects)
        if cls is None:
            raise _unknown(printable_module_name, name)
        config = dict(identifier["config"])
        for key, item in list(config.items()):
            if isinstance(item, dict) and item.pop("__passive_serialization__", False):
                config[key] = deserialize_keras_object(
                    item, module_objects, custom_objects, printable_module_name="config_item"
                )
            elif isinstance(item, str) and key != "name":
                found = _lookup(item, module_objects, custom_objects)
                if found is not None and not inspect.isclass(found) and callable(found):
                    config[key] = found
        if hasattr(cls, "from_config"):
            parameters = inspect.signature(cls.from_config).parameters
            if "custom_objects" in parameters:
                return cls.from_config(config, custom_objects=dict(custom_objects or {}))
            return cls.from_config(config)
        return cls(**config)
    if isinstance(identifier, str):
        obj = _lookup(identifier, module_objects, custom_objects)
        if obj is None:
            raise _unknown(printable_module_name, identifier)
        return obj() if inspect.isclass(obj) else obj
    if inspect.isfunction(identifier):
        return identifier
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")
