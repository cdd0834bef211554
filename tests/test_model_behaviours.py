"""Model and trainer behaviours that Keras 3 programs rely on (issue 15): inputs fed by name,
`input_shape`/`output_shape`, `compute_loss` overrides without `training`, input rank
adaptation and short last batches, functional subclasses, clear data errors, the order of
the logs, and Keras-quality identifier errors.

Runs on every backend; training tests skip on the inference-only ones.
"""

import inspect
import os
import subprocess
import sys

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table
from unikeras.backend.registry import canonical_name

TRAINS = bool(table.backend_info()["training"])
needs_training = pytest.mark.skipif(
    not TRAINS, reason="inference-only backend: fit raises by design"
)


def _two_input_model():
    # Named so that the sorted order of the names is the reverse of the list order.
    a = keras.Input((2,), name="zeta")
    b = keras.Input((3,), name="alpha")
    projected = layers.Dense(3, use_bias=False, kernel_initializer="ones", name="proj")(b)
    out = layers.Concatenate(name="concat")([a, projected])
    return keras.Model([a, b], out)


def _two_inputs(n=6):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, 2)).astype("float32"), rng.normal(size=(n, 3)).astype("float32")


def _expected(xa, xb):
    return np.concatenate([xa, np.repeat(xb.sum(axis=1, keepdims=True), 3, axis=1)], axis=1)


# --- inputs by name ------------------------------------------------------------------------


def test_dict_keyed_by_input_names_feeds_a_list_input_model_by_name():
    model = _two_input_model()
    xa, xb = _two_inputs()
    by_name = model.predict({"alpha": xb, "zeta": xa}, verbose=0)
    np.testing.assert_allclose(by_name, _expected(xa, xb), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model.predict([xa, xb], verbose=0), by_name, rtol=1e-6)
    direct = keras.ops.convert_to_numpy(model({"alpha": xb, "zeta": xa}))
    np.testing.assert_allclose(direct, _expected(xa, xb), rtol=1e-5, atol=1e-5)


def test_dict_missing_an_input_name_is_an_error_naming_the_inputs():
    model = _two_input_model()
    xa, xb = _two_inputs()
    with pytest.raises(ValueError, match="alpha"):
        model.predict({"zeta": xa, "other": xb}, verbose=0)


@needs_training
def test_fit_and_evaluate_with_a_dict_of_named_inputs():
    model = _two_input_model()
    xa, xb = _two_inputs(8)
    y = _expected(xa, xb)
    model.compile(optimizer="sgd", loss="mse")
    by_name = model.evaluate({"alpha": xb, "zeta": xa}, y, verbose=0)
    assert by_name == pytest.approx(0.0, abs=1e-8)
    history = model.fit({"alpha": xb, "zeta": xa}, y, epochs=1, batch_size=4, verbose=0)
    assert history.history["loss"][0] == pytest.approx(0.0, abs=1e-8)


# --- shapes --------------------------------------------------------------------------------


def test_input_and_output_shape_of_functional_and_sequential():
    model = _two_input_model()
    assert model.input_shape == [(None, 2), (None, 3)]
    assert model.output_shape == (None, 5)
    seq = keras.Sequential([keras.Input((4,)), layers.Dense(7), layers.Dense(2)])
    assert seq.input_shape == (None, 4)
    assert seq.output_shape == (None, 2)
    unbuilt = keras.Sequential([layers.Dense(2)])
    # (torch's Module.__getattr__ rewords an AttributeError raised by a property)
    with pytest.raises(AttributeError, match="input_shape"):
        unbuilt.input_shape
    with pytest.raises(AttributeError, match="output_shape"):
        unbuilt.output_shape


