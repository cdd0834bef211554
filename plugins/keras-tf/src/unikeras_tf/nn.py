"""TensorFlow backend: neural-network ops (`keras.ops.nn`)."""

import math

import tensorflow as tf

from unikeras.backend.api import dtypes
from unikeras.backend.common.array_args import (
    check_attention_shapes,
    check_ctc_loss_shapes,
    check_ctc_strategy,
)
from unikeras.backend.common.axes import canonical_axes
from unikeras.backend.common.conv_args import (
    check_rank,
    pair,
    same_padding,
    spatial_tuple,
    transpose_padding,
)
from unikeras.backend.api import epsilon as _epsilon, floatx, hookimpl, standardize_data_format
from unikeras_tf.convert import convert_to_tensor, to_tf_dtype
from unikeras_tf.numpy import floats, moveaxis, promote

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _float(x):
    """`x` as a tensor; integer and bool inputs become `floatx()`."""
    return floats(x)


def _c(value, x):
    """A scalar constant in the dtype of `x`."""
    return tf.constant(value, x.dtype)


def _computed_in_float32(fn, x, *others):
    """Runs `fn` in at least float32 and casts the result back to the dtype of `x`."""
    x = convert_to_tensor(x)
    compute = to_tf_dtype(dtypes.result_type(x.dtype, "float32"))
    others = [None if o is None else convert_to_tensor(o, compute) for o in others]
    return tf.cast(fn(tf.cast(x, compute), *others), x.dtype)


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------


@hookimpl
def relu(x):
    x = convert_to_tensor(x)
    if x.dtype.is_floating:
        # The Relu op (gradient 0 at 0, as in Keras) fuses into a preceding convolution or
        # matmul with bias (Grappler's remapper); `maximum` does not.
        return tf.nn.relu(x)
    return tf.maximum(x, tf.zeros((), x.dtype))


@hookimpl
def relu6(x):
    x = convert_to_tensor(x)
    return tf.minimum(tf.maximum(x, _c(0, x)), _c(6, x))


@hookimpl
def sigmoid(x):
    return tf.sigmoid(_float(x))


@hookimpl
def sparse_sigmoid(x):
    x = _float(x)
    return tf.clip_by_value((x + _c(1, x)) * _c(0.5, x), _c(0, x), _c(1, x))


@hookimpl
def softplus(x):
    return tf.nn.softplus(_float(x))


@hookimpl
def softsign(x):
    x = _float(x)
    return x / (_c(1, x) + tf.abs(x))


@hookimpl
def soft_shrink(x, threshold=0.5):
    x = _float(x)
    t = _c(threshold, x)
    return tf.where(x > t, x - t, tf.where(x < -t, x + t, _c(0, x)))


@hookimpl
def sparse_plus(x):
    x = _float(x)
    middle = _c(0.25, x) * tf.square(x + _c(1, x))
    return tf.where(x <= -1, _c(0, x), tf.where(x < 1, middle, x))


@hookimpl
def silu(x):
    x = _float(x)
    return x * tf.sigmoid(x)


@hookimpl
def squareplus(x, b=4):
    x = _float(x)
    return (x + tf.sqrt(tf.square(x) + _c(b, x))) / _c(2, x)


@hookimpl
def log_sigmoid(x):
    return -tf.nn.softplus(-_float(x))


@hookimpl
def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    if x.dtype in _CONV_DTYPES:
        # TF's own op: its gradient has a gradient (zeros), as Keras 3's TF backend, so a
        # gradient penalty through it reaches the weights before it (tf.where's is None).
        return tf.nn.leaky_relu(x, alpha=negative_slope)
    return tf.where(x >= 0, x, _c(negative_slope, x) * x)


@hookimpl
def hard_sigmoid(x):
    x = _float(x)
    return tf.clip_by_value(x / _c(6, x) + _c(0.5, x), _c(0, x), _c(1, x))


@hookimpl
def hard_silu(x):
    x = _float(x)
    return x * hard_sigmoid(x)


@hookimpl
def elu(x, alpha=1.0):
    x = _float(x)
    return tf.where(x > 0, x, _c(alpha, x) * tf.math.expm1(tf.minimum(x, _c(0, x))))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@hookimpl
