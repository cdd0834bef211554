"""`keras.optimizers.Adamax`."""

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax: Adam with the infinity norm.

    With `t = iterations + 1`: `m += (g - m) * (1 - beta_1)`, `u = max(beta_2 * u, |g|)`,
    `w -= lr * m / ((1 - beta_1**t) * (u + epsilon))`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Decay rate of the first moment (default 0.9).
        beta_2: Decay rate of the infinity norm (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, name=name or "adamax", **kwargs)
        self._set_hyperparameters(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), step)
        index = self._get_variable_index(variable)
        m, u = self._m[index], self._u[index]
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.beta_1))
        self.assign(u, ops.maximum(ops.multiply(self.beta_2, u), ops.abs(gradient)))
        self.assign_sub(
            variable,
            ops.divide(
                ops.multiply(lr, m), ops.multiply(1 - beta_1_power, ops.add(u, self.epsilon))
            ),
        )
