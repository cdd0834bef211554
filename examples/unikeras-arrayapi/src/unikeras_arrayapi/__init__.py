"""`unikeras-arrayapi`: an example unikeras backend plugin (inference only).

It runs unikeras on NumPy used only through the Python Array API standard
(https://data-apis.org/array-api/), so it reads as a template for any Array API library.
The entry point `arrayapi` (group `unikeras.backends`) names this module; the core registers
the modules listed in `unikeras_plugins`, whose `@hookimpl` functions implement hooks of the
contract (`unikeras.backend.hookspec` and `unikeras.backend.specs`). Ops left out raise
`NotImplementedError` naming the op, unless the core has a default implementation written
with other ops.
"""

from unikeras_arrayapi import core, ops

__version__ = "0.1.0"

# What the plugin declares about itself. The core reads this dict literal without importing
# the module (so listing or choosing backends imports no engine): the distribution to
# `pip install`, the priority when several backends are installed and none is selected
# (higher wins), capabilities, and hooks it requires beyond the contract's required ones.
unikeras_plugin_info = {
    "pip_name": "unikeras-arrayapi",
    "priority": 0,
    "training": False,
    "jit": False,
    "export_formats": [],
    "required_hooks": ["trainer_mixin", "cast", "shape"],
}

unikeras_plugins = (core, ops)
