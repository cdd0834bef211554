"""TextVectorization: standardize, split, n-grams, output modes, adapt, config and saving.

Expected values come from an independent Python tokenizer below. Text is processed on the
host, so the same checks run on every backend.
"""

import collections
import json
import math
import re
import string

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table

from layer_checks import to_numpy

# Integer outputs are int64, or int32 where the backend has no 64-bit tensors (JAX without
# its x64 mode, as in Keras 3).
INT64 = "int64" if "int64" in table.backend_info()["dtypes"] else "int32"

TEXTS = ["The Cat sat.", "the dog, sat on the mat!", "a cat", "it's a cat-dog", "Über straße ÜBER"]


def standardize(text, mode="lower_and_strip_punctuation"):
    """Keras 3's standardization: ASCII lower-casing, ASCII punctuation removed."""
    if mode in ("lower", "lower_and_strip_punctuation"):
        text = "".join(c.lower() if c in string.ascii_uppercase else c for c in text)
    if mode in ("strip_punctuation", "lower_and_strip_punctuation"):
        text = "".join(c for c in text if c not in string.punctuation)
    return text


def tokenize(text, mode="lower_and_strip_punctuation", ngrams=None):
    words = standardize(text, mode).split()
    sizes = range(1, ngrams + 1) if isinstance(ngrams, int) else ngrams or (1,)
    return [" ".join(words[i : i + n]) for n in sizes for i in range(len(words) - n + 1)]


def ranked_vocabulary(documents):
    counts = collections.Counter(t for doc in documents for t in doc)
    return sorted(counts, key=lambda t: (counts[t], t), reverse=True)


def adapted(texts=TEXTS, **kwargs):
    layer = layers.TextVectorization(**kwargs)
    layer.adapt(texts)
    return layer


def test_int_output_adapt_padding_and_oov():
    layer = adapted(max_tokens=8)
    documents = [tokenize(t) for t in TEXTS]
    vocab = ["", "[UNK]"] + ranked_vocabulary(documents)[:6]
    assert layer.get_vocabulary() == vocab
    assert layer.vocabulary_size() == 8
    length = max(len(d) for d in documents)
    expected = np.array(
        [
            [vocab.index(t) if t in vocab else 1 for t in d] + [0] * (length - len(d))
            for d in documents
        ]
    )
    out = to_numpy(layer(np.array(TEXTS)))
    np.testing.assert_array_equal(out, expected)
    assert str(out.dtype) == INT64  # int32 on JAX without x64 mode, as Keras 3
    np.testing.assert_array_equal(to_numpy(layer(TEXTS)), expected)  # a list of str
    np.testing.assert_array_equal(to_numpy(layer(np.array(TEXTS)[:, None])), expected)


def test_output_sequence_length_pads_and_truncates():
    layer = layers.TextVectorization(vocabulary=["cat", "dog", "the"], output_sequence_length=3)
    out = to_numpy(layer(["the cat", "the dog the cat the", "bird"]))
    np.testing.assert_array_equal(out, [[4, 2, 0], [4, 3, 4], [1, 0, 0]])
    assert layer.get_vocabulary() == ["", "[UNK]", "cat", "dog", "the"]
    symbolic = layer(keras.Input(shape=(), dtype="string"))
    assert symbolic.shape == (None, 3) and symbolic.dtype == "int64"


@pytest.mark.parametrize("mode", ["lower", "strip_punctuation", None])
def test_standardize_modes(mode):
    layer = adapted(standardize=mode)
    documents = [tokenize(t, mode) for t in TEXTS] if mode else [t.split() for t in TEXTS]
    assert layer.get_vocabulary(include_special_tokens=False) == ranked_vocabulary(documents)


