"""Issue 15's layer names: RMSNormalization, ReversibleEmbedding, HashedCrossing,
`keras.layers.serialize`/`deserialize`/`dot`, `Input(ragged=...)` and
`keras.activations.sparse_sigmoid`, against independent NumPy on every backend."""

import json

import numpy as np
import pytest
from layer_checks import (
    assert_outputs_close,
    check_config_roundtrip,
    check_symbolic_shape,
    rand,
    to_numpy,
)

import unikeras as keras
from unikeras.backend import table

TRAINS = table.backend_info()["training"]
needs_training = pytest.mark.skipif(
    not TRAINS, reason="inference-only backend: fit raises by design"
)


# --- RMSNormalization -------------------------------------------------------------------


def reference_rms(x, scale, axes, epsilon):
    return x / np.sqrt(np.mean(np.square(x), axis=axes, keepdims=True) + epsilon) * scale


@pytest.mark.parametrize(
    "shape,axis",
    [
        ((4, 6), -1),
        ((2, 3, 5), -1),
        ((2, 3, 5), [1, 2]),
        ((2, 3, 5), [2, 1]),
        ((2, 3, 4, 5), 1),
        ((2, 3, 4, 5), [1, 3]),
    ],
)
def test_rms_normalization_matches_numpy(shape, axis):
    x = rand(shape, seed=3) * 3 + 1
    layer = keras.layers.RMSNormalization(axis=axis, epsilon=1e-5)
    layer.build(shape)
    axes = sorted(a % len(shape) for a in (axis if isinstance(axis, list) else [axis]))
    assert tuple(layer.scale.shape) == tuple(shape[a] for a in axes)
    assert layer.get_config()["axis"] == sorted(axis) if isinstance(axis, list) else [axis]
    scale = np.random.default_rng(1).uniform(0.5, 2, tuple(shape[a] for a in axes))
    layer.set_weights([scale.astype("float32")])
    broadcast = scale.reshape([shape[a] if a in axes else 1 for a in range(len(shape))])
    assert_outputs_close(
        layer(x), reference_rms(x, broadcast, tuple(axes), 1e-5), rtol=1e-5, atol=1e-5
    )
    check_config_roundtrip(layer, x)
    check_symbolic_shape(layer, shape[1:], x)


def test_rms_normalization_defaults_and_errors():
    layer = keras.layers.RMSNormalization()
    config = layer.get_config()
    assert config["axis"] == -1 and config["epsilon"] == 1e-6
    x = rand((3, 7), seed=2)
    assert_outputs_close(layer(x), reference_rms(x, 1.0, (1,), 1e-6), rtol=1e-5, atol=1e-6)
    assert [w.name for w in layer.weights] == ["scale"]
    with pytest.raises(ValueError, match="out of bounds"):
        keras.layers.RMSNormalization(axis=3)(rand((2, 3)))
    with pytest.raises(TypeError, match="axis"):
        keras.layers.RMSNormalization(axis="last")
    with pytest.raises(ValueError, match="known sizes"):
        keras.layers.RMSNormalization()(keras.Input((4, None)))


# --- ReversibleEmbedding ----------------------------------------------------------------


@pytest.mark.parametrize("tie_weights", [True, False])
@pytest.mark.parametrize("soft_cap", [None, 2.5])
def test_reversible_embedding_forward_and_reverse(tie_weights, soft_cap):
    layer = keras.layers.ReversibleEmbedding(7, 4, tie_weights=tie_weights, logit_soft_cap=soft_cap)
    ids = np.array([[0, 3, 6], [2, 2, 1]], "int32")
    layer(ids)
    rng = np.random.default_rng(0)
    embeddings = rng.normal(size=(7, 4)).astype("float32")
    weights = [embeddings]
    if not tie_weights:
        weights.append(rng.normal(size=(4, 7)).astype("float32"))
    assert [tuple(w.shape) for w in layer.get_weights()] == [w.shape for w in weights]
    layer.set_weights(weights)
    assert_outputs_close(layer(ids), embeddings[ids])
    hidden = rand((2, 3, 4), seed=5) * 3
    kernel = embeddings.T if tie_weights else weights[1]
    logits = hidden @ kernel
    if soft_cap is not None:
        logits = np.tanh(logits / soft_cap) * soft_cap
    assert_outputs_close(layer(hidden, reverse=True), logits, rtol=1e-5, atol=1e-5)
    check_config_roundtrip(layer, hidden, {"reverse": True})
    assert len(layer.trainable_weights) == (1 if tie_weights else 2)


