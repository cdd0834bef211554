"""PyTorch implementation of Keras 3's `TorchModuleWrapper`, returned by the hook
`engine_layer` (`unikeras_torch.layers`); imported on first use, once `unikeras.layers` exists."""

import base64
import io

import numpy as np
import torch

from unikeras import config as keras_config
from unikeras import layers as _layers
from unikeras.backend.api import KerasTensor, name_scope, table

from unikeras_torch.convert import DEVICE
from unikeras_torch.variable import TorchVariable


class TorchModuleWrapper(_layers.TorchModuleWrapper):
    # Documented and serialized as the declared `keras.layers.TorchModuleWrapper` (`_EngineLayer`).
    def __init__(self, module, name=None, output_shape=None, **kwargs):
        super().__init__(module, name=name, output_shape=output_shape, **kwargs)
        if not isinstance(module, torch.nn.Module):
            raise TypeError(
                f'Layer "{self.name}": `module` must be a `torch.nn.Module`. '
                f"Received: module={module!r} of type {type(module).__name__}"
            )
        if (
            isinstance(module, torch.nn.modules.lazy.LazyModuleMixin)
            and module.has_uninitialized_params()
        ):
            raise ValueError(
                "LazyModules are not supported unless they are already "
                f"initialized. Received uninitialized LazyModule: module={module}"
            )
        self.module = module.to(DEVICE)
        self.output_shape = None if output_shape is None else tuple(output_shape)
        self._track_module_parameters()

    def parameters(self, recurse=True):
        return self.module.parameters(recurse=recurse)

    def _track_module_parameters(self):
        """Wraps each parameter of the module in a variable that shares it (the optimizer
        updates the parameter in place, so the module sees every update)."""
        for key, param in self.module.named_parameters():
            with name_scope(self.name):
                variable = TorchVariable(
                    param.detach(),
                    dtype=str(param.dtype).split(".")[-1],
                    trainable=param.requires_grad,
                    name=key.replace(".", "_"),
                )
            variable._value = param
            self._own_variables.append(variable)
        self.built = True

    def call(self, *args, training=None, **kwargs):
        if training is False:
            self.module.eval()
        else:
            self.module.train()
        return self.module(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        if self.output_shape is not None:
            return KerasTensor(self.output_shape, dtype=self.compute_dtype)
        return table.compute_output_spec(self.call, args, kwargs)

    def compute_output_shape(self, input_shape):
        if self.output_shape is None:
            raise NotImplementedError(
                f'Layer "{self.name}": pass `output_shape` to know the '
                "output shape without running the module."
            )
        return self.output_shape

    def save_own_variables(self, store):
        """Saves the module's whole `state_dict()` (buffers such as batch statistics too)."""
        for key, value in self.module.state_dict().items():
            store[key] = value.detach().cpu().numpy()

    def load_own_variables(self, store):
        """Loads the module's state from the arrays `save_own_variables` wrote."""
        state = {}
        for key in store.keys():
            name = key.decode() if isinstance(key, bytes) else key
            state[name] = torch.as_tensor(np.asarray(store[key]), device=DEVICE)
        self.module.load_state_dict(state)

    def get_config(self):
        config = super().get_config()
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        config.update(
            {
                "module": base64.b64encode(buffer.getvalue()).decode("ascii"),
                "output_shape": None if self.output_shape is None else list(self.output_shape),
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        if isinstance(config.get("module"), str):
            if safe_mode is not False and keras_config.in_safe_mode():
                raise ValueError(
                    "Requested the deserialization of a `torch.nn.Module` object via "
                    "`torch.load()`. This carries a potential risk of arbitrary code execution "
                    "and thus it is disallowed by default. If you trust the source of the "
                    "artifact, you can override this error by passing `safe_mode=False` to the "
                    "loading function, or calling "
                    "`keras.config.enable_unsafe_deserialization()`."
                )
            data = io.BytesIO(base64.b64decode(config["module"].encode("ascii")))
            config["module"] = torch.load(data, weights_only=False)
        return cls(**config)
