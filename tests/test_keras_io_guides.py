"""Pieces of the keras.io developer guides that found unikeras defects, kept as tests.

The guides (keras-team/keras-io `guides/*.py`) run whole, unchanged apart from synthetic
data and sizes, with `core/tools/run_keras_io_guides.py`; each test below is the smallest
part of a guide that once failed, with the guide's own classes and calls and the expected
values computed independently with NumPy.
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops
from unikeras.backend import table


# --- understanding_masking_and_padding: a custom layer's compute_mask gets the input mask ---


class TemporalSplit(keras.layers.Layer):
    """Split the input tensor into 2 tensors along the time dimension."""

    def call(self, inputs):
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


def _carries_attributes():
    try:
        ops.ones((1,))._keras_mask = None
    except AttributeError:  # NumPy arrays: masks travel only through functional models
        return False
    return True


class MaskAsOutput(keras.layers.Layer):
    """Returns the mask it receives, as float32."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        return ops.cast(mask, "float32")

    def compute_mask(self, inputs, mask=None):
        return None


def test_compute_mask_receives_the_input_mask_when_call_takes_no_mask():
    padded_inputs = keras.utils.pad_sequences(
        [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]], padding="post"
    )
    expected = padded_inputs != 0
    embedded = np.tile(padded_inputs[..., None], (1, 1, 10)).astype("float32")
    # `call` has no `mask` argument, yet Keras hands the inputs' mask to `compute_mask`.
    if _carries_attributes():
        masked_embedding = layers.Masking()(ops.convert_to_tensor(embedded))
        first_half, second_half = TemporalSplit()(masked_embedding)
        np.testing.assert_array_equal(ops.convert_to_numpy(first_half._keras_mask), expected[:, :3])
        np.testing.assert_array_equal(
            ops.convert_to_numpy(second_half._keras_mask), expected[:, 3:]
        )
    inputs = keras.Input(shape=(6, 10))
    first_half, second_half = TemporalSplit()(layers.Masking()(inputs))
    model = keras.Model(inputs, [MaskAsOutput()(first_half), MaskAsOutput()(second_half)])
    first, second = model.predict(embedded, verbose=0)
    np.testing.assert_array_equal(first, expected[:, :3].astype("float32"))
    np.testing.assert_array_equal(second, expected[:, 3:].astype("float32"))


# --- training_with_built_in_methods: a metric whose result() is its state variable ----------


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, "float32")
            values = ops.multiply(values, sample_weight)
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        self.true_positives.assign(0.0)


def test_metric_result_may_be_its_variable_in_compiled_steps():
    rng = np.random.default_rng(0)
    x = rng.random((24, 6)).astype("float32")
    y = rng.integers(0, 3, size=(24, 1)).astype("float32")
    inputs = keras.Input(shape=(6,))
    outputs = layers.Dense(3, activation="softmax")(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[CategoricalTruePositives()],
    )
    expected = np.sum(np.argmax(model.predict(x, verbose=0), axis=1) == y[:, 0])
    results = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    assert results["categorical_true_positives"] == expected


# --- serialization_and_saving: get_config returning sublayers themselves -------------------


@keras.saving.register_keras_serializable(package="KGuides")
class ComposedLayer(keras.layers.Layer):
    def __init__(self, first_layer, second_layer=None, **kwargs):
        super().__init__(**kwargs)
        self.first_layer = first_layer
        if second_layer is not None:
            self.second_layer = second_layer
        else:
            self.second_layer = keras.layers.Dense(8)

    def get_config(self):
        config = super().get_config()
        config.update({"first_layer": self.first_layer, "second_layer": self.second_layer})
        return config

    @classmethod
    def from_config(cls, config):
        config["first_layer"] = keras.layers.deserialize(config["first_layer"])
        config["second_layer"] = keras.layers.deserialize(config["second_layer"])
        return cls(**config)

    def call(self, inputs):
        return self.first_layer(self.second_layer(inputs))


def test_sublayers_in_a_custom_get_config_are_serialized():
    inputs = keras.Input((32,))
    outputs = ComposedLayer(first_layer=layers.Dense(4, name="first"))(inputs)
    model = keras.Model(inputs, outputs)
    config = model.get_config()
    layer_config = config["layers"][1]["config"]
    assert layer_config["first_layer"]["class_name"] == "Dense"
    assert layer_config["first_layer"]["config"]["units"] == 4
    assert layer_config["second_layer"]["config"]["units"] == 8
    new_model = keras.Model.from_config(config)
    composed = new_model.layers[1]
    assert isinstance(composed.first_layer, layers.Dense)
    assert composed.first_layer.units == 4 and composed.second_layer.units == 8
    new_model.set_weights(model.get_weights())
    x = np.random.default_rng(0).random((2, 32)).astype("float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(new_model(x)), ops.convert_to_numpy(model(x)), rtol=1e-6
    )


# --- custom_train_step_in_jax: Model.stateless_compute_loss ---------------------------------


