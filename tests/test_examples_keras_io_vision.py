"""Pieces of keras.io vision examples that found unikeras defects, run with
`import unikeras as keras` on small synthetic data (one test per defect).

perceiver_image_classification: the model's `call` uses a `data_augmentation` Sequential
kept in a global, so the model does not track its seed generators; under the JAX jitted
step their updates leaked tracers.

nnclr: a random augmentation layer whose call needs concrete values; the shape inference's
fallback run on zeros read the seed state its failed trace had assigned.
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table

if not table.backend_info()["training"]:
    pytest.skip("inference-only backend: the examples train", allow_module_level=True)


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(1337)


def test_untracked_augmentation_layer_used_in_call_trains():
    # perceiver_image_classification: `data_augmentation` is a global Sequential that the
    # model's call uses without tracking it (its random layers' seed states are no part of
    # the model's variables).
    data_augmentation = keras.Sequential(
        [layers.RandomFlip("horizontal"), layers.RandomZoom(0.2, 0.2)], name="augmentation"
    )

    class Classifier(keras.Model):
        def __init__(self):
            super().__init__()
            self.flatten = layers.Flatten()
            self.head = layers.Dense(3)

        def call(self, inputs):
            return self.head(self.flatten(data_augmentation(inputs)))

    rng = np.random.default_rng(0)
    x = rng.random((16, 6, 6, 1)).astype("float32")
    y = rng.integers(0, 3, (16, 1))
    model = Classifier()
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(x, y, batch_size=8, epochs=2, validation_split=0.25, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert model.evaluate(x, y, verbose=0)[0] > 0
    # the untracked layers still work afterwards (no leaked tracer in their state), and
    # at inference they are the identity
    images = np.asarray(data_augmentation(x, training=True))
    assert images.shape == x.shape and np.all(np.isfinite(images))
    expected = x.reshape(16, -1) @ model.head.kernel.numpy() + model.head.bias.numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)


def test_random_layer_whose_call_needs_values_builds_symbolically():
    # nnclr: `RandomResizedCrop` draws from its `SeedGenerator`, then calls an op that
    # needs concrete values (`tf.image.crop_and_resize` there; a NumPy round trip here), so
    # the shape inference of `Sequential([Input, ..., RandomResizedCrop(...)])` falls back on
    # running it on zeros. The seed state the failed trace assigned leaked into that run.
    class NoisyCrop(layers.Layer):
        def __init__(self):
            super().__init__()
            self.seed_generator = keras.random.SeedGenerator(1337)

        def call(self, images):
            noise = keras.random.uniform(keras.ops.shape(images), seed=self.seed_generator)
            values = np.asarray(keras.ops.convert_to_numpy(images + 0.0 * noise))
            return keras.ops.convert_to_tensor(values[:, 1:-1, 1:-1, :])

    layer = NoisyCrop()
    augmenter = keras.Sequential([layers.Input((6, 6, 3)), layer])
    assert augmenter.output_shape == (None, 4, 4, 3)
    np.testing.assert_array_equal(layer.seed_generator.state.numpy(), [1337, 0])
    images = np.arange(2 * 6 * 6 * 3, dtype="float32").reshape(2, 6, 6, 3)
    np.testing.assert_array_equal(np.asarray(augmenter(images)), images[:, 1:-1, 1:-1, :])
    np.testing.assert_array_equal(layer.seed_generator.state.numpy(), [1337, 1])
