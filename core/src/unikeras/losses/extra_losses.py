"""Keras 3's sequence, segmentation, metric-learning and noise-robust losses: CTC, Dice,
Tversky, Circle and CategoricalGeneralizedCrossEntropy (functions and `Loss` classes).

Written only with `unikeras.ops`, so they run on every backend and inside compiled steps.
"""

from unikeras import backend, ops
from unikeras.losses.loss import Loss, LossFunctionWrapper, squeeze_or_expand_to_same_rank


def ctc(y_true, y_pred):
    """CTC (Connectionist Temporal Classification) loss.

    Args:
        y_true: Integer labels of shape `(batch_size, max_length)`; `0` is the blank (and
            padding) index and is not a class.
        y_pred: Logits of shape `(batch_size, max_length, num_classes)` (not softmaxed).

    Returns:
        The negative log-likelihood of each sequence, shape `(batch_size,)`.
    """
    y_true = ops.convert_to_tensor(y_true)
    y_pred = ops.convert_to_tensor(y_pred)
    if len(y_true.shape) != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape "
            f"`(batch_size, max_length)` in integer format. Received: "
            f"y_true.shape={tuple(y_true.shape)}"
        )
    if len(y_pred.shape) != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape "
            f"`(batch_size, max_length, num_classes)`. Received: "
            f"y_pred.shape={tuple(y_pred.shape)}"
        )
    mask_index = 0
    batch = ops.shape(y_pred)[0]
    output_length = ops.shape(y_pred)[1] * ops.ones((batch,), dtype="int32")
    label_length = ops.cast(ops.sum(ops.not_equal(y_true, mask_index), axis=-1), "int32")
    return ops.ctc_loss(
        ops.cast(y_true, "int32"), y_pred, label_length, output_length, mask_index=mask_index
    )


def dice(y_true, y_pred, axis=None):
    """Dice loss: `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Args:
        y_true: Targets.
        y_pred: Predictions.
        axis: Axis or tuple of axes the sums run over (`None`: all of them, one value).

    Returns:
        The Dice loss, with the `axis` dimensions reduced.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    intersection = ops.sum(y_true * y_pred, axis=axis)
    total = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + backend.epsilon()
    return 1 - ops.divide(2.0 * intersection, total)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Tversky loss: `1 - tp / (tp + alpha * fp + beta * fn)` with soft counts
    `tp = sum(y_true * y_pred)`, `fp = sum((1 - y_pred) * y_true)`,
    `fn = sum(y_pred * (1 - y_true))` (Keras' naming). `alpha = beta = 0.5` is Dice.

    Args:
        y_true: Targets.
        y_pred: Predictions.
        alpha: Weight of the `fp` term.
        beta: Weight of the `fn` term.
        axis: Axis or tuple of axes the sums run over (`None`: all of them).

    Returns:
        The Tversky loss, with the `axis` dimensions reduced.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    intersection = ops.sum(y_true * y_pred, axis=axis)
    fp = ops.sum((1 - y_pred) * y_true, axis=axis)
    fn = ops.sum(y_pred * (1 - y_true), axis=axis)
    return 1 - ops.divide(intersection, intersection + fp * alpha + fn * beta + backend.epsilon())


def _pos_neg_masks(query_labels, key_labels, remove_diagonal):
    query_labels = ops.reshape(query_labels, (-1, 1))
    key_labels = ops.reshape(key_labels, (-1, 1))
    positive = ops.equal(query_labels, ops.transpose(key_labels))
    negative = ops.logical_not(positive)
    if remove_diagonal:
        eye = ops.eye(ops.shape(query_labels)[0], ops.shape(key_labels)[0], dtype="bool")
        positive = ops.logical_and(positive, ops.logical_not(eye))
    return positive, negative


def _circle_values(y_true, y_pred, ref_labels, ref_embeddings, remove_diagonal, gamma, margin):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, "int32")
    ref_embeddings = (
        y_pred
        if ref_embeddings is None
        else ops.convert_to_tensor(ref_embeddings, dtype=ops.dtype(y_pred))
    )
    ref_labels = y_true if ref_labels is None else ops.cast(ref_labels, "int32")
    distances = ops.maximum(1 - ops.matmul(y_pred, ops.transpose(ref_embeddings)), 0.0)
    positive, negative = _pos_neg_masks(y_true, ref_labels, remove_diagonal)
    dtype = ops.dtype(distances)
    pos_weights = ops.maximum((margin + distances) * ops.cast(positive, dtype), 0.0)
    neg_weights = ops.maximum((1 + margin - distances) * ops.cast(negative, dtype), 0.0)
    pos_terms = -gamma * pos_weights * (margin - distances)
    neg_terms = gamma * neg_weights * ((1 - margin) - distances)
    # logsumexp over the selected entries only; a row with none contributes -inf.
    neg_inf = ops.full_like(distances, float("-inf"))
    p_loss = _masked_logsumexp(ops.where(positive, pos_terms, neg_inf), positive)
    n_loss = _masked_logsumexp(ops.where(negative, neg_terms, neg_inf), negative)
    losses = ops.softplus(p_loss + n_loss)
    return losses, ops.greater(losses, 0)


def _masked_logsumexp(x, mask):
    """`logsumexp(x, axis=1)` where rows may hold only -inf (giving -inf, without NaN)."""
    any_kept = ops.any(mask, axis=1)
    row_max = ops.max(ops.where(mask, x, ops.full_like(x, -3.0e38)), axis=1, keepdims=True)
    row_max = ops.where(ops.expand_dims(any_kept, 1), row_max, ops.zeros_like(row_max))
    total = ops.sum(ops.where(mask, ops.exp(x - row_max), ops.zeros_like(x)), axis=1)
    safe_total = ops.where(any_kept, total, ops.ones_like(total))
    value = ops.log(safe_total) + ops.squeeze(row_max, 1)
    return ops.where(any_kept, value, ops.full_like(value, float("-inf")))


def circle(
    y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80, margin=0.4
):
    """Circle loss between integer labels and L2-normalized embeddings.

    Args:
        y_true: Integer labels, shape `(batch_size,)`.
        y_pred: L2-normalized embeddings, shape `(batch_size, dim)`.
        ref_labels: Optional labels of the reference embeddings (default `y_true`).
        ref_embeddings: Optional L2-normalized reference embeddings (default `y_pred`).
        remove_diagonal: Whether self-similarities are left out of the positives.
        gamma: Scale of the similarity scores.
        margin: Relaxation margin.

    Returns:
        One loss per embedding, shape `(batch_size,)`.
    """
    losses, mask = _circle_values(
        y_true, y_pred, ref_labels, ref_embeddings, remove_diagonal, gamma, margin
    )
    try:
        losses._keras_mask = mask
    except AttributeError:  # engine arrays that take no attributes (NumPy)
        pass
    return losses


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross entropy: `(1 - p ** q) / q`, `p` the predicted probability of the
    true class.

    Args:
        y_true: Integer class indices, shape `(batch_size,)` or `(batch_size, 1)`.
        y_pred: Class probabilities, shape `(batch_size, num_classes)`.
        q: Noise parameter in `(0, 1)` (towards 0: crossentropy; towards 1: MAE).

    Returns:
        One loss per sample, shape `(batch_size,)`.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    one_hot = ops.one_hot(ops.cast(y_true, "int32"), ops.shape(y_pred)[-1], dtype=ops.dtype(y_pred))
    p = ops.sum(y_pred * one_hot, axis=-1)
    return (1 - ops.power(p, q)) / q


class CTC(LossFunctionWrapper):
    """CTC (Connectionist Temporal Classification) loss.

    `y_true`: integer labels `(batch_size, max_length)`, `0` being the blank/padding
    index; `y_pred`: logits `(batch_size, max_length, num_classes)`.

    Args:
        reduction: See `keras.losses.Loss` (default `"sum_over_batch_size"`).
        name: Name of the loss instance.
        dtype: Dtype of the computation (default `floatx()`).
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return ctc(y_true, y_pred)

    def get_config(self):
        return Loss.get_config(self)


