"""Top-level names of Keras 3 besides layers/models: `StatelessScope`, `SymbolicScope`,
`name_scope`, `device`, `remat`/`RematScope`, `Function`, the base classes and `version()`."""

import numpy as np
import pytest

import unikeras as keras
from unikeras import ops
from unikeras.backend import table
from unikeras.backend.stateless_scope import get_stateless_scope, in_stateless_scope
from unikeras.backend.symbolic_scope import in_symbolic_scope

BACKEND = keras.backend.backend()
TRAINING = table.backend_info()["training"]


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_top_level_names():
    for name in [
        "Loss",
        "Metric",
        "Optimizer",
        "Initializer",
        "Regularizer",
        "Quantizer",
        "DTypePolicy",
        "FloatDTypePolicy",
        "Function",
        "name_scope",
        "device",
        "StatelessScope",
        "SymbolicScope",
        "RematScope",
        "remat",
        "version",
    ]:
        assert hasattr(keras, name), name
    assert keras.Loss is keras.losses.Loss and keras.Metric is keras.metrics.Metric
    assert keras.Optimizer is keras.optimizers.Optimizer
    assert keras.Initializer is keras.initializers.Initializer
    assert keras.Regularizer is keras.regularizers.Regularizer
    assert isinstance(keras.optimizers.Adam(), keras.Optimizer)
    assert isinstance(keras.version(), str) and keras.version() == keras.__version__


def test_quantizer_base_config_roundtrip():
    quantizer = keras.Quantizer()
    assert quantizer.output_dtype == "int8"
    x = np.arange(3.0)
    np.testing.assert_array_equal(quantizer(x), x)
    clone = keras.Quantizer.from_config(keras.Quantizer(output_dtype="int4").get_config())
    assert clone.output_dtype == "int4"


def test_stateless_scope_maps_reads_and_captures_assigns():
    v = keras.Variable(np.ones((2, 3), "float32"))
    mapped = np.full((2, 3), 5.0, "float32")
    with keras.StatelessScope(state_mapping=[(v, mapped)]) as scope:
        assert in_stateless_scope() and get_stateless_scope() is scope
        np.testing.assert_array_equal(_np(v.value), mapped)
        np.testing.assert_array_equal(_np(v + 1.0), mapped + 1)
        v.assign(v * 2.0)
        v.assign_add(np.ones((2, 3), "float32"))
        np.testing.assert_array_equal(_np(v.value), mapped * 2 + 1)
    assert not in_stateless_scope()
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 3)))
    np.testing.assert_array_equal(_np(scope.get_current_value(v)), mapped * 2 + 1)
    other = keras.Variable(np.zeros(2, "float32"))
    assert scope.get_current_value(other) is None


def test_stateless_scope_mapping_takes_variables_and_casts():
    v = keras.Variable(np.zeros(3, "float32"))
    source = keras.Variable(np.arange(3, dtype="int32"))
    with keras.StatelessScope(
        [
            (v, source),
        ]
    ):
        value = v.value
        assert keras.backend.standardize_dtype(value.dtype) == "float32"
        np.testing.assert_array_equal(_np(value), [0.0, 1.0, 2.0])


def test_stateless_scope_validates_mapping():
    v = keras.Variable(np.zeros((2,), "float32"))
    with pytest.raises(ValueError, match="Variable instances"):
        keras.StatelessScope([(np.zeros(2), np.zeros(2))])
    with pytest.raises(ValueError, match="shape"):
        keras.StatelessScope([(v, np.zeros((3,), "float32"))])


def test_variables_created_inside_are_initialized_on_exit():
    with keras.StatelessScope():
        v = keras.Variable(keras.initializers.Constant(3.0), shape=(2, 2))
        assert v.shape == (2, 2)
        np.testing.assert_array_equal(_np(v.value), np.full((2, 2), 3.0))  # a stand-in
        with pytest.raises(ValueError, match="stateless scope"):
            keras.Variable(np.zeros(2, "float32"))
    np.testing.assert_array_equal(v.numpy(), np.full((2, 2), 3.0))
    v.assign(np.ones((2, 2), "float32"))
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 2)))


def test_nested_scopes_initialize_when_the_outermost_exits():
    outer_v = keras.Variable(np.zeros(2, "float32"))
    with keras.StatelessScope([(outer_v, np.full(2, 4.0, "float32"))]):
        with keras.StatelessScope() as inner:
            w = keras.Variable(keras.initializers.Ones(), shape=(2,))
            np.testing.assert_array_equal(_np(outer_v.value), np.zeros(2))  # inner mapping
            outer_v.assign(np.full(2, 9.0, "float32"))
        assert w._deferred_initializer is not None  # still declared only
        np.testing.assert_array_equal(_np(outer_v.value), np.full(2, 4.0))
        np.testing.assert_array_equal(_np(inner.get_current_value(outer_v)), np.full(2, 9.0))
    assert w._deferred_initializer is None
    np.testing.assert_array_equal(w.numpy(), np.ones(2))
    np.testing.assert_array_equal(outer_v.numpy(), np.zeros(2))


