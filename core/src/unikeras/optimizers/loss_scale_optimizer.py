"""`keras.optimizers.LossScaleOptimizer`: dynamic loss scaling for mixed precision."""

from unikeras import initializers, ops
from unikeras.backend.registry import optional_hook
from unikeras.optimizers.base_optimizer import Optimizer, _counter_dtype, run_where
from unikeras.saving import serialization

_UNSUPPORTED_DEFAULTS = {
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with a dynamically adjusted loss scale.

    `scale_loss(loss)` multiplies the loss by the current scale; `apply` divides the
    gradients by it. When all gradients are finite the inner optimizer is applied and,
    after `dynamic_growth_steps` such steps in a row, the scale doubles. Otherwise the
    update is skipped (variables unchanged) and the scale halves.

    Args:
        inner_optimizer: The `Optimizer` to wrap.
        initial_scale: Starting loss scale (default `2**15`).
        dynamic_growth_steps: Finite steps between scale doublings (default 2000).
        name: Name of the optimizer.
    """

    def __init__(
        self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000, name=None, **kwargs
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`."
            )
        for arg, default in _UNSUPPORTED_DEFAULTS.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg}`. Instead, set `{arg}` on "
                    "the `inner_optimizer`."
                )
        if kwargs:
            raise ValueError(
                f"LossScaleOptimizer does not support arguments: `{'`, `'.join(kwargs)}`."
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The inner optimizer must not unscale a second time.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        self.step_counter = self.add_variable(
            (), initializer="zeros", dtype=_counter_dtype(), aggregation="none", name="step_counter"
        )
        self.dynamic_scale = self.add_variable(
            (),
            initializer=initializers.Constant(self.initial_scale),
            dtype="float32",
            aggregation="none",
            name="dynamic_scale",
        )
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    @staticmethod
    def check_finite(grads):
        """Whether every gradient (None skipped) is finite, as a boolean scalar tensor."""
        present = [g for g in grads if g is not None]
        fused = optional_hook("all_finite")
        finite = fused(present) if fused is not None else None
        if finite is not None:
            return finite
        finite = [ops.all(ops.isfinite(g)) for g in present]
        return ops.all(ops.stack(finite))

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if not self.built:
            self.build(trainable_variables)
        variables = list(trainable_variables or self._trainable_variables)
        finite = self.check_finite(grads)
        scale = ops.copy(self.dynamic_scale.value)
        unscaled = [
            g if g is None or getattr(v, "overwrite_with_gradient", False) else ops.divide(g, scale)
            for g, v in zip(grads, variables)
        ]
        host_bool = optional_hook("host_bool")
        known = host_bool(finite) if host_bool is not None else None
        if known is not None:
            # Eager engine: only the branch taken runs (as Keras 3's `ops.cond`).
            if known:
                self.inner_optimizer.apply(unscaled, trainable_variables)
                self._update_scale(scale, True)
            else:
                self._update_scale(scale, False)
            return
        # Inside a trace: the inner update is computed, then discarded where the gradients
        # are not finite.
        run_where(
            finite,
            lambda: self.inner_optimizer.apply(unscaled, trainable_variables),
            variables + self.inner_optimizer.variables,
        )
        self._update_scale(scale, finite)

    def _update_scale(self, scale, finite):
        """Finite steps count up and double the scale every `dynamic_growth_steps`; a
        non-finite step resets the count and halves the scale. `finite` is a bool or a
        boolean scalar tensor."""
        if finite is False:
            self.step_counter.assign(ops.zeros_like(self.step_counter.value))
            self.dynamic_scale.assign(ops.divide(scale, 2.0))
            return
        grow = ops.equal(self.step_counter, self.dynamic_growth_steps - 1)
        counter = ops.where(grow, 0, ops.add(self.step_counter, 1))
        grown = ops.where(grow, ops.multiply(scale, 2.0), scale)
        if finite is True:
            self.step_counter.assign(counter)
            self.dynamic_scale.assign(grown)
            return
        self.step_counter.assign(ops.where(finite, counter, 0))
        self.dynamic_scale.assign(ops.where(finite, grown, ops.divide(scale, 2.0)))

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """Multiplies `loss` by the current loss scale."""
        scale = self.dynamic_scale if self.built else self.initial_scale
        return ops.multiply(loss, scale)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        return {
            "name": self.name,
            "inner_optimizer": serialization.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from unikeras import optimizers

        config = dict(config)
        inner = optimizers.deserialize(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner, **config)
