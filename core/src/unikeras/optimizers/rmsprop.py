"""`keras.optimizers.RMSprop`."""

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a moving root mean square of recent gradients.

    `v = rho * v + (1 - rho) * g**2`; `step = lr * g / sqrt(v + epsilon)` (centered:
    `sqrt(v - a**2 + epsilon)` with `a = rho * a + (1 - rho) * g`); with momentum,
    `m = momentum * m + step` and `w -= m`, else `w -= step`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        rho: Decay of the squared-gradient average (default 0.9).
        momentum: Momentum (default 0).
        epsilon: Small constant for numerical stability (default 1e-7).
        centered: Whether to normalize by the estimated variance of the gradient.
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.9,
        momentum=0.0,
        epsilon=1e-7,
        centered=False,
        name=None,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name or "rmsprop", **kwargs)
        self._set_hyperparameters(rho=rho, momentum=momentum, epsilon=epsilon, centered=centered)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        velocity = self._velocities[index]
        rho = self.rho
        self.assign(
            velocity,
            ops.add(ops.multiply(rho, velocity), ops.multiply(1 - rho, ops.square(gradient))),
        )
        if self.centered:
            average = self._average_gradients[index]
            self.assign(
                average, ops.add(ops.multiply(rho, average), ops.multiply(1 - rho, gradient))
            )
            denominator = ops.add(ops.subtract(velocity, ops.square(average)), self.epsilon)
        else:
            denominator = ops.add(velocity, self.epsilon)
        increment = ops.divide(ops.multiply(lr, gradient), ops.sqrt(denominator))
        if self.momentum > 0:
            momentum = self._momentums[index]
            self.assign(momentum, ops.add(ops.multiply(self.momentum, momentum), increment))
            self.assign_sub(variable, momentum)
        else:
            self.assign_sub(variable, increment)
