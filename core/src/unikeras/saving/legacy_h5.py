"""The legacy Keras 2 HDF5 model format (`model.save("m.h5")`, `load_model("m.h5")`).

A legacy `.h5` file holds, as attributes of the root group, `model_config` (the model's
config as JSON: `{"class_name": ..., "config": ...}`), `training_config` (the compile
arguments, with the optimizer as `optimizer_config`), `keras_version` and `backend`; the
group `model_weights` (attribute `layer_names`) with one group per layer, whose attribute
`weight_names` lists the paths of its datasets, in the layer's trainable-then-non-trainable
order, plus `top_level_model_weights`; and, for a compiled model, `optimizer_weights`
(attribute `weight_names`).

Loading is as safe as for `.keras` files: the file is audited first (`h5_audit`: nothing that
could read from outside the file), the config is checked (`config_checks`, so a `Lambda`
with stored bytecode is refused unless `safe_mode=False`, in the Keras 3 and Keras 2
layouts alike) before any object is created, every dataset is checked (plain numbers, the
shape of its variable) before it is read, and nothing is assigned until every value has
been read. Keras 2 configs (`inbound_nodes` as lists, `batch_input_shape` on the first
layer of a `Sequential`, `Lambda` functions as `[code, defaults, closure]`) are upgraded to
Keras 3's layout first.

Legacy weights-only files (`model.save_weights("w.h5")` in Keras 2 / tf.keras: the same
layout as `model_weights`, at the root, with `layer_names`, `backend` and `keras_version` as
root attributes) load with `model.load_weights("w.h5")` (`load_legacy_weights`), as does the
`model_weights` group of a legacy model file, with the same audit and checks. Writing them is
not offered: as in Keras 3, `save_weights` only writes `.weights.h5` files.
"""

import json
import warnings

import numpy as np

from unikeras import config as keras_config
from unikeras._version import __version__
from unikeras.backend.registry import backend
from unikeras.saving import config_checks, object_tree, saving_lib, serialization
from unikeras.saving.saving_lib import compile_config
from unikeras.saving.archive import MAX_JSON_BYTES, atomic_write
from unikeras.saving._h5py import h5py

DEPRECATION = (
    "You are saving your model as an HDF5 file via `model.save()` or "
    "`keras.saving.save_model(model)`. This file format is considered legacy. We "
    "recommend using instead the native Keras format, e.g. "
    "`model.save('my_model.keras')` or "
    "`keras.saving.save_model(model, 'my_model.keras')`."
)
_STRIPPED = ("module", "registered_name", "build_config", "compile_config")


# --- saving --------------------------------------------------------------------------------
def _legacy_config(model):
    config = serialization.serialize_keras_object(model)
    config = {k: v for k, v in config.items() if k not in _STRIPPED}
    inner = dict(config.get("config") or {})
    if isinstance(inner.get("layers"), list):
        inner["layers"] = [
            {k: v for k, v in layer.items() if k not in _STRIPPED}
            if isinstance(layer, dict)
            else layer
            for layer in inner["layers"]
        ]
    config["config"] = inner
    return config


def _legacy_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _write_values(group, variables):
    names = [str(v.path) for v in variables]
    group.attrs["weight_names"] = np.array([n.encode("utf8") for n in names], dtype="S")
    for name, variable in zip(names, variables):
        value = np.asarray(variable.numpy())
        group.create_dataset(name, data=value)


def _top_level_variables(model):
    in_layers = {id(v) for layer in model.layers for v in layer.weights}
    return [v for v in _legacy_weights(model) if id(v) not in in_layers]


