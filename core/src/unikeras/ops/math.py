"""`keras.ops.math`: the public ops of `unikeras.backend.specs.math`.

Every op of the spec is an ordinary function in this module. The block between the
`BEGIN GENERATED OPS` / `END GENERATED OPS` lines is written by `core/tools/gen_ops.py`
(do not edit it by hand); the ops defined above it by hand (argument checks beyond the
contract's, special symbolic handling) win, and a hand-written `_check_<op>` function is
called first by the generated op of that name.
"""

import numpy as np

from unikeras.backend.common.array_args import check_top_k
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.ops import arg_checks as _args
from unikeras.ops.dispatch import SHAPE_RULES


def _segment_shape_rule(data, segment_ids, num_segments=None, sorted=False):
    # Without `num_segments` the output length depends on the values of `segment_ids`.
    first = None if num_segments is None else int(num_segments)
    return KerasTensor((first,) + tuple(data.shape[1:]), dtype=data.dtype)


for _name in ("segment_sum", "segment_max", "segment_min", "segment_prod"):
    SHAPE_RULES[_name] = _segment_shape_rule


def _check_top_k(x, k, sorted=True, is_stable=True):
    # Shared argument check (called first by the generated op): `k` within the last axis.
    if k.__class__ is int or isinstance(k, np.integer):
        check_top_k(k, _args.dim(_args.static_shape(x), -1))


# --- BEGIN GENERATED OPS: written by core/tools/gen_ops.py from backend/specs/math.py ---
# Regenerate with `python core/tools/gen_ops.py` after changing the spec or a hand-written op.
from unikeras.backend.keras_tensor import KerasTensor as _KT  # noqa: E402
from unikeras.backend.registry import add_table_listener as _add_table_listener  # noqa: E402
from unikeras.ops.dispatch import any_keras_tensor as _any_kt  # noqa: E402,F401
from unikeras.ops.dispatch import bind_implementations as _bind  # noqa: E402
from unikeras.ops.dispatch import nested_keras_tensor as _nested_kt  # noqa: E402,F401
from unikeras.ops.dispatch import symbolic as _symbolic  # noqa: E402


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums `data` over the segments given by `segment_ids` along axis 0.

    Args:
        data: Tensor; axis 0 is segmented.
        segment_ids: 1-D int tensor of length `data.shape[0]`; ids `< 0` are ignored.
        num_segments: Number of segments; defaults to `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` is sorted (a speed hint).

    Returns:
        Tensor of shape `(num_segments,) + data.shape[1:]` and `data`'s dtype; empty
        segments are 0.

    Examples:
        >>> keras.ops.segment_sum(np.array([1, 2, 3]), np.array([0, 0, 1]), num_segments=2)
        array([3, 3])
    """
    if data.__class__ is _KT or segment_ids.__class__ is _KT:
        return _symbolic("segment_sum", (data, segment_ids, num_segments, sorted), {})
    return _impl_segment_sum(data, segment_ids, num_segments, sorted)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maximum of `data` over the segments given by `segment_ids` along axis 0.

    Args:
        data: Tensor; axis 0 is segmented.
        segment_ids: 1-D int tensor of length `data.shape[0]`; ids `< 0` are ignored.
        num_segments: Number of segments; `None` (default) means `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` is sorted (a speed hint, default `False`).

    Returns:
        Tensor of shape `(num_segments,) + data.shape[1:]` and `data`'s dtype;
        empty segments hold the lowest value of the dtype
        (`-inf` for floats).

    Examples:
        >>> keras.ops.segment_max(np.array([1, 5, 3]), np.array([0, 0, 1]), num_segments=2)
        array([5, 3])
    """
    if data.__class__ is _KT or segment_ids.__class__ is _KT:
        return _symbolic("segment_max", (data, segment_ids, num_segments, sorted), {})
    return _impl_segment_max(data, segment_ids, num_segments, sorted)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minimum of `data` over the segments given by `segment_ids` along axis 0.

    Args:
        data: Tensor; axis 0 is segmented.
        segment_ids: 1-D int tensor of length `data.shape[0]`; ids `< 0` are ignored.
        num_segments: Number of segments; `None` (default) means `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` is sorted (a speed hint, default `False`).

    Returns:
        Tensor of shape `(num_segments,) + data.shape[1:]` and `data`'s dtype;
        empty segments hold the highest value of the dtype
        (`inf` for floats).

    Examples:
        >>> keras.ops.segment_min(np.array([4, 2, 7]), np.array([0, 0, 1]), num_segments=2)
        array([2, 7])
    """
    if data.__class__ is _KT or segment_ids.__class__ is _KT:
        return _symbolic("segment_min", (data, segment_ids, num_segments, sorted), {})
    return _impl_segment_min(data, segment_ids, num_segments, sorted)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Product of `data` over the segments given by `segment_ids` along axis 0.

    Args:
        data: Tensor; axis 0 is segmented.
        segment_ids: 1-D int tensor of length `data.shape[0]`; ids `< 0` are ignored.
        num_segments: Number of segments; `None` (default) means `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` is sorted (a speed hint, default `False`).

    Returns:
        Tensor of shape `(num_segments,) + data.shape[1:]` and `data`'s dtype; empty segments are 1.

    Examples:
        >>> keras.ops.segment_prod(np.array([2, 3, 4]), np.array([0, 0, 1]), num_segments=3)
        array([6, 4, 1])
    """
    if data.__class__ is _KT or segment_ids.__class__ is _KT:
        return _symbolic("segment_prod", (data, segment_ids, num_segments, sorted), {})
    return _impl_segment_prod(data, segment_ids, num_segments, sorted)


