"""Dataset builders (timeseries/image/text/audio, split_dataset): `tf.data` when TensorFlow is
installed, the backend-neutral `NumpyDataset` otherwise (both checked here where possible)."""

import importlib.util
import os
import wave

import numpy as np
import pytest

import unikeras as keras
from unikeras import utils
from unikeras.backend import table
from unikeras.utils import dataset_utils

HAS_TF = importlib.util.find_spec("tensorflow") is not None
TRAINING = table.backend_info()["training"]


@pytest.fixture(params=["tf", "neutral"])
def impl(request, monkeypatch):
    if request.param == "tf":
        if not HAS_TF:
            pytest.skip(
                "TensorFlow is not installed: the builders return NumpyDataset here "
                "(checked by the 'neutral' cases)"
            )
    else:
        monkeypatch.setattr(dataset_utils, "tf_available", lambda: False)
    return request.param


def _np(value):
    if isinstance(value, tuple):
        return tuple(_np(v) for v in value)
    return np.asarray(value)


def _batches(dataset):
    return [_np(b) for b in dataset]


def _check_type(dataset, impl):
    if impl == "tf":
        import tensorflow as tf

        assert isinstance(dataset, tf.data.Dataset)
    else:
        assert isinstance(dataset, dataset_utils.NumpyDataset)
        assert isinstance(dataset, keras.utils.PyDataset)


# ------------------------------------------------------------------ timeseries


def _windows(data, targets, length, stride, rate, start, end):
    start = start or 0
    end = len(data) if end is None else end
    count = end - start - (length - 1) * rate
    if targets is not None:
        count = min(count, len(targets))
    xs, ys = [], []
    for p in range(0, count, stride):
        xs.append(data[start + p + np.arange(length) * rate])
        if targets is not None:
            ys.append(targets[start + p])
    return np.array(xs), (np.array(ys) if targets is not None else None)


@pytest.mark.parametrize(
    "length,stride,rate,start,end,batch",
    [
        (5, 1, 1, None, None, 4),
        (3, 2, 2, 2, 18, 3),
        (4, 3, 1, 1, None, None),
    ],
)
def test_timeseries_windows_match_numpy(impl, length, stride, rate, start, end, batch):
    data = np.arange(40, dtype="float32").reshape(20, 2)
    targets = np.arange(20) * 10
    ds = utils.timeseries_dataset_from_array(
        data,
        targets,
        length,
        sequence_stride=stride,
        sampling_rate=rate,
        batch_size=batch,
        start_index=start,
        end_index=end,
    )
    _check_type(ds, impl)
    want_x, want_y = _windows(data, targets, length, stride, rate, start, end)
    got = _batches(ds)
    if batch is None:
        got_x = np.stack([x for x, _ in got])
        got_y = np.array([y for _, y in got])
    else:
        assert all(len(x) <= batch for x, _ in got)
        got_x = np.concatenate([x for x, _ in got])
        got_y = np.concatenate([y for _, y in got])
    np.testing.assert_array_equal(got_x, want_x)
    np.testing.assert_array_equal(got_y, want_y)


def test_timeseries_without_targets_and_shuffle(impl):
    data = np.arange(30)
    ds = utils.timeseries_dataset_from_array(data, None, 4, batch_size=5, shuffle=True, seed=3)
    got = np.concatenate(_batches(ds))
    want, _ = _windows(data, None, 4, 1, 1, None, None)
    assert got.shape == want.shape
    assert sorted(map(tuple, got)) == sorted(map(tuple, want))
    assert not np.array_equal(got, want)
    for window in got:
        np.testing.assert_array_equal(np.diff(window), 1)
    again = np.concatenate(_batches(ds))  # a second epoch: same windows, another order
    assert sorted(map(tuple, again)) == sorted(map(tuple, want))
    assert not np.array_equal(again, got)


def test_timeseries_argument_errors():
    data = np.arange(10)
    with pytest.raises(ValueError, match="start_index"):
        utils.timeseries_dataset_from_array(data, None, 3, start_index=-1)
    with pytest.raises(ValueError, match="end_index"):
        utils.timeseries_dataset_from_array(data, None, 3, start_index=5, end_index=4)
    with pytest.raises(ValueError, match="sampling_rate"):
        utils.timeseries_dataset_from_array(data, None, 3, sampling_rate=0)
    with pytest.raises(ValueError, match="sequence_stride"):
        utils.timeseries_dataset_from_array(data, None, 3, sequence_stride=10)
    with pytest.raises(ValueError, match="format"):
        utils.timeseries_dataset_from_array(data, None, 3, format="numpy")
    assert keras.preprocessing.timeseries_dataset_from_array is utils.timeseries_dataset_from_array


