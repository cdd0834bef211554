"""`keras.datasets.cifar10`: 60,000 32x32 colour images in 10 classes."""

import os

import numpy as np

from unikeras.datasets._utils import cached_file
from unikeras.datasets.cifar import load_batch, to_format


def load_data():
    """Loads the CIFAR-10 dataset (cached and extracted under
    `~/.keras/datasets/cifar-10-batches-py-target/cifar-10-batches-py/`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 32, 32, 3)` (channels
        first with that image data format) and uint8 labels `(n, 1)`.
    """
    path = cached_file(
        "cifar-10-batches-py-target",
        "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
        "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
        extract=True,
    )
    path = os.path.join(path, "cifar-10-batches-py")
    parts = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts]).astype("uint8")
    y_train = np.concatenate([np.asarray(p[1]) for p in parts])
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    return to_format(x_train, y_train, x_test, y_test, label_dtype="uint8")
