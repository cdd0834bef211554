"""Operating-point metrics: the best value of one rate subject to a floor on another, read
from confusion counts at `num_thresholds` evenly spread thresholds (SensitivityAtSpecificity,
SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision).

A prediction is positive at threshold `t` when `y_pred > t` (predictions clipped to [0, 1]
first); labels are positive when non-zero.
"""

from unikeras import ops
from unikeras.losses.loss import squeeze_or_expand_to_same_rank
from unikeras.metrics.confusion_metrics import confusion_counts
from unikeras.metrics.metric import Metric


def _check_fraction(name, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


class SensitivitySpecificityBase(Metric):
    """Accumulates true/false positives/negatives at evenly spread thresholds.

    Args:
        value: The floor of the constrained rate, in [0, 1].
        num_thresholds: Number of thresholds (> 0; 1 means the single threshold 0.5).
        class_id: Only this class (last axis index of `y_pred`) is considered.
        name: Name of the metric instance.
        dtype: Dtype of the result.
    """

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the confusion counts of one batch.

        Args:
            y_true: Labels (non-zero is positive).
            y_pred: Scores in [0, 1].
            sample_weight: Optional weights, broadcastable to `y_true`.
        """
        dtype = self.dtype
        y_pred = ops.cast(y_pred, dtype)
        y_true = ops.cast(y_true, dtype)
        y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
        if sample_weight is not None:
            sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
            while len(sample_weight.shape) < len(y_pred.shape):
                sample_weight = ops.expand_dims(sample_weight, -1)
            sample_weight = ops.broadcast_to(sample_weight, ops.shape(y_pred))
        if self.class_id is not None:
            if len(y_pred.shape) < 2:
                raise ValueError(
                    "When class_id is provided, y_pred must be a 2D array with shape "
                    f"(num_samples, num_classes), found shape: {tuple(y_pred.shape)}"
                )
            y_true = y_true[..., self.class_id]
            y_pred = y_pred[..., self.class_id]
            if sample_weight is not None:
                sample_weight = sample_weight[..., self.class_id]
        if self._thresholds_distributed_evenly:
            y_pred = ops.clip(y_pred, 0.0, 1.0)
        counts = confusion_counts(y_true, y_pred, self.thresholds, dtype, sample_weight)
        self.true_positives.assign_add(counts["tp"])
        self.false_positives.assign_add(counts["fp"])
        self.true_negatives.assign_add(counts["tn"])
        self.false_negatives.assign_add(counts["fn"])

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {
            "sensitivity": ops.divide_no_nan(tp, tp + fn),
            "specificity": ops.divide_no_nan(tn, tn + fp),
            "precision": ops.divide_no_nan(tp, tp + fp),
        }

    def _find_max_under_constraint(self, constrained, dependent, predicate):
        """The largest `dependent` value at a threshold where `predicate(constrained,
        value)` holds; 0 when there is none."""
        feasible = predicate(constrained, self.value)
        return ops.max(ops.where(feasible, dependent, ops.zeros_like(dependent)), initial=0)

    def _best(self, constrained, dependent):
        rates = self._rates()
        return self._find_max_under_constraint(
            rates[constrained], rates[dependent], ops.greater_equal
        )

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """Best sensitivity `tp / (tp + fn)` over the thresholds where the specificity
    `tn / (tn + fp)` is at least `specificity`.

    Args:
        specificity: A float in [0, 1].
        num_thresholds: Number of thresholds (default 200).
        class_id: Only this class (last axis index) is considered.
        name: Name of the metric instance.
        dtype: Dtype of the result.
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_fraction("specificity", specificity)
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(
            specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )

    def result(self):
        return self._best("specificity", "sensitivity")

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "specificity": self.specificity,
        }


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """Best specificity over the thresholds where the sensitivity is at least
    `sensitivity` (arguments as `SensitivityAtSpecificity`, with `sensitivity`).

    Args:
        sensitivity: The minimum sensitivity, a float in `[0, 1]`.
        num_thresholds: Number of thresholds evenly spaced in `[0, 1]` (default `200`).
        class_id: Only this class (last-axis index) is considered (default `None`: all).
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_fraction("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(
            sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )

    def result(self):
        return self._best("sensitivity", "specificity")

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "sensitivity": self.sensitivity,
        }


class PrecisionAtRecall(SensitivitySpecificityBase):
    """Best precision `tp / (tp + fp)` over the thresholds where the recall is at least
    `recall` (arguments as `SensitivityAtSpecificity`, with `recall`).

    Args:
        recall: The minimum recall, a float in `[0, 1]`.
        num_thresholds: Number of thresholds evenly spaced in `[0, 1]` (default `200`).
        class_id: Only this class (last-axis index) is considered (default `None`: all).
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_fraction("recall", recall)
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(
            value=recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )

    def result(self):
        return self._best("sensitivity", "precision")

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "recall": self.recall,
        }


class RecallAtPrecision(SensitivitySpecificityBase):
    """Best recall over the thresholds where the precision is at least `precision` (0 when
    no threshold reaches it; arguments as `SensitivityAtSpecificity`, with `precision`).

    Args:
        precision: The minimum precision, a float in `[0, 1]`.
        num_thresholds: Number of thresholds evenly spaced in `[0, 1]` (default `200`).
        class_id: Only this class (last-axis index) is considered (default `None`: all).
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_fraction("precision", precision)
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(
            value=precision,
            num_thresholds=num_thresholds,
            class_id=class_id,
            name=name,
            dtype=dtype,
        )

    def result(self):
        return self._best("precision", "sensitivity")

    def get_config(self):
        return {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "precision": self.precision,
        }
