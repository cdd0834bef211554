"""`keras.callbacks.TensorBoard` on the active backend: the event files, read back with
TensorBoard's own `EventAccumulator`, hold the History values, batch scalars, weight
histograms and images, and the model config; `profile_batch` traces the batches Keras' rules
name with the backend's profiler; `embeddings_freq` writes what TensorBoard's projector
reads."""

import json
import os
import struct
import sys
import zlib

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import registry, table
from trainer_models import MeanModel, regression_data

try:
    from tensorboard.backend.event_processing import event_accumulator

    MISSING = None
except ImportError as e:
    event_accumulator, MISSING = None, e

needs_tensorboard = pytest.mark.skipif(
    event_accumulator is None,
    reason=f"tensorboard is not importable (pip install tensorboard): {MISSING}",
)
needs_training = pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)


def read_events(directory):
    accumulator = event_accumulator.EventAccumulator(
        str(directory), size_guidance={"scalars": 0, "histograms": 0, "images": 0, "tensors": 0}
    )
    accumulator.Reload()
    return accumulator


def scalars(accumulator, tag):
    events = accumulator.Scalars(tag)
    return [e.step for e in events], [e.value for e in events]


@needs_tensorboard
def test_epoch_and_batch_scalars_match_the_logs(tmp_path):
    """Runs on every backend: the model's own train_step needs no gradients."""
    model = MeanModel()
    model.compile(optimizer=None)
    x, y = regression_data(8)
    batch_logs = []
    record = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batch_logs.append(dict(logs))
    )
    history = model.fit(
        x,
        y,
        batch_size=2,
        epochs=3,
        verbose=0,
        validation_data=(x, y),
        shuffle=False,
        callbacks=[keras.callbacks.TensorBoard(tmp_path, update_freq=3), record],
    )
    train = read_events(tmp_path / "train")
    validation = read_events(tmp_path / "validation")
    for name in ("loss", "w"):
        steps, values = scalars(train, f"epoch_{name}")
        assert steps == [0, 1, 2]
        np.testing.assert_allclose(values, history.history[name], rtol=1e-6)
    steps, values = scalars(validation, "epoch_loss")
    assert steps == [0, 1, 2]
    np.testing.assert_allclose(values, history.history["val_loss"], rtol=1e-6)
    assert "epoch_val_loss" not in train.Tags()["scalars"]
    # update_freq=3: the batches 3, 6, 9, 12 (counted from 1 across epochs).
    steps, values = scalars(train, "batch_loss")
    assert steps == [3, 6, 9, 12]
    np.testing.assert_allclose(values, [batch_logs[s - 1]["loss"] for s in steps], rtol=1e-6)


