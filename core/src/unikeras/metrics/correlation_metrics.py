"""Correlation metrics: Pearson and concordance correlation coefficients (functions and
their `MeanMetricWrapper` classes)."""

from unikeras import backend, ops
from unikeras.losses.loss import squeeze_or_expand_to_same_rank
from unikeras.metrics.reduction_metrics import MeanMetricWrapper


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson correlation coefficient between labels and predictions along `axis`.

    Both are centred and divided by their standard deviation along `axis`; the result is
    the mean of their product.

    Args:
        y_true: Targets.
        y_pred: Predictions.
        axis: Axis (or axes) along which the coefficient is computed (default -1).

    Returns:
        The coefficients, with `axis` reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    true_centred = y_true - ops.mean(y_true, axis=axis, keepdims=True)
    pred_centred = y_pred - ops.mean(y_pred, axis=axis, keepdims=True)
    true_centred = true_centred / ops.std(true_centred, axis=axis, keepdims=True)
    pred_centred = pred_centred / ops.std(pred_centred, axis=axis, keepdims=True)
    return ops.mean(true_centred * pred_centred, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Concordance correlation coefficient between labels and predictions along `axis`.

    `mean(2 * (y_true - mean(y_pred)) * (y_pred - mean(y_pred)) / (var(y_true) +
    var(y_pred) + (mean(y_true) - mean(y_pred)) ** 2 + epsilon))`, as Keras 3 computes it
    (note: Keras centres `y_true` on the mean of `y_pred` in the numerator).

    Args:
        y_true: Targets.
        y_pred: Predictions.
        axis: Axis (or axes) along which the coefficient is computed (default -1).

    Returns:
        The coefficients, with `axis` reduced.
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    true_var = ops.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = ops.var(y_pred - pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + ops.square(true_mean - pred_mean)
    return ops.mean(2 * covariance / (norm + backend.epsilon()), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Mean Pearson correlation coefficient (see `pearson_correlation`); higher is better.

    Args:
        name: Name of the metric instance.
        dtype: Dtype of the result.
        axis: Axis (or axes) along which the coefficient is computed (default -1).
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype_policy.name, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """Mean concordance correlation coefficient (see `concordance_correlation`); higher is
    better.

    Args:
        name: Name of the metric instance.
        dtype: Dtype of the result.
        axis: Axis (or axes) along which the coefficient is computed (default -1).
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype_policy.name, "axis": self.axis}
