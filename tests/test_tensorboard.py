"""`keras.callbacks.TensorBoard` on the active backend: the event files, read back with
TensorBoard's own `EventAccumulator`, hold the History values, batch scalars, weight
histograms and images, and the model config."""

import json
import struct
import sys
import zlib

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table
from trainer_models import MeanModel, regression_data

try:
    from tensorboard.backend.event_processing import event_accumulator
    MISSING = None
except ImportError as e:
    event_accumulator, MISSING = None, e

needs_tensorboard = pytest.mark.skipif(
    event_accumulator is None,
    reason=f"tensorboard is not importable (pip install tensorboard): {MISSING}")
needs_training = pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design")


def read_events(directory):
    accumulator = event_accumulator.EventAccumulator(
        str(directory), size_guidance={"scalars": 0, "histograms": 0, "images": 0,
                                       "tensors": 0})
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
        on_train_batch_end=lambda batch, logs: batch_logs.append(dict(logs)))
    history = model.fit(x, y, batch_size=2, epochs=3, verbose=0, validation_data=(x, y),
                        shuffle=False, callbacks=[
                            keras.callbacks.TensorBoard(tmp_path, update_freq=3), record])
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
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu"),
                              layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", metrics=["mae"])
    callback = keras.callbacks.TensorBoard(tmp_path, histogram_freq=2, write_images=True)
    history = model.fit(x, y, batch_size=16, epochs=3, validation_split=0.25, verbose=0,
                        callbacks=[callback])
    train = read_events(tmp_path / "train")
    validation = read_events(tmp_path / "validation")
    for name in ("loss", "mae"):
        np.testing.assert_allclose(scalars(train, f"epoch_{name}")[1], history.history[name],
                                   rtol=1e-6)
        np.testing.assert_allclose(scalars(validation, f"epoch_{name}")[1],
                                   history.history[f"val_{name}"], rtol=1e-6)
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
        np.testing.assert_allclose([histo.min, histo.max, histo.sum],
                                   [final.min(), final.max(), final.sum()], rtol=1e-5)
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
    assert [layer["class_name"] for layer in config["config"]["layers"]][-2:] == \
        ["Dense", "Dense"]


def _decode_gray_png(data):
    """The pixels of an 8-bit grayscale PNG (the callback's encoding), independently parsed."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width, height = 8, b"", None, None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
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
    with pytest.raises(ValueError, match="Profiling is not available"):
        keras.callbacks.TensorBoard(profile_batch=2)
    with pytest.raises(ValueError, match="profile_batch must be"):
        keras.callbacks.TensorBoard(profile_batch="a,b")
    with pytest.raises(ValueError, match="profile_batch must be"):
        keras.callbacks.TensorBoard(profile_batch=(5, 2))
    with pytest.raises(ValueError, match="update_freq"):
        keras.callbacks.TensorBoard(update_freq=0)
    assert keras.callbacks.TensorBoard(profile_batch="0,0").update_freq == "epoch"


def test_missing_tensorboard_names_the_install(monkeypatch):
    for name in [n for n in sys.modules if n == "tensorboard" or n.startswith("tensorboard.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    with pytest.raises(ImportError, match="pip install tensorboard"):
        keras.callbacks.TensorBoard("logs")
