"""`keras.callbacks.History`: records epoch logs; `fit` returns it."""

from unikeras.callbacks.callback import Callback


class History(Callback):
    """Collects `on_epoch_end` logs: `history.history["loss"][i]` is epoch `i`'s loss.

    Every `fit` adds one and returns it; it is also `model.history`.
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        self.model.history = self