def test_input_rank_is_adapted_as_keras_does():
    inputs = keras.Input((4, 3, 1))
    model = keras.Model(inputs, layers.Flatten()(inputs))
    x = np.arange(2 * 4 * 3, dtype="float32").reshape(2, 4, 3)
    np.testing.assert_allclose(model.predict(x, verbose=0), x.reshape(2, -1))
    # An extra trailing axis of size 1 is squeezed.
    inputs = keras.Input((5,))
    model = keras.Model(inputs, layers.Dense(2, kernel_initializer="ones")(inputs))
    x = np.ones((3, 5, 1), "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), np.full((3, 2), 5.0), rtol=1e-6)
    with pytest.raises(ValueError, match="incompatible"):
        model.predict(np.ones((3, 5, 2), "float32"), verbose=0)


def test_input_batch_size_accepts_a_short_last_batch():
    inputs = keras.Input((3,), batch_size=4)
    model = keras.Model(inputs, layers.Dense(2, kernel_initializer="ones")(inputs))
    x = np.ones((10, 3), "float32")
    out = model.predict(x, batch_size=4, verbose=0)
    np.testing.assert_allclose(out, np.full((10, 2), 3.0), rtol=1e-6)


# --- functional subclass -------------------------------------------------------------------


class _FunctionalSubclass(keras.Model):
    def __init__(self, units, **kwargs):
        inputs = keras.Input((3,), name="features")
        outputs = layers.Dense(units, name="head")(inputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.units = units

    def double(self, x):
        return 2 * self(x)


def test_model_subclass_calling_init_with_inputs_and_outputs_is_functional():
    model = _FunctionalSubclass(4, name="sub")
    assert isinstance(model, _FunctionalSubclass)
    assert model.name == "sub" and model.units == 4
    assert [layer.name for layer in model.layers] == ["features", "head"]
    assert model.output_shape == (None, 4)
    x = np.ones((2, 3), "float32")
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in model.get_layer("head").weights)
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ kernel + bias, rtol=1e-5)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(model.double(x)), 2 * (x @ kernel + bias), rtol=1e-5
    )
    # A second instance is built the same way.
    assert _FunctionalSubclass(2).output_shape == (None, 2)


@needs_training
def test_functional_subclass_trains():
    model = _FunctionalSubclass(1)
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(1).normal(size=(16, 3)).astype("float32")
    history = model.fit(x, x.sum(axis=1, keepdims=True), epochs=3, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


# --- compute_loss overrides ----------------------------------------------------------------


@needs_training
@pytest.mark.parametrize("with_training", [False, True])
def test_compute_loss_override_gets_training_only_when_it_accepts_it(with_training):
    seen = []

    if with_training:

        class Custom(keras.Model):
            def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
                seen.append(training)
                return keras.ops.mean(keras.ops.square(y - y_pred))
    else:

        class Custom(keras.Model):  # written for Keras < 3.3: no `training`
            def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
                seen.append("called")
                return keras.ops.mean(keras.ops.square(y - y_pred))

    inputs = keras.Input((2,))
    model = Custom(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", run_eagerly=True)
    x = np.ones((4, 2), "float32")
    y = np.zeros((4, 1), "float32")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    model.evaluate(x, y, verbose=0)
    if with_training:
        assert seen == [True, False]
    else:
        assert seen == ["called", "called"]


# --- data errors ---------------------------------------------------------------------------


def _classifier(classes=3):
    inputs = keras.Input((2,), name="features")
    return keras.Model(inputs, layers.Dense(classes, activation="softmax")(inputs))


@needs_training
@pytest.mark.parametrize("bad", [3, 7, -1])
def test_sparse_labels_out_of_range_raise(bad):
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.ones((4, 2), "float32")
    y = np.array([0, 1, 2, bad])
    for run in (
        lambda: model.fit(x, y, verbose=0),
        lambda: model.evaluate(x, y, verbose=0),
        lambda: model.train_on_batch(x, y),
    ):
        with pytest.raises(ValueError, match=rf"label value of {bad}.*\[0, 3\)"):
            run()
    # In range and `ignore_class` labels train.
    model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(ignore_class=-1))
    model.fit(x, np.array([0, 1, 2, -1]), verbose=0)


def test_python_lists_of_numbers_are_refused_naming_the_argument():
    model = _classifier()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"Unrecognized data type: x=\[\[1\.0"):
        model.predict([[1.0, 2.0], [3.0, 4.0]], verbose=0)
    if TRAINS:
        with pytest.raises(ValueError, match=r"Unrecognized data type: y=\[0, 1\]"):
            model.fit(np.ones((2, 2), "float32"), [0, 1], verbose=0)