# ------------------------------------------------------------------ image directories


def _make_images(root, classes=("cat", "dog"), per_class=5, size=(6, 8)):
    from PIL import Image

    rng = np.random.default_rng(0)
    pixels = {}
    for c in classes:
        os.makedirs(root / c, exist_ok=True)
        for i in range(per_class):
            x = rng.integers(0, 256, size=size + (3,)).astype("uint8")
            path = root / c / f"img_{i}.png"
            Image.fromarray(x).save(path)
            pixels[str(path)] = x
    (root / classes[0] / "notes.txt").write_text("not an image")
    return pixels


def test_image_dataset_labels_and_pixels(impl, tmp_path):
    pixels = _make_images(tmp_path)
    ds = utils.image_dataset_from_directory(
        tmp_path, image_size=(6, 8), batch_size=4, seed=1, verbose=False
    )
    _check_type(ds, impl)
    assert ds.class_names == ["cat", "dog"]
    assert len(ds.file_paths) == 10
    xs, ys = zip(*_batches(ds))
    x, y = np.concatenate(xs), np.concatenate(ys)
    assert x.shape == (10, 6, 8, 3) and x.dtype == np.float32 and y.dtype == np.int32
    # Every image appears once, with the label of its folder.
    for image, label in zip(x, y):
        matches = [p for p, px in pixels.items() if np.array_equal(px, image)]
        assert len(matches) == 1
        assert os.path.basename(os.path.dirname(matches[0])) == ds.class_names[label]


@pytest.mark.parametrize("label_mode", ["categorical", "binary", None])
def test_image_dataset_label_modes(impl, tmp_path, label_mode):
    _make_images(tmp_path)
    ds = utils.image_dataset_from_directory(
        tmp_path,
        label_mode=label_mode,
        image_size=(3, 4),
        batch_size=10,
        shuffle=False,
        verbose=False,
    )
    batch = _batches(ds)[0]
    paths = ds.file_paths
    want = np.array([0 if "/cat/" in p else 1 for p in paths])
    if label_mode is None:
        assert batch.shape == (10, 3, 4, 3)
        return
    x, y = batch
    assert x.shape == (10, 3, 4, 3)
    if label_mode == "categorical":
        np.testing.assert_array_equal(y, np.eye(2, dtype="float32")[want])
    else:
        assert y.shape == (10, 1) and y.dtype == np.float32
        np.testing.assert_array_equal(y[:, 0], want)


def test_image_dataset_options(impl, tmp_path):
    _make_images(tmp_path, classes=("a", "b", "c"), per_class=2, size=(4, 8))
    ds = utils.image_dataset_from_directory(
        tmp_path,
        color_mode="grayscale",
        image_size=(4, 4),
        crop_to_aspect_ratio=True,
        batch_size=None,
        class_names=["c", "a"],
        shuffle=False,
        verbose=False,
    )
    items = _batches(ds)
    assert len(items) == 4 and items[0][0].shape == (4, 4, 1)
    assert [int(y) for _, y in items] == [0, 0, 1, 1]
    ds = utils.image_dataset_from_directory(
        tmp_path,
        labels=None,
        image_size=(2, 2),
        color_mode="rgba",
        data_format="channels_first",
        batch_size=3,
        shuffle=False,
        verbose=False,
    )
    assert [b.shape for b in _batches(ds)] == [(3, 4, 2, 2), (3, 4, 2, 2)]
    labels = list(range(6))
    ds = utils.image_dataset_from_directory(
        tmp_path, labels=labels, image_size=(2, 2), batch_size=6, shuffle=False, verbose=False
    )
    np.testing.assert_array_equal(_batches(ds)[0][1], labels)


def test_image_dataset_validation_split(impl, tmp_path):
    _make_images(tmp_path)
    train, val = utils.image_dataset_from_directory(
        tmp_path, image_size=(2, 2), validation_split=0.2, subset="both", seed=7, verbose=False
    )
    assert len(train.file_paths) == 8 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    again = utils.image_dataset_from_directory(
        tmp_path,
        image_size=(2, 2),
        validation_split=0.2,
        subset="validation",
        seed=7,
        verbose=False,
    )
    assert again.file_paths == val.file_paths


