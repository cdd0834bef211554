"""Discretization, CategoryEncoding, Hashing, StringLookup and IntegerLookup.

Outputs are checked against independent NumPy/Python computations (and hash values
produced by TensorFlow), on every backend. String layers run on the host; the integer
layers run with `unikeras.ops` only, also inside compiled training steps.
"""

import collections
import json
import math

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table
from unikeras.utils import farmhash

from layer_checks import check_symbolic_shape, to_numpy

# Integer outputs are int64, or int32 where the backend has no 64-bit tensors (JAX without
# its x64 mode, as in Keras 3).
INT64 = "int64" if "int64" in table.backend_info()["dtypes"] else "int32"

TRAINS = table.backend_info()["training"]
needs_training = pytest.mark.skipif(
    not TRAINS, reason="inference-only backend: fit raises by design"
)

# `tf.strings.to_hash_bucket_fast(s, 2**62)` and `..._strong(s, 2**62, key=[1, 2])`
# (TensorFlow 2.21), covering every length branch of FarmHash's Fingerprint64.
HASH_STRINGS = [
    "",
    "a",
    "ab",
    "abc",
    "abcd",
    "hello",
    "abcdefgh",
    "abcdefghijklmnopq",
    "x" * 33,
    "y" * 64,
    "z" * 65,
    "w" * 200,
    "héllo wörld" * 13,
    "1",
    "-5",
]
TF_FAST = [
    1936946117179621455,
    3694432073954588131,
    3066228220894225694,
    2640714258260161385,
    1897425971756105985,
    3786372426573024488,
    4533385575889643785,
    2171023947900359592,
    3046993373088323127,
    4471793200125962424,
    3688229565335330613,
    526236191678461824,
    3713380506680521107,
    80785766752259041,
    3867527841621742104,
]
TF_STRONG_1_2 = [
    443797209252341627,
    546566331822570742,
    4607785088827641202,
    1250540936487842205,
    4277338952175910099,
    2957200328589801622,
    2649018002260510108,
    2589293315738655589,
    1639887484359327584,
    1169733625819952541,
    1522482378448811398,
    1981523007529005139,
    3793071375781395744,
    3722290931192517002,
    3640571208281324796,
]


def roundtrip(layer):
    """`from_config(get_config())` through JSON; the configs must be equal."""
    config = json.loads(json.dumps(layer.get_config()))
    clone = type(layer).from_config(config)
    assert clone.get_config() == layer.get_config()
    return clone


def bucket(token, n):
    return farmhash.fingerprint64(str(token)) % n


# --- hashes -----------------------------------------------------------------------------------
def test_fingerprint64_and_siphash_match_tensorflow():
    assert [farmhash.fingerprint64(s) % 2**62 for s in HASH_STRINGS] == TF_FAST
    assert [farmhash.siphash64((1, 2), s) % 2**62 for s in HASH_STRINGS] == TF_STRONG_1_2
    assert farmhash.fingerprint64(b"abc") == farmhash.fingerprint64("abc")


def test_hashes_match_tensorflow_when_installed():
    tf = pytest.importorskip("tensorflow")  # an extra check where TF exists
    words = [f"token-{i}" * (i % 9) for i in range(60)]
    np.testing.assert_array_equal(
        farmhash.hash_buckets(words, 1009), tf.strings.to_hash_bucket_fast(words, 1009).numpy()
    )
    np.testing.assert_array_equal(
        farmhash.hash_buckets(words, 97, key=(5, 11)),
        tf.strings.to_hash_bucket_strong(words, 97, [5, 11]).numpy(),
    )


# --- Hashing ---------------------------------------------------------------------------------
def test_hashing_keras_documented_values():
    data = [["A"], ["B"], ["C"], ["D"], ["E"]]
    out = to_numpy(layers.Hashing(num_bins=3)(data))
    np.testing.assert_array_equal(out, [[1], [0], [1], [1], [2]])
    assert str(out.dtype) == INT64  # int32 on JAX without x64 mode, as Keras 3
    masked = layers.Hashing(num_bins=3, mask_value="")([["A"], ["B"], [""], ["C"], ["D"]])
    np.testing.assert_array_equal(to_numpy(masked), [[1], [1], [0], [2], [2]])
    salted = layers.Hashing(num_bins=3, salt=133)(np.array(data))
    np.testing.assert_array_equal(to_numpy(salted), [[0], [0], [2], [1], [0]])


