"""`jit_compile=True` on the PyTorch backend: the whole train step under `torch.compile`, with no
graph break, no recompilation after the first trace and no warning; skipped elsewhere."""

import warnings

import numpy as np
import pytest

import unikeras
from unikeras import layers
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    registry.backend() != "torch",
    reason="torch.compile needs UNIKERAS_BACKEND=torch (unikeras-torch installed)",
)

if registry.backend() == "torch":
    import torch
    from torch._dynamo.utils import counters


def _data(n=64):
    rng = np.random.default_rng(0)
    return rng.random((n, 8), dtype=np.float32), rng.integers(0, 3, n).astype("int32")


def _mlp(jit_compile, weights=None):
    model = unikeras.Sequential(
        [unikeras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(3)]
    )
    if weights is not None:
        model.set_weights(weights)
    model.compile(
        optimizer=unikeras.optimizers.Adam(0.01),
        loss=unikeras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        jit_compile=jit_compile,
    )
    return model


@pytest.fixture
def compiler():
    """A fresh Dynamo state; skips where torch.compile cannot run (no C++ compiler)."""
    from unikeras_torch import trainer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not trainer._compile_works():
            pytest.skip("torch.compile is unavailable on this machine")
    torch._dynamo.reset()
    counters.clear()
    yield
    torch._dynamo.reset()


def test_compiled_train_step_has_no_graph_break_no_warning_and_matches_eager(compiler):
    x, y = _data()
    unikeras.utils.set_random_seed(1)
    eager = _mlp(False)
    compiled = _mlp(True, eager.get_weights())
    assert compiled.jit_compile is True and eager.jit_compile is False

    history_eager = eager.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = compiled.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert [str(w.message) for w in caught] == []
    assert dict(counters["graph_break"]) == {}
    # The train step was compiled once (one graph), and not traced again on later batches.
    assert counters["stats"]["unique_graphs"] == 1
    assert counters["frames"]["ok"] == 1

    np.testing.assert_allclose(history.history["loss"], history_eager.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(history.history["accuracy"], history_eager.history["accuracy"])
    for got, want in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(
        unikeras.ops.convert_to_numpy(compiled.optimizer.iterations),
        unikeras.ops.convert_to_numpy(eager.optimizer.iterations),
    )


def test_auto_and_run_eagerly_stay_eager(compiler):
    x, y = _data(32)
    for kwargs in ({}, {"jit_compile": "auto"}, {"jit_compile": False}):
        model = _mlp(**{"jit_compile": "auto", **kwargs})
        assert model.jit_compile is False
    model = unikeras.Sequential([unikeras.Input((8,)), layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse", jit_compile=True, run_eagerly=True)
    assert model.jit_compile is False
    model.fit(x, np.zeros((32, 3), "float32"), verbose=0)
    model = _mlp("auto")
    model.fit(x, y, batch_size=16, verbose=0)
    assert counters["frames"]["total"] == 0  # nothing went through torch.compile


def _cnn(jit_compile, weights=None):
    """A small CNN classifier: Conv2D, MaxPooling2D, Flatten, Dense."""
    model = unikeras.Sequential(
        [
            unikeras.Input((6, 6, 1)),
            layers.Conv2D(4, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(3),
        ]
    )
    if weights is not None:
        model.set_weights(weights)
    model.compile(
        optimizer=unikeras.optimizers.Adam(0.01),
        loss=unikeras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile,
    )
    return model


def test_compiled_cnn_train_step_has_no_graph_break(compiler, monkeypatch):
    """Dynamo captures the whole train step of a CNN without a graph break. Dynamo's `eager`
    backend runs the captured graph as it is (no Inductor code generation, which takes
    minutes on a small machine); the graph breaks are Dynamo's, whatever the backend."""
    import functools

    monkeypatch.setattr(torch, "compile", functools.partial(torch.compile, backend="eager"))
    rng = np.random.default_rng(2)
    x = rng.random((32, 6, 6, 1), dtype=np.float32)
    y = rng.integers(0, 3, 32).astype("int32")
    unikeras.utils.set_random_seed(3)
    eager = _cnn(False)
    compiled = _cnn(True, eager.get_weights())
    history_eager = eager.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = compiled.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert [str(w.message) for w in caught] == []
    assert dict(counters["graph_break"]) == {}
    assert counters["frames"]["ok"] >= 1
    np.testing.assert_allclose(history.history["loss"], history_eager.history["loss"], rtol=1e-5)
    for got, want in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


RECURRENT = {"LSTM": layers.LSTM, "GRU": layers.GRU, "SimpleRNN": layers.SimpleRNN}


@pytest.mark.parametrize("name", list(RECURRENT))
def test_compiled_recurrent_train_step_has_no_graph_break(compiler, monkeypatch, name):
    """The train step of an LSTM, GRU or SimpleRNN model is one Dynamo graph (the recurrence
    unrolled over the time steps; `x + self.bias` on a Variable is traced, not a break) and
    trains as the eager step does (torch's fused kernel there, the generic loop here).
    Dynamo's `eager` backend, as for the CNN above."""
    import functools

    monkeypatch.setattr(torch, "compile", functools.partial(torch.compile, backend="eager"))
    rng = np.random.default_rng(4)
    x = rng.random((16, 4, 3), dtype=np.float32)
    y = rng.random((16, 2), dtype=np.float32)

    def model(jit_compile, weights=None):
        m = unikeras.Sequential([unikeras.Input((4, 3)), RECURRENT[name](4), layers.Dense(2)])
        if weights is not None:
            m.set_weights(weights)
        m.compile(optimizer=unikeras.optimizers.Adam(0.01), loss="mse", jit_compile=jit_compile)
        return m

    unikeras.utils.set_random_seed(5)
    eager = model(False)
    compiled = model(True, eager.get_weights())
    history_eager = eager.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = compiled.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert [str(w.message) for w in caught] == []
    assert dict(counters["graph_break"]) == {}
    assert counters["stats"]["unique_graphs"] == 1
    assert counters["frames"]["ok"] == 1
    np.testing.assert_allclose(history.history["loss"], history_eager.history["loss"], rtol=1e-4)
    for got, want in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


class _Affine(layers.Layer):
    """`matmul + self.b` with the bias a Variable on the right of a torch tensor."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="ones")
        self.b = self.add_weight(shape=(2,), initializer="ones")

    def call(self, x):
        return unikeras.ops.matmul(x, self.w) + self.b


def test_torch_functions_take_variables_as_their_values():
    """A torch function given a Variable computes on its value (as Keras 3's torch
    Variable), in the compute dtype inside a mixed-precision layer."""
    variable = unikeras.Variable(np.array([1.0, 2.0], "float32"))
    tensor = torch.tensor([3.0, 4.0])
    np.testing.assert_array_equal((tensor + variable).detach().numpy(), [4.0, 6.0])
    assert float(torch.dot(tensor, variable).detach()) == 11.0
    stacked = torch.stack([tensor, variable]).detach().numpy()
    np.testing.assert_array_equal(stacked, [[3, 4], [1, 2]])
    layer = _Affine(dtype="mixed_float16")
    out = layer(np.ones((1, 3), "float32"))
    assert out.dtype == torch.float16
    np.testing.assert_array_equal(out.detach().numpy(), [[4.0, 4.0]])
    assert layer.b.value.dtype == torch.float32
