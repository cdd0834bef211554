"""`keras.callbacks.TensorBoard`: writes logs for TensorBoard on any backend.

Events are written with the `tensorboard` package's own event-file writer and protos (no
`tf.summary`), so the callback works with JAX, PyTorch and TensorFlow alike. Profiling goes
through the backend's optional `start_trace`/`stop_trace`/`trace_batch` hooks.
"""

import json
import os
import struct
import time
import warnings
import zlib

import numpy as np

from unikeras import ops
from unikeras.backend import registry
from unikeras.backend.registry import table
from unikeras.callbacks.callback import Callback
from unikeras.callbacks.callback_list import pythonify_logs
from unikeras.saving.serialization import serialize_keras_object
from unikeras.layers import Embedding


def _tensorboard():
    """The tensorboard modules the callback writes with."""
    try:
        from tensorboard.compat.proto import (
            event_pb2,
            summary_pb2,
            tensor_pb2,
            tensor_shape_pb2,
            types_pb2,
        )
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
    except ImportError as e:
        raise ImportError(
            "The TensorBoard callback needs the `tensorboard` package: "
            f"`pip install tensorboard` ({e})."
        ) from e
    from google.protobuf import text_format
    from tensorboard.plugins.projector import projector_config_pb2

    return {
        "Event": event_pb2.Event,
        "Summary": summary_pb2.Summary,
        "HistogramProto": summary_pb2.HistogramProto,
        "SummaryMetadata": summary_pb2.SummaryMetadata,
        "TensorProto": tensor_pb2.TensorProto,
        "TensorShapeProto": tensor_shape_pb2.TensorShapeProto,
        "DT_STRING": types_pb2.DT_STRING,
        "EventFileWriter": EventFileWriter,
        "ProjectorConfig": projector_config_pb2.ProjectorConfig,
        "text_format": text_format,
    }


def _png(image):
    """Encodes a `(height, width)` uint8 array as a grayscale PNG."""
    height, width = image.shape

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + image[i].tobytes() for i in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


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
    message = (
        "profile_batch must be a non-negative integer or 2-tuple of positive integers. "
        "A pair of positive integers signifies a range of batches to profile. "
        f"Found: {profile_batch}"
    )
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


def _profiler_hooks(profile_batch):
    """The active backend's `(start_trace, stop_trace, trace_batch)` hooks (`trace_batch` may
    be None); raises when it cannot profile."""
    start, stop = registry.optional_hook("start_trace"), registry.optional_hook("stop_trace")
    if start is None or stop is None:
        raise ValueError(
            f"TensorBoard: the {registry.backend()} backend cannot profile (it implements no "
            "`start_trace`/`stop_trace` hooks; the jax, tensorflow and torch backends do). "
            f"Received: profile_batch={profile_batch} (must be 0 on this backend)"
        )
    return start, stop, registry.optional_hook("trace_batch")


