"""Symbolic shape inference is stateless and cheap on every backend (issue 15).

Building a model from KerasTensors runs the layers' `call` on the engine's stand-ins (JAX
tracers under `jax.eval_shape`, torch meta tensors, TensorFlow graph tensors) inside a
`StatelessScope`: variables created there get real values afterwards, `assign` is captured
and not applied, and no real data is computed on. A layer's own `build()` marks it built
however it is called, and `model.build(shape)` on a subclassed model creates its weights.
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops
from unikeras.backend import table

TRAINING = table.backend_info()["training"]
needs_training = pytest.mark.skipif(
    not TRAINING, reason="inference-only backend: fit raises by design"
)
BACKEND = keras.backend.backend()


def _data(n=16, features=4, outputs=1, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((n, features)).astype("float32"), rng.random((n, outputs)).astype("float32"))


def _is_concrete(x):
    """Whether `x` holds real values (not a tracer, meta tensor or graph tensor)."""
    try:
        table.convert_to_numpy(x)
    except Exception:  # noqa: BLE001 - each engine raises its own error for stand-ins
        return False
    return True


class TwoDense(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(8, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


class LazyInner(layers.Layer):
    """Builds an inner Dense the first time `call` runs (as many user layers do)."""

    def call(self, x):
        if not hasattr(self, "inner"):
            self.inner = layers.Dense(3)
        return self.inner(x)


class Counter(layers.Layer):
    """Counts its calls in a non-trainable variable."""

    def build(self, input_shape):
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")

    def call(self, x):
        self.count.assign(self.count + 1.0)
        return x


class Recorder(layers.Layer):
    """Records whether each input it sees holds real values."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 2), initializer="ones", name="kernel")

    def call(self, x):
        self.seen.append(_is_concrete(x))
        return ops.matmul(x, self.kernel)


@needs_training
def test_subclassed_model_fits_without_being_called_first():
    x, y = _data()
    model = TwoDense()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.isfinite(history.history["loss"]).all()
    # The weights are real, finite arrays (no tracer or meta tensor kept).
    for w in model.weights:
        assert np.isfinite(ops.convert_to_numpy(w.value)).all()
    expected = np.maximum(x @ model.hidden.kernel.numpy() + model.hidden.bias.numpy(), 0)
    expected = expected @ model.out.kernel.numpy() + model.out.bias.numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)


@needs_training
def test_functional_model_whose_layer_builds_an_inner_dense_in_call_fits():
    x, _ = _data()
    y = np.random.default_rng(1).random((16, 3)).astype("float32")
    inputs = keras.Input((4,))
    lazy = LazyInner()
    model = keras.Model(inputs, lazy(inputs))
    assert lazy.inner.built and len(model.weights) == 2
    kernel = lazy.inner.kernel.numpy()
    assert np.isfinite(kernel).all() and np.abs(kernel).sum() > 0  # glorot, not zeros
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    np.testing.assert_allclose(
        model.predict(x, verbose=0),
        x @ lazy.inner.kernel.numpy() + lazy.inner.bias.numpy(),
        rtol=1e-5,
        atol=1e-5,
    )


def test_functional_model_with_lazy_inner_layer_predicts_with_its_weights():
    x, _ = _data()
    inputs = keras.Input((4,))
    lazy = LazyInner()
    model = keras.Model(inputs, lazy(inputs))
    np.testing.assert_allclose(
        model.predict(x, verbose=0),
        x @ lazy.inner.kernel.numpy() + lazy.inner.bias.numpy(),
        rtol=1e-5,
        atol=1e-5,
    )


def test_assign_during_symbolic_inference_is_captured_not_applied():
    counter = Counter()
    inputs = keras.Input((4,))
    outputs = counter(inputs)
    assert counter.count.numpy() == 0.0
    assert _is_concrete(counter.count.value)
    model = keras.Model(inputs, outputs)
    assert counter.count.numpy() == 0.0
    x, _ = _data(n=3)
    np.testing.assert_allclose(ops.convert_to_numpy(model(x)), x)
    assert counter.count.numpy() == 1.0  # a real call assigns


@pytest.mark.skipif(
    BACKEND == "numpy",
    reason="the NumPy reference backend has no symbolic "
    "engine: like Keras' numpy backend it infers shapes by running on zeros",
)
def test_symbolic_inference_runs_on_no_real_data():
    recorder = Recorder()
    inputs = keras.Input((None, 4))
    outputs = recorder(inputs)
    assert outputs.shape == (None, None, 2)
    assert recorder.seen and not any(recorder.seen)
    x = np.random.default_rng(2).random((2, 3, 4)).astype("float32")
    np.testing.assert_allclose(ops.convert_to_numpy(recorder(x)), x @ np.ones((4, 2)), rtol=1e-5)
    assert recorder.seen[-1]