def test_reversible_embedding_symbolic_shapes_mask_and_config():
    layer = keras.layers.ReversibleEmbedding(10, 6, mask_zero=True, reverse_dtype="float32")
    ids = keras.Input((5,), dtype="int32")
    hidden = layer(ids)
    assert hidden.shape == (None, 5, 6)
    assert hidden._keras_mask.shape == (None, 5)
    logits = layer(hidden, reverse=True)
    assert logits.shape == (None, 5, 10)
    assert layer.compute_output_shape((2, 5)) == (2, 5, 6)
    assert layer.compute_output_shape((2, 5, 6), reverse=True) == (2, 5, 10)
    model = keras.Model(ids, logits)
    x = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 6, 9]], "int32")
    embeddings = keras.ops.convert_to_numpy(layer.embeddings)
    assert_outputs_close(model(x), embeddings[x] @ embeddings.T, rtol=1e-5, atol=1e-5)
    eager = layer(x)
    mask = getattr(eager, "_keras_mask", None)
    if mask is not None:  # engine tensors that take attributes carry it eagerly too
        np.testing.assert_array_equal(to_numpy(mask), x != 0)
    config = layer.get_config()
    assert config["tie_weights"] is True and config["reverse_dtype"] == "float32"
    assert config["logit_soft_cap"] is None and config["mask_zero"] is True
    json.dumps(config)
    with pytest.raises(ValueError, match="output_dim=6"):
        layer(rand((2, 5, 4)), reverse=True)


def test_reversible_embedding_reverse_dtype_casts():
    layer = keras.layers.ReversibleEmbedding(5, 3, reverse_dtype="float16")
    out = layer(rand((2, 3)), reverse=True)
    assert keras.backend.standardize_dtype(out.dtype) == "float16"
    assert layer(keras.Input((3,)), reverse=True).dtype == "float16"


