"""`keras.callbacks.ProgbarLogger`: the progress bar of `fit`, `evaluate` and `predict`."""

from unikeras.callbacks.callback import Callback
from unikeras.utils.progbar import Progbar
from unikeras.backend.global_state import print_msg


class ProgbarLogger(Callback):
    """Prints `Epoch i/n` and a progress bar with steps, ETA and metrics.

    Added by `fit`/`evaluate`/`predict` when `verbose` is not 0; `verbose=2` prints one line
    per epoch. Validation inside `fit` shows no bar of its own: its `val_` results appear on
    the epoch's line.
    """

    # Batch logs may be backend tensors: the bar converts a value only when it draws it.
    _reads_tensor_logs = True

    def __init__(self):
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self.target = None
        self.seen = 0
        self.progbar = None
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _reset(self):
        self.seen = 0
        self.progbar = None

    def _progbar(self):
        if self.progbar is None:
            self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step")
        return self.progbar

    def _show(self, logs, finalize):
        # Logs already hold running means, so the bar shows them as they are.
        logs = {k: v for k, v in (logs or {}).items() if k != "outputs"}
        progbar = self._progbar()
        progbar.stateful_metrics.update(logs)
        progbar.update(self.seen, list(logs.items()), finalize=finalize)

    def _update(self, batch, logs):
        self.seen = batch + 1
        self._show(logs, finalize=False)

    def _finalize(self, logs):
        if self.target is None:
            self.target = self.seen
            self._progbar().target = self.seen
        self._show(logs, finalize=True)

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_epoch_begin(self, epoch, logs=None):
        self._reset()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset()

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_begin(self, logs=None):
        self._reset()

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_predict_end(self, logs=None):
        self._finalize({})

    def on_train_end(self, logs=None):
        self._called_in_fit = False
