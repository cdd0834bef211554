"""OpenVINO backend: neural-network ops (`keras.ops.nn`) as opset nodes."""

import numpy as np
import openvino.opset14 as ov_ops
import openvino.opset15 as ov15

from unikeras.backend.api import dtypes, epsilon as default_epsilon, standardize_data_format
from unikeras.backend.common.array_args import check_ctc_strategy
from unikeras.backend.common.conv_args import (
    adaptive_bounds,
    check_depth_to_space,
    check_kernel_rank,
    check_rank,
    check_rank4,
    check_space_to_depth,
    conv_args,
    dilated_span,
    fold_sizes,
    transpose_pads,
    unfold_args,
)
from unikeras.backend.api import hookimpl

from unikeras_openvino import stable
from unikeras_openvino.core import int_const
from unikeras_openvino.graph import const, dtype_of, graph_op, node, out_of, partial_shape
from unikeras_openvino.numpy import axes_of, dtype_out, float_dtype, rank


def _float(x):
    return node(x, float_dtype(x))


def _c(value, x):
    """A scalar Constant in the dtype of graph value `x`."""
    return const(value, dtype_out(x))


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------


def _expm1(x):
    """exp(x) - 1 of graph value `x` (float32: without the cancellation near 0)."""
    if stable.precise(x):
        return stable.expm1(x)
    return ov_ops.subtract(ov_ops.exp(x), _c(1, x))


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
    x = _float(x)
    return stable.softplus(x) if stable.is_float32(x) else ov_ops.softplus(x)


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
    if stable.is_float32(x):
        return stable.log_sigmoid(x)
    return ov_ops.negative(ov_ops.softplus(ov_ops.negative(x)))


@hookimpl
@graph_op
def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    return ov_ops.select(
        ov_ops.greater_equal(x, _c(0, x)), x, ov_ops.multiply(x, _c(negative_slope, x))
    )


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
    negative_part = ov_ops.multiply(_c(alpha, x), _expm1(x))
    return ov_ops.select(ov_ops.greater(x, _c(0, x)), x, negative_part)


@hookimpl
@graph_op
def selu(x):
    x = _float(x)
    return ov_ops.multiply(
        _c(1.0507009873554804934193349852946, x), elu(x, alpha=1.6732632423543772848170429916717)
    )


@hookimpl
@graph_op
def gelu(x, approximate=True):
    x = _float(x)
    if stable.precise(x):
        return stable.gelu(x, approximate)
    if approximate:
        return ov_ops.gelu(x, "tanh")
    # Spelled out: OpenVINO's Gelu(erf) is float32-accurate only, also on float64.
    half_x = ov_ops.multiply(x, _c(0.5, x))
    return ov_ops.multiply(
        half_x, ov_ops.add(_c(1, x), ov_ops.erf(ov_ops.multiply(x, _c(1 / np.sqrt(2.0), x))))
    )


@hookimpl
@graph_op
def celu(x, alpha=1.0):
    x = _float(x)
    scaled = ov_ops.multiply(_c(alpha, x), _expm1(ov_ops.divide(x, _c(alpha, x))))
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
    return ov_ops.subtract(
        shifted, ov_ops.log(ov_ops.reduce_sum(ov_ops.exp(shifted), int_const(axes), True))
    )


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


def _conv_dtype(inputs, kernel):
    """The result dtype of a convolution: the promoted dtype (integers stay integers)."""
    return dtypes.result_type(dtype_of(inputs), dtype_of(kernel))


def _conv_input(op_name, inputs, kernel, data_format):
    dtype = dtypes.result_type(dtype_of(inputs), dtype_of(kernel))
    # Integer convolutions run in float64 (exact for the sums of int32 products Keras
    # tests) and come back in the integer dtype.
    dtype = dtype if dtypes.is_float_dtype(dtype) else "float64"
    data_format = standardize_data_format(data_format)
    x, kernel = node(inputs, dtype), node(kernel, dtype)
    check_rank(op_name, partial_shape(x))
    check_kernel_rank(op_name, partial_shape(x), partial_shape(kernel))
    return _to_channels_first(x, data_format), kernel, data_format


def _window_kernel(kernel):
    """(*window, in, out) -> (out, in, *window)."""
    n = rank(kernel)
    return ov_ops.transpose(kernel, int_const([n - 1, n - 2] + list(range(n - 2)))).output(0)


