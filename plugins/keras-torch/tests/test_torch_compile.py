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


def _eager_dynamo(monkeypatch):
    """`torch.compile` with Dynamo's `eager` backend (the graph as captured, no Inductor
    code generation), as the CNN and recurrent tests above."""
    import functools

    monkeypatch.setattr(torch, "compile", functools.partial(torch.compile, backend="eager"))


def _draws(gen):
    """One of each traceable random draw, from the SeedGenerator `gen`."""
    ones = torch.ones(4096)
    return {
        "dropout": unikeras.random.dropout(ones, 0.5, seed=gen),
        "uniform": unikeras.random.uniform((4096,), minval=-1.0, maxval=3.0, seed=gen),
        "normal": unikeras.random.normal((4096,), mean=1.0, stddev=2.0, seed=gen),
        "truncated": unikeras.random.truncated_normal((4096,), stddev=0.5, seed=gen),
        "randint": unikeras.random.randint((4096,), 2, 7, seed=gen),
        "shuffle": unikeras.random.shuffle(torch.arange(64), seed=gen),
        "categorical": unikeras.random.categorical(
            torch.log(torch.tensor([[0.2, 0.8]])), 4096, seed=gen
        ),
        "uniform64": unikeras.random.uniform((4096,), dtype="float64", seed=gen),
    }


def test_compiled_random_draws_have_no_graph_break_and_advance(compiler, monkeypatch):
    """Random draws under `torch.compile`: no graph break, new numbers at every call of the
    compiled function (the SeedGenerator state advances inside the graph), the same numbers
    for the same seed, and the distributions each draw promises."""
    _eager_dynamo(monkeypatch)
    _draws(unikeras.random.SeedGenerator(0))  # eagerly first: fills the promotion caches
    draw = torch.compile(_draws)
    gen = unikeras.random.SeedGenerator(7)
    first, second = draw(gen), draw(gen)
    assert dict(counters["graph_break"]) == {}
    assert counters["stats"]["unique_graphs"] == 1
    state = unikeras.ops.convert_to_numpy(gen.state.value)
    np.testing.assert_array_equal(state, [7, 2 * len(first)])  # one step per draw
    again = draw(unikeras.random.SeedGenerator(7))  # same seed: same numbers
    for name in first:
        a, b = first[name].numpy(), second[name].numpy()
        assert not np.array_equal(a, b), name
        np.testing.assert_array_equal(again[name].numpy(), a)

    for out in (first, second):
        kept = out["dropout"].numpy()
        assert set(np.unique(kept)) == {0.0, 2.0}
        assert abs((kept > 0).mean() - 0.5) < 0.04
        u = out["uniform"].numpy()
        assert u.dtype == np.float32 and u.min() >= -1.0 and u.max() < 3.0
        assert abs(u.mean() - 1.0) < 0.08 and abs(u.std() - 4 / np.sqrt(12)) < 0.05
        u64 = out["uniform64"].numpy()
        assert u64.dtype == np.float64 and 0.0 <= u64.min() and u64.max() < 1.0
        # 53 random bits: the low float32 rounding of the values is not all zeros
        assert np.any(u64 != u64.astype(np.float32).astype(np.float64))
        n = out["normal"].numpy()
        assert abs(n.mean() - 1.0) < 0.1 and abs(n.std() - 2.0) < 0.1
        t = out["truncated"].numpy()
        assert np.abs(t).max() <= 1.0 and abs(t.std() - 0.5 * 0.8796) < 0.03
        r = out["randint"].numpy()
        assert r.dtype == np.int32 and set(np.unique(r)) == {2, 3, 4, 5, 6}
        assert np.bincount(r)[2:].min() > 4096 / 5 * 0.85
        np.testing.assert_array_equal(np.sort(out["shuffle"].numpy()), np.arange(64))
        c = out["categorical"].numpy()
        assert c.shape == (1, 4096) and abs(c.mean() - 0.8) < 0.03


def test_random_bits_are_uniform_32_bit_words():
    """The integer hash behind the compiled draws: 32-bit words, distinct, about half of the
    bits set at every bit position, and float64 uniforms exact against a NumPy
    recomputation of the same hash with unbounded Python integers."""
    from unikeras_torch import random as torch_random

    seed = torch.tensor([123456789, 4000000000], dtype=torch.uint32)
    words = torch_random._bits(seed, 1000).numpy()
    assert words.min() >= 0 and words.max() < 2**32 and len(np.unique(words)) > 990
    bits = (words[:, None] >> np.arange(32)) & 1
    assert np.all(np.abs(bits.mean(axis=0) - 0.5) < 0.07)

    def hash32(x):  # the same xor-shift-multiply rounds on Python ints
        x ^= x >> 16
        x = (x * 0x7FEB352D) % 2**32
        x ^= x >> 15
        x = (x * 0x846CA68B) % 2**32
        return x ^ (x >> 16)

    key0 = hash32(123456789 ^ 0x9E3779B9)
    key1 = hash32(4000000000 ^ key0)
    want = [hash32(hash32(i ^ key0) ^ key1) for i in range(1000)]
    np.testing.assert_array_equal(words, want)


