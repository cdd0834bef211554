"""Metrics that reduce values: `Sum`, `Mean` and `MeanMetricWrapper` (the mean of a
per-sample function such as an accuracy or a loss)."""

from unikeras import ops
from unikeras.losses.loss import (
    apply_mask,
    config_with_fn,
    get_keras_mask,
    squeeze_or_expand_to_same_rank,
)
from unikeras.metrics.metric import Metric
from unikeras.saving import serialization


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights `values` and reduces them to one value per sample (axis 0).

    Returns `(values, sample_weight)`: the weighted per-sample values, and the sample
    weights reduced alike (`None` when none were given).
    """
    mask = get_keras_mask(values)
    values = ops.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        sample_weight = apply_mask(sample_weight, mask, dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_rank, values_rank = len(sample_weight.shape), len(values.shape)
        if values_rank > weight_rank:
            values = reduce_fn(values, axis=tuple(range(weight_rank, values_rank)))
        sample_weight = ops.broadcast_to(sample_weight, ops.shape(values))
        values = values * sample_weight
        if weight_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_rank)))
    if len(values.shape) > 1:
        values = reduce_fn(values, axis=tuple(range(1, len(values.shape))))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the given values.

    Args:
        name: Name of the metric instance (default `"sum"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum, self.dtype)
        self.total.assign_add(ops.sum(values))

    def result(self):
        return ops.cast(self.total.value, self.dtype)


class Mean(Metric):
    """The (weighted) mean of the given values: `total / count`.

    Args:
        name: Name of the metric instance (default `"mean"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.

    Examples:
        >>> m = keras.metrics.Mean()
        >>> m.update_state(np.array([1.0, 3.0, 5.0]))
        >>> float(m.result())
        3.0
        >>> m.update_state(np.array([7.0]), sample_weight=np.array([3.0]))
        >>> float(m.result())  # (1 + 3 + 5 + 3 * 7) / (3 + 3)
        5.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def update_state(self, values, sample_weight=None):
        if (
            isinstance(sample_weight, (int, float))
            and not isinstance(sample_weight, bool)
            and tuple(getattr(values, "shape", ())) == ()
            and get_keras_mask(values) is None
        ):
            # A scalar weighted by a number (the trainers' loss tracker, every step).
            self.total.assign_add(ops.multiply(ops.cast(values, self.dtype), sample_weight))
            self.count.assign_add(ops.cast(sample_weight, self.dtype))
            return
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, ops.mean, self.dtype
        )
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            count = ops.sum(sample_weight)
        else:
            count = ops.shape(values)[0] if len(values.shape) else 1
        self.count.assign_add(ops.cast(count, self.dtype))

    def result(self):
        return ops.divide_no_nan(self.total.value, self.count.value)


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over all samples seen.

    The mask of `y_pred` (`_keras_mask`), when present, weights the values.

    Args:
        fn: Per-sample function `fn(y_true, y_pred, **kwargs)`.
        name: Name of the metric instance.
        dtype: Dtype of the result.
        **kwargs: Keyword arguments passed to `fn`.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, self.dtype, reduction="sum")
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = Metric.get_config(self)
        if type(self) is MeanMetricWrapper:
            config["fn"] = serialization.serialize_keras_object(self._fn)
        config.update(serialization.serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config_with_fn(config))