def _convolve(x, weights, strides, padding, dilation_rate, op_name):
    spatial = rank(x) - 2
    zeros = [0] * spatial
    strides, dilations = _tuple(strides, spatial), _tuple(dilation_rate, spatial)
    auto_pad = _auto_pad(padding, op_name)
    if rank(weights) == rank(x):  # (out, in, *window); grouped weights have a group axis
        return ov_ops.convolution(x, weights, strides, zeros, zeros, dilations, auto_pad)
    return ov_ops.group_convolution(x, weights, strides, zeros, zeros, dilations, auto_pad)


@hookimpl
@graph_op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    out_dtype = _conv_dtype(inputs, kernel)
    x, kernel, data_format = _conv_input("conv", inputs, kernel, data_format)
    k_shape = list(partial_shape(kernel))
    channels = partial_shape(x)[1]
    per_group, out_channels = k_shape[-2], k_shape[-1]
    groups = channels // per_group
    weights = _window_kernel(kernel)
    if groups > 1:  # (out, in/g, *window) -> (g, out/g, in/g, *window)
        weights = ov_ops.reshape(
            weights, int_const([groups, out_channels // groups, per_group] + k_shape[:-2]), False
        ).output(0)
    out = _convolve(x, weights, strides, padding, dilation_rate, "conv")
    return node(out_of(_from_channels_first(out, data_format)), out_dtype)


@hookimpl
@graph_op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    out_dtype = _conv_dtype(inputs, kernel)
    x, kernel, data_format = _conv_input("depthwise_conv", inputs, kernel, data_format)
    k_shape = list(partial_shape(kernel))
    channels, multiplier = k_shape[-2], k_shape[-1]
    weights = ov_ops.reshape(
        _window_kernel(kernel),  # (mult, ch, *w) -> (ch, mult, 1, *w)
        int_const([multiplier, channels] + k_shape[:-2]),
        False,
    )
    n = len(k_shape)
    weights = ov_ops.transpose(weights, int_const([1, 0] + list(range(2, n))))
    weights = ov_ops.unsqueeze(weights, int_const([2]))
    out = _convolve(x, weights, strides, padding, dilation_rate, "depthwise_conv")
    return node(out_of(_from_channels_first(out, data_format)), out_dtype)


def _pool_setup(op_name, inputs, pool_size, strides, padding, data_format):
    data_format = standardize_data_format(data_format)
    x = node(inputs)
    spatial = rank(x) - 2
    window = _tuple(pool_size, spatial)
    strides = window if strides is None else _tuple(strides, spatial)
    return (
        _to_channels_first(x, data_format),
        window,
        strides,
        _auto_pad(padding, op_name),
        data_format,
    )


@hookimpl
@graph_op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, strides, auto_pad, data_format = _pool_setup(
        "max_pool", inputs, pool_size, strides, padding, data_format
    )
    zeros = [0] * len(window)
    pooled = ov_ops.max_pool(x, strides, [1] * len(window), zeros, zeros, window, "floor", auto_pad)
    return _from_channels_first(pooled.output(0), data_format)


@hookimpl
@graph_op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, strides, auto_pad, data_format = _pool_setup(
        "average_pool", inputs, pool_size, strides, padding, data_format
    )
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
    return ov_ops.one_hot(x, const(num_classes, "int64"), const(1, dtype), const(0, dtype), axis)


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
    axis_list = axes_of(axis, xc)
    axes = int_const(axis_list)
    shape = partial_shape(xc)
    laid_out = [d if a in axis_list else 1 for a, d in enumerate(shape)]

    def along_axes(v):
        v = node(v, compute)
        if rank(v) == len(shape) or axis_list == [len(shape) - 1]:
            return v
        return ov_ops.reshape(v, int_const(laid_out), False).output(0)

    rms_scaling = kwargs.get("rms_scaling")
    if rms_scaling:  # Keras 3 scales x (not x - mean) by the variance
        centered = ov_ops.subtract(xc, ov_ops.reduce_mean(xc, axes, True))
        variance = ov_ops.reduce_mean(ov_ops.multiply(centered, centered), axes, True)
        out = ov_ops.multiply(
            xc, ov_ops.divide(_c(1, xc), ov_ops.sqrt(ov_ops.add(variance, _c(epsilon, xc))))
        )
    else:
        out = ov_ops.mvn(xc, axes, True, float(epsilon), "inside_sqrt")
    if gamma is not None:
        out = ov_ops.multiply(out, along_axes(gamma))
    if beta is not None and not rms_scaling:
        out = ov_ops.add(out, along_axes(beta))
    return node(out.output(0), float_dtype(x_in))


@hookimpl
@graph_op
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    x_in = node(x)
    epsilon = default_epsilon() if epsilon is None else epsilon
    compute = dtypes.result_type(float_dtype(x_in), "float32")
    xc = node(x_in, compute)
    if rank(xc) == 0:
        xc = ov_ops.unsqueeze(xc, int_const([0])).output(0)
    mean_square = ov_ops.reduce_mean(ov_ops.multiply(xc, xc), int_const(axes_of(axis, xc)), True)
    out = ov_ops.divide(xc, ov_ops.sqrt(ov_ops.add(mean_square, _c(epsilon, xc))))
    if scale is not None:
        out = ov_ops.multiply(out, node(scale, compute))
    return node(out.output(0), float_dtype(x_in))


# --------------------------------------------------------------------------------------------
# More activations
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def sparse_sigmoid(x):
    x = _float(x)
    return ov_ops.clamp(ov_ops.multiply(ov_ops.add(x, _c(1, x)), _c(0.5, x)), 0.0, 1.0)


@hookimpl
@graph_op
def sparse_plus(x):
    x = _float(x)
    shifted = ov_ops.add(x, _c(1, x))
    middle = ov_ops.multiply(_c(0.25, x), ov_ops.multiply(shifted, shifted))
    return ov_ops.select(
        ov_ops.less_equal(x, _c(-1, x)),
        _c(0, x),
        ov_ops.select(ov_ops.less(x, _c(1, x)), middle, x),
    )


@hookimpl
@graph_op
def squareplus(x, b=4):
    x = _float(x)
    root = ov_ops.sqrt(ov_ops.add(ov_ops.multiply(x, x), _c(b, x)))
    # (x + root) / 2 cancels for negative x: there it is b / (2 (root - x)).
    negative = ov_ops.divide(_c(b, x), ov_ops.multiply(ov_ops.subtract(root, x), _c(2, x)))
    positive = ov_ops.divide(ov_ops.add(x, root), _c(2, x))
    return ov_ops.select(ov_ops.less(x, _c(0, x)), negative, positive)


@hookimpl
@graph_op
def soft_shrink(x, threshold=0.5):
    x = _float(x)
    return ov_ops.select(
        ov_ops.greater(x, _c(threshold, x)),
        ov_ops.subtract(x, _c(threshold, x)),
        ov_ops.select(ov_ops.less(x, _c(-threshold, x)), ov_ops.add(x, _c(threshold, x)), _c(0, x)),
    )


@hookimpl
@graph_op
def hard_shrink(x, threshold=0.5):
    x = _float(x)
    return ov_ops.select(ov_ops.greater(ov_ops.absolute(x), _c(threshold, x)), x, _c(0, x))


@hookimpl
@graph_op
def threshold(x, threshold, default_value):
    x = _float(x)
    return ov_ops.select(ov_ops.greater(x, _c(threshold, x)), x, _c(default_value, x))


@hookimpl
@graph_op
def glu(x, axis=-1):
    x = _float(x)
    a, b = ov_ops.split(x, int_const(axis), 2).outputs()
    return ov_ops.multiply(a, ov_ops.sigmoid(b))


@hookimpl
@graph_op
def sparsemax(x, axis=-1):
    x = _float(x)
    axis = axes_of(axis, x)[0]
    size = partial_shape(x)[axis]
    z = ov_ops.topk(x, int_const(size), axis, "max", "value").output(0)  # sorted descending
    shape = [1] * rank(x)
    shape[axis] = size
    k = const(np.arange(1, size + 1).reshape(shape), dtype_out(x))
    cumsum = ov_ops.cumsum(z, int_const(axis))
    support = ov_ops.greater(ov_ops.multiply(z, k), ov_ops.subtract(cumsum, _c(1, x)))
    k_z = ov_ops.reduce_sum(ov_ops.convert(support, "i64"), int_const([axis]), True)
    last = ov_ops.maximum(ov_ops.subtract(k_z, int_const(1)), int_const(0))
    picked = ov_ops.gather_elements(cumsum, last, axis)
    tau = ov_ops.divide(
        ov_ops.subtract(picked, _c(1, x)),
        ov_ops.convert(ov_ops.maximum(k_z, int_const(1)), x.get_element_type()),
    )
    return ov_ops.maximum(ov_ops.subtract(x, tau), _c(0, x))


# --------------------------------------------------------------------------------------------
# Transposed convolution, adaptive pooling, rearrangements
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate):
    out_dtype = _conv_dtype(inputs, kernel)
    x, kernel, data_format = _conv_input("conv_transpose", inputs, kernel, data_format)
    n = rank(x) - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"conv_transpose: expected inputs of rank 3, 4 or 5. Received shape {partial_shape(x)}"
        )
    k_shape = partial_shape(kernel)
    strides, dilation = conv_args("conv_transpose", n, strides, dilation_rate)
    pads = transpose_pads(k_shape[:n], strides, dilation, padding, output_padding)
    spans = dilated_span(k_shape[:n], dilation)
    # OpenVINO's backprop-data op pads the stride-dilated input by span - 1 - pads_begin
    # (resp. pads_end) and adds output_padding at the end.
    begin = [span - 1 - before for span, (before, _) in zip(spans, pads)]
    end = [max(span - 1 - after, 0) for span, (_, after) in zip(spans, pads)]
    extra = [max(after - (span - 1), 0) for span, (_, after) in zip(spans, pads)]
    weights = ov_ops.transpose(kernel, int_const([n + 1, n] + list(range(n))))
    out = ov_ops.convolution_backprop_data(
        x, weights, list(strides), None, begin, end, list(dilation), "explicit", extra
    )
    return node(out_of(_from_channels_first(out.output(0), data_format)), out_dtype)