def selu(x):
    x = _float(x)
    return _c(_SELU_SCALE, x) * elu(x, _SELU_ALPHA)


@hookimpl
def gelu(x, approximate=True):
    x = _float(x)
    if approximate:
        inner = _c(math.sqrt(2 / math.pi), x) * (x + _c(0.044715, x) * x * x * x)
        return _c(0.5, x) * x * (_c(1, x) + tf.tanh(inner))
    wide = tf.cast(x, tf.float64)
    cdf = 0.5 * (1.0 + tf.math.erf(wide / math.sqrt(2)))
    return x * tf.cast(cdf, x.dtype)


@hookimpl
def celu(x, alpha=1.0):
    x = _float(x)
    a = _c(alpha, x)
    return tf.maximum(x, _c(0, x)) + a * tf.math.expm1(tf.minimum(x, _c(0, x)) / a)


@hookimpl
def glu(x, axis=-1):
    x = _float(x)
    a, b = tf.split(x, 2, axis=axis)
    return a * tf.sigmoid(b)


@hookimpl
def tanh_shrink(x):
    x = _float(x)
    return x - tf.tanh(x)


@hookimpl
def hard_tanh(x):
    x = _float(x)
    return tf.clip_by_value(x, _c(-1, x), _c(1, x))


@hookimpl
def hard_shrink(x, threshold=0.5):
    x = _float(x)
    return tf.where(tf.abs(x) > _c(threshold, x), x, _c(0, x))


@hookimpl
def threshold(x, threshold, default_value):
    x = _float(x)
    return tf.where(x > _c(threshold, x), x, _c(default_value, x))


def _reduce_axes(x, axis):
    return None if axis is None else canonical_axes(axis, x.shape.rank)


def _logsumexp(x, axis):
    peak = tf.reduce_max(x, axis=axis, keepdims=True)
    peak = tf.where(tf.math.is_finite(peak), peak, _c(0, x))
    return tf.math.log(tf.reduce_sum(tf.exp(x - peak), axis=axis, keepdims=True)) + peak


_FUSED_SOFTMAX_DTYPES = (tf.float16, tf.bfloat16, tf.float32, tf.float64)


def _fused_axis(x, axis):
    """The one axis `tf.nn.softmax`/`log_softmax` can normalise `x` over, or `None`. Their
    fused kernels, forward and backward, take a third (softmax) and two thirds (log_softmax)
    of the time of the composed ops on CPU."""
    axes = _reduce_axes(x, axis)
    if axes is None or len(axes) != 1 or x.dtype not in _FUSED_SOFTMAX_DTYPES:
        return None
    return axes[0]


@hookimpl
def softmax(x, axis=-1):
    x = _float(x)
    if x.shape.rank == 0:
        return tf.ones_like(x)
    fused = _fused_axis(x, axis)
    if fused is not None:
        return tf.nn.softmax(x, axis=fused)
    axis = _reduce_axes(x, axis)
    e = tf.exp(x - tf.reduce_max(x, axis=axis, keepdims=True))
    return e / tf.reduce_sum(e, axis=axis, keepdims=True)


@hookimpl
def log_softmax(x, axis=-1):
    x = _float(x)
    if x.shape.rank == 0:
        return tf.zeros_like(x)
    fused = _fused_axis(x, axis)
    if fused is not None:
        return tf.nn.log_softmax(x, axis=fused)
    return x - _logsumexp(x, _reduce_axes(x, axis))


@hookimpl
def sparsemax(x, axis=-1):
    x = moveaxis(_float(x), axis, -1)
    z = -tf.sort(-x, axis=-1)
    k = tf.range(1, tf.shape(x)[-1] + 1, dtype=x.dtype)
    cumulative = tf.cumsum(z, axis=-1)
    support = z * k > cumulative - _c(1, x)
    k_z = tf.reduce_sum(tf.cast(support, tf.int32), axis=-1, keepdims=True)
    taken = tf.gather(cumulative, tf.maximum(k_z - 1, 0), batch_dims=x.shape.rank - 1)
    tau = (taken - _c(1, x)) / tf.cast(tf.maximum(k_z, 1), x.dtype)
    return moveaxis(tf.maximum(x - tau, _c(0, x)), -1, axis)


