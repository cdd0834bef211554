"""Defects found by running the keras.io generative examples with `import unikeras as keras`.

The examples (VAE, DCGAN, WGAN-GP, conditional GAN, miniature GPT, character LSTM,
DDIM/DDPM, neural style transfer, deep dream, CycleGAN, GauGAN, ...) were run unchanged
but for synthetic data and tiny sizes; each test here pins one defect they exposed, on
small data, against NumPy or Keras 3's documented behaviour.
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops
from unikeras.backend import table


def _write_images(root, names):
    """Writes 4x4 RGB PNGs whose top-left red value is 10 * (index + 1)."""
    for i, name in enumerate(names):
        image = np.zeros((4, 4, 3), "uint8")
        image[0, 0, 0] = 10 * (i + 1)
        image[3, 3, 2] = 255  # keeps save_img's min-max scaling an identity
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        keras.utils.save_img(str(path), image)


# --- DCGAN: image_dataset_from_directory(..., label_mode=None) over a folder of faces ---------


def test_image_dataset_without_labels_indexes_every_file(tmp_path, capsys):
    # label_mode=None means no labels (Keras 3 then indexes as for labels=None): the files
    # at the top of the folder count too, and the message has no class count.
    _write_images(tmp_path, ["a/1.png", "a/2.png", "b/3.png", "top.png"])
    dataset = keras.utils.image_dataset_from_directory(
        str(tmp_path), label_mode=None, image_size=(4, 4), batch_size=8, shuffle=False
    )
    assert capsys.readouterr().out.strip() == "Found 4 files."
    (batch,) = [np.asarray(x) for x in dataset]
    assert batch.shape == (4, 4, 4, 3)
    assert sorted(batch[:, 0, 0, 0].tolist()) == [10.0, 20.0, 30.0, 40.0]


# --- Miniature GPT: a causal mask tiled by a tensor of counts built from ops.shape -----------


def _causal_attention_mask(batch_size, n_dest, n_src, dtype):
    # keras.io's text_generation_with_miniature_gpt, verbatim.
    i = ops.arange(n_dest)[:, None]
    j = ops.arange(n_src)
    m = i >= j - n_src + n_dest
    mask = ops.cast(m, dtype)
    mask = ops.reshape(mask, [1, n_dest, n_src])
    mult = ops.concatenate([ops.expand_dims(batch_size, -1), ops.convert_to_tensor([1, 1])], 0)
    return ops.tile(mask, mult)


class _CausalMask(layers.Layer):
    def call(self, inputs):
        input_shape = ops.shape(inputs)
        return _causal_attention_mask(input_shape[0], input_shape[1], input_shape[1], "int32")


def test_tile_by_a_tensor_of_counts_inside_a_traced_call():
    inputs = keras.Input(shape=(3, 2))
    if keras.backend.backend() == "jax":
        # jax traces `call` (shape inference, jit): the counts are tracers, which jnp.tile
        # cannot take; the error says so and names the op (Keras 3 fails here too).
        with pytest.raises(ValueError, match="ops.tile: `repeats` must be known"):
            _CausalMask()(inputs)
        return
    model = keras.Model(inputs, _CausalMask()(inputs))
    got = model.predict(np.zeros((2, 3, 2), "float32"), verbose=0)
    np.testing.assert_array_equal(got, np.tile(np.tril(np.ones((3, 3), "int32")), (2, 1, 1)))
    # Eager: a tensor of counts shorter than the rank is padded with leading 1s.
    tiled = ops.tile(np.arange(2.0), ops.convert_to_tensor([3, 2]))
    np.testing.assert_array_equal(ops.convert_to_numpy(tiled), np.tile(np.arange(2.0), (3, 2)))


# --- Miniature GPT: compile(loss=[loss_fn, None]) on a model with two outputs ---------------


@pytest.mark.skipif(not table.backend_info()["training"], reason="inference-only backend")
def test_one_loss_of_two_outputs_is_reported_as_loss_alone():
    # Keras 3 tracks each output's loss only when more than one output has a loss: the
    # history of `loss=[fn, None]` is {"loss"} (it was {"loss", "dense_loss"} here).
    keras.utils.set_random_seed(0)
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dense(3)(inputs)
    outputs = layers.Dense(5)(hidden)
    model = keras.Model(inputs=inputs, outputs=[outputs, hidden])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile("sgd", loss=[loss_fn, None])
    x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    y = np.arange(8) % 5
    logits = model.predict(x, verbose=0)[0]
    logits = logits - logits.max(axis=1, keepdims=True)
    log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    expected = -log_softmax[np.arange(8), y].mean()
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(logs) == ["loss"]
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-5)
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert list(history.history) == ["loss"]


# --- GauGAN: a Loss subclass called on the discriminator's lists of feature maps ------------


class _FeatureMatchingLoss(keras.losses.Loss):
    # keras.io GauGAN's loss: lists of maps of different shapes, the last one left out.
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.mae = keras.losses.MeanAbsoluteError()

    def call(self, y_true, y_pred):
        loss = 0
        for i in range(len(y_true) - 1):
            loss += self.mae(y_true[i], y_pred[i])
        return loss


def test_loss_subclass_gets_lists_of_tensors_of_different_shapes():
    rng = np.random.default_rng(0)
    shapes = [(2, 8, 8, 4), (2, 4, 4, 8), (2, 3, 3, 1)]
    real = [rng.normal(size=s).astype("float32") for s in shapes]
    fake = [rng.normal(size=s).astype("float32") for s in shapes]
    # Keras 3 converts each tensor of the structure; stacking them failed here.
    got = _FeatureMatchingLoss()([ops.convert_to_tensor(r) for r in real], fake)
    expected = sum(np.abs(r - f).mean() for r, f in zip(real[:-1], fake[:-1]))
    np.testing.assert_allclose(ops.convert_to_numpy(got), expected, rtol=1e-5)
    # A plain nested list of numbers is still one tensor.
    got = keras.losses.MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]])
    np.testing.assert_allclose(ops.convert_to_numpy(got), 0.5, rtol=1e-6)


# --- GauGAN: `call` takes (latent, labels), the batch is (segmentation, image, labels) -------


class _Generator(keras.Model):
    def __init__(self):
        super().__init__()
        self.generator = keras.Sequential([keras.Input((3,)), layers.Dense(2)])

    def call(self, inputs):  # used for inference only
        latent, labels = inputs
        return self.generator(ops.concatenate([latent, labels], axis=-1))

    def train_step(self, data):
        image, labels = data
        latent = ops.mean(image, axis=-1, keepdims=True)
        return {"out": ops.mean(self.generator(ops.concatenate([latent, labels], axis=-1)))}


@pytest.mark.skipif(not table.backend_info()["training"], reason="inference-only backend")
def test_custom_train_step_of_a_model_whose_call_does_not_take_the_batch():
    model = _Generator()
    model.compile()
    image = np.ones((4, 5), "float32")
    labels = np.zeros((4, 2), "float32")
    if keras.backend.backend() != "tensorflow":
        # Keras 3 builds symbolically from the batch on jax and torch, and fails the same way.
        with pytest.raises(RuntimeError, match="Unable to automatically build"):
            model.fit(image, labels, batch_size=2, epochs=1, verbose=0)
        return
    # On TensorFlow Keras 3 builds in the first traced step, so the example trains.
    history = model.fit(image, labels, batch_size=2, epochs=1, verbose=0, shuffle=False)
    kernel, bias = (ops.convert_to_numpy(w) for w in model.generator.weights)
    expected = (np.concatenate([np.ones((2, 1)), np.zeros((2, 2))], axis=1) @ kernel + bias).mean()
    np.testing.assert_allclose(history.history["out"], [expected], rtol=1e-5)
    predicted = model.predict([np.ones((1, 1)), np.zeros((1, 2))], verbose=0)
    assert predicted.shape == (1, 2)


# --- VQ-VAE: float64 NumPy images reach a custom train_step as floatx ------------------------


class _DtypeProbe(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)
        self.seen = []

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        self.seen.append((ops.dtype(x), ops.dtype(y)))
        return {"diff": ops.mean(x - self.dense(x))}  # float32 minus float32


@pytest.mark.skipif(not table.backend_info()["training"], reason="inference-only backend")
def test_float64_arrays_reach_a_custom_train_step_as_floatx():
    # Keras 3's array adapter casts float arrays of another precision to floatx (integer
    # arrays keep their dtype); keras.io's VQ-VAE fit on `x_train / 255.0 - 0.5` (float64).
    model = _DtypeProbe()
    model.compile()
    x = np.linspace(-0.5, 0.5, 8, dtype="float64").reshape(4, 2)
    model.fit(x, np.arange(4, dtype="int32"), batch_size=4, epochs=1, verbose=0)
    assert model.seen[0] == ("float32", "int32")
