"""Checks specific to the JAX backend plugin (`unikeras-jax`); skipped on other backends."""

import numpy as np
import pytest

import unikeras
from unikeras import ops
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    registry.backend() != "jax", reason="needs UNIKERAS_BACKEND=jax (unikeras-jax installed)"
)

if registry.backend() == "jax":
    import jax
    import jax.numpy as jnp


def test_backend_info_declares_training_and_jit():
    info = registry.table.backend_info()
    assert info["name"] == "jax" and info["training"] and info["jit"]


def test_variables_hold_jax_arrays_and_assign_replaces_them():
    v = unikeras.Variable(np.array([1.0, 2.0], "float32"))
    assert isinstance(v.value, jax.Array)
    before = v.value
    v.assign([3.0, 4.0])
    assert isinstance(v.value, jax.Array) and v.value is not before
    np.testing.assert_array_equal(np.asarray(before), [1.0, 2.0])  # the old array is intact
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])


def test_variables_convert_to_jax_arrays_without_a_host_copy():
    # `__jax_array__`: jnp.asarray takes the device array (recent JAX versions no longer call
    # it when a Variable is passed straight into other jnp functions).
    v = unikeras.Variable(np.array([1.0, 4.0], "float32"))
    assert jnp.asarray(v) is v.value
    np.testing.assert_allclose(np.asarray(jnp.sqrt(jnp.asarray(v))), [1.0, 2.0])
    np.testing.assert_allclose(np.asarray(ops.sqrt(v)), [1.0, 2.0])


def test_default_dtypes_follow_floatx_and_int32_in_either_x64_mode():
    # x64 is on unless JAX_ENABLE_X64 says otherwise (tests/test_jax_dtypes.py runs both).
    x64 = jax.config.jax_enable_x64
    assert unikeras.backend.table.backend_info()["x64"] == x64
    assert ops.dtype(ops.convert_to_tensor(1.5)) == "float32"
    assert ops.dtype(ops.convert_to_tensor(1)) == "int32"
    assert ops.dtype(ops.add(ops.ones((2,), "int32"), 1.5)) == "float32"
    assert ops.dtype(ops.mean(ops.ones((2,), "int32"))) == "float32"
    assert ops.dtype(ops.arange(3)) == "int32"
    assert ops.dtype(ops.convert_to_tensor(np.zeros(2, "float64"))) == (
        "float64" if x64 else "float32"
    )


def test_ops_trace_under_jit():
    @jax.jit
    def step(x, w):
        return ops.sum(ops.relu(ops.matmul(x, w)), axis=-1)

    x, w = np.ones((2, 3), "float32"), np.full((3, 4), 0.5, "float32")
    np.testing.assert_allclose(np.asarray(step(x, w)), [6.0, 6.0])


def test_gradients_flow_through_ops():
    grad = jax.grad(lambda x: ops.sum(ops.square(ops.sin(x))))(jnp.asarray([0.3, 1.0]))
    np.testing.assert_allclose(np.asarray(grad), np.sin(2 * np.array([0.3, 1.0])), rtol=1e-6)


def test_compute_output_spec_keeps_unknown_dims():
    x = unikeras.KerasTensor((None, 3))
    y = ops.matmul(x, np.ones((3, 5), "float32"))
    assert y.shape == (None, 5) and y.dtype == "float32"
    z = ops.reshape(unikeras.KerasTensor((None, 2, 3)), (-1, 6))
    assert z.shape == (None, 6)


def test_compute_output_spec_falls_back_for_value_dependent_shapes():
    spec = registry.table.compute_output_spec(
        lambda x: ops.nonzero(x)[0], (unikeras.KerasTensor((4,)),), {}
    )
    assert spec.dtype == "int32" and spec.shape == (0,)


def test_random_ops_are_pure_functions_of_the_seed():
    a = unikeras.random.normal((3,), seed=7)
    b = unikeras.random.normal((3,), seed=7)
    assert isinstance(a, jax.Array)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    jitted = jax.jit(lambda seed: registry.table.random_uniform((2,), 0.0, 1.0, "float32", seed))
    seed = ops.convert_to_tensor([7, 0], "uint32")
    np.testing.assert_array_equal(np.asarray(jitted(seed)), np.asarray(jitted(seed)))


