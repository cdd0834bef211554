"""`keras.callbacks.ModelCheckpoint`: saves the model or its weights during training."""

import warnings

from unikeras.callbacks import monitor_utils
from unikeras.callbacks.callback import Callback
from unikeras.backend.global_state import print_msg


class ModelCheckpoint(Callback):
    """Saves the model at the end of every epoch (or every `save_freq` batches).

    Files are written atomically with `model.save` (a `.keras` file, or a legacy HDF5 `.h5`
    file) or, with `save_weights_only`, `model.save_weights` (a `.weights.h5` file).

    Args:
        filepath: Path; may hold `{epoch:02d}`, `{batch}` and log names, e.g.
            `"ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5"`.
        monitor: Logged quantity compared when `save_best_only`.
        verbose: 1 prints a line for each save decision.
        save_best_only: Saves only when `monitor` improves on the best value so far.
        save_weights_only: Saves only the weights (else the whole model).
        mode: `"min"`, `"max"` or `"auto"`.
        save_freq: `"epoch"` or a number of batches between saves.
        initial_value_threshold: Initial best value of `monitor` to beat.
    """

    def __init__(
        self,
        filepath,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        save_weights_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ):
        super().__init__()
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(
                f'Unrecognized save_freq: {save_freq!r}. Expected "epoch" or a '
                "positive integer number of batches."
            )
        self.filepath = str(filepath)
        if save_weights_only and not self.filepath.endswith(".weights.h5"):
            raise ValueError(
                "When using `save_weights_only=True` in `ModelCheckpoint`, the "
                "filepath provided must end in `.weights.h5` (Keras weights "
                f"format). Received: filepath={self.filepath}"
            )
        if not save_weights_only and not self.filepath.endswith((".keras", ".h5")):
            # `.h5` saves the legacy Keras 2 HDF5 model format (Model.save), as Keras 3 allows.
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model "
                f"format) or `.h5` (legacy HDF5). Received: filepath={self.filepath}"
            )
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.mode = mode
        self.save_freq = save_freq
        self.best = initial_value_threshold
        self._batches_since_save = 0
        self._current_epoch = 0

    def on_train_begin(self, logs=None):
        self._direction = monitor_utils.monitor_direction(
            "ModelCheckpoint", self.monitor, self.mode, self.model
        )

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _save(self, epoch, batch, logs):
        logs = logs or {}
        filepath = self.filepath.format(epoch=epoch + 1, batch=batch, **logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(
                    f"Can save best model only with {self.monitor} available, skipping.",
                    stacklevel=3,
                )
                return
            if not monitor_utils.is_better(self._direction, current, self.best):
                if self.verbose > 0:
                    print_msg(
                        f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}"
                    )
                return
            if self.verbose > 0:
                previous = "inf" if self.best is None else f"{self.best:.5f}"
                print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {previous} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
        elif self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
        self._write(filepath)

    def _write(self, filepath):
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