def test_string_arrays_without_a_string_layer_name_the_input():
    model = _classifier()
    with pytest.raises(ValueError, match="Input 'features'.*strings.*StringLookup"):
        model.predict(np.array([["a", "b"]]), verbose=0)


# --- log order -----------------------------------------------------------------------------


@needs_training
def test_logs_are_in_keras_order_on_every_backend():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(2)(inputs))
    model.compile(
        optimizer="sgd",
        loss="mse",
        metrics=["mse", "mae", keras.metrics.MeanSquaredError(name="b_mse")],
    )
    batch_keys, epoch_keys = [], []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batch_keys.append(list(logs))

        def on_epoch_end(self, epoch, logs=None):
            epoch_keys.append(list(logs))

    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    y = np.zeros((8, 2), "float32")
    history = model.fit(
        x, y, epochs=1, batch_size=3, validation_split=0.25, verbose=0, callbacks=[Record()]
    )
    train = ["b_mse", "loss", "mae", "mse"]  # Keras 3 sorts the logs by name
    assert batch_keys[0] == train
    assert epoch_keys[0] == train + [f"val_{k}" for k in train]
    assert list(history.history) == epoch_keys[0]
    assert list(model.evaluate(x, y, verbose=0, return_dict=True)) == train
    assert list(model.train_on_batch(x, y, return_dict=True)) == train
    # The list form follows the compile order: loss, then the metrics as given.
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(
        [logs["loss"], logs["mse"], logs["mae"], logs["b_mse"]]
    )


@needs_training
def test_log_order_matches_keras():
    pytest.importorskip("keras")  # Keras 3.15.1 (jax env)
    code = """
import os, sys, json
import numpy as np
import keras
inputs = keras.Input((3,))
o1 = keras.layers.Dense(2, name="o1")(inputs)
o2 = keras.layers.Dense(1, name="o2")(inputs)
model = keras.Model(inputs, [o1, o2])
model.compile("sgd", loss=["mse", "mae"], metrics=[["mae", "mse"], ["mse"]])
x = np.random.rand(8, 3).astype("float32")
h = model.fit(x, [np.zeros((8, 2)), np.zeros((8, 1))], epochs=1, batch_size=8,
              validation_split=0.25, verbose=0)
print(json.dumps(list(h.history)))
"""
    if keras.backend.backend() != "jax":
        pytest.skip("compared once, in the jax env (Keras 3 runs there on jax)")
    env = dict(os.environ, KERAS_BACKEND="jax")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    if result.returncode:
        pytest.skip(f"Keras 3 did not run here: {result.stderr[-300:]}")
    import json

    keras_keys = json.loads(result.stdout.strip().splitlines()[-1])
    inputs = keras.Input((3,))
    o1 = layers.Dense(2, name="o1")(inputs)
    o2 = layers.Dense(1, name="o2")(inputs)
    model = keras.Model(inputs, [o1, o2])
    model.compile("sgd", loss=["mse", "mae"], metrics=[["mae", "mse"], ["mse"]])
    x = np.random.rand(8, 3).astype("float32")
    h = model.fit(
        x,
        [np.zeros((8, 2)), np.zeros((8, 1))],
        epochs=1,
        batch_size=8,
        validation_split=0.25,
        verbose=0,
    )
    assert list(h.history) == keras_keys


# --- identifiers ---------------------------------------------------------------------------


