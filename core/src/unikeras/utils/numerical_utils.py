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
    """Converts a class vector (integers) to a binary class matrix.

    As in Keras 3, a list or NumPy array gives a NumPy `float64` matrix and a backend tensor
    (on the numpy backend: a NumPy array) gives a `float32` tensor (`ops.one_hot`).

    Args:
        x: Array-like of class indices (any shape; a trailing axis of size 1 is dropped).
        num_classes: Number of classes (default: `max(x) + 1`).

    Returns:
        A matrix of shape `x.shape + (num_classes,)`: a NumPy array, or a tensor when `x`
        is one.
    """
    is_tensor = ops.is_tensor(x)  # on the numpy backend a NumPy array is one
    labels = np.asarray(ops.convert_to_numpy(x) if is_tensor else x, dtype="int64")
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"to_categorical: labels must be in [0, {num_classes}); "
            f"received values in [{labels.min()}, {labels.max()}]."
        )
    if is_tensor:
        return ops.one_hot(ops.convert_to_tensor(labels, dtype="int32"), num_classes)
    out = np.zeros(labels.shape + (num_classes,), dtype="float64")
    np.put_along_axis(out, labels[..., None], 1.0, axis=-1)
    return out