def test_hashing_integers_floats_and_encodings():
    ints = np.array([[5, 0, -8], [9, 123456789, 5]])
    expected = np.vectorize(lambda v: bucket(v, 7))(ints)
    np.testing.assert_array_equal(to_numpy(layers.Hashing(num_bins=7)(ints)), expected)
    floats = ints + 0.6 * np.sign(ints)  # truncated to the integers above
    np.testing.assert_array_equal(to_numpy(layers.Hashing(num_bins=7)(floats)), expected)
    layer = layers.Hashing(num_bins=5, output_mode="multi_hot")
    tokens = np.array([["a", "b"], ["c", "a"]])
    hot = np.zeros((2, 5), "float32")
    for i, row in enumerate(tokens):
        for t in row:
            hot[i, bucket(t, 5)] = 1
    out = to_numpy(layer(tokens))
    np.testing.assert_array_equal(out, hot)
    assert str(out.dtype) == "float32"
    clone = roundtrip(layers.Hashing(num_bins=4, salt=[3, 4], mask_value="x"))
    assert clone.salt == [3, 4]
    with pytest.raises(ValueError, match="num_bins"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="output_mode"):
        layers.Hashing(num_bins=3, output_mode="tf_idf")


def test_hashing_symbolic_string_input():
    out = layers.Hashing(num_bins=4, output_mode="one_hot")(keras.Input(shape=(1,), dtype="string"))
    assert out.shape == (None, 4)


# --- Discretization --------------------------------------------------------------------------
def test_discretization_boundaries_and_output_modes():
    x = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]], "float32")
    bounds = [0.0, 1.0, 2.0]
    indices = np.digitize(x, bounds)
    out = to_numpy(layers.Discretization(bin_boundaries=bounds)(x))
    np.testing.assert_array_equal(out, indices)
    assert str(out.dtype) == "int32"
    one_hot = np.eye(4, dtype="float32")[indices]
    np.testing.assert_array_equal(
        to_numpy(layers.Discretization(bounds, output_mode="one_hot")(x)), one_hot
    )
    np.testing.assert_array_equal(
        to_numpy(layers.Discretization(bounds, output_mode="count")(x)), one_hot.sum(1)
    )
    np.testing.assert_array_equal(
        to_numpy(layers.Discretization(bounds, output_mode="multi_hot")(x)), one_hot.max(1)
    )
    check_symbolic_shape(layers.Discretization(bounds, output_mode="one_hot"), (4,), x)


def test_discretization_adapt():
    x = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
    layer = layers.Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(x)
    np.testing.assert_array_equal(to_numpy(layer(x)), [[0, 2, 3, 2], [1, 3, 3, 1]])
    data = np.random.default_rng(0).uniform(size=(20000,)).astype("float32")
    layer = layers.Discretization(num_bins=5)
    layer.adapt([data[:7000], data[7000:]])  # an iterable of batches
    np.testing.assert_allclose(
        layer.bin_boundaries, np.quantile(data, [0.2, 0.4, 0.6, 0.8]), atol=0.02
    )
    clone = roundtrip(layer)
    assert clone.bin_boundaries == layer.bin_boundaries
    np.testing.assert_array_equal(to_numpy(clone(data[:50])), to_numpy(layer(data[:50])))


def test_discretization_errors():
    with pytest.raises(ValueError, match="not both"):
        layers.Discretization(bin_boundaries=[0.0], num_bins=2)
    with pytest.raises(ValueError, match="either"):
        layers.Discretization()
    with pytest.raises(ValueError, match="bin_boundaries"):
        layers.Discretization(bin_boundaries=[1.0]).adapt(np.ones(3))
    with pytest.raises(ValueError, match='"discretization.*expects numeric'):
        layers.Discretization(bin_boundaries=[1.0])(np.array(["a"]))


