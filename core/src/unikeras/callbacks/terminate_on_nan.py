"""`keras.callbacks.TerminateOnNaN`: stops training when the loss becomes NaN or infinite."""

import math

from unikeras.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Sets `model.stop_training` as soon as a batch's `loss` is NaN or infinite."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
