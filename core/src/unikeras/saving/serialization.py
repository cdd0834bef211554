"""Turning objects into JSON-able configs and back, in Keras 3's format, without running
code named by the config.

A config is `{"module": ..., "class_name": ..., "config": ..., "registered_name": ...}`.
Deserialization only resolves names among unikeras' public namespaces, objects registered with
`register_keras_serializable`, and `custom_objects`: the `module` field is a hint, never
imported.
"""

import importlib
import inspect

from unikeras.backend.registry import table
from unikeras.ops.operation import to_snake_case
from unikeras.saving.object_registration import _REGISTERED, get_registered_object

_PUBLIC_NAMESPACES = (
    "layers",
    "models",
    "activations",
    "initializers",
    "regularizers",
    "constraints",
    "optimizers",
    "losses",
    "metrics",
    "dtype_policies",
    "ops",
    "distillation",
    "quantizers",
)


def register_keras_serializable(package="Custom", name=None):
    """Decorator registering a class or function for deserialization as `package>name`.

    Args:
        package: Namespace of the registered name (default `"Custom"`).
        name: The name under the package; `None` (default) uses the object's `__name__`.

    Returns:
        The decorator; it registers the object and returns it unchanged.
    """

    def decorator(obj):
        key = f"{package}>{name or obj.__name__}"
        if key in _REGISTERED and _REGISTERED[key] is not obj:
            raise ValueError(f"{key!r} is already registered to {_REGISTERED[key]!r}.")
        _REGISTERED[key] = obj
        obj._registered_name = key
        return obj

    return decorator


def get_registered_name(obj):
    """Returns the name `obj` is registered under, else its `__name__`.

    Args:
        obj: A class or function.

    Returns:
        A string: `"package>name"` for registered objects, else the `__name__`.
    """
    return getattr(obj, "_registered_name", None) or getattr(obj, "__name__", type(obj).__name__)


def find_public_object(namespace_hint, name):
    """Returns the object called `name` in unikeras' public namespaces (the `namespace_hint`
    ones first), or None. Nothing is imported beyond those namespaces."""
    private = _KERAS3_PRIVATE_CLASSES.get((namespace_hint, name))
    if private is not None:
        return getattr(importlib.import_module(private), name)
    namespaces = list(_PUBLIC_NAMESPACES)
    for hint in (namespace_hint or "").split("."):
        if hint in namespaces:
            namespaces.remove(hint)
            namespaces.insert(0, hint)
    for namespace in namespaces:
        try:
            module = importlib.import_module(f"unikeras.{namespace}")
        except ImportError:
            continue
        obj = getattr(module, name, None)
        if obj is not None and not isinstance(obj, type(importlib)):
            return obj
    return None


# Classes Keras 3 leaves unregistered in modules of its own, which its files name: the unikeras
# class -> (Keras 3 module, class name).
_KERAS3_PRIVATE_LOCATIONS = {
    f"unikeras.applications.convnext.{name}": ("keras.src.applications.convnext", name)
    for name in ("LayerScale", "StochasticDepth")
}
# Classes Keras 3 files name by another module than `keras.<namespace>`: (module,
# registered_name), as Keras 3 writes and expects them.
_KERAS3_LOCATIONS = {
    "unikeras.models.functional.Functional": ("keras.src.models.functional", "Functional"),
    "unikeras.models.sequential.Sequential": ("keras", None),
    "unikeras.models.model.Model": ("keras", None),
    **_KERAS3_PRIVATE_LOCATIONS,
}
# The reverse of `_KERAS3_PRIVATE_LOCATIONS`: (Keras 3 module, class name) -> the unikeras
# module defining the class. Only this fixed table is imported from, never a module a file
# names.
_KERAS3_PRIVATE_CLASSES = {
    location: path.rpartition(".")[0] for path, location in _KERAS3_PRIVATE_LOCATIONS.items()
}
# Keras 3 arguments unikeras does not implement, each with the value meaning "unused". A config
# holding one at that value (as every Keras 3 file does) loads; any other value reaches the
# constructor, which refuses it.
# (`lora_alpha`, `quantization_config`, `ragged`, `input_axes`, `output_axes` and
# `gptq_unpacked_column_size` are implemented by every class whose Keras 3 config carries them.)
_KERAS3_UNUSED_ARGUMENTS = {
    "sliding_window": None,  # MultiHeadAttention, GroupedQueryAttention
    "use_gate": False,  # MultiHeadAttention, GroupedQueryAttention
}