def test_symbolic_inference_of_a_subclassed_model_leaves_real_weights():
    model = TwoDense()
    out = model(keras.Input((4,)))
    assert out.shape == (None, 1)
    assert len(model.weights) == 4
    for w in model.weights:
        assert _is_concrete(w.value)
    bias = model.hidden.bias.numpy()
    np.testing.assert_array_equal(bias, np.zeros(8, "float32"))
    assert np.abs(model.hidden.kernel.numpy()).sum() > 0


def test_layer_creating_a_seed_generator_during_inference():
    class NoisyLazy(layers.Layer):
        def call(self, x):
            if not hasattr(self, "gen"):
                self.gen = keras.random.SeedGenerator(3)
            return x + keras.random.normal(ops.shape(x), seed=self.gen)

    layer = NoisyLazy()
    out = layer(keras.Input((5,)))
    assert out.shape == (None, 5)
    state = layer.gen.state.numpy()
    np.testing.assert_array_equal(state, np.array([3, 0], "uint32"))  # not advanced


def test_model_build_creates_the_weights_of_a_subclassed_model():
    model = TwoDense()
    model.build((None, 4))
    assert model.built
    assert [tuple(w.shape) for w in model.weights] == [(4, 8), (8,), (8, 1), (1,)]
    for w in model.weights:
        assert _is_concrete(w.value)
    x, _ = _data(n=5)
    expected = np.maximum(x @ model.hidden.kernel.numpy() + model.hidden.bias.numpy(), 0)
    expected = expected @ model.out.kernel.numpy() + model.out.bias.numpy()
    np.testing.assert_allclose(ops.convert_to_numpy(model(x)), expected, rtol=1e-5, atol=1e-5)


class Scale(layers.Layer):
    def build(self, input_shape):
        self.builds = getattr(self, "builds", 0) + 1
        self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="ones", name="w")

    def call(self, x):
        return ops.matmul(x, self.w)


def test_build_called_directly_marks_the_layer_built():
    layer = Scale()
    layer.build((None, 4))
    assert layer.built
    assert layer.get_build_config() == {"input_shape": (None, 4)}
    assert layer.w.path == f"{layer.name}/w"
    layer.w.assign(np.full((4, 2), 3.0, "float32"))
    x = np.random.default_rng(3).random((2, 4)).astype("float32")
    out = ops.convert_to_numpy(layer(x))
    assert layer.builds == 1  # the call did not build again
    np.testing.assert_allclose(out, x @ np.full((4, 2), 3.0), rtol=1e-5)


def test_subclass_build_calling_super_build_is_wrapped_once():
    class Child(Scale):
        def build(self, input_shape):
            super().build(input_shape)
            self.b = self.add_weight(shape=(2,), initializer="zeros", name="b")

    layer = Child()
    layer.build((None, 3))
    assert layer.built and layer.builds == 1
    assert [w.path for w in layer.weights] == [f"{layer.name}/w", f"{layer.name}/b"]
    layer(np.ones((1, 3), "float32"))
    assert layer.builds == 1


def test_initial_weights_are_set_when_build_is_called_directly():
    kernel = np.arange(6, dtype="float32").reshape(3, 2)
    bias = np.array([1.0, -1.0], "float32")
    layer = layers.Dense(2, weights=[kernel, bias])
    layer.build((None, 3))
    np.testing.assert_array_equal(layer.kernel.numpy(), kernel)
    np.testing.assert_array_equal(layer.bias.numpy(), bias)


def test_transformer_functional_model_builds_on_stand_ins():
    """Two transformer blocks: every layer's symbolic call sees engine stand-ins only."""
    recorders = []

    def block(x):
        attention = layers.MultiHeadAttention(4, 16)(x, x)
        x = layers.LayerNormalization()(x + attention)
        hidden = layers.Dense(128, activation="relu")(x)
        recorders.append(Recorder())
        hidden = recorders[-1](hidden)
        return layers.LayerNormalization()(x + layers.Dense(64)(hidden))

    inputs = keras.Input((None,), dtype="int32")
    x = block(block(layers.Embedding(100, 64)(inputs)))
    model = keras.Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling1D()(x)))
    assert model.output.shape == (None, 2)
    if BACKEND != "numpy":  # the reference backend infers shapes by running on zeros
        assert all(r.seen and not any(r.seen) for r in recorders)
    for w in model.weights:
        assert _is_concrete(w.value)
    tokens = np.random.default_rng(4).integers(0, 100, (2, 6))
    assert model.predict(tokens, verbose=0).shape == (2, 2)
