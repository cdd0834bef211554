"""Pieces of keras.io structured-data, timeseries, NLP and keras_recipes examples that found
unikeras defects, run with `import unikeras as keras` on small synthetic data.

structured_data_classification_with_feature_space: a `FeatureSpace` mapped over a `tf.data`
pipeline (`train_ds.map(lambda x, y: (feature_space(x), y))`) and an end-to-end inference
model taking a dict of raw values, strings included, of one sample each.
"""

import re

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import table
from unikeras.utils import FeatureSpace

_TRAINS = table.backend_info()["training"]


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(1337)


def _heart_data(n=40):
    # synthetic columns in place of the Cleveland heart.csv the example downloads
    rng = np.random.default_rng(0)
    return {
        "age": rng.integers(29, 77, n).astype("int64"),
        "sex": rng.integers(0, 2, n).astype("int64"),
        "chol": rng.normal(240.0, 50.0, n).astype("float32"),
        "thal": rng.choice(["fixed", "normal", "reversible"], n),
    }


def _heart_feature_space(output_mode="concat"):
    return FeatureSpace(
        features={
            "sex": FeatureSpace.integer_categorical(num_oov_indices=0),
            "thal": FeatureSpace.string_categorical(num_oov_indices=0),
            "age": FeatureSpace.float_discretized(num_bins=4),
            "chol": FeatureSpace.float_normalized(),
        },
        crosses=[FeatureSpace.cross(feature_names=("sex", "age"), crossing_dim=8)],
        output_mode=output_mode,
    )


@pytest.mark.parametrize("output_mode", ["concat", "dict"])
def test_feature_space_in_tf_data_map(output_mode):
    # Keras 3's FeatureSpace runs inside a tf.data map on every backend; unikeras' read
    # the batch dimension (None in the graph) as a number and the graph tensors as NumPy.
    tf = pytest.importorskip("tensorflow", reason="tf.data needs TensorFlow")
    data = _heart_data()
    labels = np.arange(40) % 2
    train_ds = tf.data.Dataset.from_tensor_slices((data, labels)).batch(16)
    feature_space = _heart_feature_space(output_mode)
    feature_space.adapt(train_ds.map(lambda x, _: x))

    mapped = train_ds.map(lambda x, y: (feature_space(x), y))
    features, y = next(iter(mapped))
    eager = feature_space({k: v[:16] for k, v in data.items()})
    if output_mode == "concat":
        assert tuple(features.shape) == (16, 2 + 3 + 4 + 8 + 1)
        assert tuple(mapped.element_spec[0].shape) == (None, 18)
        np.testing.assert_allclose(np.asarray(features), np.asarray(eager), atol=1e-6)
        # the float_normalized column (the features sorted by name: age, chol, ...) is
        # (chol - mean) / std of the adapted column
        chol = data["chol"]
        expected = (chol[:16] - chol.mean()) / chol.std()
        np.testing.assert_allclose(np.asarray(features)[:, 4], expected, rtol=1e-4, atol=1e-4)
    else:
        assert sorted(features) == ["age", "chol", "sex", "sex_X_age", "thal"]
        for name in features:
            np.testing.assert_allclose(
                np.asarray(features[name]), np.asarray(eager[name]), atol=1e-6
            )
        # one-hot thal: the vocabulary sorted by frequency, each row a single 1
        assert np.all(np.asarray(features["thal"]).sum(axis=1) == 1)
    np.testing.assert_array_equal(np.asarray(y), labels[:16])


def test_feature_space_inference_model_on_raw_strings():
    # The end-to-end model of a FeatureSpace takes `{name: np.array([value])}` for one
    # sample: rank-1 columns for its Input((1,)) entries, strings included. On jax and
    # torch the string column was converted to an engine tensor to add the axis and failed.
    data = _heart_data()
    feature_space = _heart_feature_space()
    feature_space.adapt(data)
    encoded = feature_space.get_encoded_features()
    predictions = keras.layers.Dense(1, activation="sigmoid")(encoded)
    training_model = keras.Model(inputs=encoded, outputs=predictions)
    inference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=predictions)

    sample = {"age": 60, "sex": 1, "chol": 233.0, "thal": "fixed"}
    raw = {name: np.array([value]) for name, value in sample.items()}
    expected = training_model.predict(feature_space(raw), verbose=0)
    got = inference_model.predict(raw, verbose=0)
    assert got.shape == (1, 1)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    # a batch of rank-1 columns as well
    batch = {k: v[:5] for k, v in data.items()}
    np.testing.assert_allclose(
        inference_model.predict(batch, verbose=0),
        training_model.predict(feature_space(batch), verbose=0),
        rtol=1e-5,
        atol=1e-6,
    )


