"""`keras.optimizers.Adam`."""

from unikeras import ops
from unikeras.backend import registry
from unikeras.optimizers.base_optimizer import Optimizer


class Adam(Optimizer):
    """Adam: adaptive moment estimation.

    With `t = iterations + 1`: `m += (g - m) * (1 - beta_1)`, `v += (g**2 - v) * (1 -
    beta_2)`, `w -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)`;
    with `amsgrad`, `v` in the last formula is the running maximum of `v`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Decay rate of the first moment (default 0.9).
        beta_2: Decay rate of the second moment (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        amsgrad: Whether to use the AMSGrad variant.
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        amsgrad=False,
        name=None,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name or "adam", **kwargs)
        self._set_hyperparameters(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        fused = registry.optional_hook("adam_update")
        if fused is not None and not self.gradient_accumulation_steps:
            indices = [self._get_variable_index(v) for v in trainable_variables]
            hats = [self._velocity_hats[i] for i in indices] if self.amsgrad else None
            done = fused(
                list(trainable_variables),
                list(grads),
                [self._momentums[i] for i in indices],
                [self._velocities[i] for i in indices],
                hats,
                learning_rate,
                self.iterations,
                self.beta_1,
                self.beta_2,
                self.epsilon,
            )
            if done:
                return
        super()._backend_update_step(grads, trainable_variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), step)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), step)
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        alpha = lr * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.beta_1))
        self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._velocity_hats[index]
            self.assign(v_hat, ops.maximum(v_hat, v))
            v = v_hat
        self.assign_sub(
            variable, ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), self.epsilon))
        )
