"""Hook `onnx_exporter`: `model.export(path, format="onnx")` on the torch backend, through
`torch.onnx`: the TorchDynamo exporter (`None` sizes as `torch.export.Dim`s) when
`onnxscript` is installed, else (or when it fails) the TorchScript one (`dynamic_axes`),
as Keras 3 falls back. `onnx` and `onnxscript` are imported only when exporting."""

import importlib.util
import warnings

import numpy as np
import torch

from unikeras.backend.api import hookimpl


class _FlatCall(torch.nn.Module):
    """The model's inference call on flat positional tensors. For the dynamo exporter the
    model is kept out of the registered children, so its weights are read as constants (it
    fails on a parameter read through the unikeras Variable otherwise); the TorchScript
    exporter needs it registered (its parameters become the graph's initializers)."""

    def __init__(self, model, call, register):
        super().__init__()
        if register:
            self.model = model
        else:
            self.__dict__["_model"] = model
        self.__dict__["_call"] = call

    def forward(self, *flat):
        return tuple(self._call(*flat))


def _example(spec):
    dtype = getattr(spec, "dtype", None)
    dtype = getattr(dtype, "name", dtype) or "float32"
    # Dynamic sizes are traced at 2: a size of 1 would be specialised (broadcasting).
    shape = tuple(2 if d is None else int(d) for d in spec.shape)
    return torch.from_numpy(np.zeros(shape, np.dtype(dtype)))


def _dynamic_axes(flat_specs, input_names):
    """TorchScript's `dynamic_axes`: `{input name: {axis: symbol}}` for each `None` size."""
    axes = {}
    for i, (spec, name) in enumerate(zip(flat_specs, input_names)):
        dims = {
            d: ("batch" if d == 0 else f"dim_{i}_{d}")
            for d, size in enumerate(spec.shape)
            if size is None
        }
        if dims:
            axes[name] = dims
    return axes


def _dynamic_shapes(flat_specs):
    """`torch.export`'s `dynamic_shapes`: one `Dim` per `None` size, the batch axes of every
    input sharing one."""
    batch = torch.export.Dim("batch")
    shapes = []
    for i, spec in enumerate(flat_specs):
        dims = {
            d: (batch if d == 0 else torch.export.Dim(f"dim_{i}_{d}"))
            for d, size in enumerate(spec.shape)
            if size is None
        }
        shapes.append(dims or None)
    return tuple(shapes)


def export_onnx(
    model, filepath, call, input_signature, input_names, output_names, opset_version, **kwargs
):
    """Writes `call` (the model's flat inference call) as ONNX with `torch.onnx.export`.

    Args:
        model: The model (a `torch.nn.Module` on this backend).
        filepath: Path of the `.onnx` file.
        call: Function of the flat input tensors returning the flat outputs.
        input_signature: Flat list of input specs (`None` sizes are dynamic).
        input_names: ONNX input names.
        output_names: ONNX output names.
        opset_version: ONNX opset version, or `None` for torch's default.
        **kwargs: Further `torch.onnx.export` arguments.
    """
    try:
        import onnx  # noqa: F401  (torch.onnx needs it to write the file)
    except ImportError:
        raise ImportError(
            "Exporting to ONNX on the torch backend (`torch.onnx`) requires `onnx`. Install "
            "it with `pip install onnx onnxscript`."
        ) from None
    examples = tuple(_example(spec) for spec in input_signature)
    dynamic_axes = _dynamic_axes(input_signature, input_names)
    common = dict(input_names=list(input_names), output_names=list(output_names))
    if opset_version is not None:
        common["opset_version"] = opset_version
    common.update(kwargs)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer and deprecation warnings of torch.onnx
        if importlib.util.find_spec("onnxscript") is not None:
            try:  # the TorchDynamo exporter (needs onnxscript), dynamic sizes as `Dim`s
                dynamic = {"flat": _dynamic_shapes(input_signature)} if dynamic_axes else None
                program = torch.onnx.export(
                    _FlatCall(model, call, register=False).eval(),
                    examples,
                    dynamo=True,
                    dynamic_shapes=dynamic,
                    verbose=False,
                    **common,
                )
                program.save(str(filepath))
                return
            except Exception:  # fall back on the TorchScript exporter, as Keras 3 does
                pass
                pass
        torch.onnx.export(
            _FlatCall(model, call, register=True).eval(),
            examples,
            str(filepath),
            dynamo=False,
            export_params=True,
            do_constant_folding=True,
            dynamic_axes=dynamic_axes or None,
            **common,
        )


@hookimpl
def onnx_exporter():
    return export_onnx
