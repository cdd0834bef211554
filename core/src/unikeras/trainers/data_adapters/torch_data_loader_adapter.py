"""Batches from a `torch.utils.data.DataLoader`, on any backend (PyTorch must be installed)."""

from unikeras.trainers.data_adapters.data_adapter import DataAdapter


class TorchDataLoaderAdapter(DataAdapter):
    """Iterates a `DataLoader`; torch tensors become NumPy arrays unless the active backend is
    PyTorch. A loader over an iterable dataset has an unknown number of batches."""

    def __init__(self, loader, class_weight=None):
        super().__init__(class_weight)
        self._loader = loader

    @property
    def num_batches(self):
        try:
            return len(self._loader)
        except TypeError:
            return None

    @property
    def batch_size(self):
        return self._loader.batch_size

    def _batches(self):
        return iter(self._loader)