# --------------------------------------------------------------------------------------------
# Pooling and convolutions. Everything works on channels_last tensors (batch, *spatial, C).
# --------------------------------------------------------------------------------------------


def _channels_last(x, data_format):
    return moveaxis(x, 1, -1) if data_format == "channels_first" else x


def _restore_format(x, data_format):
    return moveaxis(x, -1, 1) if data_format == "channels_first" else x


def _spatial_pads(x, windows, strides, padding):
    padding = padding.lower()
    if padding == "valid":
        return [(0, 0)] * len(windows)
    if padding != "same":
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    return [same_padding(s, w, st) for s, w, st in zip(x.shape[1:-1], windows, strides)]


def _pad_spatial(x, pads, value=0):
    return tf.pad(x, [(0, 0)] + list(pads) + [(0, 0)], constant_values=tf.cast(value, x.dtype))


def _pool_setup(op, inputs, pool_size, strides, data_format):
    x = convert_to_tensor(inputs)
    check_rank(op, x.shape)
    data_format = standardize_data_format(data_format)
    n = x.shape.rank - 2
    pool_size = spatial_tuple(pool_size, n, "pool_size", op)
    strides = spatial_tuple(strides, n, "strides", op) or pool_size
    return _channels_last(x, data_format), pool_size, strides, data_format


def _pool(tf_pool, x, pool_size, strides, padding):
    """Runs `tf_pool`; 3-D pools of dtypes TF's 3-D kernels lack run as two 2-D pools (max
    and padding-excluding averages are separable over the axes)."""
    padding = padding.upper()
    if x.shape.rank != 5 or x.dtype in (tf.float16, tf.bfloat16, tf.float32):
        return tf_pool(x, pool_size, strides, padding)
    n, d, h, w, c = tf.unstack(tf.shape(x))
    merged = tf.reshape(x, tf.stack([n, d, h, w * c]))
    out = tf_pool(merged, pool_size[:2], strides[:2], padding)
    d2, h2 = tf.shape(out)[1], tf.shape(out)[2]
    out = tf.reshape(out, tf.stack([n, d2 * h2, w, c]))
    out = tf_pool(out, (1, pool_size[2]), (1, strides[2]), padding)
    return tf.reshape(out, tf.stack([n, d2, h2, tf.shape(out)[2], c]))


@hookimpl
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, pool_size, strides, data_format = _pool_setup(
        "max_pool", inputs, pool_size, strides, data_format
    )
    compute = x.dtype if x.dtype not in (tf.uint32, tf.uint64, tf.bool) else tf.int64
    out = _pool(tf.nn.max_pool, tf.cast(x, compute), pool_size, strides, padding)
    return _restore_format(tf.cast(out, x.dtype), data_format)


@hookimpl
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, pool_size, strides, data_format = _pool_setup(
        "average_pool", _float(inputs), pool_size, strides, data_format
    )
    # TensorFlow's "SAME" average divides by the number of real inputs per window.
    out = _pool(tf.nn.avg_pool, x, pool_size, strides, padding)
    return _restore_format(out, data_format)


def _adaptive_pool(op, inputs, output_size, data_format, reduce):
    x = convert_to_tensor(inputs)
    check_rank(op, x.shape)
    data_format = standardize_data_format(data_format)
    x = _channels_last(x, data_format)
    sizes = spatial_tuple(output_size, x.shape.rank - 2, "output_size", op)
    for axis, out in enumerate(sizes, start=1):
        length = x.shape[axis]
        parts = []
        for i in range(out):
            start, end = (i * length) // out, -(-((i + 1) * length) // out)
            index = [slice(None)] * x.shape.rank
            index[axis] = slice(start, end)
            parts.append(reduce(x[tuple(index)], axis=axis))
        x = tf.stack(parts, axis=axis)
    return _restore_format(x, data_format)


@hookimpl
def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive_pool("adaptive_max_pool", inputs, output_size, data_format, tf.reduce_max)


@hookimpl
def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(
        "adaptive_average_pool", _float(inputs), output_size, data_format, tf.reduce_mean
    )


_CONV_DTYPES = (tf.float16, tf.bfloat16, tf.float32, tf.float64)
_CHANNELS_LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


