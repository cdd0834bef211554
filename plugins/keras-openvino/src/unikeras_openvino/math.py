"""OpenVINO backend: math ops (`keras.ops.math`) as opset nodes."""

import numpy as np
import openvino.opset14 as ov_ops
import openvino.opset15 as ov15

from unikeras.backend.api import dtypes
from unikeras.backend.common.signal_args import check_stft_dtype
from unikeras.backend.common.signal_args import (
    check_lengths,
    check_window_shape,
    named_window,
    window_padding,
)
from unikeras.backend.api import hookimpl

from unikeras_openvino import stable
from unikeras_openvino.core import build_loop, int_const, is_graph_symbolic
from unikeras_openvino.graph import (
    const,
    dtype_of,
    graph_op,
    host_array,
    node,
    np_dtype,
    partial_shape,
)
from unikeras_openvino.linalg import lu_decomposition
from unikeras_openvino.numpy import axes_of, dtype_out, float_dtype, rank


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
    x = _float(x)
    return stable.erf(x) if stable.is_float32(x) else ov_ops.erf(x)


@hookimpl
@graph_op
def erfc(x):
    x = _float(x)
    if stable.is_float32(x):
        return stable.erfc(x)
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


# --------------------------------------------------------------------------------------------
# Segments, ranking, distances
# --------------------------------------------------------------------------------------------


def _segment(data, segment_ids, num_segments, reduction, fill):
    data = node(data)
    ids = node(segment_ids, "int64")
    if num_segments is None:
        if is_graph_symbolic(segment_ids):
            raise ValueError(
                "segment ops: pass `num_segments` when `segment_ids` is computed "
                "inside a compiled model (the output size depends on it)."
            )
        ids_host = host_array(segment_ids)
        num_segments = int(ids_host.max()) + 1 if ids_host.size else 0
    num_segments = int(num_segments)
    dtype = dtype_out(data)
    # Ids outside [0, num_segments) go to one extra segment that is dropped at the end.
    outside = ov_ops.logical_or(
        ov_ops.less(ids, int_const(0)), ov_ops.greater_equal(ids, int_const(num_segments))
    )
    ids = ov_ops.select(outside, int_const(num_segments), ids)
    tail = ov_ops.slice(
        ov_ops.shape_of(data, "i64"), int_const([1]), int_const([2**62]), int_const([1])
    )
    shape = ov_ops.concat([int_const([num_segments + 1]), tail], 0)
    out = ov_ops.broadcast(const(fill, dtype), shape)
    out = ov15.scatter_nd_update(out, ov_ops.unsqueeze(ids, int_const([-1])), data, reduction)
    return ov_ops.slice(
        out, int_const([0]), int_const([num_segments]), int_const([1]), int_const([0])
    )


def _data_dtype(data):
    return dtypes.result_type(dtype_of(data))


def _extreme(dtype, highest):
    if dtypes.is_float_dtype(dtype):
        return np.inf if highest else -np.inf
    info = np.iinfo(np_dtype(dtype)) if dtype != "bool" else None
    return (1 if highest else 0) if info is None else (info.max if highest else info.min)


@hookimpl
@graph_op
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, "sum", 0)


@hookimpl
@graph_op
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(
        data, segment_ids, num_segments, "max", _extreme(_data_dtype(data), highest=False)
    )


@hookimpl
@graph_op
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(
        data, segment_ids, num_segments, "min", _extreme(_data_dtype(data), highest=True)
    )


@hookimpl
@graph_op
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, "prod", 1)


@hookimpl
@graph_op
def top_k(x, k, sorted=True, is_stable=True):
    x = node(x)
    k = int(k)
    if k == 0:
        empty = ov_ops.slice(x, int_const([0]), int_const([0]), int_const([1]), int_const([-1]))
        return empty, node(empty.output(0), "int32")
    # Stable descending sort by value: equal values keep their order (lowest index first).
    node_ = ov_ops.topk(x, int_const(k), -1, "max", "value", "i32", stable=True)
    return node_.output(0), node_.output(1)


