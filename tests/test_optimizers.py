"""Optimizers: every update checked against an independent NumPy computation of its formula.

Backend-agnostic: values go through `unikeras.Variable`s and come back with `.numpy()`.
"""

import math
import warnings

import numpy as np
import pytest

import unikeras as keras
from unikeras import optimizers

SHAPES = [(3, 2), (4,)]
STEPS = 3


def _data(seed=0, steps=STEPS):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=s).astype("float32") for s in SHAPES]
    grads = [[rng.normal(size=s).astype("float32") for s in SHAPES] for _ in range(steps)]
    return weights, grads


def _run(optimizer, weights, grads):
    """Applies each step's gradients; returns the final weights as float64 arrays."""
    variables = [keras.Variable(w, name=f"w{i}") for i, w in enumerate(weights)]
    for step in grads:
        optimizer.apply(step, variables)
    return [v.numpy().astype("float64") for v in variables]


def _reference(update, weights, grads, **hyper):
    """Runs `update(w, g, state, t, **hyper) -> w` (t = 1, 2, ...) per variable in float64."""
    results = []
    for i, w in enumerate(weights):
        w = w.astype("float64")
        state = {}
        for t, step in enumerate(grads, start=1):
            w = update(w, step[i].astype("float64"), state, t, **hyper)
        results.append(w)
    return results


def _close(actual, expected, rtol=1e-5, atol=1e-6):
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


# --- NumPy formulas --------------------------------------------------------------------------
def np_sgd(w, g, s, t, lr=0.01, momentum=0.0, nesterov=False):
    if momentum == 0:
        return w - lr * g
    v = momentum * s.get("v", 0.0) - lr * g
    s["v"] = v
    return w + (momentum * v - lr * g if nesterov else v)


