"""Mixed precision: `keras.mixed_precision` / `keras.dtype_policies`, layers under the
`"mixed_float16"` and `"mixed_bfloat16"` policies (float32 variables, 16-bit computation,
values close to a float32 reference), training with loss scaling, and saving the policy.

Backend-agnostic; the training tests skip on inference-only backends.
"""

import json

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops
from unikeras.backend import table

TRAINING = table.backend_info()["training"]


def _has_bfloat16():
    try:
        table.cast(np.zeros(1, "float32"), "bfloat16")
    except (TypeError, ValueError):  # e.g. the numpy backend without ml-dtypes
        return False
    return True


MIXED = [
    "mixed_float16",
    pytest.param(
        "mixed_bfloat16",
        marks=pytest.mark.skipif(
            not _has_bfloat16(), reason="this backend has no bfloat16 here (numpy needs ml-dtypes)"
        ),
    ),
]
COMPUTE = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}
# 16-bit results against a float32 reference: float16 keeps ~3 significant digits,
# bfloat16 ~2.
TOLERANCE = {"mixed_float16": 2e-2, "mixed_bfloat16": 8e-2}


@pytest.fixture(autouse=True)
def reset_policy():
    """Each test starts and ends with the default global policy."""
    keras.mixed_precision.set_global_policy("float32")
    yield
    keras.mixed_precision.set_global_policy("float32")


def dtype_of(x):
    return keras.backend.standardize_dtype(x.dtype)


def as_float32(x):
    return np.asarray(ops.convert_to_numpy(ops.cast(x, "float32")))


# --- policies -------------------------------------------------------------------------------


def test_policy_dtypes_and_names():
    for name, compute in COMPUTE.items():
        policy = keras.mixed_precision.Policy(name)
        assert (policy.name, policy.variable_dtype, policy.compute_dtype) == (
            name,
            "float32",
            compute,
        )
    plain = keras.dtype_policies.DTypePolicy("float16")
    assert (plain.variable_dtype, plain.compute_dtype) == ("float16", "float16")
    assert keras.dtype_policies.FloatDTypePolicy(
        "mixed_float16"
    ) == keras.dtype_policies.DTypePolicy("mixed_float16")
    assert (
        repr(keras.dtype_policies.DTypePolicy("mixed_bfloat16")) == '<DTypePolicy "mixed_bfloat16">'
    )
    with pytest.raises(ValueError, match="mixed_float16"):
        keras.dtype_policies.DTypePolicy("mixed_float64")


def test_policy_map_entry_follows_changes_to_the_map():
    # The layer resolves its path once, yet sees every later change of the map.
    policy_map = keras.dtype_policies.DTypePolicyMap("float32", {"lyr.*": "mixed_float16"})
    layer = layers.Dense(2, dtype=policy_map, name="lyr")
    x = np.ones((1, 3), "float32")
    layer(x)  # builds: the layer's path ("lyr") is known from here on
    assert keras.backend.standardize_dtype(layer(x).dtype) == "float16"
    assert (layer.compute_dtype, layer.variable_dtype, layer.dtype) == (
        "float16",
        "float32",
        "float32",
    )
    del policy_map["lyr.*"]
    assert (layer.compute_dtype, layer.variable_dtype) == ("float32", "float32")
    policy_map["lyr"] = "bfloat16"
    assert (layer.compute_dtype, layer.variable_dtype) == ("bfloat16", "bfloat16")
    assert layer.dtype_policy is policy_map


def test_global_policy_applies_to_new_layers():
    keras.mixed_precision.set_global_policy("mixed_float16")
    assert keras.mixed_precision.global_policy().name == "mixed_float16"
    assert keras.mixed_precision.dtype_policy() == keras.mixed_precision.global_policy()
    layer = layers.Dense(2)
    assert (layer.dtype_policy.name, layer.dtype, layer.compute_dtype, layer.variable_dtype) == (
        "mixed_float16",
        "float32",
        "float16",
        "float32",
    )
    assert layers.Dense(2, dtype="float32").compute_dtype == "float32"
    with pytest.raises(ValueError, match="Invalid `policy`"):
        keras.mixed_precision.set_global_policy(3)


