"""OpenVINO backend: neural-network ops (`keras.ops.nn`) as opset nodes."""

import openvino.opset14 as ov_ops

from unikeras.backend import dtypes
from unikeras.backend.config import epsilon as default_epsilon
from unikeras.backend.config import standardize_data_format
from unikeras.backend.hookspec import hookimpl

from keras_openvino.core import int_const
from keras_openvino.graph import const, dtype_of, graph_op, node, partial_shape
from keras_openvino.numpy import axes_of, dtype_out, float_dtype, rank


def _float(x):
    return node(x, float_dtype(x))


def _c(value, x):
    """A scalar Constant in the dtype of graph value `x`."""
    return const(value, dtype_out(x))


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def relu(x):
    x = node(x)
    return ov_ops.maximum(x, _c(0, x))


@hookimpl
@graph_op
def relu6(x):
    x = node(x)
    return ov_ops.minimum(ov_ops.maximum(x, _c(0, x)), _c(6, x))


@hookimpl
@graph_op
def sigmoid(x):
    return ov_ops.sigmoid(_float(x))


@hookimpl
@graph_op
def softplus(x):
    return ov_ops.softplus(_float(x))


@hookimpl
@graph_op
def softsign(x):
    x = _float(x)
    return ov_ops.divide(x, ov_ops.add(ov_ops.absolute(x), _c(1, x)))


@hookimpl
@graph_op
def silu(x):
    x = _float(x)
    return ov_ops.multiply(x, ov_ops.sigmoid(x))


@hookimpl
@graph_op
def log_sigmoid(x):
    x = _float(x)
    return ov_ops.negative(ov_ops.softplus(ov_ops.negative(x)))


@hookimpl
@graph_op
def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    return ov_ops.select(ov_ops.greater_equal(x, _c(0, x)), x,
                         ov_ops.multiply(x, _c(negative_slope, x)))


@hookimpl
@graph_op
def hard_sigmoid(x):
    x = _float(x)
    return ov_ops.clamp(ov_ops.add(ov_ops.divide(x, _c(6, x)), _c(0.5, x)), 0.0, 1.0)


@hookimpl
@graph_op
def hard_silu(x):
    x = _float(x)
    return ov_ops.multiply(x, hard_sigmoid(x))


@hookimpl
@graph_op
def elu(x, alpha=1.0):
    x = _float(x)
    negative_part = ov_ops.multiply(_c(alpha, x), ov_ops.subtract(ov_ops.exp(x), _c(1, x)))
    return ov_ops.select(ov_ops.greater(x, _c(0, x)), x, negative_part)


@hookimpl
@graph_op
def selu(x):
    x = _float(x)
    return ov_ops.multiply(_c(1.0507009873554804934193349852946, x),
                           elu(x, alpha=1.6732632423543772848170429916717))


@hookimpl
@graph_op
def gelu(x, approximate=True):
    x = _float(x)
    return ov_ops.gelu(x, "tanh" if approximate else "erf")


@hookimpl
@graph_op
def celu(x, alpha=1.0):
    x = _float(x)
    scaled = ov_ops.multiply(_c(alpha, x), ov_ops.subtract(
        ov_ops.exp(ov_ops.divide(x, _c(alpha, x))), _c(1, x)))
    return ov_ops.add(ov_ops.maximum(x, _c(0, x)), ov_ops.minimum(_c(0, x), scaled))


@hookimpl
@graph_op
def tanh_shrink(x):
    x = _float(x)
    return ov_ops.subtract(x, ov_ops.tanh(x))


@hookimpl
@graph_op
def hard_tanh(x):
    return ov_ops.clamp(_float(x), -1.0, 1.0)


@hookimpl
@graph_op
def softmax(x, axis=-1):
    x = _float(x)
    if rank(x) == 0:
        return ov_ops.divide(x, x)
    axes = axes_of(axis, x)
    if len(axes) == 1:
        return ov_ops.softmax(x, axes[0])
    shifted = ov_ops.subtract(x, ov_ops.reduce_max(x, int_const(axes), True))
    e = ov_ops.exp(shifted)
    return ov_ops.divide(e, ov_ops.reduce_sum(e, int_const(axes), True))