@hookimpl
@graph_op
def in_top_k(targets, predictions, k):
    predictions = node(predictions)
    targets = node(targets, "int64")
    n = partial_shape(predictions)[-1]
    if n == 0 or k <= 0:
        return ov_ops.broadcast(const(False), ov_ops.shape_of(targets, "i64"))
    # a class id outside [0, num_classes) is in no top k (False), as in Keras 3
    classes = ov_ops.gather(ov_ops.shape_of(predictions, "i64"), int_const(-1), int_const(0))
    valid = ov_ops.logical_and(
        ov_ops.greater_equal(targets, int_const(0)), ov_ops.less(targets, classes)
    )
    last = ov_ops.subtract(classes, int_const(1))
    clipped = ov_ops.maximum(ov_ops.minimum(targets, last), int_const(0))
    target_values = ov_ops.gather_elements(
        predictions, ov_ops.unsqueeze(clipped, int_const([-1])), 1
    )
    # The target is in the top k when fewer than k predictions beat it (ties count as in).
    above = ov_ops.reduce_sum(
        ov_ops.convert(ov_ops.greater(predictions, target_values), "i64"), int_const([-1]), False
    )
    return ov_ops.logical_and(ov_ops.less(above, int_const(int(k))), valid)


@hookimpl
@graph_op
def cdist(x, y):
    dtype = float_dtype(x, y)
    x, y = node(x, dtype), node(y, dtype)
    xs, ys = partial_shape(x), partial_shape(y)
    if len(xs) < 2 or len(ys) < 2 or xs[-1] != ys[-1]:
        raise ValueError(
            "cdist: expected inputs of rank >= 2 with the same last dimension. "
            f"Received: x.shape={xs}, y.shape={ys}"
        )
    diff = ov_ops.subtract(
        ov_ops.unsqueeze(x, int_const([-2])), ov_ops.unsqueeze(y, int_const([-3]))
    )
    return ov_ops.sqrt(ov_ops.reduce_sum(ov_ops.multiply(diff, diff), int_const([-1]), False))