def test_stateless_compute_loss_uses_the_given_values_and_keeps_the_model():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, layers.Dense(2)(inputs))
    model.compile(loss="mse", metrics=["mae"])
    rng = np.random.default_rng(0)
    x = rng.random((4, 3)).astype("float32")
    y = rng.random((4, 2)).astype("float32")
    model.evaluate(x, y, verbose=0)  # builds the compiled metrics
    before = model.get_weights()
    kernel = np.full((3, 2), 0.5, "float32")
    bias = np.array([0.25, -0.25], "float32")
    trainable = [kernel, bias]
    non_trainable = [v.value for v in model.non_trainable_variables]
    metrics_values = [v.value for v in model.metrics_variables]
    y_pred, _ = model.stateless_call(trainable, non_trainable, x)
    loss, (new_trainable, new_non_trainable, new_metrics) = model.stateless_compute_loss(
        trainable, non_trainable, metrics_values, x=x, y=y, y_pred=y_pred
    )
    expected = np.mean((x @ kernel + bias - y) ** 2)
    np.testing.assert_allclose(ops.convert_to_numpy(loss), expected, rtol=1e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(new_trainable[0]), kernel)
    assert len(new_non_trainable) == len(non_trainable)
    assert len(new_metrics) == len(metrics_values)
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="stateless_compute_loss expected 2 trainable"):
        model.stateless_compute_loss([kernel], non_trainable, metrics_values, y=y, y_pred=y_pred)


# --- custom_train_step_in_tensorflow: a GAN model with no call(), trained by its train_step -


class TrackerOnlyModel(keras.Model):
    """Holds a sub-model and trains it in its own `train_step`; it has no `call`."""

    def __init__(self, sub):
        super().__init__()
        self.sub = sub
        self.tracker = keras.metrics.Mean(name="mean_output")

    @property
    def metrics(self):
        return [self.tracker]

    def train_step(self, data):
        self.tracker.update_state(ops.mean(self.sub(data)))
        return {"mean_output": self.tracker.result()}


def test_fit_of_a_model_without_call_runs_its_own_train_step():
    if not table.backend_info()["training"]:
        pytest.skip("inference-only backend: fit trains")
    sub = keras.Sequential([keras.Input((3,)), layers.Dense(1, kernel_initializer="ones")])
    model = TrackerOnlyModel(sub)
    model.compile()
    x = np.arange(24, dtype="float32").reshape(8, 3)
    history = model.fit(x, batch_size=4, epochs=1, shuffle=False, verbose=0)
    expected = np.mean([x[:4].sum(axis=1).mean(), x[4:].sum(axis=1).mean()])
    np.testing.assert_allclose(history.history["mean_output"], [expected], rtol=1e-5)


# --- customizing_saving_and_serialization: get_compile_config / compile_from_config ---------


@keras.saving.register_keras_serializable(package="KGuides")
def small_square_sum_loss(y_true, y_pred):
    return ops.sum(ops.square(y_pred - y_true) / 10.0, axis=1)


@keras.saving.register_keras_serializable(package="KGuides")
def mean_pred(y_true, y_pred):
    return ops.mean(y_pred)


@keras.saving.register_keras_serializable(package="KGuides")
class ModelWithCustomCompile(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense1 = layers.Dense(8, activation="relu")
        self.dense2 = layers.Dense(4, activation="softmax")

    def call(self, inputs):
        return self.dense2(self.dense1(inputs))

    def compile(self, optimizer, loss_fn, metrics):
        super().compile(optimizer=optimizer, loss=loss_fn, metrics=metrics)
        self.model_optimizer = optimizer
        self.loss_fn = loss_fn
        self.loss_metrics = metrics

    def get_compile_config(self):
        return {"model_optimizer": self.model_optimizer, "loss_fn": self.loss_fn,
                "metric": self.loss_metrics}  # fmt: skip

    def compile_from_config(self, config):
        optimizer = keras.utils.deserialize_keras_object(config["model_optimizer"])
        loss_fn = keras.utils.deserialize_keras_object(config["loss_fn"])
        metrics = keras.utils.deserialize_keras_object(config["metric"])
        self.compile(optimizer=optimizer, loss_fn=loss_fn, metrics=metrics)


def test_custom_compile_config_round_trips_through_a_keras_file(tmp_path):
    model = ModelWithCustomCompile()
    model.compile(optimizer="SGD", loss_fn=small_square_sum_loss, metrics=["accuracy", mean_pred])
    x = np.random.default_rng(0).random((4, 8)).astype("float32")
    expected = ops.convert_to_numpy(model(x))
    model.save(tmp_path / "custom_compile_model.keras")
    restored = keras.models.load_model(tmp_path / "custom_compile_model.keras")
    # The stored config is the model's own, its objects serialized; plain names stay names.
    assert restored.model_optimizer == "SGD"
    assert restored.loss_fn is small_square_sum_loss
    assert restored.loss_metrics == ["accuracy", mean_pred]
    assert restored.compiled
    np.testing.assert_allclose(ops.convert_to_numpy(restored(x)), expected, rtol=1e-6)


def test_deserialize_keras_object_keeps_plain_values_as_keras_3():
    deserialize = keras.utils.deserialize_keras_object
    assert deserialize("SGD") == "SGD"
    assert deserialize(["accuracy", 3, None]) == ["accuracy", 3, None]
    serialized = keras.saving.serialize_keras_object({"loss": mean_pred, "lr": 0.5})
    assert deserialize(serialized) == {"loss": mean_pred, "lr": 0.5}
    assert deserialize("KGuides>mean_pred") is mean_pred
    dense = deserialize(keras.saving.serialize_keras_object(layers.Dense(3)))
    assert isinstance(dense, layers.Dense) and dense.units == 3


def test_default_compile_config_recompiles_and_custom_compile_is_left_alone():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(2)(inputs))
    assert model.get_compile_config() == {}
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    config = model.get_compile_config()
    assert config["optimizer"]["class_name"] == "Adam" and config["loss"] == "mse"
    clone = keras.Model(inputs, layers.Dense(2)(inputs))
    clone.compile_from_config(config)
    assert clone.compiled and isinstance(clone.optimizer, keras.optimizers.Adam)
    np.testing.assert_allclose(float(clone.optimizer.learning_rate), 0.01)
    custom = ModelWithCustomCompile()
    with pytest.warns(UserWarning, match="compile\\(\\)` method is custom"):
        keras.Model.compile_from_config(custom, config)
    assert not custom.compiled


