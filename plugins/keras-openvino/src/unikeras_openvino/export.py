"""`model.export(path, format="openvino")`: an OpenVINO IR (`.xml` + `.bin`)."""

import os

import numpy as np
import openvino as ov
import openvino.opset14 as ov_ops

from unikeras import ops

from unikeras.backend.api import use_backend

from unikeras.backend.api import tree

from unikeras_openvino.graph import constant as graph_constant, np_dtype


def _example_inputs(model, input_signature):
    signature = input_signature
    if signature is None:
        signature = getattr(model, "inputs", None)
    if signature is None:
        raise ValueError(
            "export: pass `input_signature` (KerasTensors or (shape, dtype) pairs) for a model "
            "without symbolic inputs (e.g. a subclassed model)."
        )

    def example(spec):
        shape = tuple(1 if d is None else d for d in spec.shape)
        return np.zeros(shape, np_dtype(getattr(spec, "dtype", None) or "float32"))

    return tree.map_structure(example, signature)


def export_openvino(model, filepath, input_signature=None, precision="f32"):
    """Writes `model`'s inference graph as OpenVINO IR: `filepath` (`.xml`) plus its `.bin`.

    The batch dimension is dynamic (fixed to the signature's, 1 when unknown, for a model
    whose call needs a static batch size) and the weights are stored as constants in the
    `.bin`.

    `precision` is the precision the IR is meant to run in: float32 weights are stored in it
    (`"f16"` and `"bf16"` halve the `.bin`; OpenVINO converts them back when it compiles) and
    it is recorded as the IR's `runtime_options/INFERENCE_PRECISION_HINT`
    (`ov.Core().read_model(path).get_rt_info(["runtime_options",
    "INFERENCE_PRECISION_HINT"])`). OpenVINO's CPU plugin does not apply that hint by itself
    (2026.4), and compiles in bfloat16 by default on CPUs with AMX or AVX512-BF16: pass
    `{"INFERENCE_PRECISION_HINT": hint}` to `compile_model` to run as exported.

    Args:
        model: A built unikeras model.
        filepath: Path of the `.xml` file (`.xml` is appended when missing).
        input_signature: Optional input specs (objects with `shape` and `dtype`); defaults to
            `model.inputs`.
        precision: `"f32"` (default, exact), `"bf16"` or `"f16"` (also accepted as
            `"float32"`, `"bfloat16"`, `"float16"`).

    Returns:
        The path of the `.xml` file.
    """
    from unikeras_openvino.config import _checked
    from unikeras_openvino.trainer import trace

    precision = _checked(precision, "model.export(format='openvino') precision")

    filepath = os.fspath(filepath)
    if not filepath.endswith(".xml"):
        filepath += ".xml"
    inputs = _example_inputs(model, input_signature)
    # The model may have been built under another backend: trace it with OpenVINO's ops.
    # Variables enter as graph parameters, replaced below by constants of their values read
    # by the model's own backend (a torch parameter, for one, does not convert to NumPy as
    # it is).
    with use_backend("openvino"):
        try:
            graph, fed, _ = trace(
                lambda x: model(x, training=False),
                inputs,
                batch_dynamic=True,
                variables_as_inputs=True,
            )
        except Exception:  # the call needs a static batch size: export the signature's
            graph, fed, _ = trace(
                lambda x: model(x, training=False),
                inputs,
                batch_dynamic=False,
                variables_as_inputs=True,
            )
    data_params = list(graph.get_parameters())[: len(graph.get_parameters()) - len(fed)]
    for param, variable in zip(list(graph.get_parameters())[len(data_params) :], fed):
        value = np.asarray(ops.convert_to_numpy(variable.value))
        if precision == "bf16" and value.dtype == np.float32:
            # Stored in bfloat16, read as float32 (NumPy has no bfloat16 to save).
            constant = ov_ops.convert(ov_ops.constant(value, dtype=ov.Type.bf16), ov.Type.f32)
            constant = constant.output(0)
        else:
            constant = graph_constant(value)  # bfloat16 weights too
        for target in list(param.output(0).get_target_inputs()):
            target.replace_source_output(constant)
    graph = ov.Model(graph.get_results(), data_params, "unikeras_model")
    _name_inputs_and_outputs(model, graph, input_signature)
    graph.set_rt_info(precision, ["runtime_options", "INFERENCE_PRECISION_HINT"])
    ov.save_model(graph, filepath, compress_to_fp16=precision == "f16")
    return filepath


def _name_inputs_and_outputs(model, graph, input_signature):
    """Names the IR's inputs after the model's inputs (or the signature's names) and its
    outputs after the layers producing them, as the ONNX export does."""
    specs = tree.flatten(input_signature if input_signature is not None else model.inputs)
    used = set()
    for i, (param, spec) in enumerate(zip(graph.get_parameters(), specs)):
        name = getattr(spec, "name", None)
        name = name.split(":")[0] if isinstance(name, str) and name else f"input_{i}"
        if name in used:
            name = f"{name}_{i}"
        used.add(name)
        param.set_friendly_name(name)
        param.output(0).get_tensor().set_names({name})
    outputs = list(getattr(model, "outputs", None) or [])
    results = graph.get_results()
    if len(outputs) != len(results):
        return
    used = set()
    for i, (result, tensor) in enumerate(zip(results, outputs)):
        history = getattr(tensor, "_keras_history", None)
        name = getattr(history[0], "name", None) if history else None
        name = name or f"output_{i}"
        if name in used or name in {p.get_friendly_name() for p in graph.get_parameters()}:
            name = f"{name}_{i}"
        used.add(name)
        result.output(0).get_tensor().set_names({name})
