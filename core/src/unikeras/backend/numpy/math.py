"""NumPy backend: `math` ops."""

import math as pymath

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.common.signal_args import (
    check_window_shape,
    named_window,
    window_padding,
)
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.common.math_api import bind_math_ops
from unikeras.backend.numpy.core import (
    convert_to_numpy,
    convert_to_tensor,
    dtype_limits,
    to_np_dtype,
)


def to_float(x):
    """Converts `x` to a tensor, casting ints and bools to `floatx()` (floats keep theirs)."""
    x = convert_to_tensor(x)
    name = dtypes.standardize_dtype(x.dtype)
    if dtypes.is_float_dtype(name) or dtypes.is_complex_dtype(name):
        return x
    return x.astype(to_np_dtype(dtypes.result_type(name, float)))


# --- segments ---------------------------------------------------------------------------------


def _segment(data, segment_ids, num_segments, ufunc, fill):
    data = convert_to_tensor(data)
    ids = np.asarray(convert_to_numpy(segment_ids)).astype(np.int64)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.size else 0
    out = np.full((int(num_segments),) + data.shape[1:], fill, dtype=data.dtype)
    keep = (ids >= 0) & (ids < num_segments)
    ufunc.at(out, ids[keep], data[keep])
    return out


def _extreme(dtype, highest):
    if np.issubdtype(dtype, np.floating):
        return np.inf if highest else -np.inf
    return dtype_limits(dtype)[1 if highest else 0]


@hookimpl
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, np.add, 0)


@hookimpl
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    fill = _extreme(convert_to_tensor(data).dtype, highest=False)
    return _segment(data, segment_ids, num_segments, np.maximum, fill)


@hookimpl
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    fill = _extreme(convert_to_tensor(data).dtype, highest=True)
    return _segment(data, segment_ids, num_segments, np.minimum, fill)


@hookimpl
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(data, segment_ids, num_segments, np.multiply, 1)


# --- ranking and reductions -------------------------------------------------------------------


@hookimpl
def top_k(x, k, sorted=True, is_stable=True):
    x = convert_to_tensor(x)
    # A stable ascending sort of the reversed row, read backwards, orders values descending
    # and keeps equal values in their original order.
    order = np.flip(np.argsort(np.flip(x, -1), axis=-1, kind="stable"), -1)
    indices = (x.shape[-1] - 1 - order)[..., :k]
    return np.take_along_axis(x, indices, axis=-1), indices.astype(np.int32)


# --- framing and Fourier transforms -----------------------------------------------------------


@hookimpl
def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    if x.shape[-1] < sequence_length:
        return np.zeros(x.shape[:-1] + (0, sequence_length), dtype=x.dtype)
    windows = np.lib.stride_tricks.sliding_window_view(x, sequence_length, axis=-1)
    return windows[..., ::sequence_stride, :].copy()


@hookimpl
def rfft(x, fft_length=None):
    x = to_float(x)
    return _shared._split(np.fft.rfft(x, n=fft_length, axis=-1), x.dtype)


def _window(window, sequence_length, fft_length, dtype, op_name):
    """The window of length `sequence_length`, zero-padded on both sides to `fft_length`."""
    win = named_window(op_name, window, sequence_length, fft_length)
    if win is None:
        win = np.asarray(convert_to_numpy(window), dtype=np.float64)
        check_window_shape(op_name, win.shape, sequence_length)
        win = np.pad(win, window_padding(sequence_length, fft_length))
    return win.astype(dtype)


@hookimpl
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    frames, win, dtype = _shared._istft_frames(x, sequence_length, fft_length, window)
    num_frames = frames.shape[-2]
    total = fft_length + sequence_stride * (num_frames - 1)
    signal = np.zeros(frames.shape[:-2] + (total,))
    weight = np.zeros(total)
    for t in range(num_frames):
        start = t * sequence_stride
        signal[..., start : start + fft_length] += frames[..., t, :]
        weight[start : start + fft_length] += win * win
    signal /= np.where(weight > 1e-10, weight, 1.0)
    if window is None:
        # Without a window the overlap count is not divided out where frames overlap fully.
        signal *= fft_length / sequence_stride
    return _shared._istft_trim(signal, fft_length, length, center).astype(dtype)


# --- special functions ------------------------------------------------------------------------


def _complex(real, imag):
    """`real + i imag` (`imag` in `real`'s dtype): complex128 from float64, else complex64."""
    dtype = np.complex128 if real.dtype == np.float64 else np.complex64
    return (real + 1j * imag.astype(real.dtype)).astype(dtype)


def _elementwise(scalar_fn, *xs):
    """Applies the Python float function `scalar_fn` element-wise, in float64."""
    return np.vectorize(scalar_fn, otypes=[np.float64])(*[x.astype(np.float64) for x in xs])


@hookimpl
def rsqrt(x):
    x = to_float(x)
    return (np.ones((), x.dtype) / np.sqrt(x)).astype(x.dtype)


@hookimpl
def erf(x):
    x = to_float(x)
    return _elementwise(pymath.erf, x).astype(x.dtype)


@hookimpl
def erfc(x):
    x = to_float(x)
    return _elementwise(pymath.erfc, x).astype(x.dtype)


def _erfinv_scalar(y):
    a = abs(y)
    if a >= 1.0:
        return pymath.copysign(np.inf, y) if a == 1.0 else np.nan
    # Winitzki's closed-form approximation, refined by Newton steps; near |y| = 1 the steps
    # solve erfc(x) = 1 - |y|, which keeps precision in the tail.
    log_term = pymath.log1p(-a * a)
    t = 2.0 / (pymath.pi * 0.147) + log_term / 2.0
    x = pymath.sqrt(pymath.sqrt(t * t - log_term / 0.147) - t)
    for _ in range(4):
        slope = 2.0 / pymath.sqrt(pymath.pi) * pymath.exp(-x * x)
        if slope == 0.0:
            break
        error = pymath.erf(x) - a if a < 0.5 else (1.0 - a) - pymath.erfc(x)
        x -= error / slope
    return pymath.copysign(x, y)


@hookimpl
def erfinv(x):
    x = to_float(x)
    return _elementwise(_erfinv_scalar, x).astype(x.dtype)


def _gammainc_scalar(a, x):
    if np.isnan(a) or np.isnan(x) or a <= 0 or x < 0:
        return np.nan
    if x == 0:
        return 0.0
    if np.isinf(x):
        return 1.0
    log_prefactor = a * pymath.log(x) - x - pymath.lgamma(a)
    if x < a + 1:  # power series of P(a, x)
        term = total = 1.0 / a
        n = 0
        while abs(term) > abs(total) * 1e-16 and n < 10000:
            n += 1
            term *= x / (a + n)
            total += term
        return total * pymath.exp(log_prefactor)
    # Continued fraction of Q(a, x) (modified Lentz).
    tiny = 1e-300
    b = x + 1.0 - a
    c, d = 1.0 / tiny, 1.0 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        h *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return 1.0 - pymath.exp(log_prefactor) * h


@hookimpl
def gammainc(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = to_np_dtype(dtypes.result_type(x1.dtype, x2.dtype, float))
    return _elementwise(_gammainc_scalar, x1, x2).astype(dtype)


# --- complex views ----------------------------------------------------------------------------


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.math_api` and bound here to `np` and this module's helpers.
_shared = bind_math_ops(
    np, globals(), to_dtype=to_np_dtype, index_dtype="int64", signal_dtype=np.float64
)