def test_layer_forward_with_mapped_weights_and_metric_updates():
    layer = keras.layers.Dense(2)
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    layer.build((None, 3))
    kernel = np.arange(6, dtype="float32").reshape(3, 2)
    bias = np.array([1.0, -1.0], "float32")
    with keras.StatelessScope([(layer.kernel, kernel), (layer.bias, bias)]):
        out = _np(layer(x))
    np.testing.assert_allclose(out, x @ kernel + bias, rtol=1e-5, atol=1e-5)
    assert not np.array_equal(layer.kernel.numpy(), kernel)

    metric = keras.metrics.Mean()
    with keras.StatelessScope() as scope:
        metric.update_state(np.array([1.0, 2.0, 6.0], "float32"))
        assert float(_np(metric.result())) == pytest.approx(3.0)
    assert float(_np(metric.result())) == 0.0
    updated = [scope.get_current_value(v) for v in metric.variables]
    assert all(u is not None for u in updated)


def test_collect_losses():
    class WithLoss(keras.layers.Layer):
        def call(self, x):
            self.add_loss(ops.sum(x))
            return x

    layer = WithLoss()
    x = np.ones((2, 2), "float32")
    with keras.StatelessScope(collect_losses=True) as scope:
        layer(x)
    assert len(scope.losses) == 1 and float(_np(scope.losses[0])) == 4.0
    assert layer.losses == []
    with keras.StatelessScope() as scope:
        layer(x)
    assert scope.losses == [] and layer.losses == []
    layer(x)
    assert len(layer.losses) == 1


def test_symbolic_scope():
    assert not in_symbolic_scope()
    with keras.SymbolicScope() as outer:
        assert in_symbolic_scope()
        with keras.SymbolicScope():
            assert in_symbolic_scope()
        assert in_symbolic_scope()
    assert not in_symbolic_scope() and isinstance(outer, keras.SymbolicScope)


def test_name_scope_paths():
    with keras.name_scope("block"):
        v = keras.Variable(np.zeros(2, "float32"), name="w")
        with keras.name_scope("inner"):
            u = keras.Variable(np.zeros(2, "float32"), name="u")
        with keras.name_scope("block"):  # deduplicated
            d = keras.Variable(np.zeros(2, "float32"), name="d")
        with keras.name_scope("block", deduplicate=False):
            e = keras.Variable(np.zeros(2, "float32"), name="e")
        with keras.name_scope("x", override_parent="model/head"):
            o = keras.Variable(np.zeros(2, "float32"), name="o")
    assert (v.path, u.path, d.path, e.path, o.path) == (
        "block/w",
        "block/inner/u",
        "block/d",
        "block/block/e",
        "model/head/x/o",
    )
    with pytest.raises(ValueError):
        keras.name_scope("a/b")


def test_device_scope_places_on_cpu():
    with keras.device("cpu"):
        x = ops.ones((2, 2))
    np.testing.assert_array_equal(_np(x), np.ones((2, 2)))
    with keras.device("cpu:0"):
        pass
    with pytest.raises(ValueError):
        with keras.device(3):
            pass


def test_remat_keeps_values_and_gradients():
    def f(x):
        return ops.sin(x) * x

    x = np.linspace(-1, 1, 5).astype("float32")
    if not TRAINING:
        with pytest.warns(UserWarning, match="Rematerialization"):
            g = keras.remat(f)
        np.testing.assert_allclose(_np(g(x)), np.sin(x) * x, rtol=1e-6)
        return
    g = keras.remat(f)
    np.testing.assert_allclose(_np(g(ops.convert_to_tensor(x))), np.sin(x) * x, rtol=1e-6)
    expected = np.cos(x) * x + np.sin(x)
    if BACKEND == "jax":
        import jax

        grad = jax.grad(lambda t: g(t).sum())(x)
    elif BACKEND == "torch":
        import torch

        t = torch.tensor(x, requires_grad=True)
        g(t).sum().backward()
        grad = t.grad.numpy()
    elif BACKEND == "tensorflow":
        import tensorflow as tf

        t = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.reduce_sum(g(t))
        grad = tape.gradient(y, t).numpy()
    else:
        pytest.skip(f"no gradient API known for backend {BACKEND}")
    np.testing.assert_allclose(np.asarray(grad), expected, rtol=1e-5, atol=1e-6)


