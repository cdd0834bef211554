"""JAX backend: neural-network ops (`keras.ops.nn`)."""

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from unikeras.backend.common.array_args import (
    check_attention_shapes,
    check_ctc_loss_shapes,
    check_ctc_strategy,
)
from unikeras_jax.convert import convert_to_tensor, to_jnp_dtype
from unikeras_jax.numpy import promote
from unikeras.backend.api import dtypes
from unikeras.backend.common.axes import canonical_axes
from unikeras.backend.common.nn_api import LOG_ZERO, bind_nn_ops
from unikeras.backend.common.conv_args import check_rank, pair, spatial_tuple, transpose_padding
from unikeras.backend.common.shape_rules import check_no_sparse
from unikeras.backend.api import epsilon as _epsilon, floatx, hookimpl, standardize_data_format

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _float(x):
    """`x` as an array; integer and bool inputs become `floatx()`."""
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        x = x.astype(to_jnp_dtype(floatx()))
    return x


def _c(value, x):
    """A scalar constant in the dtype of `x`."""
    return jnp.asarray(value, dtype=x.dtype)


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------


@hookimpl
def relu(x):
    x = convert_to_tensor(x)
    return jnp.maximum(x, jnp.zeros((), x.dtype))


@hookimpl
def sigmoid(x):
    return jax.nn.sigmoid(_float(x))


@hookimpl
def softplus(x):
    return jax.nn.softplus(_float(x))


@hookimpl
def silu(x):
    return jax.nn.silu(_float(x))


@hookimpl
def log_sigmoid(x):
    return jax.nn.log_sigmoid(_float(x))


@hookimpl
def gelu(x, approximate=True):
    x = _float(x)
    if approximate:
        inner = _c(math.sqrt(2 / math.pi), x) * (x + _c(0.044715, x) * x**3)
        return _c(0.5, x) * x * (_c(1, x) + jnp.tanh(inner))
    wide = x.astype(jnp.promote_types(x.dtype, jnp.float32))
    cdf = 0.5 * (1.0 + jax.scipy.special.erf(wide / math.sqrt(2)))
    return x * cdf.astype(x.dtype)


@hookimpl
def glu(x, axis=-1):
    x = _float(x)
    a, b = jnp.split(x, 2, axis=axis)
    return a * jax.nn.sigmoid(b)


def _logsumexp(x, axis):
    peak = jnp.max(x, axis=axis, keepdims=True)
    peak = lax.stop_gradient(jnp.where(jnp.isfinite(peak), peak, _c(0, x)))
    return jnp.log(jnp.sum(jnp.exp(x - peak), axis=axis, keepdims=True)) + peak


@hookimpl
def softmax(x, axis=-1):
    x = _float(x)
    if x.ndim == 0:
        return jnp.ones_like(x)
    axis = canonical_axes(axis, x.ndim) if axis is not None else None
    return jax.nn.softmax(x, axis=axis)


@hookimpl
def sparsemax(x, axis=-1):
    x = jnp.moveaxis(_float(x), axis, -1)
    z = -jnp.sort(-x, axis=-1)
    k = jnp.arange(1, x.shape[-1] + 1, dtype=x.dtype)
    cumsum = jnp.cumsum(z, axis=-1)
    support = z * k > cumsum - _c(1, x)
    k_z = jnp.sum(support, axis=-1, keepdims=True, dtype=jnp.int32)
    chosen = jnp.take_along_axis(cumsum, jnp.maximum(k_z - 1, 0), axis=-1)
    tau = (chosen - _c(1, x)) / jnp.maximum(k_z, 1).astype(x.dtype)
    return jnp.moveaxis(jnp.maximum(x - tau, _c(0, x)), -1, axis)


# --------------------------------------------------------------------------------------------
# Pooling and convolutions. Everything works on channels_last arrays (batch, *spatial, C).
# --------------------------------------------------------------------------------------------


def _padding(padding):
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    # lax's "SAME" splits the padding with the extra element at the end, as Keras does.
    return padding.upper()


def _pool_setup(op, x, pool_size, strides, padding, data_format):
    check_rank(op, x.shape)
    data_format = standardize_data_format(data_format)
    n = x.ndim - 2
    pool_size = spatial_tuple(pool_size, n, "pool_size", op)
    strides = spatial_tuple(strides, n, "strides", op) or pool_size
    window, steps = (1,) + pool_size + (1,), (1,) + strides + (1,)
    return _shared._channels_last(x, data_format), window, steps, _padding(padding), data_format