def test_control_flow_compiles_with_lax():
    @jax.jit
    def count(n):
        return ops.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0))

    i, s = count(jnp.int32(5))
    assert int(i) == 5 and int(s) == 10
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.arange(4, dtype="float32"))
    assert float(carry) == 6.0 and ys.shape == (4,)
    out = ops.cond(jnp.asarray(True), lambda: jnp.ones(2), lambda: jnp.zeros(2))
    np.testing.assert_array_equal(np.asarray(out), [1.0, 1.0])
    doubled = ops.vectorized_map(lambda v: v * 2, np.ones((3, 2), "float32"))
    assert doubled.shape == (3, 2)


# --- the jitted trainer (unikeras_jax.trainer) ------------------------------------------------


class CountingDense(unikeras.layers.Dense):
    """A Dense layer that counts its calls in training and inference mode: under `jax.jit`
    the Python body runs once per trace, eagerly once per step."""

    def __init__(self, units, **kwargs):
        super().__init__(units, **kwargs)
        self.training_calls = 0
        self.inference_calls = 0

    def call(self, inputs, training=None):
        if training:
            self.training_calls += 1
        else:
            self.inference_calls += 1
        return super().call(inputs)


def _concrete(value):
    """Whether `value` is a live device array (not a tracer, not a donated buffer)."""
    return (
        isinstance(value, jax.Array)
        and not isinstance(value, jax.core.Tracer)
        and not value.is_deleted()
    )


def _regression_data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32")).astype("float32")


def _dropout_model(seed=3):
    return unikeras.Sequential(
        [
            unikeras.Input((4,)),
            unikeras.layers.Dense(8, activation="relu"),
            unikeras.layers.Dropout(0.5, seed=seed),
            unikeras.layers.Dense(1),
        ]
    )


def test_train_step_is_traced_once_across_epochs_and_fits():
    x, y = _regression_data()
    counting = CountingDense(1)
    model = unikeras.Sequential([unikeras.Input((4,)), counting])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    assert counting.training_calls == 1
    assert int(model.optimizer.iterations.numpy()) == 5 * 4


def test_run_eagerly_and_jit_compile_false_do_not_jit():
    x, y = _regression_data()
    for flags in ({"run_eagerly": True}, {"jit_compile": False}):
        counting = CountingDense(1)
        model = unikeras.Sequential([unikeras.Input((4,)), counting])
        model.compile(optimizer="sgd", loss="mse", **flags)
        model.fit(x, y, batch_size=16, epochs=2, verbose=0)
        assert counting.training_calls == 8, flags


def test_seed_generator_state_advances_so_dropout_masks_differ_between_steps():
    x, y = _regression_data(n=16)
    model = _dropout_model()
    model.compile(optimizer=unikeras.optimizers.SGD(0.0), loss="mse")
    losses = [model.train_on_batch(x, y) for _ in range(3)]
    # Same weights (learning rate 0) and batch: only the dropout mask changes the loss.
    assert len(set(losses)) == 3, losses
    state = model.layers[1].seed_generator.state.numpy()
    assert int(state[1]) == 3
    history = model.fit(x, y, batch_size=16, epochs=3, verbose=0, shuffle=False)
    assert len(set(history.history["loss"])) == 3
    assert int(model.layers[1].seed_generator.state.numpy()[1]) == 6


def test_variables_hold_concrete_updated_arrays_after_fit():
    x, y = _regression_data()
    model = unikeras.Sequential(
        [
            unikeras.Input((4,)),
            unikeras.layers.Dense(3),
            unikeras.layers.BatchNormalization(),
            unikeras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    before = model.get_weights()
    model.fit(x, y, batch_size=16, epochs=2, verbose=0)
    variables = model.variables + model.optimizer.variables + model.metrics_variables
    assert all(_concrete(v.value) for v in variables)
    after = model.get_weights()
    assert all(not np.allclose(a, b) for a, b in zip(before, after))  # incl. moving stats
    assert int(model.optimizer.iterations.numpy()) == 8
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)  # the stored arrays are usable


def test_callbacks_see_the_current_weights_at_every_batch_and_epoch():
    x, y = _regression_data()
    model = unikeras.Sequential([unikeras.Input((4,)), unikeras.layers.Dense(1)])
    model.compile(optimizer=unikeras.optimizers.SGD(0.01), loss="mse")
    seen = {"batch": [], "epoch": []}
    record = unikeras.callbacks.LambdaCallback(
        on_train_batch_end=lambda b, logs: seen["batch"].append(model.get_weights()[0]),
        on_epoch_end=lambda e, logs: seen["epoch"].append(model.get_weights()[0]),
    )
    model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0, callbacks=[record])
    kernels = [k.ravel().tolist() for k in seen["batch"]]
    assert len(kernels) == 8 and all(a != b for a, b in zip(kernels, kernels[1:]))
    np.testing.assert_array_equal(seen["epoch"][0], seen["batch"][3])
    np.testing.assert_array_equal(seen["epoch"][1], model.get_weights()[0])


