"""OpenVINO backend: the Variable class (hook `variable_class`)."""

import numpy as np

from unikeras.backend.api import Variable as BaseVariable, hookimpl

from unikeras_openvino.graph import STATE, OpenVINOTensor, host_array, node


class OpenVINOVariable(BaseVariable):
    """A Variable holding a host array; inside a traced model call it reads as a graph
    Parameter, so compiled models take the current weights as inputs on every run."""

    def _initialize(self, value):
        self._value = OpenVINOTensor(data=np.array(host_array(value), copy=True))

    def _direct_assign(self, value):
        self._value = OpenVINOTensor(data=np.array(host_array(value), copy=True))

    @property
    def value(self):
        if STATE.variables is not None:
            return OpenVINOTensor(output=node(self))
        return self._value


@hookimpl
def variable_class():
    return OpenVINOVariable