@hookimpl
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = convert_to_tensor(inputs)
    x, window, steps, padding, data_format = _pool_setup(
        "max_pool", x, pool_size, strides, padding, data_format
    )
    low = -jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype).min
    # A NumPy init value stays a constant under jit, which JAX needs to differentiate it.
    out = lax.reduce_window(x, np.asarray(low, x.dtype), lax.max, window, steps, padding)
    return _shared._restore_format(out, data_format)


@hookimpl
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = _float(inputs)
    x, window, steps, padding, data_format = _pool_setup(
        "average_pool", x, pool_size, strides, padding, data_format
    )
    zero = np.zeros((), x.dtype)  # a constant under jit (see max_pool)
    total = lax.reduce_window(x, zero, lax.add, window, steps, padding)
    # Padded positions do not count: divide by the number of real inputs per window.
    ones = jnp.ones((1,) + x.shape[1:-1] + (1,), x.dtype)
    counts = lax.reduce_window(ones, zero, lax.add, window, steps, padding)
    return _shared._restore_format(total / counts, data_format)


def _adaptive_pool(op, inputs, output_size, data_format, reduce):
    x = convert_to_tensor(inputs)
    check_rank(op, x.shape)
    data_format = standardize_data_format(data_format)
    x = _shared._channels_last(x, data_format)
    sizes = spatial_tuple(output_size, x.ndim - 2, "output_size", op)
    # Rectangular windows: pooling one spatial axis after the other gives the same result.
    for axis, out in enumerate(sizes, start=1):
        length = x.shape[axis]
        starts = [(i * length) // out for i in range(out)]
        ends = [-(-((i + 1) * length) // out) for i in range(out)]
        x = jnp.stack(
            [reduce(lax.slice_in_dim(x, s, e, axis=axis), axis=axis) for s, e in zip(starts, ends)],
            axis=axis,
        )
    return _shared._restore_format(x, data_format)


def _dimension_numbers(n):
    spatial = "DHW"[-n:] if n <= 3 else None
    return ("N" + spatial + "C", spatial + "IO", "N" + spatial + "C")


def _conv_setup(op, inputs, kernel, strides, data_format, dilation_rate):
    """Promotes, checks ranks, moves channels last; returns inputs, kernel and settings."""
    x, kernel = promote(inputs, kernel)
    check_rank(op, x.shape)
    n = x.ndim - 2
    if kernel.ndim != n + 2:
        raise ValueError(
            f"{op}: expected a kernel of rank {n + 2} (*kernel_size, in, out) for inputs of "
            f"rank {x.ndim}. Received: inputs.shape={x.shape}, kernel.shape={kernel.shape}"
        )
    data_format = standardize_data_format(data_format)
    strides = spatial_tuple(strides, n, "strides", op)
    dilation = spatial_tuple(dilation_rate, n, "dilation_rate", op)
    return _shared._channels_last(x, data_format), kernel, strides, dilation, data_format


def _convolve(x, kernel, strides, padding, dilation, groups):
    n = x.ndim - 2
    return lax.conv_general_dilated(
        x,
        kernel,
        window_strides=strides,
        padding=padding,
        rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(n),
        feature_group_count=groups,
        preferred_element_type=kernel.dtype,
    ).astype(kernel.dtype)


@hookimpl
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, data_format = _conv_setup(
        "conv", inputs, kernel, strides, data_format, dilation_rate
    )
    channels, per_group = x.shape[-1], kernel.shape[-2]
    out = _convolve(x, kernel, strides, _padding(padding), dilation, channels // per_group)
    return _shared._restore_format(out, data_format)


@hookimpl
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x, kernel, strides, dilation, data_format = _conv_setup(
        "depthwise_conv", inputs, kernel, strides, data_format, dilation_rate
    )
    channels = x.shape[-1]
    kernel = kernel.reshape(kernel.shape[:-2] + (1, channels * kernel.shape[-1]))
    out = _convolve(x, kernel, strides, _padding(padding), dilation, channels)
    return _shared._restore_format(out, data_format)


@hookimpl
def conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate):
    x, kernel, strides, dilation, data_format = _conv_setup(
        "conv_transpose", inputs, kernel, strides, data_format, dilation_rate
    )
    n = x.ndim - 2
    extra = spatial_tuple(output_padding, n, "output_padding", "conv_transpose") or (None,) * n
    pads = [
        transpose_padding((k - 1) * d + 1, st, padding, e)
        for k, d, st, e in zip(kernel.shape[:n], dilation, strides, extra)
    ]
    # Spread the input `stride` apart and pad it (lax.pad: interior and negative padding),
    # then correlate with the flipped kernel.
    config = [(0, 0, 0)] + [(a, b, st - 1) for (a, b), st in zip(pads, strides)] + [(0, 0, 0)]
    spread = lax.pad(x, jnp.zeros((), x.dtype), config)
    flipped = jnp.swapaxes(jnp.flip(kernel, axis=tuple(range(n))), -1, -2)
    out = _convolve(spread, flipped, (1,) * n, "VALID", dilation, 1)
    return _shared._restore_format(out, data_format)


# --------------------------------------------------------------------------------------------
# Encodings and losses
# --------------------------------------------------------------------------------------------


@hookimpl
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    check_no_sparse("one_hot", sparse, "jax")
    x = convert_to_tensor(x)
    hot = x[..., None] == jnp.arange(int(num_classes), dtype=x.dtype)
    return jnp.moveaxis(hot, -1, axis).astype(to_jnp_dtype(dtype or floatx()))


@hookimpl
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    check_no_sparse("multi_hot", sparse, "jax")
    num_classes = kwargs.pop("num_tokens", num_classes)
    x = convert_to_tensor(inputs, dtype="int32")
    hot = one_hot(x, num_classes, axis=axis, dtype=dtype)
    return jnp.max(hot, axis=1 if x.ndim > 1 else 0)


@hookimpl
def binary_crossentropy(target, output, from_logits=False):
    target, output = promote(target, output)
    output = _float(output)
    target = target.astype(output.dtype)
    p = _shared._clip_probs(jax.nn.sigmoid(output) if from_logits else output)
    return -(target * jnp.log(p) + (_c(1, p) - target) * jnp.log(_c(1, p) - p))


@hookimpl
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = convert_to_tensor(target, dtype="int32")
    output = _float(output)
    if target.ndim == output.ndim and target.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    hot = one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return -jnp.sum(hot * _shared._log_probs(output, from_logits, axis), axis=axis)


# --------------------------------------------------------------------------------------------
# Statistics and normalisation
# --------------------------------------------------------------------------------------------


@hookimpl
def moments(x, axes, keepdims=False, synchronized=False):
    x = _float(x)
    out_dtype = x.dtype
    if x.dtype in (jnp.float16, jnp.bfloat16):
        x = x.astype(jnp.float32)
    axes = canonical_axes(axes, x.ndim) if axes is not None else None
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = jnp.squeeze(mean, axis=axes), jnp.squeeze(variance, axis=axes)
    return mean.astype(out_dtype), variance.astype(out_dtype)


@hookimpl
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    present = [convert_to_tensor(v) for v in (x, mean, variance, offset, scale) if v is not None]
    dtype = to_jnp_dtype(dtypes.result_type(*[v.dtype for v in present], float))
    x = convert_to_tensor(x, dtype=dtype)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def laid_out(v):
        return None if v is None else jnp.reshape(convert_to_tensor(v, dtype=dtype), shape)

    mean, variance, offset, scale = map(laid_out, (mean, variance, offset, scale))
    inv = lax.rsqrt(variance + _c(epsilon, x))
    if scale is not None:
        inv = inv * scale
    out = (x - mean) * inv
    return out if offset is None else out + offset


@hookimpl
def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    if x.ndim == 0:
        x = x[None]
    eps = _c(_epsilon() if epsilon is None else epsilon, x)
    axis = canonical_axes(axis, x.ndim) if axis is not None else None
    if order == 2:
        squares = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
        return x * lax.rsqrt(jnp.maximum(squares, eps * eps))
    norm = jnp.sum(jnp.abs(x) ** order, axis=axis, keepdims=True) ** _c(1.0 / order, x)
    return x / jnp.maximum(norm, eps)


@hookimpl
def psnr(x1, x2, max_val):
    x1, x2 = promote(x1, x2)
    x1 = _float(x1)
    x2 = x2.astype(x1.dtype)
    mse = jnp.mean(jnp.square(x1 - x2))
    return _c(20, x1) * jnp.log10(_c(max_val, x1)) - _c(10, x1) * jnp.log10(mse)


@hookimpl
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    eps = _epsilon() if epsilon is None else epsilon

    def compute(x, scale):
        x = x[None] if x.ndim == 0 else x
        axes = canonical_axes(axis, x.ndim)
        out = x * lax.rsqrt(jnp.mean(jnp.square(x), axis=axes, keepdims=True) + _c(eps, x))
        return out if scale is None else out * scale

    return _shared._computed_in_float32(compute, x, scale)


@hookimpl
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    eps = _epsilon() if epsilon is None else epsilon
    rms_scaling = kwargs.pop("rms_scaling", False)

    def compute(x, gamma, beta):
        axes = canonical_axes(axis, x.ndim)
        shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]

        def laid_out(v):
            if v is None or v.ndim == x.ndim or axes == (x.ndim - 1,):
                return v
            return jnp.reshape(v, shape)

        gamma, beta = laid_out(gamma), laid_out(beta)
        mean = jnp.mean(x, axis=axes, keepdims=True)
        variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)
        inv = lax.rsqrt(variance + _c(eps, x))
        out = x * inv if rms_scaling else (x - mean) * inv
        if gamma is not None:
            out = out * gamma
        return out if beta is None or rms_scaling else out + beta

    return _shared._computed_in_float32(compute, x, gamma, beta)


# --------------------------------------------------------------------------------------------
# Sequences and attention
# --------------------------------------------------------------------------------------------


def _shift(alpha, by):
    """`alpha` moved `by` steps to the right along the label axis, filled with log 0."""
    filler = jnp.full(alpha.shape[:-1] + (by,), LOG_ZERO, alpha.dtype)
    return jnp.concatenate([filler, alpha[..., :-by]], axis=-1)


@hookimpl
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = convert_to_tensor(target, dtype="int32")
    output = convert_to_tensor(output)
    output = output.astype(to_jnp_dtype(dtypes.result_type(output.dtype, "float32")))
    target_length = convert_to_tensor(target_length, dtype="int32").reshape(-1)
    output_length = convert_to_tensor(output_length, dtype="int32").reshape(-1)
    check_ctc_loss_shapes(target.shape, output.shape)
    batch, steps, _ = output.shape
    logp = _shared.log_softmax(output, axis=-1)
    # Extended labels: blank, l1, blank, l2, ..., blank.
    width = 2 * target.shape[1] + 1
    labels = jnp.full((batch, width), mask_index, jnp.int32).at[:, 1::2].set(target)
    skip = jnp.zeros(labels.shape, bool).at[:, 3::2].set(labels[:, 3::2] != labels[:, 1:-2:2])
    emit = jnp.take_along_axis(
        logp, jnp.broadcast_to(labels[:, None, :], (batch, steps, width)), axis=-1
    )  # (batch, time, width)
    alpha = jnp.full(labels.shape, LOG_ZERO, output.dtype).at[:, 0].set(logp[:, 0, mask_index])
    if width > 1:
        alpha = alpha.at[:, 1].set(jnp.where(target_length > 0, emit[:, 0, 1], LOG_ZERO))

    def step(alpha, t):
        shifted1 = _shift(alpha, 1)
        shifted2 = (
            jnp.where(skip, _shift(alpha, 2), LOG_ZERO)
            if width > 2
            else jnp.full_like(alpha, LOG_ZERO)
        )
        new = _logsumexp(jnp.stack([alpha, shifted1, shifted2]), 0)[0] + emit[:, t]
        return jnp.where((t < output_length)[:, None], new, alpha), None

    alpha, _ = lax.scan(step, alpha, jnp.arange(1, steps))
    last = 2 * target_length
    rows = jnp.arange(batch)
    ends = jnp.stack(
        [alpha[rows, last], jnp.where(last > 0, alpha[rows, jnp.maximum(last - 1, 0)], LOG_ZERO)]
    )
    return -_logsumexp(ends, 0)[0]


@hookimpl
def ctc_decode(
    inputs, sequence_lengths, strategy, beam_width, top_paths, merge_repeated, mask_index
):
    check_ctc_strategy(strategy, "jax")
    x = convert_to_tensor(inputs)
    x = x.astype(to_jnp_dtype(dtypes.result_type(x.dtype, "float32")))
    lengths = convert_to_tensor(sequence_lengths, dtype="int32").reshape(-1)
    batch, steps, _ = x.shape
    indices = jnp.argmax(x, axis=-1).astype(jnp.int32)
    scores = jnp.max(x, axis=-1)
    past_end = jnp.arange(steps)[None, :] >= lengths[:, None]
    indices = jnp.where(past_end, mask_index, indices)
    scores = jnp.where(past_end, _c(0, scores), scores)
    if merge_repeated:
        repeat = jnp.pad(indices[:, 1:] == indices[:, :-1], ((0, 0), (1, 0)))
        indices = jnp.where(repeat, mask_index, indices)
    blank = indices == mask_index
    # Move the kept labels to the front (stable), the -1 padding to the back.
    order = jnp.argsort(jnp.where(blank, steps, jnp.arange(steps)[None, :]), axis=-1, stable=True)
    decoded = jnp.take_along_axis(jnp.where(blank, -1, indices), order, axis=-1)
    return decoded[None].astype(jnp.int32), -jnp.sum(scores, axis=1, keepdims=True)


@hookimpl
def dot_product_attention(
    query, key, value, bias, mask, scale, is_causal, flash_attention, attn_logits_soft_cap
):
    query, key, value = promote(query, key, value)
    query = _float(query)
    dtype = query.dtype
    key, value = key.astype(dtype), value.astype(dtype)
    squeeze = query.ndim == 3
    if squeeze:
        query, key, value = query[None], key[None], value[None]
    check_attention_shapes(query.shape, key.shape, value.shape)
    repeats = query.shape[-2] // key.shape[-2]
    key, value = jnp.repeat(key, repeats, axis=-2), jnp.repeat(value, repeats, axis=-2)
    compute = to_jnp_dtype(dtypes.result_type(dtype, "float32"))
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    logits = jnp.einsum("btnh,bsnh->bnts", query.astype(compute), key.astype(compute))
    logits = logits * jnp.asarray(scale, compute)
    if attn_logits_soft_cap is not None:
        cap = jnp.asarray(attn_logits_soft_cap, compute)
        logits = cap * jnp.tanh(logits / cap)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).astype(compute)
    keep = jnp.ones(logits.shape, bool)
    if mask is not None:
        keep = keep & convert_to_tensor(mask).astype(bool)
    if is_causal:
        keep = keep & jnp.tril(jnp.ones(logits.shape[-2:], bool))
    logits = jnp.where(keep, logits, jnp.asarray(jnp.finfo(compute).min * 0.7, compute))
    probs = jax.nn.softmax(logits, axis=-1).astype(dtype)
    out = jnp.einsum("bnts,bsnh->btnh", probs.astype(compute), value.astype(compute))
    out = out.astype(dtype)
    return out[0] if squeeze else out


