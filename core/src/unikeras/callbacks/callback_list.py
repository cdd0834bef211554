"""`CallbackList`: dispatches each hook to a list of callbacks.

The loops hand batch logs over as the step returned them (backend tensors): converting them
to Python floats waits for the device, so it happens only when a callback that reads them
is present (then once per batch, shared by all of them). Callbacks that convert what they
need themselves (`ProgbarLogger`, which converts only the steps it draws) set
`_reads_tensor_logs`.
"""

import numpy as np

from unikeras.backend.registry import table
from unikeras.callbacks.callback import Callback
from unikeras.callbacks.history import History
from unikeras.callbacks.progbar_logger import ProgbarLogger

_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
    "on_train_begin",
    "on_train_end",
    "on_test_begin",
    "on_test_end",
    "on_predict_begin",
    "on_predict_end",
)


def _to_python(value):
    """A log value as a Python float (scalars) or a NumPy array."""
    if isinstance(value, (int, float)):
        return float(value)
    array = np.asarray(
        table.convert_to_numpy(value)
        if not isinstance(value, np.ndarray) and not np.isscalar(value)
        else value
    )
    return float(array.item()) if array.size == 1 else array


def check_logs(logs):
    """A step's logs as they are (`{}` for `None`); raises unless they are a dict."""
    if logs is None:
        return {}
    if not isinstance(logs, dict):
        raise TypeError(f"A train/test step must return a dict of logs; got {type(logs)}.")
    return logs


def pythonify_logs(logs):
    """Returns a copy of `logs` with scalar values as Python floats."""
    return {name: _to_python(value) for name, value in check_logs(logs).items()}


def _is_default(callback, hook):
    """Whether `callback` leaves `hook` as `Callback`'s no-op (LambdaCallback sets hooks
    on the instance, hence the bound-method check)."""
    return getattr(getattr(callback, hook), "__func__", None) is getattr(Callback, hook)


def _reads_logs(callback, hook):
    if getattr(callback, "_reads_tensor_logs", False):
        return False
    if hook == "on_train_batch_end" and _is_default(callback, hook):
        hook = "on_batch_end"  # the legacy alias the default calls
    return not _is_default(callback, hook)


def _dispatcher(hook):
    indexed = "batch" in hook or "epoch" in hook  # hooks taking a batch or epoch index
    step_logs = hook in ("on_train_batch_end", "on_test_batch_end")

    def dispatch(self, *args, logs=None):
        if len(args) > int(indexed):
            args, logs = args[:-1], args[-1]
        logs = {} if logs is None else logs
        floats = None
        for callback in self.callbacks:
            if step_logs and _reads_logs(callback, hook):
                if floats is None:
                    floats = pythonify_logs(logs)
                getattr(callback, hook)(*args, logs=floats)
            else:
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

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
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
        """Adds `callback` to the list."""
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
