"""`keras.optimizers.schedules`: learning rates as functions of the optimizer step.

Schedules are written with `unikeras.ops` only and never branch in Python on the step, so an
optimizer can call them inside a compiled train step.
"""

import math

from unikeras import ops
from unikeras.backend import floatx, is_float_dtype, standardize_dtype
from unikeras.saving import serialization


class LearningRateSchedule:
    """Base class: `schedule(step) -> learning rate` (a scalar tensor).

    Subclasses implement `__call__(step)` and `get_config()`.
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        """Returns the schedule's config; subclasses must override it."""
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()`."
        )

    @classmethod
    def from_config(cls, config):
        """Creates a schedule from its config (the output of `get_config`)."""
        return cls(**config)


def _check_positive(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


def _start(initial_learning_rate, step):
    """Returns `(initial_lr, step, dtype)`: both tensors in the initial rate's float dtype."""
    initial = ops.convert_to_tensor(initial_learning_rate)
    dtype = standardize_dtype(initial.dtype)
    if not is_float_dtype(dtype):
        dtype = floatx()
        initial = ops.cast(initial, dtype)
    return initial, ops.cast(step, dtype), dtype


class _StepDecay(LearningRateSchedule):
    """Shared part of `ExponentialDecay` and `InverseTimeDecay`: the rate is a function of
    `p = step / decay_steps` (floored when `staircase`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        initial, step, dtype = _start(self.initial_learning_rate, step)
        p = step / ops.cast(self.decay_steps, dtype)
        if self.staircase:
            p = ops.floor(p)
        return self._decay(initial, ops.cast(self.decay_rate, dtype), p)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class ExponentialDecay(_StepDecay):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: Starting learning rate.
        decay_steps: Number of steps per decay period (> 0).
        decay_rate: Factor applied once per period.
        staircase: If True, decay in discrete jumps (`floor(step / decay_steps)`).
        name: Name of the schedule.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="ExponentialDecay",
    ):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    @staticmethod
    def _decay(initial, rate, p):
        return initial * ops.power(rate, p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[i]` while
    `boundaries[i-1] < step <= boundaries[i]`, `values[-1]` after the last boundary.

    Args:
        boundaries: Increasing list of step boundaries.
        values: List of learning rates, one more than `boundaries`.
        name: Name of the schedule.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = ops.convert_to_tensor(step)
        values = [ops.convert_to_tensor(v) for v in self.values]
        result = values[0]
        for boundary, value in zip(self.boundaries, values[1:]):
            boundary = ops.cast(boundary, standardize_dtype(step.dtype))
            result = ops.where(ops.greater(step, boundary), value, result)
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from `initial_learning_rate` to `end_learning_rate` over
    `decay_steps`: `(initial - end) * (1 - step / decay_steps) ** power + end`.

    Args:
        initial_learning_rate: Starting learning rate.
        decay_steps: Steps to reach `end_learning_rate` (> 0).
        end_learning_rate: Final learning rate.
        power: Power of the polynomial.
        cycle: If True, restart with `decay_steps` stretched to the next multiple past
            `step`; otherwise stay at `end_learning_rate` after `decay_steps`.
        name: Name of the schedule.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        end_learning_rate=0.0001,
        power=1.0,
        cycle=False,
        name="PolynomialDecay",
    ):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        initial, step, dtype = _start(self.initial_learning_rate, step)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.cycle:
            periods = ops.where(
                ops.equal(step, 0), ops.ones_like(step), ops.ceil(step / decay_steps)
            )
            decay_steps = decay_steps * periods
        else:
            step = ops.minimum(step, decay_steps)
        end = ops.cast(self.end_learning_rate, dtype)
        fraction_left = 1 - step / decay_steps
        return (initial - end) * ops.power(fraction_left, ops.cast(self.power, dtype)) + end

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(_StepDecay):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: Starting learning rate.
        decay_steps: How often to apply the decay (> 0).
        decay_rate: Decay factor.
        staircase: If True, decay in discrete jumps (`floor(step / decay_steps)`).
        name: Name of the schedule.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        decay_rate,
        staircase=False,
        name="InverseTimeDecay",
    ):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    @staticmethod
    def _decay(initial, rate, p):
        return initial / (1 + rate * p)