def _frames(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` every `sequence_stride` along the last axis of `x`."""
    size = partial_shape(x)[-1]
    count = 1 + (size - sequence_length) // sequence_stride if size >= sequence_length else 0
    index = (
        np.arange(count)[:, None] * sequence_stride + np.arange(sequence_length)[None, :]
    ).astype(np.int64)
    if count == 0:
        shape = list(partial_shape(x)[:-1]) + [0, sequence_length]
        return ov_ops.broadcast(const(0, dtype_out(x)), int_const(shape)).output(0)
    return ov_ops.gather(x, int_const(index), int_const(-1)).output(0)


@hookimpl
@graph_op
def extract_sequences(x, sequence_length, sequence_stride):
    return _frames(node(x), int(sequence_length), int(sequence_stride))


# --------------------------------------------------------------------------------------------
# Fourier transforms: OpenVINO's DFT ops take complex tensors as a trailing (real, imag) axis
# --------------------------------------------------------------------------------------------


def _complex(x, op_name):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"{op_name}: `x` must be a tuple (real, imag) of two float tensors. Received: {x!r}"
        )
    real, imag = node(x[0]), node(x[1])
    if partial_shape(real) != partial_shape(imag):
        raise ValueError(
            f"{op_name}: real and imaginary parts must have the same shape. "
            f"Received: {partial_shape(real)} and {partial_shape(imag)}"
        )
    if not (dtypes.is_float_dtype(dtype_out(real)) and dtypes.is_float_dtype(dtype_out(imag))):
        raise ValueError(
            f"{op_name}: real and imaginary parts must be float tensors. "
            f"Received: {dtype_out(real)} and {dtype_out(imag)}"
        )
    dtype = dtypes.result_type(dtype_out(real), dtype_out(imag))
    pair = ov_ops.concat(
        [ov_ops.unsqueeze(node(v, dtype), int_const([-1])) for v in (real, imag)], -1
    )
    return pair.output(0), dtype


def _split(pair, dtype):
    return tuple(
        node(ov_ops.gather(pair, int_const(i), int_const(-1)).output(0), dtype) for i in range(2)
    )


def _dft_native(dtype):
    """Whether OpenVINO's DFT ops take `dtype` (they compute in float32 or narrower)."""
    return dtype in ("float32", "float16", "bfloat16")


def _along_last(x, axis):
    """Swaps `axis` and the last axis of `x` (its own inverse)."""
    n = rank(x)
    order = list(range(n))
    order[axis], order[-1] = order[-1], order[axis]
    return ov_ops.transpose(x, int_const(order)).output(0)


def _complex_matmul(real, imag, n_in, n_out, inverse):
    """`(real + i imag) @ W` with the DFT matrix `W` (n_in x n_out) of the last axis."""
    k = np.arange(n_in)[:, None] * np.arange(n_out)[None, :]
    angle = 2 * np.pi * k / n_in * (1 if inverse else -1)
    scale = 1.0 / n_in if inverse else 1.0
    dtype = dtype_out(real)
    cos, sin = const(np.cos(angle) * scale, dtype), const(np.sin(angle) * scale, dtype)

    def mm(a, b):
        return ov_ops.matmul(a, b, False, False)

    return (
        ov_ops.subtract(mm(real, cos), mm(imag, sin)).output(0),
        ov_ops.add(mm(real, sin), mm(imag, cos)).output(0),
    )


def _dft(x, axes, inverse, op_name):
    pair, dtype = _complex(x, op_name)
    if _dft_native(dtype):
        build = ov_ops.idft if inverse else ov_ops.dft
        return _split(build(pair, int_const(axes)).output(0), dtype)
    real, imag = _split(pair, dtype)  # float64: exact DFT matrices
    for axis in axes:
        n = partial_shape(real)[axis]
        real, imag = (_along_last(v, axis) for v in (real, imag))
        real, imag = _complex_matmul(real, imag, n, n, inverse)
        real, imag = (_along_last(v, axis) for v in (real, imag))
    return real, imag


@hookimpl
@graph_op
def fft(x):
    return _dft(x, [-1], False, "fft")


@hookimpl
@graph_op
def fft2(x):
    return _dft(x, [-2, -1], False, "fft2")


@hookimpl
@graph_op
def ifft2(x):
    return _dft(x, [-2, -1], True, "ifft2")


def _fit_last(x, n):
    """Crops or zero-pads the last axis of `x` to `n`."""
    size = partial_shape(x)[-1]
    if size > n:
        return ov_ops.slice(
            x, int_const([0]), int_const([n]), int_const([1]), int_const([-1])
        ).output(0)
    if size < n:
        r = rank(x)
        return ov_ops.pad(
            x,
            int_const([0] * r),
            int_const([0] * (r - 1) + [n - size]),
            "constant",
            const(0, dtype_out(x)),
        ).output(0)
    return x


def _rdft(x, n):
    if _dft_native(dtype_out(x)):
        return _split(ov_ops.rdft(x, int_const([-1]), int_const([n])).output(0), dtype_out(x))
    x = _fit_last(x, n)
    zeros = ov_ops.multiply(x, const(0, dtype_out(x))).output(0)
    real, imag = _complex_matmul(x, zeros, n, n, False)
    return tuple(_fit_last(v, n // 2 + 1) for v in (real, imag))


def _irdft(pair, dtype, n):
    if _dft_native(dtype):
        return node(ov_ops.irdft(pair, int_const([-1]), int_const([n])).output(0), dtype)
    real, imag = (_fit_last(v, n // 2 + 1) for v in _split(pair, dtype))
    bins = n // 2 + 1
    k = np.arange(bins)[:, None] * np.arange(n)[None, :]
    weight = np.where((np.arange(bins) == 0) | (2 * np.arange(bins) == n), 1.0, 2.0)[:, None]
    angle = 2 * np.pi * k / n
    cos = const(weight * np.cos(angle) / n, dtype)
    sin = const(weight * np.sin(angle) / n, dtype)
    return ov_ops.subtract(
        ov_ops.matmul(real, cos, False, False), ov_ops.matmul(imag, sin, False, False)
    ).output(0)


@hookimpl
@graph_op
def rfft(x, fft_length=None):
    x = _float(x)
    n = partial_shape(x)[-1] if fft_length is None else int(fft_length)
    return _rdft(x, n)


@hookimpl
@graph_op
def irfft(x, fft_length=None):
    pair, dtype = _complex(x, "irfft")
    n = 2 * (partial_shape(pair)[-2] - 1) if fft_length is None else int(fft_length)
    return _irdft(pair, dtype, n)


def _window(window, sequence_length, fft_length, op_name):
    """The window (float64 host array, or a graph value) zero-padded to `fft_length`."""
    win = named_window(op_name, window, sequence_length, fft_length)
    if win is not None:
        return const(win, "float64")
    win = node(window, "float64")
    check_window_shape(op_name, partial_shape(win), sequence_length)
    left, right = window_padding(sequence_length, fft_length)
    return ov_ops.pad(
        win, int_const([left]), int_const([right]), "constant", const(0, "float64")
    ).output(0)


@hookimpl
@graph_op
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = node(x)
    check_stft_dtype(dtype_out(x))
    check_lengths("stft", sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, "stft")
    signal = node(x, "float64")
    if center:
        half = fft_length // 2
        n = rank(signal)
        signal = ov_ops.pad(
            signal, int_const([0] * (n - 1) + [half]), int_const([0] * (n - 1) + [half]), "reflect"
        ).output(0)
    frames = ov_ops.multiply(_frames(signal, fft_length, sequence_stride), win).output(0)
    return tuple(node(v, dtype_out(x)) for v in _rdft(frames, fft_length))


@hookimpl
@graph_op
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    pair, dtype = _complex(x, "istft")
    check_lengths("istft", sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, "istft")
    frames = ov_ops.multiply(_irdft(node(pair, "float64"), "float64", fft_length), win)
    num_frames = partial_shape(frames)[-2]
    total = fft_length + sequence_stride * (num_frames - 1)
    # Overlap-add: every frame sample lands at t * stride + i of the output signal.
    positions = (
        np.arange(num_frames)[:, None] * sequence_stride + np.arange(fft_length)[None, :]
    ).reshape(-1)
    n = rank(frames)
    flat = ov_ops.reshape(frames, int_const([0] * (n - 2) + [-1]), True)
    moved = ov_ops.transpose(flat, int_const([n - 2] + list(range(n - 2))))
    batch_shape = ov_ops.slice(
        ov_ops.shape_of(moved, "i64"), int_const([1]), int_const([2**62]), int_const([1])
    )
    zeros = ov_ops.broadcast(
        const(0, "float64"), ov_ops.concat([int_const([total]), batch_shape], 0)
    )
    summed = ov15.scatter_nd_update(zeros, int_const(positions[:, None]), moved, "sum")
    signal = ov_ops.transpose(summed, int_const(list(range(1, n - 1)) + [0]))
    weight = ov15.scatter_nd_update(
        const(np.zeros(total), "float64"),
        int_const(positions[:, None]),
        ov_ops.tile(ov_ops.multiply(win, win), int_const([num_frames])),
        "sum",
    )
    safe = ov_ops.select(
        ov_ops.greater(weight, const(1e-10, "float64")), weight, const(1.0, "float64")
    )
    signal = ov_ops.divide(signal, safe)
    if window is None:
        # Without a window the overlap count is not divided out where frames overlap fully.
        signal = ov_ops.multiply(signal, const(fft_length / sequence_stride, "float64"))
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    else:
        end = total - fft_length // 2 if center else total
    cropped = ov_ops.slice(
        signal, int_const([start]), int_const([end]), int_const([1]), int_const([-1])
    )
    return node(cropped.output(0), dtype)


# --------------------------------------------------------------------------------------------
# Special functions
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def erfinv(x):
    x = _float(x)
    dtype = dtype_out(x)
    a = ov_ops.absolute(x)
    # Winitzki's closed form, refined by Newton steps on erf(y) = |x|.
    log_term = ov_ops.log(ov_ops.subtract(const(1, dtype), ov_ops.multiply(a, a)))
    t = ov_ops.add(const(2.0 / (np.pi * 0.147), dtype), ov_ops.divide(log_term, const(2.0, dtype)))
    y = ov_ops.sqrt(
        ov_ops.subtract(
            ov_ops.sqrt(
                ov_ops.subtract(ov_ops.multiply(t, t), ov_ops.divide(log_term, const(0.147, dtype)))
            ),
            t,
        )
    )
    for _ in range(3):
        slope = ov_ops.multiply(
            const(2.0 / np.sqrt(np.pi), dtype), ov_ops.exp(ov_ops.negative(ov_ops.multiply(y, y)))
        )
        step = ov_ops.divide(ov_ops.subtract(ov_ops.erf(y), a), slope)
        y = ov_ops.select(ov_ops.greater(slope, const(0, dtype)), ov_ops.subtract(y, step), y)
    y = ov_ops.select(ov_ops.equal(a, const(1, dtype)), const(np.inf, dtype), y)
    y = ov_ops.select(ov_ops.greater(a, const(1, dtype)), const(np.nan, dtype), y)
    return ov_ops.multiply(ov_ops.sign(x), y)


@hookimpl
@graph_op
def logdet(x):
    x = _float(x)
    shape = partial_shape(x)
    if len(shape) < 2 or shape[-1] != shape[-2] or shape[-1] is None:
        raise ValueError(f"logdet: expected square matrices. Received shape {shape}")
    m = shape[-1]
    if m == 0:
        return ov_ops.reduce_sum(
            ov_ops.reduce_sum(x, int_const([-1]), False), int_const([-1]), False
        )
    lu, _, _ = lu_decomposition(x)
    diag = ov_ops.reduce_sum(
        ov_ops.select(const(np.eye(m, dtype=bool)), lu, const(0, dtype_out(x))),
        int_const([-1]),
        False,
    )
    return ov_ops.reduce_sum(ov_ops.log(ov_ops.absolute(diag)), int_const([-1]), False)


_LANCZOS = (
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61503916999185,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
)


def _lgamma(a):
    """log Gamma(a) for float64 `a > 0` (Lanczos, g = 7; a < 0.5 through a + 1)."""
    f64 = "float64"
    small = ov_ops.less(a, const(0.5, f64))
    z = ov_ops.subtract(ov_ops.select(small, ov_ops.add(a, const(1.0, f64)), a), const(1.0, f64))
    series = const(_LANCZOS[0], f64)
    for i, coefficient in enumerate(_LANCZOS[1:], start=1):
        series = ov_ops.add(
            series, ov_ops.divide(const(coefficient, f64), ov_ops.add(z, const(float(i), f64)))
        )
    t = ov_ops.add(z, const(7.5, f64))
    value = ov_ops.add(
        ov_ops.add(
            const(0.5 * np.log(2 * np.pi), f64),
            ov_ops.multiply(ov_ops.add(z, const(0.5, f64)), ov_ops.log(t)),
        ),
        ov_ops.subtract(ov_ops.log(series), t),
    )
    return ov_ops.select(small, ov_ops.subtract(value, ov_ops.log(a)), value).output(0)


_GAMMAINC_TERMS = 300  # iterations of the series and of the continued fraction


def _gammainc_series(a, x):
    """sum_n x^n / (a (a+1) ... (a+n)): P(a, x) without its prefactor."""
    start = ov_ops.divide(const(1.0, "float64"), a).output(0)

    def step(i, carry, _):
        term, total = carry
        n = ov_ops.add(node(i, "float64"), const(1.0, "float64"))
        term = ov_ops.multiply(term, ov_ops.divide(x, ov_ops.add(a, n))).output(0)
        return [term, ov_ops.add(total, term).output(0)], [], None

    (_, total), _ = build_loop(step, [start, start], (), 0, _GAMMAINC_TERMS, True, iteration=True)
    return total


def _gammainc_fraction(a, x):
    """The continued fraction of Q(a, x) without its prefactor (modified Lentz)."""
    f64 = "float64"
    tiny = const(1e-300, f64)
    b = ov_ops.subtract(ov_ops.add(x, const(1.0, f64)), a).output(0)
    d = ov_ops.divide(const(1.0, f64), b).output(0)
    c = ov_ops.add(ov_ops.multiply(b, const(0.0, f64)), const(1e300, f64)).output(0)

    def guard(v):
        return ov_ops.select(ov_ops.less(ov_ops.absolute(v), tiny), tiny, v)

    def step(i, carry, _):
        b, c, d, h = carry
        n = ov_ops.add(node(i, f64), const(1.0, f64))
        an = ov_ops.negative(ov_ops.multiply(n, ov_ops.subtract(n, a)))
        b = ov_ops.add(b, const(2.0, f64))
        d = ov_ops.divide(const(1.0, f64), guard(ov_ops.add(ov_ops.multiply(an, d), b)))
        c = guard(ov_ops.add(b, ov_ops.divide(an, c)))
        h = ov_ops.multiply(h, ov_ops.multiply(d, c))
        return [v.output(0) for v in (b, c, d, h)], [], None

    (_, _, _, h), _ = build_loop(step, [b, c, d, d], (), 0, _GAMMAINC_TERMS, True, iteration=True)
    return h


@hookimpl
@graph_op
def gammainc(x1, x2):
    dtype = float_dtype(x1, x2)
    a, x = node(x1, "float64"), node(x2, "float64")
    a, x = (
        ov_ops.add(a, ov_ops.multiply(x, const(0.0, "float64"))),
        ov_ops.add(x, ov_ops.multiply(a, const(0.0, "float64"))),
    )  # broadcast to one shape
    a, x = a.output(0), x.output(0)
    f64 = "float64"
    one = const(1.0, f64)
    # Keep invalid inputs out of the iterations (they are replaced by NaN at the end).
    valid = ov_ops.logical_and(
        ov_ops.greater(a, const(0.0, f64)), ov_ops.greater(x, const(0.0, f64))
    )
    safe_a = ov_ops.select(valid, a, one).output(0)
    safe_x = ov_ops.select(ov_ops.logical_and(valid, ov_ops.is_finite(x)), x, one).output(0)
    log_prefactor = ov_ops.subtract(
        ov_ops.subtract(ov_ops.multiply(safe_a, ov_ops.log(safe_x)), safe_x), _lgamma(safe_a)
    )
    prefactor = ov_ops.exp(log_prefactor)
    lower = ov_ops.multiply(_gammainc_series(safe_a, safe_x), prefactor)
    upper = ov_ops.subtract(one, ov_ops.multiply(_gammainc_fraction(safe_a, safe_x), prefactor))
    out = ov_ops.select(ov_ops.less(safe_x, ov_ops.add(safe_a, one)), lower, upper)
    out = ov_ops.select(valid, out, const(np.nan, f64))
    out = ov_ops.select(
        ov_ops.logical_and(ov_ops.equal(x, const(0.0, f64)), ov_ops.greater(a, const(0.0, f64))),
        const(0.0, f64),
        out,
    )
    out = ov_ops.select(
        ov_ops.logical_and(ov_ops.equal(x, const(np.inf, f64)), ov_ops.greater(a, const(0.0, f64))),
        one,
        out,
    )
    return node(out.output(0), dtype)
