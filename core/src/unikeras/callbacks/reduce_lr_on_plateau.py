"""`keras.callbacks.ReduceLROnPlateau`: lowers the learning rate when a metric stalls."""

import warnings

from unikeras.callbacks import monitor_utils
from unikeras.callbacks.callback import Callback
from unikeras.backend.global_state import print_msg


class ReduceLROnPlateau(Callback):
    """Multiplies the learning rate by `factor` after `patience` epochs without improvement.

    Args:
        monitor: Logged quantity to watch.
        factor: Multiplier of the learning rate (`new_lr = lr * factor`, below 1).
        patience: Epochs without improvement before reducing.
        verbose: 1 prints a message on each reduction.
        mode: `"min"`, `"max"` or `"auto"`.
        min_delta: Smallest change that counts as an improvement.
        cooldown: Epochs to wait after a reduction before counting again.
        min_lr: Lower bound of the learning rate.
    """

    def __init__(
        self,
        monitor="val_loss",
        factor=0.1,
        patience=10,
        verbose=0,
        mode="auto",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        **kwargs,
    ):
        super().__init__()
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}"
            )
        self.monitor = monitor
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.mode = mode
        self.min_delta = min_delta
        self.cooldown = cooldown
        self.min_lr = min_lr
        self.wait = 0
        self.cooldown_counter = 0
        self.best = None

    def on_train_begin(self, logs=None):
        self._direction = monitor_utils.monitor_direction(
            "ReduceLROnPlateau", self.monitor, self.mode, self.model
        )
        self.wait = 0
        self.cooldown_counter = 0
        self.best = None

    def in_cooldown(self):
        """Whether the callback is waiting out its cooldown after a reduction."""
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        lr = monitor_utils.get_learning_rate(self.model, "ReduceLROnPlateau")
        logs["learning_rate"] = lr
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` "
                f"which is not available. Available metrics are: {','.join(logs)}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if monitor_utils.is_better(self._direction, current, self.best, self.min_delta):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and lr > self.min_lr:
                new_lr = max(lr * self.factor, self.min_lr)
                monitor_utils.set_learning_rate(self.model, new_lr)
                if self.verbose > 0:
                    print_msg(
                        f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                        f"{new_lr}."
                    )
                self.cooldown_counter = self.cooldown
                self.wait = 0