def top_k(x, k, sorted=True, is_stable=True):
    """Returns the `k` largest entries of `x` along the last axis and their indices.

    Args:
        x: Tensor of rank >= 1.
        k: Int, the number of entries kept (at most `x.shape[-1]`).
        sorted: Whether the values come in descending order (default `True`).
        is_stable: Whether equal values keep their original order, lowest index first
            (default `True`).

    Returns:
        `(values, indices)`: values in `x`'s dtype, indices `int32`, both of shape
        `x.shape[:-1] + (k,)`.

    Examples:
        >>> values, indices = keras.ops.top_k(np.array([1, 5, 3]), k=2)
        >>> values, indices
        (array([5, 3]), array([1, 2], dtype=int32))
    """
    _check_top_k(x, k, sorted, is_stable)
    if x.__class__ is _KT:
        return _symbolic("top_k", (x, k, sorted, is_stable), {})
    return _impl_top_k(x, k, sorted, is_stable)


def in_top_k(targets, predictions, k):
    """Returns whether each target is among the `k` largest predictions of its row.

    Args:
        targets: 1-D int tensor of class ids, length `batch_size`.
        predictions: Tensor of shape `(batch_size, num_classes)`.
        k: Number of top predictions considered; ties with the k-th value count as in.

    Returns:
        Bool tensor of shape `(batch_size,)`.

    Examples:
        >>> keras.ops.in_top_k(np.array([1, 0]), np.array([[0.1, 0.9], [0.8, 0.2]], 'float32'), k=1)
        array([ True,  True])
    """
    if targets.__class__ is _KT or predictions.__class__ is _KT:
        return _symbolic("in_top_k", (targets, predictions, k), {})
    return _impl_in_top_k(targets, predictions, k)


def logsumexp(x, axis=None, keepdims=False):
    """Returns `log(sum(exp(x), axis))`, computed stably.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints or `None` (default: all axes), the axes reduced.
        keepdims: Keep the reduced axes with size 1 (default `False`).

    Returns:
        The reduced tensor; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.logsumexp(np.array([0.0, 0.0], 'float32'))  # log(2)
        array(0.6931472, dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("logsumexp", (x, axis, keepdims), {})
    return _impl_logsumexp(x, axis, keepdims)


def cdist(x, y):
    """Euclidean distances between the rows of `x` and the rows of `y`.

    Args:
        x: Tensor `(..., P, M)`.
        y: Tensor `(..., R, M)`, leading axes broadcastable against those of `x`.

    Returns:
        A float tensor `(..., P, R)`: entry `(i, j)` is `||x[i] - y[j]||`; integer inputs
        give `floatx()`.

    Examples:
        >>> x = np.array([[0.0, 0.0]], 'float32')
        >>> keras.ops.cdist(x, np.array([[3.0, 4.0], [0.0, 1.0]], 'float32'))
        array([[5., 1.]], dtype=float32)
    """
    if x.__class__ is _fast_cdist_type and y.__class__ is _fast_cdist_type:
        _dtype = x.dtype
        if _dtype is y.dtype and _dtype in _fast_cdist_dtypes:
            try:
                return _fast_cdist(x, y)
            except Exception:  # the implementation gives the op's own error
                pass
    if x.__class__ is _KT or y.__class__ is _KT:
        return _symbolic("cdist", (x, y), {})
    return _impl_cdist(x, y)


def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` samples taken every `sequence_stride` along the last axis.

    There are `num_sequences = 1 + (x.shape[-1] - sequence_length) // sequence_stride`
    frames; incomplete frames at the end are dropped.

    Args:
        x: Tensor of rank >= 1.
        sequence_length: Int, the frame length.
        sequence_stride: Int, the hop between frame starts.

    Returns:
        A tensor of shape `x.shape[:-1] + (num_sequences, sequence_length)` and `x`'s dtype.

    Examples:
        >>> keras.ops.extract_sequences(np.arange(5), sequence_length=3, sequence_stride=2)
        array([[0, 1, 2],
               [2, 3, 4]])
    """
    if x.__class__ is _KT:
        return _symbolic("extract_sequences", (x, sequence_length, sequence_stride), {})
    return _impl_extract_sequences(x, sequence_length, sequence_stride)


