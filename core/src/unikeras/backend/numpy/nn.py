"""NumPy backend: neural-network ops (`keras.ops.nn`)."""

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from unikeras.backend import dtypes
from unikeras.backend.common.array_args import (
    check_attention_shapes,
    check_ctc_loss_shapes,
    check_ctc_strategy,
)
from unikeras.backend.common.axes import canonical_axes
from unikeras.backend.common.nn_api import LOG_ZERO, bind_nn_ops
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
    pool_args,
    spatial_pads,
    spatial_tuple,
    transpose_pads,
    unfold_args,
)
from unikeras.backend.common.shape_rules import check_no_sparse
from unikeras.backend.config import epsilon as _epsilon
from unikeras.backend.config import floatx, standardize_data_format
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.numpy.core import convert_to_tensor, to_np_dtype
from unikeras.backend.numpy.numpy import promote

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _float(x):
    """`x` as an array; integer and bool inputs become `floatx()`."""
    x = convert_to_tensor(x)
    if not (dtypes.is_float_dtype(x.dtype) or dtypes.is_complex_dtype(x.dtype)):
        x = x.astype(to_np_dtype(floatx()))
    return x


def _c(value, x):
    """A scalar constant in the dtype of `x` (NumPy would widen Python floats to float64)."""
    return np.asarray(value, dtype=x.dtype)


# --------------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------------


@hookimpl
def relu(x):
    x = convert_to_tensor(x)
    return np.maximum(x, np.zeros((), dtype=x.dtype))


@hookimpl
def sigmoid(x):
    x = _float(x)
    # exp of a negative argument only, so large |x| neither overflows nor warns
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, _c(1, x) / (_c(1, x) + e), e / (_c(1, x) + e))


@hookimpl
def softplus(x):
    x = _float(x)
    return np.logaddexp(x, _c(0, x))


@hookimpl
def silu(x):
    x = _float(x)
    return x * sigmoid(x)


@hookimpl
def log_sigmoid(x):
    x = _float(x)
    return -softplus(-x)


def _erf(x):
    """Error function to float64 precision (no SciPy): series near 0, continued fraction."""
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    small = np.minimum(a, 2.5)
    # Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    term, total = small.copy(), small.copy()
    for n in range(1, 60):
        term = term * -(small * small) / n
        total = total + term / (2 * n + 1)
    series = 2.0 / np.sqrt(np.pi) * total
    # Lentz continued fraction for erfc, accurate for a >= 2.5
    big = np.maximum(a, 2.5)
    frac = np.zeros_like(big)
    for n in range(60, 0, -1):
        frac = (n / 2.0) / (big + frac)
    tail = 1.0 - np.exp(-big * big) / np.sqrt(np.pi) / (big + frac)
    return np.sign(x) * np.where(a < 2.5, series, tail)


@hookimpl
def gelu(x, approximate=True):
    x = _float(x)
    if approximate:
        inner = _c(math.sqrt(2 / math.pi), x) * (x + _c(0.044715, x) * x**3)
        return _c(0.5, x) * x * (_c(1, x) + np.tanh(inner))
    cdf = (0.5 * (1.0 + _erf(x.astype(np.float64) / math.sqrt(2)))).astype(x.dtype)
    return x * cdf


@hookimpl
def glu(x, axis=-1):
    x = _float(x)
    a, b = np.split(x, 2, axis=axis)
    return a * sigmoid(b)


def _logsumexp(x, axis):
    peak = np.max(x, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, _c(0, x))
    return np.log(np.sum(np.exp(x - peak), axis=axis, keepdims=True)) + peak


@hookimpl
def softmax(x, axis=-1):
    x = _float(x)
    if x.ndim == 0:
        return np.ones_like(x)
    axis = canonical_axes(axis, x.ndim) if axis is not None else None
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@hookimpl
def sparsemax(x, axis=-1):
    x = np.moveaxis(_float(x), axis, -1)
    z = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1, dtype=x.dtype)
    cumsum = np.cumsum(z, axis=-1)
    support = z * k > cumsum - _c(1, x)
    k_z = np.sum(support, axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumsum, np.maximum(k_z - 1, 0), axis=-1) - _c(1, x)) / np.maximum(
        k_z, 1
    ).astype(x.dtype)
    return np.moveaxis(np.maximum(x - tau, _c(0, x)), -1, axis)


