"""`STFTSpectrogram`: short-time Fourier transform of multichannel signals by convolution
with trainable real and imaginary kernels."""

import math
import warnings

from unikeras import initializers, ops
from unikeras.backend import dtypes
from unikeras.backend.config import epsilon, standardize_data_format
from unikeras.initializers import _check_window
from unikeras.layers.convolutional.conv_utils import output_length
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer
from unikeras.saving import serialization

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


class STFTSpectrogram(Layer):
    """Spectrogram of each channel of `(batch, time, channels)` signals.

    Each channel is convolved (stride `frame_step`) with a `real_kernel` and an
    `imag_kernel` of shape `(frame_length, 1, fft_length // 2 + 1)`, initialized by
    `keras.initializers.STFT` to the windowed DFT, so the layer starts as an STFT and can be
    fine-tuned.

    Args:
        mode: Output: `"log"` (log magnitude, default), `"magnitude"`, `"psd"` (power, the
            non-DC/Nyquist bins doubled), `"real"`, `"imag"`, `"angle"` (phase) or `"stft"`
            (real then imaginary bins).
        frame_length: Frame (window) length in samples (default 256).
        frame_step: Hop between frames; `None` means `frame_length // 2`.
        fft_length: FFT size (`>= frame_length`); `None` means the next power of two.
        window: `"hann"` (default), `"hamming"`, `"blackman"`, `"boxcar"`, an array of
            `frame_length` values, or `None`.
        periodic: Use the periodic form of a named window (default False: symmetric).
        scaling: Window normalization: `"density"` (L2, default), `"spectrum"` (L1) or `None`.
        padding: `"valid"` (default) or `"same"`.
        expand_dims: Output frequencies and channels on separate axes (an image).
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).

    Output shape (`F = fft_length // 2 + 1`, twice that for `"stft"`):
        channels_last: `(batch, frames, channels * F)`, or `(batch, frames, F, channels)`
        with `expand_dims`; channels_first: `(batch, channels * F, frames)`, or
        `(batch, channels, frames, F)` with `expand_dims`.

    Examples:
        >>> layer = keras.layers.STFTSpectrogram(frame_length=16, frame_step=8)
        >>> layer(np.zeros((1, 64, 1), "float32")).shape  # (64 - 16) // 8 + 1 frames, 16 // 2 + 1 bins
        (1, 7, 9)
    """

    def __init__(
        self,
        mode="log",
        frame_length=256,
        frame_step=None,
        fft_length=None,
        window="hann",
        periodic=False,
        scaling="density",
        padding="valid",
        expand_dims=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        prefix = f'Layer "{self.name}":'
        if frame_step is not None and not 1 <= frame_step <= frame_length:
            raise ValueError(
                f"{prefix} `frame_step` must be a positive integer not greater "
                f"than `frame_length`. Received frame_step={frame_step}, "
                f"frame_length={frame_length}"
            )
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(
                f"{prefix} `fft_length` must be >= `frame_length`. Received "
                f"fft_length={fft_length}, frame_length={frame_length}"
            )
        if fft_length is not None and fft_length & (fft_length - 1):
            warnings.warn(
                f"{prefix} `fft_length` is recommended to be a power of two. "
                f"Received fft_length={fft_length}",
                stacklevel=2,
            )
        if mode not in _MODES:
            raise ValueError(f"{prefix} `mode` must be one of {_MODES}. Received: mode={mode!r}")
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(
                f"{prefix} `scaling` must be None, 'density' or 'spectrum'. "
                f"Received: scaling={scaling!r}"
            )
        if padding not in ("valid", "same"):
            raise ValueError(
                f"{prefix} `padding` must be 'valid' or 'same'. Received: padding={padding!r}"
            )
        _check_window(prefix, window)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** math.ceil(math.log2(frame_length))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        if self.mode != "imag":
            self.real_kernel = self._add_kernel("real")
        if self.mode != "real":
            self.imag_kernel = self._add_kernel("imag")
        self.built = True

    def _add_kernel(self, side):
        return self.add_weight(
            name=f"{side}_kernel",
            shape=(self.frame_length, 1, self._fft_length // 2 + 1),
            initializer=initializers.STFT(side, self.window, self.scaling, self.periodic),
        )

    def _transform(self, signals, kernel):
        """`(batch * channels, time, 1)` signals -> `(batch * channels, frames, F)`."""
        return ops.conv(
            signals,
            ops.cast(kernel, signals.dtype),
            strides=self._frame_step,
            padding=self.padding,
            data_format="channels_last",
        )

    def _layout(self, outputs, channels):
        """`(batch * channels, frames, F)` to the output layout of the layer."""
        frames, bins = outputs.shape[1], outputs.shape[2]
        outputs = ops.reshape(outputs, (-1, channels, frames, bins))
        if self.data_format == "channels_first":
            if self.expand_dims:
                return outputs
            return ops.reshape(ops.transpose(outputs, (0, 1, 3, 2)), (-1, channels * bins, frames))
        if self.expand_dims:
            return ops.transpose(outputs, (0, 2, 3, 1))
        return ops.reshape(ops.transpose(outputs, (0, 2, 1, 3)), (-1, frames, channels * bins))

    def call(self, inputs):
        if dtypes.standardize_dtype(inputs.dtype) not in ("float16", "float32", "float64"):
            raise TypeError(
                f'Layer "{self.name}": the input dtype must be float16, float32 or '
                f"float64. Received: input dtype={inputs.dtype}"
            )
        if self.data_format == "channels_last":
            inputs = ops.transpose(inputs, (0, 2, 1))
        channels = inputs.shape[1]
        signals = ops.reshape(inputs, (-1, inputs.shape[2], 1))
        real = self._transform(signals, self.real_kernel) if self.mode != "imag" else None
        imag = self._transform(signals, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            outputs = real
        elif self.mode == "imag":
            outputs = imag
        elif self.mode == "angle":
            outputs = ops.arctan2(imag, real)
        elif self.mode == "stft":
            outputs = ops.concatenate([real, imag], axis=-1)
        else:
            power = ops.square(real) + ops.square(imag)
            if self.mode == "psd":
                outputs = power + ops.pad(power[..., 1:-1], [[0, 0], [0, 0], [1, 1]])
            else:
                outputs = ops.sqrt(ops.maximum(power, epsilon()))
                if self.mode == "log":
                    outputs = ops.log(ops.maximum(outputs, epsilon()))
        return self._layout(outputs, channels)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            batch, time, channels = input_shape
        else:
            batch, channels, time = input_shape
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        frames = output_length(time, self.frame_length, self._frame_step, 1, self.padding)
        flat = None if channels is None else channels * bins
        if self.data_format == "channels_last":
            return (batch, frames, bins, channels) if self.expand_dims else (batch, frames, flat)
        return (batch, channels, frames, bins) if self.expand_dims else (batch, flat, frames)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "mode": self.mode,
                "frame_length": self.frame_length,
                "frame_step": self.frame_step,
                "fft_length": self.fft_length,
                "window": serialization.serialize_keras_object(self.window),
                "periodic": self.periodic,
                "scaling": self.scaling,
                "padding": self.padding,
                "data_format": self.data_format,
                "expand_dims": self.expand_dims,
            }
        )
        return config