class Dice(LossFunctionWrapper):
    """Dice loss: `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Args:
        reduction: See `keras.losses.Loss`.
        name: Name of the loss instance.
        axis: Axes the sums run over (`None`: all, one value for the batch).
        dtype: Dtype of the computation.
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """Tversky loss, weighting false positives by `alpha` and false negatives by `beta`
    (`alpha = beta = 0.5` is the Dice loss).

    Args:
        alpha: Weight of false positives (default 0.5).
        beta: Weight of false negatives (default 0.5).
        reduction: See `keras.losses.Loss`.
        name: Name of the loss instance.
        axis: Axes the sums run over (`None`: all).
        dtype: Dtype of the computation.
    """

    def __init__(
        self,
        alpha=0.5,
        beta=0.5,
        reduction="sum_over_batch_size",
        name="tversky",
        axis=None,
        dtype=None,
    ):
        super().__init__(
            tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha, beta=beta, axis=axis
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta, "axis": self.axis}


class Circle(LossFunctionWrapper):
    """Circle loss between integer labels and L2-normalized embeddings (metric learning).

    Entries whose loss is 0 are masked out of the average.

    Args:
        gamma: Scale of the similarity scores (default 80).
        margin: Relaxation margin (default 0.4).
        remove_diagonal: Whether self-similarities are left out of the positives.
        reduction: See `keras.losses.Loss`.
        name: Name of the loss instance.
        dtype: Dtype of the computation.
    """

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        super().__init__(
            circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def _call_with_mask(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return _circle_values(
            y_true, y_pred, None, None, self.remove_diagonal, self.gamma, self.margin
        )

    def get_config(self):
        return {
            **Loss.get_config(self),
            "gamma": self.gamma,
            "margin": self.margin,
            "remove_diagonal": self.remove_diagonal,
        }


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross entropy `(1 - p ** q) / q` between integer labels and class
    probabilities: robust to noisy labels.

    Args:
        q: Noise parameter in `(0, 1)` (default 0.5).
        reduction: See `keras.losses.Loss`.
        name: Name of the loss instance.
        dtype: Dtype of the computation.
    """

    def __init__(
        self,
        q=0.5,
        reduction="sum_over_batch_size",
        name="categorical_generalized_cross_entropy",
        dtype=None,
    ):
        if not 0 < q < 1:
            raise ValueError(f"q must be in the interval (0, 1). Received: q={q}")
        super().__init__(
            categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q
        )
        self.q = q

    def get_config(self):
        return {**Loss.get_config(self), "q": self.q}
