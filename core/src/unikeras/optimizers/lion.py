"""`keras.optimizers.Lion`."""

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


class Lion(Optimizer):
    """Lion: sign-based updates with one momentum slot.

    `w -= lr * sign(beta_1 * m + (1 - beta_1) * g)`; then `m = beta_2 * m + (1 - beta_2) * g`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Interpolation for the update direction, in `(0, 1]` (default 0.9).
        beta_2: Decay of the momentum (default 0.99).
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name or "lion", **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                f"Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                f"degenerates to SignSGD. Received: beta_1={beta_1}."
            )
        self._set_hyperparameters(beta_1=beta_1, beta_2=beta_2)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        m = self._momentums[self._get_variable_index(variable)]
        direction = ops.add(ops.multiply(m, beta_1), ops.multiply(gradient, 1.0 - beta_1))
        self.assign_sub(variable, ops.multiply(lr, ops.sign(direction)))
        self.assign(m, ops.add(ops.multiply(m, beta_2), ops.multiply(gradient, 1.0 - beta_2)))
