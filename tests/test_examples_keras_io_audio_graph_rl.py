"""Pieces of keras.io audio, graph and reinforcement-learning examples that found unikeras
defects, run with `import unikeras as keras` on small synthetic data.

stft.py: `layers.STFTSpectrogram(..., trainable=False)` called eagerly and its output read
with NumPy (`np.concatenate`, `plt.imshow`); on torch the frozen layer's weights kept
`requires_grad`, so its output carried an autograd graph and NumPy refused it.
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import table

_TRAINS = table.backend_info()["training"]


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(1337)


def test_freezing_a_layer_freezes_its_weights_as_keras_3():
    # Keras 3: `layer.trainable = False` sets `trainable` of the weights created trainable
    # (not of those created non-trainable), and weights added to a frozen layer are frozen
    bn = keras.layers.BatchNormalization()
    bn.build((None, 3))
    bn.trainable = False
    assert [v.trainable for v in bn.weights] == [False] * 4
    bn.trainable = True
    assert [v.trainable for v in bn.weights] == [True, True, False, False]
    assert len(bn.trainable_weights) == 2

    frozen = keras.layers.Dense(2, trainable=False)
    frozen.build((None, 3))
    assert [v.trainable for v in frozen.weights] == [False, False]
    model = keras.Sequential([keras.layers.Input((3,)), frozen, keras.layers.Dense(1)])
    model.trainable = True
    assert [v.trainable for v in frozen.weights] == [True, True]
    model.trainable = False
    assert [v.trainable for v in model.weights] == [False] * 4
    assert model.trainable_weights == []


def test_frozen_stft_spectrogram_output_reads_as_numpy():
    layer = keras.layers.STFTSpectrogram(
        mode="log", frame_length=32, frame_step=8, fft_length=64, trainable=False
    )
    x = np.random.default_rng(0).normal(size=(1, 200, 1)).astype("float32")
    out = layer(x)[0, ...]
    spectrogram = np.asarray(out)  # the example's plt.imshow(spectrogram.T)
    assert spectrogram.shape == (22, 33)
    # Keras 3.15.1's values for this input (any backend)
    np.testing.assert_allclose(
        spectrogram[0, :4], [0.0972312, 0.20207119, 0.43030304, 0.61677295], rtol=1e-4
    )
    np.testing.assert_allclose(
        spectrogram[5, 10:13], [-0.0786742, -0.9126276, -0.5573784], rtol=1e-4
    )
    np.testing.assert_allclose(spectrogram.sum(), -224.0717, rtol=1e-5)


class _ConstantGraphModel(keras.Model):
    # gnn_citations' GNNNodeClassifier: the node features are a NumPy constant the model
    # feeds to a Sequential sublayer in call(); the inputs only pick rows of the result
    def __init__(self, node_features):
        super().__init__()
        self.node_features = node_features
        self.preprocess = keras.Sequential(
            [keras.layers.BatchNormalization(), keras.layers.Dense(4, activation="relu")]
        )
        self.compute_logits = keras.layers.Dense(3)

    def call(self, input_node_indices):
        x = self.preprocess(self.node_features)
        x = keras.ops.take(x, keras.ops.squeeze(input_node_indices), axis=0)
        return self.compute_logits(x)


@pytest.mark.skipif(not _TRAINS, reason="the backend does not train")
def test_sequential_on_a_numpy_constant_inside_a_model_trains():
    # on JAX the inner Sequential's call, on concrete NumPy, was served by its own jitted
    # predict function inside the outer model's trace; its moving statistics leaked tracers
    # (UnexpectedTracerError in fit)
    rng = np.random.default_rng(0)
    features = rng.normal(size=(10, 5)).astype("float32")
    model = _ConstantGraphModel(features)
    assert tuple(model(np.array([1, 4, 7])).shape) == (3, 3)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(True))
    history = model.fit(np.arange(8), np.arange(8) % 3, batch_size=4, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    # the trained moving mean is a concrete value, moved towards the features' mean
    # (momentum 0.99, 4 training steps)
    moving_mean = keras.ops.convert_to_numpy(model.preprocess.layers[0].moving_mean)
    expected = features.mean(axis=0) * (1 - 0.99**4)
    np.testing.assert_allclose(moving_mean, expected, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(model.predict(np.arange(3), verbose=0)),
        keras.ops.convert_to_numpy(model(np.arange(3))),
        rtol=1e-5,
        atol=1e-6,
    )


class _Seq2Seq(keras.Model):
    # transformer_asr's Transformer: call takes [source, target]; its own train_step gets
    # {"source", "target"} batches (fit cannot build it symbolically from one)
    def __init__(self):
        super().__init__()
        self.encoder = keras.layers.Dense(4)
        self.classifier = keras.layers.Dense(3)

    def call(self, inputs):
        source, target = inputs
        return self.classifier(self.encoder(source) + keras.ops.expand_dims(target, -1))

    def train_step(self, batch):
        import tensorflow as tf

        with tf.GradientTape() as tape:
            preds = self([batch["source"], batch["target"]])
            loss = keras.ops.mean(keras.ops.square(preds))
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {"loss": loss}


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.GradientTape step")
def test_model_built_in_its_own_train_step_gets_its_optimizer_built_there():
    # fit built the optimizer on the unbuilt model's (empty) variable list before the first
    # step, whose apply_gradients then raised "Unknown variable"
    rng = np.random.default_rng(0)
    data = {
        "source": rng.normal(size=(8, 5)).astype("float32"),
        "target": rng.normal(size=(8, 4)).astype("float32"),
    }
    model = _Seq2Seq()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    history = model.fit(data, batch_size=4, epochs=2, verbose=0)
    losses = history.history["loss"]
    assert len(model.optimizer.variables) >= 1 and int(model.optimizer.iterations) == 4
    assert losses[1] < losses[0]