def save_legacy_h5(model, filepath, include_optimizer=True):
    """Writes `model` to a legacy `.h5` file (atomically), with a deprecation warning."""
    warnings.warn(DEPRECATION, UserWarning, stacklevel=4)
    model_config = json.dumps(_legacy_config(model))
    training = compile_config(model) if include_optimizer else None
    if training is not None:
        optimizer = training.pop("optimizer", None)
        if isinstance(optimizer, dict):
            training["optimizer_config"] = {
                "class_name": optimizer.get("class_name"),
                "config": optimizer.get("config"),
            }

    def write(path):
        with h5py.File(path, "w") as f:
            f.attrs["backend"] = backend()
            f.attrs["keras_version"] = __version__
            f.attrs["model_config"] = model_config
            if training is not None:
                f.attrs["training_config"] = json.dumps(training)
            group = f.create_group("model_weights")
            group.attrs["layer_names"] = np.array(
                [layer.name.encode("utf8") for layer in model.layers], dtype="S"
            )
            group.attrs["backend"] = backend()
            group.attrs["keras_version"] = __version__
            for layer in sorted(model.layers, key=lambda layer: layer.name):
                _write_values(group.create_group(layer.name), _legacy_weights(layer))
            _write_values(
                group.create_group("top_level_model_weights"), _top_level_variables(model)
            )
            optimizer = object_tree.model_optimizer(model)
            if include_optimizer and optimizer is not None and optimizer.variables:
                _write_values(f.create_group("optimizer_weights"), optimizer.variables)

    atomic_write(filepath, write)


# --- loading -------------------------------------------------------------------------------
class _Reader:
    """Reads checked values from the audited legacy file."""

    def __init__(self, h5_file, describe):
        self.f = h5_file
        self.describe = describe

    def error(self, problem):
        return ValueError(f"Cannot load {self.describe}: {problem}.")

    def json_attr(self, name, required):
        raw = self.f.attrs.get(name)
        if raw is None:
            if required:
                raise self.error(
                    f"no model config found in the file (attribute {name!r}); "
                    "it is not a legacy Keras `.h5` model file"
                )
            return None
        if isinstance(raw, np.ndarray) and raw.shape == ():
            raw = raw[()]
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        if not isinstance(raw, str):
            raise self.error(f"attribute {name!r} is not a JSON string")
        if len(raw) > MAX_JSON_BYTES:
            raise self.error(f"attribute {name!r} is {len(raw)} bytes (at most {MAX_JSON_BYTES})")
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError) as e:
            raise self.error(f"attribute {name!r} is not valid JSON ({type(e).__name__})") from None
        if not isinstance(value, dict):
            raise self.error(f"attribute {name!r} does not hold a JSON object")
        return value

    def group(self, parent, name, where):
        item = parent.get(name) if isinstance(name, str) and name else None
        if not isinstance(item, h5py.Group):
            raise self.error(f"the file has no group {where!r}")
        return item

    def names(self, group, attr):
        """A string-list attribute (also split in `<attr>0`, `<attr>1`, ... chunks)."""
        if attr in group.attrs:
            raw = [group.attrs[attr]]
        else:
            raw, i = [], 0
            while f"{attr}{i}" in group.attrs:
                raw.append(group.attrs[f"{attr}{i}"])
                i += 1
        names = []
        for chunk in raw:
            chunk = np.asarray(chunk)
            if chunk.size and chunk.dtype.kind not in "SUO":
                raise self.error(f"attribute {attr!r} of {group.name!r} is not a list of names")
            for item in chunk.reshape(-1):
                if isinstance(item, bytes):
                    item = item.decode("utf-8", "replace")
                if not isinstance(item, str):
                    raise self.error(
                        f"attribute {attr!r} of {group.name!r} holds "
                        f"{type(item).__name__}, not names"
                    )
                names.append(item)
        return names

    def values(self, group, variables, what):
        """The checked arrays named by `group`'s `weight_names`, one per variable."""
        names = self.names(group, "weight_names")
        if len(names) != len(variables):
            raise self.error(
                f"{what} expects {len(variables)} weight(s), the file holds "
                f"{len(names)} ({names[:10]})"
            )
        values = []
        for name, variable in zip(names, variables):
            where = f"{group.name}/{name}"
            dataset = group.get(name) if name else None
            if not isinstance(dataset, h5py.Dataset):
                raise self.error(f"the weight {where!r} of {what} is missing")
            from unikeras.saving.h5_audit import dataset_type_problem

            problem = dataset_type_problem(dataset.id.get_type(), False)
            if problem is not None:
                raise self.error(f"the weight {where!r} of {what} has {problem}")
            if dataset.shape is None or tuple(dataset.shape) != tuple(variable.shape):
                raise self.error(
                    f"shape mismatch in {what} for weight {variable.path}: the "
                    f"variable has shape {tuple(variable.shape)}, the file "
                    f"holds shape {dataset.shape} at {where!r}"
                )
            values.append(np.asarray(dataset[()]))
        return values


