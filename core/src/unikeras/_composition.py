"""Composes the core's classes with the loaded backend plugin.

`import unikeras` first completes its own modules, then selects and loads the backend plugin,
then calls `compose()`: `Layer` inherits first from the backend's layer mixin (hook
`layer_mixin`; a `torch.nn.Module` mixin on PyTorch), `Model` from its trainer mixin (hook
`trainer_mixin`, the compiled steps) before the core loop, and `keras.Variable` becomes the
backend's Variable class (hook `variable_class`), as Keras 3 composes them with
`KERAS_BACKEND`. The mixins enter the existing classes' bases, so every layer and model class
(the core's and any defined later) sees them.
"""

from unikeras import variables
from unikeras.backend.registry import optional_hook, table
from unikeras.layers.layer import Layer
from unikeras.models.model import Model
from unikeras.ops.operation import Operation
from unikeras.trainers.trainer import Trainer


def compose():
    """Composes `Layer`, `Model` and `Variable` with the selected backend's classes.

    Returns:
        The backend's Variable class.
    """
    mixin = table.layer_mixin()
    Layer.__bases__ = (Operation,) if mixin is object else (mixin, Operation)
    Layer._backend_mixin = mixin
    trainer_mixin = optional_hook("trainer_mixin")
    trainer_mixin = object if trainer_mixin is None else trainer_mixin()
    Model.__bases__ = (
        (Trainer, Layer) if trainer_mixin is object else (trainer_mixin, Trainer, Layer)
    )
    variables.Variable = table.variable_class()
    return variables.Variable
