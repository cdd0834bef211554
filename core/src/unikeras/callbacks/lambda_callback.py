"""`keras.callbacks.LambdaCallback`: a callback made of plain functions."""

from unikeras.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Builds a callback from functions given by hook name.

    `on_epoch_begin`/`on_epoch_end` take `(epoch, logs)`, `on_train_batch_*` (and the
    other batch hooks) `(batch, logs)`, `on_train_begin`/`on_train_end` `(logs)`; any other
    hook name of `Callback` can be passed as a keyword too.

    Args:
        on_epoch_begin: Called as `f(epoch, logs)` at the start of each epoch (default `None`).
        on_epoch_end: Called as `f(epoch, logs)` at the end of each epoch (default `None`).
        on_train_begin: Called as `f(logs)` at the start of training (default `None`).
        on_train_end: Called as `f(logs)` at the end of training (default `None`).
        on_train_batch_begin: Called as `f(batch, logs)` before each training batch (default
            `None`).
        on_train_batch_end: Called as `f(batch, logs)` after each training batch (default `None`).
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        hooks = dict(
            kwargs,
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin,
            on_train_batch_end=on_train_batch_end,
        )
        for name, fn in hooks.items():
            if not name.startswith("on_") or not hasattr(Callback, name):
                raise ValueError(f"LambdaCallback: unknown hook {name!r}.")
            if fn is not None:
                setattr(self, name, _adapt(fn))


def _adapt(fn):
    """Accepts the `logs=` keyword the callback list passes to every hook."""

    def hook(*args, logs=None):
        return fn(*args, logs)

    return hook