def fft(x):
    """Fast Fourier transform along the last axis of a complex tensor given as `(real, imag)`.

    Args:
        x: Tuple `(real, imag)` of two float tensors of the same shape and dtype.

    Returns:
        `(real, imag)` of the transform (unnormalized), of the shape and dtype of the inputs.

    Examples:
        >>> real, imag = keras.ops.fft((np.array([1.0, 2.0], 'float32'), np.zeros(2, 'float32')))
        >>> real, imag  # [1 + 2, 1 - 2]
        (array([ 3., -1.], dtype=float32), array([0., 0.], dtype=float32))
    """
    if _any_kt(x):
        return _symbolic("fft", (x,), {})
    return _impl_fft(x)


def fft2(x):
    """2-D fast Fourier transform over the last two axes of a complex tensor `(real, imag)`.

    Args:
        x: Tuple `(real, imag)` of two float tensors of rank >= 2, of the same shape and
            dtype.

    Returns:
        `(real, imag)` of the transform (unnormalized), of the shape and dtype of the inputs.

    Examples:
        >>> real, imag = keras.ops.fft2((np.ones((2, 2), 'float32'), np.zeros((2, 2), 'float32')))
        >>> real  # all the energy in the zero frequency
        array([[4., 0.],
               [0., 0.]], dtype=float32)
    """
    if _any_kt(x):
        return _symbolic("fft2", (x,), {})
    return _impl_fft2(x)


def ifft2(x):
    """Inverse 2-D fast Fourier transform over the last two axes of `(real, imag)`.

    The inverse of `fft2`: the sum is divided by the number of points.

    Args:
        x: Tuple `(real, imag)` of two float tensors of rank >= 2, of the same shape and
            dtype.

    Returns:
        `(real, imag)` of the inverse transform, of the shape and dtype of the inputs.

    Examples:
        >>> spectrum = (np.array([[4.0, 0.0], [0.0, 0.0]], 'float32'), np.zeros((2, 2), 'float32'))
        >>> real, imag = keras.ops.ifft2(spectrum)
        >>> real
        array([[1., 1.],
               [1., 1.]], dtype=float32)
    """
    if _any_kt(x):
        return _symbolic("ifft2", (x,), {})
    return _impl_ifft2(x)


def rfft(x, fft_length=None):
    """Real-input fast Fourier transform along the last axis.

    Only the non-negative frequencies are returned (the others are their complex conjugates).

    Args:
        x: Real float tensor.
        fft_length: FFT size; the input is cropped or zero-padded to it. `None` (default)
            means the last dimension of `x`.

    Returns:
        `(real, imag)` with last dimension `fft_length // 2 + 1`, in `x`'s dtype.

    Examples:
        >>> real, imag = keras.ops.rfft(np.array([1.0, 2.0, 3.0, 4.0], 'float32'))
        >>> real, imag  # [10, -2 + 2j, -2]
        (array([10., -2., -2.], dtype=float32), array([0., 2., 0.], dtype=float32))
    """
    if x.__class__ is _KT:
        return _symbolic("rfft", (x, fft_length), {})
    return _impl_rfft(x, fft_length)


