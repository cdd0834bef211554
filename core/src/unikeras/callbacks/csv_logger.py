"""`keras.callbacks.CSVLogger`: writes epoch results to a CSV file."""

import collections
import csv
import os

import numpy as np

from unikeras.callbacks.callback import Callback


def _cell(value):
    if isinstance(value, str):
        return value
    if np.ndim(value) > 0:
        return '"[{}]"'.format(", ".join(str(v) for v in np.ravel(value)))
    return value


class CSVLogger(Callback):
    """Streams one row per epoch (`epoch` then the sorted log names) to `filename`.

    Columns are fixed by the first epoch, with `val_` columns added even before the first
    validation; missing values are written as `NA`.

    Args:
        filename: Path of the CSV file.
        separator: Field separator.
        append: Appends to an existing file (keeping its header) instead of overwriting.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename = str(filename)
        self.sep = separator
        self.append = append
        self.keys = None
        self.writer = None
        self.csv_file = None
        self._append_header = True

    def on_train_begin(self, logs=None):
        mode = "w"
        if self.append:
            mode = "a"
            self._append_header = not (
                os.path.exists(self.filename) and os.path.getsize(self.filename) > 0
            )
        self.csv_file = open(self.filename, mode, newline="")
        self.keys = None
        self.writer = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if not any(k.startswith("val_") for k in self.keys):
                self.keys += ["val_" + k for k in self.keys]
        if self.writer is None:
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch"] + self.keys, delimiter=self.sep
            )
            if self._append_header:
                self.writer.writeheader()
        row = collections.OrderedDict(epoch=epoch)
        row.update((k, _cell(logs[k]) if k in logs else "NA") for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
        self.csv_file = None
        self.writer = None
