"""`MelSpectrogram`: raw audio to (log-)mel spectrograms through `ops.stft`."""

import math

from unikeras import ops
from unikeras.backend import dtypes
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer
from unikeras.saving import serialization

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies):
    """HTK mel scale: `1127 * ln(1 + f / 700)` (= `2595 * log10(1 + f / 700)`)."""
    return _MEL_HIGH_FREQUENCY_Q * ops.log(1.0 + frequencies / _MEL_BREAK_FREQUENCY_HERTZ)


def _check_positive_int(layer_name, name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f'Layer "{layer_name}": `{name}` must be a positive int. Received: {name}={value!r}'
        )


class MelSpectrogram(Layer):
    """Converts audio signals `(..., samples)` to mel spectrograms `(..., num_mel_bins, time)`.

    The power spectrogram `|stft(x)| ** mag_exp` (centered frames, `ops.stft`) is mapped to
    `num_mel_bins` triangular HTK mel filters (peak 1, no area normalization) spanning
    `[min_freq, max_freq]`, then optionally converted to decibels.

    Args:
        fft_length: FFT size (default 2048).
        sequence_stride: Samples between successive frames (default 512).
        sequence_length: Frame length; `None` means `fft_length`.
        window: `"hann"` (default), `"hamming"`, a tensor of `sequence_length` values, or
            `None` (no window).
        sampling_rate: Sample rate of the input in Hz (default 16000).
        num_mel_bins: Number of mel bins (default 128).
        min_freq: Lowest edge of the mel filters in Hz (default 20).
        max_freq: Highest edge in Hz; `None` means `sampling_rate / 2`.
        power_to_db: Convert to decibels `10 * log10(max(S, min_power) / ref)` (default True).
        top_db: Decibels are clipped below `max - top_db` (the maximum over the whole
            input, batch included).
        mag_exp: Exponent of the magnitude (1: magnitude, 2: power, the default).
        min_power: Floor of the power and of `ref_power` before the logarithm.
        ref_power: Reference power `ref` of the decibel scale (its absolute value is used).

    Input shape: `(samples,)` or `(batch, samples)`.
    Output shape: `(num_mel_bins, frames)` or `(batch, num_mel_bins, frames)`, with
    `frames = 1 + samples // sequence_stride`.

    Examples:
        >>> layer = keras.layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
        >>> layer(np.zeros((2, 160), "float32")).shape  # 1 + 160 // 16 frames
        (2, 8, 11)
    """

    def __init__(
        self,
        fft_length=2048,
        sequence_stride=512,
        sequence_length=None,
        window="hann",
        sampling_rate=16000,
        num_mel_bins=128,
        min_freq=20.0,
        max_freq=None,
        power_to_db=True,
        top_db=80.0,
        mag_exp=2.0,
        min_power=1e-10,
        ref_power=1.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        self.num_mel_bins = num_mel_bins
        for name in ("fft_length", "sequence_stride", "sequence_length", "num_mel_bins"):
            _check_positive_int(self.name, name, getattr(self, name))
        if self.fft_length < self.sequence_length:
            raise ValueError(
                f'Layer "{self.name}": `fft_length` must be greater than or equal '
                f"to `sequence_length`. Received: sequence_length="
                f"{self.sequence_length}, fft_length={self.fft_length}"
            )
        if isinstance(window, str) and window not in ("hann", "hamming"):
            raise ValueError(
                f'Layer "{self.name}": `window` must be "hann", "hamming", a '
                f"tensor or None. Received: window={window!r}"
            )
        self.window = window
        self.sampling_rate = sampling_rate
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        if not 0 <= self.min_freq < self.max_freq:
            raise ValueError(
                f'Layer "{self.name}": expected 0 <= min_freq < max_freq. '
                f"Received: min_freq={min_freq}, max_freq={self.max_freq}"
            )
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        self.input_spec = InputSpec(min_ndim=1, max_ndim=2)

    def _stft_dtype(self):
        # Engines' STFTs support float32 and float64 only.
        dtype = self.compute_dtype
        return dtype if dtype in ("float32", "float64") else "float32"

    def call(self, inputs):
        dtype = self._stft_dtype()
        window = self.window
        if window is not None and not isinstance(window, str):
            window = ops.convert_to_tensor(window, dtype=dtype)
        real, imag = ops.stft(
            ops.cast(inputs, dtype),
            self.sequence_length,
            self.sequence_stride,
            self.fft_length,
            window=window,
            center=True,
        )
        spectrogram = ops.power(ops.sqrt(ops.square(real) + ops.square(imag)), self.mag_exp)
        matrix = self.linear_to_mel_weight_matrix(
            num_mel_bins=self.num_mel_bins,
            num_spectrogram_bins=self.fft_length // 2 + 1,
            sampling_rate=self.sampling_rate,
            lower_edge_hertz=self.min_freq,
            upper_edge_hertz=self.max_freq,
            dtype=dtype,
        )
        outputs = ops.tensordot(spectrogram, matrix, axes=1)
        if self.power_to_db:
            outputs = self._decibels(outputs)
        return ops.cast(ops.swapaxes(outputs, -1, -2), self.compute_dtype)

    def _decibels(self, power):
        log_power = 10.0 * ops.log10(ops.maximum(power, self.min_power))
        log_power = log_power - 10.0 * math.log10(max(abs(self.ref_power), self.min_power))
        if self.top_db is None:
            return log_power
        return ops.maximum(log_power, ops.max(log_power) - self.top_db)

    def linear_to_mel_weight_matrix(
        self,
        num_mel_bins=20,
        num_spectrogram_bins=129,
        sampling_rate=8000,
        lower_edge_hertz=125.0,
        upper_edge_hertz=3800.0,
        dtype="float32",
    ):
        """The `(num_spectrogram_bins, num_mel_bins)` matrix mapping a linear spectrogram
        (bins evenly spaced on `[0, sampling_rate / 2]`) to HTK mel bands.

        Band `m` is a triangle, linear in mel, rising from the `m`-th to the `m+1`-th and
        falling to the `m+2`-th of `num_mel_bins + 2` points evenly spaced in mel over
        `[lower_edge_hertz, upper_edge_hertz]`, with a peak of 1. The DC bin (row 0) is zero.
        """
        dtype = dtypes.standardize_dtype(dtype)
        frequencies = ops.linspace(0.0, sampling_rate / 2.0, num_spectrogram_bins, dtype=dtype)[1:]
        bins_mel = ops.expand_dims(_hertz_to_mel(frequencies), 1)
        edges_hertz = ops.convert_to_tensor([lower_edge_hertz, upper_edge_hertz], dtype=dtype)
        edges_mel = _hertz_to_mel(edges_hertz)
        edges = ops.linspace(edges_mel[0], edges_mel[1], num_mel_bins + 2, dtype=dtype)
        lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
        rising = (bins_mel - lower) / (center - lower)
        falling = (upper - bins_mel) / (upper - center)
        weights = ops.maximum(ops.minimum(rising, falling), 0.0)
        return ops.pad(weights, [[1, 0], [0, 0]])

    def compute_output_shape(self, input_shape):
        samples = input_shape[-1]
        frames = None if samples is None else 1 + samples // self.sequence_stride
        return tuple(input_shape[:-1]) + (self.num_mel_bins, frames)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length,
                "window": serialization.serialize_keras_object(self.window),
                "sampling_rate": self.sampling_rate,
                "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq,
                "max_freq": self.max_freq,
                "power_to_db": self.power_to_db,
                "top_db": self.top_db,
                "mag_exp": self.mag_exp,
                "min_power": self.min_power,
                "ref_power": self.ref_power,
            }
        )
        return config
