"""`keras.optimizers.Muon`."""

import re

from unikeras import ops
from unikeras.optimizers.base_optimizer import Optimizer


class Muon(Optimizer):
    """Muon: momentum SGD whose update of each 2D variable is orthogonalized by a few
    Newton-Schulz iterations; other variables take an AdamW step.

    A variable takes the AdamW step when it is not 2D, when `exclude_embeddings` and its
    path contains "embedding", or when its path matches a regex of `exclude_layers`. Muon
    step: `m = momentum * m + g`, `u = g + momentum * m` (Nesterov) or `m`, `u` made
    orthogonal by `ns_steps` quintic Newton-Schulz iterations with coefficients `(muon_a,
    muon_b, muon_c)`, `w -= lr * u * sqrt(max(rows, cols)) * rms_rate` (no scaling when
    `rms_rate` is None). AdamW step: Adam with `adam_beta_1`, `adam_beta_2`, `epsilon`
    and learning rate `lr * adam_lr_ratio`. Weight decay: `adam_weight_decay` for AdamW
    variables, `weight_decay` for Muon ones.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        adam_beta_1: Adam's first-moment decay (default 0.9).
        adam_beta_2: Adam's second-moment decay (default 0.999).
        adam_weight_decay: Weight decay of the AdamW variables (default 0.004).
        epsilon: Adam's epsilon (default 1e-7).
        weight_decay: Weight decay of the Muon variables (default 0.004).
        clipnorm: If set, each gradient is clipped to this L2 norm (default `None`).
        clipvalue: If set, each gradient element is clipped to `[-clipvalue, clipvalue]` (default
            `None`).
        global_clipnorm: If set, all gradients are clipped together to this global L2 norm (default
            `None`).
        use_ema: Whether to keep an exponential moving average of the trained variables (default
            `False`).
        ema_momentum: Momentum of that average: `average = m * average + (1 - m) * value` (default
            `0.99`).
        ema_overwrite_frequency: Every this many iterations, overwrite the trained variables with
            their average; `None` (default): only in `finalize_variable_values`.
        loss_scale_factor: If set, `scale_loss` multiplies the loss by it and `apply` divides the
            gradients by it (default `None`).
        gradient_accumulation_steps: If an int >= 2, variables are updated only every that many
            steps, with the average of the gradients accumulated since the last update (default
            `None`).
        name: Name of the optimizer. Other keyword arguments: see `Optimizer`.
        exclude_layers: Regexes of variable paths that take the AdamW step.
        exclude_embeddings: Whether embedding variables take the AdamW step (default True).
        muon_a: First Newton-Schulz coefficient (default 3.4445).
        muon_b: Second Newton-Schulz coefficient (default -4.775).
        muon_c: Third Newton-Schulz coefficient (default 2.0315).
        adam_lr_ratio: Adam's learning rate relative to `learning_rate` (default 1).
        momentum: Momentum of the Muon step (default 0.95).
        ns_steps: Number of Newton-Schulz iterations (default 5).
        nesterov: Whether the Muon step uses Nesterov momentum (default True).
        rms_rate: Update scale of [Liu et al., 2025](https://arxiv.org/abs/2502.16982)
            (default 0.2; None disables it).
    """

    def __init__(
        self,
        learning_rate=0.001,
        adam_beta_1=0.9,
        adam_beta_2=0.999,
        adam_weight_decay=0.004,
        epsilon=1e-7,
        weight_decay=0.004,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        exclude_layers=None,
        exclude_embeddings=True,
        muon_a=3.4445,
        muon_b=-4.7750,
        muon_c=2.0315,
        adam_lr_ratio=1,
        momentum=0.95,
        ns_steps=5,
        nesterov=True,
        rms_rate=0.2,
        **kwargs,
    ):
        super().__init__(
            learning_rate=learning_rate,
            name=name,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            **kwargs,
        )
        self._set_hyperparameters(
            adam_beta_1=adam_beta_1,
            adam_beta_2=adam_beta_2,
            epsilon=epsilon,
            exclude_layers=list(exclude_layers or []),
            muon_a=muon_a,
            muon_b=muon_b,
            muon_c=muon_c,
            adam_lr_ratio=adam_lr_ratio,
            momentum=momentum,
            ns_steps=ns_steps,
            nesterov=nesterov,
            exclude_embeddings=exclude_embeddings,
            adam_weight_decay=adam_weight_decay,
            rms_rate=rms_rate,
        )

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", None) or str(variable.name)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = [None] * len(var_list)
        self.adam_velocities = [None] * len(var_list)
        for variable in var_list:
            if getattr(variable, "overwrite_with_gradient", False):
                continue
            index = self._get_variable_index(variable)
            self.momentums[index] = self.add_variable_from_reference(variable, "momentum")
            if self._should_use_adamw(variable):
                self.adam_velocities[index] = self.add_variable_from_reference(variable, "velocity")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self.momentums[index], self.adam_velocities[index]
        if v is not None:
            self._adamw_update_step(gradient, variable, learning_rate * self.adam_lr_ratio, m, v)
        else:
            self._muon_update_step(gradient, variable, learning_rate, m)

    def _muon_update_step(self, gradient, variable, lr, m):
        dtype = variable.dtype
        gradient = ops.cast(gradient, dtype)
        lr = ops.cast(lr, dtype)
        self.assign(m, ops.add(gradient, ops.multiply(m, self.momentum)))
        direction = ops.add(gradient, ops.multiply(m, self.momentum)) if self.nesterov else m.value
        update = self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        self.assign_sub(variable, self.lr_adjust(lr * update))

    def _adamw_update_step(self, gradient, variable, learning_rate, m, v):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        step = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.adam_beta_1, dtype), step)
        beta_2_power = ops.power(ops.cast(self.adam_beta_2, dtype), step)
        alpha = lr * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        self.assign_add(m, ops.multiply(ops.subtract(gradient, m), 1 - self.adam_beta_1))
        self.assign_add(
            v, ops.multiply(ops.subtract(ops.square(gradient), v), 1 - self.adam_beta_2)
        )
        self.assign_sub(
            variable, ops.divide(ops.multiply(m, alpha), ops.add(ops.sqrt(v), self.epsilon))
        )

    @staticmethod
    def transpose_last_axis(x):
        """Swaps the last two axes of `x`."""
        order = list(range(len(x.shape)))
        order[-2], order[-1] = order[-1], order[-2]
        return ops.transpose(x, order)

    def lr_adjust(self, x):
        """Scales a 2D update by `sqrt(max(rows, cols)) * rms_rate` (unchanged when
        `rms_rate` is None)."""
        if self.rms_rate is None:
            return x
        return x * (max(x.shape[0], x.shape[1]) ** 0.5) * self.rms_rate

    def zeropower_via_newtonschulz5(self, x, steps):
        """Approximately orthogonalizes `x` (at least 2D) with `steps` quintic Newton-Schulz
        iterations `x = a x + (b A + c A A) x`, `A = x x^T`, after scaling `x` to unit
        Frobenius norm (the wide orientation is used, then transposed back)."""
        shape = tuple(x.shape)
        if len(shape) < 2:
            raise ValueError(
                "Expected gradient or momentum to have at least 2 dimensions. "
                f"Received: shape={shape}"
            )
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = shape[-2] > shape[-1]
        if tall:
            x = self.transpose_last_axis(x)
        x = x / (ops.norm(x, axis=(-2, -1), keepdims=True) + 1e-7)
        for _ in range(steps):
            gram = ops.matmul(x, self.transpose_last_axis(x))
            x = a * x + ops.matmul(b * gram + c * ops.matmul(gram, gram), x)
        if tall:
            x = self.transpose_last_axis(x)
        return x

    def _apply_weight_decay(self, variables):
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = (
                self.adam_weight_decay if self._should_use_adamw(variable) else self.weight_decay
            )
            if decay is None:
                continue
            decay = ops.cast(decay, variable.dtype)
            lr = ops.cast(self.learning_rate, variable.dtype)
            variable.assign(variable.value - variable.value * decay * lr)
