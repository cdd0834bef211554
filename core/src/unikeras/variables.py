"""`keras.Variable`: the active backend's Variable class (composed at import)."""

from unikeras.backend.registry import table
from unikeras.backend.variable import Variable as BaseVariable  # noqa: F401

Variable = table.variable_class()
