"""Keras 3's Lamb, Muon, ScheduleFreeAdamW, MultiOptimizer/OptimizerMap and the
`keras.optimizers.legacy` stubs: several steps of each update against a NumPy
re-implementation (and Keras 3.15.1 where installed), configs, use in `fit` on the training
backends, and optimizer state saved and loaded with the model in `.keras` files."""

import os

import numpy as np
import pytest

import unikeras as keras
from unikeras import optimizers
from unikeras.backend import table

STEPS = 4


def _data(shapes, seed=0, steps=STEPS):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=s).astype("float32") for s in shapes]
    grads = [[rng.normal(size=s).astype("float32") for s in shapes] for _ in range(steps)]
    return weights, grads


def _run(optimizer, weights, grads, names=None):
    names = names or [f"w{i}" for i in range(len(weights))]
    variables = [keras.Variable(w, name=n) for w, n in zip(weights, names)]
    for step in grads:
        optimizer.apply(step, variables)
    return [v.numpy().astype("float64") for v in variables]


def _reference(update, weights, grads, **hyper):
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


def keras3():
    engine = keras.backend.backend()
    os.environ.setdefault(
        "KERAS_BACKEND", engine if engine in ("jax", "torch", "tensorflow") else "jax"
    )
    module = pytest.importorskip("keras")
    if not module.__version__.startswith("3."):  # pragma: no cover
        pytest.skip(f"keras {module.__version__} is not Keras 3")
    return module


# --- NumPy formulas -------------------------------------------------------------------------------


def np_lamb(w, g, s, t, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = s["m"] = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
    v = s["v"] = beta_2 * s.get("v", 0.0) + (1 - beta_2) * g * g
    update = (m / (1 - beta_1**t)) / (np.sqrt(v / (1 - beta_2**t)) + epsilon)
    w_norm, u_norm = np.linalg.norm(w), np.linalg.norm(update)
    ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
    return w - ratio * lr * update


def np_adam_step(w, g, s, t, lr, beta_1, beta_2, epsilon):
    m = s["m"] = s.get("m", 0.0) + (g - s.get("m", 0.0)) * (1 - beta_1)
    v = s["v"] = s.get("v", 0.0) + (g * g - s.get("v", 0.0)) * (1 - beta_2)
    alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return w - alpha * m / (np.sqrt(v) + epsilon)


def np_newton_schulz(x, steps, a=3.4445, b=-4.7750, c=2.0315):
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if tall else x


def np_muon(
    w,
    g,
    s,
    t,
    lr=0.001,
    use_adam=False,
    momentum=0.95,
    nesterov=True,
    weight_decay=0.004,
    adam_weight_decay=0.004,
    adam_lr_ratio=1,
    ns_steps=5,
    rms_rate=0.2,
    beta_1=0.9,
    beta_2=0.999,
    epsilon=1e-7,
):
    decay = adam_weight_decay if use_adam else weight_decay
    if decay is not None:
        w = w - w * decay * lr
    if use_adam:
        return np_adam_step(w, g, s, t, lr * adam_lr_ratio, beta_1, beta_2, epsilon)
    m = s["m"] = momentum * s.get("m", 0.0) + g
    direction = g + momentum * m if nesterov else m
    update = np_newton_schulz(direction, ns_steps)
    if rms_rate is not None:
        update = update * np.sqrt(max(w.shape)) * rms_rate
    return w - lr * update


def np_schedule_free_adamw(
    w, g, s, t, lr=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0
):
    if warmup_steps > 0:
        lr = lr * min(t / warmup_steps, 1.0)
    z_old = s.get("z", w)
    v = s["v"] = s.get("v", 0.0) + (g * g - s.get("v", 0.0)) * (1 - beta_2)
    z = s["z"] = z_old - lr * g / (np.sqrt(v / (1 - beta_2**t)) + epsilon)
    x_old = (w - (1 - beta_1) * z_old) / beta_1
    x_new = (1 - 1 / t) * x_old + z / t
    return (1 - beta_1) * z + beta_1 * x_new


def np_sgd(w, g, s, t, lr=0.01):
    return w - lr * g


# --- Lamb -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hyper", [{}, {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-5}]
)
def test_lamb_matches_numpy(hyper):
    weights, grads = _data([(3, 2), (4,)])
    expected = _reference(
        np_lamb,
        weights,
        grads,
        lr=hyper.get("learning_rate", 0.001),
        **{k: v for k, v in hyper.items() if k != "learning_rate"},
    )
    _close(_run(optimizers.Lamb(**hyper), weights, grads), expected)


def test_lamb_zero_weights_use_unit_trust_ratio():
    weights, grads = _data([(3,)])
    weights = [np.zeros(3, "float32")]
    _close(
        _run(optimizers.Lamb(learning_rate=0.1), weights, grads),
        _reference(np_lamb, weights, grads, lr=0.1),
    )