class TensorBoard(Callback):
    """Writes training logs for TensorBoard: scalars, weight histograms, the model graph,
    profiles of chosen batches and embeddings for the projector.

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
        profile_batch: Which training batches to profile with the engine's profiler
            (batches counted from 1 since the start of `fit`): an int `N` profiles batch
            `N`, a pair `(start, stop)` (or the string `"start,stop"`) batches `start` to
            `stop`; 0 profiles none. The trace goes to `log_dir/train/plugins/profile/<run>/`
            (an XPlane trace for TensorBoard's profile plugin on JAX and TensorFlow, a
            `*.pt.trace.json` for torch-tb-profiler on PyTorch). Backends without the
            profiling hooks (numpy, openvino) raise a `ValueError` for a non-zero value.
        embeddings_freq: Every how many epochs to log the `Embedding` layers of the model
            (its `model.layers`) for TensorBoard's projector (0: never). Each logged epoch
            saves the model's weights to
            `log_dir/train/keras_embedding.ckpt-<epoch>.weights.h5` and each layer's
            embeddings to `log_dir/embeddings/<layer name>.tsv`, which
            `log_dir/projector_config.pbtxt` points the projector to (so it needs no
            TensorFlow checkpoint).
        embeddings_metadata: The metadata file (path relative to `log_dir`) of the
            embeddings: a dict from `Embedding` layer names to file names, or one file name
            for every `Embedding` layer.
    """

    # Batch logs stay backend tensors unless `update_freq` asks for this batch.
    _reads_tensor_logs = True

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq="epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        self._tb = _tensorboard()
        self._profile_start, self._profile_stop = _profile_range(profile_batch)
        self._profiler = None
        if (self._profile_start, self._profile_stop) != (0, 0):
            self._profiler = _profiler_hooks(profile_batch)
        if not (isinstance(embeddings_freq, int) and embeddings_freq >= 0):
            raise ValueError(
                "TensorBoard: `embeddings_freq` must be a non-negative integer. "
                f"Received: embeddings_freq={embeddings_freq!r}"
            )
        if (
            update_freq != "epoch"
            and update_freq != "batch"
            and not (isinstance(update_freq, int) and update_freq > 0)
        ):
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
        self._tracing = False
        self._batch_trace = None

    # --- writing ---------------------------------------------------------------------------
    def _writer(self, name):
        if name not in self._writers:
            self._writers[name] = self._tb["EventFileWriter"](os.path.join(self.log_dir, name))
        return self._writers[name]

    def _write(self, writer, step, values):
        event = self._tb["Event"](
            wall_time=time.time(), step=int(step), summary=self._tb["Summary"](value=values)
        )
        self._writer(writer).add_event(event)

    def _scalars(self, writer, step, logs, prefix):
        values = [
            self._tb["Summary"].Value(tag=f"{prefix}{name}", simple_value=value)
            for name, value in pythonify_logs(logs).items()
            if np.ndim(value) == 0
        ]
        if values:
            self._write(writer, step, values)

    def _histogram(self, tag, array):
        counts, edges = np.histogram(array, bins=30)
        array = array.astype(np.float64)
        histo = self._tb["HistogramProto"](
            min=float(array.min()),
            max=float(array.max()),
            num=float(array.size),
            sum=float(array.sum()),
            sum_squares=float(np.square(array).sum()),
            bucket_limit=edges[1:].tolist(),
            bucket=counts.astype(np.float64).tolist(),
        )
        return self._tb["Summary"].Value(tag=tag, histo=histo)

    def _images(self, tag, array):
        images = _weight_images(array) or []
        return [
            self._tb["Summary"].Value(
                tag=f"{tag}/{i}" if len(images) > 1 else tag,
                image=self._tb["Summary"].Image(
                    height=image.shape[0],
                    width=image.shape[1],
                    colorspace=1,
                    encoded_image_string=_png(image),
                ),
            )
            for i, image in enumerate(images)
        ]

    def _write_model_config(self):
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return

        try:
            config = json.dumps(serialize_keras_object(self.model))
        except (TypeError, ValueError, NotImplementedError):
            return  # as Keras: a model that does not serialize has no graph
        metadata = self._tb["SummaryMetadata"]()
        metadata.plugin_data.plugin_name = "graph_keras_model"
        metadata.plugin_data.content = b"1"
        tensor = self._tb["TensorProto"](
            dtype=self._tb["DT_STRING"],
            string_val=[config.encode()],
            tensor_shape=self._tb["TensorShapeProto"](),
        )
        self._write(
            "train", 0, [self._tb["Summary"].Value(tag="keras", metadata=metadata, tensor=tensor)]
        )

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
        if self.embeddings_freq:
            self._embedding_layers()  # checks `embeddings_metadata` before training

    def on_train_end(self, logs=None):
        if self._tracing:
            self._stop_trace()
        self._close()

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start = time.time()
            self._epoch_iterations = self._iterations() or 0

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._batch_start = time.time()
        if self._profiler is None:
            return
        if self._global_train_batch == self._profile_start:
            self._start_trace()
        trace_batch = self._profiler[2]
        if self._tracing and trace_batch is not None:
            self._batch_trace = trace_batch(self._global_train_batch)
            self._batch_trace.__enter__()

    def on_train_batch_end(self, batch, logs=None):
        if self._batch_trace is not None:
            self._batch_trace.__exit__(None, None, None)
            self._batch_trace = None
        if self._tracing and self._global_train_batch >= self._profile_stop:
            self._stop_trace()
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        logs = pythonify_logs(logs)
        if self.write_steps_per_second:
            logs["steps_per_second"] = 1.0 / max(time.time() - self._batch_start, 1e-9)
        self._scalars("train", self._global_train_batch, logs, "batch_")

    def on_test_end(self, logs=None):
        iterations = self._iterations()
        if iterations is not None and logs:
            self._scalars(
                "validation",
                iterations,
                {f"evaluation_{k}_vs_iterations": v for k, v in logs.items()},
                "",
            )
        self._flush()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        train.update(self._learning_rate())
        if self.write_steps_per_second:
            done = (self._iterations() or 0) - self._epoch_iterations
            train["steps_per_second"] = done / max(time.time() - self._epoch_start, 1e-9)
        self._scalars("train", epoch, train, "epoch_")
        self._scalars(
            "validation",
            epoch,
            {k[4:]: v for k, v in logs.items() if k.startswith("val_")},
            "epoch_",
        )
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)
        self._flush()

    # --- profiling -------------------------------------------------------------------------
    # As in Keras, a profiler that fails (e.g. one already started elsewhere) only warns:
    # it must not end a long training run.
    def _start_trace(self):
        try:
            self._profiler[0](os.path.join(self.log_dir, "train"))
        except Exception as e:  # noqa: BLE001 - any engine error, see above
            warnings.warn(
                f"TensorBoard: the profiler did not start, no trace is written: "
                f"{type(e).__name__}: {e}",
                stacklevel=2,
            )
            return
        self._tracing = True

    def _stop_trace(self):
        self._tracing = False
        try:
            self._profiler[1]()
        except Exception as e:  # noqa: BLE001 - any engine error, see above
            warnings.warn(
                f"TensorBoard: the profiler did not stop cleanly: {type(e).__name__}: {e}",
                stacklevel=2,
            )

    # --- embeddings ------------------------------------------------------------------------
    def _embedding_layers(self):
        """`{layer: metadata file or None}` for the model's `Embedding` layers."""
        found = [layer for layer in self.model.layers if isinstance(layer, Embedding)]
        metadata = self.embeddings_metadata
        if metadata is None or isinstance(metadata, str):
            return {layer: metadata for layer in found}
        unknown = sorted(set(metadata) - {layer.name for layer in found})
        if unknown:
            raise ValueError(
                "TensorBoard: `embeddings_metadata` names layers that are not `Embedding` "
                f"layers of the model: {unknown} (its Embedding layers: "
                f"{[layer.name for layer in found]})"
            )
        return {layer: metadata.get(layer.name) for layer in found}

    def _log_embeddings(self, epoch):
        train = os.path.join(self.log_dir, "train")
        os.makedirs(train, exist_ok=True)
        self.model.save_weights(os.path.join(train, f"keras_embedding.ckpt-{epoch}.weights.h5"))
        config = self._tb["ProjectorConfig"]()
        for layer, metadata_path in self._embedding_layers().items():
            tensor_path = os.path.join("embeddings", f"{layer.name}.tsv")
            os.makedirs(os.path.join(self.log_dir, "embeddings"), exist_ok=True)
            # With LoRA (or quantization) `embeddings` is the merged tensor, not a variable:
            # its values are logged under the path of the stored base variable.
            values = np.asarray(ops.convert_to_numpy(layer.embeddings), np.float32)
            np.savetxt(os.path.join(self.log_dir, tensor_path), values, fmt="%.9g", delimiter="\t")
            embedding = config.embeddings.add(
                tensor_name=layer._embeddings.path, tensor_path=tensor_path
            )
            embedding.tensor_shape.extend(values.shape)
            if metadata_path:
                embedding.metadata_path = metadata_path
        with open(os.path.join(self.log_dir, "projector_config.pbtxt"), "w") as f:
            f.write(self._tb["text_format"].MessageToString(config))

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
