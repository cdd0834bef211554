"""The model API: Sequential, Functional and subclassed models (backend-agnostic)."""

import json

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops


def np_out(x):
    if isinstance(x, (list, tuple)):
        return [np_out(v) for v in x]
    if isinstance(x, dict):
        return {k: np_out(v) for k, v in x.items()}
    return ops.convert_to_numpy(x)


def data(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def dense_ref(x, kernel, bias, act=lambda v: v):
    return act(x @ kernel + bias)


def relu(v):
    return np.maximum(v, 0)


# --- Sequential -----------------------------------------------------------------------------
def test_sequential_with_input_first():
    model = keras.Sequential(
        [keras.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(2)]
    )
    assert model.built
    assert [layer.__class__.__name__ for layer in model.layers] == ["Dense", "Dense"]
    assert model.output.shape == (None, 2)
    x = data(5, 4)
    k1, b1, k2, b2 = model.get_weights()
    np.testing.assert_allclose(
        np_out(model(x)), dense_ref(dense_ref(x, k1, b1, relu), k2, b2), rtol=1e-5, atol=1e-6
    )


def test_sequential_input_shape_kwarg_builds():
    model = keras.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(1)])
    assert model.built
    assert model.inputs[0].shape == (None, 4)
    assert model.count_params() == 4 * 3 + 3 + 3 + 1


def test_sequential_deferred_build_on_first_call():
    model = keras.Sequential([layers.Dense(3), layers.Dense(2)])
    assert not model.built
    assert model.weights == []
    out = model(data(2, 5))
    assert model.built
    assert np_out(out).shape == (2, 2)
    assert [tuple(w.shape) for w in model.weights] == [(5, 3), (3,), (3, 2), (2,)]


def test_sequential_add_pop_and_layers():
    model = keras.Sequential()
    model.add(keras.Input((4,)))
    model.add(layers.Dense(3, name="d1"))
    model.add(layers.Dense(2, name="d2"))
    assert [layer.name for layer in model.layers] == ["d1", "d2"]
    assert model.output.shape == (None, 2)
    popped = model.pop()
    assert popped.name == "d2"
    assert [layer.name for layer in model.layers] == ["d1"]
    assert np_out(model(data(2, 4))).shape == (2, 3)
    with pytest.raises(ValueError, match="layers"):
        model.add("not a layer")


def test_sequential_summary_lists_layers_shapes_params():
    model = keras.Sequential(
        [keras.Input((4,)), layers.Dense(3, name="hidden"), layers.Dense(2, name="head")],
        name="seq",
    )
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    for expected in ("seq", "hidden", "head", "Dense", "(None, 3)", "(None, 2)", "15", "8", "23"):
        assert expected in text, (expected, text)


def test_sequential_get_set_weights():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    new = [np.full(w.shape, i + 1.0, "float32") for i, w in enumerate(model.get_weights())]
    model.set_weights(new)
    for got, expected in zip(model.get_weights(), new):
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError):
        model.set_weights(new[:2])


def test_sequential_config_roundtrip():
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(3, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(2),
        ]
    )
    config = model.get_config()
    json.dumps(config)
    clone = keras.Sequential.from_config(config)
    clone.set_weights(model.get_weights())
    x = data(3, 4)
    np.testing.assert_allclose(np_out(clone(x)), np_out(model(x)), rtol=1e-6)


