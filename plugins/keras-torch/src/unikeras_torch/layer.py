"""PyTorch backend: the classes the core composes `Layer` and `Model` from (hooks
`layer_mixin`: every layer is a `torch.nn.Module`; `trainer_mixin`)."""

import torch

from unikeras.backend.api import hookimpl


def _parameter_key(name, taken):
    base = name.replace(".", "_") or "variable"
    key, i = base, 1
    while key in taken:
        key, i = f"{base}_{i}", i + 1
    return key


class TorchLayer(torch.nn.Module):
    """The mixin that makes every unikeras `Layer` a `torch.nn.Module`.

    The layer's own variables appear in `_parameters` (their `nn.Parameter`s) and its
    sublayers in `_modules`, filled in whenever torch walks the module (`parameters()`,
    `state_dict()`, `.to()`, `children()`...), since unikeras creates them lazily in `build`.
    """

    def __init__(self, *args, **kwargs):
        if "_modules" not in self.__dict__:  # may already have run from __setattr__
            torch.nn.Module.__init__(self)

    def __setattr__(self, name, value):
        if "_modules" not in self.__dict__:  # an attribute set before Layer.__init__
            torch.nn.Module.__init__(self)
        # A name torch registered earlier may be rebound to a plain value (or a Variable).
        if not isinstance(value, torch.nn.Parameter):
            self.__dict__["_parameters"].pop(name, None)
        if not isinstance(value, torch.nn.Module):
            self.__dict__["_modules"].pop(name, None)
        torch.nn.Module.__setattr__(self, name, value)

    def _sync_torch_state(self):
        """Registers the unikeras variables and sublayers with torch."""
        if "_tracked" not in self.__dict__:  # Layer.__init__ has not run yet
            return
        params = self.__dict__["_parameters"]
        known = {id(p) for p in params.values() if p is not None}
        for variable in self._own_weights():
            stored = variable._value  # the Parameter (a DTensor when sharded), not a read
            if id(stored) not in known:
                params[_parameter_key(variable.name, params)] = stored
                known.add(id(stored))
        modules = self.__dict__["_modules"]
        # A sublayer already reachable through a registered child (the graph a Sequential
        # model keeps, say) is not registered twice, so `state_dict()` lists it once.
        reachable = {id(d) for m in list(modules.values()) if m is not None for d in m.modules()}
        for layer in self._sublayers():
            if id(layer) not in reachable:
                modules[_parameter_key(layer.name, modules)] = layer
                reachable.update(id(d) for d in layer.modules())

    def named_modules(self, *args, **kwargs):
        self._sync_torch_state()
        return torch.nn.Module.named_modules(self, *args, **kwargs)

    def named_children(self):
        self._sync_torch_state()
        return torch.nn.Module.named_children(self)

    def named_parameters(self, *args, **kwargs):
        self._sync_torch_state()
        return torch.nn.Module.named_parameters(self, *args, **kwargs)

    def state_dict(self, *args, **kwargs):
        self._sync_torch_state()
        return torch.nn.Module.state_dict(self, *args, **kwargs)

    def _apply(self, *args, **kwargs):
        self._sync_torch_state()
        return torch.nn.Module._apply(self, *args, **kwargs)

    def forward(self, *args, **kwargs):
        """`nn.Module.forward`: the layer's `__call__` (so torch hooks see the same call)."""
        return self.call(*args, **kwargs)


@hookimpl
def layer_mixin():
    return TorchLayer


@hookimpl
def trainer_mixin():
    from unikeras_torch.trainer import TorchTrainer  # imports unikeras.utils: load it lazily

    return TorchTrainer
