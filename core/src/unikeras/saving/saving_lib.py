"""The `.keras` format and `.weights.h5` files.

A `.keras` file is a zip archive holding `metadata.json` (unikeras version, backend, date),
`config.json` (the model's config in Keras 3's format, with its `compile_config`) and
`model.weights.h5` (every variable, optimizer state included, see `object_tree`), plus an
`assets/` folder with the files layers write in `save_assets` (e.g. vocabularies). Values are
stored as NumPy arrays, so a file written under one backend loads under any other.

Loading executes nothing from the file: names are resolved only among unikeras built-ins,
registered objects and `custom_objects` (`config_checks`), and the archive is read
defensively (`archive`). Every HDF5 file (weights in a `.keras` archive, `.weights.h5`
files, `BackupAndRestore` backups, legacy `.h5` models) is audited before a value is read
(`h5_audit`, whose docstring lists the accepted HDF5 features and why): hard links,
compact/contiguous/chunked storage in the file, deflate/shuffle/fletcher32/lzf filters and
numeric datasets only, so no dataset can read outside the file (external storage, virtual
datasets, soft/external/user-defined links and references are refused). Writing is atomic
and the file gets the mode the umask gives. Legacy `.h5` model files: `legacy_h5`.
"""

import contextlib
import datetime
import json
import os
import tempfile
import warnings
import zipfile

from unikeras import config as keras_config
from unikeras._version import __version__
from unikeras.backend.registry import backend
from unikeras.saving import config_checks, object_tree, serialization
from unikeras.saving._h5py import h5py
from unikeras.saving.archive import Archive, atomic_write
from unikeras import optimizers

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
ASSETS_DIRNAME = "assets"
_READ_ERRORS = (OSError, KeyError, RuntimeError)


def _metadata():
    return {
        "keras_version": __version__,
        "unikeras_version": __version__,
        "backend": backend(),
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }


# --- compile config ------------------------------------------------------------------------
def compile_config(model):
    """The arguments `model` was compiled with, as JSON-able config (None if not compiled)."""
    if not getattr(model, "compiled", False):
        return None
    compile_loss = getattr(model, "_compile_loss", None)
    compile_metrics = getattr(model, "_compile_metrics", None)
    serialize = serialization.serialize_keras_object
    return {
        "optimizer": serialize(model.optimizer) if model.optimizer is not None else None,
        "loss": serialize(model.loss),
        "loss_weights": serialize(getattr(compile_loss, "_loss_weights", None)),
        "metrics": serialize(getattr(compile_metrics, "_metrics_arg", None)),
        "weighted_metrics": serialize(getattr(compile_metrics, "_weighted_arg", None)),
        "run_eagerly": model.run_eagerly,
        "steps_per_execution": model.steps_per_execution,
        "jit_compile": model._jit_compile,
    }


def _deserialize_values(value, custom_objects, safe_mode):
    """Rebuilds serialized objects inside `value`; names (strings) stay names."""
    if isinstance(value, dict) and "class_name" in value:
        return serialization._deserialize_object(value, custom_objects, safe_mode)
    if isinstance(value, list):
        return [_deserialize_values(v, custom_objects, safe_mode) for v in value]
    if isinstance(value, dict):
        return {k: _deserialize_values(v, custom_objects, safe_mode) for k, v in value.items()}
    return value


def compile_from_config(model, config, custom_objects=None, safe_mode=True):
    """Compiles `model` with the arguments stored by `compile_config`."""
    config = dict(config)
    optimizer = config.pop("optimizer", None)
    if isinstance(optimizer, dict):
        optimizer = optimizers.deserialize(optimizer, custom_objects=custom_objects)
    kwargs = {k: _deserialize_values(v, custom_objects, safe_mode) for k, v in config.items()}
    model.compile(optimizer=optimizer, **kwargs)


# --- saving --------------------------------------------------------------------------------
def _write_h5(path, model, metadata=None, assets_dir=None, objects_to_skip=None):
    from unikeras.saving.h5_store import H5Writer

    with h5py.File(path, "w") as f:
        writer = H5Writer(f)
        object_tree.save_state(
            model, writer, assets_dir=assets_dir, objects_to_skip=objects_to_skip
        )
        if metadata is not None:
            writer.write_metadata(metadata)