def _adaptive_pool(op_name, inputs, output_size, data_format, reduce):
    data_format = standardize_data_format(data_format)
    x = _to_channels_first(node(inputs), data_format)
    spatial = rank(x) - 2
    sizes = _tuple(output_size, spatial)
    for axis, out in enumerate(sizes):
        length = partial_shape(x)[axis + 2]
        if length is None:
            raise ValueError(f"{op_name}: the spatial sizes must be static.")
        cells = []
        for lo, hi in adaptive_bounds(length, out):
            window = ov_ops.slice(
                x, int_const([lo]), int_const([hi]), int_const([1]), int_const([axis + 2])
            )
            cells.append(reduce(window, int_const([axis + 2]), True).output(0))
        x = ov_ops.concat(cells, axis + 2).output(0)
    return _from_channels_first(x, data_format)


@hookimpl
@graph_op
def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive_pool("adaptive_max_pool", inputs, output_size, data_format, ov_ops.reduce_max)


@hookimpl
@graph_op
def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(
        "adaptive_average_pool", _float(inputs), output_size, data_format, ov_ops.reduce_mean
    )


# Keras orders the channels (block row, block col, depth) channels_last, else depth first.
_BLOCK_ORDER = {"channels_last": "blocks_first", "channels_first": "depth_first"}