# --- CategoryEncoding -----------------------------------------------------------------------
def test_category_encoding_modes():
    x = np.array([[0, 1], [0, 0], [1, 2], [3, 1]])
    one_hot = np.eye(4, dtype="float32")[x]
    np.testing.assert_array_equal(to_numpy(layers.CategoryEncoding(4)(x)), one_hot.max(1))
    np.testing.assert_array_equal(
        to_numpy(layers.CategoryEncoding(4, output_mode="count")(x)), one_hot.sum(1)
    )
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]], "float32")
    out = layers.CategoryEncoding(4, output_mode="count")(x, count_weights=weights)
    np.testing.assert_allclose(to_numpy(out), (one_hot * weights[..., None]).sum(1), atol=1e-6)
    flat = np.array([3, 2, 0, 1])
    np.testing.assert_array_equal(
        to_numpy(layers.CategoryEncoding(4, output_mode="one_hot")(flat)), np.eye(4)[flat]
    )
    np.testing.assert_array_equal(
        to_numpy(layers.CategoryEncoding(4, output_mode="one_hot")(flat[:, None])), np.eye(4)[flat]
    )
    layer = roundtrip(layers.CategoryEncoding(4, output_mode="count"))
    check_symbolic_shape(layer, (2,), x)
    # Python lists, as in Keras 3's docstring example (layer([3, 2, 0, 1]))
    np.testing.assert_array_equal(
        to_numpy(layers.CategoryEncoding(4, output_mode="one_hot")([3, 2, 0, 1])), np.eye(4)[flat]
    )
    np.testing.assert_array_equal(
        to_numpy(layers.CategoryEncoding(4)([[0, 1], [0, 0], [1, 2], [3, 1]])), one_hot.max(1)
    )


def test_category_encoding_errors():
    with pytest.raises(ValueError, match="num_tokens"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="output_mode"):
        layers.CategoryEncoding(3, output_mode="int")
    with pytest.raises(ValueError, match="count_weights"):
        layers.CategoryEncoding(3)(np.array([[1]]), count_weights=np.array([[1.0]]))
    with pytest.raises(ValueError, match="sparse"):
        layers.CategoryEncoding(3, sparse=True)


# --- StringLookup ------------------------------------------------------------------------------
VOCAB = ["a", "b", "c", "d"]
TOKENS = np.array([["a", "c", "d"], ["d", "z", "b"]])


def test_string_lookup_vocabulary_oov_and_mask():
    layer = layers.StringLookup(vocabulary=VOCAB)
    index = {t: i + 1 for i, t in enumerate(VOCAB)}
    expected = np.vectorize(lambda t: index.get(t, 0))(TOKENS)
    out = to_numpy(layer(TOKENS))
    np.testing.assert_array_equal(out, expected)
    assert str(out.dtype) == INT64  # int32 on JAX without x64 mode, as Keras 3
    np.testing.assert_array_equal(to_numpy(layer([["a", "c", "d"], ["d", "z", "b"]])), expected)
    assert layer.get_vocabulary() == ["[UNK]"] + VOCAB
    assert layer.get_vocabulary(include_special_tokens=False) == VOCAB
    assert layer.vocabulary_size() == 5

    masked = layers.StringLookup(vocabulary=VOCAB, mask_token="", num_oov_indices=2)
    data = np.array([["a", "", "zz"], ["", "q", "hello"]])
    hashed = lambda t: 1 + bucket(t, 2)  # noqa: E731
    expected = np.vectorize(
        lambda t: 0 if t == "" else 3 + VOCAB.index(t) if t in VOCAB else hashed(t)
    )(data)
    np.testing.assert_array_equal(to_numpy(masked(data)), expected)
    assert masked.get_vocabulary()[:3] == ["", "[UNK]", "[UNK]"]


def test_string_lookup_encoded_outputs():
    layer = layers.StringLookup(vocabulary=VOCAB, output_mode="count", mask_token="")
    data = np.array([["a", "", "a", "z"], ["d", "b", "", "d"]])
    counts = np.zeros((2, 5))
    for i, row in enumerate(data):
        for t in row:
            if t:
                counts[i, VOCAB.index(t) + 1 if t in VOCAB else 0] += 1
    out = to_numpy(layer(data))
    np.testing.assert_array_equal(out, counts)
    unmasked = np.zeros((2, 5))  # without a mask token "" is OOV (index 0)
    for i, row in enumerate(data):
        for t in row:
            unmasked[i, VOCAB.index(t) + 1 if t in VOCAB else 0] = 1
    np.testing.assert_array_equal(
        to_numpy(layers.StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(data)), unmasked
    )
    padded = layers.StringLookup(
        vocabulary=VOCAB, output_mode="one_hot", max_tokens=8, pad_to_max_tokens=True
    )
    np.testing.assert_array_equal(to_numpy(padded(np.array(["b", "q"]))), np.eye(8)[[2, 0]])
    symbolic = layer(keras.Input(shape=(4,), dtype="string"))
    assert symbolic.shape == (None, 5)