def test_image_dataset_errors(tmp_path):
    _make_images(tmp_path, classes=("a", "b", "c"), per_class=1)
    with pytest.raises(ValueError, match="exactly 2"):
        utils.image_dataset_from_directory(tmp_path, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="validation_split"):
        utils.image_dataset_from_directory(tmp_path, subset="training", verbose=False)
    with pytest.raises(ValueError, match="seed"):
        utils.image_dataset_from_directory(
            tmp_path, validation_split=0.5, subset="training", verbose=False
        )
    with pytest.raises(ValueError, match="class_names"):
        utils.image_dataset_from_directory(tmp_path, class_names=["zebra"], verbose=False)
    with pytest.raises(ValueError, match="color_mode"):
        utils.image_dataset_from_directory(tmp_path, color_mode="cmyk", verbose=False)
    with pytest.raises(ValueError, match="lengths of `labels`"):
        utils.image_dataset_from_directory(tmp_path, labels=[0], verbose=False)
    empty = tmp_path / "empty"
    (empty / "x").mkdir(parents=True)
    with pytest.raises(ValueError, match="No images found"):
        utils.image_dataset_from_directory(empty, verbose=False)


# ------------------------------------------------------------------ text / audio directories


def test_text_dataset(impl, tmp_path):
    texts = {"neg": ["bad movie", "awful"], "pos": ["great film", "loved it", "wonderful"]}
    for label, items in texts.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(items):
            (tmp_path / label / f"{i}.txt").write_text(text)
    ds = utils.text_dataset_from_directory(
        tmp_path, batch_size=2, max_length=5, seed=2, verbose=False
    )
    _check_type(ds, impl)
    got = []
    for x, y in _batches(ds):
        got.extend(
            (t.decode() if isinstance(t, bytes) else str(t), int(label)) for t, label in zip(x, y)
        )
    want = [(t[:5], 0) for t in texts["neg"]] + [(t[:5], 1) for t in texts["pos"]]
    assert sorted(got) == sorted(want)
    assert keras.preprocessing.text_dataset_from_directory is utils.text_dataset_from_directory


def _write_wav(path, samples, rate=8000):
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(samples.shape[1])
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(samples.astype("<i2").tobytes())


def test_audio_dataset(impl, tmp_path):
    rng = np.random.default_rng(0)
    clips = {}
    for label, lengths in (("no", (5, 9)), ("yes", (7,))):
        (tmp_path / label).mkdir()
        for i, n in enumerate(lengths):
            samples = rng.integers(-32768, 32767, size=(n, 1))
            _write_wav(tmp_path / label / f"{i}.wav", samples)
            clips[(label, n)] = samples[:, 0] / 32768.0
    ds = utils.audio_dataset_from_directory(tmp_path, batch_size=3, shuffle=False, verbose=False)
    _check_type(ds, impl)
    ((x, y),) = _batches(ds)
    assert x.shape == (3, 9, 1) and x.dtype == np.float32
    np.testing.assert_array_equal(y, [0, 0, 1])
    np.testing.assert_allclose(x[0, :5, 0], clips[("no", 5)], atol=1e-6)
    np.testing.assert_array_equal(x[0, 5:], 0.0)
    np.testing.assert_allclose(x[2, :7, 0], clips[("yes", 7)], atol=1e-6)
    ds = utils.audio_dataset_from_directory(
        tmp_path, batch_size=3, shuffle=False, output_sequence_length=6, verbose=False
    )
    ((x, _),) = _batches(ds)
    assert x.shape == (3, 6, 1)
    np.testing.assert_allclose(x[1, :, 0], clips[("no", 9)][:6], atol=1e-6)
    with pytest.raises(ValueError, match="ragged"):
        utils.audio_dataset_from_directory(tmp_path, ragged=True, output_sequence_length=3)


# ------------------------------------------------------------------ split_dataset


@pytest.mark.parametrize(
    "left,right,want",
    [(0.8, None, (8, 2)), (None, 3, (7, 3)), (4, 0.5, (4, 5)), (0.3, 0.3, (3, 3))],
)
def test_split_dataset_sizes(impl, left, right, want):
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    a, b = utils.split_dataset((x, y), left_size=left, right_size=right)
    got_a, got_b = list(a), list(b)
    assert (len(got_a), len(got_b)) == want
    np.testing.assert_array_equal(np.stack([np.asarray(e[0]) for e in got_a]), x[: want[0]])
    np.testing.assert_array_equal(np.array([np.asarray(e[1]) for e in got_b]), y[10 - want[1] :])


def test_split_dataset_shuffle_and_errors(impl):
    data = np.arange(50)
    a1, b1 = utils.split_dataset(data, left_size=0.6, shuffle=True, seed=5)
    a2, _ = utils.split_dataset(data, left_size=0.6, shuffle=True, seed=5)
    left = [int(np.asarray(v)) for v in a1]
    assert left == [int(np.asarray(v)) for v in a2]
    assert sorted(left + [int(np.asarray(v)) for v in b1]) == list(range(50))
    assert left != list(range(30))
    for kwargs in (
        {},
        {"left_size": 1.5},
        {"left_size": 0.7, "right_size": 0.7},
        {"left_size": 60},
    ):
        with pytest.raises(ValueError):
            utils.split_dataset(data, **kwargs)
    with pytest.raises(TypeError):
        utils.split_dataset(data, left_size="half")