def _move_blocks(op_name, x, block_size, data_format, check, build):
    data_format = standardize_data_format(data_format)
    x = node(x)
    check_rank4(op_name, partial_shape(x))
    x = _to_channels_first(x, data_format)
    shape = partial_shape(x)
    check(shape[:1] + shape[2:] + shape[1:2], int(block_size))  # checks take channels_last
    out = build(x, _BLOCK_ORDER[data_format], int(block_size))
    return _from_channels_first(out.output(0), data_format)


@hookimpl
@graph_op
def depth_to_space(x, block_size, data_format="channels_last"):
    return _move_blocks(
        "depth_to_space", x, block_size, data_format, check_depth_to_space, ov_ops.depth_to_space
    )


@hookimpl
@graph_op
def space_to_depth(x, block_size, data_format="channels_last"):
    return _move_blocks(
        "space_to_depth", x, block_size, data_format, check_space_to_depth, ov_ops.space_to_depth
    )


# --------------------------------------------------------------------------------------------
# Encodings, losses, metrics
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.pop("num_tokens", num_classes)
    x = node(inputs, "int32")
    hot = one_hot(x, num_classes, axis=axis, dtype=dtype)
    return ov_ops.reduce_max(hot, int_const([1 if rank(x) > 1 else 0]), False)


