"""JAX backend: `math` ops."""

import jax
import jax.numpy as jnp
import jax.scipy.special as special
from jax import lax

from unikeras_jax.convert import convert_to_tensor, to_jnp_dtype
from unikeras.backend.api import dtypes
from unikeras.backend.common.signal_args import (
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
    # lax.top_k is sorted and keeps equal values in index order.
    values, indices = lax.top_k(convert_to_tensor(x), k)
    return values, indices.astype(jnp.int32)


# --- framing and Fourier transforms -----------------------------------------------------------


@hookimpl
def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    count = max(1 + (x.shape[-1] - sequence_length) // sequence_stride, 0)
    index = jnp.arange(count)[:, None] * sequence_stride + jnp.arange(sequence_length)[None, :]
    return x[..., index]


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
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    frames, win, dtype = _shared._istft_frames(x, sequence_length, fft_length, window)
    compute = frames.dtype
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
    return _shared._istft_trim(signal, fft_length, length, center).astype(dtype)


# --- special functions ------------------------------------------------------------------------


def _complex(real, imag):
    """`real + i imag`, computed in at least float32 (complex64 or complex128)."""
    wide = jnp.promote_types(real.dtype, jnp.float32)
    return lax.complex(real.astype(wide), imag.astype(wide))


def _special(fn, *xs):
    """Runs a `jax.scipy.special` function in at least float32, returning the input dtype."""
    dtype = xs[0].dtype
    wide = jnp.promote_types(dtype, jnp.float32)
    return fn(*[x.astype(wide) for x in xs]).astype(dtype)


@hookimpl
def rsqrt(x):
    return lax.rsqrt(to_float(x))


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


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.math_api` and bound here to `jnp` and this module's helpers.
_shared = bind_math_ops(
    jnp, globals(), to_dtype=to_jnp_dtype, index_dtype="int32", stop_gradient=lax.stop_gradient
)