def _upgrade_keras2(config):
    """Rewrites the Keras 2 parts of a legacy model config into Keras 3's layout."""
    if isinstance(config, list):
        return [_upgrade_keras2(item) for item in config]
    if not isinstance(config, dict):
        return config
    config = {k: _upgrade_keras2(v) for k, v in config.items()}
    if config.get("class_name") == "Lambda" and isinstance(config.get("config"), dict):
        inner = dict(config["config"])
        function = inner.get("function")
        if inner.get("function_type") == "lambda" and isinstance(function, list):
            code, defaults, closure = (function + [None, None, None])[:3]
            inner["function"] = {
                "class_name": "__lambda__",
                "config": {"code": code, "defaults": defaults, "closure": closure},
            }
        if "function_type" in inner:  # Keras 2 keys Keras 3's Lambda does not take
            for key in ("function_type", "output_shape_type", "module"):
                inner.pop(key, None)
        config["config"] = inner
    inbound = config.get("inbound_nodes")
    if isinstance(inbound, list) and any(isinstance(node, list) for node in inbound):
        config["inbound_nodes"] = [_keras2_node(node) for node in inbound]
    if config.get("class_name") == "Sequential" and isinstance(config.get("config"), dict):
        _sequential_input(config["config"])
    return config


def _keras2_node(node):
    if not isinstance(node, list):
        return node
    tensors, kwargs = [], {}
    for ref in node:
        if not isinstance(ref, list) or len(ref) < 3:
            raise ValueError(f"Invalid Keras 2 inbound node {ref!r}.")
        tensors.append(
            {"class_name": "__keras_tensor__", "config": {"keras_history": list(ref[:3])}}
        )
        if len(ref) > 3 and isinstance(ref[3], dict):
            kwargs.update(ref[3])
    return {"args": [tensors[0] if len(tensors) == 1 else tensors], "kwargs": kwargs}


def _sequential_input(inner):
    layers = inner.get("layers")
    if not isinstance(layers, list) or not layers or not isinstance(layers[0], dict):
        return
    first = layers[0].get("config")
    if layers[0].get("class_name") == "InputLayer" or not isinstance(first, dict):
        return
    shape = first.pop("batch_input_shape", None)
    if shape is not None:
        input_layer = {
            "class_name": "InputLayer",
            "config": {
                "batch_shape": shape,
                "dtype": first.get("dtype") if isinstance(first.get("dtype"), str) else None,
            },
        }
        inner["layers"] = [input_layer] + layers