# --- customizing_saving_and_serialization: variables assigned in __init__ come first --------


class ScaledLayer(keras.layers.Layer):
    """Variables assigned in `__init__` before the weights `build` adds, as in the guide's
    `LayerWithCustomVariable`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scale = keras.Variable(np.full((3,), 2.0), name="scale", dtype="float32")
        self.frozen = keras.Variable(np.zeros((3,)), name="frozen", trainable=False)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(3,), initializer="ones", name="w")
        self.c = self.add_weight(shape=(3,), initializer="zeros", name="c", trainable=False)

    def call(self, inputs):
        return inputs * self.scale + self.w + self.c + self.frozen


def test_own_weights_keep_the_order_they_were_tracked_in():
    # Keras 3 orders a layer's own weights as it tracked them (trainable first): a
    # `.keras` file written by Keras stores "0", "1", ... in that order.
    layer = ScaledLayer(name="scaled")
    layer.build((None, 3))
    assert [v.name for v in layer.weights] == ["scale", "w", "frozen", "c"]
    assert [v.name for v in layer.trainable_weights] == ["scale", "w"]
    store = {}
    layer.save_own_variables(store)
    assert [np.asarray(store[str(i)])[0] for i in range(4)] == [2.0, 1.0, 0.0, 0.0]
    layer.set_weights([np.full((3,), 5.0), np.full((3,), 7.0), np.ones(3), np.ones(3)])
    np.testing.assert_allclose(ops.convert_to_numpy(layer.scale), np.full((3,), 5.0))
    np.testing.assert_allclose(ops.convert_to_numpy(layer.w), np.full((3,), 7.0))


# --- define_custom_kernel: fit builds a Sequential with the batch's own size ---------------


class TiledDense(keras.layers.Layer):
    """Like the guide's `FusedDense`: its kernel tiles the batch, so `call` needs a concrete
    batch size that is a multiple of the tile."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="ones")

    def call(self, inputs):
        batch = inputs.shape[0]
        assert batch is not None and batch % 4 == 0, "batch must be a multiple of 4"
        return ops.matmul(inputs, self.w)


def test_sequential_built_from_a_shape_keeps_its_batch_size():
    model = keras.Sequential([TiledDense()])
    model.build((8, 3))
    assert model.input_shape == (8, 3)
    x = np.arange(24, dtype="float32").reshape(8, 3)
    np.testing.assert_allclose(
        model.predict(x, verbose=0), np.repeat(x.sum(1, keepdims=True), 2, 1)
    )
    if not table.backend_info()["training"]:
        pytest.skip("inference-only backend: fit trains")
    model = keras.Sequential([TiledDense()])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.zeros((8, 2), "float32"), batch_size=4, epochs=1, verbose=0)
    assert model.input_shape == (4, 3)  # the first batch's shape, as Keras 3 builds it


# --- transfer_learning: Resizing in a tf.data map over images of varying sizes ------------


def test_resizing_maps_a_tf_data_pipeline_of_images_of_unknown_size():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 256, size=s + (3,)).astype("uint8") for s in [(20, 30), (17, 9)]]
    dataset = tf.data.Dataset.from_generator(
        lambda: iter(images), output_signature=tf.TensorSpec((None, None, 3), tf.uint8)
    )
    for interpolation in ("bilinear", "nearest"):
        resize_fn = layers.Resizing(8, 10, interpolation=interpolation)
        resized = [np.asarray(image) for image in dataset.map(resize_fn)]
        for got, image in zip(resized, images):
            want = ops.convert_to_numpy(resize_fn(image.astype("float32")))
            assert got.shape == (8, 10, 3)
            np.testing.assert_allclose(got, want, atol=1e-3)
