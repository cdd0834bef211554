"""Confusion-matrix metrics at thresholds: true/false positives/negatives, precision,
recall and AUC.

A prediction counts as positive at threshold `t` when `y_pred > t`; labels are positive
when non-zero. Counts are weighted by `sample_weight` (broadcast to `y_pred`).
"""

from unikeras import backend, ops
from unikeras.losses.loss import align_sample_weight, squeeze_or_expand_to_same_rank
from unikeras.metrics.metric import Metric

NEG_INF = -1e10  # threshold that keeps every prediction `top_k` did not filter out


def parse_thresholds(thresholds, default):
    """Returns `thresholds` as a list of floats in [0, 1] (`[default]` when `None`)."""
    if thresholds is None:
        return [default]
    values = [
        float(t) for t in (thresholds if isinstance(thresholds, (list, tuple)) else [thresholds])
    ]
    if any(not 0.0 <= t <= 1.0 for t in values):
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {values}")
    return values


def _keep_top_k(x, k):
    """Keeps the `k` largest values of each row of `x`, sets the others to `NEG_INF`."""
    _, indices = ops.top_k(x, k, sorted=False)
    kept = ops.sum(ops.one_hot(indices, ops.shape(x)[-1], dtype=ops.dtype(x)), axis=-2)
    return x * kept + NEG_INF * (1.0 - kept)


def confusion_counts(
    y_true,
    y_pred,
    thresholds,
    dtype,
    sample_weight=None,
    top_k=None,
    class_id=None,
    multi_label=False,
    label_weights=None,
):
    """Weighted confusion counts at each threshold.

    Args:
        y_true: Labels (non-zero is positive).
        y_pred: Scores, compared with `>` to each threshold.
        thresholds: List of floats.
        dtype: Dtype of the counts.
        sample_weight: Optional weights broadcast to `y_pred`.
        top_k: Only the `top_k` largest scores of each row may be positive.
        class_id: Only this class (last axis index) is counted.
        multi_label: Count each label (last axis) separately.
        label_weights: Optional per-label weights (used when not `multi_label`).

    Returns:
        Dict with `"tp"`, `"fp"`, `"tn"`, `"fn"`, each of shape `(len(thresholds),)`, or
        `(len(thresholds), num_labels)` when `multi_label`.
    """
    y_pred = ops.cast(y_pred, dtype)
    y_true = ops.cast(y_true, dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    weights = ops.ones_like(y_pred)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        # Per-sample weights of lower rank get trailing axes: (batch,) weighs every class.
        y_pred, sample_weight = align_sample_weight(y_pred, sample_weight)
        weights = weights * sample_weight
    if label_weights is not None and not multi_label:
        weights = weights * ops.convert_to_tensor(label_weights, dtype=dtype)
    if top_k is not None:
        y_pred = _keep_top_k(y_pred, top_k)
    if class_id is not None:
        y_true, y_pred, weights = (t[..., class_id] for t in (y_true, y_pred, weights))
    thresholds = ops.convert_to_tensor(thresholds, dtype=dtype)
    if multi_label:
        labels = ops.shape(y_pred)[-1]
        y_true, y_pred, weights = (
            ops.reshape(t, (-1, 1, labels)) for t in (y_true, y_pred, weights)
        )
        thresholds = ops.reshape(thresholds, (1, -1, 1))
    else:
        y_true, y_pred, weights = (ops.reshape(t, (-1, 1)) for t in (y_true, y_pred, weights))
        thresholds = ops.reshape(thresholds, (1, -1))
    predicted = ops.cast(ops.greater(y_pred, thresholds), dtype)
    positive = ops.cast(ops.not_equal(y_true, 0), dtype)
    return {
        "tp": ops.sum(weights * predicted * positive, axis=0),
        "fp": ops.sum(weights * predicted * (1.0 - positive), axis=0),
        "tn": ops.sum(weights * (1.0 - predicted) * (1.0 - positive), axis=0),
        "fn": ops.sum(weights * (1.0 - predicted) * positive, axis=0),
    }


class _ConfusionCount(Metric):
    """Accumulates one confusion count (`_COUNT`) at each threshold."""

    _COUNT = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, 0.5)
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="accumulator"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, self.dtype, sample_weight)
        self.accumulator.assign_add(counts[self._COUNT])

    def result(self):
        value = self.accumulator.value
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionCount):
    """Weighted count of true positives (`y_pred > threshold` and `y_true` positive).

    Args:
        thresholds: A float or list of floats in `[0, 1]`; predictions above a threshold count as
            positive. `None` (default) means `0.5`; a list gives one count per threshold.
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    _COUNT = "tp"


class FalsePositives(_ConfusionCount):
    """Weighted count of false positives.

    Args:
        thresholds: A float or list of floats in `[0, 1]`; predictions above a threshold count as
            positive. `None` (default) means `0.5`; a list gives one count per threshold.
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    _COUNT = "fp"


class TrueNegatives(_ConfusionCount):
    """Weighted count of true negatives.

    Args:
        thresholds: A float or list of floats in `[0, 1]`; predictions above a threshold count as
            positive. `None` (default) means `0.5`; a list gives one count per threshold.
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    _COUNT = "tn"


class FalseNegatives(_ConfusionCount):
    """Weighted count of false negatives.

    Args:
        thresholds: A float or list of floats in `[0, 1]`; predictions above a threshold count as
            positive. `None` (default) means `0.5`; a list gives one count per threshold.
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    _COUNT = "fn"


