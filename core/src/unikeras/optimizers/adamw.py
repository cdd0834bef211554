"""`keras.optimizers.AdamW`."""

from unikeras.optimizers.adam import Adam


class AdamW(Adam):
    """Adam with decoupled weight decay: before each Adam step, every variable (not
    excluded with `exclude_from_weight_decay`) is shrunk by `w * weight_decay * lr`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        weight_decay: Decay factor (default 0.004).
        beta_1: Decay rate of the first moment (default 0.9).
        beta_2: Decay rate of the second moment (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        amsgrad: Whether to use the AMSGrad variant (default `False`).
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        name=None,
        **kwargs,
    ):
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
        super().__init__(
            learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            amsgrad=amsgrad,
            name=name or "adamw",
            weight_decay=weight_decay,
            **kwargs,
        )