def _cosine(fraction, alpha, dtype):
    """`(1 - alpha) * 0.5 * (1 + cos(pi * fraction)) + alpha`."""
    cosine = 0.5 * (1.0 + ops.cos(ops.cast(math.pi, dtype) * fraction))
    return (1 - alpha) * cosine + alpha


class CosineDecay(LearningRateSchedule):
    """Cosine decay, optionally after a linear warmup.

    Without warmup: `initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) /
    decay_steps)) + alpha)`. With `warmup_target`, the rate first rises linearly from
    `initial_learning_rate` to `warmup_target` over `warmup_steps`, then decays from
    `warmup_target` over `decay_steps`.

    Args:
        initial_learning_rate: Starting learning rate.
        decay_steps: Number of decay steps (> 0).
        alpha: Minimum learning rate as a fraction of the decayed-from rate.
        name: Name of the schedule.
        warmup_target: Learning rate reached at the end of the warmup (`None`: no warmup).
        warmup_steps: Number of warmup steps.
    """

    def __init__(
        self,
        initial_learning_rate,
        decay_steps,
        alpha=0.0,
        name="CosineDecay",
        warmup_target=None,
        warmup_steps=0,
    ):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        initial, step, dtype = _start(self.initial_learning_rate, step)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.warmup_target is None:
            step = ops.minimum(step, decay_steps)
            return initial * _cosine(step / decay_steps, self.alpha, dtype)
        target = ops.cast(self.warmup_target, dtype)
        warmup_steps = ops.cast(self.warmup_steps, dtype)
        step = ops.minimum(step, decay_steps + warmup_steps)
        # Both branches are computed and selected, so the warmup divides by at least 1.
        warming = initial + (target - initial) * step / ops.maximum(warmup_steps, 1.0)
        decaying = target * _cosine((step - warmup_steps) / decay_steps, self.alpha, dtype)
        return ops.where(ops.less(step, warmup_steps), warming, decaying)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): each period is `t_mul` times longer than the
    previous one and starts from `m_mul` times the previous starting rate.

    Args:
        initial_learning_rate: Starting learning rate.
        first_decay_steps: Length of the first period (> 0).
        t_mul: Period length multiplier.
        m_mul: Starting rate multiplier per restart.
        alpha: Minimum learning rate as a fraction of `initial_learning_rate`.
        name: Name of the schedule.
    """

    def __init__(
        self,
        initial_learning_rate,
        first_decay_steps,
        t_mul=2.0,
        m_mul=1.0,
        alpha=0.0,
        name="SGDRDecay",
    ):
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        initial, step, dtype = _start(self.initial_learning_rate, step)
        fraction = step / ops.cast(self.first_decay_steps, dtype)
        t_mul = ops.cast(self._t_mul, dtype)
        if self._t_mul == 1.0:
            restarts = ops.floor(fraction)
            fraction = fraction - restarts
        else:
            restarts = ops.floor(ops.log(1.0 - fraction * (1.0 - t_mul)) / ops.log(t_mul))
            done = (1.0 - ops.power(t_mul, restarts)) / (1.0 - t_mul)
            fraction = (fraction - done) / ops.power(t_mul, restarts)
        scale = ops.power(ops.cast(self._m_mul, dtype), restarts)
        cosine = 0.5 * scale * (1.0 + ops.cos(ops.cast(math.pi, dtype) * fraction))
        return initial * ((1 - self.alpha) * cosine + self.alpha)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


_SCHEDULES = {
    cls.__name__: cls
    for cls in (
        LearningRateSchedule,
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
        CosineDecayRestarts,
    )
}


def serialize(learning_rate_schedule):
    """Returns the Keras config dict of a schedule.

    Args:
        learning_rate_schedule: A `LearningRateSchedule`.

    Returns:
        A dict with the schedule's `"class_name"` and `"config"`.
    """
    return serialization.serialize_keras_object(learning_rate_schedule)


def deserialize(config, custom_objects=None):
    """Rebuilds a schedule from `serialize` output.

    Args:
        config: A dict from `serialize`.
        custom_objects: Optional dict mapping names to custom classes or functions.

    Returns:
        The schedule.
    """
    return serialization._deserialize_object(
        config, custom_objects={**_SCHEDULES, **(custom_objects or {})}
    )