def test_compiled_dropout_draws_a_new_mask_at_every_step(compiler, monkeypatch):
    """With a learning rate of 0 the only change between steps on one batch is the dropout
    mask: the compiled step's losses differ from step to step (a mask baked into the graph
    would repeat one loss), as the eager step's do."""
    _eager_dynamo(monkeypatch)
    x = np.random.default_rng(6).random((8, 32), dtype=np.float32)
    y = np.zeros((8, 1), "float32")
    losses = {}
    for jit_compile in (False, True):
        model = unikeras.Sequential(
            [
                unikeras.Input((32,)),
                layers.Dropout(0.5),
                layers.Dense(1, kernel_initializer="ones", use_bias=False),
            ]
        )
        model.compile(optimizer=unikeras.optimizers.SGD(0.0), loss="mse", jit_compile=jit_compile)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            losses[jit_compile] = [float(model.train_on_batch(x, y)) for _ in range(5)]
        assert [str(w.message) for w in caught] == []
        # The mean of the kept inputs scaled by 2: about the inputs' sum (16).
        assert 8 < np.mean(losses[jit_compile]) ** 0.5 < 24
    assert len(set(losses[True])) == 5 and len(set(losses[False])) == 5
    assert dict(counters["graph_break"]) == {}
    assert counters["stats"]["unique_graphs"] == 1


