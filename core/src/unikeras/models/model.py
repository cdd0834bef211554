"""`keras.Model`: a layer with training and inference APIs.

`Model(inputs, outputs)` returns a `Functional` model; subclassing `Model` and defining
`call` gives a subclassed model.
"""

import json

from unikeras.backend.registry import load_exporter
from unikeras.export.onnx import export_onnx
from unikeras.export.saved_model import export_saved_model
from unikeras.layers.layer import Layer
from unikeras.models.summary import print_summary
from unikeras.saving import saving_api, serialization
from unikeras.trainers.trainer import Trainer


def _is_functional_call(args, kwargs):
    return (
        len(args) == 2
        or (len(args) == 1 and "outputs" in kwargs)
        or ("inputs" in kwargs and "outputs" in kwargs)
    )


def _inject_functional(cls):
    """Puts `Functional` in place of `Model` among the bases of a `Model` subclass whose
    `__init__` calls `super().__init__(inputs=..., outputs=...)` (as Keras does), so the
    subclass is a functional model."""
    from unikeras.models.functional import Functional

    if cls is Model:
        return Functional
    if cls is object or issubclass(cls, Functional) or not issubclass(cls, Model):
        return cls
    cls.__bases__ = tuple(_inject_functional(base) for base in cls.__bases__)
    return cls


