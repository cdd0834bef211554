"""`model.export(path, format="onnx")`: an ONNX file for ONNX Runtime (or any ONNX runtime).

The graph has one input per model input, named after it (`keras.Input(name=...)` or the
`input_signature` specs' names), with dynamic sizes where the signature has `None` (the batch
size of a model's inputs), and one output per model output, named after the layer that
produces it. The route depends on the active backend:

- a backend with the optional `onnx_exporter` hook converts the model itself (torch:
  `torch.onnx`; the TorchScript exporter when a size is dynamic, as Keras 3 does);
- a backend declaring the `"onnx"` export format without the hook (tensorflow) traces a
  `tf.function` of the forward pass and converts it with `tf2onnx`;
- any other backend (jax, numpy, openvino) saves the model to a temporary `.keras` file and
  exports it in a subprocess on an installed backend that declares `"onnx"` (tensorflow
  first): JAX's own route to TensorFlow, `jax2tf`, now emits only `XlaCallModule` ops, which
  `tf2onnx` cannot convert.
"""

import os
import warnings

from unikeras import backend
from unikeras.backend import registry, tree
from unikeras.export import saved_model

FORMAT = "onnx"


def _require(module, pip_name):
    """Imports `module`, or raises an ImportError naming the `pip install` that fixes it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"Exporting to ONNX (`model.export(format='onnx')`) on the {backend.backend()!r} "
            f"backend requires `{module}`. Install it with `pip install {pip_name}`."
        ) from None


def _layer_name(tensor):
    history = getattr(tensor, "_keras_history", None)
    layer = history[0] if history else None
    return getattr(layer, "name", None)


def output_names(model, count):
    """ONNX output names: the names of the layers producing `model.outputs` (as Keras 3's
    `model.output_names`), `output_<i>` where unknown, made unique."""
    outputs = list(getattr(model, "outputs", None) or [])
    names = [_layer_name(t) for t in outputs] if len(outputs) == count else [None] * count
    used, unique = set(), []
    for i, name in enumerate(names):
        name = name or f"output_{i}"
        candidate, n = name, 1
        while candidate in used:
            candidate, n = f"{name}_{n}", n + 1
        used.add(candidate)
        unique.append(candidate)
    return unique


def input_names(flat_specs):
    """ONNX input names: each spec's `name`, `input_<i>` where it has none, made unique."""
    used, names = set(), []
    for i, spec in enumerate(flat_specs):
        name = getattr(spec, "name", None)
        name = name if isinstance(name, str) and name else f"input_{i}"
        name = name.split(":")[0]
        candidate, n = name, 1
        while candidate in used:
            candidate, n = f"{name}_{n}", n + 1
        used.add(candidate)
        names.append(candidate)
    return names


def _flat_call(model, structure):
    """`model`'s inference call as a function of the flat input tensors returning the flat
    list of outputs."""

    def call(*flat):
        inputs = tree.pack_sequence_as(structure, list(flat))
        if isinstance(inputs, (list, tuple)) and len(inputs) == 1:
            outputs = model(inputs[0], training=False)
        else:
            outputs = model(*inputs, training=False)
        return list(tree.flatten(outputs))

    return call


def rename_io(onnx_model, inputs, outputs):
    """Renames the graph inputs and outputs of `onnx_model` (in place) to `inputs` and
    `outputs` (lists of names, in graph order)."""
    graph = onnx_model.graph
    mapping = {}
    for values, names in ((graph.input, inputs), (graph.output, outputs)):
        for value, name in zip(values, names):
            if value.name != name:
                mapping[value.name] = name
    if not mapping:
        return onnx_model
    for node in graph.node:
        node.input[:] = [mapping.get(n, n) for n in node.input]
        node.output[:] = [mapping.get(n, n) for n in node.output]
    for value in list(graph.input) + list(graph.output) + list(graph.value_info):
        value.name = mapping.get(value.name, value.name)
    return onnx_model


def _export_with_tf2onnx(model, filepath, call, flat_specs, names, out_names, opset_version):
    """The tensorflow route: a `tf.function` of the flat inputs converted by `tf2onnx`."""
    tf = saved_model._tensorflow()
    onnx = _require("onnx", "onnx")
    tf2onnx = _require("tf2onnx", "tf2onnx")
    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # NumPy 2 warns on `np.object`
        if not hasattr(np, "object"):  # tf2onnx still names np.object (gone in NumPy 2)
            np.object = object
    signature = [
        tf.TensorSpec(spec.shape, spec.dtype, name=name)
        for spec, name in zip(
            (saved_model.make_tf_tensor_spec(s) for s in flat_specs), names, strict=True
        )
    ]
    function = tf.function(call, input_signature=signature, autograph=False)
    onnx_model, _ = tf2onnx.convert.from_function(function, signature, opset=opset_version)
    rename_io(onnx_model, names, out_names)
    for value in list(onnx_model.graph.input) + list(onnx_model.graph.output):
        dims = value.type.tensor_type.shape.dim
        if dims and dims[0].dim_param:  # tf2onnx's `unk__<n>`: one name for the batch
            dims[0].dim_param = "batch"
    onnx.save(onnx_model, os.fspath(filepath))


def export_onnx(model, filepath, verbose=None, input_signature=None, opset_version=None, **kwargs):
    """Writes `model`'s forward pass (`model(x, training=False)`) as an ONNX file.

    Args:
        model: A built model, on any backend (see the module docstring for the route).
        filepath: Path of the `.onnx` file (`str` or `pathlib.Path`).
        verbose: Whether to print where the artifact was written (default True).
        input_signature: Optional input specs (`keras.InputSpec`, `tf.TensorSpec`,
            KerasTensors or tensors, nested as the model takes them); defaults to the
            model's inputs. `None` sizes stay dynamic in the ONNX graph.
        opset_version: Optional ONNX opset version (default: the converter's).
        **kwargs: Passed to the backend's `onnx_exporter` hook (torch: `torch.onnx.export`
            arguments); refused elsewhere.

    Returns:
        The path written.
    """
    if input_signature is None:
        input_signature = saved_model.get_input_signature(model)
    input_signature = list(input_signature)
    hook = registry.optional_hook("onnx_exporter")
    exporter = hook() if hook is not None else None
    declared = FORMAT in _declared_formats()
    if exporter is None and not declared:
        return saved_model.export_in_subprocess(
            model,
            filepath,
            FORMAT,
            verbose,
            input_signature,
            opset_version=opset_version,
            **kwargs,
        )
    flat_specs = list(tree.flatten(input_signature))
    names = input_names(flat_specs)
    call = _flat_call(model, input_signature)
    outputs = getattr(model, "outputs", None)
    if outputs:
        out_count = len(outputs)
    else:  # a subclassed model: count the outputs of one call
        out_count = len(call(*[saved_model.example_input(spec) for spec in flat_specs]))
    out_names = output_names(model, out_count)
    if exporter is not None:
        exporter(
            model,
            filepath,
            call,
            flat_specs,
            names,
            out_names,
            opset_version,
            **kwargs,
        )
    else:
        if kwargs:
            raise ValueError(
                f"Unrecognized keyword arguments for the ONNX export: {sorted(kwargs)}"
            )
        _export_with_tf2onnx(model, filepath, call, flat_specs, names, out_names, opset_version)
    if verbose is None or verbose:
        print(f"Saved artifact at '{filepath}'.")
    return filepath


def _declared_formats():
    try:
        return registry.declared_info(backend.backend())["export_formats"]
    except registry.BackendError:
        return ()
