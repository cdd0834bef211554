"""Every layer unikeras shares with Keras 3 has Keras 3's weights layout: built with the same
arguments, the same weights list (order and shapes), so `set_weights(keras3_layer.get_weights())`
gives the same outputs.

This compares against Keras 3 itself, so it runs where Keras 3 is installed (the tox `jax`
env); elsewhere the weights paths and order of the standard layers are checked by
`tests/test_saving_keras3.py::test_unikeras_file_has_keras3_layout` with h5py alone.
"""

import os

import numpy as np
import pytest

import unikeras
from unikeras import ops

_ENGINE = unikeras.backend.backend()
os.environ.setdefault(
    "KERAS_BACKEND", _ENGINE if _ENGINE in ("jax", "torch", "tensorflow") else "jax"
)
keras3 = pytest.importorskip(
    "keras", reason="Keras 3 is not installed here (the tox `jax` env installs it)"
)
if not keras3.__version__.startswith("3."):  # pragma: no cover
    pytest.skip(f"keras {keras3.__version__} is not Keras 3", allow_module_level=True)

RNG = np.random.default_rng(0)


def _x(*shape):
    return RNG.normal(size=shape).astype("float32")


# name -> (layer factory taking the `keras` module, inputs, how to call the layer)
def _single(factory, *shape):
    return factory, [_x(*shape)], lambda layer, args: layer(args[0])


def _pair(factory, query_shape, value_shape):
    return factory, [_x(*query_shape), _x(*value_shape)], lambda layer, args: layer(*args)


CASES = {
    "Dense": _single(lambda k: k.layers.Dense(4), 2, 3),
    "EinsumDense": _single(
        lambda k: k.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de"),
        2,
        4,
        3,
    ),
    "Conv1D": _single(lambda k: k.layers.Conv1D(4, 3), 2, 7, 3),
    "Conv2D": _single(lambda k: k.layers.Conv2D(4, 3, groups=1), 2, 6, 6, 2),
    "Conv3D": _single(lambda k: k.layers.Conv3D(2, 2), 1, 4, 4, 4, 2),
    "Conv1DTranspose": _single(lambda k: k.layers.Conv1DTranspose(4, 3, strides=2), 2, 5, 3),
    "Conv2DTranspose": _single(lambda k: k.layers.Conv2DTranspose(3, 3, strides=2), 1, 4, 4, 2),
    "Conv3DTranspose": _single(lambda k: k.layers.Conv3DTranspose(2, 2), 1, 3, 3, 3, 2),
    "DepthwiseConv1D": _single(lambda k: k.layers.DepthwiseConv1D(3, depth_multiplier=2), 2, 7, 3),
    "DepthwiseConv2D": _single(
        lambda k: k.layers.DepthwiseConv2D(3, depth_multiplier=2), 1, 6, 6, 2
    ),
    "SeparableConv1D": _single(lambda k: k.layers.SeparableConv1D(4, 3), 2, 7, 3),
    "SeparableConv2D": _single(lambda k: k.layers.SeparableConv2D(4, 3), 1, 6, 6, 2),
    "BatchNormalization": _single(lambda k: k.layers.BatchNormalization(), 3, 5, 4),
    "LayerNormalization": _single(lambda k: k.layers.LayerNormalization(), 3, 5, 4),
    "GroupNormalization": _single(lambda k: k.layers.GroupNormalization(groups=2), 2, 5, 4),
    "Embedding": (
        lambda k: k.layers.Embedding(10, 4),
        [RNG.integers(0, 10, size=(2, 5)).astype("int32")],
        lambda layer, args: layer(args[0]),
    ),
    "SimpleRNN": _single(lambda k: k.layers.SimpleRNN(4, return_sequences=True), 2, 5, 3),
    "LSTM": _single(lambda k: k.layers.LSTM(4, return_sequences=True), 2, 5, 3),
    "GRU": _single(lambda k: k.layers.GRU(4, return_sequences=True), 2, 5, 3),
    "GRU(reset_after=False)": _single(lambda k: k.layers.GRU(4, reset_after=False), 2, 5, 3),
    "Bidirectional": _single(
        lambda k: k.layers.Bidirectional(k.layers.LSTM(3, return_sequences=True)), 2, 5, 3
    ),
    "TimeDistributed": _single(lambda k: k.layers.TimeDistributed(k.layers.Dense(3)), 2, 4, 5),
    "MultiHeadAttention": _pair(lambda k: k.layers.MultiHeadAttention(2, 3), (2, 4, 5), (2, 6, 5)),
    "GroupQueryAttention": _pair(
        lambda k: k.layers.GroupQueryAttention(
            head_dim=2, num_query_heads=4, num_key_value_heads=2
        ),
        (2, 4, 5),
        (2, 6, 5),
    ),
    "Attention": (
        lambda k: k.layers.Attention(use_scale=True),
        [_x(2, 4, 3), _x(2, 5, 3)],
        lambda layer, args: layer(list(args)),
    ),
    "AdditiveAttention": (
        lambda k: k.layers.AdditiveAttention(),
        [_x(2, 4, 3), _x(2, 5, 3)],
        lambda layer, args: layer(list(args)),
    ),
    "PReLU": _single(lambda k: k.layers.PReLU(), 2, 5, 3),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_weights_load_from_keras3(name):
    factory, inputs, call = CASES[name]
    theirs = factory(keras3)
    call(theirs, inputs)
    # Non-trivial weights (positive, so BatchNormalization's variance stays valid).
    weights = [RNG.uniform(0.1, 1.0, size=w.shape).astype(w.dtype) for w in theirs.get_weights()]
    theirs.set_weights(weights)
    expected = np.asarray(keras3.ops.convert_to_numpy(call(theirs, inputs)))

    ours = factory(unikeras)
    call(ours, inputs)
    assert [tuple(w.shape) for w in ours.get_weights()] == [w.shape for w in weights]
    ours.set_weights(weights)
    actual = ops.convert_to_numpy(call(ours, inputs))
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)


def _weights_file_entries(k, name, folder):
    """{dataset path: shape} of the `.weights.h5` file `k` writes for a model around the
    layer of case `name`."""
    import h5py

    factory, inputs, call = CASES[name]
    symbolic = [k.Input(x.shape[1:], dtype=str(x.dtype)) for x in inputs]
    model = k.Model(symbolic, call(factory(k), symbolic))
    path = os.path.join(folder, f"{name}.{k.__name__}.weights.h5")
    model.save_weights(path)
    entries = {}
    with h5py.File(path, "r") as f:
        f.visititems(
            lambda key, obj: (
                entries.__setitem__(key, obj.shape) if isinstance(obj, h5py.Dataset) else None
            )
        )
    return entries


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_weights_file_paths_match_keras3(name, tmp_path):
    theirs = _weights_file_entries(keras3, name, str(tmp_path))
    assert theirs, "every case has weights"
    assert _weights_file_entries(unikeras, name, str(tmp_path)) == theirs
