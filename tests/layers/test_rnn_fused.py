"""LSTM and GRU through the backend's fused kernel (hooks `lstm`/`gru`) against the generic
`ops.scan` loop (`use_cudnn=False`) and step-by-step NumPy loops: outputs, final states and
gradients (weights and inputs), plus which backends take the fused path."""

import numpy as np
import pytest
from layer_checks import assert_outputs_close, rand, to_numpy
from test_rnn import gru_step, lstm_step, np_rnn

import unikeras as keras
from unikeras.backend import hookimpl, registry, table

layers = keras.layers
RTOL, ATOL = 1e-4, 1e-5
BATCH, STEPS, FEATURES, UNITS = 2, 5, 3, 4

#: kind -> (layer class, NumPy step builder, number of states).
KINDS = {"LSTM": (layers.LSTM, lstm_step, 2), "GRU": (layers.GRU, gru_step, 1)}

#: The hooks each bundled backend implements (JAX: a lean `lax.scan`); the others run the
#: generic loop.
FUSED_HOOKS = {"jax": {"lstm", "gru"}, "torch": {"lstm", "gru"}, "tensorflow": {"lstm"}}

TRAINING = table.backend_info()["training"]
needs_training = pytest.mark.skipif(
    not TRAINING, reason="inference-only backend: gradients need a training backend"
)


def random_layer(kind, seed=1, **kwargs):
    """A built layer of `kind` with random weights (biases included)."""
    layer = KINDS[kind][0](UNITS, **kwargs)
    layer.build((None, STEPS, FEATURES))
    layer.set_weights([rand(w.shape, seed + i) * 0.5 for i, w in enumerate(layer.get_weights())])
    return layer


def twin(layer, **kwargs):
    """The same layer (config and weights), with `kwargs` overriding its config."""
    config = {**layer.get_config(), **kwargs}
    config.pop("name")
    other = type(layer).from_config(config)
    other.build((None, STEPS, FEATURES))
    other.set_weights(layer.get_weights())
    return other


class CountingHook:
    """Wraps a fused hook and records what each call returned (None: not applicable)."""

    def __init__(self, implementation):
        self.implementation = implementation
        self.results = []

    def __call__(self, **arguments):
        result = self.implementation(**arguments)
        self.results.append(result)
        return result

    @property
    def fused_calls(self):
        return sum(result is not None for result in self.results)


@pytest.fixture
def count_hook(monkeypatch):
    """`count_hook(name)` swaps the backend's hook `name` for a `CountingHook` (or returns
    `None` when the backend leaves the hook out)."""

    def install(name):
        implementation = getattr(table, name)
        if getattr(implementation, "unikeras_missing", False):
            return None
        available = getattr(implementation, "fused_available", None)
        if available is not None and not available():
            return None  # fuses only on a device this machine lacks (TensorFlow's cuDNN GRU)
        counter = CountingHook(implementation)
        monkeypatch.setattr(table, name, counter)
        return counter

    return install


# --- forward: fused == generic == NumPy -----------------------------------------------------
@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_outputs_and_states_match_generic_and_numpy(kind, go_backwards, count_hook):
    x = rand((BATCH, STEPS, FEATURES), 3)
    fused = random_layer(kind, return_sequences=True, return_state=True, go_backwards=go_backwards)
    generic = twin(fused, use_cudnn=False)
    counter = count_hook(kind.lower())
    fused_out = to_numpy(fused(x))
    if counter is not None:
        assert counter.fused_calls == 1
        generic_calls = len(counter.results)
    generic_out = to_numpy(generic(x))
    if counter is not None:
        assert len(counter.results) == generic_calls, "use_cudnn=False consulted the hook"

    _, make_step, num_states = KINDS[kind]
    initial = [np.zeros((BATCH, UNITS), "float32")] * num_states
    seq, states = np_rnn(make_step(fused.get_weights()), x, initial, go_backwards)
    assert_outputs_close(fused_out, [seq] + states, RTOL, ATOL)
    assert_outputs_close(generic_out, fused_out, 1e-5, 1e-6)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_last_output_and_initial_state(kind):
    x = rand((BATCH, STEPS, FEATURES), 4)
    layer = random_layer(kind)
    num_states = KINDS[kind][2]
    # Large states: a fused kernel must not clip the cell state.
    initial = [rand((BATCH, UNITS), 10 + i) * 5 for i in range(num_states)]
    seq, _ = np_rnn(KINDS[kind][1](layer.get_weights()), x, initial)
    assert_outputs_close(layer(x, initial_state=initial), seq[:, -1], RTOL, ATOL)