def test_string_lookup_tf_idf():
    idf = [0.5, 0.25, 0.2, 0.1]
    layer = layers.StringLookup(output_mode="tf_idf", vocabulary=VOCAB, idf_weights=idf)
    data = np.array([["a", "c", "c", "q"], ["d", "d", "x", "y"]])
    weights = np.array([np.mean(idf)] + idf)
    counts = np.array([[1, 1, 0, 2, 0], [2, 0, 0, 0, 2]])
    out = to_numpy(layer(data))
    np.testing.assert_allclose(out, counts * weights, rtol=1e-6)
    assert str(out.dtype) == "float32"


def test_string_lookup_adapt_ranking_max_tokens_and_tf_idf():
    docs = np.array([["a", "c", "b"], ["b", "q", "c"], ["d", "d", "b"]])
    layer = layers.StringLookup(max_tokens=4)
    layer.adapt(docs)
    counts = collections.Counter(docs.reshape(-1).tolist())
    ranked = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
    assert layer.get_vocabulary() == ["[UNK]"] + ranked[:3]

    tfidf = layers.StringLookup(output_mode="tf_idf")
    tfidf.adapt(docs)
    vocab = tfidf.get_vocabulary(include_special_tokens=False)
    assert vocab == ranked
    doc_freq = {t: sum(t in row for row in docs.tolist()) for t in vocab}
    idf = np.array([math.log(1 + 3 / (1 + doc_freq[t])) for t in vocab])
    idf = np.concatenate([[idf.mean()], idf])
    row = docs[2]
    counts_row = np.array([0] + [list(row).count(t) for t in vocab])
    np.testing.assert_allclose(to_numpy(tfidf(row[None]))[0], counts_row * idf, rtol=1e-6)

    batches = layers.StringLookup()
    batches.adapt(iter([docs[:1], docs[1:]]))  # an iterable of batches
    assert batches.get_vocabulary() == ["[UNK]"] + ranked


def test_string_lookup_invert_roundtrip():
    forward = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    inverse = layers.StringLookup(vocabulary=VOCAB, mask_token="", invert=True)
    data = np.array([["a", "", "d"], ["c", "b", "zz"]])
    back = np.asarray(inverse(to_numpy(forward(data))))
    np.testing.assert_array_equal(back, np.where(data == "zz", "[UNK]", data))
    np.testing.assert_array_equal(
        np.asarray(inverse(np.array([0, 1, 2, 9]))), ["", "[UNK]", "a", "[UNK]"]
    )


def test_string_lookup_set_vocabulary_file_and_errors(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(VOCAB) + "\n")
    from_file = layers.StringLookup(vocabulary=str(path))
    assert from_file.get_vocabulary() == ["[UNK]"] + VOCAB
    assert from_file.get_config()["vocabulary"] is None  # the file goes to the assets
    layer = layers.StringLookup()
    layer.set_vocabulary(["[UNK]", "x", "y"])  # special tokens may lead
    assert layer.get_vocabulary() == ["[UNK]", "x", "y"]
    with pytest.raises(ValueError, match="repeated"):
        layer.set_vocabulary(["x", "x"])
    with pytest.raises(ValueError, match="max_tokens"):
        layers.StringLookup(max_tokens=3, vocabulary=VOCAB)
    with pytest.raises(ValueError, match="reserved mask_token"):
        layers.StringLookup(mask_token="a", vocabulary=VOCAB)
    with pytest.raises(ValueError, match='"strict.*num_oov_indices=0'):
        layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0, name="strict")(["a", "q"])
    with pytest.raises(ValueError, match="cannot adapt"):
        layers.StringLookup(vocabulary=VOCAB).adapt(["a"])
    with pytest.raises(ValueError, match="idf_weights"):
        layers.StringLookup(output_mode="tf_idf", vocabulary=VOCAB)
    with pytest.raises(RuntimeError, match="vocabulary"):
        layers.StringLookup(output_mode="multi_hot")(["a"])
    with pytest.raises(ValueError, match="output_mode"):
        layers.StringLookup(output_mode="dense")


def test_string_lookup_config_roundtrip_and_file_path_refused():
    layer = layers.StringLookup(
        vocabulary=VOCAB, mask_token="", num_oov_indices=2, output_mode="int"
    )
    clone = roundtrip(layer)
    np.testing.assert_array_equal(to_numpy(clone(TOKENS)), to_numpy(layer(TOKENS)))
    config = layer.get_config()
    config["vocabulary"] = "/etc/passwd"
    with pytest.raises(ValueError, match="outside of the model archive"):
        layers.StringLookup.from_config(config)


