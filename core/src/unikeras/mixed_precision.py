"""`keras.mixed_precision`: global dtype policies and loss scaling for 16-bit training.

    keras.mixed_precision.set_global_policy("mixed_float16")

makes layers created afterwards keep float32 variables and compute in float16; `compile`
then wraps the optimizer in a `LossScaleOptimizer`.
"""

from unikeras.dtype_policies import DTypePolicy, global_policy, set_global_policy
from unikeras.optimizers.loss_scale_optimizer import LossScaleOptimizer

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