def np_adam(w, g, s, t, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    m = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
    v = beta_2 * s.get("v", 0.0) + (1 - beta_2) * g * g
    s["m"], s["v"] = m, v
    if amsgrad:
        v = s["vhat"] = np.maximum(s.get("vhat", 0.0), v)
    alpha = lr * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return w - alpha * m / (np.sqrt(v) + epsilon)


def np_adamw(w, g, s, t, weight_decay=0.004, lr=0.001, **kw):
    return np_adam(w - w * weight_decay * lr, g, s, t, lr=lr, **kw)


def np_rmsprop(w, g, s, t, lr=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    v = s["v"] = rho * s.get("v", 0.0) + (1 - rho) * g * g
    if centered:
        a = s["a"] = rho * s.get("a", 0.0) + (1 - rho) * g
        step = lr * g / np.sqrt(v - a * a + epsilon)
    else:
        step = lr * g / np.sqrt(v + epsilon)
    if momentum > 0:
        step = s["m"] = momentum * s.get("m", 0.0) + step
    return w - step


def np_adagrad(w, g, s, t, lr=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
    a = s["a"] = s.get("a", initial_accumulator_value) + g * g
    return w - lr * g / np.sqrt(a + epsilon)


def np_adadelta(w, g, s, t, lr=0.001, rho=0.95, epsilon=1e-7):
    eg = s["eg"] = rho * s.get("eg", 0.0) + (1 - rho) * g * g
    delta = -g * np.sqrt(s.get("ed", 0.0) + epsilon) / np.sqrt(eg + epsilon)
    s["ed"] = rho * s.get("ed", 0.0) + (1 - rho) * delta * delta
    return w + lr * delta


def np_adamax(w, g, s, t, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = s["m"] = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
    u = s["u"] = np.maximum(beta_2 * s.get("u", 0.0), np.abs(g))
    return w - lr * m / ((1 - beta_1**t) * (u + epsilon))


def np_nadam(w, g, s, t, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def mu(step):
        return beta_1 * (1 - 0.5 * 0.96**step)

    product = s["p"] = s.get("p", 1.0) * mu(t)
    m = s["m"] = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
    v = s["v"] = beta_2 * s.get("v", 0.0) + (1 - beta_2) * g * g
    m_hat = mu(t + 1) * m / (1 - product * mu(t + 1)) + (1 - mu(t)) * g / (1 - product)
    v_hat = v / (1 - beta_2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + epsilon)


def np_ftrl(
    w,
    g,
    s,
    t,
    lr=0.001,
    learning_rate_power=-0.5,
    initial_accumulator_value=0.1,
    l1_regularization_strength=0.0,
    l2_regularization_strength=0.0,
    l2_shrinkage_regularization_strength=0.0,
    beta=0.0,
):
    p = -learning_rate_power
    n = s.get("n", initial_accumulator_value)
    n_new = n + g * g
    z = (
        s.get("z", 0.0)
        + g
        + 2 * l2_shrinkage_regularization_strength * w
        - (n_new**p - n**p) / lr * w
    )
    s["n"], s["z"] = n_new, z
    l1 = l1_regularization_strength
    l2 = l2_regularization_strength + beta / (2 * lr)
    return (np.clip(z, -l1, l1) - z) / (n_new**p / lr + 2 * l2)


def np_lion(w, g, s, t, lr=0.001, beta_1=0.9, beta_2=0.99):
    m = s.get("m", 0.0)
    w = w - lr * np.sign(beta_1 * m + (1 - beta_1) * g)
    s["m"] = beta_2 * m + (1 - beta_2) * g
    return w


def np_adafactor(
    w,
    g,
    s,
    t,
    lr=0.001,
    beta_2_decay=-0.8,
    epsilon_1=1e-30,
    epsilon_2=1e-3,
    clip_threshold=1.0,
    relative_step=True,
):
    def rms(x):
        return np.sqrt(np.mean(x * x))

    if relative_step:
        lr = min(lr, 1 / math.sqrt(t))
    alpha = max(epsilon_2, rms(w)) * min(lr, 1 / math.sqrt(t))
    g2 = g * g + epsilon_1
    b = 1 - t**beta_2_decay
    if w.ndim >= 2:
        r = s["r"] = b * s.get("r", 0.0) + (1 - b) * g2.mean(axis=-1)
        c = s["c"] = b * s.get("c", 0.0) + (1 - b) * g2.mean(axis=-2)
        v = (r / r.mean(axis=-1, keepdims=True))[..., None] * c[..., None, :]
    else:
        v = s["v"] = b * s.get("v", 0.0) + (1 - b) * g2
    u = g / np.sqrt(v)
    return w - alpha * u / max(1.0, rms(u) / clip_threshold)


# --- every optimizer against its formula ------------------------------------------------------
CASES = [
    ("sgd", optimizers.SGD, np_sgd, {}),
    ("sgd_momentum", optimizers.SGD, np_sgd, {"momentum": 0.9}),
    ("sgd_nesterov", optimizers.SGD, np_sgd, {"momentum": 0.8, "nesterov": True}),
    ("adam", optimizers.Adam, np_adam, {}),
    ("adam_amsgrad", optimizers.Adam, np_adam, {"amsgrad": True, "beta_2": 0.5}),
    ("adamw", optimizers.AdamW, np_adamw, {"weight_decay": 0.1}),
    ("rmsprop", optimizers.RMSprop, np_rmsprop, {}),
    (
        "rmsprop_centered_momentum",
        optimizers.RMSprop,
        np_rmsprop,
        {"centered": True, "momentum": 0.5},
    ),
    ("adagrad", optimizers.Adagrad, np_adagrad, {"initial_accumulator_value": 0.2}),
    ("adadelta", optimizers.Adadelta, np_adadelta, {"rho": 0.9}),
    ("adamax", optimizers.Adamax, np_adamax, {}),
    ("nadam", optimizers.Nadam, np_nadam, {}),
    ("ftrl", optimizers.Ftrl, np_ftrl, {}),
    (
        "ftrl_regularized",
        optimizers.Ftrl,
        np_ftrl,
        {
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.1,
            "l2_shrinkage_regularization_strength": 0.05,
            "beta": 0.2,
            "learning_rate_power": -0.6,
        },
    ),
    ("lion", optimizers.Lion, np_lion, {}),
    ("adafactor", optimizers.Adafactor, np_adafactor, {}),
    (
        "adafactor_absolute_step",
        optimizers.Adafactor,
        np_adafactor,
        {"relative_step": False, "clip_threshold": 0.5},
    ),
]


@pytest.mark.parametrize("steps", [1, STEPS], ids=["one_step", "three_steps"])
@pytest.mark.parametrize("name,cls,formula,hyper", CASES, ids=[c[0] for c in CASES])
def test_update_matches_numpy(name, cls, formula, hyper, steps):
    weights, grads = _data(seed=len(name), steps=steps)
    lr = 0.05
    actual = _run(cls(learning_rate=lr, **hyper), weights, grads)
    _close(actual, _reference(formula, weights, grads, lr=lr, **hyper))


@pytest.mark.parametrize(
    "cls",
    [
        optimizers.SGD,
        optimizers.Adam,
        optimizers.RMSprop,
        optimizers.AdamW,
        optimizers.Adagrad,
        optimizers.Adadelta,
        optimizers.Adamax,
        optimizers.Nadam,
        optimizers.Ftrl,
        optimizers.Lion,
        optimizers.Adafactor,
    ],
)
def test_default_arguments_match_numpy(cls):
    formulas = {
        "SGD": np_sgd,
        "Adam": np_adam,
        "RMSprop": np_rmsprop,
        "AdamW": np_adamw,
        "Adagrad": np_adagrad,
        "Adadelta": np_adadelta,
        "Adamax": np_adamax,
        "Nadam": np_nadam,
        "Ftrl": np_ftrl,
        "Lion": np_lion,
        "Adafactor": np_adafactor,
    }
    weights, grads = _data(seed=7)
    _close(_run(cls(), weights, grads), _reference(formulas[cls.__name__], weights, grads))


def test_keras_defaults():
    assert float(optimizers.SGD().learning_rate) == pytest.approx(0.01)
    adam = optimizers.Adam()
    assert float(adam.learning_rate) == pytest.approx(0.001)
    assert (adam.beta_1, adam.beta_2, adam.epsilon, adam.amsgrad) == (0.9, 0.999, 1e-7, False)
    assert optimizers.AdamW().weight_decay == 0.004
    assert optimizers.RMSprop().rho == 0.9
    assert optimizers.Adagrad().initial_accumulator_value == 0.1
    assert optimizers.Adadelta().rho == 0.95
    assert optimizers.Lion().beta_2 == 0.99
    names = [cls().name for cls in (optimizers.SGD, optimizers.Adam, optimizers.RMSprop)]
    assert names == ["SGD", "adam", "rmsprop"]


# --- gradient processing -------------------------------------------------------------------
def _sgd_with(weights, grads, lr=0.1, **kwargs):
    return _run(optimizers.SGD(learning_rate=lr, **kwargs), weights, grads)


def test_clipnorm_clips_each_gradient():
    weights, grads = _data(seed=1)
    expected = _reference(
        lambda w, g, s, t: w - 0.1 * g * min(1.0, 0.5 / np.linalg.norm(g)), weights, grads
    )
    _close(_sgd_with(weights, grads, clipnorm=0.5), expected)


def test_clipnorm_of_zero_gradient_is_zero():
    w = keras.Variable(np.ones(3, "float32"))
    optimizers.SGD(learning_rate=1.0, clipnorm=1.0).apply([np.zeros(3, "float32")], [w])
    np.testing.assert_array_equal(w.numpy(), np.ones(3))


def test_clipvalue():
    weights, grads = _data(seed=2)
    expected = _reference(lambda w, g, s, t: w - 0.1 * np.clip(g, -0.3, 0.3), weights, grads)
    _close(_sgd_with(weights, grads, clipvalue=0.3), expected)


def test_global_clipnorm():
    weights, grads = _data(seed=3)
    expected = [w.astype("float64") for w in weights]
    for step in grads:
        norm = math.sqrt(sum(float(np.sum(g.astype("float64") ** 2)) for g in step))
        scale = min(1.0, 0.7 / norm)
        expected = [w - 0.1 * g * scale for w, g in zip(expected, step)]
    _close(_sgd_with(weights, grads, global_clipnorm=0.7), expected)


def test_loss_scale_factor_unscales_gradients():
    weights, grads = _data(seed=4)
    expected = _reference(lambda w, g, s, t: w - 0.1 * g / 8.0, weights, grads)
    optimizer = optimizers.SGD(learning_rate=0.1, loss_scale_factor=8.0)
    _close(_run(optimizer, weights, grads), expected)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(optimizer.scale_loss(2.0)), 16.0)


def test_weight_decay_then_update():
    weights, grads = _data(seed=5)
    expected = _reference(lambda w, g, s, t: (w - w * 0.2 * 0.1) - 0.1 * g, weights, grads)
    _close(_sgd_with(weights, grads, weight_decay=0.2), expected)


def test_exclude_from_weight_decay_by_name_and_by_variable():
    weights, grads = _data(seed=6)
    decayed = _reference(lambda w, g, s, t: (w - w * 0.2 * 0.1) - 0.1 * g, weights, grads)
    plain = _reference(lambda w, g, s, t: w - 0.1 * g, weights, grads)
    by_name = optimizers.SGD(learning_rate=0.1, weight_decay=0.2)
    by_name.exclude_from_weight_decay(var_names=["w1"])
    _close(_run(by_name, weights, grads), [decayed[0], plain[1]])

    variables = [keras.Variable(w, name=f"w{i}") for i, w in enumerate(weights)]
    by_variable = optimizers.SGD(learning_rate=0.1, weight_decay=0.2)
    by_variable.exclude_from_weight_decay(var_list=[variables[0]])
    for step in grads:
        by_variable.apply(step, variables)
    _close([v.numpy() for v in variables], [plain[0], decayed[1]])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        by_variable.exclude_from_weight_decay(var_names=["x"])


def test_none_gradients_are_skipped_with_a_warning():
    a = keras.Variable(np.ones(2, "float32"), name="a")
    b = keras.Variable(np.ones(2, "float32"), name="b")
    optimizer = optimizers.SGD(learning_rate=0.5)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        optimizer.apply([np.ones(2, "float32"), None], [a, b])
    np.testing.assert_allclose(a.numpy(), [0.5, 0.5])
    np.testing.assert_allclose(b.numpy(), [1.0, 1.0])
    with pytest.raises(ValueError, match="No gradients"):
        optimizer.apply([None, None], [a, b])


def test_constraint_applied_after_update():
    w = keras.Variable(np.array([1.0, -1.0], "float32"))
    w.constraint = keras.constraints.NonNeg()
    optimizers.SGD(learning_rate=1.0).apply([np.array([0.5, 0.5], "float32")], [w])
    np.testing.assert_allclose(w.numpy(), [0.5, 0.0])


# --- gradient accumulation -------------------------------------------------------------------
def test_gradient_accumulation_sgd_momentum():
    weights, grads = _data(seed=8, steps=6)
    optimizer = optimizers.SGD(learning_rate=0.1, momentum=0.9, gradient_accumulation_steps=3)
    variables = [keras.Variable(w) for w in weights]
    expected = [w.astype("float64") for w in weights]
    velocity = [0.0, 0.0]
    for step_index, step in enumerate(grads):
        optimizer.apply(step, variables)
        if step_index % 3 == 2:
            for i in range(2):
                mean = (
                    sum(
                        grads[j][i].astype("float64") for j in range(step_index - 2, step_index + 1)
                    )
                    / 3
                )
                velocity[i] = 0.9 * velocity[i] - 0.1 * mean
                expected[i] = expected[i] + velocity[i]
        _close([v.numpy() for v in variables], expected)
    assert int(optimizer.iterations) == 2
    for accumulator in optimizer._accumulated_gradients:
        np.testing.assert_array_equal(accumulator.numpy(), 0.0)


def test_gradient_accumulation_adam_counts_update_steps():
    weights, grads = _data(seed=9, steps=4)
    optimizer = optimizers.Adam(learning_rate=0.1, gradient_accumulation_steps=2)
    actual = _run(optimizer, weights, grads)
    averaged = [[(a + b) / 2 for a, b in zip(grads[k], grads[k + 1])] for k in (0, 2)]
    _close(actual, _reference(np_adam, weights, averaged, lr=0.1))
    assert int(optimizer.iterations) == 2
    assert int(optimizer._iterations) == 4


# --- EMA ----------------------------------------------------------------------------------
def test_ema_tracks_average_and_finalize_overwrites():
    weights, grads = _data(seed=10)
    optimizer = optimizers.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.9)
    variables = [keras.Variable(w) for w in weights]
    expected = [w.astype("float64") for w in weights]
    averages = None
    for step in grads:
        optimizer.apply(step, variables)
        expected = [w - 0.1 * g for w, g in zip(expected, step)]
        averages = (
            list(expected)
            if averages is None
            else [0.9 * a + 0.1 * w for a, w in zip(averages, expected)]
        )
    _close([v.numpy() for v in variables], expected)
    optimizer.finalize_variable_values(variables)
    _close([v.numpy() for v in variables], averages)


def test_ema_overwrite_frequency():
    weights, grads = _data(seed=11, steps=4)
    optimizer = optimizers.SGD(
        learning_rate=0.1, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2
    )
    variables = [keras.Variable(w) for w in weights]
    expected = [w.astype("float64") for w in weights]
    averages = None
    for t, step in enumerate(grads, start=1):
        optimizer.apply(step, variables)
        expected = [w - 0.1 * g for w, g in zip(expected, step)]
        averages = (
            list(expected)
            if averages is None
            else [0.5 * a + 0.5 * w for a, w in zip(averages, expected)]
        )
        if t % 2 == 0:
            expected = list(averages)
        _close([v.numpy() for v in variables], expected)


# --- state, learning rate, stateless --------------------------------------------------------
def test_variables_are_all_state():
    w = keras.Variable(np.ones((2, 2), "float32"), name="kernel")
    optimizer = optimizers.Adam(amsgrad=True, use_ema=True, gradient_accumulation_steps=2)
    optimizer.build([w])
    paths = [v.path for v in optimizer.variables]
    assert paths == [
        "adam/iteration",
        "adam/learning_rate",
        "adam/kernel_average",
        "adam/kernel_gradient_accumulator",
        "adam/kernel_momentum",
        "adam/kernel_velocity",
        "adam/kernel_velocity_hat",
    ]
    assert all(not v.trainable for v in optimizer.variables)
    nadam = optimizers.Nadam()
    nadam.build([w])
    assert [v.name for v in nadam.variables][-1] == "u_product"


def test_learning_rate_settable_and_schedules():
    optimizer = optimizers.SGD(learning_rate=0.1)
    optimizer.learning_rate = 0.5
    assert float(optimizer.learning_rate) == pytest.approx(0.5)
    w = keras.Variable(np.ones(2, "float32"))
    optimizer.apply([np.ones(2, "float32")], [w])
    np.testing.assert_allclose(w.numpy(), [0.5, 0.5])

    schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    scheduled = optimizers.SGD(learning_rate=schedule)
    w = keras.Variable(np.zeros(1, "float32"))
    for _ in range(3):
        scheduled.apply([np.ones(1, "float32")], [w])
    np.testing.assert_allclose(w.numpy(), [-(0.1 + 0.05 + 0.025)], rtol=1e-6)
    assert "learning_rate" not in [v.name for v in scheduled.variables]
    with pytest.raises(TypeError, match="not settable"):
        scheduled.learning_rate = 0.3

    callable_lr = optimizers.SGD(learning_rate=lambda: 0.25)
    w = keras.Variable(np.zeros(1, "float32"))
    callable_lr.apply([np.ones(1, "float32")], [w])
    np.testing.assert_allclose(w.numpy(), [-0.25])


def test_stateless_apply_matches_apply_and_keeps_state():
    weights, grads = _data(seed=12)
    stateful = optimizers.Adam(learning_rate=0.1)
    expected = _run(stateful, weights, grads)

    variables = [keras.Variable(w) for w in weights]
    optimizer = optimizers.Adam(learning_rate=0.1)
    optimizer.build(variables)
    opt_values = [v.value for v in optimizer.variables]
    values = [v.value for v in variables]
    for step in grads:
        values, opt_values = optimizer.stateless_apply(opt_values, step, values)
    _close([keras.ops.convert_to_numpy(v) for v in values], expected)
    _close([v.numpy() for v in variables], weights, rtol=0, atol=0)
    assert int(optimizer.iterations) == 0
    assert int(keras.ops.convert_to_numpy(opt_values[0])) == STEPS
    with pytest.raises(ValueError, match="must be built"):
        optimizers.SGD().stateless_apply([], grads[0], values)


def test_apply_gradients_and_apply_without_variables():
    w = keras.Variable(np.ones(2, "float32"))
    optimizer = optimizers.SGD(learning_rate=0.5)
    with pytest.raises(ValueError, match="must already be built"):
        optimizer.apply([np.ones(2, "float32")])
    iterations = optimizer.apply_gradients([(np.ones(2, "float32"), w)])
    assert int(iterations) == 1
    optimizer.apply([np.ones(2, "float32")])
    np.testing.assert_allclose(w.numpy(), [0.0, 0.0])
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply([np.ones(2, "float32")], [keras.Variable(np.ones(2, "float32"))])


def test_argument_validation():
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.Adam(gradient_accumulation_steps=1)
    with pytest.raises(ValueError, match="ema_momentum"):
        optimizers.Adam(use_ema=True, ema_momentum=1.5)
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Adam(beta_3=0.1)
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.Adam(learning_rate="fast")
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)
    with pytest.raises(ValueError, match="learning_rate_power"):
        optimizers.Ftrl(learning_rate_power=0.5)


# --- config ---------------------------------------------------------------------------------
ALL = [
    optimizers.SGD,
    optimizers.Adam,
    optimizers.AdamW,
    optimizers.RMSprop,
    optimizers.Adagrad,
    optimizers.Adadelta,
    optimizers.Adamax,
    optimizers.Nadam,
    optimizers.Ftrl,
    optimizers.Lion,
    optimizers.Adafactor,
]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    optimizer = cls(learning_rate=0.125, clipnorm=2.0, use_ema=True, ema_momentum=0.5)
    config = optimizer.get_config()
    assert config["learning_rate"] == 0.125
    assert config["clipnorm"] == 2.0 and config["use_ema"] is True
    clone = cls.from_config(config)
    assert clone.get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(optimizer))
    assert type(restored) is cls and restored.get_config() == config


def test_config_with_schedule():
    schedule = optimizers.schedules.CosineDecay(
        0.1, 100, alpha=0.1, warmup_target=0.2, warmup_steps=5
    )
    optimizer = optimizers.Adam(learning_rate=schedule)
    config = optimizers.serialize(optimizer)
    restored = optimizers.deserialize(config)
    assert isinstance(restored._learning_rate, optimizers.schedules.CosineDecay)
    assert restored._learning_rate.get_config() == schedule.get_config()


def test_get():
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("SGD"), optimizers.SGD)
    assert isinstance(optimizers.get("rmsprop"), optimizers.RMSprop)
    assert isinstance(optimizers.get("Adafactor"), optimizers.Adafactor)
    instance = optimizers.Nadam()
    assert optimizers.get(instance) is instance
    from_dict = optimizers.get({"class_name": "adamw", "config": {"weight_decay": 0.1}})
    assert isinstance(from_dict, optimizers.AdamW) and from_dict.weight_decay == 0.1
    with pytest.raises(ValueError):
        optimizers.get("no_such_optimizer")
    with pytest.raises(ValueError, match="Could not interpret"):
        optimizers.get(3)


