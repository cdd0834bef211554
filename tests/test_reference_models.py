"""Four small reference models of the layer catalogue, on the active backend.

A ResNet-style CNN with BatchNormalization, a transformer text classifier (TextVectorization,
Embedding, MultiHeadAttention, LayerNormalization), a GRU audio classifier on MelSpectrogram
features and a two-tower recommender (StringLookup, Embedding, Dot). Each builds and predicts
on every backend (predict equals the eager call); on training backends each learns its
synthetic task in a few epochs (the loss falls, accuracy beats chance by far).
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops
from unikeras.backend import table

TRAINING = table.backend_info()["training"]
needs_training = pytest.mark.skipif(
    not TRAINING, reason="inference-only backend: fit raises by design"
)


# --- ResNet-style CNN ------------------------------------------------------------------------


def _residual_block(x, filters, stride=1):
    shortcut = x
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.ReLU()(layers.BatchNormalization()(y))
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    if stride != 1 or shortcut.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(shortcut)
        shortcut = layers.BatchNormalization()(shortcut)
    return layers.ReLU()(layers.Add()([y, shortcut]))


def resnet():
    inputs = keras.Input((12, 12, 3))
    x = layers.Conv2D(8, 3, padding="same")(inputs)
    x = _residual_block(x, 8)
    x = _residual_block(x, 16, stride=2)
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, layers.Dense(2, activation="softmax")(x))
    model.compile(
        optimizer=keras.optimizers.Adam(1e-2),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def half_bright_images(n=192, seed=0):
    """Label 1: the top half is brighter than the bottom; label 0: the reverse."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    x = rng.normal(scale=0.5, size=(n, 12, 12, 3))
    x[y == 1, :6] += 1.0
    x[y == 0, 6:] += 1.0
    return x.astype("float32"), y.astype("int32")


# --- transformer text classifier -------------------------------------------------------------

GOOD, BAD = ["great", "fine", "superb", "lovely"], ["awful", "poor", "dull", "broken"]
NEUTRAL = ["the", "a", "movie", "plot", "actor", "scene", "was", "and", "very", "it"]


def sentences(n=256, seed=0):
    """Short reviews; label 1 when they hold more good than bad words."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, 2))
        strong, weak = (GOOD, BAD) if label else (BAD, GOOD)
        words = list(rng.choice(NEUTRAL, size=int(rng.integers(3, 7))))
        words += list(rng.choice(strong, size=2)) + list(rng.choice(weak, size=1))
        rng.shuffle(words)
        texts.append(" ".join(words).capitalize() + ".")
        labels.append(label)
    return np.array(texts), np.array(labels, dtype="int32")


def adapted_vectorizer(texts):
    vectorizer = layers.TextVectorization(output_sequence_length=12)
    vectorizer.adapt(texts)
    return vectorizer


def transformer_classifier(vectorizer, dim=16):
    """Raw strings in: TextVectorization runs inside the model (host code, so the steps run
    eagerly, as Keras 3 does for layers with `supports_jit = False`)."""
    text = keras.Input((), dtype="string")
    x = layers.Embedding(vectorizer.vocabulary_size(), dim)(vectorizer(text))
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x)
    x = layers.LayerNormalization()(layers.Add()([x, attended]))
    feed = layers.Dense(dim)(layers.Dense(32, activation="relu")(x))
    x = layers.LayerNormalization()(layers.Add()([x, feed]))
    x = layers.GlobalAveragePooling1D()(x)
    model = keras.Model(text, layers.Dense(2, activation="softmax")(x))
    model.compile(
        optimizer=keras.optimizers.Adam(1e-2),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


# --- GRU audio classifier on mel features ----------------------------------------------------

SAMPLING_RATE, SAMPLES = 4000, 2048


def tones(n=96, seed=0):
    """Noisy sine waves: label 0 below 400 Hz, label 1 above 1200 Hz."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    freq = np.where(y == 1, rng.uniform(1200, 1600, n), rng.uniform(150, 400, n))
    t = np.arange(SAMPLES) / SAMPLING_RATE
    x = np.sin(2 * np.pi * freq[:, None] * t[None]) + rng.normal(scale=0.1, size=(n, SAMPLES))
    return x.astype("float32"), y.astype("int32")