def test_unknown_identifiers_get_keras_quality_messages():
    with pytest.raises(
        ValueError,
        match=r"Could not interpret optimizer identifier: "
        r"'adamz'.*Adam",
    ):
        keras.optimizers.get("adamz")
    with pytest.raises(ValueError, match=r"Could not interpret loss identifier: 'msez'.*mse"):
        keras.losses.get("msez")
    with pytest.raises(ValueError, match=r"Could not interpret metric identifier: 'acc2'"):
        keras.metrics.get("acc2")
    assert type(keras.optimizers.get("ADAM")).__name__ == "Adam"
    if TRAINS:
        model = _classifier()
        with pytest.raises(ValueError, match="optimizer identifier: 'adamz'"):
            model.compile(optimizer="adamz", loss="mse")


@pytest.mark.parametrize(
    "given, expected",
    [
        ("JAX", "jax"),
        ("Torch", "torch"),
        ("TF", "tensorflow"),
        ("TensorFlow", "tensorflow"),
        (" numpy ", "numpy"),
        ("PyTorch", "torch"),
        ("OpenVINO", "openvino"),
    ],
)
def test_backend_names_are_case_insensitive(given, expected):
    assert canonical_name(given) == expected


def test_backend_env_var_in_upper_case_selects_the_backend(run_python):
    active = keras.backend.backend()
    out = run_python(
        "import unikeras; print(unikeras.backend.backend())", UNIKERAS_BACKEND=active.upper()
    ).stdout
    assert out.strip().splitlines()[-1] == active


def test_unknown_backend_name_lists_the_known_ones():
    from unikeras.backend import registry

    with pytest.raises(
        registry.BackendError,
        match=r"'nosuch'.*Installed backends.*Known "
        r"backend names.*jax",
    ):
        registry.select("NoSuch")
    assert registry.backend() == keras.backend.backend()


def test_compute_loss_signature_default_has_training():
    assert "training" in inspect.signature(keras.Model.compute_loss).parameters


# --- preprocessing layers inside tf.data ---------------------------------------------------


def _tf():
    return pytest.importorskip("tensorflow", reason="tf.data needs TensorFlow")


def _images(n=8):
    return np.random.default_rng(0).random((n, 5, 6, 3)).astype("float32")


def test_preprocessing_layers_run_inside_a_tf_data_pipeline():
    tf = _tf()
    active = keras.backend.backend()
    x = _images()
    rescale = layers.Rescaling(1 / 255.0, offset=0.5)
    flip = layers.RandomFlip("horizontal", seed=3)
    resize = layers.Resizing(4, 4)
    dataset = tf.data.Dataset.from_tensor_slices(x).batch(3)  # unknown batch size
    rescaled = np.concatenate([b.numpy() for b in dataset.map(rescale)])
    np.testing.assert_allclose(rescaled, x / 255.0 + 0.5, rtol=1e-6)
    resized = np.concatenate([b.numpy() for b in dataset.map(resize)])
    assert resized.shape == (8, 4, 4, 3)
    # Each image is itself or its mirror, and the draws change from batch to batch.
    flipped = np.concatenate([b.numpy() for b in dataset.map(flip)])
    mirrored = [np.allclose(f, i[:, ::-1]) for f, i in zip(flipped, x)]
    assert all(np.allclose(f, i) or m for f, i, m in zip(flipped, x, mirrored))
    epochs = {
        tuple(
            np.allclose(f, i[:, ::-1])
            for f, i in zip(np.concatenate([b.numpy() for b in dataset.map(flip)]), x)
        )
        for _ in range(6)
    }
    assert len(epochs) > 1
    # The active backend is back in charge afterwards.
    assert keras.backend.backend() == active
    out = layers.Rescaling(2.0)(x[:2])
    assert (
        keras.ops.is_tensor(out)
        and type(out).__module__.split(".")[0] != "tensorflow"
        or active == "tensorflow"
    )
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out), 2 * x[:2], rtol=1e-6)


