"""Batches of in-memory arrays (NumPy, backend tensors, lists/dicts of them)."""

import math

import numpy as np

from unikeras.backend.config import floatx
from unikeras.backend.registry import table
from unikeras.trainers.data_adapters import data_adapter_utils as utils
from unikeras.trainers.data_adapters.data_adapter import DataAdapter
from unikeras.backend import tree


def _as_array(leaf):
    if leaf is None or isinstance(leaf, np.ndarray):
        return _to_floatx(leaf)
    if table.is_tensor(leaf):
        return _to_floatx(table.convert_to_numpy(leaf))
    return _to_floatx(utils.to_host_or_backend(leaf))


def _to_floatx(array):
    """Float arrays of another precision (float64 NumPy data) become `floatx`, as Keras 3's
    array adapter casts them: a custom `train_step` gets batches of the model's dtype
    (keras.io's VQ-VAE subtracts a float32 reconstruction from its batch)."""
    if isinstance(array, np.ndarray) and array.dtype.kind == "f":
        target = np.dtype(floatx())
        if array.dtype != target:
            return array.astype(target)
    return array


def _reject_scalar_lists(name, value):
    """Python numbers in a list are not arrays (a list holds one array per input or
    output): raise as Keras does, saying how to convert them."""
    if not isinstance(value, (list, tuple, dict)):
        return
    for leaf in tree.flatten(value):
        if isinstance(leaf, (bool, int, float, complex, str, bytes, np.generic)) or isinstance(
            leaf, (list, tuple)
        ):
            preview = repr(value)
            preview = preview if len(preview) <= 80 else preview[:77] + "..."
            raise ValueError(
                f"Unrecognized data type: {name}={preview} (of type {type(value).__name__}). "
                f"A list passed as `{name}` must hold one array per model input/output; "
                f"convert Python numbers to an array first, e.g. `{name}=np.array(...)`."
            )


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

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps=None,
        shuffle=False,
        class_weight=None,
    ):
        super().__init__(class_weight)
        if shuffle not in (True, False, "batch"):
            raise ValueError(f'`shuffle` must be True, False or "batch". Received: {shuffle!r}')
        for name, value in (("x", x), ("y", y), ("sample_weight", sample_weight)):
            _reject_scalar_lists(name, value)
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
                lambda a, index=index: None if a is None else a[index], self._data
            )
            yield utils.pack_x_y_sample_weight(x, y, sample_weight)