# --- LossScaleOptimizer ---------------------------------------------------------------------
def _loss_scaled(**kwargs):
    w = keras.Variable(np.array([1.0, 2.0], "float32"), name="w")
    optimizer = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=0.5), **kwargs)
    return w, optimizer


def test_loss_scale_optimizer_unscales_finite_gradients():
    w, optimizer = _loss_scaled(initial_scale=4.0)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(optimizer.scale_loss(3.0)), 12.0)
    optimizer.apply([np.array([4.0, 8.0], "float32")], [w])
    np.testing.assert_allclose(w.numpy(), [0.5, 1.0])
    assert int(optimizer.iterations) == 1
    assert int(optimizer.step_counter) == 1
    assert float(optimizer.dynamic_scale) == 4.0
    np.testing.assert_allclose(keras.ops.convert_to_numpy(optimizer.scale_loss(3.0)), 12.0)


def test_loss_scale_optimizer_skips_non_finite_gradients():
    w, optimizer = _loss_scaled(initial_scale=4.0)
    optimizer.apply([np.array([4.0, 8.0], "float32")], [w])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for bad in (np.inf, np.nan):
            optimizer.apply([np.array([bad, 1.0], "float32")], [w])
            np.testing.assert_allclose(w.numpy(), [0.5, 1.0])
            assert int(optimizer.iterations) == 1
            assert int(optimizer.step_counter) == 0
    assert float(optimizer.dynamic_scale) == 1.0


