"""Arguments of the signal ops (`stft`, `istft`), checked on static lengths."""


def check_lengths(op, sequence_length, fft_length):
    """Checks that a frame fits in the FFT."""
    if fft_length < sequence_length:
        raise ValueError(
            f"{op}: `fft_length` must be >= `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}"
        )

