"""The recurrent layers hand their arguments on by name (no `locals()`): every constructor
argument reaches the cell (and the config), and the fused `lstm`/`gru` hooks receive exactly
the parameters of their spec."""

import inspect

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import registry
from unikeras.layers.rnn import kernels

layers = keras.layers

#: Non-default values for the cell arguments shared by SimpleRNN, LSTM and GRU.
CELL_ARGS = dict(
    units=3,
    activation="relu",
    use_bias=False,
    kernel_initializer="ones",
    recurrent_initializer="zeros",
    bias_initializer="ones",
    kernel_regularizer="l2",
    recurrent_regularizer="l1",
    bias_regularizer="l1_l2",
    kernel_constraint="non_neg",
    recurrent_constraint="unit_norm",
    bias_constraint="max_norm",
    dropout=0.25,
    recurrent_dropout=0.5,
    seed=7,
)
RNN_ARGS = dict(return_sequences=True, return_state=True, go_backwards=True, unroll=True)
EXTRA = {
    "SimpleRNN": {},
    "LSTM": dict(recurrent_activation="hard_sigmoid", unit_forget_bias=False),
    "GRU": dict(recurrent_activation="hard_sigmoid", reset_after=False),
}


def _constructor_parameters(cls):
    return {
        name
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if name != "self" and p.kind is not p.VAR_KEYWORD
    }


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_every_constructor_argument_reaches_the_cell_and_the_config(name):
    cls = getattr(layers, name)
    arguments = {**CELL_ARGS, **EXTRA[name], **RNN_ARGS, "activity_regularizer": "l2"}
    if name != "SimpleRNN":
        arguments["use_cudnn"] = False
    # The test sets every argument of the Keras 3 signature but `stateful` (which needs a
    # fixed batch size).
    assert _constructor_parameters(cls) - set(arguments) == {"stateful"}
    layer = cls(**arguments, name="rnn")
    config = layer.get_config()
    cell_config = layer.cell.get_config()
    for key, value in {**CELL_ARGS, **EXTRA[name]}.items():
        assert key in cell_config, key
        if name == "SimpleRNN" and key == "seed":
            assert key not in config  # Keras 3's SimpleRNN config has no `seed`
            continue
        assert config[key] == cell_config[key], key
        if isinstance(value, (bool, int, float)) and not isinstance(cell_config[key], dict):
            assert cell_config[key] == value, key
    assert layer.cell.units == 3 and layer.cell.use_bias is False
    assert layer.cell.dropout == 0.25 and layer.cell.recurrent_dropout == 0.5
    assert layer.cell.seed == 7
    for key, value in RNN_ARGS.items():
        assert getattr(layer, key) == value and config[key] == value, key
    assert layer.activity_regularizer is not None
    if name != "SimpleRNN":
        assert layer.use_cudnn is False
    restored = cls.from_config(config)
    assert restored.get_config() == config


def test_conv_lstm_arguments_reach_the_cell():
    layer = layers.ConvLSTM2D(
        2,
        3,
        strides=1,
        padding="same",
        dilation_rate=2,
        recurrent_activation="relu",
        unit_forget_bias=False,
        dropout=0.5,
        seed=3,
        unroll=False,
        return_sequences=True,
    )
    cell = layer.cell
    assert (cell.rank, cell.filters, cell.kernel_size) == (2, 2, (3, 3))
    assert cell.padding == "same" and cell.dilation_rate == (2, 2)
    assert cell.unit_forget_bias is False and cell.dropout == 0.5 and cell.seed == 3
    config = layer.get_config()
    assert config["filters"] == 2 and config["kernel_size"] == (3, 3)
    assert config["return_sequences"] is True and config["unroll"] is False
    assert layers.ConvLSTM2D.from_config(config).get_config() == config


@pytest.mark.parametrize("hook", ["lstm", "gru"])
def test_fused_hooks_receive_exactly_their_spec_parameters(hook, monkeypatch):
    spec = registry.spec_functions()[hook]
    expected = list(inspect.signature(spec).parameters)
    received = {}

    def fake(**kwargs):
        received.update(kwargs)
        return "fused result"

    monkeypatch.setattr(
        kernels.registry, "optional_hook", lambda name: fake if name == hook else None
    )
    units, gates = 2, 4 if hook == "lstm" else 3
    inputs = np.ones((1, 3, 2), "float32")
    state = [np.zeros((1, units), "float32")] * (2 if hook == "lstm" else 1)
    kernel = np.ones((2, gates * units), "float32")
    recurrent = np.ones((units, gates * units), "float32")
    out = getattr(kernels, hook)(
        inputs,
        state,
        kernel,
        recurrent,
        go_backwards=True,
        return_sequences=True,
        unroll=True,
        zero_output_for_mask=True,
    )
    assert out == "fused result"
    assert sorted(received) == sorted(expected)
    assert received["inputs"] is inputs and received["kernel"] is kernel
    assert received["recurrent_kernel"] is recurrent and received["initial_state"] is state
    assert received["go_backwards"] is True and received["zero_output_for_mask"] is True
    assert received["activation"] is keras.activations.tanh
    assert received["recurrent_activation"] is keras.activations.sigmoid


@pytest.mark.parametrize("hook", ["lstm", "gru"])
def test_use_fused_false_never_calls_the_hook(hook, monkeypatch):
    monkeypatch.setattr(
        kernels.registry, "optional_hook", lambda name: pytest.fail("the fused hook was asked for")
    )
    units, gates = 2, 4 if hook == "lstm" else 3
    state = [np.zeros((1, units), "float32")] * (2 if hook == "lstm" else 1)
    last, outputs, states = getattr(kernels, hook)(
        np.ones((1, 3, 2), "float32"),
        state,
        np.ones((2, gates * units), "float32"),
        np.ones((units, gates * units), "float32"),
        return_sequences=True,
        use_fused=False,
    )
    assert tuple(outputs.shape) == (1, 3, units) and tuple(last.shape) == (1, units)
