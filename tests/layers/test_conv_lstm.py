"""ConvLSTM1D/2D/3D against a step-by-step NumPy loop using the layers' own weights."""

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
from unikeras.backend import table

layers = keras.layers
RTOL, ATOL = 1e-4, 1e-5
CLASSES = {1: layers.ConvLSTM1D, 2: layers.ConvLSTM2D, 3: layers.ConvLSTM3D}
# The tests set random weights themselves: cheap initializers keep JAX compiles few.
CHEAP = dict(kernel_initializer="zeros", recurrent_initializer="zeros")


# --- NumPy reference ---------------------------------------------------------------------
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_conv(x, kernel, strides, padding, dilation):
    """Channels-last N-D cross-correlation; `"same"` pads the extra element at the end."""
    rank = kernel.ndim - 2
    spans = [(kernel.shape[i] - 1) * dilation[i] + 1 for i in range(rank)]
    if padding == "same":
        pads = []
        for size, span, stride in zip(x.shape[1:-1], spans, strides):
            total = max((-(-size // stride) - 1) * stride + span - size, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    sizes = [(x.shape[1 + i] - spans[i]) // strides[i] + 1 for i in range(rank)]
    out = np.zeros((x.shape[0], *sizes, kernel.shape[-1]))
    for offset in np.ndindex(*kernel.shape[:rank]):
        window = tuple(
            slice(o * d, o * d + (n - 1) * s + 1, s)
            for o, d, n, s in zip(offset, dilation, sizes, strides)
        )
        out += x[(slice(None),) + window] @ kernel[offset]
    return out


def conv_lstm_loop(x, weights, strides, padding, dilation, go_backwards=False, mask=None):
    """Runs the ConvLSTM recurrence over channels-last `x (batch, time, ...)`."""
    kernel, recurrent, bias = weights
    rank = kernel.ndim - 2
    ones = (1,) * rank
    state_shape = np_conv(x[:, 0], kernel, strides, padding, dilation).shape[:-1] + (
        recurrent.shape[-2],
    )
    h = c = np.zeros(state_shape)
    outputs = []
    steps = range(x.shape[1])
    for t in reversed(steps) if go_backwards else steps:
        z = (
            np_conv(x[:, t], kernel, strides, padding, dilation)
            + bias
            + np_conv(h, recurrent, ones, "same", ones)
        )
        i, f, g, o = np.split(z, 4, axis=-1)
        c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h_new = sigmoid(o) * np.tanh(c_new)
        if mask is not None:
            keep = mask[:, t].reshape((-1,) + (1,) * (h.ndim - 1))
            h_new, c_new = np.where(keep, h_new, h), np.where(keep, c_new, c)
        h, c = h_new, c_new
        outputs.append(h)
    return np.stack(outputs, 1), h, c


def randomize(layer, input_shape, seed=1):
    """Builds `layer`, gives it random weights (bias included) and returns them."""
    layer.build(input_shape)
    weights = [0.4 * rand(w.shape, seed=seed + i) for i, w in enumerate(layer.get_weights())]
    layer.set_weights(weights)
    return weights


CASES = [
    (1, (2, 4, 7, 3), dict(filters=2, kernel_size=3)),
    (2, (2, 3, 5, 6, 2), dict(filters=3, kernel_size=(3, 2), strides=2, padding="same")),
    (
        3,
        (1, 3, 5, 4, 5, 2),
        dict(filters=2, kernel_size=2, dilation_rate=(2, 1, 2), go_backwards=True),
    ),
]


@pytest.mark.parametrize("rank,shape,kwargs", CASES)
def test_matches_numpy_loop(rank, shape, kwargs):
    x = rand(shape)
    layer = CLASSES[rank](return_sequences=True, return_state=True, **kwargs, **CHEAP)
    weights = randomize(layer, shape)
    cell = layer.cell
    expected = conv_lstm_loop(
        x, weights, cell.strides, cell.padding, cell.dilation_rate, go_backwards=layer.go_backwards
    )
    assert_outputs_close(layer(x), list(expected), RTOL, ATOL)


def test_weights_layout_and_unit_forget_bias():
    layer = layers.ConvLSTM2D(3, (3, 2), **CHEAP)
    layer.build((2, 2, 5, 4, 6))
    assert [w.name for w in layer.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert [tuple(w.shape) for w in layer.weights] == [(3, 2, 6, 12), (3, 2, 3, 12), (12,)]
    np.testing.assert_array_equal(
        to_numpy(layer.weights[2].value), np.repeat([0.0, 1.0, 0.0, 0.0], 3)
    )
    plain = layers.ConvLSTM1D(2, 3, unit_forget_bias=False, bias_initializer="ones", **CHEAP)
    plain.build((1, 2, 5, 1))
    np.testing.assert_array_equal(to_numpy(plain.weights[2].value), np.ones(8))
    no_bias = layers.ConvLSTM1D(2, 3, use_bias=False, **CHEAP)
    no_bias.build((1, 2, 5, 1))
    assert [w.name for w in no_bias.weights] == ["kernel", "recurrent_kernel"]


def test_channels_first_agrees_with_channels_last():
    x = rand((2, 3, 5, 6, 2))
    last = layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True, **CHEAP)
    weights = randomize(last, x.shape)
    first = layers.ConvLSTM2D(
        3, 3, padding="same", return_sequences=True, data_format="channels_first", **CHEAP
    )
    x_first = np.transpose(x, (0, 1, 4, 2, 3))
    first.build(x_first.shape)
    first.set_weights(weights)
    assert_outputs_close(
        np.transpose(to_numpy(first(x_first)), (0, 1, 3, 4, 2)), last(x), RTOL, ATOL
    )


def test_mask_carries_states():
    x = rand((2, 4, 6, 2))
    mask = np.array([[1, 1, 0, 1], [1, 0, 0, 0]], dtype=bool)
    layer = layers.ConvLSTM1D(2, 3, padding="same", return_state=True, **CHEAP)
    weights = randomize(layer, x.shape)
    _, h, c = conv_lstm_loop(x, weights, (1,), "same", (1,), mask=mask)
    assert_outputs_close(layer(x, mask=mask), [h, h, c], RTOL, ATOL)


def test_initial_state_and_stateful():
    x = rand((2, 4, 5, 2))
    whole = layers.ConvLSTM1D(2, 3, padding="same", return_state=True, **CHEAP)
    weights = randomize(whole, x.shape)
    _, h, c = whole(x)
    split = layers.ConvLSTM1D(2, 3, padding="same", return_state=True, **CHEAP)
    split.build(x.shape)
    split.set_weights(weights)
    _, h1, c1 = split(x[:, :2])
    assert_outputs_close(split(x[:, 2:], initial_state=[h1, c1]), [h, h, c], RTOL, ATOL)

    stateful = layers.ConvLSTM1D(2, 3, padding="same", stateful=True, **CHEAP)
    stateful.build(x[:, :2].shape)
    stateful.cell.set_weights(weights)
    stateful(x[:, :2])
    assert_outputs_close(stateful(x[:, 2:]), h, RTOL, ATOL)
    stateful.reset_states()
    assert_outputs_close(stateful(x[:, :2]), h1, RTOL, ATOL)


def test_config_roundtrip_and_symbolic_shape():
    x = rand((2, 3, 2, 5, 4))
    layer = layers.ConvLSTM2D(
        3,
        2,
        strides=(2, 1),
        padding="valid",
        return_state=True,
        data_format="channels_first",
        kernel_regularizer="l2",
        recurrent_dropout=0.1,
        seed=3,
    )
    clone = check_config_roundtrip(layer, x)
    config = clone.get_config()
    assert config["filters"] == 3 and config["kernel_size"] == (2, 2)
    assert config["strides"] == (2, 1) and config["unit_forget_bias"] is True
    assert config["data_format"] == "channels_first" and config["return_state"] is True
    assert "units" not in config and "rank" not in config
    check_symbolic_shape(clone, (3, 2, 5, 4), x)
    sequences = layers.ConvLSTM3D(2, 2, padding="same", return_sequences=True)
    assert tuple(sequences(keras.Input((4, 3, 5, 6, 2))).shape) == (None, 4, 3, 5, 6, 2)


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="conv_lstm2d.*expected ndim=5.*found ndim=4"):
        layers.ConvLSTM2D(2, 3)(rand((2, 3, 5, 2)))
    with pytest.raises(ValueError, match="static spatial"):
        layers.ConvLSTM1D(2, 3)(keras.Input((3, None, 2)))
    with pytest.raises(ValueError, match="filters"):
        layers.ConvLSTM1D(0, 3)
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.ConvLSTM1D(2, 3, strides=2, dilation_rate=2)


@pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)
def test_fit_reduces_loss_with_dropout():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3, 6, 2)).astype("float32")
    y = (x[:, -1, :, :1] > 0).astype("float32")
    init = keras.initializers.GlorotUniform
    model = keras.Sequential(
        [
            keras.Input((3, 6, 2)),
            layers.ConvLSTM1D(
                4,
                3,
                padding="same",
                dropout=0.1,
                recurrent_dropout=0.1,
                seed=1,
                kernel_initializer=init(seed=2),
                recurrent_initializer=keras.initializers.Orthogonal(seed=3),
            ),
            layers.Conv1D(1, 1, activation="sigmoid", kernel_initializer=init(seed=4)),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=10, batch_size=32, shuffle=False, verbose=0)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]
