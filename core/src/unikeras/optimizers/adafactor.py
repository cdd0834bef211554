"""`keras.optimizers.Adafactor`."""

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


def _rms(x):
    return ops.sqrt(ops.mean(ops.square(x)))


def _average(decay, old, new):
    """`decay * old + (1 - decay) * new`."""
    return ops.add(ops.multiply(decay, old), ops.multiply(1 - decay, new))


class Adafactor(Optimizer):
    """Adafactor: second moments factored into row and column averages (for variables of
    rank >= 2, over the last two axes), relative step sizes and update clipping.

    With `t = iterations + 1`: `rho = min(lr, 1 / sqrt(t))`, `alpha = max(epsilon_2,
    rms(w)) * rho`, `G = g**2 + epsilon_1`, `b = 1 - t**beta_2_decay`; for rank >= 2,
    `r = b * r + (1 - b) * mean(G, -1)`, `c = b * c + (1 - b) * mean(G, -2)`, `v = (r /
    mean(r, -1))[..., None] * c[..., None, :]`; otherwise `v = b * v + (1 - b) * G`;
    `u = g / sqrt(v)`; `w -= alpha * u / max(1, rms(u) / clip_threshold)`.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        beta_2_decay: Decay exponent of the second-moment rate (default -0.8).
        epsilon_1: Added to squared gradients (default 1e-30).
        epsilon_2: Lower bound of the relative step scale (default 1e-3).
        clip_threshold: Update clipping threshold (default 1.0).
        relative_step: Whether a float learning rate is capped by `1 / sqrt(t)`.
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_2_decay=-0.8,
        epsilon_1=1e-30,
        epsilon_2=1e-3,
        clip_threshold=1.0,
        relative_step=True,
        name=None,
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name or "adafactor", **kwargs)
        self._set_hyperparameters(
            beta_2_decay=beta_2_decay,
            epsilon_1=epsilon_1,
            epsilon_2=epsilon_2,
            clip_threshold=clip_threshold,
            relative_step=relative_step,
        )

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            shape = tuple(var.shape)
            # Unfactored variables still get (scalar) placeholders, keeping the lists aligned.
            factored = len(shape) >= 2
            self._r.append(
                self.add_variable(shape[:-1] if factored else (), dtype=var.dtype, name=var.name)
            )
            self._c.append(
                self.add_variable(
                    shape[:-2] + shape[-1:] if factored else (), dtype=var.dtype, name=var.name
                )
            )
            self._v.append(self.add_variable_from_reference(var, "velocity"))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(ops.add(self.iterations, 1), dtype)
        if not callable(self._learning_rate) and self.relative_step:
            lr = ops.minimum(lr, 1 / ops.sqrt(step))
        index = self._get_variable_index(variable)
        r, c, v = self._r[index], self._c[index], self._v[index]
        rho = ops.minimum(lr, 1 / ops.sqrt(step))
        alpha = ops.multiply(ops.maximum(ops.cast(self.epsilon_2, dtype), _rms(variable)), rho)
        grad_square = ops.add(ops.square(gradient), self.epsilon_1)
        beta_2 = 1 - ops.power(step, self.beta_2_decay)
        if len(variable.shape) >= 2:
            self.assign(r, _average(beta_2, r, ops.mean(grad_square, axis=-1)))
            self.assign(c, _average(beta_2, c, ops.mean(grad_square, axis=-2)))
            row = ops.expand_dims(ops.divide(r, ops.mean(r, axis=-1, keepdims=True)), axis=-1)
            self.assign(v, ops.multiply(row, ops.expand_dims(c, -2)))
        else:
            self.assign(v, _average(beta_2, v, grad_square))
        u = ops.divide(gradient, ops.sqrt(v))
        u_hat = ops.divide(
            u, ops.maximum(ops.cast(1.0, dtype), ops.divide(_rms(u), self.clip_threshold))
        )
        self.assign_sub(variable, ops.multiply(alpha, u_hat))
