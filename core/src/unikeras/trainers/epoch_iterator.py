"""`EpochIterator`: groups an adapter's batches into epochs and executions."""

import itertools
import warnings

from unikeras.trainers.data_adapters import get_data_adapter
from unikeras.backend.global_state import LIMITS


class EpochIterator:
    """Yields, for each epoch, `(first_step, last_step, batches)` with up to
    `steps_per_execution` batches per item.

    With `steps_per_epoch`, an epoch ends after that many steps and the next epoch continues
    where the data left off (restarting it when it runs out); otherwise an epoch is one
    full pass over the data.
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps_per_epoch=None,
        shuffle=False,
        class_weight=None,
        steps_per_execution=1,
    ):
        limit = LIMITS["max_steps_per_epoch"]  # `keras.config.set_max_steps_per_epoch`
        if limit and (not steps_per_epoch or limit < steps_per_epoch):
            warnings.warn(f"Limiting steps_per_epoch to {limit}", stacklevel=2)
            steps_per_epoch = limit
        self.data_adapter = get_data_adapter(
            x,
            y=y,
            sample_weight=sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
        )
        self.steps_per_epoch = steps_per_epoch
        self.steps_per_execution = max(int(steps_per_execution or 1), 1)
        self._iterator = None
        self._peeked = []
        self.insufficient_data = False

    @property
    def num_batches(self):
        """Steps in one epoch, or `None` when unknown before the first pass ends."""
        return self.steps_per_epoch or self.data_adapter.num_batches

    def peek(self):
        """Returns the first batch of the next epoch without consuming it (`None` if the
        data is empty)."""
        if not self._peeked:
            if self._iterator is None:
                self._iterator = iter(self.data_adapter.get_iterator())
            self._peeked = list(itertools.islice(self._iterator, 1))
        return self._peeked[0] if self._peeked else None

    def _pull(self, count):
        fresh = self._iterator is None
        if fresh:
            self._iterator = iter(self.data_adapter.get_iterator())
        batches, self._peeked = self._peeked[:count], self._peeked[count:]
        batches += list(itertools.islice(self._iterator, count - len(batches)))
        if not batches and not fresh and self.steps_per_epoch:
            self._iterator = iter(self.data_adapter.get_iterator())
            batches = list(itertools.islice(self._iterator, count))
        return batches

    def enumerate_epoch(self):
        """Yields `(first_step, last_step, batches)` for one epoch."""
        self.data_adapter.on_epoch_begin()
        if not self.steps_per_epoch and not self._peeked:
            self._iterator = None
        step = 0
        while self.steps_per_epoch is None or step < self.steps_per_epoch:
            count = self.steps_per_execution
            if self.steps_per_epoch:
                count = min(count, self.steps_per_epoch - step)
            batches = self._pull(count)
            if not batches:
                self._out_of_data(step)
                break
            yield step, step + len(batches) - 1, batches
            step += len(batches)
        self.data_adapter.on_epoch_end()

    def _out_of_data(self, step):
        self._iterator = None
        if self.steps_per_epoch or step == 0:
            self.insufficient_data = True
            warnings.warn(
                "Your input ran out of data; interrupting training. Make sure that your "
                "dataset or generator can generate at least `steps_per_epoch * epochs` "
                "batches.",
                stacklevel=3,
            )