def _correlate(x, kernel, strides, dilation):
    """VALID correlation of channels_last `x` with `(*window, C, out)` `kernel`."""
    compute = x.dtype if x.dtype in _CONV_DTYPES else tf.float64
    a, k = tf.cast(x, compute), tf.cast(kernel, compute)
    # An explicit channels-last data_format: without it, the Conv op that eager TensorFlow
    # records carries no data_format attribute, and the gradient of its gradient (a
    # gradient penalty: tape.gradient of a loss built from an inner tape.gradient) fails in
    # nn_grad with "'NoneType' object has no attribute 'decode'".
    layout = _CHANNELS_LAST[len(strides)]
    if any(s > 1 for s in strides) and any(d > 1 for d in dilation):
        # TF cannot combine strides and dilation: dilate, then keep every stride-th output.
        out = tf.nn.convolution(a, k, 1, "VALID", data_format=layout, dilations=dilation)
        out = out[(slice(None),) + tuple(slice(None, None, s) for s in strides)]
    else:
        out = tf.nn.convolution(a, k, strides, "VALID", data_format=layout, dilations=dilation)
    return tf.cast(out, x.dtype)


def _grouped(x, kernel, groups, strides, dilation):
    if groups == 1:
        return _correlate(x, kernel, strides, dilation)
    inputs = tf.split(x, groups, axis=-1)
    kernels = tf.split(kernel, groups, axis=-1)
    return tf.concat([_correlate(i, k, strides, dilation) for i, k in zip(inputs, kernels)], -1)


def _conv_setup(op, inputs, kernel, strides, padding, data_format, dilation_rate):
    x, kernel = promote(inputs, kernel)
    check_rank(op, x.shape)
    n = x.shape.rank - 2
    if kernel.shape.rank != n + 2:
        raise ValueError(
            f"{op}: expected a kernel of rank {n + 2} (*kernel_size, in, out) for inputs of "
            f"rank {x.shape.rank}. Received: inputs.shape={x.shape}, kernel.shape={kernel.shape}"
        )
    data_format = standardize_data_format(data_format)
    strides = spatial_tuple(strides, n, "strides", op)
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", op)
    span = tuple((k - 1) * d + 1 for k, d in zip(kernel.shape[:n], dilation))
    x = _channels_last(x, data_format)
    x = _pad_spatial(x, _spatial_pads(x, span, strides, padding))
    return x, kernel, strides, dilation, data_format


@hookimpl
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, data_format = _conv_setup(
        "conv", inputs, kernel, strides, padding, data_format, dilation_rate
    )
    channels, per_group = x.shape[-1], kernel.shape[-2]
    out = _grouped(x, kernel, channels // per_group, strides, dilation)
    return _restore_format(out, data_format)


@hookimpl
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, data_format = _conv_setup(
        "depthwise_conv", inputs, kernel, strides, padding, data_format, dilation_rate
    )
    channels = x.shape[-1]
    if (
        x.shape.rank == 4
        and x.dtype in _CONV_DTYPES
        and (all(s == 1 for s in strides) or all(d == 1 for d in dilation))
    ):
        out = tf.nn.depthwise_conv2d(x, kernel, (1,) + strides + (1,), "VALID", dilations=dilation)
    else:
        # A depthwise conv is a grouped conv with one input channel per group.
        shape = kernel.shape.as_list()
        flat = tf.reshape(kernel, shape[:-2] + [1, shape[-2] * shape[-1]])
        out = _grouped(x, flat, channels, strides, dilation)
    return _restore_format(out, data_format)


def spread(x, strides):
    """Inserts `stride - 1` zeros between neighbours on each spatial axis of NHWC-like `x`."""
    for axis, stride in enumerate(strides, start=1):
        if stride == 1 or x.shape[axis] == 0:
            continue
        x = tf.expand_dims(x, axis + 1)
        paddings = [[0, 0]] * x.shape.rank
        paddings[axis + 1] = [0, stride - 1]
        x = tf.pad(x, paddings)
        shape = tf.shape(x)
        merged = tf.concat([shape[:axis], [shape[axis] * stride], shape[axis + 2 :]], 0)
        x = tf.reshape(x, merged)
        index = [slice(None)] * x.shape.rank
        index[axis] = slice(0, -(stride - 1))
        x = x[tuple(index)]
    return x


def _pad_or_crop(x, pads):
    """Pads (positive) or crops (negative) each spatial axis by `pads` = [(before, after)]."""
    x = _pad_spatial(x, [(max(a, 0), max(b, 0)) for a, b in pads])
    index = [slice(None)] + [slice(-a if a < 0 else 0, b if b < 0 else None) for a, b in pads]
    return x[tuple(index) + (slice(None),)]


@hookimpl
def conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate):
    x, kernel = promote(inputs, kernel)
    check_rank("conv_transpose", x.shape)
    n = x.shape.rank - 2
    data_format = standardize_data_format(data_format)
    x = _channels_last(x, data_format)
    strides = spatial_tuple(strides, n, "strides", "conv_transpose")
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", "conv_transpose")
    extra = spatial_tuple(output_padding, n, "output_padding", "conv_transpose") or (None,) * n
    # Spread the input `stride` apart, pad it, and correlate with the flipped kernel.
    pads = [
        transpose_padding((k - 1) * d + 1, st, padding, e)
        for k, d, st, e in zip(kernel.shape[:n], dilation, strides, extra)
    ]
    x = _pad_or_crop(spread(x, strides), pads)
    flipped = tf.transpose(tf.reverse(kernel, list(range(n))), list(range(n)) + [n + 1, n])
    return _restore_format(_correlate(x, flipped, (1,) * n, dilation), data_format)


