"""unikeras: Keras 3's API on pluggable backends.

Importing selects the backend (see `unikeras.backend.registry` for the order:
UNIKERAS_BACKEND, KERAS_BACKEND, ~/.unikeras/unikeras.json, the only installed plugin, the
preference order, else the built-in numpy backend) and builds the op dispatch table. Only the
selected backend's engine is imported.
"""

from unikeras._version import __version__  # noqa: F401

# First the core's own modules: the backend layer (with the plugin API,
# `unikeras.backend.api`), the op namespace (bound to the dispatch table when a backend is
# selected) and every public namespace.
from unikeras import backend, tree  # noqa: F401
from unikeras.backend import api as _plugin_api  # noqa: F401
from unikeras.backend import registry as _registry
from unikeras import ops  # noqa: F401
from unikeras import config, utils  # noqa: F401
from unikeras import activations, callbacks, constraints, initializers, regularizers  # noqa: F401,E501
from unikeras import dtype_policies, layers, losses, metrics, models, optimizers  # noqa: F401
from unikeras import mixed_precision, random, saving  # noqa: F401
from unikeras import datasets, preprocessing, visualization, wrappers  # noqa: F401
from unikeras import distillation, legacy  # noqa: F401
from unikeras import export  # noqa: F401
from unikeras import distribution  # noqa: F401
from unikeras import applications  # noqa: F401
from unikeras.backend.keras_tensor import KerasTensor  # noqa: F401
from unikeras.backend.stateless_scope import StatelessScope  # noqa: F401
from unikeras.backend.symbolic_scope import SymbolicScope  # noqa: F401
from unikeras.backend.device import RematScope, device, remat  # noqa: F401
from unikeras.backend.name_scope import name_scope  # noqa: F401
from unikeras.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: F401
from unikeras.initializers import Initializer  # noqa: F401
from unikeras.losses import Loss  # noqa: F401
from unikeras.metrics import Metric  # noqa: F401
from unikeras.ops.function import Function  # noqa: F401
from unikeras.optimizers import Optimizer  # noqa: F401
from unikeras.quantizers import Quantizer  # noqa: F401
from unikeras.regularizers import Regularizer  # noqa: F401
from unikeras import quantizers  # noqa: F401
from unikeras.layers import Input, InputSpec, Layer  # noqa: F401
from unikeras.models import Model, Sequential  # noqa: F401
from unikeras.ops.operation import Operation  # noqa: F401
from unikeras import saving as _saving
from unikeras.utils import bounding_boxes as _bounding_boxes
from unikeras.utils import legacy as _utils_legacy
from unikeras.utils.feature_space import FeatureSpace as _FeatureSpace
from unikeras.utils.model_visualization import model_to_dot as _model_to_dot
from unikeras.utils.model_visualization import plot_model as _plot_model

# The `keras.utils` names whose home is above the helpers of `unikeras.utils` (which the
# layers, saving and models import), bound now that every layer is complete.
utils.bounding_boxes = _bounding_boxes
utils.legacy = _utils_legacy
utils.FeatureSpace = _FeatureSpace
utils.model_to_dot = _model_to_dot
utils.plot_model = _plot_model
for _name in (
    "CustomObjectScope",
    "custom_object_scope",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
    "deserialize_keras_object",
):
    setattr(utils, _name, getattr(_saving, _name))
del _name, _saving, _bounding_boxes, _utils_legacy, _FeatureSpace, _model_to_dot, _plot_model

# Then the backend plugin, selected and loaded once the core's modules are complete (a plugin
# may import any public module), and the core's classes composed with it (`Layer` and `Model`
# with its mixins, `Variable` its class), as Keras 3 composes them with KERAS_BACKEND.
_registry.apply_config_file()
_registry.select()

from unikeras import _composition  # noqa: E402

Variable = _composition.compose()

# TensorFlow's AutoGraph leaves Keras' code alone; it must leave unikeras' alone too (when
# TensorFlow is imported later, the TensorFlow graph scope and plugin do this).
from unikeras.backend.common import autograph as _autograph  # noqa: E402

_autograph.keep_unikeras_unconverted()
del _autograph


def version():
    """Returns the version of unikeras (its `__version__`), as `keras.version()` does.

    Returns:
        The version string (e.g. `"0.1.0"`).
    """
    return __version__