# --- which path runs --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_fused_path_taken_where_the_backend_has_it(kind, count_hook):
    hook = kind.lower()
    counter = count_hook(hook)
    expected = hook in FUSED_HOOKS.get(registry.backend(), set())
    assert (counter is not None) == expected
    random_layer(kind)(rand((BATCH, STEPS, FEATURES)))
    if expected:
        assert counter.fused_calls == 1


@pytest.mark.parametrize(
    "kind, kwargs",
    [
        ("LSTM", {"activation": "relu"}),
        ("GRU", {"recurrent_activation": "hard_sigmoid"}),
        ("GRU", {"reset_after": False}),
        ("LSTM", {"unroll": True}),
    ],
)
def test_arguments_outside_the_fused_semantics_run_the_generic_loop(kind, kwargs, count_hook):
    x = rand((BATCH, STEPS, FEATURES), 5)
    layer = random_layer(kind, **kwargs)
    counter = count_hook(kind.lower())
    out = to_numpy(layer(x))
    if counter is not None:
        assert counter.results and counter.fused_calls == 0
    generic = twin(layer, use_cudnn=False)
    assert_outputs_close(out, generic(x), 1e-6, 1e-7)


#: Backends whose fused kernels also run right-padded masks (as packed sequences).
FUSED_RIGHT_PADDED_MASKS = {"torch"}
#: Backends whose compiled training step takes the fused kernel (TensorFlow's BlockLSTM runs
#: eager calls only: in graphs its generic while loop is faster).
FUSED_IN_TRAINING = {"jax", "torch"}
RIGHT_PADDED = [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]
NOT_RIGHT_PADDED = [[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("mask", [RIGHT_PADDED, NOT_RIGHT_PADDED])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_masked_sequences_match_numpy(kind, mask, go_backwards, count_hook):
    x = rand((BATCH, STEPS, FEATURES), 6)
    mask = np.array(mask, bool)
    layer = random_layer(kind, return_sequences=True, return_state=True, go_backwards=go_backwards)
    counter = count_hook(kind.lower())
    out = layer(x, mask=mask)
    if counter is not None:
        fused = (
            registry.backend() in FUSED_RIGHT_PADDED_MASKS
            and mask.tolist() == RIGHT_PADDED
            and not go_backwards
        )
        assert counter.fused_calls == int(fused)
    _, make_step, num_states = KINDS[kind]
    seq, states = np_rnn(
        make_step(layer.get_weights()),
        x,
        [np.zeros((BATCH, UNITS), "float32")] * num_states,
        go_backwards,
        mask,
    )
    assert_outputs_close(out, [seq] + states, RTOL, ATOL)


class _DecliningAddon:
    """An add-on whose fused LSTM hook declines every call."""

    calls = 0

    @hookimpl(tryfirst=True)
    def lstm(
        self,
        inputs,
        initial_state,
        kernel,
        recurrent_kernel,
        bias,
        mask,
        activation,
        recurrent_activation,
        go_backwards,
        return_sequences,
        unroll,
        zero_output_for_mask,
    ):
        type(self).calls += 1
        return None


def test_a_hook_returning_none_falls_back_to_the_generic_loop():
    x = rand((BATCH, STEPS, FEATURES), 7)
    layer = random_layer("LSTM")
    addon = _DecliningAddon()
    registry.register_plugin(addon, name="declining-lstm")
    try:
        out = layer(x)
    finally:
        registry.unregister_plugin(addon)
    assert _DecliningAddon.calls == 1
    seq, _ = np_rnn(lstm_step(layer.get_weights()), x, [np.zeros((BATCH, UNITS), "float32")] * 2)
    assert_outputs_close(out, seq[:, -1], RTOL, ATOL)


# --- gradients --------------------------------------------------------------------------------
def gradient_model(kind, go_backwards, use_cudnn, masking=False):
    """Dense projection (its kernel's gradient carries the gradient w.r.t. the recurrent
    layer's inputs) followed by the recurrent layer returning sequences; with `masking`,
    all-zero input steps are masked."""
    recurrent = KINDS[kind][0](
        UNITS, return_sequences=True, go_backwards=go_backwards, use_cudnn=use_cudnn
    )
    model = keras.Sequential(
        [keras.Input((STEPS, FEATURES))]
        + [layers.Masking(0.0)] * masking
        + [layers.Dense(FEATURES), recurrent]
    )
    model.set_weights([rand(w.shape, 20 + i) * 0.5 for i, w in enumerate(model.get_weights())])
    return model


def sgd_gradients(model, x, y):
    """One SGD step at learning rate 1 moves every weight by minus its gradient."""
    before = model.get_weights()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse")
    model.train_on_batch(x, y)
    return [w0 - w1 for w0, w1 in zip(before, model.get_weights())]


def numpy_loss(kind, go_backwards, weights, x, y):
    """The gradient model's mean squared error in float64 NumPy (sequences in processing
    order, as the layer returns them)."""
    projection, bias, *recurrent = weights
    make_step, num_states = KINDS[kind][1:]
    seq, _ = np_rnn(
        make_step(recurrent),
        x @ projection + bias,
        [np.zeros((BATCH, UNITS))] * num_states,
        go_backwards,
    )
    return np.mean((seq - y) ** 2)


def numeric_gradients(loss, weights, eps=1e-6):
    """Central finite differences of `loss(weights)` (float64)."""
    weights = [np.asarray(w, "float64") for w in weights]
    gradients = []
    for w in weights:
        g = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            saved = w[index]
            w[index] = saved + eps
            up = loss(weights)
            w[index] = saved - eps
            down = loss(weights)
            w[index] = saved
            g[index] = (up - down) / (2 * eps)
        gradients.append(g)
    return gradients


@needs_training
@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gradients_match_generic_and_finite_differences(kind, go_backwards, count_hook):
    x = rand((BATCH, STEPS, FEATURES), 8)
    y = rand((BATCH, STEPS, UNITS), 9)
    fused_model = gradient_model(kind, go_backwards, "auto")
    weights = fused_model.get_weights()
    counter = count_hook(kind.lower())
    fused = sgd_gradients(fused_model, x, y)
    if counter is not None and registry.backend() in FUSED_IN_TRAINING:
        assert counter.fused_calls >= 1  # the training step went through the fused kernel
    generic = sgd_gradients(gradient_model(kind, go_backwards, False), x, y)
    assert_outputs_close(fused, generic, 1e-4, 1e-6)
    expected = numeric_gradients(
        lambda w: numpy_loss(kind, go_backwards, w, x.astype("float64"), y), weights
    )
    assert_outputs_close(fused, expected, 1e-3, 2e-5)


@needs_training
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_gradients_with_a_right_padded_mask_match_generic(kind, count_hook):
    x = rand((BATCH, STEPS, FEATURES), 10)
    x[0, 3:] = 0.0  # row 0 has 3 steps, row 1 all 5
    y = rand((BATCH, STEPS, UNITS), 11)
    counter = count_hook(kind.lower())
    fused = sgd_gradients(gradient_model(kind, False, "auto", masking=True), x, y)
    if counter is not None and registry.backend() in FUSED_RIGHT_PADDED_MASKS:
        assert counter.fused_calls >= 1
    generic = sgd_gradients(gradient_model(kind, False, False, masking=True), x, y)
    assert_outputs_close(fused, generic, 1e-4, 1e-6)
