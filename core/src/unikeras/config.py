"""`keras.config`: global settings and backend selection."""

import os
import sys

from unikeras.backend.config import (  # noqa: F401
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from unikeras.backend import global_state as _state
from unikeras.backend.registry import backend  # noqa: F401

_SAFE_MODE = [True]


def enable_flash_attention():
    """Enable flash attention.

    Once enabled (the default), supported layers like `MultiHeadAttention` **attempt** to use
    flash attention; it is used only where the engine has a kernel for the inputs (typically
    `float16`/`bfloat16` on an accelerator).
    """
    _state.set_setting("flash_attention", None)


def disable_flash_attention():
    """Disable flash attention: supported layers like `MultiHeadAttention` won't use it."""
    _state.set_setting("flash_attention", False)


def is_flash_attention_enabled():
    """Checks whether flash attention is globally enabled.

    Returns:
        `False` if disabled; otherwise (`None`, the default) it indicates that it is enabled,
        layers using it where the engine can.
    """
    return _state.get_setting("flash_attention")


def enable_interactive_logging():
    """Turn on interactive logging: logs (progress bars, summaries) are written to stdout."""
    _state.set_setting("interactive_logging", True)


def disable_interactive_logging():
    """Turn off interactive logging: logs are sent to `absl.logging` (or the standard
    `logging` module's `"unikeras"` logger when absl is not installed), line by line.
    Best when running a job on a server."""
    _state.set_setting("interactive_logging", False)


def is_interactive_logging_enabled():
    """Check if interactive logging is enabled.

    Returns:
        Boolean, `True` if interactive logging is enabled (the default), `False` otherwise.
    """
    return _state.get_setting("interactive_logging")


def enable_traceback_filtering():
    """Turn on traceback filtering (the default): internal frames of unikeras and its
    backend plugins are left out of the tracebacks of errors raised in `fit`, `evaluate`,
    `predict` and the `*_on_batch` methods."""
    _state.set_setting("traceback_filtering", True)


def disable_traceback_filtering():
    """Turn off traceback filtering: errors keep their full tracebacks."""
    _state.set_setting("traceback_filtering", False)


def is_traceback_filtering_enabled():
    """Check if traceback filtering is enabled.

    Returns:
        Boolean, `True` if traceback filtering is enabled, and `False` otherwise.
    """
    return _state.get_setting("traceback_filtering")


def dtype_policy():
    """Returns the current default dtype policy object (`DTypePolicy(floatx())` unless set
    with `set_dtype_policy`).

    Returns:
        A `keras.DTypePolicy`.
    """
    from unikeras import dtype_policies

    return dtype_policies._global_policy()


def set_dtype_policy(policy):
    """Sets the default dtype policy globally.

    Examples:
        >>> keras.config.set_dtype_policy("mixed_float16")
        >>> keras.layers.Dense(2).compute_dtype
        'float16'
        >>> keras.config.set_dtype_policy("float32")  # back to the default

    Args:
        policy: A `DTypePolicy` or a policy name such as `"mixed_float16"`.
    """
    from unikeras import dtype_policies

    if not isinstance(policy, (dtype_policies.DTypePolicy, str)):
        raise ValueError(
            "Invalid `policy` argument. Expected the string name of a policy (such as "
            f"'mixed_float16') or a `DTypePolicy` instance. Received: policy={policy!r} "
            f"(of type {type(policy)})"
        )
    dtype_policies._set_global_policy(policy)


def set_max_epochs(max_epochs):
    """Limit the maximum number of epochs for any call to fit.

    This caps the number of epochs of any training run using `model.fit()`. It is meant for
    debugging, and can also be set with the `KERAS_MAX_EPOCHS` (or `UNIKERAS_MAX_EPOCHS`)
    environment variable to run a script quickly without modifying its source.

    Args:
        max_epochs: The integer limit on the number of epochs or `None`. If `None`, no limit
            is applied.
    """
    _state.LIMITS["max_epochs"] = max_epochs


def max_epochs():
    """Get the maximum number of epochs for any call to fit.

    Returns:
        The integer limit set by `set_max_epochs` or the `KERAS_MAX_EPOCHS` environment
        variable, or `None` if no limit has been set.
    """
    return _state.LIMITS["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Limit the maximum number of steps for any call to fit/evaluate/predict.

    This caps the number of steps of a single epoch of a call to `fit()`, `evaluate()`, or
    `predict()`. It is meant for debugging, and can also be set with the
    `KERAS_MAX_STEPS_PER_EPOCH` (or `UNIKERAS_MAX_STEPS_PER_EPOCH`) environment variable.

    Args:
        max_steps_per_epoch: The integer limit on the number of steps or `None`. If `None`,
            no limit is applied.
    """
    _state.LIMITS["max_steps_per_epoch"] = max_steps_per_epoch


def max_steps_per_epoch():
    """Get the maximum number of steps for any call to fit/evaluate/predict.

    Returns:
        The integer limit set by `set_max_steps_per_epoch` or the `KERAS_MAX_STEPS_PER_EPOCH`
        environment variable, or `None` if no limit has been set.
    """
    return _state.LIMITS["max_steps_per_epoch"]


def is_nnx_enabled():
    """Checks whether NNX specific features are enabled for the JAX backend.

    Returns:
        `False`: unikeras' JAX backend does not build layers as Flax NNX modules.
    """
    return False


def enable_unsafe_deserialization():
    """Allows loading `.keras` files that execute code (e.g. `Lambda` layers)."""
    _SAFE_MODE[0] = False


def in_safe_mode():
    """Returns whether deserialization refuses code from files (the default).

    Returns:
        A bool: `True` unless safe mode was turned off.
    """
    return _SAFE_MODE[0]


def set_backend(backend):  # noqa: F811 (Keras 3's parameter name)
    """Selects another backend and re-imports unikeras so classes compose with it.

    Like Keras 3's `keras.config.set_backend`: objects (layers, models, modules) created
    before the call belong to the old backend; import `unikeras` again afterwards
    (`import unikeras as keras` re-binds it) and rebuild models.

    Args:
        backend: Backend name, e.g. `"jax"`, `"torch"`, `"tensorflow"`, `"openvino"`,
            `"numpy"`.
    """
    from unikeras.backend import registry

    registry.select(backend)  # fails here, leaving everything as it was, if `name` is unusable
    os.environ["UNIKERAS_BACKEND"] = registry.backend()
    plugin_packages = {
        ep.value.split(".")[0].split(":")[0]
        for group in (registry.BACKEND_GROUP, registry.ADDON_GROUP)
        for ep in registry._entry_points(group).values()
    }
    plugin_packages.add("unikeras")
    for module_name in list(sys.modules):
        if module_name.split(".")[0] in plugin_packages:
            del sys.modules[module_name]
    import unikeras  # noqa: F401 - re-imported for the new backend; returns None, as Keras 3
