"""Arguments of the signal ops (`stft`, `istft`): lengths and the window taps, computed on the
host from static lengths."""

import math


def check_lengths(op, sequence_length, fft_length):
    """Checks that a frame fits in the FFT."""
    if fft_length < sequence_length:
        raise ValueError(
            f"{op}: `fft_length` must be >= `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )


def window_taps(window, sequence_length, op):
    """The `sequence_length` taps of a named window as Python floats (periodic windows, as used
    for spectral analysis; `None` gives ones), or `None` when `window` is a tensor."""
    if window is None:
        return [1.0] * sequence_length
    if not isinstance(window, str):
        return None
    if window not in ("hann", "hamming"):
        raise ValueError(
            f'{op}: `window` must be "hann", "hamming", a tensor or None. '
            f"Received: window={window!r}"
        )
    a = 0.5 if window == "hann" else 0.54
    return [a - (1 - a) * math.cos(2 * math.pi * i / sequence_length)
            for i in range(sequence_length)]


def check_window_shape(op, shape, sequence_length):
    """Checks that a tensor window has one tap per frame sample."""
    if tuple(shape) != (sequence_length,):
        raise ValueError(
            f"{op}: `window` must have shape ({sequence_length},) "
            f"(sequence_length,). Received: window.shape={tuple(shape)}"
        )


def window_padding(sequence_length, fft_length):
    """`(left, right)` zeros that centre a `sequence_length` window in `fft_length`."""
    left = (fft_length - sequence_length) // 2
    return left, fft_length - sequence_length - left
