"""`keras.metrics`: metric classes, per-sample metric functions and their string names.

`get` resolves names like Keras 3 (`"mse"`, `"mae"`, `"AUC"`, `"categorical_accuracy"`,
...). `"accuracy"`/`"acc"` and `"crossentropy"`/`"ce"` depend on the data and are resolved by
`_get_metric` (from `y_true` and `y_pred`) or `_get_metric_for_loss` (used by `compile`).
"""

from unikeras.losses import (  # noqa: F401 (per-sample functions exported by keras.metrics)
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from unikeras.losses.loss import deserialize_named as _deserialize_named
from unikeras.losses.loss import get_named as _get_named
from unikeras.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from unikeras.metrics.confusion_metrics import (
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from unikeras.metrics.correlation_metrics import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from unikeras.metrics.f_score_metrics import F1Score, FBetaScore
from unikeras.metrics.iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from unikeras.metrics.metric import Metric
from unikeras.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    Hinge,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from unikeras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from unikeras.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
)
from unikeras.metrics.sensitivity_metrics import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from unikeras.metrics.accuracy_metrics import accuracy as _accuracy
from unikeras.ops.operation import to_snake_case as _to_snake_case
from unikeras.saving import serialization

_CLASSES = (
    Metric,
    Mean,
    Sum,
    MeanMetricWrapper,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    AUC,
    Precision,
    Recall,
    TruePositives,
    FalsePositives,
    TrueNegatives,
    FalseNegatives,
    F1Score,
    FBetaScore,
    IoU,
    MeanIoU,
    BinaryIoU,
    OneHotIoU,
    OneHotMeanIoU,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    KLDivergence,
    Poisson,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
    PearsonCorrelation,
    ConcordanceCorrelation,
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
_FUNCTIONS = (
    _accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
    categorical_hinge,
    hinge,
    squared_hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    pearson_correlation,
    concordance_correlation,
)
_BY_NAME = {cls.__name__: cls for cls in _CLASSES}
_BY_NAME.update({_to_snake_case(cls.__name__): cls for cls in _CLASSES})
_BY_NAME.update({fn.__name__: fn for fn in _FUNCTIONS if fn.__name__ not in _BY_NAME})
_BY_NAME.update(
    bce=BinaryCrossentropy,
    BCE=BinaryCrossentropy,
    mse=MeanSquaredError,
    MSE=MeanSquaredError,
    mae=MeanAbsoluteError,
    MAE=MeanAbsoluteError,
    mape=MeanAbsolutePercentageError,
    MAPE=MeanAbsolutePercentageError,
    msle=MeanSquaredLogarithmicError,
    MSLE=MeanSquaredLogarithmicError,
)
_DATA_DEPENDENT = ("accuracy", "acc", "crossentropy", "ce")


def serialize(metric):
    """Returns the config of a metric object or function.

    Args:
        metric: A metric object or function.

    Returns:
        A config dict (its `"class_name"` and `"config"` rebuild the metric).
    """
    return serialization.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Rebuilds a metric from `serialize` output or a name.

    Args:
        config: A metric name or a config dict from `serialize`.
        custom_objects: Optional dict mapping names to custom classes or functions.

    Returns:
        The metric object or function.
    """
    return _deserialize_named(config, _BY_NAME, custom_objects, "metrics")


def get(identifier):
    """Returns a metric from a name (`"mse"`, `"AUC"`, `"binary_accuracy"`, ...), a config
    dict, a `Metric`, or a function. A class found by name is instantiated; a function is
    returned as is (the trainer wraps it in `MeanMetricWrapper`).

    Args:
        identifier: A name, a config dict, a `Metric` instance, a function, or `None`.

    Returns:
        A metric instance or function; `None` for `None`.

    Raises:
        ValueError: For an identifier that names no metric.
    """
    return _get_named(identifier, _BY_NAME, "metrics")


def _data_dependent_function(kind, binary, sparse):
    if kind in ("accuracy", "acc"):
        if binary:
            return binary_accuracy
        return sparse_categorical_accuracy if sparse else categorical_accuracy
    if binary:
        return binary_crossentropy
    return sparse_categorical_crossentropy if sparse else categorical_crossentropy


def _from_shapes(kind, y_true_shape, y_pred_shape):
    """Keras 3's rule: binary when `y_pred` has one unit in its last axis; sparse when
    `y_true` has lower rank than `y_pred`, or a last axis of 1 against several units."""
    binary = y_pred_shape[-1] == 1
    sparse = len(y_true_shape) < len(y_pred_shape) or (
        y_true_shape[-1] == 1 and y_pred_shape[-1] != 1
    )
    return _data_dependent_function(kind, binary, sparse)


def _from_loss(kind, loss):
    if isinstance(loss, str):
        name = loss
    else:
        name = getattr(loss, "__name__", None) or _to_snake_case(type(loss).__name__)
    if "binary" in name or name in ("bce", "BCE"):
        return _data_dependent_function(kind, True, False)
    if "sparse" in name:
        return _data_dependent_function(kind, False, True)
    return _data_dependent_function(kind, False, False)


def _named_wrapper(metric, name):
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric, name=name)
    return metric


def _get_metric(identifier, y_true, y_pred):
    """Resolves a metric the way `model.compile(metrics=...)` does in Keras 3.

    `"accuracy"`/`"acc"` become binary, sparse categorical or categorical accuracy, and
    `"crossentropy"`/`"ce"` the matching crossentropy, chosen from the shapes of `y_true`
    and `y_pred` (tensors or shape tuples). Functions are wrapped in `MeanMetricWrapper`
    named after `identifier`.

    Args:
        identifier: A metric name (including `"accuracy"`/`"acc"`/`"crossentropy"`/`"ce"`), a config
            dict, a `Metric` or a function.
        y_true: The labels (a tensor or a shape tuple).
        y_pred: The predictions (a tensor or a shape tuple).

    Returns:
        A `Metric` instance.
    """
    if identifier is None:
        return None
    if str(identifier).lower() in _DATA_DEPENDENT:
        metric = _from_shapes(str(identifier).lower(), _shape_of(y_true), _shape_of(y_pred))
    else:
        metric = get(identifier)
    name = identifier if isinstance(identifier, str) else getattr(metric, "__name__", None)
    return _named_wrapper(metric, name)


def _get_metric_for_loss(identifier, loss=None, y_true_shape=None, y_pred_shape=None):
    """Resolves `"accuracy"`/`"acc"`/`"crossentropy"`/`"ce"` for a model compiled with `loss`.

    With both shapes known, Keras 3's shape rule decides (see `_get_metric`); otherwise the
    loss does: binary losses give binary accuracy, sparse ones sparse categorical accuracy,
    others categorical accuracy. Other identifiers resolve as in `_get_metric`.

    Args:
        identifier: A metric name, config dict, `Metric` or function.
        loss: The model's loss (a name, `Loss` or function; default `None`).
        y_true_shape: The labels' shape, if known (default `None`).
        y_pred_shape: The predictions' shape, if known (default `None`).

    Returns:
        A `Metric` instance.
    """
    if str(identifier).lower() not in _DATA_DEPENDENT or (
        y_true_shape is not None and y_pred_shape is not None
    ):
        return _get_metric(identifier, y_true_shape, y_pred_shape)
    metric = _from_loss(str(identifier).lower(), loss)
    return _named_wrapper(metric, identifier)


def _shape_of(x):
    return tuple(x.shape) if hasattr(x, "shape") else tuple(x)
