"""The PyTorch backend plugin of unikeras (`UNIKERAS_BACKEND=torch`).

Every op of the unikeras contract is written with torch operations and runs eagerly, so
values are real `torch.Tensor`s that can be printed and stepped through in a debugger.
Layers are `torch.nn.Module`s (hook `layer_mixin`) and variables hold `torch.nn.Parameter`s,
so a unikeras model trains with a hand-written `torch.optim` loop as well as with `fit`.
Tensors live on the first CUDA device when one is available, else on the CPU.
"""

from unikeras.backend.api import plugin_modules

#: Read by the unikeras registry without importing this package (keep it a dict literal).
unikeras_plugin_info = {
    "pip_name": "unikeras-torch",
    "priority": 30,
    "training": True,
    "jit": True,
    "export_formats": ["onnx"],
    "required_hooks": ["trainer_mixin"],
}

unikeras_plugins = plugin_modules(__name__)