def test_serialize_get_deserialize_round_trip():
    policy = keras.dtype_policies.DTypePolicy("mixed_float16")
    config = keras.dtype_policies.serialize(policy)
    assert config == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    assert keras.dtype_policies.deserialize(json.loads(json.dumps(config))) == policy
    assert keras.dtype_policies.get(config) == policy
    assert keras.dtype_policies.get("mixed_float16") == policy
    assert keras.dtype_policies.get(None) == keras.mixed_precision.global_policy()
    assert keras.mixed_precision.LossScaleOptimizer is keras.optimizers.LossScaleOptimizer


# --- autocasting ----------------------------------------------------------------------------


class ReadsWeights(layers.Layer):
    """Records the dtypes its weights read as inside `call`."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.fixed = self.add_weight(
            shape=(input_shape[-1],),
            initializer="ones",
            autocast=False,
            trainable=False,
            name="fixed",
        )
        self.count = self.add_weight(
            shape=(), dtype="int32", initializer="zeros", trainable=False, name="count"
        )

    def call(self, inputs):
        self.seen = (
            dtype_of(self.w.value),
            dtype_of(self.fixed.value),
            dtype_of(self.count.value),
            dtype_of(inputs),
        )
        return inputs * self.w


@pytest.mark.parametrize("policy", MIXED)
def test_variables_autocast_only_inside_call(policy):
    layer = ReadsWeights(dtype=policy)
    out = layer(np.ones((2, 3), "float32"))
    compute = COMPUTE[policy]
    assert layer.seen == (compute, "float32", "int32", compute)
    assert dtype_of(out) == compute
    assert [dtype_of(v.value) for v in layer.weights] == ["float32", "float32", "int32"]


def test_autocast_scope_needs_a_float_dtype():
    from unikeras.backend.variable import AutocastScope

    with pytest.raises(ValueError, match="floating-point target dtype"):
        AutocastScope("int32")


def test_float32_sublayer_inside_mixed_layer_reads_float32():
    class Outer(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = ReadsWeights(dtype="float32")

        def call(self, inputs):
            return self.inner(inputs)

    outer = Outer(dtype="mixed_float16")
    outer(np.ones((2, 3), "float32"))
    assert outer.inner.seen == ("float32", "float32", "int32", "float32")


# --- layers against a float32 reference -----------------------------------------------------


def _rng_inputs(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


LAYER_CASES = {
    "Dense": (lambda **kw: layers.Dense(6, activation="tanh", **kw), [(4, 5)], {}),
    "Conv2D": (lambda **kw: layers.Conv2D(3, 3, padding="same", **kw), [(2, 5, 5, 2)], {}),
    "LSTM": (lambda **kw: layers.LSTM(4, return_sequences=True, **kw), [(2, 3, 5)], {}),
    "MultiHeadAttention": (
        lambda **kw: layers.MultiHeadAttention(2, 4, **kw),
        [(2, 3, 6), (2, 4, 6)],
        {},
    ),
    "BatchNormalization": (
        lambda **kw: layers.BatchNormalization(**kw),
        [(8, 5)],
        {"training": True},
    ),
    "LayerNormalization": (lambda **kw: layers.LayerNormalization(**kw), [(4, 6)], {}),
}


def _randomize_weights(layer, seed=1):
    """Random weights; variances positive."""
    rng = np.random.default_rng(seed)
    layer.set_weights(
        [
            np.abs(rng.normal(size=v.shape)).astype("float32") + 0.5
            if "variance" in v.name
            else rng.normal(scale=0.5, size=v.shape).astype("float32")
            for v in layer.weights
        ]
    )


@pytest.mark.parametrize("policy", MIXED)
@pytest.mark.parametrize("name", list(LAYER_CASES))
def test_layer_outputs_in_compute_dtype_close_to_float32(name, policy):
    make, shapes, call_kwargs = LAYER_CASES[name]
    inputs = [_rng_inputs(shape, seed=i) for i, shape in enumerate(shapes)]
    reference = make(dtype="float32")
    mixed = make(dtype=policy)
    reference(*inputs, **call_kwargs)  # builds it
    _randomize_weights(reference)
    mixed(*inputs, **call_kwargs)
    mixed.set_weights(reference.get_weights())
    expected = as_float32(reference(*inputs, **call_kwargs))
    out = mixed(*inputs, **call_kwargs)
    assert dtype_of(out) == COMPUTE[policy]
    assert {dtype_of(v) for v in mixed.weights} == {"float32"}
    tol = TOLERANCE[policy]
    np.testing.assert_allclose(as_float32(out), expected, rtol=tol, atol=tol)
    config = mixed.get_config()
    assert config["dtype"]["config"]["name"] == policy
    assert type(mixed).from_config(json.loads(json.dumps(config))).dtype_policy.name == policy


def test_batch_normalization_statistics_in_float32():
    """Values that overflow float16 when squared still normalize (statistics in float32)."""
    layer = layers.BatchNormalization(dtype="mixed_float16", momentum=0.0)
    x = np.array([[300.0], [500.0], [700.0], [900.0]], "float32")
    out = layer(x, training=True)
    assert dtype_of(out) == "float16"
    expected = (x - x.mean()) / np.sqrt(x.var() + 1e-3)
    np.testing.assert_allclose(as_float32(out), expected, rtol=2e-3, atol=2e-3)
    np.testing.assert_allclose(layer.moving_variance.numpy(), [x.var()], rtol=1e-5)
    assert dtype_of(layer.moving_mean.value) == "float32"


# --- training ------------------------------------------------------------------------------


def _regression_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype("float32")
    w = rng.normal(size=(6, 1)).astype("float32")
    return x, np.tanh(x @ w).astype("float32")


def _mlp(policy):
    keras.mixed_precision.set_global_policy(policy)
    model = keras.Sequential(
        [keras.Input((6,)), layers.Dense(32, activation="relu"), layers.Dense(1)]
    )
    keras.mixed_precision.set_global_policy("float32")
    return model


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: fit raises by design")
@pytest.mark.parametrize("policy", MIXED)
def test_mixed_mlp_trains_with_float32_variables(policy):
    x, y = _regression_data()
    model = _mlp(policy)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    uses_scaling = isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    assert uses_scaling == (policy == "mixed_float16")  # as Keras 3: float16 only
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, batch_size=32, epochs=25, verbose=0, shuffle=False)
    losses = history.history["loss"]
    assert all(np.isfinite(losses))
    assert losses[-1] < before / 5, (before, losses)
    assert {dtype_of(v.value) for v in model.weights} == {"float32"}
    assert dtype_of(model(x[:4])) == COMPUTE[policy]
    assert int(ops.convert_to_numpy(model.optimizer.iterations)) == 25 * 8
    if uses_scaling:
        # The scale started at 2**15 and only ever halves (non-finite steps) or doubles.
        scale = float(ops.convert_to_numpy(model.optimizer.dynamic_scale))
        assert np.log2(scale) == int(np.log2(scale))
        assert int(ops.convert_to_numpy(model.optimizer.step_counter)) > 0


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: fit raises by design")
@pytest.mark.parametrize("policy", MIXED)
def test_compiled_step_reads_cast_weights_and_updates_float32_ones(policy):
    """Inside the backend's compiled train step (jitted on JAX, a tf.function on TF) the
    weights read in the compute dtype, and the gradients reach the float32 variables."""
    layer = ReadsWeights(dtype=policy)
    model = keras.Sequential([keras.Input((6,)), layer, layers.Dense(1, dtype=policy)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    x, y = _regression_data(n=64)
    layer.seen = None  # set by the symbolic call that built the model
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    compute = COMPUTE[policy]
    assert layer.seen == (compute, "float32", "int32", compute)
    assert dtype_of(layer.w.value) == "float32"
    assert not np.allclose(layer.w.numpy(), 1.0)  # trained


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: fit raises by design")
@pytest.mark.parametrize("accumulate", [None, 2], ids=["plain", "accumulating"])
def test_compiled_step_skips_non_finite_update(accumulate):
    """In the backend's train step (jitted on JAX, a tf.function on TF), a batch whose
    gradients are not finite leaves the weights and every optimizer slot and counter as
    they were and halves the loss scale; the finite steps around it update as usual."""
    x, y = _regression_data(n=16)
    model = _mlp("mixed_float16")
    inner = keras.optimizers.Adam(0.01, gradient_accumulation_steps=accumulate)
    model.compile(
        optimizer=keras.optimizers.LossScaleOptimizer(inner, initial_scale=8.0), loss="mse"
    )
    optimizer = model.optimizer

    def state():
        return [np.array(ops.convert_to_numpy(v.value)) for v in model.weights + inner.variables]

    for _ in range(2):  # the slots hold non-zero values
        model.train_on_batch(x, y)
    assert float(ops.convert_to_numpy(optimizer.dynamic_scale)) == 8.0
    before = state()
    bad = x.copy()
    bad[3, 1] = np.nan
    model.train_on_batch(bad, y)
    for name, old, new in zip([v.path for v in model.weights + inner.variables], before, state()):
        np.testing.assert_array_equal(new, old, err_msg=name)
    assert float(ops.convert_to_numpy(optimizer.dynamic_scale)) == 4.0
    assert int(ops.convert_to_numpy(optimizer.step_counter)) == 0
    model.train_on_batch(x, y)  # applied: an update, or (accumulating) a sum only
    assert int(ops.convert_to_numpy(optimizer.step_counter)) == 1
    paths = [v.path for v in model.weights + inner.variables]
    changed = {p for p, old, new in zip(paths, before, state()) if not np.array_equal(old, new)}
    if accumulate:
        expected = {p for p in paths if p.endswith(("iteration", "_accumulator"))}
    else:
        expected = {p for p in paths if not p.endswith("learning_rate")}
    assert changed == expected


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: fit raises by design")
def test_compile_wraps_only_mixed_float16():
    assert not isinstance(_compiled("float32").optimizer, keras.optimizers.LossScaleOptimizer)
    model = _mlp("mixed_float16")
    model.compile(optimizer="sgd", loss="mse", auto_scale_loss=False)
    assert not isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    inner = keras.optimizers.SGD()
    wrapped = keras.optimizers.LossScaleOptimizer(inner)
    model.compile(optimizer=wrapped, loss="mse")
    assert model.optimizer is wrapped


def _compiled(policy):
    model = _mlp(policy)
    model.compile(optimizer="sgd", loss="mse")
    return model


# --- saving --------------------------------------------------------------------------------


def test_save_load_keeps_policy(tmp_path):
    model = _mlp("mixed_float16")
    x, _ = _regression_data(n=8)
    expected = as_float32(model(x))
    path = tmp_path / "mixed.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert [layer.dtype_policy.name for layer in loaded.layers] == ["mixed_float16"] * 2
    out = loaded(x)
    assert dtype_of(out) == "float16"
    np.testing.assert_array_equal(as_float32(out), expected)
    assert {dtype_of(v.value) for v in loaded.weights} == {"float32"}


def test_layer_normalization_normalizes_float32_inputs_in_float32():
    """As Keras 3, LayerNormalization does not cast its input: offsets float16 cannot
    represent around 1000 still normalize."""
    layer = layers.LayerNormalization(dtype="mixed_float16")
    x = np.array([[1000.1, 1000.2, 1000.3, 1000.4]], "float32")
    out = layer(x)
    assert dtype_of(out) == "float16"
    expected = (x - x.mean()) / np.sqrt(x.var() + 1e-3)
    np.testing.assert_allclose(as_float32(out), expected, rtol=2e-2, atol=2e-2)
