"""Accuracy metrics: per-sample match functions and their `MeanMetricWrapper` classes."""

from unikeras import backend, ops
from unikeras.losses.loss import squeeze_or_expand_to_same_rank
from unikeras.metrics.reduction_metrics import MeanMetricWrapper


def _matches(a, b):
    return ops.cast(ops.equal(a, b), backend.floatx())


def accuracy(y_true, y_pred):
    """Element-wise accuracy: 1.0 where `y_pred` equals `y_true` exactly, else 0.0.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A float tensor of the shape of `y_pred`.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Binary accuracy: 1.0 where `y_pred > threshold` agrees with the binary `y_true`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.
        threshold: Predictions above it count as 1, others as 0 (default `0.5`).

    Returns:
        A float tensor of the shape of `y_pred` (ranks matched first): 1.0 per match, else 0.0.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = ops.cast(ops.greater(y_pred, threshold), ops.dtype(y_true))
    return _matches(y_true, predicted)


def _sparse_matches(labels, y_pred):
    """Whether `argmax(y_pred)` equals integer `labels`, shaped like `labels`."""
    y_pred = ops.convert_to_tensor(y_pred)
    labels_shape = tuple(labels.shape)
    squeezed = len(labels.shape) == len(y_pred.shape) and labels.shape[-1] == 1
    if squeezed:
        labels = ops.squeeze(labels, -1)
    predicted = ops.cast(ops.argmax(y_pred, axis=-1), ops.dtype(labels))
    matches = _matches(labels, predicted)
    if squeezed:
        matches = ops.reshape(matches, labels_shape)
    return matches


def categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of `y_pred` is the arg-max of one-hot `y_true`, else 0.0.

    Args:
        y_true: One-hot labels, shape `(batch_size, ..., num_classes)`.
        y_pred: Class scores, same shape as `y_true`.

    Returns:
        A float tensor of shape `(batch_size, d0, ..., dN-1)`: 1.0 per correct sample, else 0.0.
    """
    return _sparse_matches(ops.argmax(y_true, axis=-1), y_pred)


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of `y_pred` equals the integer label `y_true`, else 0.0.

    Args:
        y_true: Integer labels, shape `(batch_size, ...)` (a trailing axis of size 1 is allowed).
        y_pred: Class scores, shape `(batch_size, ..., num_classes)`.

    Returns:
        A float tensor of shape `(batch_size, d0, ..., dN-1)`: 1.0 per correct sample, else 0.0.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    matches = _sparse_matches(ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred)), y_pred)
    if len(matches.shape) > 1 and matches.shape[-1] == 1:
        matches = ops.squeeze(matches, -1)
    return matches


def _in_top_k(labels, y_pred, k):
    """`in_top_k` on rows of any rank: flattens to 2-D and reshapes back."""
    y_pred = ops.convert_to_tensor(y_pred)
    labels = ops.cast(labels, "int32")
    if len(labels.shape) == len(y_pred.shape) and labels.shape[-1] == 1:
        labels = ops.squeeze(labels, -1)
    labels_shape = ops.shape(labels)
    rows = ops.reshape(y_pred, (-1, ops.shape(y_pred)[-1]))
    hits = ops.in_top_k(ops.reshape(labels, (-1,)), rows, k)
    return ops.reshape(ops.cast(hits, backend.floatx()), labels_shape)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the class of one-hot `y_true` is among the `k` largest `y_pred`.

    Args:
        y_true: One-hot labels, shape `(batch_size, num_classes)`.
        y_pred: Class scores, same shape as `y_true`.
        k: How many of the largest scores count (default `5`).

    Returns:
        A float tensor of shape `(batch_size,)`: 1.0 per correct sample, else 0.0.
    """
    return _in_top_k(ops.argmax(y_true, axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the `k` largest `y_pred`.

    With `from_sorted_ids`, `y_pred` already holds class ids sorted by decreasing score
    (at least `k` per row), and the check is whether the label is among the first `k`.

    Args:
        y_true: Integer labels, shape `(batch_size,)` (or `(batch_size, 1)`).
        y_pred: Class scores, shape `(batch_size, num_classes)`; with `from_sorted_ids`, class ids
            sorted by decreasing score, shape `(batch_size, N)`.
        k: How many of the largest scores count (default `5`).
        from_sorted_ids: Whether `y_pred` holds the ids of the top classes in decreasing order of
            score instead of the scores of all classes (default `False`).

    Returns:
        A float tensor of shape `(batch_size,)`: 1.0 per correct sample, else 0.0.
    """
    if not from_sorted_ids:
        return _in_top_k(ops.convert_to_tensor(y_true), y_pred, k)
    y_true = ops.cast(y_true, "int32")
    top = ops.cast(ops.convert_to_tensor(y_pred)[..., :k], "int32")
    if len(y_true.shape) == len(top.shape):
        y_true = ops.squeeze(y_true, -1) if y_true.shape[-1] == 1 else y_true
    hits = ops.any(ops.equal(top, ops.expand_dims(y_true, -1)), axis=-1)
    return ops.cast(hits, backend.floatx())


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels.

    Args:
        name: Name of the metric instance (default `"accuracy"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often thresholded predictions match binary labels.

    Args:
        name: Name of the metric instance (default `"binary_accuracy"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
        threshold: Predictions above it count as 1, others as 0 (default `0.5`).

    Examples:
        >>> m = keras.metrics.BinaryAccuracy()
        >>> m.update_state(np.array([[1], [1], [0], [0]]), np.array([[0.98], [1], [0], [0.6]]))
        >>> float(m.result())
        0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of predictions matches the arg-max of one-hot labels.

    Args:
        name: Name of the metric instance (default `"categorical_accuracy"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of predictions matches integer labels.

    Args:
        name: Name of the metric instance (default `"sparse_categorical_accuracy"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.

    Examples:
        >>> m = keras.metrics.SparseCategoricalAccuracy()
        >>> m.update_state(np.array([[2], [1]]), np.array([[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]))
        >>> float(m.result())
        0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target is among the top `k` predictions.

    Args:
        k: How many of the largest scores count (default `5`).
        name: Name of the metric instance (default `"top_k_categorical_accuracy"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is among the top `k` predictions.

    Args:
        k: How many of the largest scores count (default `5`).
        name: Name of the metric instance (default `"sparse_top_k_categorical_accuracy"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
        from_sorted_ids: Whether `y_pred` holds the ids of the top classes in decreasing order of
            score instead of the scores of all classes (default `False`).
    """

    def __init__(
        self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False
    ):
        super().__init__(
            sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