def test_remat_scope():
    from unikeras.backend.device import get_current_remat_mode

    assert get_current_remat_mode() is None
    with keras.RematScope(mode="larger_than", output_size_threshold=10):
        mode = get_current_remat_mode()
        assert (mode.mode, mode.output_size_threshold, mode.layer_names) == ("larger_than", 10, [])
        with keras.RematScope(mode="list_of_layers", layer_names=["dense_1"]):
            assert get_current_remat_mode().layer_names == ["dense_1"]
        assert get_current_remat_mode().mode == "larger_than"
    assert get_current_remat_mode() is None
    with pytest.raises(ValueError, match="Invalid mode"):
        keras.RematScope(mode="everything")


def test_function_runs_the_graph():
    a = keras.KerasTensor(shape=(None, 2, 3))
    b = keras.KerasTensor(shape=(None, 2, 3))
    out = ops.sigmoid(a + b)
    fn = keras.Function(inputs=[a, b], outputs={"s": out, "d": a - b})
    assert fn.inputs == [a, b] and len(fn.operations) >= 2
    rng = np.random.default_rng(1)
    x1, x2 = rng.random((4, 2, 3)).astype("float32"), rng.random((4, 2, 3)).astype("float32")
    result = fn([x1, x2])
    np.testing.assert_allclose(_np(result["s"]), 1 / (1 + np.exp(-(x1 + x2))), rtol=1e-5)
    np.testing.assert_allclose(_np(result["d"]), x1 - x2, rtol=1e-6)
    spec = fn([keras.KerasTensor((7, 2, 3)), keras.KerasTensor((7, 2, 3))])
    assert tuple(spec["s"].shape) == (7, 2, 3)
    with pytest.raises(ValueError, match="input"):
        fn([x1])
    with pytest.raises(ValueError, match="cannot be empty"):
        keras.Function([], out)


def test_function_over_layers():
    inputs = keras.Input((4,))
    dense = keras.layers.Dense(3)
    outputs = ops.relu(dense(inputs))
    fn = keras.Function(inputs, outputs, name="fn")
    x = np.random.default_rng(2).normal(size=(5, 4)).astype("float32")
    expected = np.maximum(x @ dense.kernel.numpy() + dense.bias.numpy(), 0)
    np.testing.assert_allclose(_np(fn(x)), expected, rtol=1e-5, atol=1e-6)
    assert fn.name == "fn"


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: no gradients to rematerialize")
@pytest.mark.parametrize(
    "mode, kwargs, wrapped",
    [
        ("full", {}, "call"),
        ("activations", {}, "activation"),
        ("larger_than", {"output_size_threshold": 40}, "call"),  # dense (8 per row), not dense_1
        ("list_of_layers", {"layer_names": ["dense_1"]}, "call"),
        (None, {}, None),
    ],
)
def test_layers_created_in_remat_scope_train_the_same(monkeypatch, mode, kwargs, wrapped):
    from unikeras.backend import device

    calls = []
    real_remat = device.remat

    def counting_remat(f):
        calls.append(f)
        return real_remat(f)

    monkeypatch.setattr(device, "remat", counting_remat)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.normal(size=(16, 1)).astype("float32")

    def make():
        return keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(8, activation="tanh", name="dense"),
                keras.layers.Dense(1, name="dense_1"),
            ]
        )

    reference = make()
    with keras.RematScope(mode=mode, **kwargs):
        model = make()
    model.set_weights(reference.get_weights())
    assert model.layers[0]._remat_mode.mode == mode
    for m in (model, reference):
        # TensorFlow: eagerly. Inside a tf.function, tf.recompute_grad's backward re-reads a
        # layer's variables with no ordering against the optimizer's update of the same
        # variables, so a traced step could see updated weights (seen as a rare flake here).
        m.compile(
            optimizer=keras.optimizers.SGD(0.1), loss="mse", run_eagerly=BACKEND == "tensorflow"
        )
        m.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert bool(calls) == (wrapped is not None)
    activations = {keras.activations.get("tanh"), keras.activations.get("linear")}
    for fn in calls:
        if wrapped == "activation":
            assert fn in activations
        else:
            assert getattr(fn, "__name__", "") == "call"  # a layer's call


def test_quantizer_deserializes_by_name():
    config = keras.saving.serialize_keras_object(keras.Quantizer(output_dtype="int4"))
    assert config["class_name"] == "Quantizer"
    restored = keras.saving.deserialize_keras_object(config)
    assert type(restored) is keras.Quantizer and restored.output_dtype == "int4"