# --- Muon -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hyper",
    [
        {},
        {
            "learning_rate": 0.02,
            "momentum": 0.9,
            "nesterov": False,
            "ns_steps": 3,
            "rms_rate": None,
            "weight_decay": None,
            "adam_weight_decay": 0.01,
            "adam_lr_ratio": 0.5,
        },
    ],
)
def test_muon_matches_numpy(hyper):
    shapes = [(4, 3), (2, 5), (4,), (2, 2, 2)]
    weights, grads = _data(shapes, seed=1)
    ref_hyper = {"lr": hyper.get("learning_rate", 0.001)}
    ref_hyper.update({k: v for k, v in hyper.items() if k != "learning_rate"})
    expected = []
    for i, w in enumerate(weights):
        use_adam = len(shapes[i]) != 2
        expected.append(
            _reference(np_muon, [w], [[g[i]] for g in grads], use_adam=use_adam, **ref_hyper)[0]
        )
    _close(_run(optimizers.Muon(**hyper), weights, grads), expected, rtol=1e-4, atol=1e-5)


def test_muon_excludes_embeddings_and_named_layers():
    weights, grads = _data([(4, 3), (4, 3), (4, 3)], seed=2)
    names = ["token_embedding", "output_dense", "hidden"]
    optimizer = optimizers.Muon(learning_rate=0.01, exclude_layers=["out.*dense"])
    actual = _run(optimizer, weights, grads, names=names)
    for i, use_adam in enumerate([True, True, False]):
        expected = _reference(
            np_muon, [weights[i]], [[g[i]] for g in grads], use_adam=use_adam, lr=0.01
        )[0]
        np.testing.assert_allclose(actual[i], expected, rtol=1e-4, atol=1e-5)
    assert optimizer.adam_velocities[2] is None and optimizer.adam_velocities[0] is not None
    # Embeddings follow Muon when `exclude_embeddings=False`.
    plain = optimizers.Muon(learning_rate=0.01, exclude_embeddings=False)
    got = _run(plain, weights[:1], [g[:1] for g in grads], names=names[:1])[0]
    np.testing.assert_allclose(
        got,
        _reference(np_muon, weights[:1], [g[:1] for g in grads], lr=0.01)[0],
        rtol=1e-4,
        atol=1e-5,
    )


def test_muon_newton_schulz_orthogonalizes():
    optimizer = optimizers.Muon()
    x = np.random.default_rng(3).normal(size=(6, 4)).astype("float32")
    result = keras.ops.convert_to_numpy(optimizer.zeropower_via_newtonschulz5(x, 5))
    np.testing.assert_allclose(
        result, np_newton_schulz(x.astype("float64"), 5), rtol=1e-4, atol=1e-5
    )
    singular_values = np.linalg.svd(result, compute_uv=False)
    assert np.all((singular_values > 0.5) & (singular_values < 1.5))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        optimizer.zeropower_via_newtonschulz5(np.ones(3, "float32"), 5)


# --- ScheduleFreeAdamW ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hyper", [{}, {"learning_rate": 0.01, "beta_1": 0.8, "warmup_steps": 3, "epsilon": 1e-6}]
)
def test_schedule_free_adamw_matches_numpy(hyper):
    weights, grads = _data([(3, 2), (4,)], seed=4, steps=6)
    ref = {"lr": hyper.get("learning_rate", 0.0025)}
    ref.update({k: v for k, v in hyper.items() if k != "learning_rate"})
    expected = _reference(np_schedule_free_adamw, weights, grads, **ref)
    optimizer = optimizers.ScheduleFreeAdamW(**hyper)
    _close(_run(optimizer, weights, grads), expected, rtol=1e-4, atol=1e-6)
    assert optimizer.name == "schedule_free_adam_w"


# --- MultiOptimizer / OptimizerMap ---------------------------------------------------------------


def test_optimizer_map_lookup_rules():
    adam, sgd, rms = optimizers.Adam(), optimizers.SGD(), optimizers.RMSprop()
    mapping = optimizers.OptimizerMap(default_optimizer=rms)
    mapping["encoder/layer_0/dense"] = adam
    mapping["encoder/.*"] = sgd
    mapping["decoder"] = adam
    assert mapping["decoder"] is adam
    assert mapping["encoder/layer_0/dense"] is adam
    assert mapping["encoder/layer_0/attention/query"] is sgd
    assert mapping["decoder/layer_0/dense"] is rms
    assert len(mapping) == 3 and set(mapping) == {"encoder/layer_0/dense", "encoder/.*", "decoder"}
    mapping["dec.*"] = sgd
    mapping["decoder/.*"] = rms
    with pytest.raises(ValueError, match="Multiple optimizers"):
        mapping["decoder/x"]
    del mapping["dec.*"]
    assert mapping["decoder/x"] is rms
    with pytest.raises(ValueError, match="already exists"):
        mapping["decoder"] = sgd
    with pytest.raises(ValueError, match="must be a string"):
        mapping[3] = sgd
    with pytest.raises(ValueError, match="LossScaleOptimizer"):
        mapping["x"] = optimizers.LossScaleOptimizer(optimizers.SGD())
    with pytest.raises(ValueError, match="MultiOptimizer"):
        mapping["x"] = optimizers.MultiOptimizer(optimizers.OptimizerMap(optimizers.SGD()))
    with pytest.raises(TypeError, match="default_optimizer"):
        optimizers.OptimizerMap("adam")
    with pytest.raises(TypeError, match="optimizer_map must be a dictionary"):
        optimizers.OptimizerMap(optimizers.SGD(), [("a", sgd)])


