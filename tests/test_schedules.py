"""Learning rate schedules against NumPy computations of their formulas."""

import math

import numpy as np
import pytest

import unikeras as keras
from unikeras.optimizers import schedules

STEPS = [0, 1, 5, 10, 17, 25, 40, 100]


def _values(schedule, steps=STEPS):
    return np.array([float(keras.ops.convert_to_numpy(schedule(s))) for s in steps])


def _check(schedule, formula, steps=STEPS):
    np.testing.assert_allclose(
        _values(schedule, steps), [formula(s) for s in steps], rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_decay(staircase):
    def formula(step):
        p = math.floor(step / 10) if staircase else step / 10
        return 0.1 * 0.5**p

    _check(schedules.ExponentialDecay(0.1, 10, 0.5, staircase=staircase), formula)


def test_piecewise_constant_decay():
    schedule = schedules.PiecewiseConstantDecay([5, 17], [1.0, 0.5, 0.1])
    steps = [0, 4, 5, 6, 17, 18, 100]
    _check(schedule, lambda s: 1.0 if s <= 5 else (0.5 if s <= 17 else 0.1), steps)
    with pytest.raises(ValueError, match="1 less than"):
        schedules.PiecewiseConstantDecay([5, 10], [1.0, 0.5])


@pytest.mark.parametrize("cycle", [False, True])
def test_polynomial_decay(cycle):
    def formula(step):
        decay_steps = 10
        if cycle:
            decay_steps *= 1 if step == 0 else math.ceil(step / 10)
        else:
            step = min(step, 10)
        return (0.1 - 0.01) * (1 - step / decay_steps) ** 2.0 + 0.01

    _check(
        schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0, cycle=cycle), formula
    )


@pytest.mark.parametrize("staircase", [False, True])
def test_inverse_time_decay(staircase):
    def formula(step):
        p = math.floor(step / 10) if staircase else step / 10
        return 0.1 / (1 + 0.5 * p)

    _check(schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=staircase), formula)


def _cosine(fraction, alpha):
    return (1 - alpha) * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha


def test_cosine_decay():
    _check(schedules.CosineDecay(0.1, 20, alpha=0.1), lambda s: 0.1 * _cosine(min(s, 20) / 20, 0.1))


def test_cosine_decay_with_warmup():
    def formula(step):
        step = min(step, 20 + 10)
        if step < 10:
            return 0.0 + (0.2 - 0.0) * step / 10
        return 0.2 * _cosine((step - 10) / 20, 0.0)

    _check(schedules.CosineDecay(0.0, 20, warmup_target=0.2, warmup_steps=10), formula)


def _sgdr(step, first, t_mul, m_mul, alpha):
    """SGDR by walking the periods one at a time."""
    start, length, restarts = 0.0, float(first), 0
    while step >= start + length:
        start += length
        length *= t_mul
        restarts += 1
    fraction = (step - start) / length
    return (1 - alpha) * m_mul**restarts * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha


@pytest.mark.parametrize("t_mul,m_mul", [(2.0, 1.0), (1.0, 0.5), (1.5, 0.8)])
def test_cosine_decay_restarts(t_mul, m_mul):
    schedule = schedules.CosineDecayRestarts(0.1, 4, t_mul=t_mul, m_mul=m_mul, alpha=0.05)
    steps = [0, 1, 3, 5, 11, 13, 30]
    _check(schedule, lambda s: 0.1 * _sgdr(s, 4, t_mul, m_mul, 0.05), steps)


def test_schedule_accepts_variable_step_and_returns_float32():
    step = keras.Variable(np.array(10, "int32"))
    value = schedules.ExponentialDecay(0.1, 10, 0.5)(step)
    assert keras.backend.standardize_dtype(value.dtype) == "float32"
    np.testing.assert_allclose(keras.ops.convert_to_numpy(value), 0.05, rtol=1e-6)


ALL = [
    schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True, name="e"),
    schedules.PiecewiseConstantDecay([5, 17], [1.0, 0.5, 0.1]),
    schedules.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0, cycle=True),
    schedules.InverseTimeDecay(0.1, 10, 0.5),
    schedules.CosineDecay(0.1, 20, alpha=0.1, warmup_target=0.2, warmup_steps=3),
    schedules.CosineDecayRestarts(0.1, 4, t_mul=1.5, m_mul=0.8, alpha=0.05),
]


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_config_round_trip(schedule):
    config = schedule.get_config()
    clone = type(schedule).from_config(config)
    assert clone.get_config() == config
    serialized = schedules.serialize(schedule)
    # Keras 3.15.1's module for schedules (its serialize docstring example)
    assert serialized["module"] == "keras.optimizers.schedules"
    assert serialized["class_name"] == type(schedule).__name__
    restored = schedules.deserialize(serialized)
    assert type(restored) is type(schedule) and restored.get_config() == config
    # an optimizer holding the schedule saves and loads it
    optimizer = keras.optimizers.SGD(learning_rate=schedule)
    saved = keras.optimizers.serialize(optimizer)
    assert saved["config"]["learning_rate"]["module"] == "keras.optimizers.schedules"
    again = keras.optimizers.deserialize(saved)
    assert again.get_config()["learning_rate"] == saved["config"]["learning_rate"]
    np.testing.assert_allclose(_values(restored), _values(schedule))


def test_invalid_decay_steps():
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)


def test_base_schedule_must_be_subclassed():
    with pytest.raises(NotImplementedError):
        schedules.LearningRateSchedule()(1)