def test_loss_scale_optimizer_finite_check_is_elementwise():
    """Finite gradients whose sum overflows float32 are applied (a backend's fast check
    from per-tensor sums must confirm element by element); a nan skips the step."""
    w, optimizer = _loss_scaled(initial_scale=4.0)
    optimizer.apply([np.array([3e38, 3e38], "float32")], [w])
    np.testing.assert_allclose(w.numpy(), np.float32([1.0, 2.0]) - 0.5 * np.float32(3e38) / 4)
    assert int(optimizer.step_counter) == 1
    assert float(optimizer.dynamic_scale) == 4.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        optimizer.apply([np.array([1.0, 1.0], "float32")], [w])  # applied
        optimizer.apply([np.array([1.0, np.nan], "float32")], [w])  # skipped
    expected = np.float32([1.0, 2.0]) - 0.5 * np.float32(3e38) / 4 - 0.125
    np.testing.assert_allclose(w.numpy(), expected)
    assert int(optimizer.step_counter) == 0
    assert float(optimizer.dynamic_scale) == 2.0


def test_loss_scale_optimizer_grows_scale():
    w, optimizer = _loss_scaled(initial_scale=2.0, dynamic_growth_steps=3)
    scales = []
    for _ in range(4):
        optimizer.apply([np.array([0.0, 0.0], "float32")], [w])
        scales.append(float(optimizer.dynamic_scale))
    assert scales == [2.0, 2.0, 4.0, 4.0]
    assert int(optimizer.step_counter) == 1


