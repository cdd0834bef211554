"""The TensorFlow plugin's cuDNN path for LSTM and GRU layers, tested without a GPU: the
weight packing round-trips, and with a GPU pretended (`rnn._CACHE`) and `CudnnRNNV3` replaced
by TensorFlow ops computing cuDNN's documented equations on its documented parameter layout,
the layers give the generic loop's results, eagerly and in `tf.function`, while XLA-compiled
functions and arguments cuDNN cannot follow keep the generic loop."""

import numpy as np
import pytest

import unikeras
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    registry.backend() != "tensorflow",
    reason="the cuDNN path is the TensorFlow plugin's (UNIKERAS_BACKEND=tensorflow)",
)

if registry.backend() == "tensorflow":
    import tensorflow as tf

    from unikeras_tf import rnn, trainer


def _random(shape, seed):
    return np.random.default_rng(seed).normal(size=shape).astype("float32") * 0.5


@pytest.mark.parametrize("gates", [4, 3], ids=["lstm", "gru"])
def test_cudnn_params_round_trip(gates):
    inputs, units = 5, 3
    kernel = _random((inputs, gates * units), 0)
    recurrent = _random((units, gates * units), 1)
    if gates == 4:
        bias = _random((4 * units,), 2)
        params = rnn.cudnn_lstm_params(kernel, recurrent, bias)
        back = rnn.lstm_weights_from_cudnn(params, inputs, units)
    else:
        bias = _random((2, 3 * units), 2)
        params = rnn.cudnn_gru_params(kernel, recurrent, bias)
        back = rnn.gru_weights_from_cudnn(params, inputs, units)
    assert params.shape == (gates * units * (inputs + units + 2),)
    for got, want in zip(back, (kernel, recurrent, bias)):
        np.testing.assert_array_equal(got.numpy(), want)


def _documented_cudnn(calls):
    """A stand-in for `tf.raw_ops.CudnnRNNV3` (time major, one layer, one direction): reads
    the weights at the offsets cuDNN documents (per gate a `(units, inputs)` input matrix,
    then the recurrent matrices, then input and recurrent biases; LSTM gates i, f, c, o, GRU
    gates r, z, h) and computes cuDNN's equations with TensorFlow ops."""

    def fake(input, input_h, input_c, params, sequence_lengths, rnn_mode, **kwargs):
        calls.append(rnn_mode)
        assert kwargs["time_major"] is True
        steps, _, n_in = input.shape
        units = input_h.shape[-1]
        gates = {"lstm": 4, "gru": 3}[rnn_mode]
        offset, blocks = 0, []
        for rows, cols in [(units, n_in)] * gates + [(units, units)] * gates:
            blocks.append(tf.reshape(params[offset : offset + rows * cols], (rows, cols)))
            offset += rows * cols
        w, r = blocks[:gates], blocks[gates:]
        bw = [params[offset + k * units : offset + (k + 1) * units] for k in range(gates)]
        offset += gates * units
        br = [params[offset + k * units : offset + (k + 1) * units] for k in range(gates)]
        h, c = input_h[0], input_c[0] if rnn_mode == "lstm" else None
        outputs = []
        for t in range(steps):
            x = input[t]
            pre = [tf.matmul(x, w[k], transpose_b=True) + bw[k] for k in range(gates)]
            rec = [tf.matmul(h, r[k], transpose_b=True) + br[k] for k in range(gates)]
            if rnn_mode == "lstm":
                i, f, g, o = (pre[k] + rec[k] for k in range(4))
                c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
                h = tf.sigmoid(o) * tf.tanh(c)
            else:
                reset = tf.sigmoid(pre[0] + rec[0])
                update = tf.sigmoid(pre[1] + rec[1])
                candidate = tf.tanh(pre[2] + reset * rec[2])
                h = (1 - update) * candidate + update * h
            outputs.append(h)
        c_out = c[None] if c is not None else tf.zeros((1,) + tuple(h.shape), h.dtype)
        return tf.stack(outputs), h[None], c_out, tf.zeros(()), tf.zeros(())

    return fake


@pytest.fixture
def fake_gpu(monkeypatch):
    """Pretends a GPU is present and records the calls of the cuDNN stand-in."""
    calls = []
    monkeypatch.setitem(rnn._CACHE, "gpu", True)
    monkeypatch.setattr(tf.raw_ops, "CudnnRNNV3", _documented_cudnn(calls))
    return calls


def _layer_pair(kind, **kwargs):
    """The layer with the cuDNN path and a copy forced onto the generic loop, same weights."""
    layer = getattr(unikeras.layers, kind)(4, return_sequences=True, return_state=True, **kwargs)
    generic = getattr(unikeras.layers, kind)(
        4, return_sequences=True, return_state=True, use_cudnn=False, **kwargs
    )
    return layer, generic


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_layers_run_the_cudnn_kernel_with_a_gpu(fake_gpu, kind, go_backwards):
    x = _random((2, 6, 3), 3)
    layer, generic = _layer_pair(kind, go_backwards=go_backwards)
    want = generic(x)
    layer(x[:, :1])  # build
    layer.set_weights(generic.get_weights())
    fake_gpu.clear()
    got = layer(x)
    assert fake_gpu == [kind.lower()]
    for a, b in zip(got, want):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    graph = tf.function(lambda t: layer(t))(tf.constant(x))  # inside tf.function too
    assert fake_gpu == [kind.lower()] * 2
    for a, b in zip(graph, want):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_xla_and_unsupported_arguments_keep_the_generic_loop(fake_gpu):
    x = tf.constant(_random((2, 5, 3), 4))
    layer = unikeras.layers.LSTM(4)
    layer(x)
    fake_gpu.clear()
    tf.function(lambda t: layer(t), jit_compile=True)(x)
    for other in (
        unikeras.layers.LSTM(4, activation="relu"),
        unikeras.layers.LSTM(4, use_bias=False),
        unikeras.layers.GRU(4, reset_after=False),
        unikeras.layers.GRU(4, unroll=True),
        unikeras.layers.LSTM(4, use_cudnn=False),
    ):
        other(x)
    assert fake_gpu == []


def test_auto_jit_compile_stays_off_xla_for_cudnn_layers(fake_gpu):
    """With a GPU, a model holding a cuDNN-capable LSTM/GRU is kept off XLA by `"auto"` (as
    Keras 3 does); a model whose recurrent layers cannot use cuDNN is not, and without a GPU
    nothing changes. `fit` then runs the cuDNN kernel inside its `tf.function`."""

    def model(**kwargs):
        return unikeras.Sequential(
            [unikeras.Input((5, 3)), unikeras.layers.LSTM(4, **kwargs), unikeras.layers.Dense(1)]
        )

    assert trainer._runs_cudnn_rnn(model())
    assert not trainer._runs_cudnn_rnn(model(activation="relu"))
    assert not trainer._runs_cudnn_rnn(model(use_cudnn=False))
    fitted = model()
    fitted.compile(optimizer="adam", loss="mse")
    x, y = _random((8, 5, 3), 5), _random((8, 1), 6)
    fitted.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert "lstm" in fake_gpu
    rnn._CACHE["gpu"] = False
    assert not trainer._runs_cudnn_rnn(model())
