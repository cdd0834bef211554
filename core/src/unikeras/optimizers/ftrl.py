"""`keras.optimizers.Ftrl`."""

from unikeras import initializers, ops
from unikeras.optimizers.base_optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL-Proximal ("Follow The Regularized Leader"), with L1/L2 and shrinkage terms.

    With `p = -learning_rate_power`, `n` the accumulator and `z` the linear term:
    `n_new = n + g**2`; `z += g + 2 * l2_shrinkage * w - (n_new**p - n**p) / lr * w`;
    `w = (clip(z, -l1, l1) - z) / (n_new**p / lr + 2 * (l2 + beta / (2 * lr)))`; `n = n_new`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        learning_rate_power: `<= 0` (default -0.5).
        initial_accumulator_value: `>= 0` starting value of `n` (default 0.1).
        l1_regularization_strength: `>= 0` (default 0).
        l2_regularization_strength: `>= 0` (default 0).
        l2_shrinkage_regularization_strength: `>= 0` magnitude penalty (default 0).
        beta: Default 0.
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        l2_shrinkage_regularization_strength=0.0,
        beta=0.0,
        name=None,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name or "ftrl", **kwargs)
        hyperparameters = {
            "learning_rate_power": learning_rate_power,
            "initial_accumulator_value": initial_accumulator_value,
            "l1_regularization_strength": l1_regularization_strength,
            "l2_regularization_strength": l2_regularization_strength,
            "l2_shrinkage_regularization_strength": l2_shrinkage_regularization_strength,
        }
        for arg, value in hyperparameters.items():
            if arg == "learning_rate_power" and value > 0:
                raise ValueError(
                    "`learning_rate_power` needs to be less than or equal to "
                    f"zero. Received: learning_rate_power={value}."
                )
            if arg != "learning_rate_power" and value < 0:
                raise ValueError(
                    f"`{arg}` needs to be greater than or equal to zero. Received: {arg}={value}."
                )
        self._set_hyperparameters(beta=beta, **hyperparameters)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializers.Constant(self.initial_accumulator_value)
        )
        self._linears = self.add_optimizer_variables(var_list, "linear")

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        accum, linear = self._accumulators[index], self._linears[index]
        power = -self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        grad_to_use = ops.add(
            gradient, ops.multiply(2 * self.l2_shrinkage_regularization_strength, variable)
        )
        new_accum = ops.add(accum, ops.square(gradient))
        sigma = ops.divide(ops.subtract(ops.power(new_accum, power), ops.power(accum, power)), lr)
        self.assign_add(linear, ops.subtract(grad_to_use, ops.multiply(sigma, variable)))
        quadratic = ops.add(ops.divide(ops.power(new_accum, power), lr), 2 * l2)
        l1 = self.l1_regularization_strength
        linear_clipped = ops.clip(linear, -l1, l1)
        self.assign(variable, ops.divide(ops.subtract(linear_clipped, linear), quadratic))
        self.assign(accum, new_accum)
