"""`keras.optimizers.SGD`."""

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent, optionally with (Nesterov) momentum.

    Without momentum: `w -= lr * g`. With momentum: `v = momentum * v - lr * g`, then
    `w += v`, or `w += momentum * v - lr * g` with `nesterov=True`.

    Args:
        learning_rate: Float, schedule or callable (default 0.01).
        momentum: Float in `[0, 1]` (default 0: plain gradient descent).
        nesterov: Whether to apply Nesterov momentum.
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.

    Examples:
        >>> optimizer = keras.optimizers.SGD(learning_rate=0.1)
        >>> w = keras.Variable([1.0, 2.0])
        >>> optimizer.apply([keras.ops.convert_to_tensor([0.5, -1.0])], [w])
        >>> keras.ops.convert_to_numpy(w)  # w - 0.1 * gradient
        array([0.95, 2.1 ], dtype=float32)
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name or "SGD", **kwargs)
        if not isinstance(momentum, (int, float)) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self._set_hyperparameters(momentum=momentum, nesterov=nesterov)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        step = ops.multiply(ops.cast(gradient, variable.dtype), lr)
        if self.momentum == 0:
            self.assign_sub(variable, step)
            return
        m = self.momentums[self._get_variable_index(variable)]
        momentum = ops.cast(self.momentum, variable.dtype)
        self.assign(m, ops.subtract(ops.multiply(m, momentum), step))
        if self.nesterov:
            self.assign_add(variable, ops.subtract(ops.multiply(m, momentum), step))
        else:
            self.assign_add(variable, m)