# --------------------------------------------------------------------------------------------
# Encodings and losses
# --------------------------------------------------------------------------------------------


@hookimpl
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = tf.cast(convert_to_tensor(x), tf.int64)
    hot = tf.one_hot(x, int(num_classes), axis=axis, dtype=tf.float32)
    return tf.cast(hot, to_tf_dtype(dtype or floatx()))


@hookimpl
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.pop("num_tokens", num_classes)
    x = tf.cast(convert_to_tensor(inputs), tf.int32)
    out_dtype = to_tf_dtype(dtype or floatx())
    hot = one_hot(x, num_classes, axis=axis, dtype="float32")
    return tf.cast(tf.reduce_max(hot, axis=1 if x.shape.rank > 1 else 0), out_dtype)


def _clip_probs(p):
    eps = _c(_epsilon(), p)
    return tf.clip_by_value(p, eps, _c(1, p) - eps)


@hookimpl
def binary_crossentropy(target, output, from_logits=False):
    target, output = promote(target, output)
    output = _float(output)
    target = tf.cast(target, output.dtype)
    p = _clip_probs(tf.sigmoid(output) if from_logits else output)
    return -(target * tf.math.log(p) + (_c(1, p) - target) * tf.math.log(_c(1, p) - p))


def _log_probs(output, from_logits, axis):
    if from_logits:
        return log_softmax(output, axis=axis)
    return tf.math.log(_clip_probs(output / tf.reduce_sum(output, axis=axis, keepdims=True)))


@hookimpl
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = promote(target, output)
    output = _float(output)
    target = tf.cast(target, output.dtype)
    return -tf.reduce_sum(target * _log_probs(output, from_logits, axis), axis=axis)


@hookimpl
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = tf.cast(convert_to_tensor(target), tf.int32)
    output = _float(output)
    rank = output.shape.rank
    if target.shape.rank == rank and rank and target.shape[-1] == 1:
        target = tf.squeeze(target, axis=-1)
    a = axis % max(rank, 1)
    classes = output.shape[a]
    if (
        from_logits
        and a == rank - 1
        and classes is not None
        and output.dtype in _FUSED_SOFTMAX_DTYPES
    ):
        # The fused kernel rejects labels outside [0, classes): those get the one-hot
        # formula's loss, 0 (an all-zero one-hot row), and no gradient.
        valid = (target >= 0) & (target < classes)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.where(valid, target, 0), logits=output
        )
        return tf.where(valid, loss, tf.zeros((), output.dtype))
    hot = tf.one_hot(target, classes, axis=axis, dtype=output.dtype)
    return -tf.reduce_sum(hot * _log_probs(output, from_logits, axis), axis=axis)


