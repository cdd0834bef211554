"""`keras.optimizers`: optimizers, `get`/`serialize`/`deserialize`, and `schedules`."""

from unikeras.optimizers import legacy, schedules  # noqa: F401
from unikeras.optimizers.adadelta import Adadelta
from unikeras.optimizers.adafactor import Adafactor
from unikeras.optimizers.adagrad import Adagrad
from unikeras.optimizers.adam import Adam
from unikeras.optimizers.adamax import Adamax
from unikeras.optimizers.adamw import AdamW
from unikeras.optimizers.base_optimizer import Optimizer
from unikeras.optimizers.ftrl import Ftrl
from unikeras.optimizers.lamb import Lamb
from unikeras.optimizers.lion import Lion
from unikeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from unikeras.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from unikeras.optimizers.muon import Muon
from unikeras.optimizers.nadam import Nadam
from unikeras.optimizers.rmsprop import RMSprop
from unikeras.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from unikeras.optimizers.sgd import SGD
from unikeras.saving import serialization

_ALL_OBJECTS = (
    Optimizer,
    Adam,
    SGD,
    RMSprop,
    Adadelta,
    AdamW,
    Adagrad,
    Adamax,
    Adafactor,
    Nadam,
    Ftrl,
    Lion,
    LossScaleOptimizer,
    Lamb,
    Muon,
    MultiOptimizer,
    ScheduleFreeAdamW,
)
# Names are case-insensitive: "adam", "Adam" and "ADAM" all work.
_ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in _ALL_OBJECTS}


def serialize(optimizer):
    """Returns the Keras config dict of an optimizer.

    Args:
        optimizer: An optimizer.

    Returns:
        A dict with the optimizer's `"class_name"` and `"config"`.
    """
    return serialization.serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """Rebuilds an optimizer from `serialize` output (or a `{"class_name", "config"}` dict
    whose class name may be any case).

    Args:
        config: A dict from `serialize` (or one naming the class in any case).
        custom_objects: Optional dict mapping names to custom classes or functions.

    Returns:
        The optimizer.
    """
    config = dict(config)
    known = _ALL_OBJECTS_DICT.get(str(config.get("class_name", "")).lower())
    if known is not None and not config.get("registered_name"):
        config["class_name"] = known.__name__
    config.setdefault("config", {})
    objects = {cls.__name__: cls for cls in _ALL_OBJECTS}
    objects.update(custom_objects or {})
    return serialization._deserialize_object(config, custom_objects=objects)


def get(identifier):
    """Returns an optimizer from an optimizer, a name (`"adam"`), or a config dict.

    Args:
        identifier: An optimizer (returned as is), a name such as `"adam"`, or a config dict.

    Returns:
        An optimizer instance.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        try:
            return deserialize({"class_name": identifier, "config": {}})
        except ValueError as e:
            raise ValueError(
                f"Could not interpret optimizer identifier: {identifier!r}. Known optimizers "
                f"(case-insensitive): {sorted(c.__name__ for c in _ALL_OBJECTS[1:])}; a custom "
                "one must be registered with `keras.saving.register_keras_serializable()` "
                "or passed as an instance."
            ) from e
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