@hookimpl
@graph_op
def log_softmax(x, axis=-1):
    x = _float(x)
    axes = axes_of(axis, x)
    if len(axes) == 1 and rank(x):
        return ov_ops.log_softmax(x, axes[0])
    shifted = ov_ops.subtract(x, ov_ops.reduce_max(x, int_const(axes), True))
    return ov_ops.subtract(shifted, ov_ops.log(
        ov_ops.reduce_sum(ov_ops.exp(shifted), int_const(axes), True)))


# --------------------------------------------------------------------------------------------
# Convolution and pooling: OpenVINO works channels-first with (out, in, *window) kernels
# --------------------------------------------------------------------------------------------


def _tuple(value, n):
    return [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)] * n


def _to_channels_first(x, data_format):
    if data_format == "channels_first":
        return x
    n = rank(x)
    return ov_ops.transpose(x, int_const([0, n - 1] + list(range(1, n - 1)))).output(0)


def _from_channels_first(x, data_format):
    if data_format == "channels_first":
        return x
    n = rank(x)
    return ov_ops.transpose(x, int_const([0] + list(range(2, n)) + [1]))


def _auto_pad(padding, op_name):
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"{op_name}: `padding` must be 'valid' or 'same'. Received: {padding}")
    return "same_upper" if padding == "same" else "valid"


def _conv_input(op_name, inputs, kernel, data_format):
    dtype = dtypes.result_type(dtype_of(inputs), dtype_of(kernel))
    dtype = dtype if dtypes.is_float_dtype(dtype) else float_dtype(inputs, kernel)
    data_format = standardize_data_format(data_format)
    x = _to_channels_first(node(inputs, dtype), data_format)
    return x, node(kernel, dtype), data_format


def _window_kernel(kernel):
    """(*window, in, out) -> (out, in, *window)."""
    n = rank(kernel)
    return ov_ops.transpose(kernel, int_const([n - 1, n - 2] + list(range(n - 2)))).output(0)


def _convolve(x, weights, strides, padding, dilation_rate, groups, op_name):
    spatial = rank(x) - 2
    zeros = [0] * spatial
    strides, dilations = _tuple(strides, spatial), _tuple(dilation_rate, spatial)
    auto_pad = _auto_pad(padding, op_name)
    if groups == 1:
        return ov_ops.convolution(x, weights, strides, zeros, zeros, dilations, auto_pad)
    return ov_ops.group_convolution(x, weights, strides, zeros, zeros, dilations, auto_pad)


