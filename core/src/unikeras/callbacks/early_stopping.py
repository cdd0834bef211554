"""`keras.callbacks.EarlyStopping`: stops training when a metric stops improving."""

import warnings

from unikeras.callbacks import monitor_utils
from unikeras.callbacks.callback import Callback
from unikeras.backend.global_state import print_msg


class EarlyStopping(Callback):
    """Stops `fit` after `patience` epochs without improvement of `monitor`.

    Args:
        monitor: Name of the logged quantity to watch.
        min_delta: Smallest change that counts as an improvement.
        patience: Epochs without improvement before stopping.
        verbose: 1 prints a message when stopping and restoring.
        mode: `"min"`, `"max"` or `"auto"` (inferred from the name).
        baseline: A value the monitored quantity must beat; training stops after
            `patience` epochs that do not beat it.
        restore_best_weights: Restores the weights of the best epoch when training ends.
        start_from_epoch: Epochs to wait before watching (warm-up).

    Examples:
        >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
        >>> stop = keras.callbacks.EarlyStopping(monitor="loss", patience=2)
        >>> x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
        >>> history = model.fit(x, y, epochs=10, callbacks=[stop], verbose=0)
        >>> len(history.history["loss"])  # the loss never improves (learning rate 0)
        3
        >>> stop.stopped_epoch
        2
    """

    def __init__(
        self,
        monitor="val_loss",
        min_delta=0,
        patience=0,
        verbose=0,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
        start_from_epoch=0,
    ):
        super().__init__()
        self.monitor = monitor
        self.min_delta = abs(min_delta)
        self.patience = patience
        self.verbose = verbose
        self.mode = mode
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        self._direction = monitor_utils.monitor_direction(
            "EarlyStopping", self.monitor, self.mode, self.model
        )
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        current = self.get_monitor_value(logs)
        if current is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs or {})}",
                stacklevel=2,
            )
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
        self.wait += 1
        if monitor_utils.is_better(self._direction, current, self.best, self.min_delta):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or monitor_utils.is_better(
                self._direction, current, self.baseline, self.min_delta
            ):
                self.wait = 0
                return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print_msg(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        """Returns `logs[monitor]` (or `None`)."""
        return (logs or {}).get(self.monitor)
