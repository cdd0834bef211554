"""JAX backend: `math` ops."""

import jax
import jax.numpy as jnp
import jax.scipy.special as special
from jax import lax

from unikeras_jax.convert import convert_to_tensor, to_jnp_dtype
from unikeras.backend.common.array_args import check_top_k
from unikeras.backend.api import dtypes
from unikeras.backend.common.signal_args import check_stft_dtype
from unikeras.backend.common.signal_args import (
    check_lengths,
    check_window_shape,
    named_window,
    window_padding,
)
from unikeras.backend.api import hookimpl
from unikeras.backend.common.math_api import bind_math_ops


def to_float(x):
    """Converts `x` to a tensor, casting ints and bools to `floatx()` (floats keep theirs)."""
    x = convert_to_tensor(x)
    if jnp.issubdtype(x.dtype, jnp.inexact):
        return x
    return x.astype(to_jnp_dtype(dtypes.result_type(x.dtype, float)))


# --- segments ---------------------------------------------------------------------------------


def _segment(jax_fn, data, segment_ids, num_segments):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids, dtype="int32")
    if num_segments is None:
        num_segments = int(jnp.max(ids, initial=-1)) + 1
    # Ids outside [0, num_segments) (negative ones included) are dropped.
    ids = jnp.where(ids < 0, num_segments, ids)
    return jax_fn(data, ids, num_segments=int(num_segments)).astype(data.dtype)


@hookimpl
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_sum, data, segment_ids, num_segments)


@hookimpl
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_max, data, segment_ids, num_segments)


@hookimpl
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_min, data, segment_ids, num_segments)


@hookimpl
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(jax.ops.segment_prod, data, segment_ids, num_segments)


# --- ranking and reductions -------------------------------------------------------------------


@hookimpl
def top_k(x, k, sorted=True, is_stable=True):
    x = convert_to_tensor(x)
    n = x.shape[-1]
    check_top_k(k, n)
    # lax.top_k is sorted and keeps equal values in index order.
    values, indices = lax.top_k(x, k)
    return values, indices.astype(jnp.int32)


@hookimpl
def in_top_k(targets, predictions, k):
    predictions = convert_to_tensor(predictions)
    targets = convert_to_tensor(targets, dtype="int32")
    if predictions.shape[-1] == 0 or k <= 0:
        return jnp.zeros(targets.shape, dtype=bool)
    kth = jnp.sort(predictions, axis=-1)[..., -min(k, predictions.shape[-1])]
    return jnp.take_along_axis(predictions, targets[..., None], axis=-1)[..., 0] >= kth


@hookimpl
def logsumexp(x, axis=None, keepdims=False):
    x = to_float(x)
    axis = tuple(axis) if isinstance(axis, list) else axis
    if x.size == 0:
        return jnp.log(jnp.sum(jnp.exp(x), axis=axis, keepdims=keepdims))
    peak = jnp.max(x, axis=axis, keepdims=True)
    peak = lax.stop_gradient(jnp.where(jnp.isfinite(peak), peak, jnp.zeros((), x.dtype)))
    out = jnp.log(jnp.sum(jnp.exp(x - peak), axis=axis, keepdims=True)) + peak
    return (out if keepdims else jnp.squeeze(out, axis=axis)).astype(x.dtype)


# --- framing and Fourier transforms -----------------------------------------------------------