def test_neutral_split_batches(monkeypatch):
    monkeypatch.setattr(dataset_utils, "tf_available", lambda: False)
    left, _ = utils.split_dataset((np.ones((10, 3)), np.zeros(10)), left_size=7)
    batched = left.batch(3)
    assert [tuple(b[0].shape) for b in batched] == [(3, 3), (3, 3), (1, 3)]


# ------------------------------------------------------------------ training on the datasets


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: fit raises by design")
def test_fit_evaluate_predict_accept_neutral_datasets(monkeypatch, tmp_path):
    monkeypatch.setattr(dataset_utils, "tf_available", lambda: False)
    data = np.random.default_rng(0).normal(size=(40, 2)).astype("float32")
    targets = data[:, 0].copy()
    ds = utils.timeseries_dataset_from_array(data, targets, 4, batch_size=8)
    model = keras.Sequential([keras.Input((4, 2)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.isfinite(model.evaluate(ds, verbose=0))
    assert model.predict(ds, verbose=0).shape == (37, 1)

    _make_images(tmp_path, per_class=3)
    images = utils.image_dataset_from_directory(
        tmp_path, image_size=(4, 4), batch_size=4, seed=0, verbose=False
    )
    model = keras.Sequential(
        [
            keras.Input((4, 4, 3)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Flatten(),
            keras.layers.Dense(2),
        ]
    )
    model.compile(
        optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    model.fit(images, epochs=1, verbose=0)
    assert model.predict(images, verbose=0).shape == (6, 2)


@pytest.mark.parametrize(
    "options",
    [
        dict(interpolation="bilinear"),
        dict(interpolation="nearest", crop_to_aspect_ratio=True),
        dict(interpolation="bilinear", pad_to_aspect_ratio=True),
    ],
)
def test_resized_images_match_keras(monkeypatch, tmp_path, options):
    pytest.importorskip("tensorflow")  # Keras' builder is tf.data-only
    monkeypatch.setenv("KERAS_BACKEND", os.environ.get("KERAS_BACKEND", "numpy"))
    keras3 = pytest.importorskip("keras")
    _make_images(tmp_path, per_class=2, size=(9, 13))
    kwargs = dict(image_size=(4, 5), batch_size=4, shuffle=False, verbose=False, **options)
    theirs = [
        np.asarray(x) for x, _ in keras3.utils.image_dataset_from_directory(tmp_path, **kwargs)
    ]
    monkeypatch.setattr(dataset_utils, "tf_available", lambda: False)
    ours = [x for x, _ in _batches(utils.image_dataset_from_directory(tmp_path, **kwargs))]
    np.testing.assert_allclose(np.concatenate(ours), np.concatenate(theirs), atol=1e-3)


def test_split_dataset_torch_datasets():
    torch_data = pytest.importorskip("torch.utils.data")
    import torch

    dataset = torch_data.TensorDataset(torch.arange(10.0), torch.arange(10))
    left, right = utils.split_dataset(dataset, left_size=0.7)
    assert isinstance(left, torch_data.Dataset) and (len(left), len(right)) == (7, 3)
    assert float(left[6][0]) == 6.0 and int(right[0][1]) == 7
    left, _ = utils.split_dataset(np.arange(6), right_size=2, preferred_backend="torch")
    assert isinstance(left, torch_data.Dataset) and len(left) == 4


@pytest.mark.skipif(not TRAINING, reason="inference-only backend: fit raises by design")
def test_text_pipeline_without_tensorflow(monkeypatch, tmp_path):
    monkeypatch.setattr(dataset_utils, "tf_available", lambda: False)
    for label, texts in {
        "neg": ["bad movie", "awful film"],
        "pos": ["great film", "loved it a lot"],
    }.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text)
    ds = utils.text_dataset_from_directory(tmp_path, batch_size=2, seed=0, verbose=False)
    vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorize.adapt(ds.map(lambda x, y: x))
    assert set(vectorize.get_vocabulary()) >= {"film", "bad", "loved"}
    vectors = ds.map(lambda x, y: (vectorize(x), y))
    x, y = vectors[0]
    assert tuple(keras.ops.shape(x)) == (2, 4)
    model = keras.Sequential(
        [
            keras.Input((4,), dtype="int64"),
            keras.layers.Embedding(20, 4),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    model.fit(vectors, epochs=1, verbose=0)
    assert model.predict(vectors, verbose=0).shape == (4, 1)