def audio_classifier():
    audio = keras.Input((SAMPLES,))
    mel = layers.MelSpectrogram(
        fft_length=256,
        sequence_stride=128,
        sampling_rate=SAMPLING_RATE,
        num_mel_bins=16,
        min_freq=20.0,
        max_freq=2000.0,
    )(audio)
    x = layers.Permute((2, 1))(mel)  # (batch, frames, mels)
    x = layers.LayerNormalization()(x)
    x = layers.GRU(16)(x)
    model = keras.Model(audio, layers.Dense(2, activation="softmax")(x))
    model.compile(
        optimizer=keras.optimizers.Adam(1e-2),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


# --- two-tower recommender -------------------------------------------------------------------

USERS = [f"user{i}" for i in range(12)]
ITEMS = [f"item{i}" for i in range(10)]


def interactions(n=512, seed=0):
    """(user, item, liked): even users like even items, odd users odd items."""
    rng = np.random.default_rng(seed)
    users, items = rng.integers(0, len(USERS), n), rng.integers(0, len(ITEMS), n)
    liked = (users % 2 == items % 2).astype("float32")
    return np.array(USERS)[users], np.array(ITEMS)[items], liked


def two_tower():
    """String ids in: StringLookup maps them inside the model, one tower per side."""
    user_ids, item_ids = keras.Input((), dtype="string"), keras.Input((), dtype="string")
    user_lookup = layers.StringLookup(vocabulary=USERS)
    item_lookup = layers.StringLookup(vocabulary=ITEMS)
    user = layers.Embedding(user_lookup.vocabulary_size(), 8)(user_lookup(user_ids))
    item = layers.Embedding(item_lookup.vocabulary_size(), 8)(item_lookup(item_ids))
    score = layers.Dot(axes=1)([layers.Dense(8)(user), layers.Dense(8)(item)])
    model = keras.Model([user_ids, item_ids], layers.Activation("sigmoid")(score))
    model.compile(
        optimizer=keras.optimizers.Adam(2e-2),
        loss="binary_crossentropy",
        metrics=["binary_accuracy"],
    )
    return model


def _recommender_case():
    users, items, liked = interactions()
    return two_tower(), [users, items], liked


# --- the checks ------------------------------------------------------------------------------


def _transformer_case():
    texts, labels = sentences()
    return transformer_classifier(adapted_vectorizer(texts)), texts, labels


BUILDERS = {
    "resnet": lambda: (resnet(), *half_bright_images()),
    "transformer": _transformer_case,
    "audio_gru": lambda: (audio_classifier(), *tones()),
    "two_tower": _recommender_case,
}
CASES = tuple(BUILDERS)


class _BuiltOnce(dict):
    def __missing__(self, name):
        keras.utils.set_random_seed(1)
        self[name] = BUILDERS[name]()
        return self[name]


@pytest.fixture(scope="module")
def cases():
    """`cases[name]` -> (compiled model, x, y), each built on first use."""
    return _BuiltOnce()


@pytest.mark.parametrize("name", CASES)
def test_reference_model_predicts_like_its_eager_call(cases, name):
    model, x, _ = cases[name]
    batch = [part[:8] for part in x] if isinstance(x, list) else x[:8]
    predicted = model.predict(batch, verbose=0)
    np.testing.assert_allclose(
        predicted, ops.convert_to_numpy(model(batch, training=False)), rtol=1e-5, atol=1e-6
    )
    assert np.all(np.isfinite(predicted))


@needs_training
@pytest.mark.parametrize("name", CASES)
def test_reference_model_learns(cases, name):
    model, x, y = cases[name]
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.6 * losses[0], losses
    accuracy_key = [k for k in history.history if k.endswith("accuracy")][0]
    assert history.history[accuracy_key][-1] > 0.8, history.history
    before = model.predict(x, verbose=0)
    again = model.predict(x, verbose=0)
    np.testing.assert_array_equal(before, again)


def test_text_and_lookup_preprocessing_feed_the_models():
    texts, _ = sentences()
    vectorizer = adapted_vectorizer(texts)
    vocabulary = vectorizer.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"] and set(GOOD + BAD) <= set(vocabulary)
    texts, _ = sentences(n=4, seed=1)
    ids = ops.convert_to_numpy(vectorizer(texts))
    for text, row in zip(texts, ids):
        words = text.lower().rstrip(".").split()
        expected = [vocabulary.index(w) for w in words][:12]
        np.testing.assert_array_equal(row[: len(expected)], expected)
        assert not row[len(expected) :].any()
    lookup = layers.StringLookup(vocabulary=USERS)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(lookup(np.array(["user3", "nobody"]))), [4, 0]
    )
