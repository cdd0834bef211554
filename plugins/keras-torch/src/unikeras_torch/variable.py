"""PyTorch backend: the Variable class (hook `variable_class`), holding a
`torch.nn.Parameter`."""

import torch

from unikeras.backend.api import Variable as BaseVariable, hookimpl
from unikeras_torch.convert import convert_to_tensor


def _values(x):
    """`x` with every Variable replaced by its value (through lists, tuples and dicts)."""
    if isinstance(x, BaseVariable):
        return x.value
    if isinstance(x, (list, tuple)):
        return type(x)(_values(v) for v in x)
    if isinstance(x, dict):
        return {k: _values(v) for k, v in x.items()}
    return x


class TorchVariable(BaseVariable):
    """A Variable holding a `torch.nn.Parameter` (gradients only for trainable float ones)."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        """A torch function given a Variable (`tensor + variable`, `torch.matmul(x, variable)`)
        computes on the Variable's value (in the compute dtype inside a mixed-precision
        layer), as Keras 3's torch Variable does. Under `torch.compile`, Dynamo traces this
        instead of breaking the graph on an argument that is not a tensor."""
        return func(*_values(args), **_values(kwargs or {}))

    def _initialize(self, value):
        if type(value).__name__ == "DTensor":  # sharded by a `ModelParallel` layout
            from unikeras_torch.distribution import shard_variable

            return shard_variable(self, value)
        value = convert_to_tensor(value, dtype=self._dtype).detach().clone()
        self._value = torch.nn.Parameter(value, requires_grad=self._wants_grad(value))

    def _wants_grad(self, value):
        return self.trainable and (value.is_floating_point() or value.is_complex())

    def _direct_assign(self, value):
        value = convert_to_tensor(value, dtype=self._dtype)
        if value.__class__ is not torch.Tensor and hasattr(value, "full_tensor"):
            # A DTensor computed on the shards of a `ModelParallel` model (a moving
            # statistic, a clipped optimizer slot): this replicated variable's whole value.
            value = value.full_tensor()
        with torch.no_grad():
            self._value.copy_(value)

    @property
    def value(self):
        return self._value

    @property
    def trainable(self):
        """Whether gradients flow to the variable in training (`requires_grad` follows it)."""
        return self.__dict__.get("_trainable", True)

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        if "_value" in self.__dict__:
            self._value.requires_grad_(self._wants_grad(self._value))


@hookimpl
def variable_class():
    return TorchVariable
