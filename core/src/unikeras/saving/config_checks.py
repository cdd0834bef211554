"""Checks run on a model config read from a file, before any object is created from it.

A config may only name objects unikeras can find without importing anything: its public
namespaces (`keras.*` / `unikeras.*` module hints), objects registered with
`register_keras_serializable`, and `custom_objects`. A name outside that set (such as
`os.system`, `subprocess.Popen` or `builtins.eval`) is always refused: modules named in a
file are never imported, even with `safe_mode=False`, which only allows stored bytecode
(`Lambda` layers). Configs never refer to files outside the archive.
"""

import re

from unikeras.saving import serialization

_INTERNAL_CLASSES = {"__tuple__", "__slice__", "__ellipsis__", "__keras_tensor__", "OpCall"}
_BYTECODE = "__lambda__"
_ALLOWED_MODULE_ROOTS = {"keras", "unikeras"}
_FILE_KEY = re.compile(
    r"^(vocabulary|file|path|filename|filepath)$|_(file|path|filename|"
    r"filepath|dir|directory)$"
)


class UnsafeConfigError(ValueError):
    """A config names something loading would refuse to create."""


def check_config(config, custom_objects=None, safe_mode=True):
    """Raises `UnsafeConfigError` when `config` names objects or files it may not.

    Args:
        config: The parsed JSON config.
        custom_objects: Dict of names the caller allows in addition.
        safe_mode: Whether to refuse stored bytecode.
    """
    _check(config, custom_objects or {}, safe_mode, "config")


def _check(node, custom_objects, safe_mode, where):
    if isinstance(node, list):
        for i, item in enumerate(node):
            _check(item, custom_objects, safe_mode, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    class_name = node.get("class_name")
    if isinstance(class_name, str):
        _check_object(node, class_name, custom_objects, safe_mode, where)
    for key, value in node.items():
        if isinstance(key, str) and _FILE_KEY.search(key) and isinstance(value, str):
            raise UnsafeConfigError(
                f"{where}.{key} refers to the file {value!r}. Loading never reads files "
                "named by a config (they could lie outside the archive); pass the data "
                "itself (e.g. a vocabulary list) instead."
            )
        _check(value, custom_objects, safe_mode, f"{where}.{key}")


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _check_object(node, class_name, custom_objects, safe_mode, where):
    if class_name in _INTERNAL_CLASSES or serialization.keras3_op_name(node) is not None:
        return
    if class_name == _BYTECODE:
        if safe_mode:
            raise UnsafeConfigError(
                f"{where} holds Python bytecode (a `Lambda` layer's lambda or local "
                "function). Loading it would execute code from the file, which is "
                "disallowed in safe mode. If you trust this file, pass `safe_mode=False` "
                "or call `unikeras.config.enable_unsafe_deserialization()`."
            )
        return
    name = node.get("config") if class_name == "function" else class_name
    module = node.get("module")
    if not isinstance(name, str):
        raise UnsafeConfigError(
            f"{where}: invalid object name {_short(name)} (expected a "
            f"string, received {type(name).__name__})."
        )
    for key in (node.get("registered_name"), name):
        if (
            isinstance(key, str)
            and serialization.get_registered_object(key, custom_objects) is not None
        ):
            return
    if module is not None and not isinstance(module, str):
        raise UnsafeConfigError(
            f"{where}: invalid module {_short(module)} for {_short(name)} (expected a "
            f"string or null, received {type(module).__name__})."
        )
    full_name = f"{module}.{name}" if module else name
    if module is not None and module.split(".")[0] not in _ALLOWED_MODULE_ROOTS:
        raise UnsafeConfigError(
            f"{where} names {full_name!r}, from a module outside unikeras/keras. Loading "
            "only creates unikeras built-ins, objects registered with "
            "`keras.saving.register_keras_serializable()` and those passed in "
            "`custom_objects`; modules named in a file are never imported."
        )
    if name.startswith("_") or serialization.find_public_object(module, name) is None:
        raise UnsafeConfigError(
            f"{where} names {full_name!r}, which is not a unikeras built-in. Register it "
            "with `keras.saving.register_keras_serializable()` or pass it in "
            "`custom_objects`."
        )
