"""`keras.callbacks.OrbaxCheckpoint`: checkpoints through Orbax (`orbax-checkpoint`)."""

from unikeras.callbacks.callback import Callback


class OrbaxCheckpoint(Callback):
    """Saves checkpoints with Orbax, as Keras 3's `OrbaxCheckpoint` does.

    Requires the `orbax-checkpoint` package; without it, creating the callback raises an
    `ImportError` naming the install (as in Keras 3). unikeras does not implement Orbax
    checkpointing yet: with the package installed, creating it raises
    `NotImplementedError`; use `keras.callbacks.ModelCheckpoint` or `BackupAndRestore`.

    Args:
        directory: Directory of the checkpoints.
        monitor: Quantity monitored for `save_best_only` (default `"val_loss"`).
        verbose: Verbosity.
        save_best_only: Only keep checkpoints that improve `monitor`.
        mode: `"auto"`, `"min"` or `"max"`.
        save_freq: `"epoch"` or a number of batches.
        initial_value_threshold: Initial best value of `monitor`.
        max_to_keep: How many checkpoints to keep.
        save_on_background: Save asynchronously.
        save_weights_only: Save only the weights.
    """

    def __init__(
        self,
        directory,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
        max_to_keep=1,
        save_on_background=True,
        save_weights_only=False,
    ):
        try:
            import orbax.checkpoint  # noqa: F401
        except ImportError:
            raise ImportError(
                "This requires the orbax-checkpoint module. You can install it via "
                "`pip install orbax-checkpoint`"
            ) from None
        raise NotImplementedError(
            "OrbaxCheckpoint is not implemented by unikeras yet; use "
            "`keras.callbacks.ModelCheckpoint` or `keras.callbacks.BackupAndRestore`."
        )
