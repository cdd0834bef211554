"""Op hooks of the `keras.ops.math` namespace.

Ops whose input or output is complex take or return a tuple `(real, imag)` of two float
tensors of the same shape and dtype.
"""

from unikeras.backend.hookspec import Tensor, Tensors, op


@op
def segment_sum(data: Tensor, segment_ids: Tensor, num_segments=None, sorted=False):
    """Sums `data` over the segments given by `segment_ids` along axis 0.

    Args:
        data: Tensor; axis 0 is segmented.
        segment_ids: 1-D int tensor of length `data.shape[0]`; ids `< 0` are ignored.
        num_segments: Number of segments; defaults to `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` is sorted (a speed hint).

    Returns:
        Tensor of shape `(num_segments,) + data.shape[1:]` and `data`'s dtype; empty
        segments are 0.

    Example:

    >>> keras.ops.segment_sum(np.array([1, 2, 3]), np.array([0, 0, 1]), num_segments=2)
    array([3, 3])
    """


@op
def segment_max(data: Tensor, segment_ids: Tensor, num_segments=None, sorted=False):
    """Maximum of `data` over segments (see `segment_sum`); empty segments hold the lowest
    value of the dtype (`-inf` for floats).

    Example:

    >>> keras.ops.segment_max(np.array([1, 5, 3]), np.array([0, 0, 1]), num_segments=2)
    array([5, 3])
    """


@op
def segment_min(data: Tensor, segment_ids: Tensor, num_segments=None, sorted=False):
    """Minimum of `data` over segments (see `segment_sum`); empty segments hold the highest
    value of the dtype (`inf` for floats)."""


@op
def segment_prod(data: Tensor, segment_ids: Tensor, num_segments=None, sorted=False):
    """Product of `data` over segments (see `segment_sum`); empty segments are 1."""


@op
def top_k(x: Tensor, k, sorted=True, is_stable=True):
    """Returns the `k` largest entries of `x` along the last axis and their indices.

    Returns:
        `(values, indices)`: values in `x`'s dtype, indices `int32`, both of shape
        `x.shape[:-1] + (k,)`. With `sorted`, values are in descending order; with
        `is_stable`, equal values keep their original order (lowest index first).

    Example:

    >>> values, indices = keras.ops.top_k(np.array([1, 5, 3]), k=2)
    >>> values, indices
    (array([5, 3]), array([1, 2], dtype=int32))
    """


@op
def in_top_k(targets: Tensor, predictions: Tensor, k):
    """Returns whether each target is among the `k` largest predictions of its row.

    Args:
        targets: 1-D int tensor of class ids, length `batch_size`.
        predictions: Tensor of shape `(batch_size, num_classes)`.
        k: Number of top predictions considered; ties with the k-th value count as in.

    Returns:
        Bool tensor of shape `(batch_size,)`.

    Example:

    >>> keras.ops.in_top_k(np.array([1, 0]), np.array([[0.1, 0.9], [0.8, 0.2]], 'float32'), k=1)
    array([ True,  True])
    """


@op
def logsumexp(x: Tensor, axis=None, keepdims=False):
    """Returns `log(sum(exp(x), axis))`, computed stably. Ints give `floatx()`.

    Example:

    >>> keras.ops.logsumexp(np.array([0.0, 0.0], 'float32'))  # log(2)
    array(0.6931472, dtype=float32)
    """


@op
def cdist(x: Tensor, y: Tensor):
    """Euclidean distances between the rows of `x` `(..., P, M)` and of `y` `(..., R, M)`.

    Returns a float tensor of shape `(..., P, R)` (ints promote to `floatx()`).
    """


@op
def extract_sequences(x: Tensor, sequence_length, sequence_stride):
    """Returns the frames of length `sequence_length` taken every `sequence_stride` along
    the last axis: shape `x.shape[:-1] + (num_sequences, sequence_length)`, where
    `num_sequences = 1 + (x.shape[-1] - sequence_length) // sequence_stride`."""