@needs_tensorboard
@needs_training
def test_fit_writes_history_histograms_images_and_graph(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x @ rng.normal(size=(4, 1))).astype("float32")
    model = keras.Sequential(
        [keras.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    callback = keras.callbacks.TensorBoard(tmp_path, histogram_freq=2, write_images=True)
    history = model.fit(
        x, y, batch_size=16, epochs=3, validation_split=0.25, verbose=0, callbacks=[callback]
    )
    train = read_events(tmp_path / "train")
    validation = read_events(tmp_path / "validation")
    for name in ("loss", "mae"):
        np.testing.assert_allclose(
            scalars(train, f"epoch_{name}")[1], history.history[name], rtol=1e-6
        )
        np.testing.assert_allclose(
            scalars(validation, f"epoch_{name}")[1], history.history[f"val_{name}"], rtol=1e-6
        )
    assert scalars(train, "epoch_learning_rate") == ([0, 1, 2], [pytest.approx(0.01)] * 3)
    # Validation after each epoch of 3 batches: at optimizer iterations 3, 6, 9.
    steps, values = scalars(validation, "evaluation_loss_vs_iterations")
    assert steps == [3, 6, 9]
    np.testing.assert_allclose(values, history.history["val_loss"], rtol=1e-6)
    assert "batch_loss" not in train.Tags()["scalars"]  # update_freq="epoch"

    # histogram_freq=2: epochs 0 and 2; the last one holds the final weights.
    for weight in model.weights:
        events = train.Histograms(f"{weight.path}/histogram")
        assert [e.step for e in events] == [0, 2]
        histo, final = events[-1].histogram_value, weight.numpy()
        assert histo.num == final.size and sum(histo.bucket) == final.size
        np.testing.assert_allclose(
            [histo.min, histo.max, histo.sum], [final.min(), final.max(), final.sum()], rtol=1e-5
        )
    kernel = model.layers[0].kernel  # (4, 3): drawn transposed, 3 rows of 4 pixels
    image = train.Images(f"{kernel.path}/image")[-1]
    assert (image.height, image.width) == (3, 4)
    pixels = _decode_gray_png(image.encoded_image_string)
    expected = kernel.numpy().T
    expected = np.round((expected - expected.min()) / np.ptp(expected) * 255)
    np.testing.assert_array_equal(pixels, expected)

    graph = train.Tensors("keras")
    config = json.loads(graph[0].tensor_proto.string_val[0])
    assert config["class_name"] == "Sequential"
    assert [layer["class_name"] for layer in config["config"]["layers"]][-2:] == ["Dense", "Dense"]


def _decode_gray_png(data):
    """The pixels of an 8-bit grayscale PNG (the callback's encoding), independently parsed."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width, height = 8, b"", None, None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert (depth, color) == (8, 0)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, width + 1)
    assert not rows[:, 0].any()  # filter type 0 on every row
    return rows[:, 1:]


@needs_tensorboard
def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match="profile_batch must be"):
        keras.callbacks.TensorBoard(profile_batch="a,b")
    with pytest.raises(ValueError, match="profile_batch must be"):
        keras.callbacks.TensorBoard(profile_batch=(5, 2))
    with pytest.raises(ValueError, match="update_freq"):
        keras.callbacks.TensorBoard(update_freq=0)
    with pytest.raises(ValueError, match="embeddings_freq"):
        keras.callbacks.TensorBoard(embeddings_freq=-1)
    assert keras.callbacks.TensorBoard(profile_batch="0,0").update_freq == "epoch"


def test_missing_tensorboard_names_the_install(monkeypatch):
    for name in [n for n in sys.modules if n == "tensorboard" or n.startswith("tensorboard.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    with pytest.raises(ImportError, match="pip install tensorboard"):
        keras.callbacks.TensorBoard("logs")


# --- profile_batch ---------------------------------------------------------------------------


def _missing(*args):
    raise NotImplementedError


_missing.unikeras_missing = True  # how the dispatch table marks a hook a backend leaves out


@needs_tensorboard
@pytest.mark.parametrize("hook", ["start_trace", "stop_trace"])
def test_profile_batch_without_profiling_hooks_names_the_backend(monkeypatch, hook):
    monkeypatch.setattr(registry.table, hook, _missing)
    with pytest.raises(
        ValueError,
        match=f"the {registry.backend()} backend cannot profile.*"
        r"Received: profile_batch=\(2, 3\)",
    ):
        keras.callbacks.TensorBoard(profile_batch=(2, 3))
    keras.callbacks.TensorBoard(profile_batch=0)  # no profiler needed


class _RecordingProfiler:
    """Stands in for the backend's profiling hooks; `events` interleaves its calls with the
    training batches (`("batch", n)`, counted from 1 across epochs)."""

    def __init__(self, monkeypatch, fail_start=False):
        self.events = []
        self.fail_start = fail_start
        for hook in ("start_trace", "stop_trace", "trace_batch"):
            monkeypatch.setattr(registry.table, hook, getattr(self, hook))
        self.callback = keras.callbacks.LambdaCallback(
            on_train_batch_begin=lambda batch, logs: self.events.append(
                ("batch", sum(e[0] == "batch" for e in self.events) + 1)
            )
        )

    def start_trace(self, logdir):
        if self.fail_start:
            raise RuntimeError("profiler busy")
        self.events.append(("start", logdir))

    def stop_trace(self):
        self.events.append(("stop",))

    def trace_batch(self, batch):
        events = self.events

        class Mark:
            def __enter__(self):
                events.append(("enter", batch))

            def __exit__(self, *exc):
                events.append(("exit", batch))

        return Mark()


@needs_tensorboard
@pytest.mark.parametrize(
    "profile_batch, traced",
    [
        (3, [3]),  # an int: that batch only
        ("2,6", [2, 3, 4, 5, 6]),  # a range, across the epoch boundary
        ((7, 20), [7, 8]),  # a range past the end: stopped when training ends
        (0, []),
        ((0, 5), []),  # batch 0 never comes (batches count from 1), as in Keras
        (9, []),  # past the end: never started
    ],
)
def test_profile_batch_traces_the_batches_keras_names(tmp_path, monkeypatch, profile_batch, traced):
    profiler = _RecordingProfiler(monkeypatch)
    model = MeanModel()
    model.compile(optimizer=None)
    x, y = regression_data(8)
    model.fit(
        x,
        y,
        batch_size=2,
        epochs=2,
        verbose=0,
        callbacks=[
            profiler.callback,
            keras.callbacks.TensorBoard(tmp_path, profile_batch=profile_batch),
        ],
    )
    # Each traced batch is marked while it runs; the trace starts when its first batch
    # begins and stops after its last one (or when training ends).
    want = []
    for batch in range(1, 9):  # 4 batches per epoch, counted across epochs
        want.append(("batch", batch))
        if traced and batch == traced[0]:
            want.append(("start", os.path.join(str(tmp_path), "train")))
        if batch in traced:
            want += [("enter", batch), ("exit", batch)]
        if traced and batch == traced[-1]:
            want.append(("stop",))
    assert profiler.events == want


@needs_tensorboard
def test_profiler_that_fails_to_start_only_warns(tmp_path, monkeypatch):
    profiler = _RecordingProfiler(monkeypatch, fail_start=True)
    model = MeanModel()
    model.compile(optimizer=None)
    x, y = regression_data(8)
    with pytest.warns(UserWarning, match="profiler did not start.*profiler busy"):
        history = model.fit(
            x,
            y,
            batch_size=2,
            epochs=1,
            verbose=0,
            callbacks=[profiler.callback, keras.callbacks.TensorBoard(tmp_path, profile_batch=2)],
        )
    assert len(history.history["loss"]) == 1
    assert [e[0] for e in profiler.events] == ["batch"] * 4  # no mark, no stop


@needs_tensorboard
def test_profiling_without_a_trace_batch_hook_traces_unmarked(tmp_path, monkeypatch):
    profiler = _RecordingProfiler(monkeypatch)
    monkeypatch.setattr(registry.table, "trace_batch", _missing)
    model = MeanModel()
    model.compile(optimizer=None)
    x, y = regression_data(8)
    model.fit(
        x,
        y,
        batch_size=2,
        epochs=1,
        verbose=0,
        callbacks=[profiler.callback, keras.callbacks.TensorBoard(tmp_path, profile_batch="2,3")],
    )
    assert profiler.events == [
        ("batch", 1),
        ("batch", 2),
        ("start", os.path.join(str(tmp_path), "train")),
        ("batch", 3),
        ("stop",),
        ("batch", 4),
    ]


def _trace_files(log_dir):
    root = log_dir / "train" / "plugins" / "profile"
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


@needs_tensorboard
@needs_training
@pytest.mark.skipif(
    registry.optional_hook("start_trace") is None,
    reason=f"the {registry.backend()} backend has no profiling hooks (the "
    "ValueError is tested above)",
)
def test_profile_batch_writes_the_engines_trace(tmp_path):
    x = np.random.default_rng(0).normal(size=(12, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    for profile_batch in (2, 0):
        model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
        model.fit(
            x,
            y,
            batch_size=4,
            epochs=1,
            verbose=0,
            callbacks=[
                keras.callbacks.TensorBoard(
                    tmp_path / str(profile_batch), profile_batch=profile_batch
                )
            ],
        )
    files = _trace_files(tmp_path / "2")
    # One run directory; JAX and TensorFlow write an XPlane (TensorBoard's profile plugin),
    # torch a Chrome trace (torch-tb-profiler).
    assert len({f.parts[0] for f in files}) == 1, files
    traces = [f for f in files if f.name.endswith((".xplane.pb", ".pt.trace.json"))]
    assert traces and all(
        (tmp_path / "2" / "train" / "plugins" / "profile" / f).stat().st_size > 0 for f in traces
    ), files
    assert not (tmp_path / "0" / "train" / "plugins").exists()


# --- embeddings_freq -------------------------------------------------------------------------


class EmbeddingModel(keras.Model):
    """Two `Embedding` layers that each training batch shifts by `+1` (`words`) and `-0.5`
    (`tags`), without gradients, so `fit` runs on every backend."""

    def __init__(self):
        super().__init__()
        self.words = layers.Embedding(5, 3, name="words")
        self.tags = layers.Embedding(4, 2, name="tags")
        self.words.build()
        self.tags.build()
        self.built = True

    def call(self, x):
        return self.words(x)

    def train_step(self, data):
        self.words.embeddings.assign(self.words.embeddings.numpy() + 1.0)
        self.tags.embeddings.assign(self.tags.embeddings.numpy() - 0.5)
        return {"loss": 0.0}


def _fit_embeddings(log_dir, **kwargs):
    model = EmbeddingModel()
    model.compile(optimizer=None)
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(
            (model.words.embeddings.numpy().copy(), model.tags.embeddings.numpy().copy())
        )
    )
    x = np.arange(4).reshape(4, 1)
    model.fit(
        x,
        x,
        batch_size=2,
        epochs=3,
        verbose=0,
        callbacks=[keras.callbacks.TensorBoard(log_dir, **kwargs), record],
    )
    return seen


@needs_tensorboard
def test_embeddings_freq_writes_the_projector_config_and_checkpoints(tmp_path):
    from google.protobuf import text_format
    from tensorboard.plugins.projector import projector_config_pb2

    seen = _fit_embeddings(tmp_path, embeddings_freq=2, embeddings_metadata={"words": "w.tsv"})
    config = text_format.Parse(
        (tmp_path / "projector_config.pbtxt").read_text(), projector_config_pb2.ProjectorConfig()
    )
    assert [
        (e.tensor_name, e.tensor_path, e.metadata_path, list(e.tensor_shape))
        for e in config.embeddings
    ] == [
        ("words/embeddings", os.path.join("embeddings", "words.tsv"), "w.tsv", [5, 3]),
        ("tags/embeddings", os.path.join("embeddings", "tags.tsv"), "", [4, 2]),
    ]
    # The projector's tensors: the last logged epoch's (2) values, exactly.
    for embedding, values in zip(config.embeddings, seen[2]):
        np.testing.assert_array_equal(
            np.loadtxt(tmp_path / embedding.tensor_path, delimiter="\t", dtype="float32"), values
        )

    # Checkpoints at epochs 0 and 2 (every 2 epochs), each loading back that epoch's values.
    names = sorted(os.listdir(tmp_path / "train"))
    assert [n for n in names if n.startswith("keras_embedding")] == [
        "keras_embedding.ckpt-0.weights.h5",
        "keras_embedding.ckpt-2.weights.h5",
    ]
    for epoch in (0, 2):
        restored = EmbeddingModel()
        restored.load_weights(tmp_path / "train" / f"keras_embedding.ckpt-{epoch}.weights.h5")
        np.testing.assert_array_equal(restored.words.embeddings.numpy(), seen[epoch][0])
        np.testing.assert_array_equal(restored.tags.embeddings.numpy(), seen[epoch][1])
    assert not np.array_equal(seen[0][0], seen[2][0])  # the two checkpoints differ


class LoraEmbeddingModel(keras.Model):
    """An `Embedding` with LoRA enabled, whose factor `b` each batch moves (no gradients)."""

    def __init__(self):
        super().__init__()
        self.words = layers.Embedding(5, 3, name="words")
        self.words.build()
        self.words.enable_lora(2)
        self.built = True

    def call(self, x):
        return self.words(x)

    def train_step(self, data):
        b = self.words.lora_embeddings_b
        b.assign(b.numpy() + 0.25)
        return {"loss": 0.0}


@needs_tensorboard
def test_embeddings_freq_logs_the_merged_lora_embeddings(tmp_path):
    from google.protobuf import text_format
    from tensorboard.plugins.projector import projector_config_pb2

    model = LoraEmbeddingModel()
    model.compile(optimizer=None)
    x = np.arange(4).reshape(4, 1)
    board = keras.callbacks.TensorBoard(tmp_path, embeddings_freq=1)
    model.fit(x, x, batch_size=2, epochs=1, verbose=0, callbacks=[board])
    config = text_format.Parse(
        (tmp_path / "projector_config.pbtxt").read_text(), projector_config_pb2.ProjectorConfig()
    )
    [embedding] = config.embeddings
    assert embedding.tensor_name == "words/embeddings" and list(embedding.tensor_shape) == [5, 3]
    layer = model.words
    base = np.asarray(layer._embeddings.numpy(), "float64")
    a = np.asarray(layer.lora_embeddings_a.numpy(), "float64")
    b = np.asarray(layer.lora_embeddings_b.numpy(), "float64")
    assert np.abs(b).min() > 0  # the LoRA update is non-zero: merged differs from base
    merged = base + (layer.lora_alpha / layer.lora_rank) * a @ b
    logged = np.loadtxt(tmp_path / embedding.tensor_path, delimiter="\t")
    np.testing.assert_allclose(logged, merged, rtol=1e-5, atol=1e-6)


@needs_tensorboard
def test_tensorboards_projector_serves_the_embeddings(tmp_path):
    """TensorBoard's own projector plugin finds the run and serves the logged values, with
    a single metadata file for every layer."""
    from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.projector import projector_plugin
    from werkzeug import test as werkzeug_test

    seen = _fit_embeddings(tmp_path, embeddings_freq=1, embeddings_metadata="labels.tsv")
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(tmp_path))
    multiplexer.Reload()
    plugin = projector_plugin.ProjectorPlugin(
        base_plugin.TBContext(
            logdir=str(tmp_path),
            data_provider=data_provider.MultiplexerDataProvider(multiplexer, str(tmp_path)),
        )
    )
    client = werkzeug_test.Client(plugin.get_plugin_apps()["/tensor"])
    config = plugin.get_plugin_apps()["/info"]
    info = json.loads(b"".join(werkzeug_test.Client(config).get("/?run=.").response))
    assert [(e["tensorName"], e["metadataPath"]) for e in info["embeddings"]] == [
        ("words/embeddings", "labels.tsv"),
        ("tags/embeddings", "labels.tsv"),
    ]
    for name, values in zip(("words/embeddings", "tags/embeddings"), seen[-1]):
        body = b"".join(client.get(f"/?run=.&name={name}").response)
        np.testing.assert_array_equal(np.frombuffer(body, np.float32).reshape(values.shape), values)


@needs_tensorboard
def test_embeddings_metadata_for_unknown_layers_raises(tmp_path):
    with pytest.raises(
        ValueError,
        match=r"not `Embedding` layers.*\['nope'\].*"
        r"\['words', 'tags'\]",
    ):
        _fit_embeddings(tmp_path, embeddings_freq=1, embeddings_metadata={"nope": "x.tsv"})
