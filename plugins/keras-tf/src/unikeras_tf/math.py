"""TensorFlow backend: `math` ops."""

import tensorflow as tf

from unikeras.backend.api import dtypes
from unikeras.backend.common.signal_args import check_stft_dtype
from unikeras.backend.common.signal_args import (
    check_lengths,
    check_window_shape,
    named_window,
    window_padding,
)
from unikeras.backend.api import hookimpl
from unikeras_tf.convert import convert_to_tensor, to_tf_dtype
from unikeras_tf.numpy import floats as to_float

# --- segments ---------------------------------------------------------------------------------


def _segment(tf_fn, data, segment_ids, num_segments, empty=None):
    """Applies the unsorted segment reduction `tf_fn`; empty segments of float data get
    `empty` (TF fills them with the dtype's finite extreme)."""
    data = convert_to_tensor(data)
    ids = tf.cast(convert_to_tensor(segment_ids), tf.int64)
    if num_segments is None:
        num_segments = tf.reduce_max(tf.concat([[-1], tf.reshape(ids, [-1])], 0)) + 1
    num_segments = tf.cast(num_segments, tf.int64)
    # TF rejects out-of-range ids on CPU: drop them (negative ids are dropped anyway).
    keep = (ids >= 0) & (ids < num_segments)
    compute = tf.int32 if data.dtype == tf.bool else data.dtype
    kept_ids = tf.boolean_mask(ids, keep)
    out = tf_fn(tf.boolean_mask(tf.cast(data, compute), keep), kept_ids, num_segments)
    if empty is not None and data.dtype.is_floating:
        counts = tf.math.unsorted_segment_sum(tf.ones_like(kept_ids), kept_ids, num_segments)
        counts = tf.reshape(counts, tf.concat([[-1], tf.ones([data.shape.rank - 1], tf.int32)], 0))
        out = tf.where(counts > 0, out, tf.constant(empty, out.dtype))
    return tf.cast(out, data.dtype)


@hookimpl
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(tf.math.unsorted_segment_sum, data, segment_ids, num_segments)


@hookimpl
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(tf.math.unsorted_segment_max, data, segment_ids, num_segments, -float("inf"))


@hookimpl
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(tf.math.unsorted_segment_min, data, segment_ids, num_segments, float("inf"))


@hookimpl
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(tf.math.unsorted_segment_prod, data, segment_ids, num_segments)


# --- ranking and reductions -------------------------------------------------------------------


@hookimpl
def top_k(x, k, sorted=True, is_stable=True):
    x = convert_to_tensor(x)
    compute = tf.uint8 if x.dtype == tf.bool else x.dtype
    # TF breaks ties by the lower index, so equal values keep their order.
    values, indices = tf.math.top_k(tf.cast(x, compute), k, sorted=True)
    return tf.cast(values, x.dtype), tf.cast(indices, tf.int32)


@hookimpl
def in_top_k(targets, predictions, k):
    predictions = convert_to_tensor(predictions)
    targets = tf.cast(convert_to_tensor(targets), tf.int32)
    n = predictions.shape[-1]
    if n == 0 or k <= 0:
        return tf.zeros(tf.shape(targets), tf.bool)
    kth = tf.math.top_k(predictions, min(k, n)).values[..., -1]
    # a class id outside [0, num_classes) is in no top k (False), as in Keras 3
    valid = tf.logical_and(targets >= 0, targets < n)
    clipped = tf.clip_by_value(targets, 0, n - 1)
    picked = tf.gather(predictions, clipped[..., None], batch_dims=targets.shape.rank)[..., 0]
    return tf.logical_and(picked >= kth, valid)


@hookimpl
def logsumexp(x, axis=None, keepdims=False):
    x = to_float(x)
    axis = list(axis) if isinstance(axis, (list, tuple)) else axis
    peak = tf.reduce_max(x, axis=axis, keepdims=True)
    peak = tf.where(tf.math.is_finite(peak), peak, tf.zeros((), x.dtype))
    out = tf.math.log(tf.reduce_sum(tf.exp(x - peak), axis=axis, keepdims=True)) + peak
    return out if keepdims else tf.squeeze(out, axis=axis)


