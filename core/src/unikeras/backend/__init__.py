"""`keras.backend`: the active backend, dtypes, and the plugin system behind them."""

from unikeras.backend.config import (  # noqa: F401
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from unikeras.backend.global_state import clear_session, get_uid  # noqa: F401
from unikeras.backend.dtypes import is_float_dtype, is_int_dtype, result_type, standardize_dtype  # noqa: F401
from unikeras.backend.hookspec import hookimpl  # noqa: F401
from unikeras.backend.keras_tensor import KerasTensor, is_keras_tensor  # noqa: F401
from unikeras.backend.registry import (  # noqa: F401
    BackendError,
    PluginValidationError,
    backend,
    implemented_ops,
    installed_backends,
    register_plugin,
    selection_reason,
    table,
    unregister_plugin,
)


def convert_to_tensor(x, dtype=None, sparse=None):
    """Converts `x` to a tensor of the active backend (see the `convert_to_tensor` hook).

    Args:
        x: A tensor, NumPy array, Python scalar or nested list.
        dtype: Optional dtype of the result (default `None`: inferred from `x`).
        sparse: Whether to keep a sparse input sparse, where the backend supports it (default
            `None`).

    Returns:
        A tensor of the active backend.
    """
    return table.convert_to_tensor(x, dtype, sparse)


def convert_to_numpy(x):
    """Converts a tensor of the active backend to a NumPy array.

    Args:
        x: A tensor (or array-like).

    Returns:
        A NumPy array with the same values, shape and dtype.
    """
    return table.convert_to_numpy(x)


def is_tensor(x):
    """Returns whether `x` is a tensor of the active backend.

    Args:
        x: Any object.

    Returns:
        A bool.
    """
    return table.is_tensor(x)
