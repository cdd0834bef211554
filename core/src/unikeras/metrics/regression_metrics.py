"""Regression metrics: means of per-sample errors, root mean squared error and R2."""

from unikeras import losses, ops
from unikeras.losses.loss import squeeze_or_expand_to_same_rank
from unikeras.metrics.metric import Metric
from unikeras.metrics.reduction_metrics import Mean, MeanMetricWrapper


def _cosine_similarity(y_true, y_pred, axis=-1):
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


def _log_cosh(y_true, y_pred):
    return losses.log_cosh(y_true, y_pred)


class MeanSquaredError(MeanMetricWrapper):
    """Mean of `square(y_true - y_pred)`.

    Args:
        name: Name of the metric instance (default `"mean_squared_error"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of `abs(y_true - y_pred)`.

    Args:
        name: Name of the metric instance (default `"mean_absolute_error"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Mean absolute percentage error.

    Args:
        name: Name of the metric instance (default `"mean_absolute_percentage_error"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Mean squared logarithmic error.

    Args:
        name: Name of the metric instance (default `"mean_squared_logarithmic_error"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity between labels and predictions along `axis`.

    Args:
        name: Name of the metric instance (default `"cosine_similarity"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
        axis: The axis along which the similarity is computed (default `-1`).
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(_cosine_similarity, name=name, dtype=dtype, axis=axis)


class LogCoshError(MeanMetricWrapper):
    """Mean of `log(cosh(y_pred - y_true))`.

    Args:
        name: Name of the metric instance (default `"logcosh"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(_log_cosh, name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """`sqrt(mean(square(y_true - y_pred)))` over all samples seen.

    Args:
        name: Name of the metric instance (default `"root_mean_squared_error"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())

    def get_config(self):
        return Metric.get_config(self)


class R2Score(Metric):
    """Coefficient of determination, `1 - SS_res / SS_tot`, per output then aggregated.

    Args:
        class_aggregation: `"uniform_average"` (default), `"variance_weighted_average"`, or
            `None` (one score per output).
        num_regressors: Number of regressors `p`, for the adjusted score
            `1 - (1 - R2) * (n - 1) / (n - p - 1)` (0: not adjusted).
        name: Name of the metric instance.
        dtype: Dtype of the result.
    """

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in (None, "uniform_average", "variance_weighted_average"):
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected one of "
                "(None, 'uniform_average', 'variance_weighted_average'). Received: "
                f"class_aggregation={class_aggregation!r}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", dtype="int32", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with a known output_dim. Received input shapes: "
                f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        shape = (y_true_shape[-1],)
        self.squared_sum = self.add_variable(shape, "zeros", name="squared_sum")
        self.sum = self.add_variable(shape, "zeros", name="sum")
        self.total_mse = self.add_variable(shape, "zeros", name="residual")
        self.count = self.add_variable(shape, "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        weight = ops.convert_to_tensor(
            1.0 if sample_weight is None else sample_weight, dtype=self.dtype
        )
        if len(weight.shape) == 1:
            weight = ops.expand_dims(weight, 1)
        weight = ops.broadcast_to(weight, ops.shape(y_true))
        self.sum.assign_add(ops.sum(y_true * weight, axis=0))
        self.squared_sum.assign_add(ops.sum(y_true * y_true * weight, axis=0))
        self.total_mse.assign_add(ops.sum(ops.square(y_true - y_pred) * weight, axis=0))
        self.count.assign_add(ops.sum(weight, axis=0))
        self.num_samples.assign_add(ops.shape(y_true)[0])

    def result(self):
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        scores = 1.0 - self.total_mse.value / total
        scores = ops.where(ops.isinf(scores), ops.zeros_like(scores), scores)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * scores) / ops.sum(total)
        else:
            score = scores
        if self.num_regressors == 0:
            return score
        return self._adjusted(score)

    def _adjusted(self, score):
        """The adjusted score; the plain one while there are at most `num_regressors + 1`
        samples (the adjustment is undefined there)."""
        n = ops.cast(self.num_samples.value, self.dtype)
        p = float(self.num_regressors)
        enough = n - p - 1.0 > 0
        adjusted = 1.0 - (1.0 - score) * (n - 1.0) / ops.where(enough, n - p - 1.0, 1.0)
        return ops.where(enough, adjusted, score)

    def get_config(self):
        return {
            **super().get_config(),
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