# --------------------------------------------------------------------------------------------
# Pooling and convolutions. Everything works on channels_last arrays (batch, *spatial, C).
# --------------------------------------------------------------------------------------------


def _pad_spatial(x, windows, strides, padding, value=0):
    """Pads the spatial axes of a channels_last `x` for `padding` ("valid" or "same")."""
    pads = spatial_pads(x.shape[1:-1], windows, strides, padding)
    return np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=value)


def _windows(x, window, strides, dilation):
    """Sliding windows of a padded channels_last `x`: `(batch, *out, C, *window)`."""
    n = len(window)
    span = dilated_span(window, dilation)
    if any(s > size for s, size in zip(span, x.shape[1:-1])):
        return np.zeros((x.shape[0],) + (0,) * n + (x.shape[-1],) + tuple(window), x.dtype)
    view = sliding_window_view(x, span, axis=tuple(range(1, n + 1)))
    index = (
        (slice(None),)
        + tuple(slice(None, None, s) for s in strides)
        + (slice(None),)
        + tuple(slice(None, None, d) for d in dilation)
    )
    return view[index]


def _pool(op, inputs, pool_size, strides, padding, data_format, pad_value):
    """Pads and windows `inputs`; returns the windows, their axes and the settings."""
    x = convert_to_tensor(inputs)
    check_rank(op, x.shape)
    data_format = standardize_data_format(data_format)
    n = x.ndim - 2
    pool_size, strides = pool_args(op, n, pool_size, strides)
    x = _pad_spatial(_shared._channels_last(x, data_format), pool_size, strides, padding, pad_value)
    w = _windows(x, pool_size, strides, (1,) * n)
    return w, tuple(range(-n, 0)), (pool_size, strides, data_format)


@hookimpl
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = convert_to_tensor(inputs)
    low = -np.inf if dtypes.is_float_dtype(x.dtype) else np.iinfo(x.dtype).min
    w, axes, (_, _, data_format) = _pool(
        "max_pool", x, pool_size, strides, padding, data_format, low
    )
    out = np.max(w, axis=axes) if w.size else np.zeros(w.shape[: w.ndim - len(axes)], w.dtype)
    return _shared._restore_format(out, data_format)


@hookimpl
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = _float(inputs)
    w, axes, (pool_size, strides, data_format) = _pool(
        "average_pool", x, pool_size, strides, padding, data_format, 0
    )
    total = np.sum(w, axis=axes)
    # Padded positions do not count: divide by the number of real inputs per window.
    ones = np.ones((1,) + _shared._channels_last(x, data_format).shape[1:-1] + (1,), x.dtype)
    ones = _pad_spatial(ones, pool_size, strides, padding, 0)
    counts = np.sum(_windows(ones, pool_size, strides, (1,) * len(axes)), axis=axes)
    return _shared._restore_format(total / counts, data_format)


def _adaptive_pool(op, inputs, output_size, data_format, reduce):
    x = convert_to_tensor(inputs)
    check_rank(op, x.shape)
    data_format = standardize_data_format(data_format)
    x = _shared._channels_last(x, data_format)
    sizes = spatial_tuple(output_size, x.ndim - 2, "output_size", op)
    # Rectangular windows: pooling one spatial axis after the other gives the same result.
    for axis, out in enumerate(sizes, start=1):
        x = np.stack(
            [
                reduce(np.take(x, range(s, e), axis=axis), axis=axis)
                for s, e in adaptive_bounds(x.shape[axis], out)
            ],
            axis=axis,
        )
    return _shared._restore_format(x, data_format)


def _conv_setup(op, inputs, kernel, strides, padding, data_format, dilation_rate):
    """Promotes, checks ranks, moves channels last, pads; returns the windows and settings."""
    x, kernel = promote(inputs, kernel)
    check_rank(op, x.shape)
    check_kernel_rank(op, x.shape, kernel.shape)
    n = x.ndim - 2
    data_format = standardize_data_format(data_format)
    strides, dilation = conv_args(op, n, strides, dilation_rate)
    window = kernel.shape[:n]
    span = dilated_span(window, dilation)
    x = _pad_spatial(_shared._channels_last(x, data_format), span, strides, padding)
    return _windows(x, window, strides, dilation), kernel, data_format


