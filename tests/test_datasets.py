"""keras.datasets loaders read small stand-in files placed in a temporary KERAS_HOME cache
(no network access), and return what Keras' loaders return for those files."""

import gzip
import json
import os
import pickle
import socket
import tarfile

import numpy as np
import pytest

import unikeras as keras


@pytest.fixture
def cache(tmp_path, monkeypatch):
    home = tmp_path / "keras_home"
    (home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(home))

    def no_network(*args, **kwargs):
        raise AssertionError("a dataset loader tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    return home / "datasets"


def test_loaders_and_signatures_like_keras():
    import inspect

    expected = {
        "mnist": ["path"],
        "fashion_mnist": [],
        "cifar10": [],
        "cifar100": ["label_mode"],
        "boston_housing": ["path", "test_split", "seed"],
        "california_housing": ["version", "path", "test_split", "seed"],
        "imdb": [
            "path",
            "num_words",
            "skip_top",
            "maxlen",
            "seed",
            "start_char",
            "oov_char",
            "index_from",
            "kwargs",
        ],
        "reuters": [
            "path",
            "num_words",
            "skip_top",
            "maxlen",
            "test_split",
            "seed",
            "start_char",
            "oov_char",
            "index_from",
        ],
    }
    for name, params in expected.items():
        module = getattr(keras.datasets, name)
        assert list(inspect.signature(module.load_data).parameters) == params, name
    assert callable(keras.datasets.imdb.get_word_index)
    assert callable(keras.datasets.reuters.get_word_index)
    assert len(keras.datasets.reuters.get_label_names()) == 46


def test_mnist(cache):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 6, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 2, dtype=np.uint8),
    }
    np.savez(cache / "mnist.npz", **arrays)
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    for got, key in (
        (x_train, "x_train"),
        (y_train, "y_train"),
        (x_test, "x_test"),
        (y_test, "y_test"),
    ):
        np.testing.assert_array_equal(got, arrays[key])
        assert got.dtype == np.uint8


def test_fashion_mnist(cache):
    folder = cache / "fashion-mnist"
    folder.mkdir()
    rng = np.random.default_rng(1)
    x_train = rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)
    y_train = np.array([1, 2, 3], dtype=np.uint8)
    x_test = rng.integers(0, 256, (2, 28, 28), dtype=np.uint8)
    y_test = np.array([4, 5], dtype=np.uint8)
    for name, header, array in (
        ("train-labels-idx1-ubyte.gz", 8, y_train),
        ("train-images-idx3-ubyte.gz", 16, x_train),
        ("t10k-labels-idx1-ubyte.gz", 8, y_test),
        ("t10k-images-idx3-ubyte.gz", 16, x_test),
    ):
        with gzip.open(folder / name, "wb") as handle:
            handle.write(b"\0" * header + array.tobytes())
    (a, b), (c, d) = keras.datasets.fashion_mnist.load_data()
    np.testing.assert_array_equal(a, x_train)
    np.testing.assert_array_equal(b, y_train)
    np.testing.assert_array_equal(c, x_test)
    np.testing.assert_array_equal(d, y_test)


def _split_reference(x, y, test_split, seed):
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


@pytest.mark.parametrize("name,features", [("boston_housing", 13), ("california_housing", 8)])
def test_housing(cache, name, features):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(20, features))
    y = rng.normal(size=20)
    np.savez(cache / f"{name}.npz", x=x, y=y)
    loader = getattr(keras.datasets, name).load_data
    for test_split, seed in ((0.2, 113), (0.5, 1)):
        got = loader(test_split=test_split, seed=seed)
        want = _split_reference(x, y, test_split, seed)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g[0], w[0])
            np.testing.assert_array_equal(g[1], w[1])
    with pytest.raises(ValueError, match="test_split"):
        loader(test_split=1.0)
    if name == "california_housing":
        np.savez(
            cache / "california_housing.npz", x=rng.normal(size=(700, 8)), y=rng.normal(size=700)
        )
        (a, _), (c, _) = loader(version="small")
        assert len(a) + len(c) == 600
        with pytest.raises(ValueError, match="version"):
            loader(version="medium")


