"""`keras.datasets.cifar100`: 60,000 32x32 colour images in 100 (or 20 coarse) classes."""

import os

from unikeras.datasets._utils import cached_file
from unikeras.datasets.cifar import load_batch, to_format


def load_data(label_mode="fine"):
    """Loads the CIFAR-100 dataset (cached and extracted under
    `~/.keras/datasets/cifar-100-python-target/cifar-100-python/`).

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (20 superclasses).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images and uint8 labels `(n, 1)`.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.'
        )
    path = cached_file(
        "cifar-100-python-target",
        "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
        "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
        extract=True,
    )
    path = os.path.join(path, "cifar-100-python")
    x_train, y_train = load_batch(os.path.join(path, "train"), f"{label_mode}_labels")
    x_test, y_test = load_batch(os.path.join(path, "test"), f"{label_mode}_labels")
    return to_format(x_train.astype("uint8"), y_train, x_test, y_test)
