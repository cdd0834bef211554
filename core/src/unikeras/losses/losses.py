"""Keras 3's built-in losses: per-sample loss functions and their `Loss` classes.

Every function takes `(y_true, y_pred, ...)` and returns one loss per sample (the last axis
reduced), written only with `unikeras.ops` so it runs on every backend and inside compiled
steps.
"""

import math

from unikeras import backend, ops
from unikeras.losses.loss import LossFunctionWrapper, squeeze_or_expand_to_same_rank


def _prepare(y_true, y_pred):
    """Converts both to tensors of `y_pred`'s dtype with matching ranks."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def _smooth_binary_labels(y_true, label_smoothing):
    if not label_smoothing:
        return y_true
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing


def _smooth_categorical_labels(y_true, label_smoothing, axis):
    if not label_smoothing:
        return y_true
    num_classes = ops.cast(ops.shape(y_true)[axis], ops.dtype(y_true))
    return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes


# --------------------------------------------------------------------------------------------
# Regression losses
# --------------------------------------------------------------------------------------------


def mean_squared_error(y_true, y_pred):
    """Mean squared error: `mean(square(y_true - y_pred), axis=-1)`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error: `mean(abs(y_true - y_pred), axis=-1)`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.absolute(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Mean absolute percentage error of the predictions.

    Computes `100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    scale = ops.maximum(ops.absolute(y_true), backend.epsilon())
    return 100.0 * ops.mean(ops.absolute((y_true - y_pred) / scale), axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean squared logarithmic error of the predictions.

    Computes `mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    eps = backend.epsilon()
    log_pred = ops.log(ops.maximum(y_pred, eps) + 1.0)
    log_true = ops.log(ops.maximum(y_true, eps) + 1.0)
    return ops.mean(ops.square(log_pred - log_true), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity between labels and predictions.

    Computes `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis=axis)`: between -1
    (same direction) and 1 (opposite), 0 for orthogonal vectors.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.
        axis: The axis along which the similarity is computed (default `-1`).

    Returns:
        A tensor with `axis` reduced: one value per sample.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = ops.normalize(y_true, axis=axis)
    y_pred = ops.normalize(y_pred, axis=axis)
    return -ops.sum(y_true * y_pred, axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: quadratic for small errors, linear for large ones.

    `0.5 * x**2` for `|x| <= delta`, else `delta * |x| - 0.5 * delta**2`, with
    `x = y_pred - y_true`, averaged over the last axis.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.
        delta: The error size where the loss turns from quadratic to linear (default `1.0`).

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=ops.dtype(y_pred))
    error = y_pred - y_true
    abs_error = ops.absolute(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * ops.square(delta)
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """Logarithm of the hyperbolic cosine of the error, averaged over the last axis.

    `log(cosh(x))` is about `x**2 / 2` for small `x` and `abs(x) - log(2)` for large
    `x`; it is computed without overflow.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(-2.0 * x) - math.log(2.0), axis=-1)


# --------------------------------------------------------------------------------------------
# Probabilistic losses
# --------------------------------------------------------------------------------------------


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy averaged over `axis`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + 0.5 * s`.
        axis: The axis averaged over (default `-1`).

    Returns:
        A tensor with `axis` reduced: one loss per sample.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = _smooth_binary_labels(y_true, label_smoothing)
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary focal crossentropy, averaged over `axis`.

    Binary crossentropy scaled by the focal factor `(1 - p_t) ** gamma`; with
    `apply_class_balancing`, positives also weigh `alpha`, negatives `1 - alpha`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.
        apply_class_balancing: Whether to weigh positives by `alpha` and negatives by `1 - alpha`
            (default `False`).
        alpha: The class-balancing weight of positives (default `0.25`).
        gamma: The focusing parameter; `0` gives binary crossentropy (default `2.0`).
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + 0.5 * s`.
        axis: The axis averaged over (default `-1`).

    Returns:
        A tensor with `axis` reduced: one loss per sample.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = _smooth_binary_labels(y_true, label_smoothing)
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
    focal = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return ops.mean(focal, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot (or soft) labels and predicted class probabilities.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + s /
            num_classes`.
        axis: The class axis (default `-1`).

    Returns:
        A tensor with the class axis reduced: one loss per sample.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type bool")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    y_true = _smooth_categorical_labels(y_true, label_smoothing, axis)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical focal crossentropy: easy examples weigh less.

    Categorical crossentropy with each class term scaled by `alpha * (1 - p) ** gamma`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.
        alpha: Weight of every class term (default `0.25`).
        gamma: The focusing parameter; larger values down-weight confident predictions more (default
            `2.0`).
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + s /
            num_classes`.
        axis: The class axis (default `-1`).

    Returns:
        A tensor with the class axis reduced: one loss per sample.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type bool")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    y_true = _smooth_categorical_labels(y_true, label_smoothing, axis)
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    eps = backend.epsilon()
    probs = ops.clip(y_pred / ops.sum(y_pred, axis=axis, keepdims=True), eps, 1.0 - eps)
    focal = alpha * ops.power(1.0 - probs, gamma) * (-y_true * ops.log(probs))
    return ops.sum(focal, axis=axis)


def _ignore_class_mask(y_true, ignore_class):
    return ops.not_equal(y_true, ops.cast(ignore_class, ops.dtype(y_true)))


def _sparse_crossentropy(y_true, y_pred, from_logits, ignore_class, axis):
    """Returns `(losses, valid mask or None)`; ignored labels get loss 0 and mask False."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(
            y_true, y_pred, from_logits=from_logits, axis=axis
        ), None
    valid = _ignore_class_mask(y_true, ignore_class)
    y_true = y_true * ops.cast(valid, ops.dtype(y_true))
    losses = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    return ops.where(valid, losses, ops.zeros_like(losses)), valid


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Crossentropy between integer labels and predicted class probabilities.

    Args:
        y_true: Integer class indices, shape `(batch_size, d0, ..., dN-1)` (a trailing axis of size
            1 is squeezed).
        y_pred: Class probabilities (or logits), shape `(batch_size, d0, ..., dN-1, num_classes)`.
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        ignore_class: Optional label whose entries get loss 0 (and are left out of the
            average when called through `SparseCategoricalCrossentropy`).
        axis: The class axis.

    Returns:
        A tensor with the class axis reduced: one loss per sample.
    """
    losses, valid = _sparse_crossentropy(y_true, y_pred, from_logits, ignore_class, axis)
    if valid is not None:
        try:
            losses._keras_mask = valid
        except AttributeError:  # engine arrays that take no attributes (NumPy)
            pass
    return losses


def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence between label and predicted distributions.

    Computes `sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    y_true = ops.clip(y_true, backend.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, backend.epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """Poisson loss: `mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(y_pred - y_true * ops.log(y_pred + backend.epsilon()), axis=-1)


# --------------------------------------------------------------------------------------------
# Hinge losses
# --------------------------------------------------------------------------------------------


def _to_signed_labels(y_true):
    """Labels in {0, 1} become {-1, 1}; any other labels are kept (no value branching)."""
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _hinge_margins(y_true, y_pred):
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.maximum(1.0 - _to_signed_labels(y_true) * y_pred, 0.0)


def hinge(y_true, y_pred):
    """Hinge loss: `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    Labels in `{0, 1}` are converted to `{-1, 1}`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    return ops.mean(_hinge_margins(y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """Squared hinge loss: `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    Labels in `{0, 1}` are converted to `{-1, 1}`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample, the last axis reduced.
    """
    return ops.mean(ops.square(_hinge_margins(y_true, y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Categorical hinge loss: `maximum(neg - pos + 1, 0)`.

    With `pos = sum(y_true * y_pred)` and `neg = max((1 - y_true) * y_pred)` over the
    last axis, for one-hot `y_true`.

    Args:
        y_true: Ground-truth values, shape `(batch_size, d0, ..., dN)`.
        y_pred: Predicted values, same shape as `y_true`.

    Returns:
        A tensor of shape `(batch_size, d0, ..., dN-1)`: one loss per sample.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, 0.0)


# --------------------------------------------------------------------------------------------
# Loss classes
# --------------------------------------------------------------------------------------------


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors between labels and predictions.

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"mean_squared_error"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.

    Examples:
        >>> loss = keras.losses.MeanSquaredError()
        >>> float(loss(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])))
        0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors between labels and predictions.

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"mean_absolute_error"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error between labels and predictions.

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"mean_absolute_percentage_error"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None
    ):
        super().__init__(
            mean_absolute_percentage_error, name=name, reduction=reduction, dtype=dtype
        )


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error between labels and predictions.

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"mean_squared_logarithmic_error"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(
        self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None
    ):
        super().__init__(
            mean_squared_logarithmic_error, name=name, reduction=reduction, dtype=dtype
        )


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between labels and predictions along `axis`.

    Args:
        axis: The axis along which the similarity is computed (default `-1`).
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"cosine_similarity"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(
        self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None
    ):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis)


class Huber(LossFunctionWrapper):
    """Huber loss with threshold `delta` (quadratic below, linear above).

    Args:
        delta: The error size where the loss turns from quadratic to linear (default `1.0`).
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"huber_loss"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the prediction error.

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"log_cosh"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    """Crossentropy between binary labels and predicted probabilities (or logits).

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + 0.5 * s`.
        axis: The axis averaged over (default `-1`).
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"binary_crossentropy"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.

    Examples:
        >>> loss = keras.losses.BinaryCrossentropy(from_logits=True)
        >>> float(loss(np.array([0.0, 1.0]), np.array([0.0, 0.0])))  # log(2) for each entry
        0.69314...
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary crossentropy down-weighting easy examples by `(1 - p_t) ** gamma`.

    Args:
        apply_class_balancing: Whether to weigh positives by `alpha` and negatives by `1 - alpha`
            (default `False`).
        alpha: The class-balancing weight of positives (default `0.25`).
        gamma: The focusing parameter; `0` gives binary crossentropy (default `2.0`).
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + 0.5 * s`.
        axis: The axis averaged over (default `-1`).
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"binary_focal_crossentropy"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between one-hot labels and predicted class probabilities (or logits).

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + s /
            num_classes`.
        axis: The class axis (default `-1`).
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"categorical_crossentropy"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy down-weighting easy examples by `alpha * (1 - p) ** gamma`.

    Args:
        alpha: Weight of every class term (default `0.25`).
        gamma: The focusing parameter; larger values down-weight confident predictions more (default
            `2.0`).
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + s /
            num_classes`.
        axis: The class axis (default `-1`).
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"categorical_focal_crossentropy"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Crossentropy between integer labels and predicted class probabilities (or logits).

    Entries labelled `ignore_class` are masked out: they add nothing and, for the averaging
    reductions, are not counted.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        ignore_class: Optional integer label whose entries are masked out (default `None`).
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        axis: The class axis (default `-1`).
        name: Name of the loss instance (default `"sparse_categorical_crossentropy"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.

    Examples:
        >>> loss = keras.losses.SparseCategoricalCrossentropy()
        >>> float(loss(np.array([1]), np.array([[0.1, 0.8, 0.1]])))  # -log(0.8)
        0.22314...
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )

    def _call_with_mask(self, y_true, y_pred):
        return _sparse_crossentropy(
            y_true,
            y_pred,
            self._fn_kwargs["from_logits"],
            self._fn_kwargs["ignore_class"],
            self._fn_kwargs.get("axis", -1),
        )


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence between label and predicted distributions.

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"kl_divergence"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson loss `y_pred - y_true * log(y_pred)`.

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"poisson"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


class Hinge(LossFunctionWrapper):
    """Hinge loss for labels in {-1, 1} (or {0, 1}).

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"hinge"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss for labels in {-1, 1} (or {0, 1}).

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"squared_hinge"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss for one-hot labels.

    Args:
        reduction: Reduction over the batch: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"`, `"none"` or `None` (no reduction).
        name: Name of the loss instance (default `"categorical_hinge"`).
        dtype: The dtype of the computations and result; `None` (default) uses
            `keras.config.floatx()`, a dtype policy is also accepted.
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)