def _clip_probs(p):
    eps = default_epsilon()
    return ov_ops.clamp(p, eps, 1.0 - eps).output(0)


@hookimpl
@graph_op
def binary_crossentropy(target, output, from_logits=False):
    dtype = float_dtype(target, output)
    target, output = node(target, dtype), node(output, dtype)
    p = _clip_probs(ov_ops.sigmoid(output).output(0) if from_logits else output)
    one = _c(1, p)
    return ov_ops.negative(
        ov_ops.add(
            ov_ops.multiply(target, ov_ops.log(p)),
            ov_ops.multiply(ov_ops.subtract(one, target), ov_ops.log(ov_ops.subtract(one, p))),
        )
    )


def _log_probs(output, from_logits, axis):
    if from_logits:
        return log_softmax(output, axis=axis)
    total = ov_ops.reduce_sum(output, int_const([axis]), True)
    return ov_ops.log(_clip_probs(ov_ops.divide(output, total).output(0))).output(0)


@hookimpl
@graph_op
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    dtype = float_dtype(target, output)
    target, output = node(target, dtype), node(output, dtype)
    axis = axes_of(axis, output)[0]
    return ov_ops.negative(
        ov_ops.reduce_sum(
            ov_ops.multiply(target, _log_probs(output, from_logits, axis)), int_const([axis]), False
        )
    )


@hookimpl
@graph_op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _float(output)
    target = node(target, "int32")
    t_shape, o_shape = partial_shape(target), partial_shape(output)
    if len(t_shape) == len(o_shape) and t_shape and t_shape[-1] == 1:
        target = ov_ops.squeeze(target, int_const([-1])).output(0)
    axis = axes_of(axis, output)[0] if o_shape else 0
    hot = one_hot(target, o_shape[axis], axis=axis, dtype=dtype_out(output))
    return ov_ops.negative(
        ov_ops.reduce_sum(
            ov_ops.multiply(hot, _log_probs(output, from_logits, axis)), int_const([axis]), False
        )
    )


@hookimpl
@graph_op
def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    if rank(x) == 0:
        x = ov_ops.unsqueeze(x, int_const([0])).output(0)
    eps = default_epsilon() if epsilon is None else epsilon
    axes = int_const(axes_of(axis, x))
    if order == 2:
        squares = ov_ops.reduce_sum(ov_ops.multiply(x, x), axes, True)
        return ov_ops.divide(x, ov_ops.sqrt(ov_ops.maximum(squares, _c(eps * eps, x))))
    powered = ov_ops.reduce_sum(ov_ops.power(ov_ops.absolute(x), _c(order, x)), axes, True)
    norm = ov_ops.power(powered, _c(1.0 / order, x))
    return ov_ops.divide(x, ov_ops.maximum(norm, _c(eps, x)))


@hookimpl
@graph_op
def psnr(x1, x2, max_val):
    dtype = float_dtype(x1, x2)
    x1, x2 = node(x1, dtype), node(x2, dtype)
    diff = ov_ops.subtract(x1, x2)
    mse = ov_ops.reduce_mean(ov_ops.multiply(diff, diff), int_const(list(range(rank(x1)))), False)
    inv_ln10 = 1.0 / np.log(10.0)
    peak = ov_ops.multiply(
        _c(20, x1), ov_ops.multiply(ov_ops.log(node(max_val, dtype)), _c(inv_ln10, x1))
    )
    return ov_ops.subtract(peak, ov_ops.multiply(_c(10 * inv_ln10, x1), ov_ops.log(mse)))


@hookimpl
@graph_op
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    dtype = dtypes.result_type(dtype_of(output), "float32")
    logits = node(output, dtype)
    labels = node(target, "int32")
    steps, width = partial_shape(logits)[1], partial_shape(labels)[1]
    if width < steps:  # OpenVINO wants one label slot per time step
        labels = ov_ops.pad(
            labels, int_const([0, 0]), int_const([0, steps - width]), "constant", const(0, "int32")
        ).output(0)
    elif width > steps:
        labels = ov_ops.slice(
            labels, int_const([0]), int_const([steps]), int_const([1]), int_const([1])
        ).output(0)
    return ov_ops.ctc_loss(
        logits,
        node(output_length, "int32"),
        labels,
        node(target_length, "int32"),
        const(int(mask_index), "int32"),
        False,
        True,
        False,
    )