@hookimpl
@graph_op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, data_format = _conv_input("conv", inputs, kernel, data_format)
    k_shape = list(partial_shape(kernel))
    channels = partial_shape(x)[1]
    per_group, out_channels = k_shape[-2], k_shape[-1]
    if per_group == 0 or channels % per_group or out_channels % (channels // per_group):
        raise ValueError(
            "conv: the input channel count must be a multiple of kernel.shape[-2], and the "
            "output channel count a multiple of the number of groups. Received: "
            f"input channels={channels}, kernel.shape={tuple(k_shape)}"
        )
    groups = channels // per_group
    weights = _window_kernel(kernel)
    if groups > 1:  # (out, in/g, *window) -> (g, out/g, in/g, *window)
        weights = ov_ops.reshape(weights, int_const(
            [groups, out_channels // groups, per_group] + k_shape[:-2]), False).output(0)
    out = _convolve(x, weights, strides, padding, dilation_rate, groups, "conv")
    return _from_channels_first(out, data_format)


@hookimpl
@graph_op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    x, kernel, data_format = _conv_input("depthwise_conv", inputs, kernel, data_format)
    k_shape = list(partial_shape(kernel))
    channels, multiplier = k_shape[-2], k_shape[-1]
    if partial_shape(x)[1] != channels:
        raise ValueError(
            "depthwise_conv: kernel.shape[-2] must equal the input channel count. Received: "
            f"kernel.shape={tuple(k_shape)}"
        )
    weights = ov_ops.reshape(_window_kernel(kernel),  # (mult, ch, *w) -> (ch, mult, 1, *w)
                             int_const([multiplier, channels] + k_shape[:-2]), False)
    n = len(k_shape)
    weights = ov_ops.transpose(weights, int_const([1, 0] + list(range(2, n))))
    weights = ov_ops.unsqueeze(weights, int_const([2]))
    out = _convolve(x, weights, strides, padding, dilation_rate, channels, "depthwise_conv")
    return _from_channels_first(out, data_format)


@hookimpl
@graph_op
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format,
                               dilation_rate)
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def _pool_setup(op_name, inputs, pool_size, strides, padding, data_format):
    data_format = standardize_data_format(data_format)
    x = node(inputs)
    spatial = rank(x) - 2
    window = _tuple(pool_size, spatial)
    strides = window if strides is None else _tuple(strides, spatial)
    return _to_channels_first(x, data_format), window, strides, \
        _auto_pad(padding, op_name), data_format


@hookimpl
@graph_op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, strides, auto_pad, data_format = _pool_setup(
        "max_pool", inputs, pool_size, strides, padding, data_format)
    zeros = [0] * len(window)
    pooled = ov_ops.max_pool(x, strides, [1] * len(window), zeros, zeros, window, "floor",
                             auto_pad)
    return _from_channels_first(pooled.output(0), data_format)


@hookimpl
@graph_op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, strides, auto_pad, data_format = _pool_setup(
        "average_pool", inputs, pool_size, strides, padding, data_format)
    x = node(x, float_dtype(x))
    zeros = [0] * len(window)
    pooled = ov_ops.avg_pool(x, strides, zeros, zeros, window, True, "floor", auto_pad)
    return _from_channels_first(pooled.output(0), data_format)


# --------------------------------------------------------------------------------------------
# Encodings and normalization
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    dtype = dtypes.standardize_dtype(dtype)
    x = node(x, "int64")
    axis = axis if axis >= 0 else rank(x) + 1 + axis
    return ov_ops.one_hot(x, const(num_classes, "int64"), const(1, dtype), const(0, dtype),
                          axis)


@hookimpl
@graph_op
def moments(x, axes, keepdims=False, synchronized=False):
    x = _float(x)
    compute = dtypes.result_type(dtype_out(x), "float32")
    xc = node(x, compute)
    axes = int_const(axes_of(axes, xc))
    mean = ov_ops.reduce_mean(xc, axes, True)
    centered = ov_ops.subtract(xc, mean)
    variance = ov_ops.reduce_mean(ov_ops.multiply(centered, centered), axes, keepdims)
    if not keepdims:
        mean = ov_ops.squeeze(mean, axes)
    return node(mean.output(0), dtype_out(x)), node(variance.output(0), dtype_out(x))


@hookimpl
@graph_op
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _float(x)
    dtype = dtype_out(x)
    n = rank(x)
    axis = int(axis) % n

    def along_axis(v):
        v = node(v, dtype)
        if rank(v) == 1 and n > 1:
            shape = [1] * n
            shape[axis] = -1
            v = ov_ops.reshape(v, int_const(shape), False).output(0)
        return v

    inv = ov_ops.divide(_c(1, x), ov_ops.sqrt(ov_ops.add(along_axis(variance), _c(epsilon, x))))
    if scale is not None:
        inv = ov_ops.multiply(inv, along_axis(scale))
    out = ov_ops.multiply(ov_ops.subtract(x, along_axis(mean)), inv)
    return out if offset is None else ov_ops.add(out, along_axis(offset))


@hookimpl
@graph_op
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    x_in = node(x)
    epsilon = default_epsilon() if epsilon is None else epsilon
    compute = dtypes.result_type(float_dtype(x_in), "float32")
    xc = node(x_in, compute)
    axes = int_const(axes_of(axis, xc))
    if kwargs.get("rms_scaling"):
        out = ov_ops.multiply(xc, ov_ops.divide(_c(1, xc), ov_ops.sqrt(ov_ops.add(
            ov_ops.reduce_mean(ov_ops.multiply(xc, xc), axes, True), _c(epsilon, xc)))))
    else:
        out = ov_ops.mvn(xc, axes, True, float(epsilon), "inside_sqrt")
    if gamma is not None:
        out = ov_ops.multiply(out, node(gamma, compute))
    if beta is not None:
        out = ov_ops.add(out, node(beta, compute))
    return node(out.output(0), float_dtype(x_in))


@hookimpl
@graph_op
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    return layer_normalization(x, scale, None, axis, epsilon, rms_scaling=True)

