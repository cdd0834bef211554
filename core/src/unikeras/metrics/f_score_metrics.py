"""F-beta and F1 scores over classes (the last axis of multi-label or one-hot data)."""

from unikeras import backend, ops
from unikeras.metrics.metric import Metric


class FBetaScore(Metric):
    """`(1 + beta**2) * precision * recall / (beta**2 * precision + recall)` per class.

    Args:
        average: `None` (one score per class), `"micro"` (counts pooled over classes),
            `"macro"` (unweighted mean of class scores) or `"weighted"` (mean weighted by
            the class support).
        beta: Weight of recall relative to precision (> 0).
        threshold: Predictions above it are positive; `None`: the row's maximum is.
        name: Name of the metric instance.
        dtype: Dtype of the result.
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: "
                f"{{None, 'micro', 'macro', 'weighted'}}. Received: average={average!r}"
            )
        if not isinstance(beta, float) or beta <= 0.0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be a Python float > 0. "
                f"Received: beta={beta!r} of type {type(beta)}"
            )
        if threshold is not None and (
            not isinstance(threshold, float) or not 0.0 < threshold <= 1.0
        ):
            raise ValueError(
                "Invalid `threshold` argument value. It should be a Python float in the "
                f"range ]0, 1]. Received: threshold={threshold!r}"
            )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, "zeros", name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            row_max = ops.max(y_pred, axis=-1, keepdims=True)
            # An all-zero row has no predicted class.
            predicted = ops.logical_and(y_pred >= row_max, ops.absolute(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = ops.cast(predicted, self.dtype)
        weight = (
            None
            if sample_weight is None
            else ops.expand_dims(ops.convert_to_tensor(sample_weight, dtype=self.dtype), 1)
        )

        def weighted_sum(values):
            if weight is not None:
                values = values * weight
            return ops.sum(values, axis=self.axis)

        self.true_positives.assign_add(weighted_sum(predicted * y_true))
        self.false_positives.assign_add(weighted_sum(predicted * (1.0 - y_true)))
        self.false_negatives.assign_add(weighted_sum((1.0 - predicted) * y_true))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self):
        eps = backend.epsilon()
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + eps)
        recall = tp / (tp + self.false_negatives.value + eps)
        beta2 = self.beta**2
        scores = (1.0 + beta2) * precision * recall / (beta2 * precision + recall + eps)
        if self.average == "weighted":
            support = self.intermediate_weights.value
            return ops.sum(scores * support / (ops.sum(support) + eps))
        if self.average is not None:
            return ops.mean(scores)
        return scores

    def get_config(self):
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """F-1 score: the harmonic mean of precision and recall, `2 * p * r / (p + r)`.

    Args:
        average: `None` (default: one score per class), `"micro"` (counts pooled over classes),
            `"macro"` (unweighted mean of the class scores) or `"weighted"` (mean weighted by the
            class support).
        threshold: Predictions above it are positive; `None` (default): the row's maximum is.
        name: Name of the metric instance (default `"f1_score"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