@pytest.mark.parametrize("by", ["map", "callable"])
def test_multi_optimizer_routes_variables(by):
    weights, grads = _data([(3, 2), (4,), (2,)], seed=5)
    sgd, adam = optimizers.SGD(learning_rate=0.1), optimizers.Adam(learning_rate=0.01)
    if by == "map":
        selector = optimizers.OptimizerMap(default_optimizer=sgd, optimizer_map={"w1": adam})
    else:

        def selector(variable):
            return adam if variable.path == "w1" else sgd

    multi = optimizers.MultiOptimizer(selector)
    actual = _run(multi, weights, grads)
    expected = [
        _reference(np_sgd, [weights[0]], [[g[0]] for g in grads], lr=0.1)[0],
        _reference(
            np_adam_step,
            [weights[1]],
            [[g[1]] for g in grads],
            lr=0.01,
            beta_1=0.9,
            beta_2=0.999,
            epsilon=1e-7,
        )[0],
        _reference(np_sgd, [weights[2]], [[g[2]] for g in grads], lr=0.1)[0],
    ]
    _close(actual, expected)
    assert int(multi.iterations.numpy()) == STEPS
    assert int(sgd.iterations.numpy()) == STEPS and int(adam.iterations.numpy()) == STEPS
    assert {id(o) for o in multi.optimizers} == {id(sgd), id(adam)}
    own = multi._variables
    assert multi.variables == own + [v for o in multi.optimizers for v in o.variables]
    with pytest.raises(AttributeError, match="MultiOptimizer"):
        multi.learning_rate
    with pytest.raises(AttributeError, match="MultiOptimizer"):
        multi.learning_rate = 0.1


def test_multi_optimizer_loss_scale_factor_and_weights():
    sgd, adam = optimizers.SGD(), optimizers.Adam()
    multi = optimizers.MultiOptimizer(
        optimizers.OptimizerMap(sgd, {"a": adam}), loss_scale_factor=4.0
    )
    assert sgd.loss_scale_factor == 4.0 and adam.loss_scale_factor == 4.0
    multi.loss_scale_factor = 2.0
    assert sgd.loss_scale_factor == 2.0 and adam.loss_scale_factor == 2.0
    variables = [
        keras.Variable(np.ones(2, "float32"), name="a"),
        keras.Variable(np.ones(3, "float32"), name="b"),
    ]
    with pytest.raises(ValueError, match="not yet been built"):
        multi.set_weights([])
    multi.build(variables)
    values = [np.full(v.shape, i, "float32") for i, v in enumerate(multi.variables)]
    multi.set_weights(values)
    for got, want in zip(multi.get_weights(), values):
        np.testing.assert_array_equal(got, want)


# --- configs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "optimizer",
    [
        optimizers.Lamb(learning_rate=0.01, beta_1=0.8, epsilon=1e-6, clipnorm=1.0),
        optimizers.Muon(exclude_layers=["head"], momentum=0.9, rms_rate=None, ns_steps=4),
        optimizers.ScheduleFreeAdamW(warmup_steps=10, beta_2=0.99, use_ema=True),
    ],
    ids=lambda o: type(o).__name__,
)
def test_configs_round_trip(optimizer):
    config = optimizer.get_config()
    clone = type(optimizer).from_config(config)
    assert clone.get_config() == config
    rebuilt = optimizers.deserialize(optimizers.serialize(optimizer))
    assert type(rebuilt) is type(optimizer) and rebuilt.get_config() == config
    assert isinstance(optimizers.get(type(optimizer).__name__.lower()), type(optimizer))


