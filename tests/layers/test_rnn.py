"""Recurrent layers checked against step-by-step NumPy loops using the layers' weights."""

import json

import numpy as np
import pytest

import unikeras as keras
from layer_checks import (
    assert_outputs_close,
    check_config_roundtrip,
    check_symbolic_shape,
    rand,
    to_numpy,
)

layers = keras.layers
RTOL, ATOL = 1e-4, 1e-5


# --- NumPy references -------------------------------------------------------------------
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def simple_step(weights):
    kernel, recurrent, bias = weights

    def step(x, states):
        h = np.tanh(x @ kernel + states[0] @ recurrent + bias)
        return h, [h]

    return step


def lstm_step(weights):
    kernel, recurrent, bias = weights

    def step(x, states):
        h, c = states
        i, f, g, o = np.split(x @ kernel + h @ recurrent + bias, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        return h, [h, c]

    return step


def gru_step(weights, reset_after=True):
    kernel, recurrent, bias = weights
    units = recurrent.shape[0]

    def step(x, states):
        h = states[0]
        if reset_after:
            xz, xr, xh = np.split(x @ kernel + bias[0], 3, axis=-1)
            rz, rr, rh = np.split(h @ recurrent + bias[1], 3, axis=-1)
            z, r = sigmoid(xz + rz), sigmoid(xr + rr)
            hh = np.tanh(xh + r * rh)
        else:
            xz, xr, xh = np.split(x @ kernel + bias, 3, axis=-1)
            z = sigmoid(xz + h @ recurrent[:, :units])
            r = sigmoid(xr + h @ recurrent[:, units : 2 * units])
            hh = np.tanh(xh + (r * h) @ recurrent[:, 2 * units :])
        h = z * h + (1 - z) * hh
        return h, [h]

    return step


def np_rnn(step, x, states, go_backwards=False, mask=None):
    """Returns (outputs in processing order, final states), carrying states at masked steps."""
    steps = range(x.shape[1])
    previous, outputs = np.zeros_like(states[0]), []
    for t in reversed(steps) if go_backwards else steps:
        out, new = step(x[:, t], states)
        if mask is not None:
            keep = mask[:, t][:, None]
            new = [np.where(keep, n, s) for n, s in zip(new, states)]
            out = np.where(keep, out, previous)
        states, previous = new, out
        outputs.append(out)
    return np.stack(outputs, axis=1), states


def randomize(layer, seed=1):
    """Sets every weight of a built layer to random values (biases included)."""
    layer.set_weights([rand(w.shape, seed + i) * 0.5 for i, w in enumerate(layer.get_weights())])
    return layer.get_weights()


REFERENCES = {
    "SimpleRNN": (layers.SimpleRNN, simple_step, 1),
    "LSTM": (layers.LSTM, lstm_step, 2),
    "GRU": (layers.GRU, gru_step, 1),
}


# --- SimpleRNN / LSTM / GRU ----------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(REFERENCES))
@pytest.mark.parametrize("shape", [(2, 5, 3), (1, 1, 2), (3, 4, 1)])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_layer_matches_numpy_loop(kind, shape, go_backwards):
    cls, make_step, num_states = REFERENCES[kind]
    x = rand(shape, 3)
    layer = cls(4, return_sequences=True, return_state=True, go_backwards=go_backwards)
    layer(x)
    step = make_step(randomize(layer))
    initial = [np.zeros((shape[0], 4), "float32")] * num_states
    seq, states = np_rnn(step, x, initial, go_backwards)
    out = to_numpy(layer(x))
    assert len(out) == 1 + num_states
    assert_outputs_close(out, [seq] + states, RTOL, ATOL)
    last = cls(4, go_backwards=go_backwards)
    last(x)
    last.set_weights(layer.get_weights())
    assert_outputs_close(last(x), seq[:, -1], RTOL, ATOL)


def test_weight_layout():
    x = rand((2, 3, 5))
    expected = {
        layers.SimpleRNN(4): [(5, 4), (4, 4), (4,)],
        layers.LSTM(4): [(5, 16), (4, 16), (16,)],
        layers.GRU(4): [(5, 12), (4, 12), (2, 12)],
        layers.GRU(4, reset_after=False): [(5, 12), (4, 12), (12,)],
    }
    for layer, shapes in expected.items():
        layer(x)
        assert [tuple(w.shape) for w in layer.weights] == shapes
        assert [w.path.split("/")[-1] for w in layer.weights] == [
            "kernel",
            "recurrent_kernel",
            "bias",
        ]
    bias = layers.LSTM(3, bias_initializer="zeros")
    bias(x)
    np.testing.assert_array_equal(bias.get_weights()[2], [0] * 3 + [1] * 3 + [0] * 6)


def test_gru_reset_before_matches_numpy():
    x = rand((2, 6, 3))
    layer = layers.GRU(5, reset_after=False, return_sequences=True)
    layer(x)
    seq, _ = np_rnn(gru_step(randomize(layer), reset_after=False), x, [np.zeros((2, 5), "float32")])
    assert_outputs_close(layer(x), seq, RTOL, ATOL)


def test_initial_state():
    x = rand((2, 4, 3))
    h0, c0 = rand((2, 5), 7), rand((2, 5), 8)
    layer = layers.LSTM(5, return_state=True)
    layer(x)
    _, states = np_rnn(lstm_step(randomize(layer)), x, [h0, c0])
    out = layer(x, initial_state=[h0, c0])
    assert_outputs_close(out[1:], states, RTOL, ATOL)


# --- masking --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(REFERENCES))
def test_masking_carries_states(kind):
    cls, make_step, num_states = REFERENCES[kind]
    tokens = np.array([[3, 1, 2, 0, 0], [0, 4, 0, 2, 1]], dtype="int32")
    embedding = layers.Embedding(6, 3, mask_zero=True)
    layer = cls(4, return_sequences=True, return_state=True)
    x = to_numpy(embedding(tokens))
    mask = to_numpy(embedding.compute_mask(tokens))
    layer(x, mask=mask)
    step = make_step(randomize(layer))
    seq, states = np_rnn(step, x, [np.zeros((2, 4), "float32")] * num_states, mask=tokens != 0)
    assert_outputs_close(layer(x, mask=mask), [seq] + states, RTOL, ATOL)
    output_mask = layer.compute_mask(x, mask)
    np.testing.assert_array_equal(to_numpy(output_mask[0]), tokens != 0)
    assert output_mask[1:] == [None] * num_states


def test_masked_sequence_in_model():
    tokens = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], dtype="int32")
    inputs = keras.Input(shape=(None,), dtype="int32")
    embedding = layers.Embedding(5, 3, mask_zero=True)
    lstm = layers.LSTM(4)
    model = keras.Model(inputs, lstm(embedding(inputs)))
    model(tokens)
    step = lstm_step(randomize(lstm))
    x = to_numpy(embedding(tokens))
    _, (h, _) = np_rnn(step, x, [np.zeros((2, 4), "float32")] * 2, mask=tokens != 0)
    assert_outputs_close(model(tokens), h, RTOL, ATOL)