def keras3_op_name(config):
    """The `unikeras.ops` name of a Keras 3 op node (`module` `keras.src.ops.<namespace>`,
    e.g. class `Add` from `x + y` in a functional model), or None for any other config."""
    module, class_name = config.get("module"), config.get("class_name")
    if not (
        isinstance(module, str)
        and module.startswith("keras.src.ops.")
        and isinstance(class_name, str)
        and class_name.isidentifier()
    ):
        return None
    name = to_snake_case(class_name)
    return name if not name.startswith("_") and hasattr(table, name) else None


def _public_module(obj):
    module = getattr(obj, "__module__", "") or ""
    parts = module.split(".")
    if parts[0] == "unikeras" and len(parts) > 1 and parts[1] in _PUBLIC_NAMESPACES:
        if parts[1:3] == ["optimizers", "schedules"]:  # Keras 3's own module for schedules
            return "keras.optimizers.schedules"
        return f"keras.{parts[1]}"
    return module


def _accepted_arguments(cls):
    """Names of the keyword arguments `cls(...)` takes, following `**kwargs` up the MRO."""
    names = set()
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None:
            continue
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):  # pragma: no cover - builtins
            break
        names.update(p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
        if not any(p.kind is p.VAR_KEYWORD for p in params):
            break
    return names


def _without_unused_keras3_arguments(cls, config):
    """`config` minus the Keras 3-only arguments `cls` lacks that hold their unused value."""
    if (
        not isinstance(cls, type)
        or not isinstance(config, dict)
        or not _KERAS3_UNUSED_ARGUMENTS.keys() & config.keys()
    ):
        return config
    accepted = _accepted_arguments(cls)
    return {
        k: v
        for k, v in config.items()
        if k in accepted or k not in _KERAS3_UNUSED_ARGUMENTS or v != _KERAS3_UNUSED_ARGUMENTS[k]
    }


def serialize_keras_object(obj):
    """Returns a JSON-able config for `obj` (layers, initializers, activations, ...).

    Args:
        obj: The object: a layer, model, initializer, activation, Python value, ...

    Returns:
        A JSON-able config (a dict for objects; plain values are returned as is).
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, slice):
        return {
            "class_name": "__slice__",
            "config": {"start": obj.start, "stop": obj.stop, "step": obj.step},
        }
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, tuple):
        return {
            "class_name": "__tuple__",
            "config": {"value": [serialize_keras_object(x) for x in obj]},
        }
    if isinstance(obj, list):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if hasattr(obj, "dtype") and hasattr(obj, "tolist"):  # NumPy scalars and arrays
        return obj.tolist()
    registered = getattr(obj, "_registered_name", None)
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return {
            "module": _public_module(obj),
            "class_name": "function",
            "config": obj.__name__,
            "registered_name": registered or obj.__name__,
        }
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize {obj!r}: it has no `get_config` method.")
    cls = type(obj)
    module, registered = _KERAS3_LOCATIONS.get(
        f"{cls.__module__}.{cls.__qualname__}", (_public_module(cls), None)
    )
    config = {
        "module": module,
        "class_name": cls.__name__,
        "config": _serialize_nested(obj.get_config()),
        "registered_name": getattr(cls, "_registered_name", None) or registered,
    }
    if hasattr(obj, "get_build_config"):
        build_config = obj.get_build_config()
        if build_config is not None:
            config["build_config"] = build_config
    return config


def _serialize_nested(value):
    """Serializes the Keras objects (layers, models, functions, ...) a `get_config()` holds.

    A custom layer's `get_config()` may return its sublayers themselves (as the keras.io
    serialization guide does); Keras 3 serializes them in place, so `from_config` can rebuild
    them with `keras.layers.deserialize`. Plain values keep their form.
    """
    if isinstance(value, dict):
        return {k: _serialize_nested(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_serialize_nested(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_serialize_nested(v) for v in value)
    if inspect.isfunction(value) or (hasattr(value, "get_config") and not isinstance(value, type)):
        return serialize_keras_object(value)
    return value


def _resolve(config, custom_objects):
    registered = config.get("registered_name")
    class_name = config.get("class_name")
    if class_name == "function":
        name = config.get("config")
    else:
        name = class_name
    for key in (registered, name):
        if key:
            obj = get_registered_object(key, custom_objects)
            if obj is not None:
                return obj
    obj = find_public_object(config.get("module"), name)
    if obj is None:
        raise ValueError(
            f"Could not locate {'function' if class_name == 'function' else 'class'} {name!r} "
            f"(module hint {config.get('module')!r}). Make sure it is a unikeras built-in, "
            "registered with `keras.saving.register_keras_serializable()`, or passed in "
            "`custom_objects`. Modules named in a config are never imported."
        )
    return obj


def _deserialize_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from `serialize_keras_object` output (the core's strict form).

    Unlike the public `deserialize_keras_object`, a string is a name that must resolve (a
    built-in, registered or custom object: `"relu"` gives the function) and any other value
    must be an object's config; `from_config` methods and the `get()` of each namespace use it.

    Args:
        config: A config dict, a plain name (e.g. `"relu"`), or `None`.
        custom_objects: Dict of name -> class or function to resolve first.
        safe_mode: Refuse objects that would run code stored in the config (such as `Lambda`
            layers with serialized bytecode); `unikeras.config.enable_unsafe_deserialization`
            or `safe_mode=False` allows them.

    Returns:
        The object.
    """
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        obj = get_registered_object(config, custom_objects) or find_public_object(
            kwargs.get("module_objects_hint"), config
        )
        if obj is None:
            raise ValueError(f"Unknown object name {config!r}.")
        return obj
    if isinstance(config, (list, tuple)):
        return [_deserialize_object(c, custom_objects, safe_mode) for c in config]
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Invalid serialized object: {config!r}")
    if config["class_name"] == "__tuple__":
        return tuple(
            _deserialize_object(v, custom_objects, safe_mode) for v in config["config"]["value"]
        )
    if config["class_name"] == "__slice__":
        return slice(config["config"]["start"], config["config"]["stop"], config["config"]["step"])
    if config["class_name"] == "__ellipsis__":
        return Ellipsis
    obj = _resolve(config, custom_objects)
    if config["class_name"] == "function":
        return obj
    inner = _without_unused_keras3_arguments(obj, config.get("config", {}))
    from_config = getattr(obj, "from_config", None)
    if from_config is None:
        raise TypeError(f"{obj!r} has no `from_config`; it cannot be deserialized.")
    try:
        params = inspect.signature(from_config).parameters
    except (TypeError, ValueError):  # pragma: no cover
        params = {}
    extra = {}
    if "custom_objects" in params:
        extra["custom_objects"] = custom_objects
    if "safe_mode" in params:
        extra["safe_mode"] = safe_mode
    instance = from_config(inner, **extra)
    build_config = config.get("build_config")
    if build_config and hasattr(instance, "build_from_config"):
        instance.build_from_config(build_config)
    return instance


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from `serialize_keras_object` output.

    As in Keras 3, a plain value stays as it is: a string is looked up only among
    `custom_objects` and registered objects (`"SGD"` or `"accuracy"` come back as the same
    strings, for `compile()` to resolve); a list is deserialized item by item and a dict
    that is not an object's config (no `class_name` and `config`) value by value.

    Args:
        config: A config dict, a list or dict of them, a string, or a plain value.
        custom_objects: Dict of name -> class or function to resolve first.
        safe_mode: Refuse objects that would run code stored in the config (such as `Lambda`
            layers with serialized bytecode); `unikeras.config.enable_unsafe_deserialization`
            or `safe_mode=False` allows them.

    Returns:
        The object.
    """
    if isinstance(config, str):
        module_objects = kwargs.get("module_objects")
        obj = get_registered_object(config, custom_objects, module_objects)
        return config if obj is None else obj
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, custom_objects, safe_mode, **kwargs) for c in config]
    if isinstance(config, dict) and ("class_name" not in config or "config" not in config):
        return {
            k: deserialize_keras_object(v, custom_objects, safe_mode, **kwargs)
            for k, v in config.items()
        }
    return _deserialize_object(config, custom_objects, safe_mode, **kwargs)


def get_object(identifier, base_class, kind):
    """Resolves a `get()` identifier of a public namespace (regularizers, constraints, ...).

    Args:
        identifier: `None`, an instance of `base_class`, a name, a config dict, or a callable.
        base_class: The namespace's base class; a class found by name is instantiated.
        kind: Word used in the error message (e.g. `"regularizer"`).

    Returns:
        The object, or `None`.
    """
    if identifier is None or isinstance(identifier, base_class):
        return identifier
    if isinstance(identifier, (dict, str)):
        obj = _deserialize_object(identifier)
        return obj() if isinstance(obj, type) else obj
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")
