"""`model.export(path, format="openvino")`: an OpenVINO IR (`.xml` + `.bin`)."""

import os

import numpy as np
import openvino as ov

from unikeras.backend.api import use_backend

from unikeras.backend.api import tree


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
        return np.zeros(shape, np.dtype(getattr(spec, "dtype", None) or "float32"))

    return tree.map_structure(example, signature)


def export_openvino(model, filepath, input_signature=None):
    """Writes `model`'s inference graph as OpenVINO IR: `filepath` (`.xml`) plus its `.bin`.

    The batch dimension is dynamic (fixed to the signature's, 1 when unknown, for a model
    whose call needs a static batch size) and the weights are stored as constants in the
    `.bin`.

    Args:
        model: A built unikeras model.
        filepath: Path of the `.xml` file (`.xml` is appended when missing).
        input_signature: Optional input specs (objects with `shape` and `dtype`); defaults to
            `model.inputs`.

    Returns:
        The path of the `.xml` file.
    """
    from unikeras_openvino.trainer import trace

    filepath = os.fspath(filepath)
    if not filepath.endswith(".xml"):
        filepath += ".xml"
    inputs = _example_inputs(model, input_signature)
    # The model may have been built under another backend: trace it with OpenVINO's ops.
    with use_backend("openvino"):
        try:
            graph, _, _ = trace(
                lambda x: model(x, training=False),
                inputs,
                batch_dynamic=True,
                variables_as_inputs=False,
            )
        except Exception:  # the call needs a static batch size: export the signature's
            graph, _, _ = trace(
                lambda x: model(x, training=False),
                inputs,
                batch_dynamic=False,
                variables_as_inputs=False,
            )
    ov.save_model(graph, filepath, compress_to_fp16=False)
    return filepath
