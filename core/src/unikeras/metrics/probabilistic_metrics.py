"""Metrics that average a probabilistic or hinge loss over the samples seen."""

from unikeras import losses, ops
from unikeras.losses.loss import apply_mask, get_keras_mask
from unikeras.losses.losses import _sparse_crossentropy
from unikeras.metrics.reduction_metrics import Mean, MeanMetricWrapper


class BinaryCrossentropy(MeanMetricWrapper):
    """Mean binary crossentropy (see `keras.losses.binary_crossentropy`).

    Args:
        name: Name of the metric instance (default `"binary_crossentropy"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + 0.5 * s`.
    """

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            losses.binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean categorical crossentropy (see `keras.losses.categorical_crossentropy`).

    Args:
        name: Name of the metric instance (default `"categorical_crossentropy"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
        from_logits: Whether `y_pred` holds logits rather than probabilities (default `False`).
        label_smoothing: Float in `[0, 1]` (default `0`); labels become `y * (1 - s) + s /
            num_classes`.
        axis: The class axis (default `-1`).
    """

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            losses.categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean sparse categorical crossentropy (see
    `keras.losses.sparse_categorical_crossentropy`).

    Args:
        name: Name of the metric instance.
        dtype: Dtype of the result.
        from_logits: Whether `y_pred` holds logits.
        ignore_class: Optional label whose entries have loss 0; when sample weights are
            given (or `y_pred` carries a mask) they are also left out of the count, as in
            Keras 3.
        axis: The class axis.
    """

    def __init__(
        self,
        name="sparse_categorical_crossentropy",
        dtype=None,
        from_logits=False,
        ignore_class=None,
        axis=-1,
    ):
        super().__init__(
            losses.sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        kwargs = self._fn_kwargs
        if kwargs.get("ignore_class") is None:
            return super().update_state(y_true, y_pred, sample_weight=sample_weight)
        # The mask of ignored entries goes with the values explicitly (engine arrays such
        # as NumPy's cannot carry a `_keras_mask`).
        sample_weight = apply_mask(
            sample_weight, get_keras_mask(y_pred), self.dtype, reduction="sum"
        )
        values, valid = _sparse_crossentropy(
            y_true, y_pred, kwargs["from_logits"], kwargs["ignore_class"], kwargs["axis"]
        )
        if sample_weight is not None:
            sample_weight = apply_mask(
                ops.convert_to_tensor(sample_weight, dtype=self.dtype),
                valid,
                self.dtype,
                reduction="sum",
            )
        return Mean.update_state(self, values, sample_weight=sample_weight)


class KLDivergence(MeanMetricWrapper):
    """Mean Kullback-Leibler divergence.

    Args:
        name: Name of the metric instance (default `"kl_divergence"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(losses.kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """Mean Poisson loss.

    Args:
        name: Name of the metric instance (default `"poisson"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(losses.poisson, name=name, dtype=dtype)


class Hinge(MeanMetricWrapper):
    """Mean hinge loss.

    Args:
        name: Name of the metric instance (default `"hinge"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(losses.hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """Mean squared hinge loss.

    Args:
        name: Name of the metric instance (default `"squared_hinge"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(losses.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """Mean categorical hinge loss.

    Args:
        name: Name of the metric instance (default `"categorical_hinge"`).
        dtype: Dtype of the metric's result and variables; `None` (default) uses
            `keras.config.floatx()`.
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(losses.categorical_hinge, name=name, dtype=dtype)
