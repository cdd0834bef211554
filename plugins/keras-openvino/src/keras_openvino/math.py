"""OpenVINO backend: math ops (`keras.ops.math`) as opset nodes."""

import openvino.opset14 as ov_ops

from unikeras.backend.hookspec import hookimpl

from keras_openvino.core import int_const
from keras_openvino.graph import const, graph_op, node
from keras_openvino.numpy import axes_of, dtype_out, float_dtype


def _float(x):
    return node(x, float_dtype(x))


@hookimpl
@graph_op
def rsqrt(x):
    x = _float(x)
    return ov_ops.divide(const(1, dtype_out(x)), ov_ops.sqrt(x))


@hookimpl
@graph_op
def erf(x):
    return ov_ops.erf(_float(x))


@hookimpl
@graph_op
def erfc(x):
    x = _float(x)
    return ov_ops.subtract(const(1, dtype_out(x)), ov_ops.erf(x))


@hookimpl
@graph_op
def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    axes = int_const(axes_of(axis, x))
    peak = ov_ops.reduce_max(x, axes, True)
    # An infinite peak would give inf - inf: shift by zero there instead.
    finite_peak = ov_ops.select(ov_ops.is_finite(peak), peak, const(0, dtype_out(x)))
    total = ov_ops.reduce_sum(ov_ops.exp(ov_ops.subtract(x, finite_peak)), axes, True)
    out = ov_ops.add(ov_ops.log(total), finite_peak)
    return out if keepdims else ov_ops.squeeze(out, axes)