# --------------------------------------------------------------------------------------------
# Attention
# --------------------------------------------------------------------------------------------


def _repeat_heads(x, repeats):
    """(b, s, k, h) -> (b, s, k * repeats, h), each head repeated `repeats` times in place."""
    if repeats == 1:
        return x
    expanded = ov_ops.unsqueeze(x, int_const([3]))
    shape = ov_ops.shape_of(expanded, "i64")
    target = ov_ops.multiply(shape, int_const([1, 1, 1, repeats, 1]))
    tiled = ov_ops.broadcast(expanded, target)
    b, s, k, h = partial_shape(x)
    return ov_ops.reshape(tiled, int_const([0, 0, k * repeats, h]), True).output(0)


@hookimpl
@graph_op
def dot_product_attention(
    query, key, value, bias, mask, scale, is_causal, flash_attention, attn_logits_soft_cap
):
    dtype = float_dtype(query, key, value)
    query, key, value = node(query, dtype), node(key, dtype), node(value, dtype)
    squeeze = rank(query) == 3
    if squeeze:
        query, key, value = (
            ov_ops.unsqueeze(v, int_const([0])).output(0) for v in (query, key, value)
        )
    q_shape, k_shape, v_shape = partial_shape(query), partial_shape(key), partial_shape(value)
    if (
        len(q_shape) != 4
        or len(k_shape) != 4
        or k_shape[:-1] != v_shape[:-1]
        or q_shape[-2] % max(k_shape[-2], 1)
        or q_shape[-1] != k_shape[-1]
    ):
        raise ValueError(
            "dot_product_attention: expected query (batch, target_len, heads, dim) and "
            "key/value (batch, source_len, kv_heads, dim) with heads a multiple of kv_heads. "
            f"Received: query.shape={q_shape}, key.shape={k_shape}, value.shape={v_shape}"
        )
    repeats = q_shape[-2] // k_shape[-2]
    compute = dtypes.result_type(dtype, "float32")
    to_heads = int_const([0, 2, 1, 3])
    q = ov_ops.transpose(node(query, compute), to_heads)
    k = ov_ops.transpose(node(_repeat_heads(key, repeats), compute), to_heads)
    v = ov_ops.transpose(node(_repeat_heads(value, repeats), compute), to_heads)
    scale = 1.0 / float(np.sqrt(q_shape[-1])) if scale is None else scale
    logits = ov_ops.multiply(ov_ops.matmul(q, k, False, True), const(scale, compute))
    if attn_logits_soft_cap is not None:
        cap = const(attn_logits_soft_cap, compute)
        logits = ov_ops.multiply(cap, ov_ops.tanh(ov_ops.divide(logits, cap)))
    if bias is not None:
        logits = ov_ops.add(logits, node(bias, compute))
    keep = None
    if mask is not None:
        keep = node(mask, "bool")
    if is_causal:
        t, s = q_shape[1], k_shape[1]
        causal = const(np.tril(np.ones((t, s), bool)))
        keep = causal if keep is None else ov_ops.logical_and(keep, causal)
    if keep is not None:
        floor = float(np.finfo(np.dtype(compute)).min) * 0.7
        logits = ov_ops.select(keep, logits, const(floor, compute))
    probs = node(ov_ops.softmax(logits, -1).output(0), dtype)
    out = ov_ops.matmul(node(probs, compute), v, False, False)
    out = node(ov_ops.transpose(out, to_heads).output(0), dtype)
    return ov_ops.squeeze(out, int_const([0])) if squeeze else out


