"""NumPy backend: the Variable class (hook `variable_class`)."""

import numpy as np

from unikeras.backend.hookspec import hookimpl
from unikeras.backend.variable import Variable as BaseVariable


class NumpyVariable(BaseVariable):
    """A Variable holding a NumPy array."""

    def _initialize(self, value):
        self._value = np.array(value, copy=True)

    def _direct_assign(self, value):
        self._value = np.asarray(value)

    @property
    def value(self):
        return self._value


@hookimpl
def variable_class():
    return NumpyVariable