def _fit_dropout_model(**compile_kwargs):
    unikeras.utils.set_random_seed(11)
    x, y = _regression_data()
    model = _dropout_model(seed=None)
    model.compile(
        optimizer=unikeras.optimizers.Adam(0.01), loss="mse", metrics=["mae"], **compile_kwargs
    )
    history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    return history.history, model.get_weights()


def test_run_eagerly_matches_the_jitted_step_for_a_fixed_seed():
    eager_logs, eager_weights = _fit_dropout_model(run_eagerly=True)
    jit_logs, jit_weights = _fit_dropout_model()
    for name in ("loss", "mae"):
        np.testing.assert_allclose(jit_logs[name], eager_logs[name], rtol=1e-5)
    for jit, eager in zip(jit_weights, eager_weights):
        np.testing.assert_allclose(jit, eager, rtol=1e-5, atol=1e-6)


def test_steps_per_execution_trains_like_single_steps():
    _, single = _fit_dropout_model()
    _, grouped = _fit_dropout_model(steps_per_execution=3)
    for a, b in zip(single, grouped):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_evaluate_and_predict_are_jitted_and_leave_the_weights_alone():
    x, y = _regression_data()
    counting = CountingDense(1)
    model = unikeras.Sequential([unikeras.Input((4,)), counting])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    weights = model.get_weights()
    calls_before = counting.inference_calls  # building the model called it symbolically
    logs = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    expected = x @ weights[0] + weights[1]
    np.testing.assert_allclose(logs["loss"], np.mean((expected - y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(model.predict(x, batch_size=16, verbose=0), expected, rtol=1e-5)
    np.testing.assert_allclose(model.predict(x, batch_size=16, verbose=0), expected, rtol=1e-5)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    # One trace for evaluate, one for both predicts.
    assert counting.inference_calls - calls_before == 2 and counting.training_calls == 0


class UnseededNoise(unikeras.layers.Layer):
    def call(self, inputs, training=None):
        if training:
            return inputs + unikeras.random.normal(ops.shape(inputs), stddev=0.1)
        return inputs


def test_unseeded_random_ops_in_a_jitted_step_fail_clearly_and_leak_nothing():
    x, y = _regression_data(n=16)
    model = unikeras.Sequential([unikeras.Input((4,)), UnseededNoise(), unikeras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(RuntimeError, match="seed=None"):
        model.fit(x, y, verbose=0)
    assert _concrete(unikeras.random.normal((2,)))  # the global state holds no tracer
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.fit(x, y, verbose=0)
    assert all(_concrete(v.value) for v in model.variables)


def test_loss_scale_update_is_a_branch_in_a_jitted_step():
    """Inside a trace, `LossScaleOptimizer` branches with `lax.cond` (hook
    `conditional_update`): the inner update runs only on finite gradients, instead of being
    computed and where-selected away; the values are the eager ones either way."""
    w = unikeras.Variable(np.array([1.0, -2.0], "float32"))
    optimizer = unikeras.optimizers.LossScaleOptimizer(
        unikeras.optimizers.Adam(0.1), initial_scale=4.0
    )
    optimizer.build([w])
    state = [v.value for v in optimizer.variables]

    def step(state, grad, weight):
        return optimizer.stateless_apply(state, [grad], [weight])

    good = np.array([4.0, -8.0], "float32")
    assert "cond[" in str(jax.make_jaxpr(step)(state, good, w.value))
    jitted = jax.jit(step)
    names = [v.name for v in optimizer.variables]
    (new_w,), new_state = jitted(state, np.array([np.nan, 1.0], "float32"), w.value)
    np.testing.assert_array_equal(np.asarray(new_w), [1.0, -2.0])
    for name, old, new in zip(names, state, new_state):
        expected = np.asarray(old) / 2 if name == "dynamic_scale" else np.asarray(old)
        np.testing.assert_array_equal(np.asarray(new), expected, err_msg=name)
    (new_w,), new_state = jitted(state, good, w.value)
    optimizer.apply([good], [w])  # eagerly
    np.testing.assert_array_equal(np.asarray(new_w), w.numpy())
    for name, new, variable in zip(names, new_state, optimizer.variables):
        np.testing.assert_array_equal(np.asarray(new), variable.numpy(), err_msg=name)