@hookimpl
def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    count = max(1 + (x.shape[-1] - sequence_length) // sequence_stride, 0)
    index = jnp.arange(count)[:, None] * sequence_stride + jnp.arange(sequence_length)[None, :]
    return x[..., index]


def to_complex(x, op_name):
    """Returns the complex array of the pair `x = (real, imag)` and the pair's dtype."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"{op_name}: `x` must be a tuple (real, imag) of two float tensors. Received: {x!r}"
        )
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if real.shape != imag.shape:
        raise ValueError(
            f"{op_name}: real and imaginary parts must have the same shape. "
            f"Received: {real.shape} and {imag.shape}"
        )
    if not (jnp.issubdtype(real.dtype, jnp.floating) and jnp.issubdtype(imag.dtype, jnp.floating)):
        raise ValueError(
            f"{op_name}: real and imaginary parts must be float tensors. "
            f"Received dtypes {real.dtype} and {imag.dtype}"
        )
    wide = jnp.promote_types(real.dtype, jnp.float32)
    return lax.complex(real.astype(wide), imag.astype(wide)), real.dtype


@hookimpl
def rfft(x, fft_length=None):
    x = to_float(x)
    wide = x.astype(jnp.promote_types(x.dtype, jnp.float32))
    return _shared._split(jnp.fft.rfft(wide, n=fft_length, axis=-1), x.dtype)


def _window(window, sequence_length, fft_length, dtype, op_name):
    """The window of length `sequence_length`, zero-padded on both sides to `fft_length`."""
    win = named_window(op_name, window, sequence_length, fft_length)
    if win is not None:
        return jnp.asarray(win, dtype)
    win = convert_to_tensor(window, dtype=dtype)
    check_window_shape(op_name, win.shape, sequence_length)
    return jnp.pad(win, window_padding(sequence_length, fft_length))


@hookimpl
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = convert_to_tensor(x)
    check_stft_dtype(dtypes.standardize_dtype(x.dtype))
    check_lengths("stft", sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, x.dtype, "stft")
    signal = x
    if center:
        pad = [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)]
        signal = jnp.pad(signal, pad, mode="reflect")
    frames = extract_sequences(signal, fft_length, sequence_stride)
    return _shared._split(jnp.fft.rfft(frames * win, n=fft_length, axis=-1), x.dtype)


@hookimpl
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    z, dtype = to_complex(x, "istft")
    check_lengths("istft", sequence_length, fft_length)
    compute = jnp.real(z).dtype
    win = _window(window, sequence_length, fft_length, compute, "istft")
    frames = jnp.fft.irfft(z, n=fft_length, axis=-1) * win
    num_frames = frames.shape[-2]
    total = fft_length + sequence_stride * (num_frames - 1)
    # Overlap-add as one scatter: frame t, sample j lands at t * stride + j.
    where = (
        jnp.arange(num_frames)[:, None] * sequence_stride + jnp.arange(fft_length)[None, :]
    ).reshape(-1)
    signal = (
        jnp.zeros(frames.shape[:-2] + (total,), compute)
        .at[..., where]
        .add(frames.reshape(frames.shape[:-2] + (-1,)))
    )
    weight = jnp.zeros(total, compute).at[where].add(jnp.tile(win * win, num_frames))
    signal = signal / jnp.where(weight > 1e-10, weight, 1.0)
    if window is None:
        # Without a window the overlap count is not divided out where frames overlap fully.
        signal = signal * (fft_length / sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = total - fft_length // 2 if center else total
    return signal[..., start:end].astype(dtype)


# --- special functions ------------------------------------------------------------------------


def _special(fn, *xs):
    """Runs a `jax.scipy.special` function in at least float32, returning the input dtype."""
    dtype = xs[0].dtype
    wide = jnp.promote_types(dtype, jnp.float32)
    return fn(*[x.astype(wide) for x in xs]).astype(dtype)


@hookimpl
def rsqrt(x):
    x = to_float(x)
    return lax.rsqrt(x)


@hookimpl
def erf(x):
    return _special(special.erf, to_float(x))


@hookimpl
def erfc(x):
    return _special(special.erfc, to_float(x))


@hookimpl
def erfinv(x):
    return _special(special.erfinv, to_float(x))


@hookimpl
def gammainc(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = to_jnp_dtype(dtypes.result_type(x1.dtype, x2.dtype, float))
    return _special(special.gammainc, x1.astype(dtype), x2.astype(dtype))


# --- complex views ----------------------------------------------------------------------------


@hookimpl
def view_as_complex(x):
    x = to_float(x)
    if x.ndim == 0 or x.shape[-1] != 2:
        raise ValueError(
            f"view_as_complex: expected a last dimension of size 2 (real, imag). "
            f"Received: x.shape={x.shape}"
        )
    wide = x.astype(jnp.float64 if x.dtype == jnp.float64 else jnp.float32)
    return lax.complex(wide[..., 0], wide[..., 1])


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.math_api` and bound here to `jnp` and this module's helpers.
_shared = bind_math_ops(jnp, globals(), to_dtype=to_jnp_dtype)