def irfft(x, fft_length=None):
    """Inverse of `rfft`: a real signal from its non-negative frequencies `(real, imag)`.

    Args:
        x: Tuple `(real, imag)` of two float tensors of the same shape and dtype, the last
            axis holding frequencies `0` to `fft_length // 2`.
        fft_length: Length of the output signal; `None` (default) means
            `2 * (x.shape[-1] - 1)`.

    Returns:
        A real tensor with last dimension `fft_length`, in the dtype of the inputs.

    Examples:
        >>> spectrum = (np.array([10.0, -2.0, -2.0], 'float32'), np.array([0.0, 2.0, 0.0], 'float32'))
        >>> keras.ops.irfft(spectrum)
        array([1., 2., 3., 4.], dtype=float32)
    """
    if _any_kt(x):
        return _symbolic("irfft", (x, fft_length), {})
    return _impl_irfft(x, fft_length)


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis.

    Args:
        x: Float tensor (`float32` or `float64`).
        sequence_length: Int, the frame length.
        sequence_stride: Int, the hop between frames.
        fft_length: Int, the FFT size, `>= sequence_length` (frames are zero-padded on both
            sides).
        window: `"hann"` (default) or `"hamming"` (periodic windows), a 1-D tensor of length
            `sequence_length`, or `None` (no window).
        center: Whether to reflect-pad `x` by `fft_length // 2` on both sides so that frame
            `t` is centred at `t * sequence_stride` (default `True`).

    Returns:
        `(real, imag)` of shape `x.shape[:-1] + (num_frames, fft_length // 2 + 1)`: the
        unnormalized real FFT of each windowed frame, in `x`'s dtype.

    Examples:
        >>> x = np.arange(8.0, dtype='float32')  # frames [0..3], [2..5], [4..7]
        >>> real, imag = keras.ops.stft(x, 4, 2, 4, window=None, center=False)
        >>> real  # frame sums in column 0
        array([[ 6., -2., -2.],
               [14., -2., -2.],
               [22., -2., -2.]], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("stft", (x, sequence_length, sequence_stride, fft_length, window,
                                  center), {})
    return _impl_stft(x, sequence_length, sequence_stride, fft_length, window, center)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True):
    """Inverse short-time Fourier transform, by weighted overlap-add.

    Args:
        x: Tuple `(real, imag)` of shape `(..., num_frames, fft_length // 2 + 1)`.
        sequence_length: Int, the frame length given to `stft`.
        sequence_stride: Int, the hop given to `stft`.
        fft_length: Int, the FFT size given to `stft`.
        length: Int or `None` (default): crop the output to this many samples (after
            removing the centre padding).
        window: The window given to `stft`: `"hann"` (default), `"hamming"`, a 1-D tensor
            of length `sequence_length` or `None`.
        center: Whether `stft` centred the frames (default `True`); the padding is removed.

    Returns:
        The real signal, in the dtype of the inputs.

    Examples:
        >>> x = np.arange(8.0, dtype='float32')
        >>> y = keras.ops.istft(keras.ops.stft(x, 4, 2, 4), 4, 2, 4)
        >>> np.allclose(y, x, atol=1e-5)  # the round trip restores the signal
        True
    """
    if _any_kt(x):
        return _symbolic("istft", (x, sequence_length, sequence_stride, fft_length, length, window,
                                   center), {})
    return _impl_istft(x, sequence_length, sequence_stride, fft_length, length, window, center)