# The backend's trainer mixin (compiled steps) comes before the core loop in the MRO once
# unikeras composes its classes with the loaded backend (`unikeras._composition`); a backend
# without the hook trains with the core's eager defaults.
class Model(Trainer, Layer):
    """A model: layers plus `predict` (and, on training backends, `compile`/`fit`).

    Use `keras.Model(inputs, outputs)` for a functional model, `keras.Sequential` for a
    stack, or subclass `Model` and implement `call`.
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _is_functional_call(args, kwargs):
            from unikeras.models.functional import Functional

            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        from unikeras.models.functional import Functional

        if _is_functional_call(args, kwargs) and not isinstance(self, Functional):
            _inject_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        Layer.__init__(self, *args, **kwargs)
        Trainer.__init__(self)

    def summary(
        self,
        line_length=None,
        positions=None,
        print_fn=None,
        expand_nested=False,
        show_trainable=False,
        layer_range=None,
    ):
        """Prints a string summary of the network, in Keras 3's layout.

        Args:
            line_length: Total length of the printed lines (default: fits the terminal).
            positions: Relative positions of the column ends in each line.
            print_fn: Function called with the summary text instead of printing it.
            expand_nested: Whether to list the layers of nested models too.
            show_trainable: Whether to add a column saying if each layer is trainable.
            layer_range: `[first, last]` layer names (or regular expressions), both
                included: only those layers are listed.
        """
        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    def export(
        self, filepath, format="tf_saved_model", verbose=None, input_signature=None, **kwargs
    ):
        """Writes the model's inference graph (`model(x, training=False)`) for deployment.

        Formats: `"tf_saved_model"` (the default, as in Keras 3) writes a TensorFlow SavedModel
        with a `serve` endpoint, also its `serving_default` signature (see
        `keras.export.ExportArchive`; needs TensorFlow: traced on the tensorflow backend, from
        other backends through a tensorflow-backend subprocess). `"onnx"` writes an ONNX file
        (torch: `torch.onnx`, needs `pip install onnx onnxscript`; tensorflow: `tf2onnx`, needs
        `pip install onnx tf2onnx`; other backends through a subprocess on one of those).
        `"openvino"` writes OpenVINO IR (`.xml` + `.bin`) from any backend, provided by `pip
        install unikeras-openvino`; further formats come from plugins (entry point group
        `unikeras.exporters`). `None` sizes of the input signature (the batch size) stay
        dynamic; ONNX inputs are named after the model's inputs and outputs after the layers
        producing them.

        Args:
            filepath: Destination path (`str` or `pathlib.Path`).
            format: `"tf_saved_model"`, `"onnx"`, `"openvino"` or a plugin's format.
            verbose: Whether to print where the artifact was written (default True).
            input_signature: Optional input specs (`keras.InputSpec`, `tf.TensorSpec`,
                KerasTensors or tensors, nested as the model takes them); defaults to the
                model's inputs.
            **kwargs: Format-specific arguments: `opset_version` for `"onnx"` (and
                `torch.onnx.export` arguments on torch); those of the plugin's exporter for
                other formats.

        Returns:
            The path written.
        """
        if format == "tf_saved_model":
            return export_saved_model(
                self, filepath, verbose=verbose, input_signature=input_signature, **kwargs
            )
        if format == "onnx":
            return export_onnx(
                self, filepath, verbose=verbose, input_signature=input_signature, **kwargs
            )
        path = load_exporter(format)(self, filepath, input_signature=input_signature, **kwargs)
        if verbose is None or verbose:
            print(f"Saved artifact at '{path}'.")
        return path

    def quantize(self, mode=None, config=None, filters=None, **kwargs):
        """Quantizes the weights of the model's layers in place.

        Every leaf layer with a `quantize` method (`Dense`, `EinsumDense`, `Embedding`) is
        quantized; other layers are left as they are. The model must be built.

        Args:
            mode: `"int8"`, `"int4"`, `"float8"`, `"gptq"` or `"awq"` (optional when
                `config` is given; GPTQ and AWQ need a `GPTQConfig` / `AWQConfig` with
                calibration data, and quantize `Dense` and `EinsumDense` layers, an
                `EinsumDense` kernel reshaped to 2-D as Keras 3 does it; embeddings stay
                float, as in Keras 3).
            config: Optional `keras.quantizers.QuantizationConfig`.
            filters: Optional regex string, list of regex strings (matched against layer
                names) or callable taking a layer: only matching layers are quantized.
            **kwargs: `type_check=False` also quantizes subclasses of those layers.
        """
        import re
        import warnings

        from unikeras.quantizers.quantization_config import validate_and_resolve_config

        type_check = kwargs.pop("type_check", True)
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}"
            )
        if (
            filters is not None
            and not isinstance(filters, (str, list, tuple))
            and not callable(filters)
        ):
            raise ValueError(
                "The `filters` argument must be a regex string, a list of regex strings, or "
                f"a callable. Received: {type(filters)}"
            )
        resolved = validate_and_resolve_config(mode, config)

        def selected(layer):
            if filters is None:
                return True
            if callable(filters) and not isinstance(filters, str):
                return bool(filters(layer))
            patterns = [filters] if isinstance(filters, str) else list(filters)
            return any(re.search(p, layer.name) for p in patterns)

        def leaves(layer):
            subs = layer._sublayers()
            if not subs:
                yield layer
            for sub in subs:
                yield from leaves(sub)

        if resolved.mode in ("gptq", "awq"):
            from unikeras.layers import Dense, EinsumDense
            from unikeras.models._gptq import gptq_quantize_model

            targets = [
                layer
                for layer in leaves(self)
                if type(layer) in (Dense, EinsumDense)
                and layer.built
                and selected(layer)
                and layer.quantization_mode is None
            ]
            if not targets:
                raise ValueError(
                    f"model.quantize('{resolved.mode}'): the model has no float Dense or "
                    "EinsumDense layer."
                )
            gptq_quantize_model(self, resolved, targets)
            self.train_function = self.test_function = self.predict_function = None
            return

        changed = False
        seen = set()
        for layer in leaves(self):
            if id(layer) in seen or not selected(layer):
                continue
            seen.add(id(layer))
            method = getattr(layer, "quantize", None)
            if method is None:
                continue
            try:
                method(mode, type_check=type_check, config=config)
                changed = True
            except NotImplementedError as error:
                warnings.warn(str(error), stacklevel=2)
        if changed:
            self.train_function = self.test_function = self.predict_function = None

    def get_layer(self, name=None, index=None):
        """Returns a layer by name or by index in `model.layers`."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name!r}. Existing layers: {[layer.name for layer in self.layers]}"
        )

    # --- state trees -----------------------------------------------------------------------
    def _state_tree_groups(self):
        """The model's variable groups by their `get_state_tree()` key."""
        optimizer = getattr(self, "optimizer", None)
        return {
            "trainable_variables": self.trainable_variables,
            "non_trainable_variables": self.non_trainable_variables,
            "optimizer_variables": optimizer.variables if optimizer is not None else [],
            "metrics_variables": self.metrics_variables,
        }

    def get_state_tree(self, value_format="backend_tensor"):
        """Returns the model's variables as nested dicts keyed by the parts of their paths.

        Args:
            value_format: `"backend_tensor"` (default: the variables' values as engine
                tensors) or `"numpy_array"`.

        Returns:
            A dict with the keys `"trainable_variables"`, `"non_trainable_variables"`,
            `"optimizer_variables"` and `"metrics_variables"`, each a nested dict in which a
            variable with path `"a/b/kernel"` is at `["a"]["b"]["kernel"]`.

        Example:
            ```python
            model.compile(optimizer="adam", loss="mse", metrics=["mae"])
            model.fit(x, y)
            tree = model.get_state_tree()
            tree["trainable_variables"]["my_sequential"]["my_dense"]["kernel"]
            ```
        """
        if value_format not in ("backend_tensor", "numpy_array"):
            raise ValueError(
                f"{type(self).__name__}.get_state_tree: invalid `value_format`. Expected one "
                f"of {{'numpy_array', 'backend_tensor'}}. Received: value_format={value_format!r}"
            )
        tree_ = {}
        for key, variables in self._state_tree_groups().items():
            nested, seen = {}, set()
            for variable in variables:
                if variable.path in seen:
                    raise ValueError(
                        f"{type(self).__name__}.get_state_tree: the variable path "
                        f"'{variable.path}' is found twice in the model; it can only be called "
                        "when all variable paths are unique (give your layers unique names)."
                    )
                seen.add(variable.path)
                *parents, leaf = variable.path.split("/")
                node = nested
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = variable.numpy() if value_format == "numpy_array" else variable.value
            tree_[key] = nested
        return tree_

    def set_state_tree(self, state_tree):
        """Assigns the values of a `get_state_tree()`-like dict to the model's variables.

        Args:
            state_tree: Dict whose keys are among `"trainable_variables"`,
                `"non_trainable_variables"`, `"optimizer_variables"` and
                `"metrics_variables"`, each a nested dict of values by variable path
                (variables whose path is absent keep their values).
        """
        groups = self._state_tree_groups()
        for key, nested in state_tree.items():
            if key not in groups:
                raise ValueError(
                    f"{type(self).__name__}.set_state_tree: unknown variable group {key!r}. "
                    f"Expected one of {sorted(groups)}."
                )
            flat = {}

            def flatten(node, prefix):
                for name, value in node.items():
                    if isinstance(value, dict):
                        flatten(value, f"{prefix}{name}/")
                    else:
                        flat[f"{prefix}{name}"] = value

            flatten(nested, "")
            for variable in groups[key]:
                if variable.path in flat:
                    variable.assign(flat[variable.path])

    # --- saving ----------------------------------------------------------------------------
    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves the model (config, weights, optimizer state) to a `.keras` zip file.

        The file is written atomically and loads under every backend with
        `keras.models.load_model`.
        """
        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Saves the model's variables (and optimizer state) to a `.weights.h5` file, or to
        sharded files.

        Args:
            filepath: Path ending in `.weights.h5`; with `max_shard_size`, the index path
                ending in `.weights.json` (shards `<base>_00000.weights.h5`, ... go next to
                it, as in Keras 3).
            overwrite: Whether to overwrite existing files without asking.
            max_shard_size: `int` or `float`: the largest shard in GB; `None` (default)
                writes a single file.
        """
        saving_api.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights from a `.weights.h5` or `.keras` file, sharded weights (their
        `.weights.json` index), or a legacy Keras 2 `.h5` weights file (all or nothing: on
        an error the model's weights are unchanged).

        Args:
            filepath: Path of the file (for sharded weights, of the `.weights.json` index,
                with the shards in the same folder).
            skip_mismatch: Skip weights whose shape does not match instead of raising.
            **kwargs: `by_name=True` (legacy `.h5` files only) matches layers by name
                instead of by order; `objects_to_skip` (`.weights.h5` and `.weights.json`
                files only): layers (or the optimizer) not loaded, which keep their values.
        """
        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs):
        """Returns a JSON string containing the network configuration.

        Use `keras.models.model_from_json(json_string, custom_objects={...})` to rebuild
        the model (without its weights).

        Args:
            **kwargs: Additional keyword arguments passed to `json.dumps()`.

        Returns:
            A JSON string.
        """
        return json.dumps(serialization.serialize_keras_object(self), **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=True):
        """Creates a model from its config; a functional config gives a `Functional` model."""
        from unikeras.models.functional import Functional

        if cls is Model and {"layers", "input_layers", "output_layers"} <= set(config):
            return Functional.from_config(
                config, custom_objects=custom_objects, safe_mode=safe_mode
            )
        return super().from_config(config)

    def get_config(self):
        try:
            return super().get_config()
        except NotImplementedError:
            return {"name": self.name, "trainable": self.trainable}
