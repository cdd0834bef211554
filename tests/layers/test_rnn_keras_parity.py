"""Recurrent layers and cells match Keras 3.15.1's configs (the same keys, both ways), reject
the arguments Keras 3 rejects (`use_cudnn` outside `LSTM`/`GRU`), and `.keras` files of each
recurrent layer load both ways with the same predictions (where Keras 3 is installed).
"""

import os

import numpy as np
import pytest

import unikeras
from unikeras import layers

_ENGINE = unikeras.backend.backend()
_TRAINING = _ENGINE not in ("numpy", "openvino")

_CELL = {
    "activation", "bias_constraint", "bias_initializer", "bias_regularizer", "dropout", "dtype",
    "kernel_constraint", "kernel_initializer", "kernel_regularizer", "name",
    "recurrent_constraint", "recurrent_dropout", "recurrent_initializer",
    "recurrent_regularizer", "seed", "trainable", "units", "use_bias",
}  # fmt: skip
_RNN = {
    "activity_regularizer", "go_backwards", "return_sequences", "return_state", "stateful",
    "unroll", "zero_output_for_mask",
}  # fmt: skip
_GATED = {"recurrent_activation"}
_CONV = {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate"}
_CONV_LSTM = (_CELL | _RNN | _GATED | _CONV | {"unit_forget_bias"}) - {"units"}

# Sorted `get_config()` keys of Keras 3.15.1 for each class (checked live below where Keras 3
# is installed).
EXPECTED_KEYS = {
    "SimpleRNNCell": _CELL,
    "LSTMCell": _CELL | _GATED | {"unit_forget_bias"},
    "GRUCell": _CELL | _GATED | {"reset_after"},
    # Keras 3's SimpleRNN takes `seed` but does not store it.
    "SimpleRNN": (_CELL | _RNN) - {"seed"},
    "LSTM": _CELL | _RNN | _GATED | {"unit_forget_bias"},
    "GRU": _CELL | _RNN | _GATED | {"reset_after"},
    "ConvLSTM1D": _CONV_LSTM,
    "ConvLSTM2D": _CONV_LSTM,
    "ConvLSTM3D": _CONV_LSTM,
    "RNN": (_RNN - {"activity_regularizer"}) | {"cell", "dtype", "name", "trainable"},
    "StackedRNNCells": {"cells", "dtype", "name", "trainable"},
    "Bidirectional": {"backward_layer", "dtype", "layer", "merge_mode", "name", "trainable"},
}


def _make(module, name):
    """The class `name` of `module.layers` built with small arguments."""
    L = module.layers
    if name.startswith("ConvLSTM"):
        return getattr(L, name)(2, 3)
    if name == "RNN":
        return L.RNN(L.LSTMCell(3))
    if name == "StackedRNNCells":
        return L.StackedRNNCells([L.LSTMCell(3), L.GRUCell(2)])
    if name == "Bidirectional":
        return L.Bidirectional(L.LSTM(3))
    return getattr(L, name)(3)


@pytest.mark.parametrize("name", sorted(EXPECTED_KEYS))
def test_config_keys_are_keras3s(name):
    config = _make(unikeras, name).get_config()
    assert sorted(config) == sorted(EXPECTED_KEYS[name])
    # The config rebuilds an equal layer.
    clone = getattr(layers, name).from_config(config)
    assert clone.get_config() == config


def test_bidirectional_stores_its_backward_layer():
    config = layers.Bidirectional(layers.GRU(2)).get_config()
    backward = config["backward_layer"]
    assert backward["class_name"] == "GRU" and backward["config"]["go_backwards"] is True
    assert backward["config"]["name"].startswith("backward_gru")


def test_activity_regularizer_is_stored():
    for layer in (
        layers.LSTM(2, activity_regularizer="l2"),
        layers.ConvLSTM1D(2, 3, activity_regularizer="l1"),
    ):
        config = layer.get_config()
        assert config["activity_regularizer"]["class_name"] in ("L2", "L1")
        clone = type(layer).from_config(config)
        assert (
            type(clone.activity_regularizer).__name__
            == config["activity_regularizer"]["class_name"]
        )


@pytest.mark.parametrize(
    "factory",
    [
        lambda **kw: layers.SimpleRNN(2, **kw),
        lambda **kw: layers.ConvLSTM1D(2, 3, **kw),
        lambda **kw: layers.ConvLSTM2D(2, 3, **kw),
        lambda **kw: layers.ConvLSTM3D(2, 3, **kw),
        lambda **kw: layers.SimpleRNNCell(2, **kw),
        lambda **kw: layers.LSTMCell(2, **kw),
        lambda **kw: layers.GRUCell(2, **kw),
    ],
)
def test_use_cudnn_is_rejected_where_keras3_rejects_it(factory):
    with pytest.raises(ValueError, match="use_cudnn"):
        factory(use_cudnn=True)


def test_lstm_and_gru_take_use_cudnn_and_leave_it_out_of_the_config():
    for cls in (layers.LSTM, layers.GRU):
        layer = cls(2, use_cudnn=False)
        assert layer.use_cudnn is False
        assert "use_cudnn" not in layer.get_config()


# --- against Keras 3 itself -------------------------------------------------------------------
def _keras3():
    os.environ.setdefault(
        "KERAS_BACKEND", _ENGINE if _ENGINE in ("jax", "torch", "tensorflow") else "jax"
    )
    keras3 = pytest.importorskip(
        "keras", reason="Keras 3 is not installed here (the tox `jax` env installs it)"
    )
    if not keras3.__version__.startswith("3."):  # pragma: no cover
        pytest.skip(f"keras {keras3.__version__} is not Keras 3")
    return keras3


@pytest.mark.parametrize("name", sorted(EXPECTED_KEYS))
def test_config_keys_equal_keras3_live(name):
    keras3 = _keras3()
    theirs = sorted(_make(keras3, name).get_config())
    assert theirs == sorted(EXPECTED_KEYS[name])
    assert sorted(_make(unikeras, name).get_config()) == theirs


_SHAPES = ((4, 2), (3, 5, 2), (2, 4, 4, 1), (2, 3, 3, 3, 1))


def _rnn_model(k):
    """A model with every recurrent layer, on four inputs (`k` is Keras 3 or unikeras)."""
    L = k.layers
    seq, maps1, maps2, maps3 = (k.Input(shape) for shape in _SHAPES)
    outputs = [
        L.SimpleRNN(3, return_sequences=True, seed=1)(seq),
        L.LSTM(3, activity_regularizer="l2")(seq),
        L.GRU(3, reset_after=False, go_backwards=True)(seq),
        L.Bidirectional(L.LSTM(2))(seq),
        L.ConvLSTM1D(2, 2, padding="same")(maps1),
        L.ConvLSTM2D(2, 2, return_sequences=True)(maps2),
        L.ConvLSTM3D(2, 2)(maps3),
    ]
    return k.Model([seq, maps1, maps2, maps3], outputs)


def _assert_same(ours, theirs, keras3):
    """Our outputs equal Keras 3's (eager calls: no compilation)."""
    assert len(ours) == len(theirs) == 7
    for a, e in zip(ours, theirs):
        np.testing.assert_allclose(
            unikeras.ops.convert_to_numpy(a), keras3.ops.convert_to_numpy(e), rtol=1e-5, atol=1e-5
        )


def test_keras_files_load_both_ways(tmp_path):
    keras3 = _keras3()
    rng = np.random.default_rng(0)
    x = [rng.normal(size=(2,) + s).astype("float32") for s in _SHAPES]
    # Keras 3 -> unikeras
    theirs = _rnn_model(keras3)
    theirs.save(tmp_path / "theirs.keras")
    loaded = unikeras.saving.load_model(tmp_path / "theirs.keras")
    _assert_same(loaded(x), theirs(x), keras3)
    for ours_layer, their_layer in zip(loaded.layers, theirs.layers):
        assert ours_layer.get_config().keys() == their_layer.get_config().keys()
    # unikeras -> Keras 3
    ours = _rnn_model(unikeras)
    ours.save(tmp_path / "ours.keras")
    back = keras3.saving.load_model(tmp_path / "ours.keras")
    _assert_same(ours(x), back(x), keras3)
