"""`keras.losses`: loss classes, loss functions and their string names."""

from unikeras.losses.loss import Loss
from unikeras.losses.loss import LossFunctionWrapper  # noqa: F401 (configs name it)
from unikeras.losses.loss import deserialize_named as _deserialize_named
from unikeras.losses.loss import get_named as _get_named
from unikeras.losses.losses import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    cosine_similarity,
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
from unikeras.losses.extra_losses import (
    CTC,
    CategoricalGeneralizedCrossEntropy,
    Circle,
    Dice,
    Tversky,
    categorical_generalized_cross_entropy,
    circle,
    ctc,
    dice,
    tversky,
)
from unikeras.saving import serialization

_CLASSES = (
    Loss,
    LossFunctionWrapper,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    CTC,
    Dice,
    Tversky,
    Circle,
    CategoricalGeneralizedCrossEntropy,
)
_FUNCTIONS = (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    cosine_similarity,
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
    ctc,
    dice,
    tversky,
    circle,
    categorical_generalized_cross_entropy,
)
_BY_NAME = {obj.__name__: obj for obj in _CLASSES + _FUNCTIONS}
_BY_NAME.update(
    bce=binary_crossentropy,
    BCE=binary_crossentropy,
    kld=kl_divergence,
    KLD=kl_divergence,
    mae=mean_absolute_error,
    MAE=mean_absolute_error,
    mse=mean_squared_error,
    MSE=mean_squared_error,
    mape=mean_absolute_percentage_error,
    MAPE=mean_absolute_percentage_error,
    msle=mean_squared_logarithmic_error,
    MSLE=mean_squared_logarithmic_error,
)


def serialize(loss):
    """Returns the config of a loss object or function.

    Args:
        loss: A loss object or function.

    Returns:
        A config dict.
    """
    return serialization.serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """Rebuilds a loss from `serialize` output (a config dict) or a name.

    Args:
        name: A loss name or config dict.
        custom_objects: Optional dict of custom names to classes or functions.

    Returns:
        The loss class instance or function.
    """
    return _deserialize_named(name, _BY_NAME, custom_objects, "losses")


def get(identifier):
    """Returns a loss from a name (`"mse"`, `"categorical_crossentropy"`, `"Huber"`, ...),
    a config dict, a `Loss`, or a callable. A class found by name is instantiated.

    Args:
        identifier: A loss name, config dict, `Loss` instance, callable, or `None`.

    Returns:
        A loss instance or function; `None` for `None`.

    Raises:
        ValueError: For an identifier that names no loss.
    """
    return _get_named(identifier, _BY_NAME, "losses")
