"""`keras.utils`: helpers for users (nested structures live in `unikeras.utils.tree`)."""

import random as _python_random

import numpy as _np


def set_random_seed(seed):
    """Seeds Python's `random`, NumPy and unikeras' global random generator at once.

    After it, unseeded initializers, `unikeras.random` calls with `seed=None` and dropout
    layers without a seed give the same numbers on every run.

    Args:
        seed: An int.
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"set_random_seed: `seed` must be an int. Received: seed={seed!r}")
    _python_random.seed(seed)
    _np.random.seed(seed % 2**32)
    from unikeras.random.seed_generator import set_global_seed

    set_global_seed(seed)


def to_categorical(x, num_classes=None):
    """One-hot encodes integer class labels into a NumPy float32 matrix.

    Args:
        x: Array-like of class indices (any shape; a trailing axis of size 1 is dropped).
        num_classes: Number of classes (default: `max(x) + 1`).

    Returns:
        A NumPy array of shape `x.shape + (num_classes,)`.
    """
    x = _np.asarray(x, dtype="int64")
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x.reshape(x.shape[:-1])
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(f"to_categorical: labels must be in [0, {num_classes}); "
                         f"received values in [{x.min()}, {x.max()}].")
    out = _np.zeros(x.shape + (num_classes,), dtype="float32")
    _np.put_along_axis(out, x[..., None], 1.0, axis=-1)
    return out

from unikeras.utils.progbar import Progbar  # noqa: E402,F401
from unikeras.utils.py_dataset import PyDataset  # noqa: E402,F401
from unikeras.trainers.data_adapters.data_adapter_utils import (  # noqa: E402,F401
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)


def __getattr__(name):
    # `bounding_boxes` needs `unikeras.ops`, which is not importable yet while the backend
    # plugins (which import `unikeras.utils.tree`) load: import it on first use.
    if name == "bounding_boxes":
        import importlib

        return importlib.import_module("unikeras.utils.bounding_boxes")
    raise AttributeError(f"module 'unikeras.utils' has no attribute {name!r}")