def _asset_files(assets_dir):
    """`(path on disk, name in the archive)` for every file layers saved as assets."""
    for folder, _, files in sorted(os.walk(assets_dir)):
        for name in sorted(files):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, assets_dir).replace(os.sep, "/")
            yield path, f"{ASSETS_DIRNAME}/{relative}"


def model_config(model):
    """The `config.json` content for `model`."""
    config = serialization.serialize_keras_object(model)
    # `get_compile_config` may be overridden (with `compile_from_config`) by a model whose
    # `compile()` takes arguments of its own; its objects are serialized as Keras 3 does.
    get_config = getattr(model, "get_compile_config", None)
    compiled = get_config() if get_config is not None else compile_config(model)
    if compiled:
        config["compile_config"] = serialization.serialize_keras_object(compiled)
    return config


def save_model(model, filepath):
    """Writes `model` (config, weights, optimizer state) to a `.keras` file, atomically."""
    config_json = json.dumps(model_config(model))
    metadata_json = json.dumps(_metadata())
    with tempfile.TemporaryDirectory() as folder:
        weights_path = f"{folder}/{WEIGHTS_FILENAME}"
        assets_dir = f"{folder}/{ASSETS_DIRNAME}"
        _write_h5(weights_path, model, assets_dir=assets_dir)

        def write(path):
            with zipfile.ZipFile(path, "w") as archive:
                archive.writestr(METADATA_FILENAME, metadata_json, zipfile.ZIP_DEFLATED)
                archive.writestr(CONFIG_FILENAME, config_json, zipfile.ZIP_DEFLATED)
                archive.write(weights_path, WEIGHTS_FILENAME, zipfile.ZIP_STORED)
                for asset_path, name in _asset_files(assets_dir):
                    archive.write(asset_path, name, zipfile.ZIP_DEFLATED)

        atomic_write(filepath, write)


def save_weights_only(model, filepath, metadata=None, objects_to_skip=None):
    """Writes the model's variables (and its optimizer's) to a `.weights.h5` file, atomically.

    Args:
        model: The model.
        filepath: Target path.
        metadata: Optional JSON-able dict stored in the file (see `read_weights_metadata`).
        objects_to_skip: Optional layers (or the optimizer) whose variables are not saved.
    """
    atomic_write(
        filepath,
        lambda path: _write_h5(path, model, metadata, objects_to_skip=objects_to_skip),
    )


# --- loading -------------------------------------------------------------------------------
@contextlib.contextmanager
def _open_h5(path, describe, max_bytes=None):
    """Opens an HDF5 file for reading, audited (`h5_audit`: no feature that could read
    outside the file, no dataset over `max_bytes`); any read failure becomes a
    `ValueError`."""
    from unikeras.saving.h5_audit import audit_h5_file
    from unikeras.saving.h5_store import H5Reader

    if not h5py.is_hdf5(path):
        raise ValueError(
            f"Cannot load {describe}: it is not an HDF5 weights file (or it is truncated)."
        )
    try:
        with h5py.File(path, "r") as f:
            audit_h5_file(f, describe, max_bytes=max_bytes)
            yield H5Reader(f)
    except _READ_ERRORS as e:
        raise ValueError(
            f"Cannot load {describe}: the HDF5 file is damaged ({type(e).__name__}: {e})."
        ) from None


def load_weights_only(model, filepath, skip_mismatch=False, objects_to_skip=None):
    """Loads a `.weights.h5` file, the weights of a `.keras` file, or sharded weights (a
    `.weights.json` index, see `sharded`) into `model`; all or nothing (see
    `object_tree.load_state`). The objects in `objects_to_skip` keep their values."""
    filepath = str(filepath)
    if filepath.endswith(".weights.json"):
        from unikeras.saving import sharded

        sharded.load_sharded_weights(
            model, filepath, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip
        )
        return
    if filepath.endswith(".keras"):
        with (
            Archive(filepath, required=(WEIGHTS_FILENAME,)) as archive,
            tempfile.TemporaryDirectory() as folder,
        ):
            weights_path = archive.extract(WEIGHTS_FILENAME, folder)
            with _open_h5(weights_path, repr(filepath)) as reader:
                object_tree.load_state(model, reader, skip_mismatch=skip_mismatch)
        return
    with _open_h5(filepath, repr(filepath)) as reader:
        object_tree.load_state(
            model, reader, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip
        )


