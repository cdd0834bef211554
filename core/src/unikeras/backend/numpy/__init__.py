"""The built-in NumPy backend: the reference implementation of every op (inference only).

Every other backend is checked against it by the conformance kit (`unikeras.testing`).
"""

from unikeras.backend.registry import plugin_modules

#: The built-in backend's declaration (see `unikeras.backend.registry.declared_info`).
unikeras_plugin_info = {
    "pip_name": "unikeras",
    "priority": 0,
}

unikeras_plugins = plugin_modules(__name__)
