"""`keras.optimizers.Lamb`."""

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


class Lamb(Optimizer):
    """Lamb: Adam moments with a layer-wise trust ratio.

    With `t = iterations + 1`: `m += (g - m) * (1 - beta_1)`, `v += (g**2 - v) * (1 -
    beta_2)`, `u = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)`, then
    `w -= r * lr * u` with the trust ratio `r = ||w|| / ||u||` (1 when either norm is 0).

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Decay rate of the first moment (default 0.9).
        beta_2: Decay rate of the second moment (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
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

    Reference: [You et al., 2019](https://arxiv.org/abs/1904.00962).
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
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
        self._set_hyperparameters(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), step)
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.beta_1))
        self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - self.beta_2))
        update = ops.divide(
            ops.divide(m, 1.0 - beta_1_power),
            ops.add(ops.sqrt(ops.divide(v, 1.0 - beta_2_power)), self.epsilon),
        )
        w_norm = ops.sqrt(ops.sum(ops.square(variable.value)))
        u_norm = ops.sqrt(ops.sum(ops.square(update)))
        one = ops.ones_like(w_norm)
        ratio = ops.where(
            ops.logical_and(ops.greater(w_norm, 0), ops.greater(u_norm, 0)),
            ops.divide_no_nan(w_norm, u_norm),
            one,
        )
        self.assign_sub(variable, ratio * lr * update)
