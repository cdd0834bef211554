"""unikeras: Keras 3's API on pluggable backends.

Importing selects the backend (see `unikeras.backend.registry` for the order:
UNIKERAS_BACKEND, KERAS_BACKEND, ~/.unikeras/unikeras.json, the only installed plugin, the
preference order, else the built-in numpy backend) and builds the op dispatch table. Only the
selected backend's engine is imported.
"""

from unikeras._version import __version__  # noqa: F401

# First the parts that do not depend on the selected backend: the backend layer (with the
# plugin API, `unikeras.backend.api`, everything a plugin may import when it is loaded) and the
# op namespace (bound to the dispatch table when a backend is selected).
from unikeras import backend, tree  # noqa: F401
from unikeras.backend import api as _plugin_api  # noqa: F401
from unikeras.backend import registry as _registry
from unikeras import ops  # noqa: F401

# Then the backend plugin: selected and loaded once the modules it may import are complete.
# The classes below compose with it (the Variable class, the layer and trainer mixins), as
# Keras 3 composes them with KERAS_BACKEND.
_registry.apply_config_file()
_registry.select()

from unikeras import config, utils  # noqa: E402,F401
from unikeras import activations, callbacks, constraints, initializers, regularizers  # noqa: E402,F401,E501
from unikeras import dtype_policies, layers, losses, metrics, models, optimizers  # noqa: E402,F401
from unikeras import mixed_precision, random, saving  # noqa: E402,F401
from unikeras import datasets, preprocessing, visualization, wrappers  # noqa: E402,F401
from unikeras import distillation, legacy  # noqa: E402,F401
from unikeras import export  # noqa: E402,F401
from unikeras import distribution  # noqa: E402,F401
from unikeras import applications  # noqa: E402,F401
from unikeras.backend.keras_tensor import KerasTensor  # noqa: E402,F401
from unikeras.backend.stateless_scope import StatelessScope  # noqa: E402,F401
from unikeras.backend.symbolic_scope import SymbolicScope  # noqa: E402,F401
from unikeras.backend.device import RematScope, device, remat  # noqa: E402,F401
from unikeras.backend.name_scope import name_scope  # noqa: E402,F401
from unikeras.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: E402,F401
from unikeras.initializers import Initializer  # noqa: E402,F401
from unikeras.losses import Loss  # noqa: E402,F401
from unikeras.metrics import Metric  # noqa: E402,F401
from unikeras.ops.function import Function  # noqa: E402,F401
from unikeras.optimizers import Optimizer  # noqa: E402,F401
from unikeras.quantizers import Quantizer  # noqa: E402,F401
from unikeras.regularizers import Regularizer  # noqa: E402,F401
from unikeras import quantizers  # noqa: E402,F401
from unikeras.layers import Input, InputSpec, Layer  # noqa: E402,F401
from unikeras.models import Model, Sequential  # noqa: E402,F401
from unikeras.ops.operation import Operation  # noqa: E402,F401
from unikeras.variables import Variable  # noqa: E402,F401


def version():
    """Returns the version of unikeras (its `__version__`), as `keras.version()` does.

    Returns:
        The version string (e.g. `"0.1.0"`).
    """
    return __version__