@hookimpl
@graph_op
def ctc_decode(
    inputs, sequence_lengths, strategy, beam_width, top_paths, merge_repeated, mask_index
):
    check_ctc_strategy(strategy, "openvino")
    x = node(inputs, dtypes.result_type(dtype_of(inputs), "float32"))
    lengths = ov_ops.reshape(node(sequence_lengths, "int64"), int_const([-1, 1]), False)
    steps = partial_shape(x)[1]
    best = ov_ops.topk(x, int_const(1), -1, "max", "value", "i32", stable=True)
    indices = ov_ops.squeeze(best.output(1), int_const([-1]))
    scores = ov_ops.squeeze(best.output(0), int_const([-1]))
    past_end = ov_ops.greater_equal(int_const(np.arange(steps)[None, :]), lengths)
    blank_id = const(int(mask_index), "int32")
    indices = ov_ops.select(past_end, blank_id, indices).output(0)
    scores = ov_ops.select(past_end, _c(0, scores.output(0)), scores)
    if merge_repeated and steps > 1:
        shifted = ov_ops.slice(
            indices, int_const([0]), int_const([steps - 1]), int_const([1]), int_const([1])
        )
        # Step 0 has no predecessor: compare it with its own column, masked out below.
        previous = ov_ops.concat(
            [
                ov_ops.slice(
                    indices, int_const([0]), int_const([1]), int_const([1]), int_const([1])
                ),
                shifted,
            ],
            1,
        )
        first = const(np.arange(steps)[None, :] == 0)
        repeat = ov_ops.logical_and(ov_ops.equal(indices, previous), ov_ops.logical_not(first))
        indices = ov_ops.select(repeat, blank_id, indices).output(0)
    blank = ov_ops.equal(indices, blank_id)
    # Kept labels first in their order, the -1 padding after them (a stable sort by key).
    keys = ov_ops.select(blank, int_const(steps), int_const(np.arange(steps)[None, :]))
    order = ov_ops.topk(keys, int_const(steps), -1, "min", "value", "i64", stable=True).output(1)
    labels = ov_ops.select(blank, const(-1, "int32"), indices)
    decoded = ov_ops.gather_elements(labels, order, 1)
    total = ov_ops.reduce_sum(scores, int_const([1]), True)
    return ov_ops.unsqueeze(decoded, int_const([0])), ov_ops.negative(total)


@hookimpl
@graph_op
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    from unikeras_openvino.image import window_stack

    x = node(x)
    k, d, p, s = unfold_args(kernel_size, dilation, padding, stride)
    nhwc = ov_ops.transpose(x, int_const([0, 2, 3, 1]))
    nhwc = ov_ops.pad(
        nhwc, int_const([0, p[0], p[1], 0]), int_const([0, p[0], p[1], 0]), "constant", _c(0, x)
    ).output(0)
    windows = window_stack(nhwc, k, s, d)  # (N, oH, oW, K, C)
    n, oh, ow, count, channels = partial_shape(windows)
    blocks = ov_ops.transpose(windows, int_const([0, 4, 3, 1, 2]))  # (N, C, K, oH, oW)
    return ov_ops.reshape(blocks, int_const([-1, channels * count, oh * ow]), False)


@hookimpl
@graph_op
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = node(x)
    (h, w), k, d, p, s, (oh, ow) = fold_sizes(output_size, kernel_size, dilation, padding, stride)
    channels = partial_shape(x)[1] // (k[0] * k[1])
    padded_h, padded_w = h + 2 * p[0], w + 2 * p[1]
    # Every block entry (c, i, j, a, b) adds into padded pixel (i d0 + a s0, j d1 + b s1).
    i, j, a, b = np.meshgrid(
        np.arange(k[0]), np.arange(k[1]), np.arange(oh), np.arange(ow), indexing="ij"
    )
    target = ((i * d[0] + a * s[0]) * padded_w + (j * d[1] + b * s[1])).reshape(-1, 1)
    blocks = ov_ops.reshape(x, int_const([0, channels, -1]), True)  # (N, C, K * L)
    moved = ov_ops.transpose(blocks, int_const([2, 0, 1]))  # (K * L, N, C)
    zeros = ov_ops.broadcast(
        _c(0, x),
        ov_ops.concat(
            [
                int_const([padded_h * padded_w]),
                ov_ops.gather(ov_ops.shape_of(moved, "i64"), int_const([1, 2]), int_const(0)),
            ],
            0,
        ),
    )
    summed = ov15.scatter_nd_update(zeros, int_const(target), moved, "sum")
    image = ov_ops.reshape(
        ov_ops.transpose(summed, int_const([1, 2, 0])), int_const([0, 0, padded_h, padded_w]), True
    )
    return ov_ops.slice(
        image,
        int_const([p[0], p[1]]),
        int_const([p[0] + h, p[1] + w]),
        int_const([1, 1]),
        int_const([2, 3]),
    )