def test_augmentation_model_maps_over_unbatched_and_batched_data():
    tf = _tf()
    x = _images()
    for dataset in (
        tf.data.Dataset.from_tensor_slices(x).batch(4),
        tf.data.Dataset.from_tensor_slices(x),
    ):
        augment = keras.Sequential(
            [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1), layers.RandomZoom(0.1)]
        )
        outputs = [b.numpy() for b in dataset.map(lambda image: augment(image))]
        assert np.concatenate([o.reshape(-1, 5, 6, 3) for o in outputs]).shape == x.shape
        assert all(np.all(np.isfinite(o)) for o in outputs)


@needs_training
def test_fit_on_a_dataset_augmented_by_keras_layers():
    tf = _tf()
    x = _images(12)
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
    augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.Rescaling(2.0)])
    dataset = (
        tf.data.Dataset.from_tensor_slices((x, y))
        .batch(5)
        .map(lambda images, labels: (augment(images), labels))
    )
    inputs = keras.Input((5, 6, 3))
    model = keras.Model(
        inputs, layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling2D()(inputs))
    )
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    history = model.fit(dataset, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.all(np.isfinite(history.history["loss"]))


def test_graph_scope_without_the_tensorflow_plugin_is_a_clear_error(monkeypatch):
    from unikeras.backend import registry

    if keras.backend.backend() == "tensorflow":
        pytest.skip("the scope is a no-op on the tensorflow backend")

    def not_installed(name):
        raise registry.BackendError(f"Unknown or uninstalled unikeras backend {name!r}.")

    monkeypatch.setattr(registry, "_SCOPE_TABLES", {})
    monkeypatch.setattr(registry, "_load_backend", not_installed)
    with pytest.raises(registry.BackendError, match=r"tf.data.*pip install unikeras-tf"):
        with registry.graph_scope("tensorflow"):
            pass
    assert registry.in_graph_scope() is None


def test_get_and_set_state_tree():
    # Model.get_state_tree's docstring example: the tree Keras 3.15.1 documents (and returns)
    model = keras.Sequential(
        [keras.Input(shape=(1,), name="my_input"), layers.Dense(1, name="my_dense")],
        name="my_sequential",
    )
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = np.array([[1.0]], "float32"), np.array([[1.0]], "float32")
    if TRAINS:
        model.fit(x, y, verbose=0)
    else:
        model.evaluate(x, y, verbose=0)
    tree = model.get_state_tree(value_format="numpy_array")
    assert set(tree) == {
        "trainable_variables",
        "non_trainable_variables",
        "optimizer_variables",
        "metrics_variables",
    }
    dense = tree["trainable_variables"]["my_sequential"]["my_dense"]
    np.testing.assert_array_equal(dense["kernel"], model.layers[0].kernel.numpy())
    assert set(dense) == {"kernel", "bias"}
    assert tree["non_trainable_variables"] == {}
    assert {k: set(v) for k, v in tree["metrics_variables"].items()} == {
        "loss": {"count", "total"},
        "mean_absolute_error": {"count", "total"},
    }
    if TRAINS:
        assert set(tree["optimizer_variables"]["adam"]) == {
            "iteration",
            "learning_rate",
            "my_sequential_my_dense_bias_momentum",
            "my_sequential_my_dense_bias_velocity",
            "my_sequential_my_dense_kernel_momentum",
            "my_sequential_my_dense_kernel_velocity",
        }
    backend_tree = model.get_state_tree()
    assert table.is_tensor(backend_tree["trainable_variables"]["my_sequential"]["my_dense"]["bias"])
    dense["kernel"] = np.full((1, 1), 3.0, "float32")
    model.set_state_tree({"trainable_variables": tree["trainable_variables"]})
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), [[3.0]])
    with pytest.raises(ValueError, match="value_format"):
        model.get_state_tree(value_format="list")
    with pytest.raises(ValueError, match="unknown variable group 'weights'"):
        model.set_state_tree({"weights": {}})
