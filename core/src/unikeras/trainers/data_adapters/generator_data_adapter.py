"""Batches from a Python generator or iterator (one pass = until it is exhausted)."""

from unikeras.trainers.data_adapters.data_adapter import DataAdapter


class GeneratorDataAdapter(DataAdapter):
    """Pulls batches from `generator`; each yields `x`, `(x, y)` or `(x, y, sample_weight)`.

    A generator cannot restart: an infinite one needs `steps_per_epoch`, and a finite one
    is consumed by the first epoch.
    """

    def __init__(self, generator, class_weight=None):
        super().__init__(class_weight)
        self._generator = generator

    def _batches(self):
        yield from self._generator
