"""The built-in NumPy backend: the reference implementation of every op (inference only).

Every other backend is checked against it by the conformance kit (`unikeras.testing`).
"""

from unikeras.backend.numpy import (
    convert,
    core,
    image,
    layer,
    linalg,
    math,
    nn,
    numpy,
    random,
    symbolic,
    variable,
)

#: The built-in backend's declaration (see `unikeras.backend.registry.declared_info`).
unikeras_plugin_info = {
    "pip_name": "unikeras",
    "priority": 0,
    "training": False,
    "jit": False,
    "export_formats": [],
    "required_hooks": [],
}

unikeras_plugins = (
    convert,
    variable,
    layer,
    symbolic,
    core,
    numpy,
    nn,
    math,
    linalg,
    image,
    random,
)