# --- IntegerLookup ---------------------------------------------------------------------------
INT_VOCAB = [12, 36, 1138, 42]


def test_integer_lookup_values_oov_mask_and_invert():
    data = np.array([[12, 1138, 42], [42, 1000, 36]])
    index = {t: i + 1 for i, t in enumerate(INT_VOCAB)}
    expected = np.vectorize(lambda t: index.get(t, 0))(data)
    out = to_numpy(layers.IntegerLookup(vocabulary=INT_VOCAB)(data))
    np.testing.assert_array_equal(out, expected)
    assert str(out.dtype) == INT64  # int32 on JAX without x64 mode, as Keras 3
    floormod = layers.IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=3, mask_token=0)
    data = np.array([[12, 0, -8], [7, 100, 36]])
    expected = np.vectorize(
        lambda t: 0 if t == 0 else 4 + INT_VOCAB.index(t) if t in INT_VOCAB else 1 + t % 3
    )(data)
    np.testing.assert_array_equal(to_numpy(floormod(data)), expected)
    farm = layers.IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=3, oov_method="farmhash")
    expected = np.vectorize(lambda t: 3 + INT_VOCAB.index(t) if t in INT_VOCAB else bucket(t, 3))(
        data
    )
    np.testing.assert_array_equal(to_numpy(farm(data)), expected)
    inverse = layers.IntegerLookup(vocabulary=INT_VOCAB, invert=True)
    ids = np.array([[1, 3, 4], [4, 0, 2], [7, -1, 2]])
    table_ = np.array([-1] + INT_VOCAB)
    expected = np.where((ids >= 0) & (ids < 5), table_[np.clip(ids, 0, 4)], -1)
    np.testing.assert_array_equal(to_numpy(inverse(ids)), expected)
    forward = layers.IntegerLookup(vocabulary=INT_VOCAB)
    np.testing.assert_array_equal(to_numpy(inverse(forward(np.array(INT_VOCAB)))), INT_VOCAB)


def test_get_vocabulary_element_types_match_keras():
    # Keras 3.15.1 (every backend): special tokens are Python values, terms NumPy scalars.
    def types(vocabulary):
        return [type(t) for t in vocabulary]

    strings = layers.StringLookup(vocabulary=["a", "b"], mask_token="")
    assert types(strings.get_vocabulary()) == [str, str, np.str_, np.str_]
    text = layers.TextVectorization(vocabulary=["x"])
    assert types(text.get_vocabulary()) == [str, str, np.str_]
    ints = layers.IntegerLookup(vocabulary=[3, 4], mask_token=0)
    assert types(ints.get_vocabulary()) == [int, int, np.int64, np.int64]
    assert types(ints.get_vocabulary(include_special_tokens=False)) == [np.int64, np.int64]
    # Inverting still gives the terms.
    inverse = layers.IntegerLookup(vocabulary=[3, 4], invert=True)
    np.testing.assert_array_equal(to_numpy(inverse([1, 2, 0])), [3, 4, -1])


def test_integer_lookup_adapt_count_and_symbolic():
    data = np.array([[5, 0, -8], [9, 0, 5], [7, 7, 7]])
    layer = layers.IntegerLookup(output_mode="count")
    layer.adapt(data)
    counts = collections.Counter(data.reshape(-1).tolist())
    ranked = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
    assert layer.get_vocabulary() == [-1] + ranked
    expected = np.zeros((3, len(ranked) + 1))
    for i, row in enumerate(data):
        for t in row:
            expected[i, ranked.index(t) + 1] += 1
    np.testing.assert_array_equal(to_numpy(layer(data)), expected)
    check_symbolic_shape(layer, (3,), data)
    clone = roundtrip(layers.IntegerLookup(vocabulary=INT_VOCAB, mask_token=0, oov_token=-7))
    assert clone.get_vocabulary() == [0, -7] + INT_VOCAB
    with pytest.raises(ValueError, match="IntegerLookup.*integer"):
        layers.IntegerLookup(vocabulary=INT_VOCAB)(np.array(["a"]))