class _PrecisionRecall(Metric):
    """Accumulates true positives and the counts `_OTHER` ("fp" or "fn") at thresholds."""

    _OTHER = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        other_name = "false_positives" if self._OTHER == "fp" else "false_negatives"
        self._other = self.add_variable(shape, "zeros", name=other_name)
        setattr(self, other_name, self._other)

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            self.dtype,
            sample_weight,
            top_k=self.top_k,
            class_id=self.class_id,
        )
        self.true_positives.assign_add(counts["tp"])
        self._other.assign_add(counts[self._OTHER])

    def result(self):
        tp = self.true_positives.value
        value = ops.divide_no_nan(tp, tp + self._other.value)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {
            **super().get_config(),
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_PrecisionRecall):
    """`true_positives / (true_positives + false_positives)` at each threshold.

    Args:
        thresholds: A float or list of floats in [0, 1] (default 0.5; with `top_k`, none).
        top_k: Only the `top_k` highest predictions of each row count as positive.
        class_id: Only this class is considered.
        name: Name of the metric instance.
        dtype: Dtype of the result.
    """

    _OTHER = "fp"


class Recall(_PrecisionRecall):
    """Recall: `true_positives / (true_positives + false_negatives)` at each threshold.

    Args:
        thresholds: A float or list of floats in `[0, 1]` (default `0.5`; with `top_k`, none).
        top_k: Only the `top_k` highest predictions of each row count as positive (default `None`:
            all).
        class_id: Only this class (last-axis index) is considered (default `None`: all).
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    _OTHER = "fn"


def _auc_thresholds(num_thresholds):
    inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - backend.epsilon()] + inner + [1.0 + backend.epsilon()]


class AUC(Metric):
    """Area under the ROC or precision-recall curve, from confusion counts at thresholds.

    Args:
        num_thresholds: Number of thresholds (> 1) evenly spread over [0, 1] (default 200).
        curve: `"ROC"` or `"PR"`.
        summation_method: `"interpolation"` (trapezoids; for PR, the interpolation of
            Davis & Goadrich 2006), `"minoring"` or `"majoring"` (left/right Riemann sums).
        name: Name of the metric instance.
        dtype: Dtype of the result.
        thresholds: Explicit thresholds in [0, 1] instead of `num_thresholds`.
        multi_label: Compute one curve per label (last axis) and average the AUCs.
        num_labels: Number of labels, when `multi_label` (else known at the first update).
        label_weights: Per-label weights (of the average when `multi_label`, of the counts
            otherwise).
        from_logits: Whether `y_pred` holds logits (a sigmoid is applied first).
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        super().__init__(name=name, dtype=dtype)
        self.curve = str(curve).upper()
        if self.curve not in ("ROC", "PR"):
            raise ValueError(f'Invalid AUC curve: {curve!r}. Expected "ROC" or "PR".')
        self.summation_method = str(summation_method).lower()
        if self.summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError(
                f"Invalid AUC summation method: {summation_method!r}. Expected "
                '"interpolation", "minoring" or "majoring".'
            )
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(parse_thresholds(thresholds, 0.5))
            self.thresholds = [0.0 - backend.epsilon()] + inner + [1.0 + backend.epsilon()]
            self.num_thresholds = len(self.thresholds)
        else:
            if num_thresholds <= 1:
                raise ValueError(f"`num_thresholds` must be > 1. Received: {num_thresholds}")
            self.num_thresholds = int(num_thresholds)
            self.thresholds = _auc_thresholds(self.num_thresholds)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else [float(w) for w in label_weights]
        self._from_logits = from_logits
        self._built = False
        if not multi_label or num_labels is not None:
            self._build(num_labels)

    def _build(self, num_labels):
        shape = (
            (self.num_thresholds,) if not self.multi_label else (self.num_thresholds, num_labels)
        )
        self.num_labels = num_labels
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self._built:
            self._build(ops.shape(y_pred)[-1])
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        counts = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            self.dtype,
            sample_weight,
            multi_label=self.multi_label,
            label_weights=self.label_weights,
        )
        self.true_positives.assign_add(counts["tp"])
        self.false_positives.assign_add(counts["fp"])
        self.true_negatives.assign_add(counts["tn"])
        self.false_negatives.assign_add(counts["fn"])

    def _average_over_labels(self, by_threshold):
        """Sums the area terms over thresholds, then averages labels when `multi_label`."""
        if not self.multi_label:
            return ops.sum(by_threshold)
        by_label = ops.sum(by_threshold, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        weights = ops.convert_to_tensor(self.label_weights, dtype=self.dtype)
        return ops.divide_no_nan(ops.sum(by_label * weights), ops.sum(weights))

    def _interpolated_pr_terms(self):
        """Area terms of the PR curve interpolated between thresholds (Davis & Goadrich):
        precision varies with the number of predicted positives `p` as `tp = a*p + b`."""
        tp = self.true_positives.value
        p = tp + self.false_positives.value
        dtp = tp[:-1] - tp[1:]
        dp = p[:-1] - p[1:]
        slope = ops.divide_no_nan(dtp, ops.maximum(dp, 0.0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = ops.logical_and(p[:-1] > 0, p[1:] > 0)
        p_ratio = ops.where(
            both_positive, ops.divide_no_nan(p[:-1], ops.maximum(p[1:], 0.0)), ops.ones_like(p[1:])
        )
        positives = ops.maximum(tp[1:] + self.false_negatives.value[1:], 0.0)
        return ops.divide_no_nan(slope * (dtp + intercept * ops.log(p_ratio)), positives)

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average_over_labels(self._interpolated_pr_terms())
        tp, fp = self.true_positives.value, self.false_positives.value
        recall = ops.divide_no_nan(tp, tp + self.false_negatives.value)
        if self.curve == "ROC":
            x = ops.divide_no_nan(fp, fp + self.true_negatives.value)
            y = recall
        else:
            x = recall
            y = ops.divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        return self._average_over_labels((x[:-1] - x[1:]) * heights)

    def get_config(self):
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