def _apply_kernel(windows, kernel):
    """`(batch, *out, C, *window)` windows times a `(*window, C, out)` kernel: one im2col
    matrix product (BLAS)."""
    n = kernel.ndim - 2
    taps = np.moveaxis(kernel, -2, 0)  # (C, *window, out)
    out = np.tensordot(windows, taps, axes=(tuple(range(-n - 1, 0)), tuple(range(n + 1))))
    return out.astype(kernel.dtype, copy=False)


def _letters(n):
    return "".join("uvw"[:n]), "".join("xyz"[:n])


@hookimpl
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    w, kernel, data_format = _conv_setup(
        "conv", inputs, kernel, strides, padding, data_format, dilation_rate
    )
    channels, per_group = w.shape[-kernel.ndim + 1], kernel.shape[-2]
    groups = channels // per_group
    if groups == 1:
        return _shared._restore_format(_apply_kernel(w, kernel), data_format)
    out_sp, k_sp = _letters(kernel.ndim - 2)
    w = w.reshape(w.shape[: -kernel.ndim + 1] + (groups, per_group) + w.shape[-kernel.ndim + 2 :])
    k = kernel.reshape(kernel.shape[:-1] + (groups, kernel.shape[-1] // groups))
    k = np.moveaxis(k, -2, -3)  # (*window, groups, per_group, out_per_group)
    out = np.einsum(f"n{out_sp}gc{k_sp},{k_sp}gco->n{out_sp}go", w, k, optimize=True)
    out = out.reshape(out.shape[:-2] + (-1,)).astype(kernel.dtype, copy=False)
    return _shared._restore_format(out, data_format)


@hookimpl
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    w, kernel, data_format = _conv_setup(
        "depthwise_conv", inputs, kernel, strides, padding, data_format, dilation_rate
    )
    out_sp, k_sp = _letters(kernel.ndim - 2)
    out = np.einsum(f"n{out_sp}c{k_sp},{k_sp}cm->n{out_sp}cm", w, kernel, optimize=True)
    out = out.reshape(out.shape[:-2] + (-1,)).astype(kernel.dtype, copy=False)
    return _shared._restore_format(out, data_format)


@hookimpl
def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding="valid",
    data_format=None,
    dilation_rate=1,
):
    depthwise = depthwise_conv(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate
    )
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


@hookimpl
def conv_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate):
    x, kernel = promote(inputs, kernel)
    check_rank("conv_transpose", x.shape)
    n = x.ndim - 2
    data_format = standardize_data_format(data_format)
    x = _shared._channels_last(x, data_format)
    strides, dilation = conv_args("conv_transpose", n, strides, dilation_rate)
    # Spread the input `stride` apart, pad it, and correlate with the flipped kernel.
    spread = np.zeros(
        (x.shape[0],)
        + tuple((s - 1) * st + 1 if s else 0 for s, st in zip(x.shape[1:-1], strides))
        + (x.shape[-1],),
        x.dtype,
    )
    spread[(slice(None),) + tuple(slice(None, None, st) for st in strides)] = x
    pads = transpose_pads(kernel.shape[:n], strides, dilation, padding, output_padding)
    spread = np.pad(spread, [(0, 0)] + [(max(a, 0), max(b, 0)) for a, b in pads] + [(0, 0)])
    spread = spread[
        (slice(None),)
        + tuple(
            slice(-a if a < 0 else 0, spread.shape[i + 1] + b if b < 0 else None)
            for i, (a, b) in enumerate(pads)
        )
    ]
    flipped = np.swapaxes(np.flip(kernel, axis=tuple(range(n))), -1, -2)
    w = _windows(spread, kernel.shape[:n], (1,) * n, dilation)
    return _shared._restore_format(_apply_kernel(w, flipped), data_format)


# --------------------------------------------------------------------------------------------
# Encodings and losses
# --------------------------------------------------------------------------------------------


@hookimpl
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    check_no_sparse("one_hot", sparse, "numpy")
    x = convert_to_tensor(x)
    hot = x[..., None] == np.arange(int(num_classes), dtype=x.dtype)
    return np.moveaxis(hot, -1, axis).astype(to_np_dtype(dtype or floatx()))


