"""`keras.utils.normalize` and `keras.utils.to_categorical`."""

import numpy as np

from unikeras import ops


def normalize(x, axis=-1, order=2):
    """Normalizes an array along an axis by its `order`-norm.

    A NumPy input gives a NumPy output (zero-norm slices are left unchanged); a backend tensor
    gives a backend tensor (`keras.ops.normalize`).

    Args:
        x: Array to normalize.
        axis: Axis along which to normalize.
        order: Order of the norm (e.g. `2` for the L2 norm).

    Returns:
        A normalized copy of the array.
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        return x / np.expand_dims(norm, axis if axis is not None else -1)

    return ops.normalize(x, axis=axis, order=order)


def to_categorical(x, num_classes=None):
    """One-hot encodes integer class labels into a NumPy float32 matrix.

    Args:
        x: Array-like of class indices (any shape; a trailing axis of size 1 is dropped).
        num_classes: Number of classes (default: `max(x) + 1`).

    Returns:
        A NumPy array of shape `x.shape + (num_classes,)`.
    """
    if not isinstance(x, (np.ndarray, list, tuple, int, np.integer)) and hasattr(x, "shape"):
        x = ops.convert_to_numpy(x)
    x = np.asarray(x, dtype="int64")
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x.reshape(x.shape[:-1])
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(
            f"to_categorical: labels must be in [0, {num_classes}); "
            f"received values in [{x.min()}, {x.max()}]."
        )
    out = np.zeros(x.shape + (num_classes,), dtype="float32")
    np.put_along_axis(out, x[..., None], 1.0, axis=-1)
    return out
