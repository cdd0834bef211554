"""`keras.callbacks.SwapEMAWeights`: evaluate (and optionally checkpoint) with the
optimizer's exponential moving average of the weights."""

from unikeras import ops
from unikeras.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swaps the model's weights with the optimizer's EMA weights around evaluation and
    prediction (and, with `swap_on_epoch`, around the end of each epoch).

    Use it with an optimizer created with `use_ema=True` (or a `MultiOptimizer` with at
    least one such sub-optimizer). The swap is in place: the EMA weights are in the model
    between `on_test_begin` and `on_test_end` (likewise for predict), and the trained
    weights are put back afterwards.

    Args:
        swap_on_epoch: Whether to also swap at `on_epoch_end` (so that callbacks such as
            `ModelCheckpoint` see the EMA weights) and back at the next
            `on_epoch_begin`. After the last epoch the EMA weights stay in the model.
            Defaults to `False`.
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizers(self):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if hasattr(optimizer, "optimizers"):
            found = [opt for opt in optimizer.optimizers if getattr(opt, "use_ema", False)]
            if not found:
                raise ValueError(
                    "SwapEMAWeights must be used when at least one inner optimizer has "
                    "`use_ema=True` set. Received a MultiOptimizer with all inner optimizers "
                    "having `use_ema=False`."
                )
        else:
            found = [optimizer]
        for opt in found:
            if not hasattr(opt, "_model_variables_moving_average"):
                raise ValueError(
                    "SwapEMAWeights must be used when `use_ema=True` is set on the "
                    f"optimizer. Received: use_ema={getattr(opt, 'use_ema', None)}"
                )
        return found

    def _swap_variables(self):
        for optimizer in self._ema_optimizers():
            for variable, average in zip(
                optimizer._trainable_variables, optimizer._model_variables_moving_average
            ):
                current = ops.convert_to_numpy(variable.value)
                variable.assign(average.value)
                average.assign(current)

    def _finalize_ema_values(self):
        for optimizer in self._ema_optimizers():
            for variable, average in zip(
                optimizer._trainable_variables, optimizer._model_variables_moving_average
            ):
                average.assign(variable.value)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            if epoch == self.params.get("epochs", 0) - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        self.on_test_begin(logs)

    def on_predict_end(self, logs=None):
        self.on_test_end(logs)