def test_loss_scale_optimizer_state_and_config():
    w, optimizer = _loss_scaled(initial_scale=8.0, dynamic_growth_steps=10)
    optimizer.build([w])
    names = [v.name for v in optimizer.variables]
    assert names[:4] == ["iteration", "learning_rate", "step_counter", "dynamic_scale"]
    assert names[4] == "iteration"  # the inner optimizer's
    optimizer.learning_rate = 0.25
    assert float(optimizer.inner_optimizer.learning_rate) == 0.25
    restored = optimizers.deserialize(optimizers.serialize(optimizer))
    assert isinstance(restored, optimizers.LossScaleOptimizer)
    assert isinstance(restored.inner_optimizer, optimizers.SGD)
    assert (restored.initial_scale, restored.dynamic_growth_steps) == (8.0, 10)
    with pytest.raises(ValueError, match="does not support `clipnorm`"):
        optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0)


def test_loss_scale_optimizer_stateless_apply():
    w, optimizer = _loss_scaled(initial_scale=4.0)
    optimizer.build([w])
    new_values, new_state = optimizer.stateless_apply(
        [v.value for v in optimizer.variables], [np.array([np.inf, 1.0], "float32")], [w.value]
    )
    np.testing.assert_allclose(keras.ops.convert_to_numpy(new_values[0]), [1.0, 2.0])
    names = [v.name for v in optimizer.variables]
    scale = keras.ops.convert_to_numpy(new_state[names.index("dynamic_scale")])
    assert float(scale) == 2.0
    assert float(optimizer.dynamic_scale) == 4.0


