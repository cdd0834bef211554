"""`keras.utils.PyDataset`: a dataset of batches defined by `__getitem__` and `__len__`."""


class PyDataset:
    """Base class for datasets that return whole batches by index.

    Subclasses implement `__len__` (batches per epoch) and `__getitem__(index)` returning a
    batch `x`, `(x, y)` or `(x, y, sample_weight)`, and may override `on_epoch_begin` /
    `on_epoch_end`. Override `num_batches` to return `None` for an infinite dataset (then
    `fit` needs `steps_per_epoch`).

    Args:
        workers: Number of threads reading batches ahead (1: read in the training thread).
        use_multiprocessing: Accepted for compatibility; unikeras always uses threads.
        max_queue_size: Batches read ahead at most when `workers > 1`.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        """Number of workers that fetch batches in parallel (1: in the main thread)."""
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        """Whether the workers are processes rather than threads."""
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        """How many batches the workers prepare ahead."""
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement `__getitem__`.")

    def __len__(self):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `__len__` (or override `num_batches`)."
        )

    @property
    def num_batches(self):
        """Batches per epoch (`len(self)`), or `None` for an infinite dataset."""
        return len(self)

    def on_epoch_begin(self):
        """Called at the start of every epoch."""

    def on_epoch_end(self):
        """Called at the end of every epoch."""
