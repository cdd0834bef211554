"""`keras.optimizers.Adadelta`."""

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta: steps scaled by the ratio of moving RMS of past updates and gradients.

    `G = rho * G + (1 - rho) * g**2`; `d = -g * sqrt(D + eps) / sqrt(G + eps)`;
    `D = rho * D + (1 - rho) * d**2`; `w += lr * d`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        rho: Decay rate (default 0.95).
        epsilon: Small constant for numerical stability (default 1e-7).
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name or "adadelta", **kwargs)
        self._set_hyperparameters(rho=rho, epsilon=epsilon)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def _rms(self, x):
        return ops.sqrt(ops.add(x, self.epsilon))

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        index = self._get_variable_index(variable)
        grads_avg = self._accumulated_grads[index]
        deltas_avg = self._accumulated_delta_vars[index]
        rho = self.rho
        self.assign(
            grads_avg,
            ops.add(ops.multiply(rho, grads_avg), ops.multiply(1 - rho, ops.square(gradient))),
        )
        delta = ops.negative(
            ops.divide(ops.multiply(gradient, self._rms(deltas_avg)), self._rms(grads_avg))
        )
        self.assign(
            deltas_avg,
            ops.add(ops.multiply(rho, deltas_avg), ops.multiply(1 - rho, ops.square(delta))),
        )
        self.assign_add(variable, ops.multiply(lr, delta))