@hookimpl
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    check_no_sparse("multi_hot", sparse, "numpy")
    num_classes = kwargs.pop("num_tokens", num_classes)
    x = convert_to_tensor(inputs).astype(np.int32)
    hot = one_hot(x, num_classes, axis=axis, dtype=dtype)
    return np.max(hot, axis=1 if x.ndim > 1 else 0)


@hookimpl
def binary_crossentropy(target, output, from_logits=False):
    target, output = promote(target, output)
    target, output = _float(target), _float(output)
    target = target.astype(output.dtype)
    p = _shared._clip_probs(sigmoid(output) if from_logits else output)
    return -(target * np.log(p) + (_c(1, p) - target) * np.log(_c(1, p) - p))


@hookimpl
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = convert_to_tensor(target).astype(np.int32)
    output = _float(output)
    if target.ndim == output.ndim and target.ndim and target.shape[-1] == 1:
        target = np.squeeze(target, axis=-1)
    hot = one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return -np.sum(hot * _shared._log_probs(output, from_logits, axis), axis=axis)


# --------------------------------------------------------------------------------------------
# Statistics and normalisation
# --------------------------------------------------------------------------------------------


@hookimpl
def moments(x, axes, keepdims=False, synchronized=False):
    x = _float(x)
    out_dtype = x.dtype
    if dtypes.standardize_dtype(x.dtype) in ("float16", "bfloat16"):
        x = x.astype(np.float32)
    axes = canonical_axes(axes, x.ndim) if axes is not None else None
    mean = np.mean(x, axis=axes, keepdims=True)
    variance = np.mean(np.square(x - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = np.squeeze(mean, axis=axes), np.squeeze(variance, axis=axes)
    return np.asarray(mean).astype(out_dtype), np.asarray(variance).astype(out_dtype)


@hookimpl
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    present = [v for v in (x, mean, variance, offset, scale) if v is not None]
    dtype = to_np_dtype(dtypes.result_type(*[convert_to_tensor(v).dtype for v in present], float))
    x = convert_to_tensor(x, dtype=dtype)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def laid_out(v):
        return None if v is None else np.reshape(convert_to_tensor(v, dtype=dtype), shape)

    mean, variance, offset, scale = map(laid_out, (mean, variance, offset, scale))
    inv = _c(1, x) / np.sqrt(variance + _c(epsilon, x))
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
        squares = np.sum(np.square(x), axis=axis, keepdims=True)
        return x / np.sqrt(np.maximum(squares, eps * eps))
    norm = np.sum(np.abs(x) ** order, axis=axis, keepdims=True) ** _c(1.0 / order, x)
    return x / np.maximum(norm, eps)


@hookimpl
def psnr(x1, x2, max_val):
    x1, x2 = promote(x1, x2)
    x1, x2 = _float(x1), _float(x2).astype(_float(x1).dtype)
    mse = np.mean(np.square(x1 - x2))
    return (_c(20, x1) * np.log10(_c(max_val, x1)) - _c(10, x1) * np.log10(mse)).astype(x1.dtype)


@hookimpl
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    eps = _epsilon() if epsilon is None else epsilon

    def compute(x, scale):
        x = x[None] if x.ndim == 0 else x
        axes = canonical_axes(axis, x.ndim)
        out = x / np.sqrt(np.mean(np.square(x), axis=axes, keepdims=True) + _c(eps, x))
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
            return np.reshape(v, shape)

        gamma, beta = laid_out(gamma), laid_out(beta)
        mean = np.mean(x, axis=axes, keepdims=True)
        variance = np.mean(np.square(x - mean), axis=axes, keepdims=True)
        inv = _c(1, x) / np.sqrt(variance + _c(eps, x))
        out = x * inv if rms_scaling else (x - mean) * inv
        if gamma is not None:
            out = out * gamma
        return out if beta is None or rms_scaling else out + beta

    return _shared._computed_in_float32(compute, x, gamma, beta)


# --------------------------------------------------------------------------------------------
# Sequences and attention
# --------------------------------------------------------------------------------------------


@hookimpl
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = convert_to_tensor(target).astype(np.int32)
    output = convert_to_tensor(output)
    output = output.astype(to_np_dtype(dtypes.result_type(output.dtype, "float32")))
    target_length = convert_to_tensor(target_length).astype(np.int32).reshape(-1)
    output_length = convert_to_tensor(output_length).astype(np.int32).reshape(-1)
    check_ctc_loss_shapes(target.shape, output.shape)
    batch, steps, _ = output.shape
    logp = _shared.log_softmax(output, axis=-1)
    # Extended labels: blank, l1, blank, l2, ..., blank.
    labels = np.full((batch, 2 * target.shape[1] + 1), mask_index, np.int32)
    labels[:, 1::2] = target
    skip = np.zeros(labels.shape, bool)
    skip[:, 3::2] = labels[:, 3::2] != labels[:, 1:-2:2]
    rows = np.arange(batch)[:, None]
    alpha = np.full(labels.shape, LOG_ZERO, output.dtype)
    alpha[:, 0] = logp[:, 0, mask_index]
    if labels.shape[1] > 1:
        alpha[:, 1] = np.where(target_length > 0, logp[rows[:, 0], 0, labels[:, 1]], LOG_ZERO)
    for t in range(1, steps):
        shifted1 = np.pad(alpha[:, :-1], ((0, 0), (1, 0)), constant_values=LOG_ZERO)
        shifted2 = np.pad(alpha[:, :-2], ((0, 0), (2, 0)), constant_values=LOG_ZERO)
        shifted2 = np.where(skip, shifted2, LOG_ZERO)
        stacked = np.stack([alpha, shifted1, shifted2])
        new = _logsumexp(stacked, 0)[0] + logp[rows, t, labels]
        alpha = np.where((t < output_length)[:, None], new, alpha)
    last = 2 * target_length
    ends = np.stack(
        [
            alpha[np.arange(batch), last],
            np.where(last > 0, alpha[np.arange(batch), np.maximum(last - 1, 0)], LOG_ZERO),
        ]
    )
    return -_logsumexp(ends, 0)[0]


@hookimpl
def ctc_decode(
    inputs, sequence_lengths, strategy, beam_width, top_paths, merge_repeated, mask_index
):
    check_ctc_strategy(strategy, "numpy")
    x = convert_to_tensor(inputs)
    x = x.astype(to_np_dtype(dtypes.result_type(x.dtype, "float32")))
    lengths = convert_to_tensor(sequence_lengths).astype(np.int32).reshape(-1)
    batch, steps, _ = x.shape
    indices = np.argmax(x, axis=-1).astype(np.int32)
    scores = np.max(x, axis=-1)
    past_end = np.arange(steps)[None, :] >= lengths[:, None]
    indices = np.where(past_end, mask_index, indices)
    scores = np.where(past_end, _c(0, scores), scores)
    if merge_repeated:
        repeat = np.pad(indices[:, 1:] == indices[:, :-1], ((0, 0), (1, 0)))
        indices = np.where(repeat, mask_index, indices)
    blank = indices == mask_index
    # Move the kept labels to the front (stable), the -1 padding to the back.
    order = np.argsort(np.where(blank, steps, np.arange(steps)[None, :]), axis=-1, kind="stable")
    decoded = np.take_along_axis(np.where(blank, -1, indices), order, axis=-1)
    return decoded[None].astype(np.int32), -np.sum(scores, axis=1, keepdims=True)


@hookimpl
def dot_product_attention(
    query, key, value, bias, mask, scale, is_causal, flash_attention, attn_logits_soft_cap
):
    query, key, value = promote(query, key, value)
    query, key, value = _float(query), _float(key), _float(value)
    dtype = query.dtype
    key, value = key.astype(dtype), value.astype(dtype)
    squeeze = query.ndim == 3
    if squeeze:
        query, key, value = query[None], key[None], value[None]
    check_attention_shapes(query.shape, key.shape, value.shape)
    repeats = query.shape[-2] // key.shape[-2]
    key, value = np.repeat(key, repeats, axis=-2), np.repeat(value, repeats, axis=-2)
    compute = to_np_dtype(dtypes.result_type(dtype, "float32"))
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", query.astype(compute), key.astype(compute))
    logits = logits * np.asarray(scale, compute)
    if attn_logits_soft_cap is not None:
        cap = np.asarray(attn_logits_soft_cap, compute)
        logits = cap * np.tanh(logits / cap)
    if bias is not None:
        logits = logits + convert_to_tensor(bias).astype(compute)
    keep = np.ones(logits.shape, bool)
    if mask is not None:
        keep = keep & convert_to_tensor(mask).astype(bool)
    if is_causal:
        keep = keep & np.tril(np.ones(logits.shape[-2:], bool))
    logits = np.where(keep, logits, np.asarray(np.finfo(compute).min * 0.7, compute))
    probs = softmax(logits, axis=-1).astype(dtype)
    out = np.einsum("bnts,bsnh->btnh", probs.astype(compute), value.astype(compute)).astype(dtype)
    return out[0] if squeeze else out


@hookimpl
def polar(abs_, angle):
    abs_, angle = promote(abs_, angle)
    abs_, angle = _float(abs_), _float(angle)
    complex_dtype = np.complex128 if abs_.dtype == np.float64 else np.complex64
    return (abs_ * np.cos(angle) + 1j * (abs_ * np.sin(angle))).astype(complex_dtype)


# --------------------------------------------------------------------------------------------
# Rearrangements
# --------------------------------------------------------------------------------------------


@hookimpl
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    k, d, p, s = unfold_args(kernel_size, dilation, padding, stride)
    x = np.pad(np.moveaxis(x, 1, -1), ((0, 0), (p[0], p[0]), (p[1], p[1]), (0, 0)))
    w = _windows(x, k, s, d)  # (N, oH, oW, C, kH, kW)
    n, oh, ow = w.shape[:3]
    return np.moveaxis(w, (1, 2), (-2, -1)).reshape(n, -1, oh * ow)


@hookimpl
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    (h, w), k, d, p, s, (oh, ow) = fold_sizes(output_size, kernel_size, dilation, padding, stride)
    n, c = x.shape[0], x.shape[1] // (k[0] * k[1])
    blocks = x.reshape(n, c, k[0], k[1], oh, ow)
    out = np.zeros((n, c, h + 2 * p[0], w + 2 * p[1]), x.dtype)
    for i in range(k[0]):  # one strided add per kernel offset
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + (oh - 1) * s[0] + 1, s[0])
            cols = slice(j * d[1], j * d[1] + (ow - 1) * s[1] + 1, s[1])
            out[:, :, rows, cols] += blocks[:, :, i, j]
    return out[:, :, p[0] : p[0] + h, p[1] : p[1] + w]


@hookimpl
def depth_to_space(x, block_size, data_format="channels_last"):
    x = convert_to_tensor(x)
    check_rank4("depth_to_space", x.shape)
    data_format = standardize_data_format(data_format)
    b = int(block_size)
    x = _shared._channels_last(x, data_format)
    n, h, w, c = x.shape
    check_depth_to_space(x.shape, b)
    if data_format == "channels_first":  # channels ordered (depth, block row, block col)
        x = x.reshape(n, h, w, c // (b * b), b, b).transpose(0, 1, 4, 2, 5, 3)
    else:  # channels ordered (block row, block col, depth)
        x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
    return _shared._restore_format(x.reshape(n, h * b, w * b, c // (b * b)), data_format)


@hookimpl
def space_to_depth(x, block_size, data_format="channels_last"):
    x = convert_to_tensor(x)
    check_rank4("space_to_depth", x.shape)
    data_format = standardize_data_format(data_format)
    b = int(block_size)
    x = _shared._channels_last(x, data_format)
    n, h, w, c = x.shape
    check_space_to_depth(x.shape, b)
    x = x.reshape(n, h // b, b, w // b, b, c)
    # Channel order as in `depth_to_space` for the same data_format.
    x = x.transpose((0, 1, 3, 5, 2, 4) if data_format == "channels_first" else (0, 1, 3, 2, 4, 5))
    return _shared._restore_format(x.reshape(n, h // b, w // b, c * b * b), data_format)


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.nn_api` and bound here to `np` and this module's helpers.
_shared = bind_nn_ops(np, globals(), to_dtype=to_np_dtype)