# --- compiled-step safety ---------------------------------------------------------------------
def _refuse(*args, **kwargs):
    raise AssertionError("optimizers must not branch on or read back tensor values")


@pytest.mark.parametrize(
    "make",
    [
        lambda: optimizers.Adam(
            use_ema=True,
            ema_overwrite_frequency=2,
            gradient_accumulation_steps=2,
            global_clipnorm=1.0,
            weight_decay=0.1,
            amsgrad=True,
        ),
        lambda: optimizers.LossScaleOptimizer(optimizers.Nadam(clipnorm=1.0)),
        lambda: optimizers.Adafactor(
            learning_rate=optimizers.schedules.CosineDecay(
                0.1, 10, warmup_target=0.2, warmup_steps=2
            )
        ),
    ],
    ids=["adam_all_features", "loss_scale_nadam", "adafactor_schedule"],
)
def test_apply_never_branches_on_tensor_values(make, monkeypatch):
    """What a jit-compiled train step needs: no Python control flow on tensor values, so no
    `ops.cond` and no `bool()`/`int()`/`float()` of a variable inside `apply`."""
    weights, grads = _data(seed=13, steps=4)
    variables = [keras.Variable(w) for w in weights]
    optimizer = make()
    optimizer.build(variables)
    monkeypatch.setattr(keras.ops, "cond", _refuse)
    for method in ("__bool__", "__int__", "__float__"):
        monkeypatch.setattr(keras.variables.BaseVariable, method, _refuse)
    for step in grads:
        optimizer.apply(step, variables)