def test_character_split_and_ngrams():
    chars = adapted(split="character", standardize="lower")
    documents = [list(standardize(t, "lower")) for t in TEXTS]
    assert chars.get_vocabulary()[2:] == ranked_vocabulary(documents)
    grams = adapted(ngrams=2, output_mode="count")
    documents = [tokenize(t, ngrams=2) for t in TEXTS]
    vocab = ["[UNK]"] + ranked_vocabulary(documents)
    assert grams.get_vocabulary() == vocab
    sample = ["the cat sat on the mat", "a dog"]
    expected = np.zeros((2, len(vocab)))
    for i, text in enumerate(sample):
        for token in tokenize(text, ngrams=2):
            expected[i, vocab.index(token) if token in vocab else 0] += 1
    np.testing.assert_array_equal(to_numpy(grams(sample)), expected)
    tuple_grams = adapted(ngrams=(1, 3))
    documents = [tokenize(t, ngrams=(1, 3)) for t in TEXTS]
    assert tuple_grams.get_vocabulary()[2:] == ranked_vocabulary(documents)


def test_multi_hot_and_pad_to_max_tokens():
    layer = adapted(output_mode="multi_hot", max_tokens=20, pad_to_max_tokens=True)
    vocab = layer.get_vocabulary()
    assert vocab[0] == "[UNK]"
    out = to_numpy(layer(["the cat", "cat cat zebra"]))
    expected = np.zeros((2, 20))
    expected[0, [vocab.index("the"), vocab.index("cat")]] = 1
    expected[1, [vocab.index("cat"), 0]] = 1
    np.testing.assert_array_equal(out, expected)
    assert layer(keras.Input(shape=(1,), dtype="string")).shape == (None, 20)


def test_tf_idf_adapt_and_given_weights():
    layer = adapted(output_mode="tf_idf")
    documents = [tokenize(t) for t in TEXTS]
    vocab = ranked_vocabulary(documents)
    idf = np.array(
        [math.log(1 + len(documents) / (1 + sum(t in d for d in documents))) for t in vocab]
    )
    weights = np.concatenate([[idf.mean()], idf])
    sample = "the cat the unknown"
    counts = np.zeros(len(vocab) + 1)
    for token in tokenize(sample):
        counts[vocab.index(token) + 1 if token in vocab else 0] += 1
    out = to_numpy(layer([sample]))
    np.testing.assert_allclose(out[0], counts * weights, rtol=1e-6)
    assert str(out.dtype) == "float32"
    given = layers.TextVectorization(
        output_mode="tf_idf", vocabulary=["a", "b"], idf_weights=[0.5, 2.0]
    )
    np.testing.assert_allclose(to_numpy(given(["b b a c"])), [[1.25, 0.5, 4.0]], rtol=1e-6)


def test_adapt_on_batches_and_vocabulary_file(tmp_path):
    from_generator = layers.TextVectorization()
    from_generator.adapt(iter([np.array(TEXTS[:2]), np.array(TEXTS[2:])]))
    assert from_generator.get_vocabulary() == adapted().get_vocabulary()
    path = tmp_path / "vocab.txt"
    path.write_text("cat\ndog\n")
    layer = layers.TextVectorization(vocabulary=str(path))
    np.testing.assert_array_equal(to_numpy(layer(["dog cat cow"])), [[3, 2, 1]])


def test_adapt_on_tf_dataset():
    tf = pytest.importorskip("tensorflow")  # tf.data input exists only where TF does
    layer = layers.TextVectorization()
    layer.adapt(tf.data.Dataset.from_tensor_slices(TEXTS).batch(2))
    assert layer.get_vocabulary() == adapted().get_vocabulary()
    np.testing.assert_array_equal(
        to_numpy(layer(tf.constant(TEXTS))), to_numpy(layer(np.array(TEXTS)))
    )


@keras.saving.register_keras_serializable(package="tv_test")
def keep_vowels(strings):
    return np.array([re.sub(r"[^aeiou -]", "", s) for s in strings.tolist()])


@keras.saving.register_keras_serializable(package="tv_test")
def split_on_dash(strings):
    return [s.split("-") for s in strings.tolist()]