def test_layer_build_without_shape_argument():
    # classification_with_grn_and_vsn's VariableSelection defines `def build(self):` ("to
    # remove the build warnings"); Keras 3 calls it with no argument, unikeras passed the
    # input shape (TypeError: build() takes 1 positional argument but 2 were given).
    class Scale(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(3, kernel_initializer="ones")

        def call(self, inputs):
            return self.dense(inputs["a"]) * inputs["b"]

        def build(self):
            self.built = True

    inputs = {"a": keras.Input(shape=(2,)), "b": keras.Input(shape=(1,))}
    model = keras.Model(inputs, Scale()(inputs))
    a = np.array([[1.0, 2.0], [3.0, -1.0]], dtype="float32")
    b = np.array([[2.0], [0.5]], dtype="float32")
    expected = (a.sum(axis=1, keepdims=True) * np.ones((1, 3))) * b
    np.testing.assert_allclose(
        np.asarray(model.predict({"a": a, "b": b}, verbose=0)), expected, rtol=1e-6
    )
    assert len(model.trainable_weights) == 2


# --- float8_training_and_inference_with_transformer -----------------------------------------


def _small_transformer():
    inputs = keras.Input(shape=(6,), dtype="int32")
    x = keras.layers.Embedding(20, 8)(inputs)
    attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=8, name="mha")
    x = attention(x, x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(2, activation="softmax", name="head")(x)
    return keras.Model(inputs, outputs, name="model"), attention


def test_quantize_float8_variable_paths_and_flatten_layers():
    # The example prints the float8 scaling variables of one attention projection by a
    # regular expression on `v.path` and the float8 layers from `model._flatten_layers()`.
    # The variables `quantize` added had no parent path ("query/inputs_scale" for Keras'
    # "mha/query/inputs_scale"; a Functional model adds no prefix of its own), and
    # `_flatten_layers` (Keras 3's private helper) did not exist. Expected values: Keras 3.15.1.
    model, _ = _small_transformer()
    model.quantize("float8")
    pattern = r"(mha).+(query).+(scale|amax_history)"
    paths = [v.path for v in model.trainable_variables if re.findall(pattern, v.path)]
    assert paths == [
        "mha/query/" + name
        for name in (
            "inputs_scale",
            "inputs_amax_history",
            "kernel_scale",
            "kernel_amax_history",
            "outputs_grad_scale",
            "outputs_grad_amax_history",
        )
    ]
    float8 = [
        layer.name
        for layer in model._flatten_layers(recursive=True)
        if "float8" in str(layer.dtype_policy)
    ]
    # Keras 3.15.1's order (a layer's own sublayers right after it, the last first)
    assert float8 == ["attention_output", "value", "key", "query", "head"]
    assert model._flatten_layers(recursive=False)[0] is model
    assert len(model._flatten_layers(include_self=False, recursive=False)) == 5


def test_einsum_dense_kernel_fans_from_the_equation():
    # Keras 3 gives an EinsumDense's VarianceScaling initializer the equation's input and
    # output axes: MultiHeadAttention's (32, 2, 32) query kernel is glorot-uniform with
    # fans 32 and 64 (limit sqrt(6 / 96) = 0.25); unikeras used the convolution fans of a
    # rank-3 shape (64 and 1024: limit 0.074), 3.4x smaller than Keras' initial weights.
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=32)
    x = np.zeros((1, 4, 32), "float32")
    layer(x, x)
    limit = np.sqrt(6.0 / (32 + 64))
    for dense in (layer.query_dense, layer.output_dense):
        kernel = np.asarray(keras.ops.convert_to_numpy(dense.kernel))
        assert np.abs(kernel).max() <= limit
        assert np.abs(kernel).max() > 0.9 * limit
        assert abs(kernel.std() - limit / np.sqrt(3.0)) < 0.1 * limit
    # an initializer with its own axes, and the layer's config, are left as given
    dense = keras.layers.EinsumDense("ab,bc->ac", output_shape=4)
    dense.build((None, 8))
    assert dense.get_config()["kernel_initializer"]["config"].get("input_axes") is None