@needs_training
def test_integer_layers_train_inside_compiled_steps():
    """IntegerLookup, Discretization and CategoryEncoding run inside the compiled steps."""
    rng = np.random.default_rng(0)
    ids = rng.choice([3, 17, 40, 99], size=(256, 1))
    values = rng.uniform(-1, 1, size=(256, 1)).astype("float32")
    labels = ((ids[:, 0] == 17) | (values[:, 0] > 0.5)).astype("float32")
    id_in = keras.Input(shape=(1,), dtype="int64")
    value_in = keras.Input(shape=(1,))
    looked = layers.IntegerLookup(vocabulary=[3, 17, 40, 99], output_mode="one_hot")(id_in)
    binned = layers.Discretization(bin_boundaries=[-0.5, 0.0, 0.5], output_mode="one_hot")(value_in)
    merged = layers.Concatenate()(
        [layers.Lambda(lambda t: keras.ops.cast(t, "float32"))(looked), binned]
    )
    out = layers.Dense(1, activation="sigmoid")(merged)
    model = keras.Model([id_in, value_in], out)
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    history = model.fit([ids, values], labels, epochs=8, batch_size=64, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    predicted = model.predict([ids, values], verbose=0)
    assert ((predicted[:, 0] > 0.5) == labels.astype(bool)).mean() > 0.95


# --- two-tower recommender --------------------------------------------------------------------
@needs_training
def test_two_tower_recommender_with_string_lookup():
    """StringLookup + Embedding + Dot: trains on looked-up ids, then an end-to-end model on
    raw strings predicts the same scores."""
    users = [f"user{i}" for i in range(12)]
    items = [f"item{i}" for i in range(8)]
    rng = np.random.default_rng(1)
    user_col = np.array(rng.choice(users, 400))
    item_col = np.array(rng.choice(items, 400))
    likes = np.array([(int(u[4:]) + int(i[4:])) % 2 for u, i in zip(user_col, item_col)], "float32")
    user_lookup = layers.StringLookup()
    user_lookup.adapt(user_col)
    item_lookup = layers.StringLookup(vocabulary=items)
    user_ids, item_ids = keras.Input(shape=(), dtype="int64"), keras.Input(shape=(), dtype="int64")
    user_vec = layers.Embedding(user_lookup.vocabulary_size(), 8)(user_ids)
    item_vec = layers.Embedding(item_lookup.vocabulary_size(), 8)(item_ids)
    score = layers.Activation("sigmoid")(layers.Dot(axes=1)([user_vec, item_vec]))
    towers = keras.Model([user_ids, item_ids], score)
    towers.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    encoded = [to_numpy(user_lookup(user_col)), to_numpy(item_lookup(item_col))]
    history = towers.fit(encoded, likes, epochs=10, batch_size=50, verbose=0)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]

    user_text, item_text = (
        keras.Input(shape=(), dtype="string"),
        keras.Input(shape=(), dtype="string"),
    )
    end_to_end = keras.Model(
        [user_text, item_text], towers([user_lookup(user_text), item_lookup(item_text)])
    )
    end_to_end.compile(run_eagerly=True)  # string layers run on the host
    np.testing.assert_allclose(
        end_to_end.predict([user_col, item_col], verbose=0),
        towers.predict(encoded, verbose=0),
        rtol=1e-5,
        atol=1e-6,
    )


# --- saving -------------------------------------------------------------------------------------
def test_lookup_layers_save_and_load(tmp_path):
    """Adapted vocabularies (assets), IDF weights (own variables) and given vocabularies
    (config) survive a `.keras` round trip."""
    docs = np.array([["a", "c", "b"], ["b", "q", "c"], ["d", "d", "b"]])
    tokens = keras.Input(shape=(3,), dtype="string")
    adapted = layers.StringLookup(output_mode="tf_idf")
    adapted.adapt(docs)
    ints = keras.Input(shape=(3,), dtype="int64")
    int_lookup = layers.IntegerLookup(max_tokens=5)
    int_lookup.adapt(np.array([[4, 4, 9], [9, 9, 1], [2, 2, 2]]))
    given = layers.StringLookup(vocabulary=VOCAB, mask_token="")
    model = keras.Model([tokens, ints], [adapted(tokens), given(tokens), int_lookup(ints)])
    path = tmp_path / "lookups.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    sample = [docs, np.array([[4, 1, 7], [2, 9, 9], [1, 1, 4]])]
    for got, want in zip(loaded(sample), model(sample)):
        np.testing.assert_array_equal(to_numpy(got), to_numpy(want))
    got_layers = {
        type(layer).__name__ + str(layer.output_mode): layer
        for layer in loaded.layers
        if hasattr(layer, "get_vocabulary")
    }
    assert got_layers["StringLookuptf_idf"].get_vocabulary() == adapted.get_vocabulary()
    assert got_layers["IntegerLookupint"].get_vocabulary() == int_lookup.get_vocabulary()
