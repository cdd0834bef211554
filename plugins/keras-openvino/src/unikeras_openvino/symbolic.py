"""OpenVINO backend: symbolic shape inference (hook `compute_output_spec`): the function builds
a graph on Parameters with dynamic dimensions; if it needs values (or static sizes) it runs
on zeros, unknown dimensions probed at two sizes (`unikeras.backend.common.shape_probe`)."""

import numpy as np
import openvino as ov
import openvino.opset14 as ov_ops

from unikeras.backend.common import shape_probe
from unikeras.backend.api import hookimpl

from unikeras_openvino.graph import OpenVINOTensor, ov_type


def _parameter(spec):
    shape = ov.PartialShape([-1 if d is None else d for d in spec.shape])
    return OpenVINOTensor(output=ov_ops.parameter(shape, ov_type(spec.dtype)).output(0))


def _run_unknown(fn, args, kwargs):
    return shape_probe.call_on_concrete(fn, args, kwargs, _parameter)


def _run(fn, args, kwargs, size):
    return shape_probe.call_on_concrete(
        fn,
        args,
        kwargs,
        lambda spec: OpenVINOTensor(
            data=np.zeros(shape_probe.probe_shape(spec, size), np.dtype(spec.dtype))
        ),
    )


@hookimpl
def compute_output_spec(fn, args, kwargs):
    return shape_probe.output_spec(fn, args, kwargs, _run, _run_unknown)
