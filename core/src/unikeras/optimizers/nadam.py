"""`keras.optimizers.Nadam`."""

from unikeras import initializers, ops
from unikeras.backend import floatx
from unikeras.optimizers.base_optimizer import Optimizer


class Nadam(Optimizer):
    """Nadam: Adam with Nesterov momentum (Dozat's momentum schedule).

    With `t = iterations + 1` and `mu_t = beta_1 * (1 - 0.5 * 0.96**t)`, the running product
    `P_t = mu_1 ... mu_t` is kept in a variable; `m += (g - m) * (1 - beta_1)`, `v += (g**2 -
    v) * (1 - beta_2)`, `m_hat = mu_{t+1} * m / (1 - P_t * mu_{t+1}) + (1 - mu_t) * g / (1 -
    P_t)`, `v_hat = v / (1 - beta_2**t)`, `w -= lr * m_hat / (sqrt(v_hat) + epsilon)`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_1: Decay rate of the first moment (default 0.9).
        beta_2: Decay rate of the second moment (default 0.999).
        epsilon: Small constant for numerical stability (default 1e-7).
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(
        self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None, **kwargs
    ):
        super().__init__(learning_rate=learning_rate, name=name or "nadam", **kwargs)
        self._set_hyperparameters(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)

    def build(self, var_list):
        if self.built:
            return
        dtype = var_list[0].dtype if var_list else floatx()
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        self._u_product = self.add_variable(
            (), initializer=initializers.Constant(1.0), dtype=dtype, name="u_product"
        )

    def _mu(self, step, dtype):
        beta_1 = ops.cast(self.beta_1, dtype)
        return beta_1 * (1.0 - 0.5 * ops.power(ops.cast(0.96, dtype), step))

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        dtype = self._u_product.dtype
        step = ops.cast(ops.add(self.iterations, 1), dtype)
        self.assign(self._u_product, ops.multiply(self._u_product, self._mu(step, dtype)))
        super()._backend_update_step(grads, trainable_variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(ops.add(self.iterations, 1), dtype)
        u_t = self._mu(step, dtype)
        u_t_1 = self._mu(step + 1, dtype)
        u_product_t = ops.cast(self._u_product, dtype)
        u_product_t_1 = u_product_t * u_t_1
        beta_2 = ops.cast(self.beta_2, dtype)
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.beta_1))
        self.assign_add(v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - self.beta_2))
        m_hat = ops.add(
            ops.divide(ops.multiply(u_t_1, m), 1 - u_product_t_1),
            ops.divide(ops.multiply(1 - u_t, gradient), 1 - u_product_t),
        )
        v_hat = ops.divide(v, 1 - ops.power(beta_2, step))
        self.assign_sub(
            variable, ops.divide(ops.multiply(m_hat, lr), ops.add(ops.sqrt(v_hat), self.epsilon))
        )
