"""`keras.optimizers.ScheduleFreeAdamW`."""

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW: no learning-rate schedule is needed; the trained variable `y`
    interpolates between an averaged sequence `x` and the raw iterate `z`.

    The `momentum` slot holds `z` (initialised to the variable). With `t = iterations + 1`
    and `lr` scaled by `min(t / warmup_steps, 1)` when `warmup_steps > 0`:
    `v += (g**2 - v) * (1 - beta_2)`, `z -= lr * g / (sqrt(v / (1 - beta_2**t)) +
    epsilon)`, `x = (y - (1 - beta_1) * z_old) / beta_1`, `x = (1 - 1/t) * x + z / t`,
    `y = (1 - beta_1) * z + beta_1 * x`.

    Args:
        learning_rate: Float, schedule or callable (default 0.0025).
        beta_1: Interpolation between `x` and `z` (default 0.9).
        beta_2: Decay rate of the second moment (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-8).
        warmup_steps: Steps of linear learning-rate warmup (default 0).
        weight_decay: If set, each step first shrinks every variable (not excluded with
            `exclude_from_weight_decay`) by `variable * weight_decay * learning_rate` (default
            `None`).
        clipnorm: If set, each gradient is clipped to this L2 norm (default `None`).
        clipvalue: If set, each gradient element is clipped to `[-clipvalue, clipvalue]` (default
            `None`).
        global_clipnorm: If set, all gradients are clipped together to this global L2 norm (default
            `None`).
        use_ema: Whether to keep an exponential moving average of the trained variables (default
            `False`).
        ema_momentum: Momentum of that average: `average = m * average + (1 - m) * value` (default
            `0.99`).
        ema_overwrite_frequency: Every this many iterations, overwrite the trained variables with
            their average; `None` (default): only in `finalize_variable_values`.
        loss_scale_factor: If set, `scale_loss` multiplies the loss by it and `apply` divides the
            gradients by it (default `None`).
        gradient_accumulation_steps: If an int >= 2, variables are updated only every that many
            steps, with the average of the gradients accumulated since the last update (default
            `None`).
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.

    Reference: [Defazio et al., 2024](https://arxiv.org/abs/2405.15682).
    """

    def __init__(
        self,
        learning_rate=0.0025,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        warmup_steps=0,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self._set_hyperparameters(
            beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, warmup_steps=warmup_steps
        )

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        for momentum, variable in zip(self._momentums, var_list):
            momentum.assign(ops.copy(variable.value))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        if self.warmup_steps > 0:
            lr = lr * ops.minimum(step / ops.cast(self.warmup_steps, dtype), 1.0)
        index = self._get_variable_index(variable)
        z, v = self._momentums[index], self._velocities[index]
        z_old = ops.copy(z.value)  # PyTorch assigns in place
        self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - beta_2))
        denominator = ops.add(ops.sqrt(v / (1 - ops.power(beta_2, step))), self.epsilon)
        self.assign_sub(z, ops.divide(ops.multiply(lr, gradient), denominator))
        weight = 1.0 / step
        x_old = ops.divide(ops.subtract(variable.value, ops.multiply(1 - beta_1, z_old)), beta_1)
        x_new = ops.add(ops.multiply(1 - weight, x_old), ops.multiply(weight, z.value))
        self.assign(
            variable, ops.add(ops.multiply(1 - beta_1, z.value), ops.multiply(beta_1, x_new))
        )
