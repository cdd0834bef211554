"""`keras.callbacks.TensorBoard`: writes logs for TensorBoard on any backend.

Events are written with the `tensorboard` package's own event-file writer and protos (no
`tf.summary`), so the callback works with JAX, PyTorch and TensorFlow alike.
"""

import json
import os
import struct
import time
import zlib

import numpy as np

from unikeras.backend.registry import table
from unikeras.callbacks.callback import Callback
from unikeras.callbacks.callback_list import pythonify_logs


def _tensorboard():
    """The tensorboard modules the callback writes with."""
    try:
        from tensorboard.compat.proto import (event_pb2, summary_pb2, tensor_pb2,
                                              tensor_shape_pb2, types_pb2)
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
    except ImportError as e:
        raise ImportError(
            "The TensorBoard callback needs the `tensorboard` package: "
            f"`pip install tensorboard` ({e})."
        ) from e
    return {"Event": event_pb2.Event, "Summary": summary_pb2.Summary,
            "HistogramProto": summary_pb2.HistogramProto,
            "SummaryMetadata": summary_pb2.SummaryMetadata, "TensorProto": tensor_pb2.TensorProto,
            "TensorShapeProto": tensor_shape_pb2.TensorShapeProto,
            "DT_STRING": types_pb2.DT_STRING, "EventFileWriter": EventFileWriter}


def _png(image):
    """Encodes a `(height, width)` uint8 array as a grayscale PNG."""
    height, width = image.shape

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + image[i].tobytes() for i in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def _weight_images(weight):
    """A weight as 2-D grayscale images, as Keras lays them out (None if it cannot)."""
    w = np.squeeze(weight)
    if w.ndim == 1:
        images = w[None, None, :]
    elif w.ndim == 2:
        images = (w.T if w.shape[0] > w.shape[1] else w)[None]
    elif w.ndim == 3:  # a convolution kernel (channels last): one image per channel
        images = np.transpose(w, (2, 0, 1))
    else:
        return None
    low, high = float(images.min()), float(images.max())
    scaled = (images - low) / (high - low) if high > low else np.zeros_like(images)
    return [(x * 255).round().astype(np.uint8) for x in scaled]


def _profile_range(profile_batch):
    """Validates `profile_batch` (int, `"start,stop"` or a pair) as Keras does."""
    message = ("profile_batch must be a non-negative integer or 2-tuple of positive integers. "
               "A pair of positive integers signifies a range of batches to profile. "
               f"Found: {profile_batch}")
    value = profile_batch
    try:
        if isinstance(value, str):
            value = [int(v) for v in value.split(",")]
            value = value[0] if len(value) == 1 else value
    except ValueError:
        raise ValueError(message) from None
    if isinstance(value, int):
        start = stop = value
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        start, stop = value
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


