"""`CallbackList`: dispatches each hook to a list of callbacks."""

from unikeras.callbacks.callback import Callback
from unikeras.callbacks.history import History
from unikeras.callbacks.progbar_logger import ProgbarLogger

_HOOKS = (
    "on_batch_begin", "on_batch_end", "on_epoch_begin", "on_epoch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_batch_begin", "on_predict_batch_end", "on_train_begin", "on_train_end",
    "on_test_begin", "on_test_end", "on_predict_begin", "on_predict_end",
)


def _dispatcher(hook):
    indexed = "batch" in hook or "epoch" in hook  # hooks taking a batch or epoch index

    def dispatch(self, *args, logs=None):
        if len(args) > int(indexed):
            args, logs = args[:-1], args[-1]
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs=logs)

    dispatch.__name__ = hook
    dispatch.__doc__ = f"Calls `{hook}` of every callback."
    return dispatch


class CallbackList(Callback):
    """A container of callbacks that forwards every hook to each of them, in order.

    Args:
        callbacks: List of `Callback`s.
        add_history: Appends a `History` callback unless one is present.
        add_progbar: Appends a `ProgbarLogger` unless one is present.
        model: The model the callbacks act on.
        **params: `verbose`, `epochs`, `steps` given to every callback's `set_params`.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = list(callbacks or [])
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback):
        self.callbacks.append(callback)

    def set_params(self, params):
        self.params = params
        for callback in self.callbacks:
            callback.set_params(params)

    def set_model(self, model):
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)


for _hook in _HOOKS:
    setattr(CallbackList, _hook, _dispatcher(_hook))