def test_multi_optimizer_config_round_trip():
    multi = optimizers.MultiOptimizer(
        optimizers.OptimizerMap(
            optimizers.SGD(learning_rate=0.1), {"dense.*": optimizers.Adam(learning_rate=0.01)}
        ),
        name="multi",
    )
    config = multi.get_config()
    assert set(config) == {"optimizer_map", "loss_scale_factor", "name"}
    rebuilt = optimizers.deserialize(optimizers.serialize(multi))
    assert isinstance(rebuilt, optimizers.MultiOptimizer) and rebuilt.name == "multi"
    mapping = rebuilt._optimizer_map
    assert isinstance(mapping, optimizers.OptimizerMap)
    assert isinstance(mapping.default_optimizer, optimizers.SGD)
    assert isinstance(mapping["dense_1/kernel"], optimizers.Adam)
    assert float(mapping["dense_1/kernel"].learning_rate.numpy()) == pytest.approx(0.01)


def test_config_keys_match_keras():
    assert {"beta_1", "beta_2", "epsilon"} <= set(optimizers.Lamb().get_config())
    assert {
        "adam_beta_1",
        "adam_beta_2",
        "epsilon",
        "exclude_layers",
        "muon_a",
        "muon_b",
        "muon_c",
        "adam_lr_ratio",
        "momentum",
        "ns_steps",
        "nesterov",
        "exclude_embeddings",
        "adam_weight_decay",
        "rms_rate",
    } <= set(optimizers.Muon().get_config())
    assert {"beta_1", "beta_2", "epsilon", "warmup_steps"} <= set(
        optimizers.ScheduleFreeAdamW().get_config()
    )


# --- legacy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"])
def test_legacy_optimizers_raise(name):
    with pytest.raises(ImportError, match="not supported in Keras 3"):
        getattr(optimizers.legacy, name)(learning_rate=0.1)


# --- against Keras 3.15.1 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("Lamb", {"learning_rate": 0.01}),
        ("Muon", {"learning_rate": 0.01}),
        ("ScheduleFreeAdamW", {"learning_rate": 0.01, "warmup_steps": 2}),
    ],
)
def test_updates_match_keras3(name, kwargs):
    k = keras3()
    if name == "ScheduleFreeAdamW" and k.backend.backend() != "jax":
        pytest.skip(
            "Keras 3.15.1's ScheduleFreeAdamW keeps `momentum.value` by reference, "
            "which its torch/tensorflow variables then update in place; its JAX "
            "values are the formula's (checked in the jax env)"
        )
    weights, grads = _data([(4, 3), (5,)], seed=6)
    ours = _run(getattr(optimizers, name)(**kwargs), weights, grads)
    theirs_opt = getattr(k.optimizers, name)(**kwargs)
    variables = [k.Variable(w, name=f"w{i}") for i, w in enumerate(weights)]
    for step in grads:
        theirs_opt.apply(step, variables)
    _close(ours, [k.ops.convert_to_numpy(v) for v in variables], rtol=1e-4, atol=1e-5)
    ours_config = getattr(optimizers, name)(**kwargs).get_config()
    theirs_config = theirs_opt.get_config()
    assert set(theirs_config) <= set(ours_config)
    for key in theirs_config:
        assert (
            ours_config[key] == pytest.approx(theirs_config[key])
            or ours_config[key] == theirs_config[key]
        ), key


# --- fit and saving -------------------------------------------------------------------------------

needs_training = pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)


def _model():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(3, name="hidden"),
            keras.layers.Dense(1, name="head"),
        ]
    )


def _multi():
    return optimizers.MultiOptimizer(
        optimizers.OptimizerMap(
            optimizers.SGD(learning_rate=0.05), {".*head/.*": optimizers.Adam(learning_rate=0.05)}
        )
    )


@needs_training
@pytest.mark.parametrize(
    "make",
    [
        lambda: optimizers.Lamb(learning_rate=0.05),
        lambda: optimizers.Muon(learning_rate=0.05),
        lambda: optimizers.ScheduleFreeAdamW(learning_rate=0.05),
        _multi,
    ],
    ids=["lamb", "muon", "schedule_free_adamw", "multi"],
)
def test_fit_and_keras_file_round_trip(make, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [0.0]], "float32")).astype("float32")
    model = _model()
    model.compile(optimizer=make(), loss="mse")
    before = float(model.evaluate(x, y, verbose=0))
    model.fit(x, y, epochs=4, batch_size=8, verbose=0)
    after = float(model.evaluate(x, y, verbose=0))
    assert np.isfinite(after) and after < before
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded.optimizer) is type(model.optimizer)
    saved_state = [np.asarray(v) for v in model.optimizer.get_weights()]
    loaded_state = [np.asarray(v) for v in loaded.optimizer.get_weights()]
    assert len(saved_state) == len(loaded_state) > 2
    for a, b in zip(saved_state, loaded_state):
        np.testing.assert_allclose(a, b)
    # One more identical step on both: the restored state gives the same weights.
    model.fit(x[:8], y[:8], epochs=1, batch_size=8, verbose=0, shuffle=False)
    loaded.fit(x[:8], y[:8], epochs=1, batch_size=8, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
