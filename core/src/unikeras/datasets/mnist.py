"""`keras.datasets.mnist`: 70,000 28x28 grayscale images of the 10 digits."""

from unikeras.datasets._utils import ORIGIN, cached_file, load_npz


def load_data(path="mnist.npz"):
    """Loads the MNIST dataset (cached in `~/.keras/datasets/mnist.npz`).

    Args:
        path: File name of the dataset in the cache.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 28, 28)` and uint8 labels
        `(n,)` (60,000 training and 10,000 test samples).
    """
    path = cached_file(
        path,
        ORIGIN + "mnist.npz",
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    )
    data = load_npz(path)
    return (data["x_train"], data["y_train"]), (data["x_test"], data["y_test"])
