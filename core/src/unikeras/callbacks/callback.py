"""`keras.callbacks.Callback`: hooks called by `fit`, `evaluate` and `predict`."""


class Callback:
    """Base class of callbacks: override the hooks you need.

    `self.model` is the model being trained and `self.params` holds `verbose`, `epochs`
    and `steps` (steps per epoch, `None` when unknown). `logs` are dicts of Python floats:
    metric values so far in the epoch for batch hooks, epoch results (with `val_`
    entries) for `on_epoch_end`.
    """

    def __init__(self):
        self.validation_data = None
        self.params = {}
        self._model = None

    def set_params(self, params):
        """Sets `params`: the training parameters (`epochs`, `steps`, `verbose`)."""
        self.params = params

    def set_model(self, model):
        """Sets the model the callback observes."""
        self._model = model

    @property
    def model(self):
        """The model the callback observes."""
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """Legacy alias called by `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """Legacy alias called by `on_train_batch_end`."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch (0-based `epoch`)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch with its training and validation results."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called at the start of a training batch (calls `on_batch_begin`)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called at the end of a training batch with its logs (calls `on_batch_end`)."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before a batch of `evaluate` (or of validation in `fit`)."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after a batch of `evaluate`."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before a batch of `predict`."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after a batch of `predict`; `logs["outputs"]` holds its outputs."""

    def on_train_begin(self, logs=None):
        """Called at the start of `fit`."""

    def on_train_end(self, logs=None):
        """Called at the end of `fit` with the last epoch's logs."""

    def on_test_begin(self, logs=None):
        """Called at the start of `evaluate` (and of each validation run)."""

    def on_test_end(self, logs=None):
        """Called at the end of `evaluate` with its results."""

    def on_predict_begin(self, logs=None):
        """Called at the start of `predict`."""

    def on_predict_end(self, logs=None):
        """Called at the end of `predict`."""
