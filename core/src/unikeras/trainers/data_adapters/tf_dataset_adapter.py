"""Batches from a `tf.data.Dataset`, on any backend (TensorFlow must be installed)."""

from unikeras.trainers.data_adapters.data_adapter import DataAdapter
from unikeras.backend.registry import table
from unikeras.backend import tree

_INFINITE, _UNKNOWN = -1, -2  # tf.data cardinality constants


class TFDatasetAdapter(DataAdapter):
    """Iterates an already batched `tf.data.Dataset`; tensors the active backend does not take
    as its own (every backend but TensorFlow) become NumPy arrays."""

    def __init__(self, dataset, class_weight=None):
        super().__init__(class_weight)
        self._dataset = dataset

    @property
    def num_batches(self):
        cardinality = int(self._dataset.cardinality())
        return None if cardinality in (_INFINITE, _UNKNOWN) else cardinality

    def _batches(self):
        def native(leaf):
            return leaf if table.is_tensor(leaf) else leaf.numpy()

        return (tree.map_structure(native, batch) for batch in self._dataset)
