"""`keras.callbacks.LearningRateScheduler`: sets the learning rate at each epoch start."""

from unikeras.callbacks import monitor_utils
from unikeras.callbacks.callback import Callback
from unikeras.backend.global_state import print_msg


class LearningRateScheduler(Callback):
    """Sets the learning rate to `schedule(epoch, lr)` at the start of every epoch.

    Args:
        schedule: Function `(epoch, lr) -> new lr` (0-based epoch; a one-argument
            `schedule(epoch)` works too).
        verbose: 1 prints the new rate each epoch.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        lr = monitor_utils.get_learning_rate(self.model, "LearningRateScheduler")
        try:
            lr = self.schedule(epoch, lr)
        except TypeError:  # a schedule taking only the epoch
            lr = self.schedule(epoch)
        try:
            lr = monitor_utils.to_float(lr)
        except (TypeError, ValueError) as e:
            raise ValueError(
                f'The output of the "schedule" function should be a float. Got: {lr!r}'
            ) from e
        monitor_utils.set_learning_rate(self.model, lr)
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = monitor_utils.get_learning_rate(
                self.model, "LearningRateScheduler"
            )