@hookimpl
def polar(abs_, angle):
    abs_, angle = promote(abs_, angle)
    abs_, angle = _float(abs_), _float(angle)
    complex_dtype = jnp.complex128 if abs_.dtype == jnp.float64 else jnp.complex64
    return lax.complex(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle)).astype(complex_dtype)


# --------------------------------------------------------------------------------------------
# Rearrangements
# --------------------------------------------------------------------------------------------


@hookimpl
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    k, d, p, s = map(pair, (kernel_size, dilation, padding, stride))
    x = jnp.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    oh = (x.shape[2] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (x.shape[3] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    # One strided slice per kernel offset, ordered (C, kH, kW) like PyTorch.
    blocks = [
        x[
            :,
            :,
            i * d[0] : i * d[0] + (oh - 1) * s[0] + 1 : s[0],
            j * d[1] : j * d[1] + (ow - 1) * s[1] + 1 : s[1],
        ]
        for i in range(k[0])
        for j in range(k[1])
    ]
    return jnp.stack(blocks, axis=2).reshape(x.shape[0], -1, oh * ow)


@hookimpl
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    (h, w), k, d, p, s = map(pair, (output_size, kernel_size, dilation, padding, stride))
    oh = (h + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (w + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    n, c = x.shape[0], x.shape[1] // (k[0] * k[1])
    blocks = x.reshape(n, c, k[0], k[1], oh, ow)
    out = jnp.zeros((n, c, h + 2 * p[0], w + 2 * p[1]), x.dtype)
    for i in range(k[0]):  # one strided add per kernel offset
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + (oh - 1) * s[0] + 1, s[0])
            cols = slice(j * d[1], j * d[1] + (ow - 1) * s[1] + 1, s[1])
            out = out.at[:, :, rows, cols].add(blocks[:, :, i, j])
    return out[:, :, p[0] : p[0] + h, p[1] : p[1] + w]


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.nn_api` and bound here to `jnp` and this module's helpers.
_shared = bind_nn_ops(jnp, globals(), to_dtype=to_jnp_dtype)
