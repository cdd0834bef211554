"""`keras.callbacks.BackupAndRestore`: resumes training after the process was interrupted."""

import os
import shutil

from unikeras.callbacks.callback import Callback
from unikeras.saving import saving_lib
from unikeras.saving.archive import atomic_write

_LATEST = "latest.weights.h5"
_PREVIOUS = "previous.weights.h5"


class BackupAndRestore(Callback):
    """Backs up the model, its optimizer state and the epoch reached, and restores them when
    `fit` starts again, so a run killed at any moment (even by SIGKILL) continues with the
    same total number of epochs.

    Backups are `.weights.h5` files (model and optimizer variables, with the epoch reached
    in the file's metadata), written atomically: temporary file, then rename.

    Args:
        backup_dir: Folder of the backup files (do not share it between runs).
        save_freq: `"epoch"`, or a number of batches between backups (a restart then
            repeats the interrupted epoch from the restored weights).
        double_checkpoint: Keeps the previous backup too and falls back to it when the
            latest one cannot be read.
        delete_checkpoint: Deletes the backup when training finishes.
    """

    def __init__(
        self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True
    ):
        super().__init__()
        if not backup_dir:
            raise ValueError("BackupAndRestore: `backup_dir` must be a non-empty path.")
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(
                f'Unrecognized save_freq: {save_freq!r}. Expected "epoch" or a '
                "positive integer number of batches."
            )
        self.backup_dir = str(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_since_save = 0
        self._current_epoch = 0

    def _path(self, name):
        return os.path.join(self.backup_dir, name)

    def on_train_begin(self, logs=None):
        candidates = [_LATEST, _PREVIOUS] if self.double_checkpoint else [_LATEST]
        for name in candidates:
            path = self._path(name)
            if not os.path.exists(path):
                continue
            try:
                metadata = saving_lib.read_weights_metadata(path)
                saving_lib.load_weights_only(self.model, path)
            except (OSError, ValueError, KeyError):
                if name == candidates[-1]:
                    raise
                continue
            self.model._initial_epoch = int(metadata["epoch"])
            return

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._backup(self._current_epoch)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._backup(epoch + 1)

    def _backup(self, next_epoch):
        latest = self._path(_LATEST)
        if self.double_checkpoint and os.path.exists(latest):
            atomic_write(self._path(_PREVIOUS), lambda path: shutil.copyfile(latest, path))
        saving_lib.save_weights_only(self.model, latest, metadata={"epoch": next_epoch})

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            for name in (_LATEST, _PREVIOUS):
                if os.path.exists(self._path(name)):
                    os.remove(self._path(name))
