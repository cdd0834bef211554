"""Batches of in-memory arrays (NumPy, backend tensors, lists/dicts of them)."""

import math

import numpy as np

from unikeras.backend.registry import table
from unikeras.trainers.data_adapters import data_adapter_utils as utils
from unikeras.trainers.data_adapters.data_adapter import DataAdapter
from unikeras.utils import tree


def _as_array(leaf):
    if leaf is None or isinstance(leaf, np.ndarray):
        return leaf
    if table.is_tensor(leaf):
        return table.convert_to_numpy(leaf)
    return utils.to_host_or_backend(leaf)


class ArrayDataAdapter(DataAdapter):
    """Slices `(x, y, sample_weight)` arrays into batches; the last batch may be smaller.

    Args:
        x, y, sample_weight: Arrays or nested structures (lists, dicts) of arrays with the
            same number of samples.
        batch_size: Samples per batch (default 32).
        steps: Optional cap on the batches of one pass.
        shuffle: `True` shuffles the samples on every pass, `"batch"` shuffles the order of
            batch-sized chunks (for data that is cheap to read in contiguous blocks).
        class_weight: Optional `{class: weight}` dict.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None,
                 shuffle=False, class_weight=None):
        super().__init__(class_weight)
        if shuffle not in (True, False, "batch"):
            raise ValueError(f'`shuffle` must be True, False or "batch". Received: {shuffle!r}')
        self._data = tree.map_structure(_as_array, (x, y, sample_weight))
        self._size = utils.num_samples(self._data)
        self._batch_size = int(batch_size or 32)
        self._steps = steps
        self._shuffle = shuffle

    @property
    def num_batches(self):
        batches = math.ceil(self._size / self._batch_size)
        return batches if self._steps is None else min(batches, self._steps)

    @property
    def batch_size(self):
        return self._batch_size

    def _order(self):
        if self._shuffle == "batch":
            full = self._size // self._batch_size * self._batch_size
            chunks = np.arange(full).reshape(-1, self._batch_size)
            np.random.shuffle(chunks)
            return np.concatenate([chunks.reshape(-1), np.arange(full, self._size)])
        if self._shuffle:
            return np.random.permutation(self._size)
        return None

    def _batches(self):
        order = self._order()
        for i in range(self.num_batches):
            start, stop = i * self._batch_size, min((i + 1) * self._batch_size, self._size)
            index = slice(start, stop) if order is None else order[start:stop]
            x, y, sample_weight = tree.map_structure(
                lambda a, index=index: None if a is None else a[index], self._data)
            yield utils.pack_x_y_sample_weight(x, y, sample_weight)