def rsqrt(x):
    """Reciprocal square root `1 / sqrt(x)` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.rsqrt(np.array([4.0], 'float32'))
        array([0.5], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("rsqrt", (x,), {})
    return _impl_rsqrt(x)


def erf(x):
    """Gauss error function `erf(x) = 2 / sqrt(pi) * integral from 0 to x of exp(-t**2) dt`.

    Applied element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.erf(np.array([0.0], 'float32'))
        array([0.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("erf", (x,), {})
    return _impl_erf(x)


def erfc(x):
    """Complementary error function `1 - erf(x)` element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.erfc(np.array([0.0], 'float32'))
        array([1.], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("erfc", (x,), {})
    return _impl_erfc(x)


def erfinv(x):
    """Inverse error function element-wise: `erfinv(erf(x)) = x`.

    Defined on `[-1, 1]`, with `erfinv(±1) = ±inf`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.erfinv(np.array([0.0, 1.0], 'float32'))
        array([ 0., inf], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("erfinv", (x,), {})
    return _impl_erfinv(x)


def logdet(x):
    """Natural logarithm of the determinant of Hermitian positive-definite matrices.

    Computed as `log(abs(det(x)))`.

    Args:
        x: Tensor `(..., M, M)` of Hermitian positive-definite matrices.

    Returns:
        A float tensor of shape `(...)`.

    Examples:
        >>> float(keras.ops.logdet(np.array([[2.0, 0.0], [0.0, 3.0]], 'float32')))  # log(6)
        1.79175...
    """
    if x.__class__ is _KT:
        return _symbolic("logdet", (x,), {})
    return _impl_logdet(x)


def gammainc(x1, x2):
    """Regularized lower incomplete gamma function `P(x1, x2)` element-wise.

    `P(a, x) = integral from 0 to x of t**(a - 1) exp(-t) dt / Gamma(a)`.

    Args:
        x1: Tensor of the shape parameters `a > 0`.
        x2: Tensor of the upper limits `x >= 0`, broadcastable against `x1`.

    Returns:
        The broadcast result; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.gammainc(np.array([1.0, 1.0], 'float32'), np.array([0.0, 1.0], 'float32'))
        array([0.        , 0.63212055], dtype=float32)
    """
    if x1.__class__ is _fast_gammainc_type and x2.__class__ is _fast_gammainc_type:
        _dtype = x1.dtype
        if _dtype is x2.dtype and _dtype in _fast_gammainc_dtypes:
            try:
                return _fast_gammainc(x1, x2)
            except Exception:  # the implementation gives the op's own error
                pass
    if x1.__class__ is _KT or x2.__class__ is _KT:
        return _symbolic("gammainc", (x1, x2), {})
    return _impl_gammainc(x1, x2)


def view_as_complex(x):
    """Turns a float tensor with last dimension 2 (real, imag) into a complex tensor.

    Args:
        x: Float tensor of shape `(..., 2)`.

    Returns:
        A complex tensor of shape `x.shape[:-1]` (`float32` gives `complex64`, `float64`
        gives `complex128`).

    Examples:
        >>> keras.ops.view_as_complex(np.array([[1.0, 2.0]], 'float32'))
        array([1.+2.j], dtype=complex64)
    """
    if x.__class__ is _KT:
        return _symbolic("view_as_complex", (x,), {})
    return _impl_view_as_complex(x)


def view_as_real(x):
    """Turns a complex tensor into a float tensor with a new last dimension 2 (real, imag).

    Args:
        x: Complex tensor.

    Returns:
        A float tensor of shape `x.shape + (2,)` (`complex64` gives `float32`, `complex128`
        gives `float64`).

    Examples:
        >>> keras.ops.view_as_real(np.array([1.0 + 2.0j], 'complex64'))
        array([[1., 2.]], dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("view_as_real", (x,), {})
    return _impl_view_as_real(x)


#: Every op of the spec module, hand-written or generated, in the spec's order.
__all__ = [
    "segment_sum",
    "segment_max",
    "segment_min",
    "segment_prod",
    "top_k",
    "in_top_k",
    "logsumexp",
    "cdist",
    "extract_sequences",
    "fft",
    "fft2",
    "ifft2",
    "rfft",
    "irfft",
    "stft",
    "istft",
    "rsqrt",
    "erf",
    "erfc",
    "erfinv",
    "logdet",
    "gammainc",
    "view_as_complex",
    "view_as_real",
]

#: The ops generated above: each calls `_impl_<op>`, bound by `_rebind`.
_GENERATED = (
    "segment_sum",
    "segment_max",
    "segment_min",
    "segment_prod",
    "top_k",
    "in_top_k",
    "logsumexp",
    "cdist",
    "extract_sequences",
    "fft",
    "fft2",
    "ifft2",
    "rfft",
    "irfft",
    "stft",
    "istft",
    "rsqrt",
    "erf",
    "erfc",
    "erfinv",
    "logdet",
    "gammainc",
    "view_as_complex",
    "view_as_real",
)

#: The generated ops of two `Tensor` operands: each also tests for a fast entry.
_FAST = (
    "cdist",
    "gammainc",
)


def _rebind():
    """Binds each generated op's `_impl_<op>` (and fast entry) to the active backend's."""
    _bind(globals(), _GENERATED, _FAST)


_rebind()
_add_table_listener(_rebind)
# --- END GENERATED OPS ---