@needs_training
def test_reversible_embedding_trains_tied_language_model():
    layer = keras.layers.ReversibleEmbedding(6, 4, tie_weights=True)
    ids = keras.Input((3,), dtype="int32")
    logits = layer(keras.layers.Dense(4)(layer(ids)), reverse=True)
    model = keras.Model(ids, logits)
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    x = np.random.default_rng(0).integers(0, 6, (16, 3)).astype("int32")
    before = keras.ops.convert_to_numpy(layer.embeddings).copy()
    history = model.fit(x, x, epochs=4, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert not np.allclose(keras.ops.convert_to_numpy(layer.embeddings), before)


# --- HashedCrossing ---------------------------------------------------------------------

# `tf.sparse.to_dense(tf.sparse.cross_hashed([...], num_bins))` (TensorFlow 2.21), the
# computation behind Keras 3's HashedCrossing.
CROSS_A = np.array(["A", "B", "hello", "", "héllo wörld" * 5, "x" * 40])
CROSS_B = np.array([101, -7, 0, 2**40, -(2**62), 123456789], "int64")
CROSS_C = np.array([3, 1, 4, 1, 5, 9], "int64")
TF_CROSS = {
    5: ([1, 4, 4, 3, 4, 4], [1, 1, 2, 3, 4, 1]),
    1000: ([891, 904, 329, 283, 714, 494], [156, 106, 327, 713, 769, 321]),
    2**31 - 1: (
        [2064064516, 1019192554, 1512648279, 168317759, 1650655432, 656782674],
        [1511034415, 690025352, 2146814871, 506581720, 881620479, 1701410412],
    ),
}


@pytest.mark.parametrize("num_bins", sorted(TF_CROSS))
def test_hashed_crossing_matches_tensorflow_bins(num_bins):
    ab, bca = TF_CROSS[num_bins]
    layer = keras.layers.HashedCrossing(num_bins)
    out = layer((CROSS_A, CROSS_B))
    # int32 on JAX without its x64 mode (no 64-bit tensors there), as Keras 3.
    int64 = "int64" if "int64" in keras.backend.table.backend_info()["dtypes"] else "int32"
    assert keras.backend.standardize_dtype(out.dtype) == int64
    np.testing.assert_array_equal(to_numpy(out), ab)
    np.testing.assert_array_equal(to_numpy(layer([CROSS_B, CROSS_C, CROSS_A])), bca)
    # (batch, 1) inputs keep their shape; scalars give a scalar.
    column = to_numpy(layer((CROSS_A[:, None], CROSS_B[:, None])))
    np.testing.assert_array_equal(column, np.array(ab)[:, None])
    assert int(to_numpy(layer((CROSS_A[2], CROSS_B[2])))) == ab[2]


def test_hashed_crossing_keras_docstring_example_and_one_hot():
    feat1 = np.array(["A", "B", "A", "B", "A"])
    feat2 = np.array([101, 101, 101, 102, 102])
    bins = to_numpy(keras.layers.HashedCrossing(num_bins=5)((feat1, feat2)))
    np.testing.assert_array_equal(bins, [1, 4, 1, 1, 3])
    one_hot = keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")
    out = one_hot((feat1, feat2))
    assert keras.backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_array_equal(to_numpy(out), np.eye(5, dtype="float32")[bins])
    column = one_hot((feat1[:, None], feat2[:, None]))
    np.testing.assert_array_equal(to_numpy(column), np.eye(5, dtype="float32")[bins])
    scalar = one_hot((feat1[1], feat2[1]))
    np.testing.assert_array_equal(to_numpy(scalar), np.eye(5)[bins[1]][None])  # as Keras 3
    assert one_hot.compute_output_shape([(), ()]) == (1, 5)
    # Engine tensors of integers are read like arrays.
    tensor = keras.ops.convert_to_tensor(feat2.astype("int32"))
    np.testing.assert_array_equal(to_numpy(keras.layers.HashedCrossing(5)((feat1, tensor))), bins)


def test_hashed_crossing_shapes_config_and_errors():
    layer = keras.layers.HashedCrossing(8, output_mode="one_hot", name="cross")
    a, b = keras.Input((1,), dtype="string"), keras.Input((1,), dtype="int64")
    assert layer([a, b]).shape == (None, 8)
    assert layer.compute_output_shape([(None,), (None,)]) == (None, 8)
    assert keras.layers.HashedCrossing(8).compute_output_shape([(4, 1), (4, 1)]) == (4, 1)
    config = layer.get_config()
    assert config == {
        "num_bins": 8,
        "output_mode": "one_hot",
        "sparse": False,
        "name": "cross",
        "dtype": "float32",
    }
    clone = keras.layers.HashedCrossing.from_config(config)
    np.testing.assert_array_equal(
        to_numpy(clone((CROSS_A, CROSS_B))), to_numpy(layer((CROSS_A, CROSS_B)))
    )
    assert keras.layers.HashedCrossing(3).get_config()["dtype"] == "int64"
    with pytest.raises(ValueError, match="list or tuple"):
        keras.layers.HashedCrossing(3)(CROSS_A)
    with pytest.raises(ValueError, match="at least two"):
        keras.layers.HashedCrossing(3)([CROSS_A])
    with pytest.raises(ValueError, match="equal shape"):
        keras.layers.HashedCrossing(3)((CROSS_A, CROSS_B[:3]))
    with pytest.raises(ValueError, match=r"\(batch_size, 1\)"):
        keras.layers.HashedCrossing(3)((np.ones((2, 2), "int32"), np.ones((2, 2), "int32")))
    with pytest.raises(ValueError, match="integer or string"):
        keras.layers.HashedCrossing(3)((CROSS_A, np.ones(6, "float32")))
    with pytest.raises(ValueError, match="output_mode"):
        keras.layers.HashedCrossing(3, output_mode="multi_hot")
    with pytest.raises(ValueError, match="sparse"):
        keras.layers.HashedCrossing(3, output_mode="one_hot", sparse=True)
    with pytest.raises(ValueError, match="num_bins"):
        keras.layers.HashedCrossing(0)


# --- serialize / deserialize / dot ------------------------------------------------------


def test_layers_serialize_deserialize_round_trip():
    layer = keras.layers.Dense(3, activation="relu", name="d")
    layer.build((None, 4))
    config = keras.layers.serialize(layer)
    json.dumps(config)
    assert config["class_name"] == "Dense" and config["module"] == "keras.layers"
    assert config["config"]["units"] == 3
    assert config["build_config"] == {"input_shape": [None, 4]} or tuple(
        config["build_config"]["input_shape"]
    ) == (None, 4)
    restored = keras.layers.deserialize(config)
    assert isinstance(restored, keras.layers.Dense) and restored.built
    assert restored.get_config() == layer.get_config()
    for new in (
        keras.layers.RMSNormalization(axis=[1]),
        keras.layers.HashedCrossing(4),
        keras.layers.ReversibleEmbedding(5, 2, tie_weights=False),
    ):
        again = keras.layers.deserialize(keras.layers.serialize(new))
        assert type(again) is type(new) and again.get_config() == new.get_config()


def test_layers_deserialize_custom_objects_and_errors():
    class Twice(keras.layers.Layer):
        def call(self, x):
            return x * 2

    config = keras.layers.serialize(Twice(name="twice"))
    with pytest.raises(ValueError):
        keras.layers.deserialize(config)
    restored = keras.layers.deserialize(config, custom_objects={"Twice": Twice})
    assert isinstance(restored, Twice) and restored.name == "twice"
    with pytest.raises(ValueError, match="not a `keras.layers.Layer`"):
        loss = keras.losses.MeanSquaredError()
        keras.layers.deserialize(keras.saving.serialize_keras_object(loss))


@pytest.mark.parametrize(
    "axes,shapes",
    [
        (-1, ((2, 3), (2, 3))),
        (1, ((2, 4, 3), (2, 4, 5))),
        ((2, 1), ((2, 3, 4), (2, 4, 5))),
    ],
)
@pytest.mark.parametrize("normalize", [False, True])
def test_dot_functional_form(axes, shapes, normalize):
    x1, x2 = rand(shapes[0], seed=1), rand(shapes[1], seed=2)
    out = keras.layers.dot([x1, x2], axes=axes, normalize=normalize)
    expected = keras.layers.Dot(axes=axes, normalize=normalize)([x1, x2])
    assert_outputs_close(out, expected)
    a1, a2 = (axes, axes) if isinstance(axes, int) else axes
    n1 = x1 / np.linalg.norm(x1, axis=a1, keepdims=True) if normalize else x1
    n2 = x2 / np.linalg.norm(x2, axis=a2, keepdims=True) if normalize else x2
    reference = np.stack(
        [
            np.tensordot(n1[i], n2[i], axes=(a1 % n1.ndim - 1, a2 % n2.ndim - 1))
            for i in range(len(x1))
        ]
    )
    if reference.ndim == 1:
        reference = reference[:, None]
    assert_outputs_close(out, reference, rtol=1e-5, atol=1e-5)
    symbolic = keras.layers.dot(
        [keras.Input(shapes[0][1:]), keras.Input(shapes[1][1:])], axes=axes, name="dotted"
    )
    assert symbolic.shape == (None,) + reference.shape[1:]


def test_functional_merge_forms_exist():
    x = [rand((2, 3), seed=1), rand((2, 3), seed=2)]
    for fn, cls in (
        (keras.layers.add, keras.layers.Add),
        (keras.layers.subtract, keras.layers.Subtract),
        (keras.layers.multiply, keras.layers.Multiply),
        (keras.layers.average, keras.layers.Average),
        (keras.layers.maximum, keras.layers.Maximum),
        (keras.layers.minimum, keras.layers.Minimum),
        (keras.layers.concatenate, keras.layers.Concatenate),
    ):
        assert_outputs_close(fn(x), cls()(x))


# --- Input(ragged=...) and sparse_sigmoid -----------------------------------------------


def test_input_ragged_as_keras():
    layer = keras.layers.InputLayer(shape=(3,), ragged=False)
    assert layer.get_config()["ragged"] is False
    assert keras.Input((3,), ragged=False).shape == (None, 3)
    assert keras.Input((3,), ragged=None).shape == (None, 3)
    backend = keras.backend.backend()
    with pytest.raises(
        ValueError, match=f"`ragged=True` is not supported with the {backend} backend"
    ):
        keras.Input((None,), ragged=True)
    clone = keras.layers.InputLayer.from_config(layer.get_config())
    assert clone.batch_shape == (None, 3)


def test_sparse_sigmoid_activation():
    x = np.array([-3.0, -1.0, -0.5, 0.0, 0.25, 1.0, 4.0], "float32")
    expected = np.where(x <= -1, 0.0, np.where(x >= 1, 1.0, (x + 1) / 2))
    assert_outputs_close(keras.activations.sparse_sigmoid(x), expected)
    assert keras.activations.get("sparse_sigmoid") is keras.activations.sparse_sigmoid
    assert keras.activations.serialize(keras.activations.sparse_sigmoid) == "sparse_sigmoid"
    assert_outputs_close(keras.ops.sparse_sigmoid(x), expected)
    assert_outputs_close(keras.ops.nn.sparse_sigmoid(x), expected)
    layer = keras.layers.Dense(2, activation="sparse_sigmoid")
    assert layer.get_config()["activation"] == "sparse_sigmoid"
