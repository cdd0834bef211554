"""`keras.mixed_precision`: global dtype policies and loss scaling for 16-bit training.

    keras.mixed_precision.set_global_policy("mixed_float16")

makes layers created afterwards keep float32 variables and compute in float16; `compile`
then wraps the optimizer in a `LossScaleOptimizer`.
"""

from unikeras import dtype_policies as _dtype_policies
from unikeras.dtype_policies import DTypePolicy
from unikeras.optimizers.loss_scale_optimizer import LossScaleOptimizer


def global_policy():
    """Returns the global dtype policy (default: `DTypePolicy(floatx())`).

    Returns:
        A `keras.DTypePolicy`.
    """
    return _dtype_policies._global_policy()


def set_global_policy(policy):
    """Sets the global dtype policy used by layers created afterwards.

    Args:
        policy: A `DTypePolicy` or a policy name such as `"mixed_float16"`; `None` resets it
            to `floatx()`.
    """
    _dtype_policies._set_global_policy(policy)


Policy = DTypePolicy
dtype_policy = global_policy
set_dtype_policy = set_global_policy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