def read_weights_metadata(filepath):
    """Returns the metadata dict stored by `save_weights_only` (`{}` when none)."""
    with _open_h5(str(filepath), repr(str(filepath))) as reader:
        return reader.read_metadata()


def _built_by_config(model):
    """Whether `model` is rebuilt, weights and all, from its `get_config()` (functional and
    sequential models declare it with the class attribute `_built_by_config`), so saving
    needs no import of the model classes."""
    return bool(getattr(type(model), "_built_by_config", False))


def _build_from_config(model, config):
    """Creates the variables of a subclassed model by calling it on zeros of its recorded
    input shape (functional and sequential models are built by their config)."""
    shape = (config.get("build_config") or {}).get("input_shape")
    if (
        _built_by_config(model)
        or not isinstance(shape, list)
        or not all(d is None or isinstance(d, int) for d in shape)
    ):
        return
    import numpy as np

    model(np.zeros([1 if d is None else d for d in shape], dtype=keras_config.floatx()))


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by `save_model`.

    Args:
        filepath: Path of the `.keras` file.
        custom_objects: Dict of name -> class or function used by the config.
        compile: Whether to compile the model as it was when saved.
        safe_mode: Refuse stored bytecode (`Lambda` layers) and names outside unikeras'
            built-ins, registered objects and `custom_objects`.

    Returns:
        The model, with its weights and (when compiled) its optimizer state.
    """
    safe_mode = bool(safe_mode) and keras_config.in_safe_mode()
    with (
        Archive(filepath, required=(CONFIG_FILENAME, WEIGHTS_FILENAME)) as archive,
        tempfile.TemporaryDirectory() as folder,
    ):
        config = archive.read_json(CONFIG_FILENAME)
        if not isinstance(config, dict) or "class_name" not in config:
            raise archive.error(f"{CONFIG_FILENAME} does not hold a model config")
        config_checks.check_config(config, custom_objects, safe_mode)
        weights_path = archive.extract(WEIGHTS_FILENAME, folder)
        assets_dir = archive.extract_tree(ASSETS_DIRNAME, f"{folder}/{ASSETS_DIRNAME}")
        with _open_h5(weights_path, repr(str(filepath))) as reader:
            model = _model_from_config(config, custom_objects, safe_mode, archive)
            if compile and config.get("compile_config"):
                _try_compile(model, config["compile_config"], custom_objects, safe_mode)
            object_tree.load_state(model, reader, assets_dir=assets_dir)
    return model


def _model_from_config(config, custom_objects, safe_mode, archive):
    try:
        model = serialization._deserialize_object(
            {k: v for k, v in config.items() if k != "compile_config"},
            custom_objects=custom_objects,
            safe_mode=safe_mode,
        )
    except config_checks.UnsafeConfigError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as e:
        raise archive.error(
            f"the model could not be rebuilt from its config ({type(e).__name__}: {e})"
        ) from e
    _build_from_config(model, config)
    return model


def _overrides_compile_from_config(model):
    # The build-config protocol, not the model classes: the core's own `compile_from_config`
    # carries a marker (saving sits below the trainers in the import layers).
    method = getattr(type(model), "compile_from_config", None)
    return method is not None and not getattr(method, "keras_default_compile", False)


def _try_compile(model, config, custom_objects, safe_mode):
    if _overrides_compile_from_config(model):
        # The model's own `compile_from_config` (paired with its `get_compile_config`)
        # rebuilds its arguments; `custom_objects` resolve the names it deserializes.
        from unikeras.saving.object_registration import custom_object_scope

        with custom_object_scope(custom_objects or {}):
            model.compile_from_config(config)
        return
    # A file's `jit_compile` was resolved for the backend (and machine) it was saved on: Keras
    # on JAX writes `true`, which would turn `torch.compile` on under torch. The loaded model
    # compiles with "auto" for the active backend; `model.jit_compile = True` (or `compile`)
    # asks for compilation.
    config = {k: v for k, v in config.items() if k != "jit_compile"}
    try:
        compile_from_config(model, config, custom_objects, safe_mode)
    except (ValueError, TypeError, KeyError) as e:
        warnings.warn(
            f"The model was loaded but could not be compiled from its saved "
            f"compile_config ({type(e).__name__}: {e}); compile it yourself.",
            stacklevel=3,
        )
