"""`DataAdapter`: the interface every input type (arrays, generators, ...) is wrapped into."""

from unikeras.trainers.data_adapters import data_adapter_utils as utils


class DataAdapter:
    """Iterates batches of one input type; the epoch iterator drives it.

    Subclasses implement `_batches()` (one pass over the data) and `num_batches`.

    Args:
        class_weight: Optional dict `{class index: weight}` turned into sample weights.
    """

    def __init__(self, class_weight=None):
        self.class_weight = class_weight

    @property
    def num_batches(self):
        """Batches in one pass, or `None` when unknown (generators, infinite datasets)."""
        return None

    @property
    def batch_size(self):
        """Samples per batch when known, else `None`."""
        return None

    def _batches(self):
        raise NotImplementedError

    def get_iterator(self):
        """Yields one pass of batches: structures of NumPy arrays or active-backend tensors."""
        for data in self._batches():
            data = utils.convert_batch(data)
            if self.class_weight is not None:
                data = utils.apply_class_weight(data, self.class_weight)
            yield data

    def on_epoch_begin(self):
        """Called before each epoch's pass."""

    def on_epoch_end(self):
        """Called after each epoch's pass."""
