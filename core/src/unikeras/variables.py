"""`keras.Variable`: the selected backend's Variable class (hook `variable_class`).

`Variable` is bound when unikeras composes its classes with the loaded backend
(`unikeras._composition`); core modules read it as `variables.Variable` at call time.
"""

from unikeras.backend.variable import Variable as BaseVariable  # noqa: F401

#: The selected backend's Variable class; `BaseVariable` until the backend is loaded.
Variable = BaseVariable
