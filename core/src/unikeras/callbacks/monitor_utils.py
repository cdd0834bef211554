"""Shared pieces of the callbacks that watch a metric or change the learning rate."""

import warnings

import numpy as np

from unikeras.backend.registry import table

_MAXIMIZED = ("acc", "auc", "precision", "recall", "fmeasure", "f1", "iou")


def monitor_direction(callback_name, monitor, mode, model=None):
    """Returns `"min"` or `"max"`: `mode` unless it is `"auto"`, then inferred.

    `"auto"` uses the `_direction` of the model's metric named `monitor` (without `val_`)
    when it declares one, else maximizes accuracy-like names and minimizes the rest.
    """
    if mode not in ("auto", "min", "max"):
        warnings.warn(
            f"{callback_name} mode {mode!r} is unknown, fallback to auto mode.", stacklevel=3
        )
        mode = "auto"
    if mode != "auto":
        return mode
    name = monitor[4:] if monitor.startswith("val_") else monitor
    for metric in getattr(model, "metrics", None) or []:
        direction = getattr(metric, "_direction", None)
        if getattr(metric, "name", None) == name and direction in ("up", "down"):
            return "max" if direction == "up" else "min"
    if name.endswith("loss"):
        return "min"
    return "max" if any(key in name for key in _MAXIMIZED) else "min"


def is_better(mode, value, reference, min_delta=0.0):
    """Whether `value` improves on `reference` by more than `min_delta` in direction `mode`."""
    if reference is None:
        return True
    if mode == "max":
        return value - min_delta > reference
    return value + min_delta < reference


def to_float(value):
    """A Python float from a Python number, NumPy value, tensor or Variable."""
    if isinstance(value, (int, float)):
        return float(value)
    return float(np.asarray(table.convert_to_numpy(value)))


def get_learning_rate(model, callback_name):
    """Returns `model.optimizer.learning_rate` as a float."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"{callback_name}: the optimizer must have a `learning_rate` "
            "attribute; compile the model with an optimizer first."
        )
    value = optimizer.learning_rate
    if callable(value) and not hasattr(value, "numpy"):
        raise TypeError(
            f"{callback_name} cannot change a learning rate given by a schedule "
            f"({type(value).__name__}); use a float learning rate."
        )
    return to_float(value)


def set_learning_rate(model, value):
    """Sets `model.optimizer.learning_rate` to the float `value`."""
    model.optimizer.learning_rate = float(value)
