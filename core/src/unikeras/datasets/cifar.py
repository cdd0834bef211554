"""Reading the pickled CIFAR batches (NumPy arrays only: no code runs while reading)."""

import numpy as np

from unikeras.datasets._utils import RestrictedUnpickler
from unikeras.backend.config import image_data_format


def load_batch(fpath, label_key="labels"):
    """Reads one CIFAR batch file.

    Returns:
        `(data, labels)`: uint8 `(n, 3, 32, 32)` and the label list.
    """
    with open(fpath, "rb") as handle:
        raw = RestrictedUnpickler(handle, encoding="bytes").load()
    decoded = {(k.decode("utf8") if isinstance(k, bytes) else k): v for k, v in raw.items()}
    data = np.asarray(decoded["data"])
    return data.reshape(data.shape[0], 3, 32, 32), decoded[label_key]


def to_format(x_train, y_train, x_test, y_test, label_dtype=None):
    y_train = np.reshape(np.asarray(y_train, dtype=label_dtype), (-1, 1))
    y_test = np.reshape(np.asarray(y_test, dtype=label_dtype), (-1, 1))
    if image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test)