def load_legacy_h5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a legacy Keras 2 / Keras 3 `.h5` model file (see the module docstring)."""
    safe_mode = bool(safe_mode) and keras_config.in_safe_mode()
    describe = repr(str(filepath))
    with saving_lib._open_h5(str(filepath), describe) as h5_reader:
        reader = _Reader(h5_reader.h5_file, describe)
        config = reader.json_attr("model_config", required=True)
        if "class_name" not in config:
            raise reader.error("the model config has no `class_name`")
        try:
            config = _upgrade_keras2(config)
        except ValueError as e:
            raise reader.error(f"the model config could not be read ({e})") from None
        config_checks.check_config(config, custom_objects, safe_mode)
        training = reader.json_attr("training_config", required=False) if compile else None
        if training is not None:
            config_checks.check_config(training, custom_objects, safe_mode)
        model = _model_from_config(config, custom_objects, safe_mode, reader)
        _load_model_weights(model, reader)
        if compile:
            if training is None:
                warnings.warn(
                    "No training configuration found in the save file, so the "
                    "model was *not* compiled. Compile it manually.",
                    stacklevel=3,
                )
            else:
                _compile(model, training, custom_objects, safe_mode, reader)
    return model


def _model_from_config(config, custom_objects, safe_mode, reader):
    try:
        model = serialization._deserialize_object(
            config, custom_objects=custom_objects, safe_mode=safe_mode
        )
    except config_checks.UnsafeConfigError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as e:
        raise reader.error(
            f"the model could not be rebuilt from its config ({type(e).__name__}: {e})"
        ) from e
    if not hasattr(model, "layers"):
        raise reader.error(f"the config describes a {type(model).__name__}, not a model")
    return model


def _load_model_weights(model, reader):
    group = reader.group(reader.f, "model_weights", "model_weights")
    layers = [layer for layer in model.layers if _legacy_weights(layer)]
    names = [
        name
        for name in reader.names(group, "layer_names")
        if reader.names(reader.group(group, name, f"model_weights/{name}"), "weight_names")
    ]
    if len(names) != len(layers):
        raise reader.error(
            f"layer count mismatch: the model has {len(layers)} layers with "
            f"weights, the file holds weights for {len(names)} ({names[:10]})"
        )
    assignments = []
    for name, layer in zip(names, layers):
        variables = _legacy_weights(layer)
        values = reader.values(
            reader.group(group, name, f"model_weights/{name}"), variables, f"layer {layer.name!r}"
        )
        assignments += zip(variables, values)
    top = group.get("top_level_model_weights")
    if isinstance(top, h5py.Group):
        variables = _top_level_variables(model)
        assignments += zip(variables, reader.values(top, variables, "the top-level model"))
    for variable, value in assignments:
        variable.assign(value)


def _compile(model, training, custom_objects, safe_mode, reader):
    compile_args = {k: v for k, v in training.items() if k != "optimizer_config"}
    optimizer = training.get("optimizer_config")
    if optimizer is not None:
        compile_args["optimizer"] = optimizer
    allowed = (
        "optimizer",
        "loss",
        "loss_weights",
        "metrics",
        "weighted_metrics",
        "run_eagerly",
        "steps_per_execution",
        "jit_compile",
    )
    compile_args = {k: v for k, v in compile_args.items() if k in allowed}
    saving_lib._try_compile(model, compile_args, custom_objects, safe_mode)
    state = reader.f.get("optimizer_weights")
    optimizer = object_tree.model_optimizer(model)
    if not isinstance(state, h5py.Group) or optimizer is None:
        return
    optimizer.build(model.trainable_variables)
    try:
        values = reader.values(state, optimizer.variables, f"optimizer {optimizer.name!r}")
    except ValueError as e:
        warnings.warn(
            f"Error in loading the saved optimizer state ({e}). As a result, your "
            "model is starting with a freshly initialized optimizer.",
            stacklevel=4,
        )
        return
    for variable, value in zip(optimizer.variables, values):
        variable.assign(value)


# --- weights-only files (`model.load_weights("w.h5")`) -----------------------------------
def _weights_root(reader):
    """The group holding `layer_names`: the root of a Keras 2 weights file, or the
    `model_weights` group of a legacy full-model file."""
    f = reader.f
    if "layer_names" in f.attrs or "layer_names0" in f.attrs:
        return f
    group = f.get("model_weights")
    if isinstance(group, h5py.Group) and (
        "layer_names" in group.attrs or "layer_names0" in group.attrs
    ):
        return group
    raise reader.error(
        "it is not a legacy Keras `.h5` weights file (no `layer_names` "
        "attribute at its root or in a `model_weights` group); Keras 3 "
        "weights files end in `.weights.h5`"
    )


def _checked_values(reader, group, variables, what, skip_mismatch, assignments, skip_count=False):
    """Appends (variable, value) for each weight of `group` to `assignments`, after checking
    the dataset's type and shape against the variable; values are read only once checked.
    A weight count mismatch is skipped only when `skip_count` (Keras' by-name loading)."""
    names = reader.names(group, "weight_names")
    if len(names) != len(variables):
        problem = (
            f"weight count mismatch for {what}: it expects {len(variables)} "
            f"weight(s), the file holds {len(names)} ({names[:10]})"
        )
        if skip_mismatch and skip_count:
            warnings.warn(f"Skipping loading the weights of {what}: {problem}.", stacklevel=4)
            return
        raise reader.error(problem)
    checked = []
    for name, variable in zip(names, variables):
        where = f"{group.name}/{name}"
        dataset = group.get(name) if name else None
        if not isinstance(dataset, h5py.Dataset):
            raise reader.error(f"the weight {where!r} of {what} is missing")
        from unikeras.saving.h5_audit import dataset_type_problem

        problem = dataset_type_problem(dataset.id.get_type(), False)
        if problem is not None:
            raise reader.error(f"the weight {where!r} of {what} has {problem}")
        expected = tuple(variable.shape)
        if dataset.shape is None or tuple(dataset.shape) != expected:
            problem = (
                f"shape mismatch in {what} for weight {variable.path}: the weight "
                f"expects shape {expected}, the file holds shape {dataset.shape} at "
                f"{where!r}"
            )
            if skip_mismatch:
                warnings.warn(f"Skipping loading a weight: {problem}.", stacklevel=4)
                continue
            raise reader.error(problem)
        checked.append((variable, dataset))
    assignments += [(variable, np.asarray(dataset[()])) for variable, dataset in checked]


def load_legacy_weights(model, filepath, by_name=False, skip_mismatch=False):
    """Loads a legacy Keras 2 `.h5` weights file (what `model.save_weights("w.h5")` wrote in
    Keras 2 / tf.keras), or the weights of a legacy `.h5` model file, into `model`.

    The file is audited first (`h5_audit`); every dataset's type (plain numbers) and shape
    are checked against its variable before it is read, and nothing is assigned until all
    values have been read, so a failed load leaves the model unchanged.

    Args:
        model: The model to load into.
        filepath: Path of the `.h5` / `.hdf5` file.
        by_name: Match the file's layer groups to the model's layers by name (layers not
            in both are skipped) instead of by order (the order of the model's layers that
            have weights, as Keras 2 did).
        skip_mismatch: Skip (with a warning) weights whose shape differs from the
            variable's, and, with `by_name=True`, layers whose weight count differs,
            instead of raising.

    Raises:
        ValueError: for a refused or damaged file, or a layer/shape mismatch (naming the
            layer and the expected and received shapes).
    """
    describe = repr(str(filepath))
    assignments = []
    with saving_lib._open_h5(str(filepath), describe) as h5_reader:
        reader = _Reader(h5_reader.h5_file, describe)
        group = _weights_root(reader)
        file_names = reader.names(group, "layer_names")
        if by_name:
            index = {}
            for layer in model.layers:
                index.setdefault(layer.name, []).append(layer)
            for k, name in enumerate(file_names):
                layer_group = reader.group(group, name, f"{group.name}/{name}")
                for layer in index.get(name, []):
                    _checked_values(
                        reader,
                        layer_group,
                        _legacy_weights(layer),
                        f"layer #{k} (named {layer.name!r})",
                        skip_mismatch,
                        assignments,
                        skip_count=True,
                    )
        else:
            layers = [layer for layer in model.layers if _legacy_weights(layer)]
            names = [
                name
                for name in file_names
                if reader.names(reader.group(group, name, f"{group.name}/{name}"), "weight_names")
            ]
            if len(names) != len(layers):
                raise reader.error(
                    f"layer count mismatch: the model has {len(layers)} layer(s) with "
                    f"weights ({[layer.name for layer in layers][:10]}), the file holds "
                    f"weights for {len(names)} ({names[:10]})"
                )
            for k, (name, layer) in enumerate(zip(names, layers)):
                _checked_values(
                    reader,
                    reader.group(group, name, f"{group.name}/{name}"),
                    _legacy_weights(layer),
                    f"layer #{k} (named {layer.name!r} in the model, {name!r} in the file)",
                    skip_mismatch,
                    assignments,
                )
        top = group.get("top_level_model_weights")
        if isinstance(top, h5py.Group):
            _checked_values(
                reader,
                top,
                _top_level_variables(model),
                "the top-level model",
                skip_mismatch,
                assignments,
                skip_count=by_name,
            )
    previous = [np.asarray(variable.numpy()) for variable, _ in assignments]
    try:
        for variable, value in assignments:
            variable.assign(value)
    except Exception:  # e.g. a value the variable's dtype cannot take: restore, re-raise
        for (variable, _), value in zip(assignments, previous):
            variable.assign(value)
        raise