def _cifar_batch(path, n, label_key, rng, extra=None):
    data = {
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        label_key.encode(): [int(v) for v in rng.integers(0, 10, n)],
    }
    if extra:
        data[extra.encode()] = [int(v) for v in rng.integers(0, 5, n)]
    with open(path, "wb") as handle:
        pickle.dump(data, handle)
    return data


def test_cifar10_from_archive(cache):
    rng = np.random.default_rng(3)
    staging = cache.parent / "staging" / "cifar-10-batches-py"
    staging.mkdir(parents=True)
    batches = [_cifar_batch(staging / f"data_batch_{i}", 2, "labels", rng) for i in range(1, 6)]
    test = _cifar_batch(staging / "test_batch", 3, "labels", rng)
    with tarfile.open(cache / "cifar-10-batches-py-target_archive", "w:gz") as archive:
        archive.add(staging, arcname="cifar-10-batches-py")
    (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    want = np.concatenate([b[b"data"] for b in batches]).reshape(-1, 3, 32, 32)
    if keras.config.image_data_format() == "channels_last":
        want = want.transpose(0, 2, 3, 1)
    np.testing.assert_array_equal(x_train, want)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    np.testing.assert_array_equal(y_train[:, 0], sum((b[b"labels"] for b in batches), []))
    assert x_test.shape[0] == 3 and y_test.shape == (3, 1)
    np.testing.assert_array_equal(y_test[:, 0], test[b"labels"])
    assert (cache / "cifar-10-batches-py-target" / "cifar-10-batches-py").is_dir()


def test_cifar100_label_modes_and_unpickling_is_restricted(cache):
    rng = np.random.default_rng(4)
    folder = cache / "cifar-100-python-target" / "cifar-100-python"
    folder.mkdir(parents=True)
    train = _cifar_batch(folder / "train", 4, "fine_labels", rng, extra="coarse_labels")
    _cifar_batch(folder / "test", 2, "fine_labels", rng, extra="coarse_labels")
    (_, fine), _ = keras.datasets.cifar100.load_data()
    (_, coarse), _ = keras.datasets.cifar100.load_data(label_mode="coarse")
    np.testing.assert_array_equal(fine[:, 0], train[b"fine_labels"])
    np.testing.assert_array_equal(coarse[:, 0], train[b"coarse_labels"])
    with pytest.raises(ValueError, match="label_mode"):
        keras.datasets.cifar100.load_data(label_mode="medium")

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    with open(folder / "train", "wb") as handle:
        pickle.dump({b"data": Evil()}, handle)
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        keras.datasets.cifar100.load_data()


def _sequences(rng, n, vocab=30):
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = [int(v) for v in rng.integers(1, vocab, rng.integers(2, 9))]
    return out


def _shift_and_filter(xs, labels, maxlen, start_char, index_from):
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    else:
        xs = [[w + index_from for w in x] for x in xs]
    labels = list(labels)
    if maxlen:
        kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
        xs, labels = [k[0] for k in kept], [k[1] for k in kept]
    return xs, labels


def _cut(xs, num_words, skip_top, oov_char):
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def _text_reference(xs, labels, num_words, skip_top, maxlen, start_char, oov_char, index_from):
    xs, labels = _shift_and_filter(xs, labels, maxlen, start_char, index_from)
    return _cut(xs, num_words, skip_top, oov_char), labels


IMDB_CASES = [
    dict(),
    dict(num_words=10, skip_top=4),
    dict(maxlen=7, oov_char=None),
    dict(start_char=None, index_from=0),
    dict(start_char=None, index_from=2),
]


@pytest.mark.parametrize("kwargs", IMDB_CASES)
def test_imdb(cache, kwargs):
    rng = np.random.default_rng(5)
    x_train, x_test = _sequences(rng, 12), _sequences(rng, 8)
    y_train, y_test = rng.integers(0, 2, 12), rng.integers(0, 2, 8)
    np.savez(cache / "imdb.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    (a, b), (c, d) = keras.datasets.imdb.load_data(seed=3, **kwargs)
    rng_ref = np.random.RandomState(3)
    order = np.arange(12)
    rng_ref.shuffle(order)
    order_test = np.arange(8)
    rng_ref.shuffle(order_test)
    settings = dict(num_words=None, skip_top=0, maxlen=None, start_char=1, oov_char=2, index_from=3)
    settings.update(kwargs)
    maxlen = settings.pop("maxlen")
    num_words = settings.pop("num_words")
    skip_top = settings.pop("skip_top")
    tr, tr_y = _shift_and_filter(
        x_train[order], y_train[order], maxlen, settings["start_char"], settings["index_from"]
    )
    te, te_y = _shift_and_filter(
        x_test[order_test],
        y_test[order_test],
        maxlen,
        settings["start_char"],
        settings["index_from"],
    )
    both = _cut(tr + te, num_words, skip_top, settings["oov_char"])
    assert a.dtype == object and [list(s) for s in a] == both[: len(tr)]
    assert [list(s) for s in c] == both[len(tr) :]
    np.testing.assert_array_equal(b, tr_y)
    np.testing.assert_array_equal(d, te_y)


def test_imdb_matches_keras_on_the_same_file(cache, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", os.environ.get("KERAS_BACKEND", "numpy"))
    keras3 = pytest.importorskip("keras")
    rng = np.random.default_rng(6)
    np.savez(
        cache / "imdb.npz",
        x_train=_sequences(rng, 10),
        y_train=rng.integers(0, 2, 10),
        x_test=_sequences(rng, 6),
        y_test=rng.integers(0, 2, 6),
    )
    from keras.src.backend import config as keras_config
    from keras.src.utils import file_utils

    monkeypatch.setattr(file_utils, "validate_file", lambda *a, **k: True)
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(cache.parent))
    for kwargs in IMDB_CASES:
        ours = keras.datasets.imdb.load_data(**kwargs)
        theirs = keras3.datasets.imdb.load_data(**kwargs)
        for o, t in zip(ours, theirs):
            assert [list(s) for s in o[0]] == [list(s) for s in t[0]]
            np.testing.assert_array_equal(o[1], t[1])


@pytest.mark.parametrize(
    "kwargs", [dict(), dict(num_words=12, test_split=0.5), dict(maxlen=6, skip_top=5)]
)
def test_reuters(cache, kwargs):
    rng = np.random.default_rng(7)
    xs, ys = _sequences(rng, 15), rng.integers(0, 46, 15)
    np.savez(cache / "reuters.npz", x=xs, y=ys)
    (a, b), (c, d) = keras.datasets.reuters.load_data(**kwargs)
    order = np.arange(15)
    np.random.RandomState(113).shuffle(order)
    want, labels = _text_reference(
        xs[order],
        ys[order],
        kwargs.get("num_words"),
        kwargs.get("skip_top", 0),
        kwargs.get("maxlen"),
        1,
        2,
        3,
    )
    cut = int(len(want) * (1 - kwargs.get("test_split", 0.2)))
    assert [list(s) for s in a] == want[:cut] and [list(s) for s in c] == want[cut:]
    np.testing.assert_array_equal(b, labels[:cut])
    np.testing.assert_array_equal(d, labels[cut:])


def test_word_indices(cache):
    (cache / "imdb_word_index.json").write_text(json.dumps({"the": 1, "movie": 2}))
    (cache / "reuters_word_index.json").write_text(json.dumps({"said": 1}))
    assert keras.datasets.imdb.get_word_index() == {"the": 1, "movie": 2}
    assert keras.datasets.reuters.get_word_index() == {"said": 1}


def test_missing_file_offline_error(cache):
    with pytest.raises(AssertionError, match="network"):
        keras.datasets.mnist.load_data()
    assert not (cache / "mnist.npz").exists()
