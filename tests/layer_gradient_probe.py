"""Gradients of every trainable layer of the catalogue, on the active backend.

Each case wraps one layer in a small model with fixed (seeded) weights and a fixed batch; one
`train_on_batch` with SGD at learning rate 1 moves every trainable weight by exactly minus
its gradient, so the gradient is read through the backend's own training step. The cross-
backend test runs this module once per training backend and compares the results.
"""

import numpy as np

import unikeras as keras
from unikeras import layers

BATCH = 3


def _seq(shape, dtype="float32"):
    return {"shape": shape, "dtype": dtype}


# name -> (layer factory, per-sample input shape(s)); int inputs are token ids below 10.
# Layers in LIST_CALL take their inputs as one list (Keras 3's Attention layers).
CASES = {
    "Dense": (lambda: layers.Dense(4, activation="tanh"), [_seq((5,))]),
    "EinsumDense": (
        lambda: layers.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c"),
        [_seq((5,))],
    ),
    "Conv1D": (lambda: layers.Conv1D(3, 3, padding="same", dilation_rate=2), [_seq((8, 2))]),
    "Conv1D_causal_groups": (
        lambda: layers.Conv1D(4, 2, padding="causal", groups=2),
        [_seq((7, 4))],
    ),
    "Conv2D": (lambda: layers.Conv2D(3, 3, strides=2, activation="relu"), [_seq((7, 7, 2))]),
    "Conv3D": (lambda: layers.Conv3D(2, 2), [_seq((4, 4, 4, 2))]),
    "Conv1DTranspose": (lambda: layers.Conv1DTranspose(3, 3, strides=2), [_seq((5, 2))]),
    "Conv2DTranspose": (
        lambda: layers.Conv2DTranspose(2, 3, strides=2, padding="same"),
        [_seq((4, 4, 2))],
    ),
    "Conv3DTranspose": (lambda: layers.Conv3DTranspose(2, 2, strides=2), [_seq((3, 3, 3, 1))]),
    "DepthwiseConv1D": (lambda: layers.DepthwiseConv1D(3, depth_multiplier=2), [_seq((6, 2))]),
    "DepthwiseConv2D": (lambda: layers.DepthwiseConv2D(3, padding="same"), [_seq((5, 5, 2))]),
    "SeparableConv1D": (lambda: layers.SeparableConv1D(3, 3), [_seq((6, 2))]),
    "SeparableConv2D": (lambda: layers.SeparableConv2D(3, 3), [_seq((5, 5, 2))]),
    "BatchNormalization": (lambda: layers.BatchNormalization(), [_seq((4, 3))]),
    "LayerNormalization": (lambda: layers.LayerNormalization(), [_seq((4, 3))]),
    "GroupNormalization": (lambda: layers.GroupNormalization(groups=2), [_seq((5, 4))]),
    "PReLU": (lambda: layers.PReLU(), [_seq((6,))]),
    "Embedding": (lambda: layers.Embedding(10, 4), [_seq((5,), "int32")]),
    "SimpleRNN": (lambda: layers.SimpleRNN(4, return_sequences=True), [_seq((5, 3))]),
    "LSTM": (lambda: layers.LSTM(4), [_seq((5, 3))]),
    "LSTM_backwards_state": (
        lambda: layers.LSTM(3, go_backwards=True, return_sequences=True),
        [_seq((4, 2))],
    ),
    "GRU": (lambda: layers.GRU(4, return_sequences=True), [_seq((5, 3))]),
    "GRU_reset_before": (lambda: layers.GRU(3, reset_after=False), [_seq((4, 2))]),
    "Bidirectional": (lambda: layers.Bidirectional(layers.LSTM(3)), [_seq((4, 2))]),
    "TimeDistributed": (lambda: layers.TimeDistributed(layers.Dense(3)), [_seq((4, 2))]),
    "ConvLSTM1D": (lambda: layers.ConvLSTM1D(2, 3, padding="same"), [_seq((3, 5, 2))]),
    "ConvLSTM2D": (lambda: layers.ConvLSTM2D(2, 2, return_sequences=True), [_seq((3, 4, 4, 1))]),
    "STFTSpectrogram": (
        lambda: layers.STFTSpectrogram(
            mode="log", frame_length=8, frame_step=4, fft_length=8, trainable=True
        ),
        [_seq((32, 1))],
    ),
    "MultiHeadAttention": (lambda: layers.MultiHeadAttention(2, 3), [_seq((4, 5)), _seq((3, 5))]),
    "GroupedQueryAttention": (
        lambda: layers.GroupedQueryAttention(4, 4, 2),
        [_seq((4, 6)), _seq((3, 6))],
    ),
    "AdditiveAttention": (lambda: layers.AdditiveAttention(), [_seq((4, 3)), _seq((5, 3))]),
    "Attention_scaled": (lambda: layers.Attention(use_scale=True), [_seq((4, 3)), _seq((5, 3))]),
}
LIST_CALL = {"AdditiveAttention", "Attention_scaled"}


def _inputs(specs, rng):
    values = []
    for spec in specs:
        shape = (BATCH,) + spec["shape"]
        if spec["dtype"] == "int32":
            values.append(rng.integers(0, 10, size=shape).astype("int32"))
        else:
            values.append(rng.normal(size=shape).astype("float32"))
    return values


def _model(name):
    factory, specs = CASES[name]
    inputs = [keras.Input(spec["shape"], dtype=spec["dtype"]) for spec in specs]
    layer = factory()
    if name in LIST_CALL:
        out = layer(inputs)
    else:
        out = layer(*inputs)
    return keras.Model(inputs, keras.layers.Flatten()(out)), layer


def _seeded_weights(model, rng):
    values = []
    for w in model.weights:
        value = rng.normal(size=tuple(w.shape)).astype("float32") * 0.4
        if "variance" in w.path:
            value = np.abs(value) + 0.5
        values.append(value)
    return values


def layer_gradients(name):
    """Returns the gradients of the case's trainable weights (in `model.weights` order)."""
    rng = np.random.default_rng(sum(map(ord, name)))
    model, _ = _model(name)
    model.set_weights(_seeded_weights(model, rng))
    x = _inputs(CASES[name][1], rng)
    x = x if len(x) > 1 else x[0]
    y = rng.normal(size=tuple(model.predict_on_batch(x).shape)).astype("float32")
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse")
    before = [keras.ops.convert_to_numpy(w) for w in model.trainable_weights]
    model.train_on_batch(x, y)
    after = [keras.ops.convert_to_numpy(w) for w in model.trainable_weights]
    return [(b - a).astype("float64") for b, a in zip(before, after)]


def all_layer_gradients():
    """`{case name: [gradient, ...]}` for every case, on the active backend."""
    return {name: layer_gradients(name) for name in CASES}