@op
def fft(x: Tensors):
    """Fast Fourier transform along the last axis of the complex tensor `x = (real, imag)`.

    Returns `(real, imag)` in the dtype of the inputs.
    """


@op
def fft2(x: Tensors):
    """2-D fast Fourier transform over the last two axes of `x = (real, imag)`."""


@op
def ifft2(x: Tensors):
    """Inverse 2-D fast Fourier transform over the last two axes of `x = (real, imag)`."""


@op
def rfft(x: Tensor, fft_length=None):
    """Real-input FFT along the last axis.

    Args:
        x: Real float tensor.
        fft_length: FFT size; the input is cropped or zero-padded to it (defaults to the
            last dimension).

    Returns:
        `(real, imag)` with last dimension `fft_length // 2 + 1`, in `x`'s dtype.
    """


@op
def irfft(x: Tensors, fft_length=None):
    """Inverse of `rfft`: `x = (real, imag)` to a real tensor whose last dimension is
    `fft_length` (default `2 * (x.shape[-1] - 1)`), in the dtype of the inputs."""


@op
def stft(x: Tensor, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis.

    Args:
        x: Float tensor (`float32` or `float64`).
        sequence_length: Frame length.
        sequence_stride: Hop between frames.
        fft_length: FFT size, `>= sequence_length` (frames are zero-padded on both sides).
        window: `"hann"`, `"hamming"` (periodic windows), a 1-D tensor of length
            `sequence_length`, or `None` (no window).
        center: Reflect-pad `x` by `fft_length // 2` on both sides so that frame `t` is
            centred at `t * sequence_stride`.

    Returns:
        `(real, imag)` of shape `x.shape[:-1] + (num_frames, fft_length // 2 + 1)`: the
        unnormalized real FFT of each windowed frame, in `x`'s dtype.
    """


@op
def istft(
    x: Tensors,
    sequence_length,
    sequence_stride,
    fft_length,
    length=None,
    window="hann",
    center=True,
):
    """Inverse of `stft` by weighted overlap-add; `x = (real, imag)`.

    Args:
        x: `(real, imag)` of shape `(..., num_frames, fft_length // 2 + 1)`.
        sequence_length, sequence_stride, fft_length, window, center: As given to `stft`.
        length: Crop the output to this many samples (after removing the centre padding).

    Returns:
        The real signal, in the dtype of the inputs.
    """


@op
def rsqrt(x: Tensor):
    """Reciprocal square root `1 / sqrt(x)` element-wise. Ints give `floatx()`.

    Example:

    >>> keras.ops.rsqrt(np.array([4.0], 'float32'))
    array([0.5], dtype=float32)
    """


@op
def erf(x: Tensor):
    """Gauss error function element-wise. Ints give `floatx()`.

    Example:

    >>> keras.ops.erf(np.array([0.0], 'float32'))
    array([0.], dtype=float32)
    """


@op
def erfc(x: Tensor):
    """Complementary error function `1 - erf(x)` element-wise. Ints give `floatx()`."""


@op
def erfinv(x: Tensor):
    """Inverse error function element-wise on `(-1, 1)` (`±inf` at `±1`). Ints give
    `floatx()`."""


@op
def logdet(x: Tensor):
    """Natural log of the determinant of the Hermitian positive-definite matrices `x`
    (`(..., M, M)` -> `(...)`); computed as `log(abs(det(x)))`."""


@op
def gammainc(x1: Tensor, x2: Tensor):
    """Regularized lower incomplete gamma function `P(x1, x2)` element-wise, with
    broadcasting (`x1 > 0`, `x2 >= 0`). Ints give `floatx()`."""


@op
def view_as_complex(x: Tensor):
    """Turns a float tensor with last dimension 2 (real, imag) into a complex tensor
    (`float32 -> complex64`, `float64 -> complex128`)."""


@op
def view_as_real(x: Tensor):
    """Turns a complex tensor into a float tensor with a new last dimension 2
    (real, imag)."""
