"""`keras.saving.save_model` / `load_model` and the weights functions behind `Model.save`,
`Model.save_weights` and `Model.load_weights`: file-name checks, then `saving_lib`."""

import contextlib
import os

from unikeras.saving import legacy_h5, saving_lib


def _written_path(model, filepath):
    """A context giving the path this process writes: `filepath`, or a temporary path where
    the model's backend trainer has every process of a distribution take part in saving
    and only the first write the file (`_process_file`: torch `ModelParallel`, where
    reading a sharded variable is a collective)."""
    redirect = getattr(model, "_process_file", None)
    return contextlib.nullcontext(filepath) if redirect is None else redirect(filepath)


def _confirm_overwrite(filepath, overwrite):
    """Whether to write `filepath`: always when `overwrite`, else asks when it exists."""
    if overwrite or not os.path.exists(filepath):
        return True
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n] ")
    return answer.strip().lower() in ("y", "yes")


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a model (config, weights, optimizer state) as a `.keras` zip archive.

    A path ending in `.h5` or `.hdf5` writes the legacy Keras 2 HDF5 format instead, with a
    deprecation warning (keyword `include_optimizer=True` decides whether the optimizer's
    state is stored).

    Args:
        model: The model.
        filepath: Path ending in `.keras` (or `.h5` / `.hdf5` for the legacy format).
        overwrite: Whether to replace an existing file silently (else asks).
        zipped: Must be `None` or `True` (unzipped folders are not supported).
    """
    filepath = os.fspath(filepath)
    if filepath.endswith((".h5", ".hdf5")):
        include_optimizer = kwargs.pop("include_optimizer", True)
        if kwargs:
            raise ValueError(
                f"The following argument(s) are not supported with the legacy "
                f"`.h5` format: {list(kwargs)}"
            )
        if _confirm_overwrite(filepath, overwrite):
            legacy_h5.save_legacy_h5(model, filepath, include_optimizer=include_optimizer)
        return
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs)}")
    if zipped is False:
        raise ValueError(
            "`zipped=False` (an unzipped model folder) is not supported; save to a `.keras` file."
        )
    if not filepath.endswith(".keras"):
        raise ValueError(
            "Invalid filepath extension for saving. Please add the `.keras` "
            f"extension. Received: filepath={filepath}"
        )
    if _confirm_overwrite(filepath, overwrite):
        with _written_path(model, filepath) as path:
            saving_lib.save_model(model, path)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save("....keras")`, or a legacy Keras 2 / Keras 3
    `.h5` model file (same safety checks, see `legacy_h5`).

    Args:
        filepath: Path of the `.keras` (or legacy `.h5` / `.hdf5`) file.
        custom_objects: Dict mapping names in the config to classes or functions.
        compile: Whether to compile the model as it was when saved.
        safe_mode: Refuse stored bytecode (`Lambda` layers) and any name outside
            unikeras' built-ins, registered objects and `custom_objects`. Loading never
            imports modules named in the file, even with `safe_mode=False`.

    Returns:
        The model.
    """
    filepath = os.fspath(filepath)
    if filepath.endswith((".h5", ".hdf5")):
        if not os.path.isfile(filepath):
            raise ValueError(
                f"File not found: filepath={filepath}. Please ensure the file "
                "is an accessible `.h5` file."
            )
        return legacy_h5.load_legacy_h5(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
        )
    if not filepath.endswith(".keras"):
        raise ValueError(
            f"File format not supported: filepath={filepath}. unikeras loads `.keras` "
            "files and legacy `.h5` model files (use `model.load_weights` for "
            "`.weights.h5` files)."
        )
    return saving_lib.load_model(
        filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode
    )


def _shard_bytes(max_shard_size):
    """`max_shard_size` (GB) in bytes, checked."""
    if (
        isinstance(max_shard_size, bool)
        or not isinstance(max_shard_size, (int, float))
        or not 0 < max_shard_size < float("inf")
    ):
        raise ValueError(
            "`max_shard_size` must be a positive number of GB (int or float). "
            f"Received: max_shard_size={max_shard_size!r}"
        )
    return max_shard_size


