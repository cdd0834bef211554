"""`keras.datasets.fashion_mnist`: 70,000 28x28 grayscale images of 10 clothing classes."""

import gzip
import os

import numpy as np

from unikeras.datasets._utils import ORIGIN, cached_file

FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


def load_data():
    """Loads the Fashion-MNIST dataset (cached in `~/.keras/datasets/fashion-mnist/`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 28, 28)` and uint8 labels.
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = [cached_file(name, ORIGIN + name, cache_subdir=subdir) for name in FILES]

    def read(path, offset):
        with gzip.open(path, "rb") as handle:
            return np.frombuffer(handle.read(), np.uint8, offset=offset)

    y_train = read(paths[0], 8)
    x_train = read(paths[1], 16).reshape(len(y_train), 28, 28)
    y_test = read(paths[2], 8)
    x_test = read(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
