"""Arguments of the signal ops (`stft`, `istft`), checked on static lengths."""

import numpy as np


def check_lengths(op, sequence_length, fft_length):
    """Checks that a frame fits in the FFT."""
    if fft_length < sequence_length:
        raise ValueError(
            f"{op}: `fft_length` must be >= `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )


def window_padding(sequence_length, fft_length):
    """`(left, right)` zeros that centre a window of `sequence_length` in `fft_length`."""
    left = (fft_length - sequence_length) // 2
    return left, fft_length - sequence_length - left


def named_window(op, window, sequence_length, fft_length):
    """The padded float64 NumPy window for `window=None`, `"hann"` or `"hamming"`.

    Returns `None` when `window` is a tensor: the backend converts it and checks its
    shape with `check_window_shape`. The named windows are periodic, as used for spectral
    analysis.
    """
    if window is not None and not isinstance(window, str):
        return None
    cosine = np.cos(2 * np.pi * np.arange(sequence_length) / sequence_length)
    shapes = {
        None: np.ones(sequence_length),
        "hann": 0.5 - 0.5 * cosine,
        "hamming": 0.54 - 0.46 * cosine,
    }
    if window not in shapes:
        raise ValueError(
            f'{op}: `window` must be "hann", "hamming", a tensor or None. '
            f"Received: window={window!r}"
        )
    if sequence_length == 1:  # a 1-sample window is [1.], as in Keras 3 (and SciPy, TF)
        shapes[window] = np.ones(1)
    return np.pad(shapes[window], window_padding(sequence_length, fft_length))


def check_window_shape(op, shape, sequence_length):
    """Checks that a tensor `window` has shape `(sequence_length,)`."""
    if tuple(shape) != (sequence_length,):
        raise ValueError(
            f"{op}: `window` must have shape ({sequence_length},) "
            f"(sequence_length,). Received: window.shape={tuple(shape)}"
        )


def check_stft_dtype(dtype):
    """Checks that `stft`'s input dtype (a dtype name) is float32 or float64."""
    if dtype not in ("float32", "float64"):
        raise TypeError(f"stft: expected a float32 or float64 input. Received: {dtype}")