def save_weights(model, filepath, overwrite=True, max_shard_size=None, **kwargs):
    """Saves the model's variables (and optimizer state) to a `.weights.h5` file, or to
    sharded files.

    With `max_shard_size`, the weights go to shard files `<base>_00000.weights.h5`,
    `<base>_00001.weights.h5`, ... of at most `max_shard_size` GB each, next to an index
    `<base>.weights.json` (Keras 3's format; load it with `load_weights("<base>.weights.json")`).

    Args:
        model: The model whose weights are saved.
        filepath: Path ending in `.weights.h5`; with `max_shard_size`, in `.weights.json`
            (a `.weights.h5` path is changed to `.weights.json`, with a warning).
        overwrite: Whether to overwrite an existing file without asking (default `True`).
        max_shard_size: `int` or `float`, the largest shard in GB (`2**30` bytes); `None`
            (default) writes a single file.
        **kwargs: `objects_to_skip`: layers (or the optimizer) whose variables are not
            saved, nor those of the layers reached only through them.

    Raises:
        ValueError: For a path with the wrong ending, an invalid `max_shard_size`, or a
            single weight larger than `max_shard_size`.
    """
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    if kwargs:
        raise TypeError(f"save_weights() got unexpected keyword arguments: {sorted(kwargs)}")
    filepath = os.fspath(filepath)
    if max_shard_size is None and not filepath.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={filepath}")
    if max_shard_size is not None:
        from unikeras.saving import sharded

        if not filepath.endswith(("weights.h5", "weights.json")):
            raise ValueError(
                "The filename must end in `.weights.json` when `max_shard_size` is "
                f"specified. Received: filepath={filepath}"
            )
        max_shard_size = _shard_bytes(max_shard_size)
        filepath = sharded.index_path(filepath)
        if _confirm_overwrite(filepath, overwrite):
            with _written_path(model, filepath) as path:
                sharded.save_sharded_weights(
                    model, path, max_shard_size, objects_to_skip=objects_to_skip
                )
        return
    if _confirm_overwrite(filepath, overwrite):
        with _written_path(model, filepath) as path:
            saving_lib.save_weights_only(model, path, objects_to_skip=objects_to_skip)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights from a `.weights.h5` or `.keras` file, sharded weights (their
    `.weights.json` index, with the shards in the same folder), or a legacy Keras 2 `.h5` /
    `.hdf5` weights (or model) file; on failure the model's weights are unchanged.

    Args:
        model: The model to load into.
        filepath: Path of the file (for sharded weights, of the `.weights.json` index).
        skip_mismatch: Skip weights whose shape does not match instead of raising.
        **kwargs: `by_name` (legacy `.h5` files only): match layers by name instead of
            by order. `objects_to_skip` (`.weights.h5` and sharded `.weights.json` files
            only): layers (or the optimizer) not loaded; they, and the layers reached only
            through them, keep their values.
    """
    filepath = os.fspath(filepath)
    by_name = kwargs.pop("by_name", None)
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    is_legacy = filepath.endswith((".h5", ".hdf5")) and not filepath.endswith(".weights.h5")
    is_sharded = filepath.endswith(".weights.json")
    if not (
        is_legacy or is_sharded or filepath.endswith(".weights.h5") or filepath.endswith(".keras")
    ):
        raise ValueError(
            f"File format not supported: filepath={filepath}. unikeras loads "
            "weights from `.keras` files, `.weights.h5` files, sharded weights "
            "(`.weights.json` index files) and legacy H5 format files (`.h5` extension)."
        )
    if by_name is not None and not is_legacy:
        raise ValueError(
            f"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {filepath}"
        )
    if objects_to_skip is not None and (is_legacy or filepath.endswith(".keras")):
        raise ValueError(
            "`objects_to_skip` only supports loading '.weights.h5' (and sharded "
            f"'.weights.json') files. Received: {filepath}"
        )
    if not os.path.isfile(filepath):
        raise FileNotFoundError(f"No such weights file: {filepath}")
    if is_legacy:
        legacy_h5.load_legacy_weights(
            model, filepath, by_name=bool(by_name), skip_mismatch=skip_mismatch
        )
        return
    saving_lib.load_weights_only(
        model, filepath, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip
    )
