"""Batches from a `keras.utils.PyDataset` (indexable batches, optional worker threads)."""

import concurrent.futures
import itertools
import random

from unikeras.trainers.data_adapters.data_adapter import DataAdapter


class PyDatasetAdapter(DataAdapter):
    """Reads `dataset[i]` for each batch index, in order or shuffled per epoch.

    With `workers > 1` the batches are read ahead by a thread pool, up to
    `max_queue_size` batches in flight, and still yielded in order.
    `use_multiprocessing` is accepted but threads are used.
    """

    def __init__(self, dataset, shuffle=False, class_weight=None):
        super().__init__(class_weight)
        self._dataset = dataset
        self._shuffle = bool(shuffle)

    @property
    def num_batches(self):
        return self._dataset.num_batches

    def _indices(self):
        total = self.num_batches
        if total is None:
            return itertools.count()
        order = list(range(total))
        if self._shuffle:
            random.shuffle(order)
        return order

    def _batches(self):
        workers = getattr(self._dataset, "workers", 1) or 1
        if workers <= 1:
            for index in self._indices():
                yield self._dataset[index]
            return
        depth = max(getattr(self._dataset, "max_queue_size", 10) or 1, workers)
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            pending = []
            for index in self._indices():
                pending.append(pool.submit(self._dataset.__getitem__, index))
                if len(pending) >= depth:
                    yield pending.pop(0).result()
            for future in pending:
                yield future.result()

    def on_epoch_begin(self):
        self._dataset.on_epoch_begin()

    def on_epoch_end(self):
        self._dataset.on_epoch_end()