class TensorBoard(Callback):
    """Writes training logs for TensorBoard: scalars, weight histograms, the model graph.

    Logs go to `log_dir/train` and `log_dir/validation` (view them with
    `tensorboard --logdir log_dir`). Each epoch writes `epoch_<metric>` scalars (and
    `epoch_learning_rate`) to `train`, the `val_` results as `epoch_<metric>` to
    `validation`; each validation also writes `evaluation_<metric>_vs_iterations` at the
    optimizer's iteration count. Needs the `tensorboard` package (`pip install tensorboard`),
    not TensorFlow.

    Args:
        log_dir: Directory of the logs.
        histogram_freq: Every how many epochs to write weight histograms (0: never).
        write_graph: Writes the model's config (Functional and Sequential models), which
            TensorBoard's graph dashboard draws as a conceptual graph.
        write_images: With `histogram_freq`, also writes weights as images.
        write_steps_per_second: Also writes `steps_per_second` (per epoch, and per batch
            with `update_freq`).
        update_freq: `"epoch"`, `"batch"` (every batch) or an int `N`: writes `batch_<metric>`
            scalars (running epoch means) every `N` batches, the step counting batches
            from the start of `fit`.
        profile_batch: Must be 0: unikeras does not profile (validated as in Keras).
        embeddings_freq: Must be 0: the embedding projector is not supported.
        embeddings_metadata: Unused (with `embeddings_freq=0`).
    """

    # Batch logs stay backend tensors unless `update_freq` asks for this batch.
    _reads_tensor_logs = True

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self._tb = _tensorboard()
        if _profile_range(profile_batch) != (0, 0):
            raise ValueError(
                "Profiling is not available in unikeras' TensorBoard callback. Received: "
                f"profile_batch={profile_batch} (must be 0)"
            )
        if embeddings_freq:
            raise ValueError(
                "The embedding projector is not available in unikeras' TensorBoard callback. "
                f"Received: embeddings_freq={embeddings_freq} (must be 0)"
            )
        if update_freq != "epoch" and update_freq != "batch" and \
                not (isinstance(update_freq, int) and update_freq > 0):
            raise ValueError(
                "TensorBoard: `update_freq` must be 'epoch', 'batch' or a positive integer. "
                f"Received: update_freq={update_freq!r}"
            )
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.profile_batch = profile_batch
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._global_train_batch = 0
        self._epoch_start = self._batch_start = 0.0
        self._epoch_iterations = 0

    # --- writing ---------------------------------------------------------------------------
    def _writer(self, name):
        if name not in self._writers:
            self._writers[name] = self._tb["EventFileWriter"](
                os.path.join(self.log_dir, name))
        return self._writers[name]

    def _write(self, writer, step, values):
        event = self._tb["Event"](wall_time=time.time(), step=int(step),
                                  summary=self._tb["Summary"](value=values))
        self._writer(writer).add_event(event)

    def _scalars(self, writer, step, logs, prefix):
        values = [self._tb["Summary"].Value(tag=f"{prefix}{name}", simple_value=value)
                  for name, value in pythonify_logs(logs).items() if np.ndim(value) == 0]
        if values:
            self._write(writer, step, values)

    def _histogram(self, tag, array):
        counts, edges = np.histogram(array, bins=30)
        array = array.astype(np.float64)
        histo = self._tb["HistogramProto"](
            min=float(array.min()), max=float(array.max()), num=float(array.size),
            sum=float(array.sum()), sum_squares=float(np.square(array).sum()),
            bucket_limit=edges[1:].tolist(), bucket=counts.astype(np.float64).tolist())
        return self._tb["Summary"].Value(tag=tag, histo=histo)

    def _images(self, tag, array):
        images = _weight_images(array) or []
        return [self._tb["Summary"].Value(tag=f"{tag}/{i}" if len(images) > 1 else tag,
                                          image=self._tb["Summary"].Image(
                                              height=image.shape[0], width=image.shape[1],
                                              colorspace=1, encoded_image_string=_png(image)))
                for i, image in enumerate(images)]

    def _write_model_config(self):
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        from unikeras.saving.serialization import serialize_keras_object

        try:
            config = json.dumps(serialize_keras_object(self.model))
        except (TypeError, ValueError, NotImplementedError):
            return  # as Keras: a model that does not serialize has no graph
        metadata = self._tb["SummaryMetadata"]()
        metadata.plugin_data.plugin_name = "graph_keras_model"
        metadata.plugin_data.content = b"1"
        tensor = self._tb["TensorProto"](dtype=self._tb["DT_STRING"],
                                         string_val=[config.encode()],
                                         tensor_shape=self._tb["TensorShapeProto"]())
        self._write("train", 0, [self._tb["Summary"].Value(tag="keras", metadata=metadata,
                                                           tensor=tensor)])

    def _flush(self):
        for writer in self._writers.values():
            writer.flush()

    def _close(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _iterations(self):
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        return None if iterations is None else int(table.convert_to_numpy(iterations))

    # --- hooks -----------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        if self.write_graph:
            self._write_model_config()

    def on_train_end(self, logs=None):
        self._close()

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start = time.time()
            self._epoch_iterations = self._iterations() or 0

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._batch_start = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        logs = pythonify_logs(logs)
        if self.write_steps_per_second:
            logs["steps_per_second"] = 1.0 / max(time.time() - self._batch_start, 1e-9)
        self._scalars("train", self._global_train_batch, logs, "batch_")

    def on_test_end(self, logs=None):
        iterations = self._iterations()
        if iterations is not None and logs:
            self._scalars("validation", iterations,
                          {f"evaluation_{k}_vs_iterations": v for k, v in logs.items()}, "")
        self._flush()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        train.update(self._learning_rate())
        if self.write_steps_per_second:
            done = (self._iterations() or 0) - self._epoch_iterations
            train["steps_per_second"] = done / max(time.time() - self._epoch_start, 1e-9)
        self._scalars("train", epoch, train, "epoch_")
        self._scalars("validation", epoch,
                      {k[4:]: v for k, v in logs.items() if k.startswith("val_")}, "epoch_")
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        self._flush()

    def _learning_rate(self):
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        rate = getattr(optimizer, "learning_rate", None)
        if rate is None:
            return {}
        return {"learning_rate": float(np.asarray(table.convert_to_numpy(rate)))}

    def _log_weights(self, epoch):
        values = []
        for layer in self.model.layers:
            for weight in layer.weights:
                array = np.asarray(weight.numpy())
                if not np.issubdtype(array.dtype, np.number) or array.size == 0:
                    continue
                tag = weight.path.replace(":", "_")
                values.append(self._histogram(f"{tag}/histogram", array))
                if self.write_images:
                    values.extend(self._images(f"{tag}/image", array.astype(np.float32)))
        if values:
            self._write("train", epoch, values)
