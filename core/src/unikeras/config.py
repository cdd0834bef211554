"""`keras.config`: global settings and backend selection."""

import os
import sys

from unikeras.backend.config import (  # noqa: F401
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from unikeras.backend.registry import backend  # noqa: F401

_SAFE_MODE = [True]


def enable_unsafe_deserialization():
    """Allows loading `.keras` files that execute code (e.g. `Lambda` layers)."""
    _SAFE_MODE[0] = False


def in_safe_mode():
    """Returns whether deserialization refuses code from files (the default)."""
    return _SAFE_MODE[0]


def set_backend(name):
    """Selects another backend and re-imports unikeras so classes compose with it.

    Like Keras 3's `keras.config.set_backend`: objects (layers, models, modules) created
    before the call belong to the old backend; import `unikeras` again afterwards
    (`import unikeras as keras` re-binds it) and rebuild models.

    Args:
        name: Backend name, e.g. `"jax"`, `"torch"`, `"tensorflow"`, `"openvino"`, `"numpy"`.

    Returns:
        The re-imported `unikeras` module.
    """
    from unikeras.backend import registry

    registry.select(name)  # fails here, leaving everything as it was, if `name` is unusable
    os.environ["UNIKERAS_BACKEND"] = registry.backend()
    plugin_packages = {ep.value.split(".")[0].split(":")[0]
                       for group in (registry.BACKEND_GROUP, registry.ADDON_GROUP)
                       for ep in registry._entry_points(group).values()}
    plugin_packages.add("unikeras")
    for module_name in list(sys.modules):
        if module_name.split(".")[0] in plugin_packages:
            del sys.modules[module_name]
    import unikeras

    return unikeras