# --- Functional -----------------------------------------------------------------------------
def test_functional_multi_input_multi_output_lists():
    a, b = keras.Input((3,), name="a"), keras.Input((2,), name="b")
    merged = layers.Concatenate()([a, b])
    out1 = layers.Dense(4, name="o1")(merged)
    out2 = layers.Dense(1, name="o2")(merged)
    model = keras.Model([a, b], [out1, out2])
    xa, xb = data(5, 3), data(5, 2, seed=1)
    y1, y2 = np_out(model([xa, xb]))
    cat = np.concatenate([xa, xb], axis=1)
    k1, b1 = model.get_layer("o1").get_weights()
    k2, b2 = model.get_layer("o2").get_weights()
    np.testing.assert_allclose(y1, dense_ref(cat, k1, b1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(y2, dense_ref(cat, k2, b2), rtol=1e-5, atol=1e-6)
    assert [t.shape for t in model.outputs] == [(None, 4), (None, 1)]


def test_functional_dict_inputs_outputs():
    inputs = {"x": keras.Input((3,), name="x"), "y": keras.Input((3,), name="y")}
    total = layers.Add()([inputs["x"], inputs["y"]])
    model = keras.Model(inputs, {"sum": total, "double": layers.Rescaling(2.0)(total)})
    x, y = data(2, 3), data(2, 3, seed=1)
    out = np_out(model({"x": x, "y": y}))
    assert set(out) == {"sum", "double"}
    np.testing.assert_allclose(out["sum"], x + y, rtol=1e-6)
    np.testing.assert_allclose(out["double"], 2 * (x + y), rtol=1e-6)


def _small_model(name):
    inp = keras.Input((4,))
    return keras.Model(inp, layers.Dense(2, name=f"{name}_dense")(inp), name=name)


def test_nested_functional_model_as_layer():
    inner = _small_model("inner")
    inp = keras.Input((4,))
    out = layers.Dense(1, name="outer_dense")(inner(inp))
    outer = keras.Model(inp, out)
    assert inner in outer.layers
    assert len(outer.weights) == 4
    x = data(3, 4)
    k1, b1, k2, b2 = outer.get_weights()
    np.testing.assert_allclose(
        np_out(outer(x)), dense_ref(dense_ref(x, k1, b1), k2, b2), rtol=1e-5, atol=1e-6
    )


def test_shared_layer_weights_reused():
    shared = layers.Dense(3, name="shared")
    a, b = keras.Input((4,)), keras.Input((4,))
    model = keras.Model([a, b], layers.Subtract()([shared(a), shared(b)]))
    assert len(model.weights) == 2
    xa, xb = data(2, 4), data(2, 4, seed=1)
    kernel, _ = shared.get_weights()
    np.testing.assert_allclose(np_out(model([xa, xb])), (xa - xb) @ kernel, rtol=1e-4, atol=1e-5)


def _graph_model():
    a, b = keras.Input((4,), name="in_a"), keras.Input((4,), name="in_b")
    shared = layers.Dense(3, name="shared")
    x = layers.Add()([shared(a), shared(b)])
    x = x[:, :2] + 1.0  # raw ops inside the graph
    x = layers.Dense(2, activation="tanh", name="head")(x)
    return keras.Model([a, b], [x, _small_model("sub")(a)], name="graph")


def test_functional_config_roundtrip_equal_predictions():
    model = _graph_model()
    config = model.get_config()
    json.dumps(config)
    clone = keras.models.Functional.from_config(config)
    clone.set_weights(model.get_weights())
    xs = [data(3, 4), data(3, 4, seed=1)]
    for got, expected in zip(np_out(clone(xs)), np_out(model(xs))):
        np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]


def test_model_from_config_builds_functional():
    # Keras 3: `keras.Model.from_config` recognises a functional config.
    model = _small_model("small")
    clone = keras.Model.from_config(model.get_config())
    x = data(2, 4)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(np_out(clone(x)), np_out(model(x)), rtol=1e-6)


def test_model_saving_serialize_roundtrip():
    model = _graph_model()
    clone = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    )
    clone.set_weights(model.get_weights())
    xs = [data(3, 4), data(3, 4, seed=1)]
    for got, expected in zip(np_out(clone(xs)), np_out(model(xs))):
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_raw_ops_in_graph_values():
    inp = keras.Input((4,))
    model = keras.Model(inp, ops.exp(inp[:, :2] + 1.0) * 2.0)
    x = data(2, 4)
    assert model.output.shape == (None, 2)
    np.testing.assert_allclose(np_out(model(x)), np.exp(x[:, :2] + 1) * 2, rtol=1e-5)


