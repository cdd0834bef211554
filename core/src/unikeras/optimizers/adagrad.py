"""`keras.optimizers.Adagrad`."""

from unikeras import initializers, ops
from unikeras.optimizers.base_optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad: per-parameter rates scaled by the accumulated squared gradients.

    `a += g**2`; `w -= lr * g / sqrt(a + epsilon)`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        initial_accumulator_value: Starting value of the accumulators (default 0.1).
        epsilon: Small constant for numerical stability (default 1e-7).
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(
        self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, name=None, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, name=name or "adagrad", **kwargs)
        self._set_hyperparameters(
            initial_accumulator_value=initial_accumulator_value, epsilon=epsilon
        )

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializers.Constant(self.initial_accumulator_value)
        )

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        accumulator = self._accumulators[self._get_variable_index(variable)]
        self.assign_add(accumulator, ops.square(gradient))
        self.assign_sub(
            variable,
            ops.divide(ops.multiply(lr, gradient), ops.sqrt(ops.add(accumulator, self.epsilon))),
        )