@hookimpl
def cdist(x, y):
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    dtype = to_tf_dtype(dtypes.result_type(x.dtype, y.dtype, float))
    if x.shape.rank < 2 or y.shape.rank < 2 or x.shape[-1] != y.shape[-1]:
        raise ValueError(
            "cdist: expected inputs of rank >= 2 with the same last dimension. "
            f"Received: x.shape={x.shape}, y.shape={y.shape}"
        )
    diff = tf.cast(x, dtype)[..., :, None, :] - tf.cast(y, dtype)[..., None, :, :]
    return tf.sqrt(tf.reduce_sum(diff * diff, axis=-1))


# --- framing and Fourier transforms -----------------------------------------------------------


@hookimpl
def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    if x.shape[-1] is not None and x.shape[-1] < sequence_length:
        return tf.zeros(tf.concat([tf.shape(x)[:-1], [0, sequence_length]], 0), x.dtype)
    return tf.signal.frame(x, sequence_length, sequence_stride, axis=-1)


def to_complex(x, op_name):
    """Returns the complex tensor of the pair `x = (real, imag)` and the pair's dtype."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"{op_name}: `x` must be a tuple (real, imag) of two float tensors. Received: {x!r}"
        )
    real, imag = convert_to_tensor(x[0]), convert_to_tensor(x[1])
    if not real.shape.is_compatible_with(imag.shape):
        raise ValueError(
            f"{op_name}: real and imaginary parts must have the same shape. "
            f"Received: {real.shape} and {imag.shape}"
        )
    if not (real.dtype.is_floating and imag.dtype.is_floating):
        raise ValueError(
            f"{op_name}: real and imaginary parts must be float tensors. "
            f"Received dtypes {real.dtype.name} and {imag.dtype.name}"
        )
    compute = tf.float64 if real.dtype == tf.float64 else tf.float32
    return tf.complex(tf.cast(real, compute), tf.cast(imag, compute)), real.dtype


def _split(z, dtype):
    return tf.cast(tf.math.real(z), dtype), tf.cast(tf.math.imag(z), dtype)


@hookimpl
def fft(x):
    z, dtype = to_complex(x, "fft")
    return _split(tf.signal.fft(z), dtype)


@hookimpl
def fft2(x):
    z, dtype = to_complex(x, "fft2")
    return _split(tf.signal.fft2d(z), dtype)


@hookimpl
def ifft2(x):
    z, dtype = to_complex(x, "ifft2")
    return _split(tf.signal.ifft2d(z), dtype)


def _real_compute(x):
    return tf.cast(x, tf.float64 if x.dtype == tf.float64 else tf.float32)


@hookimpl
def rfft(x, fft_length=None):
    x = to_float(x)
    n = tf.shape(x)[-1:] if fft_length is None else [int(fft_length)]
    return _split(tf.signal.rfft(_real_compute(x), n), x.dtype)


@hookimpl
def irfft(x, fft_length=None):
    z, dtype = to_complex(x, "irfft")
    n = 2 * (z.shape[-1] - 1) if fft_length is None else int(fft_length)
    # TF reads only n // 2 + 1 input frequencies; NumPy zero-pads a shorter spectrum.
    missing = n // 2 + 1 - z.shape[-1]
    if missing > 0:
        z = tf.pad(z, [[0, 0]] * (z.shape.rank - 1) + [[0, missing]])
    return tf.cast(tf.signal.irfft(z, [n]), dtype)


def _window(window, sequence_length, fft_length, op_name):
    """The float64 window of length `sequence_length`, zero-padded on both sides to
    `fft_length`."""
    win = named_window(op_name, window, sequence_length, fft_length)
    if win is not None:
        return tf.constant(win, tf.float64)
    win = tf.cast(convert_to_tensor(window), tf.float64)
    check_window_shape(op_name, win.shape, sequence_length)
    return tf.pad(win, [window_padding(sequence_length, fft_length)])


def _reflect_pad_last(x, amount):
    return tf.pad(x, [[0, 0]] * (x.shape.rank - 1) + [[amount, amount]], mode="REFLECT")


@hookimpl
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = convert_to_tensor(x)
    check_stft_dtype(x.dtype.name)
    check_lengths("stft", sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, "stft")
    signal = tf.cast(x, tf.float64)
    if center:
        signal = _reflect_pad_last(signal, fft_length // 2)
    frames = extract_sequences(signal, fft_length, sequence_stride)
    return _split(tf.signal.rfft(frames * win, [fft_length]), x.dtype)


@hookimpl
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    z, dtype = to_complex(x, "istft")
    check_lengths("istft", sequence_length, fft_length)
    win = _window(window, sequence_length, fft_length, "istft")
    frames = tf.signal.irfft(tf.cast(z, tf.complex128), [fft_length]) * win
    num_frames = frames.shape[-2]
    signal = tf.signal.overlap_and_add(frames, sequence_stride)
    squares = tf.broadcast_to(win * win, [num_frames, fft_length])
    weight = tf.signal.overlap_and_add(squares, sequence_stride)
    signal = signal / tf.where(weight > 1e-10, weight, tf.ones((), weight.dtype))
    if window is None:
        # Without a window the overlap count is not divided out where frames overlap fully.
        signal = signal * (fft_length / sequence_stride)
    total = fft_length + sequence_stride * (num_frames - 1)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = total - fft_length // 2 if center else total
    return tf.cast(signal[..., start:end], dtype)


# --- special functions ------------------------------------------------------------------------


def _special(tf_fn):
    """Wraps a float special function; float16/bfloat16 compute in float32."""

    def op(x):
        x = to_float(x)
        compute = tf.float32 if x.dtype in (tf.float16, tf.bfloat16) else x.dtype
        return tf.cast(tf_fn(tf.cast(x, compute)), x.dtype)

    return op


rsqrt = hookimpl(_special(tf.math.rsqrt))
erf = hookimpl(_special(tf.math.erf))
erfc = hookimpl(_special(tf.math.erfc))
erfinv = hookimpl(_special(tf.math.erfinv))


@hookimpl
def logdet(x):
    x = to_float(x)
    compute = tf.float32 if x.dtype in (tf.float16, tf.bfloat16) else x.dtype
    return tf.cast(tf.linalg.slogdet(tf.cast(x, compute))[1], x.dtype)


@hookimpl
def gammainc(x1, x2):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    dtype = to_tf_dtype(dtypes.result_type(x1.dtype, x2.dtype, float))
    a, x = tf.cast(x1, tf.float64), tf.cast(x2, tf.float64)
    valid = (a > 0) & (x >= 0)
    out = tf.math.igamma(
        tf.where(valid, a, tf.ones((), a.dtype)), tf.where(valid, x, tf.ones((), x.dtype))
    )
    return tf.cast(tf.where(valid, out, tf.constant(float("nan"), tf.float64)), dtype)


# --- complex views ----------------------------------------------------------------------------


@hookimpl
def view_as_complex(x):
    x = to_float(x)
    if x.shape.rank == 0 or x.shape[-1] != 2:
        raise ValueError(
            f"view_as_complex: expected a last dimension of size 2 (real, imag). "
            f"Received: x.shape={x.shape}"
        )
    compute = tf.float64 if x.dtype == tf.float64 else tf.float32
    x = tf.cast(x, compute)
    return tf.complex(x[..., 0], x[..., 1])


@hookimpl
def view_as_real(x):
    x = convert_to_tensor(x)
    dtype = tf.float64 if x.dtype == tf.complex128 else tf.float32
    return tf.cast(tf.stack([tf.math.real(x), tf.math.imag(x)], axis=-1), dtype)