def test_graph_disconnected_error():
    a, b = keras.Input((3,)), keras.Input((3,))
    out = layers.Add()([a, b])
    with pytest.raises(ValueError, match="[Gg]raph disconnected"):
        keras.Model(a, out)


def test_input_dtype_casting():
    inp = keras.Input((3,), dtype="float32")
    model = keras.Model(inp, layers.Identity()(inp))
    out = model(np.arange(6, dtype="int32").reshape(2, 3))
    assert keras.backend.standardize_dtype(out.dtype) == "float32"
    int_in = keras.Input((3,), dtype="int32")
    int_model = keras.Model(int_in, ops.add(int_in, 1))
    assert keras.backend.standardize_dtype(int_model(np.ones((1, 3), "int64")).dtype) == "int32"


def test_wrong_number_of_inputs():
    model = _graph_model()
    with pytest.raises(ValueError, match="input"):
        model([data(2, 4)])


# --- subclassed -----------------------------------------------------------------------------
class TwoLayer(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(5, activation="relu", name="hidden")
        self.blocks = [layers.Dense(3, name="block0"), layers.Dense(2, name="block1")]

    def call(self, inputs, training=None):
        x = self.hidden(inputs)
        for block in self.blocks:
            x = block(x)
        return x


def test_subclassed_model_tracks_sublayers():
    model = TwoLayer()
    x = data(4, 6)
    out = np_out(model(x))
    assert [layer.name for layer in model.layers] == ["hidden", "block0", "block1"]
    assert len(model.weights) == 6 and len(model.trainable_weights) == 6
    assert model.count_params() == 6 * 5 + 5 + 5 * 3 + 3 + 3 * 2 + 2
    k1, b1, k2, b2, k3, b3 = model.get_weights()
    expected = dense_ref(dense_ref(dense_ref(x, k1, b1, relu), k2, b2), k3, b3)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_trainable_flag_propagates():
    model = TwoLayer()
    model(data(1, 6))
    model.trainable = False
    assert all(not layer.trainable for layer in model.layers)
    assert model.trainable_weights == []
    assert len(model.non_trainable_weights) == 6
    model.trainable = True
    model.blocks[0].trainable = False
    assert len(model.trainable_weights) == 4


# --- predict, paths, count_params -----------------------------------------------------------
def test_predict_batches_concatenated():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    x = data(10, 3)
    out = model.predict(x, batch_size=4)
    assert isinstance(out, np.ndarray) and out.shape == (10, 2)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(out, x @ kernel + bias, rtol=1e-5, atol=1e-6)


def test_predict_multi_output():
    out = _graph_model().predict([data(5, 4), data(5, 4, seed=1)], batch_size=2)
    assert [o.shape for o in out] == [(5, 2), (5, 2)]


def test_weight_paths():
    model = keras.Sequential(
        [keras.Input((3,)), layers.Dense(2, name="dense"), layers.Dense(1, name="dense_out")],
        name="seq",
    )
    # Keras 3: the layers a Sequential builds get paths under the model's name.
    assert [w.path for w in model.weights] == [
        "seq/dense/kernel",
        "seq/dense/bias",
        "seq/dense_out/kernel",
        "seq/dense_out/bias",
    ]


def test_count_params():
    model = _graph_model()
    assert model.count_params() == (4 * 3 + 3) + (2 * 2 + 2) + (4 * 2 + 2)
    assert model.count_params() == sum(w.size for w in model.get_weights())


def test_training_flag_reaches_layers_inside_models():
    x = np.ones((4, 50), "float32")
    inp = keras.Input((50,))
    models = [
        keras.Sequential([keras.Input((50,)), layers.Dropout(0.5, seed=1)]),
        keras.Model(inp, layers.Dropout(0.5, seed=1)(inp)),
    ]
    for model in models:
        np.testing.assert_array_equal(np_out(model(x)), x)
        dropped = np_out(model(x, training=True))
        assert (dropped == 0).any() and set(np.unique(dropped)) <= {0.0, 2.0}


def test_export_unknown_format_names_installed_formats():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="Unknown export format 'tflite'"):
        model.export("unused", format="tflite")
