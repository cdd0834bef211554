"""`keras.callbacks.TerminateOnNaN`: stops training when the loss becomes NaN or infinite."""

import math

from unikeras.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stops training as soon as a batch's `loss` is NaN or infinite.

    Args:
        raise_error: If `False` (default), sets `model.stop_training = True`, so training
            ends gracefully (every callback's `on_train_end` still runs). If `True`, raises
            `RuntimeError` at once, skipping the other callbacks' end-of-training cleanup.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or math.isfinite(float(loss)):
            return
        if self.raise_error:
            raise RuntimeError(
                f"NaN or Inf loss encountered at batch {batch}. Loss value: {float(loss)}. "
                "Terminating training immediately."
            )
        print(f"Batch {batch}: Invalid loss, terminating training")
        self.model.stop_training = True
