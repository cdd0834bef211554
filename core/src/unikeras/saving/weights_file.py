"""Interim weights files used by `ModelCheckpoint` and `BackupAndRestore`.

A NumPy `.npz` archive of `model.get_weights()` (plus the optimizer's variables when
asked), written atomically: to a temporary file in the same folder, flushed to disk, then
renamed over the target, so a process killed mid-write leaves the previous file intact.
The saving issue replaces these functions with `.weights.h5` / `.keras` files.
"""

import json
import os
import tempfile

import numpy as np

from unikeras.backend.registry import table

_OPTIMIZER_PREFIX = "optimizer_"
_METADATA = "metadata"


def _optimizer_variables(model):
    optimizer = getattr(model, "optimizer", None)
    return list(getattr(optimizer, "variables", None) or [])


def atomic_write(filepath, write):
    """Calls `write(file_object)` on a temporary file, then renames it to `filepath`."""
    folder = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=os.path.basename(filepath))
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def save_weights(model, filepath, include_optimizer=False, metadata=None):
    """Writes the model's weights to `filepath`.

    Args:
        model: The model (`get_weights()` is saved).
        filepath: Target path (written atomically).
        include_optimizer: Also saves `model.optimizer.variables`.
        metadata: Optional JSON-serializable dict stored with the weights.
    """
    arrays = {f"w{i}": w for i, w in enumerate(model.get_weights())}
    if metadata is not None:
        arrays[_METADATA] = np.array(json.dumps(metadata))
    if include_optimizer:
        arrays.update({f"{_OPTIMIZER_PREFIX}{i}": table.convert_to_numpy(v)
                       for i, v in enumerate(_optimizer_variables(model))})
    atomic_write(filepath, lambda f: np.savez(f, **arrays))


def read_metadata(filepath):
    """Returns the `metadata` dict stored by `save_weights` (`{}` when none)."""
    with np.load(filepath, allow_pickle=False) as data:
        return json.loads(str(data[_METADATA])) if _METADATA in data.files else {}


def load_weights(model, filepath, include_optimizer=False):
    """Restores what `save_weights` wrote; optimizer variables only when their count matches
    (building the optimizer first if it has not created them yet)."""
    with np.load(filepath, allow_pickle=False) as data:
        weights = [data[f"w{i}"] for i in range(sum(k.startswith("w") for k in data.files))]
        optimizer_values = [data[f"{_OPTIMIZER_PREFIX}{i}"] for i in range(
            sum(k.startswith(_OPTIMIZER_PREFIX) for k in data.files))]
    model.set_weights(weights)
    if include_optimizer and optimizer_values:
        optimizer = model.optimizer
        if not getattr(optimizer, "built", True) and hasattr(optimizer, "build"):
            optimizer.build(model.trainable_variables)
        variables = _optimizer_variables(model)
        if len(variables) == len(optimizer_values):
            for variable, value in zip(variables, optimizer_values):
                variable.assign(value)