def test_callables_and_config_roundtrip():
    layer = layers.TextVectorization(
        standardize=keep_vowels,
        split=split_on_dash,
        vocabulary=["a", "eo"],
        output_sequence_length=4,
    )
    np.testing.assert_array_equal(
        to_numpy(layer(["ba-deo-xyz", "zzz"])), [[2, 3, 0, 0], [0, 0, 0, 0]]
    )
    config = json.loads(json.dumps(layer.get_config()))
    clone = layers.TextVectorization.from_config(config)
    assert clone.get_config() == layer.get_config()
    np.testing.assert_array_equal(to_numpy(clone(["ba-deo-xyz"])), [[2, 3, 0, 0]])
    grams = layers.TextVectorization(ngrams=(1, 2), vocabulary=["a", "a b"], output_mode="count")
    clone = layers.TextVectorization.from_config(json.loads(json.dumps(grams.get_config())))
    assert clone.ngrams == (1, 2)
    np.testing.assert_array_equal(to_numpy(clone(["a b"])), to_numpy(grams(["a b"])))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match='"tv".*standardize'):
        layers.TextVectorization(standardize="upper", name="tv")
    with pytest.raises(ValueError, match="split"):
        layers.TextVectorization(split="comma")
    with pytest.raises(ValueError, match="output_sequence_length"):
        layers.TextVectorization(output_mode="multi_hot", output_sequence_length=3)
    with pytest.raises(ValueError, match="ngrams"):
        layers.TextVectorization(ngrams=[1, 2])
    with pytest.raises(ValueError, match='"tv2".*rank'):
        layers.TextVectorization(vocabulary=["a"], name="tv2")(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="outside of the model archive"):
        layers.TextVectorization.from_config({"vocabulary": "/etc/passwd"})


def test_save_and_load_adapted_vocabulary(tmp_path):
    text = keras.Input(shape=(), dtype="string")
    sequence = adapted(output_sequence_length=6)
    tf_idf = adapted(output_mode="tf_idf", ngrams=2)
    model = keras.Model(text, [sequence(text), tf_idf(text)])
    path = tmp_path / "text.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    sample = np.array(["the cat sat on a mat", "unknown words"])
    for got, want in zip(loaded(sample), model(sample)):
        np.testing.assert_array_equal(to_numpy(got), to_numpy(want))
    vocabularies = [
        layer.get_vocabulary()
        for layer in loaded.layers
        if isinstance(layer, layers.TextVectorization)
    ]
    assert vocabularies == [sequence.get_vocabulary(), tf_idf.get_vocabulary()]


@pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)
def test_transformer_text_classifier():
    """TextVectorization + Embedding + MultiHeadAttention + LayerNormalization: trains on the
    vectorized text, then the same layers on raw strings predict the same probabilities."""
    rng = np.random.default_rng(0)
    good, bad, filler = ["great", "fun", "superb"], ["awful", "boring", "bad"], ["film", "plot"]
    labels = rng.integers(0, 2, size=192)
    texts = np.array([" ".join(rng.choice((good if y else bad) + filler, size=6)) for y in labels])
    vectorizer = layers.TextVectorization(max_tokens=16, output_sequence_length=6)
    vectorizer.adapt(texts)
    ids = keras.Input(shape=(6,), dtype="int64")
    x = layers.Embedding(16, 16)(ids)
    x = layers.LayerNormalization()(layers.Add()([x, layers.MultiHeadAttention(2, 8)(x, x)]))
    x = layers.GlobalAveragePooling1D()(x)
    classifier = keras.Model(ids, layers.Dense(1, activation="sigmoid")(x))
    classifier.compile(
        optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
    )
    history = classifier.fit(
        to_numpy(vectorizer(texts)), labels.astype("float32"), epochs=5, batch_size=32, verbose=0
    )
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9

    raw = keras.Input(shape=(), dtype="string")
    end_to_end = keras.Model(raw, classifier(vectorizer(raw)))
    end_to_end.compile(run_eagerly=True)  # the string layer runs on the host
    np.testing.assert_allclose(
        end_to_end.predict(texts[:40], verbose=0),
        classifier.predict(to_numpy(vectorizer(texts[:40])), verbose=0),
        rtol=1e-5,
        atol=1e-6,
    )