# --------------------------------------------------------------------------------------------
# Statistics and normalisation
# --------------------------------------------------------------------------------------------


@hookimpl
def moments(x, axes, keepdims=False, synchronized=False):
    x = _float(x)
    out_dtype = x.dtype
    if x.dtype in (tf.float16, tf.bfloat16):
        x = tf.cast(x, tf.float32)
    axes = _reduce_axes(x, axes)
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    variance = tf.reduce_mean(tf.square(x - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = tf.squeeze(mean, axis=axes), tf.squeeze(variance, axis=axes)
    return tf.cast(mean, out_dtype), tf.cast(variance, out_dtype)


@hookimpl
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    present = [v for v in (x, mean, variance, offset, scale) if v is not None]
    dtype = to_tf_dtype(dtypes.result_type(*[convert_to_tensor(v).dtype for v in present], float))
    x = convert_to_tensor(x, dtype)
    shape = [1] * x.shape.rank
    shape[axis] = -1

    def laid_out(v):
        return None if v is None else tf.reshape(convert_to_tensor(v, dtype), shape)

    mean, variance, offset, scale = map(laid_out, (mean, variance, offset, scale))
    inv = _c(1, x) / tf.sqrt(variance + _c(epsilon, x))
    if scale is not None:
        inv = inv * scale
    out = (x - mean) * inv
    return out if offset is None else out + offset


@hookimpl
def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    if x.shape.rank == 0:
        x = x[None]
    eps = _c(_epsilon() if epsilon is None else epsilon, x)
    axis = _reduce_axes(x, axis)
    if order == 2:
        squares = tf.reduce_sum(tf.square(x), axis=axis, keepdims=True)
        return x / tf.sqrt(tf.maximum(squares, eps * eps))
    norm = tf.pow(
        tf.reduce_sum(tf.pow(tf.abs(x), _c(order, x)), axis=axis, keepdims=True), _c(1.0 / order, x)
    )
    return x / tf.maximum(norm, eps)


@hookimpl
def psnr(x1, x2, max_val):
    x1, x2 = promote(x1, x2)
    x1 = _float(x1)
    x2 = tf.cast(x2, x1.dtype)
    mse = tf.reduce_mean(tf.square(x1 - x2))
    log10 = lambda v: tf.math.log(v) / _c(math.log(10.0), x1)
    return _c(20, x1) * log10(_c(max_val, x1)) - _c(10, x1) * log10(mse)


@hookimpl
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    eps = _epsilon() if epsilon is None else epsilon

    def compute(x, scale):
        x = x[None] if x.shape.rank == 0 else x
        axes = canonical_axes(axis, x.shape.rank)
        out = x * tf.math.rsqrt(tf.reduce_mean(tf.square(x), axis=axes, keepdims=True) + _c(eps, x))
        return out if scale is None else out * scale

    return _computed_in_float32(compute, x, scale)


@hookimpl
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    eps = _epsilon() if epsilon is None else epsilon
    rms_scaling = kwargs.pop("rms_scaling", False)

    def compute(x, gamma, beta):
        rank = x.shape.rank
        axes = canonical_axes(axis, rank)
        shape = [-1 if a in axes else 1 for a in range(rank)]

        def laid_out(v):
            if v is None or v.shape.rank == rank or axes == [rank - 1]:
                return v
            return tf.reshape(
                v, [x.shape[a] if a in axes else 1 for a in range(rank)] if len(axes) > 1 else shape
            )

        gamma, beta = laid_out(gamma), laid_out(beta)
        mean = tf.reduce_mean(x, axis=axes, keepdims=True)
        variance = tf.reduce_mean(tf.square(x - mean), axis=axes, keepdims=True)
        inv = tf.math.rsqrt(variance + _c(eps, x))
        out = x * inv if rms_scaling else (x - mean) * inv
        if gamma is not None:
            out = out * gamma
        return out if beta is None or rms_scaling else out + beta

    return _computed_in_float32(compute, x, gamma, beta)


# --------------------------------------------------------------------------------------------
# Sequences and attention
# --------------------------------------------------------------------------------------------

_LOG_ZERO = -1e5  # a finite "log 0", so impossible alignments give a large, finite loss


def _shift_right(values, count, fill):
    paddings = [[0, 0], [count, 0]]
    return tf.pad(values[:, :-count] if count else values, paddings, constant_values=fill)


@hookimpl
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = tf.cast(convert_to_tensor(target), tf.int32)
    output = convert_to_tensor(output)
    output = tf.cast(output, to_tf_dtype(dtypes.result_type(output.dtype, "float32")))
    target_length = tf.reshape(tf.cast(convert_to_tensor(target_length), tf.int32), [-1])
    output_length = tf.reshape(tf.cast(convert_to_tensor(output_length), tf.int32), [-1])
    check_ctc_loss_shapes(
        None if target.shape.rank is None else target.shape.as_list(),
        None if output.shape.rank is None else output.shape.as_list(),
    )
    steps, width = output.shape[1], 2 * target.shape[1] + 1
    logp = log_softmax(output, axis=-1)
    # Extended labels: blank, l1, blank, l2, ..., blank (the forward algorithm, in log space).
    blanks = tf.fill(tf.shape(target), mask_index)
    labels = tf.reshape(tf.stack([blanks, target], -1), [tf.shape(target)[0], -1])
    labels = tf.concat([labels, tf.fill([tf.shape(target)[0], 1], mask_index)], 1)
    previous = tf.pad(labels[:, :-2], [[0, 0], [2, 0]], constant_values=-1)
    odd = tf.math.floormod(tf.range(width), 2) == 1
    skip = odd[None, :] & tf.not_equal(labels, previous) & (tf.range(width) >= 3)[None, :]
    emit = tf.gather(logp, labels, batch_dims=1, axis=2)  # (batch, time, width)
    log_zero = tf.constant(_LOG_ZERO, output.dtype)
    first = tf.fill(tf.shape(labels), log_zero)
    first = tf.concat(
        [
            emit[:, 0, :1],
            tf.where((target_length > 0)[:, None], emit[:, 0, 1:2], log_zero),
            first[:, 2:],
        ],
        1,
    )[:, :width]
    alpha = first
    for t in range(1, steps):
        shifted1 = _shift_right(alpha, 1, _LOG_ZERO)
        shifted2 = tf.where(skip, _shift_right(alpha, 2, _LOG_ZERO), log_zero)
        new = _logsumexp(tf.stack([alpha, shifted1, shifted2]), 0)[0] + emit[:, t]
        alpha = tf.where((t < output_length)[:, None], new, alpha)
    last = 2 * target_length
    end = tf.gather(alpha, last, batch_dims=1)
    before = tf.where(last > 0, tf.gather(alpha, tf.maximum(last - 1, 0), batch_dims=1), log_zero)
    return -_logsumexp(tf.stack([end, before]), 0)[0]


@hookimpl
def ctc_decode(
    inputs, sequence_lengths, strategy, beam_width, top_paths, merge_repeated, mask_index
):
    check_ctc_strategy(strategy, "tensorflow")
    x = convert_to_tensor(inputs)
    x = tf.cast(x, to_tf_dtype(dtypes.result_type(x.dtype, "float32")))
    lengths = tf.reshape(tf.cast(convert_to_tensor(sequence_lengths), tf.int32), [-1])
    steps = tf.shape(x)[1]
    indices = tf.argmax(x, axis=-1, output_type=tf.int32)
    scores = tf.reduce_max(x, axis=-1)
    past_end = tf.range(steps)[None, :] >= lengths[:, None]
    indices = tf.where(past_end, mask_index, indices)
    scores = tf.where(past_end, tf.zeros((), scores.dtype), scores)
    if merge_repeated:
        repeat = tf.pad(tf.equal(indices[:, 1:], indices[:, :-1]), [[0, 0], [1, 0]])
        indices = tf.where(repeat, mask_index, indices)
    blank = tf.equal(indices, mask_index)
    # Move the kept labels to the front (stable), the -1 padding to the back.
    keys = tf.where(blank, steps, tf.range(steps)[None, :])
    order = tf.argsort(keys, axis=-1, stable=True)
    decoded = tf.gather(tf.where(blank, -1, indices), order, batch_dims=1)
    return decoded[None], -tf.reduce_sum(scores, axis=1, keepdims=True)


@hookimpl
def dot_product_attention(
    query, key, value, bias, mask, scale, is_causal, flash_attention, attn_logits_soft_cap
):
    query, key, value = promote(query, key, value)
    query, key, value = _float(query), _float(key), _float(value)
    dtype = query.dtype
    squeeze = query.shape.rank == 3
    if squeeze:
        query, key, value = query[None], key[None], value[None]
    check_attention_shapes(
        *[() if t.shape.rank is None else t.shape.as_list() for t in (query, key, value)]
    )
    repeats = query.shape[-2] // key.shape[-2]
    if repeats > 1:
        key, value = tf.repeat(key, repeats, axis=-2), tf.repeat(value, repeats, axis=-2)
    compute = to_tf_dtype(dtypes.result_type(dtype, "float32"))
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    # Heads first, then batched matmuls and the fused softmax (no select without a mask):
    # half the time, forward and backward, of Einsums and the composed softmax on CPU.
    query, key, value = (
        tf.transpose(tf.cast(t, compute), (0, 2, 1, 3)) for t in (query, key, value)
    )
    logits = tf.matmul(query, key, transpose_b=True) * tf.cast(scale, compute)
    if attn_logits_soft_cap is not None:
        cap = tf.cast(attn_logits_soft_cap, compute)
        logits = cap * tf.tanh(logits / cap)
    if bias is not None:
        logits = logits + tf.cast(convert_to_tensor(bias), compute)
    keep = None
    if mask is not None:
        keep = tf.cast(convert_to_tensor(mask), tf.bool)
    if is_causal:
        t, s = tf.shape(logits)[-2], tf.shape(logits)[-1]
        causal = tf.range(s)[None, :] <= tf.range(t)[:, None]
        keep = causal if keep is None else keep & causal
    if keep is not None:
        logits = tf.where(keep, logits, tf.cast(compute.min * 0.7, compute))
    probs = tf.cast(tf.cast(softmax(logits, axis=-1), dtype), compute)
    out = tf.cast(tf.transpose(tf.matmul(probs, value), (0, 2, 1, 3)), dtype)
    return out[0] if squeeze else out


@hookimpl
def polar(abs_, angle):
    abs_, angle = promote(abs_, angle)
    abs_, angle = _float(abs_), _float(angle)
    return tf.complex(abs_ * tf.cos(angle), abs_ * tf.sin(angle))


# --------------------------------------------------------------------------------------------
# Rearrangements
# --------------------------------------------------------------------------------------------


@hookimpl
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    k, d, p, s = map(pair, (kernel_size, dilation, padding, stride))
    x = tf.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    h, w = x.shape[2], x.shape[3]
    oh = (h - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (w - d[1] * (k[1] - 1) - 1) // s[1] + 1
    taps = [
        x[
            :,
            :,
            i * d[0] : i * d[0] + (oh - 1) * s[0] + 1 : s[0],
            j * d[1] : j * d[1] + (ow - 1) * s[1] + 1 : s[1],
        ]
        for i in range(k[0])
        for j in range(k[1])
    ]
    blocks = tf.stack(taps, axis=2)  # (N, C, kh * kw, oh, ow)
    return tf.reshape(blocks, [tf.shape(x)[0], -1, oh * ow])


@hookimpl
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    (h, w), k, d, p, s = map(pair, (output_size, kernel_size, dilation, padding, stride))
    oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    c = x.shape[1] // (k[0] * k[1])
    blocks = tf.reshape(x, [tf.shape(x)[0], c, k[0], k[1], oh, ow])
    big_h, big_w = h + 2 * p[0], w + 2 * p[1]
    out = None
    for i in range(k[0]):  # each kernel offset adds a strided, shifted copy
        for j in range(k[1]):
            block = moveaxis(blocks[:, :, i, j], 1, -1)  # (N, oh, ow, C)
            placed = spread(block, s)
            top, left = i * d[0], j * d[1]
            placed = tf.pad(
                placed,
                [
                    (0, 0),
                    (top, big_h - top - placed.shape[1]),
                    (left, big_w - left - placed.shape[2]),
                    (0, 0),
                ],
            )
            out = placed if out is None else out + placed
    out = moveaxis(out, -1, 1)
    return out[:, :, p[0] : p[0] + h, p[1] : p[1] + w]