def test_compiled_train_step_with_dropout_layers_has_no_graph_break(compiler, monkeypatch):
    """An LSTM with input and recurrent dropout, `Dropout` and `GaussianNoise` train with
    `jit_compile=True`: one graph, no graph break, no recompilation, no warning, the
    layers' seed generators advanced once per step, and the loss falls."""
    _eager_dynamo(monkeypatch)
    rng = np.random.default_rng(8)
    x = rng.random((64, 5, 3), dtype=np.float32)
    y = x.mean(axis=(1, 2))[:, None] * 2.0
    unikeras.utils.set_random_seed(9)
    model = unikeras.Sequential(
        [
            unikeras.Input((5, 3)),
            layers.GaussianNoise(0.05),
            layers.LSTM(8, dropout=0.2, recurrent_dropout=0.2),
            layers.Dropout(0.3),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer=unikeras.optimizers.Adam(0.02), loss="mse", jit_compile=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, batch_size=16, epochs=6, verbose=0)
    assert [str(w.message) for w in caught] == []
    assert dict(counters["graph_break"]) == {}
    assert counters["stats"]["unique_graphs"] == 1
    assert counters["frames"]["ok"] == 1
    loss = history.history["loss"]
    assert loss[-1] < 0.5 * loss[0], loss
    steps = 6 * 4
    counts = {
        layer.name: int(unikeras.ops.convert_to_numpy(layer.seed_generator.state.value)[1])
        for layer in (model.layers[0], model.layers[2])
    }
    counts["lstm"] = int(
        unikeras.ops.convert_to_numpy(model.layers[1].cell.seed_generator.state.value)[1]
    )
    # One draw per step (two for the LSTM: input and recurrent masks).
    assert counts == {model.layers[0].name: steps, model.layers[2].name: steps, "lstm": 2 * steps}


def test_inductor_compiles_seeded_draws(compiler):
    """Inductor (the default `torch.compile` backend) generates code for the draws: the
    seed state's uint32 load, increment and store, an int seed's constant, and the integer
    hash give the numbers of the hash computed eagerly for the same seeds."""
    from unikeras_torch import random as torch_random

    gen = unikeras.random.SeedGenerator(11)

    def draws(x):
        return unikeras.random.dropout(x, 0.5, seed=gen), unikeras.random.uniform((64,), seed=3)

    x = torch.ones(256)
    compiled = torch.compile(draws)
    draws(x)  # eagerly first (its own generator): fills the promotion caches
    first, second = compiled(x), compiled(x)
    np.testing.assert_array_equal(unikeras.ops.convert_to_numpy(gen.state.value), [11, 3])
    for out, counter in ((first, 1), (second, 2)):
        keep = torch_random._traced_uniform((256,), torch.tensor([11, counter])) < 0.5
        np.testing.assert_array_equal(out[0].numpy(), np.where(keep.numpy(), 2.0, 0.0))
        uniform = torch_random._traced_uniform((64,), torch.tensor([3, 0]), torch.float64)
        np.testing.assert_allclose(out[1].numpy(), uniform.numpy(), rtol=1e-7)
    assert not np.array_equal(first[0].numpy(), second[0].numpy())


def _rejection_draws(gen):
    """gamma, beta and binomial draws (the rejection samplers) from the SeedGenerator
    `gen`; binomial covers inversion (n p < 10), BTRS (n p >= 10) and p > 0.5."""
    n = 4000
    return {
        "gamma_small": unikeras.random.gamma((n,), alpha=0.5, seed=gen),
        "gamma": unikeras.random.gamma((n,), alpha=3.0, seed=gen),
        "beta": unikeras.random.beta((n,), alpha=2.0, beta=5.0, seed=gen),
        "binomial_small": unikeras.random.binomial((n,), 20.0, 0.3, seed=gen),
        "binomial": unikeras.random.binomial((n,), 200.0, 0.4, seed=gen),
        "binomial_high_p": unikeras.random.binomial((n,), 50.0, 0.9, seed=gen),
    }


#: name -> (mean, variance) of the distribution each `_rejection_draws` entry samples.
_MOMENTS = {
    "gamma_small": (0.5, 0.5),
    "gamma": (3.0, 3.0),
    "beta": (2 / 7, 10 / (49 * 8)),
    "binomial_small": (6.0, 4.2),
    "binomial": (80.0, 48.0),
    "binomial_high_p": (45.0, 4.5),
}


def _check_moments(out):
    for name, (mean, var) in _MOMENTS.items():
        values = out[name].numpy().astype(np.float64)
        assert values.dtype == np.float64 and np.all(np.isfinite(values)), name
        assert values.min() >= 0, name
        if name.startswith("binomial"):
            np.testing.assert_array_equal(values, np.round(values), err_msg=name)
        # 4000 samples: the mean within ~5 standard errors, the variance within 15%
        assert abs(values.mean() - mean) < 5 * np.sqrt(var / len(values)), (name, values.mean())
        assert abs(values.var() / var - 1) < 0.15, (name, values.var(), var)
    assert out["beta"].numpy().max() < 1.0
    assert out["binomial_small"].numpy().max() <= 20 and out["binomial"].numpy().max() <= 200


def test_compiled_gamma_beta_binomial_have_no_graph_break(compiler, monkeypatch):
    """gamma, beta and binomial under `torch.compile`: one graph, no graph break, new numbers
    at every call, the same numbers for the same seed, and each distribution's mean and
    variance (as the eager draws, which keep their `torch.Generator`, also have)."""
    _eager_dynamo(monkeypatch)
    eager = _rejection_draws(unikeras.random.SeedGenerator(3))
    _check_moments({k: v.double() for k, v in eager.items()})
    draw = torch.compile(_rejection_draws)
    gen = unikeras.random.SeedGenerator(5)
    first, second = draw(gen), draw(gen)
    assert dict(counters["graph_break"]) == {}
    assert counters["stats"]["unique_graphs"] == 1
    again = draw(unikeras.random.SeedGenerator(5))
    for name in first:
        assert not np.array_equal(first[name].numpy(), second[name].numpy()), name
        np.testing.assert_array_equal(again[name].numpy(), first[name].numpy())
    for out in (first, second):
        _check_moments({k: v.double() for k, v in out.items()})


def test_eager_gamma_beta_binomial_draws_are_unchanged():
    """Eager draws still come from the seeded `torch.Generator`: the same seed gives the
    numbers of the generator's own draws (binomial: `torch.binomial` with that generator)."""
    from unikeras_torch import random as torch_random

    seed = torch.tensor([4, 0], dtype=torch.uint32)  # what the int seed 4 becomes
    counts = torch.full((64,), 30.0, dtype=torch.float64)
    probs = torch.full((64,), 0.2, dtype=torch.float64)
    want = torch.binomial(counts, probs, generator=torch_random.generator(seed))
    got = unikeras.random.binomial((64,), 30.0, 0.2, seed=4, dtype="float64")
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    alpha = torch.tensor(2.0, dtype=torch.float64)
    want = torch_random._gamma(alpha, (64,), torch_random.generator(seed))
    got = unikeras.random.gamma((64,), 2.0, seed=4, dtype="float64")
    np.testing.assert_array_equal(got.numpy(), want.numpy())


class _NamedEngineDtype:
    """A dtype object of another engine, such as `tf.float32` after a tf.data pipeline ran:
    it has a `name`, and Dynamo cannot compare it as a dict key."""

    name = "float32"

    def __hash__(self):
        return hash(("engine", self.name))

    def __eq__(self, other):
        return isinstance(other, _NamedEngineDtype)


def test_compiled_step_has_no_graph_break_after_another_engines_dtype_was_standardized(compiler):
    assert unikeras.backend.standardize_dtype(_NamedEngineDtype()) == "float32"
    x, y = _data()
    model = _mlp(True)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert dict(counters["graph_break"]) == {}
    assert counters["frames"]["ok"] == 1