# --- generic RNN, custom and stacked cells ---------------------------------------------
class MinimalCell(layers.Layer):
    """A custom cell: `h = tanh(x W + h U)`, state_size given as an int."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units), name="recurrent_kernel"
        )

    def call(self, inputs, states):
        h = keras.ops.tanh(
            keras.ops.matmul(inputs, self.kernel)
            + keras.ops.matmul(states[0], self.recurrent_kernel)
        )
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_custom_cell_through_rnn():
    x = rand((2, 5, 3))
    layer = layers.RNN(MinimalCell(4), return_sequences=True, return_state=True)
    layer(x)
    kernel, recurrent = randomize(layer)
    seq, states = np_rnn(
        simple_step([kernel, recurrent, np.zeros(4, "float32")]), x, [np.zeros((2, 4), "float32")]
    )
    assert_outputs_close(layer(x), [seq] + states, RTOL, ATOL)
    symbolic = layer(keras.Input(shape=(None, 3)))
    assert [tuple(s.shape) for s in symbolic] == [(None, None, 4), (None, 4)]


@pytest.mark.parametrize("cell_cls", [layers.SimpleRNNCell, layers.LSTMCell, layers.GRUCell])
def test_rnn_with_builtin_cell_equals_layer(cell_cls):
    x = rand((2, 4, 3))
    generic = layers.RNN(cell_cls(5), return_sequences=True, go_backwards=True)
    layer_cls = {
        layers.SimpleRNNCell: layers.SimpleRNN,
        layers.LSTMCell: layers.LSTM,
        layers.GRUCell: layers.GRU,
    }[cell_cls]
    layer = layer_cls(5, return_sequences=True, go_backwards=True)
    generic(x)
    layer(x)
    layer.set_weights(randomize(generic))
    assert_outputs_close(generic(x), layer(x), RTOL, ATOL)


def test_stacked_cells():
    x = rand((2, 5, 3))
    stacked = layers.RNN([layers.SimpleRNNCell(4), layers.LSTMCell(6)], return_state=True)
    out = stacked(x)
    weights = randomize(stacked)
    seq, s1 = np_rnn(simple_step(weights[:3]), x, [np.zeros((2, 4), "float32")])
    _, s2 = np_rnn(lstm_step(weights[3:]), seq, [np.zeros((2, 6), "float32")] * 2)
    out = stacked(x)
    assert_outputs_close(out, [s2[0]] + s1 + s2, RTOL, ATOL)
    assert isinstance(stacked.cell, layers.StackedRNNCells)
    check_config_roundtrip(stacked, x)


# --- Bidirectional ------------------------------------------------------------------------
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional(merge_mode, return_sequences):
    x = rand((2, 5, 3))
    layer = layers.Bidirectional(
        layers.GRU(4, return_sequences=return_sequences), merge_mode=merge_mode
    )
    layer(x)
    weights = randomize(layer)
    zeros = [np.zeros((2, 4), "float32")]
    fwd, _ = np_rnn(gru_step(weights[:3]), x, zeros)
    bwd, _ = np_rnn(gru_step(weights[3:]), x, zeros, go_backwards=True)
    if return_sequences:
        bwd = bwd[:, ::-1]
    else:
        fwd, bwd = fwd[:, -1], bwd[:, -1]
    expected = {
        "concat": lambda: np.concatenate([fwd, bwd], -1),
        "sum": lambda: fwd + bwd,
        "mul": lambda: fwd * bwd,
        "ave": lambda: (fwd + bwd) / 2,
        None: lambda: [fwd, bwd],
    }[merge_mode]()
    assert_outputs_close(layer(x), expected, RTOL, ATOL)
    check_symbolic_shape(layer, (5, 3), x)


def test_bidirectional_return_state_and_config():
    x = rand((2, 4, 3))
    layer = layers.Bidirectional(layers.LSTM(4, return_state=True))
    out = layer(x)
    assert [tuple(o.shape) for o in to_numpy(out)] == [(2, 8)] + [(2, 4)] * 4
    clone = check_config_roundtrip(layer, x)
    assert clone.backward_layer.go_backwards
    assert len(layer.weights) == 6


# --- TimeDistributed ----------------------------------------------------------------------
def test_time_distributed_dense():
    x = rand((2, 5, 3))
    layer = layers.TimeDistributed(layers.Dense(4, activation="relu"))
    layer(x)
    kernel, bias = randomize(layer)
    assert_outputs_close(layer(x), np.maximum(x @ kernel + bias, 0), RTOL, ATOL)
    check_config_roundtrip(layer, x)
    symbolic = layer(keras.Input(shape=(None, 3)))
    assert tuple(symbolic.shape) == (None, None, 4)
    with pytest.raises(ValueError, match="time_distributed"):
        layers.TimeDistributed(layers.Dense(2))(rand((2, 3)))


# --- dropout, stateful, config, shapes -------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(REFERENCES))
def test_dropout_only_in_training(kind):
    cls = REFERENCES[kind][0]
    x = rand((2, 4, 3))
    plain, dropped = cls(4), cls(4, dropout=0.5, recurrent_dropout=0.5, seed=1)
    plain(x)
    dropped(x)
    dropped.set_weights(randomize(plain))
    assert_outputs_close(dropped(x), plain(x), RTOL, ATOL)
    assert_outputs_close(dropped(x, training=False), plain(x), RTOL, ATOL)
    assert not np.allclose(to_numpy(dropped(x, training=True)), to_numpy(plain(x)))
    input_only = cls(4, dropout=0.5, seed=1)
    input_only(x)
    input_only.set_weights(plain.get_weights())
    assert not np.allclose(to_numpy(input_only(x, training=True)), to_numpy(plain(x)))


def test_stateful_keeps_states_across_calls():
    x = rand((2, 6, 3))
    stateful = layers.LSTM(4, stateful=True)
    whole = layers.LSTM(4)
    stateful(x[:, :3])
    whole(x)
    randomize(stateful.cell)
    whole.set_weights(stateful.cell.get_weights())
    stateful.reset_states()
    stateful(x[:, :3])
    assert_outputs_close(stateful(x[:, 3:]), whole(x), RTOL, ATOL)
    stateful.reset_states()
    assert_outputs_close(stateful(x), whole(x), RTOL, ATOL)


@pytest.mark.parametrize(
    "layer_fn",
    [
        lambda: layers.SimpleRNN(3, activation="relu", return_sequences=True),
        lambda: layers.LSTM(3, recurrent_dropout=0.2, go_backwards=True, unit_forget_bias=False),
        lambda: layers.GRU(3, reset_after=False, return_state=True, kernel_regularizer="l2"),
        lambda: layers.RNN(layers.LSTMCell(3), return_sequences=True),
    ],
)
def test_config_roundtrip(layer_fn):
    x = rand((2, 4, 3))
    layer = layer_fn()
    check_config_roundtrip(layer, x)
    json.dumps(layer.get_config())


@pytest.mark.parametrize("kind", sorted(REFERENCES))
@pytest.mark.parametrize("return_sequences", [False, True])
def test_symbolic_shapes(kind, return_sequences):
    cls, _, num_states = REFERENCES[kind]
    layer = cls(4, return_sequences=return_sequences, return_state=True)
    x = rand((2, 5, 3))
    out = layer(keras.Input(shape=(None, 3)))
    time = (None,) if return_sequences else ()
    assert [tuple(o.shape) for o in out] == [(None,) + time + (4,)] + [(None, 4)] * num_states
    check_symbolic_shape(layer, (5, 3), x)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="units"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="merge"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(2))
    with pytest.raises(ValueError, match="batch size"):
        layers.LSTM(2, stateful=True)(keras.Input(shape=(3, 2)))
