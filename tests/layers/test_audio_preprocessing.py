"""MelSpectrogram and STFTSpectrogram against an independent NumPy STFT and HTK mel
filterbank."""

import numpy as np
import pytest

import unikeras as keras
from layer_checks import (
    assert_outputs_close,
    check_config_roundtrip,
    check_symbolic_shape,
    rand,
    to_numpy,
)

layers = keras.layers
EPS = 1e-7


# --- NumPy references ----------------------------------------------------------------------
def np_window(name, length, periodic):
    """Hann/Hamming from NumPy's symmetric windows (periodic: drop the last of length+1)."""
    make = {"hann": np.hanning, "hamming": np.hamming}[name]
    return make(length + 1)[:-1] if periodic else make(length)


def frames_of(signal, length, step):
    count = (signal.shape[-1] - length) // step + 1
    return np.stack([signal[..., t * step : t * step + length] for t in range(count)], -2)


def same_pad(signal, length, step):
    size = signal.shape[-1]
    total = max((-(-size // step) - 1) * step + length - size, 0)
    return np.pad(signal, [(0, 0)] * (signal.ndim - 1) + [(total // 2, total - total // 2)])


def stft_reference(
    x, mode, frame_length, frame_step, fft_length, window, scaling, periodic, padding
):
    """`(batch, channels, frames, F)` spectrogram of channels-first `x` in `mode`."""
    if padding == "same":
        x = same_pad(x, frame_length, frame_step)
    w = np.ones(frame_length) if window is None else np_window(window, frame_length, periodic)
    if scaling == "density":
        w = w / np.sqrt(np.sum(w**2))
    elif scaling == "spectrum":
        w = w / np.sum(np.abs(w))
    spectrum = np.fft.rfft(frames_of(x, frame_length, frame_step) * w, n=fft_length)
    real, imag = spectrum.real, spectrum.imag
    power = real**2 + imag**2
    if mode == "psd":
        power[..., 1:-1] *= 2
        return power
    return {
        "real": real,
        "imag": imag,
        "angle": np.arctan2(imag, real),
        "stft": np.concatenate([real, imag], -1),
        "magnitude": np.sqrt(np.maximum(power, EPS)),
        "log": np.log(np.maximum(np.sqrt(np.maximum(power, EPS)), EPS)),
    }[mode]


def to_layout(spec, data_format, expand_dims):
    batch, channels, frames, bins = spec.shape
    if data_format == "channels_first":
        return (
            spec
            if expand_dims
            else spec.transpose(0, 1, 3, 2).reshape(batch, channels * bins, frames)
        )
    return (
        spec.transpose(0, 2, 3, 1)
        if expand_dims
        else spec.transpose(0, 2, 1, 3).reshape(batch, frames, channels * bins)
    )


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def htk_mel_filterbank(num_mel_bins, fft_length, sampling_rate, fmin, fmax):
    """`(fft_length // 2 + 1, num_mel_bins)` triangles (peak 1) linear in HTK mel."""
    freqs = np.linspace(0, sampling_rate / 2, fft_length // 2 + 1)
    edges = np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), num_mel_bins + 2)
    mel = hz_to_mel(freqs)[:, None]
    up = (mel - edges[None, :-2]) / (edges[1:-1] - edges[:-2])
    down = (edges[None, 2:] - mel) / (edges[2:] - edges[1:-1])
    bank = np.clip(np.minimum(up, down), 0, None)
    bank[0] = 0.0  # the DC bin is excluded
    return bank


def mel_reference(
    x,
    fft_length,
    stride,
    length,
    window,
    sampling_rate,
    num_mel_bins,
    fmin,
    fmax,
    power_to_db,
    top_db,
    mag_exp,
    min_power,
    ref_power,
):
    """`(..., num_mel_bins, frames)` from centered, reflect-padded frames of `fft_length`
    samples, a periodic window of `length` samples zero-padded to the frame's centre."""
    padded = np.pad(
        x, [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)], mode="reflect"
    )
    left = (fft_length - length) // 2
    w = np.zeros(fft_length)
    w[left : left + length] = np_window(window, length, periodic=True)
    spectrum = np.abs(np.fft.rfft(frames_of(padded, fft_length, stride) * w)) ** mag_exp
    mel = spectrum @ htk_mel_filterbank(num_mel_bins, fft_length, sampling_rate, fmin, fmax)
    if power_to_db:
        mel = 10 * np.log10(np.maximum(mel, min_power)) - 10 * np.log10(
            max(abs(ref_power), min_power)
        )
        mel = np.maximum(mel, mel.max() - top_db)
    return np.swapaxes(mel, -1, -2)


# --- STFTSpectrogram -----------------------------------------------------------------------
STFT_CASES = [
    dict(mode="log", fft_length=16),
    dict(mode="magnitude", window="hamming", periodic=True, padding="same"),
    dict(mode="psd", scaling="spectrum", data_format="channels_first"),
    dict(mode="real", expand_dims=True, window=None, scaling=None),
    dict(mode="imag", expand_dims=True, data_format="channels_first", padding="same"),
    dict(mode="angle", fft_length=16),
    dict(mode="stft", scaling=None, padding="same", fft_length=16),
]


@pytest.mark.parametrize("kwargs", STFT_CASES, ids=lambda k: k["mode"])
def test_stft_spectrogram_matches_numpy(kwargs):
    options = dict(
        frame_length=8,
        frame_step=3,
        fft_length=None,
        window="hann",
        periodic=False,
        scaling="density",
        padding="valid",
        data_format="channels_last",
        expand_dims=False,
    )
    options.update(kwargs)
    x = rand((2, 3, 40))  # (batch, channels, time)
    channels_last = options["data_format"] == "channels_last"
    layer = layers.STFTSpectrogram(**options)
    outputs = layer(np.transpose(x, (0, 2, 1)) if channels_last else x)
    spec = stft_reference(
        x,
        options["mode"],
        8,
        3,
        options["fft_length"] or 8,
        options["window"],
        options["scaling"],
        options["periodic"],
        options["padding"],
    )
    expected = to_layout(spec, options["data_format"], options["expand_dims"])
    if options["mode"] != "angle":
        assert_outputs_close(outputs, expected, rtol=1e-4, atol=1e-5)
        return
    # Phases compare modulo 2 pi, where the magnitude makes them meaningful.
    magnitude = to_layout(
        stft_reference(x, "magnitude", 8, 3, 16, "hann", "density", False, "valid"),
        "channels_last",
        False,
    )
    error = np.angle(np.exp(1j * (to_numpy(outputs) - expected)))
    assert outputs.shape == expected.shape
    assert np.max(np.abs(error[magnitude > 1e-3])) < 1e-3


def test_stft_kernels_are_trainable_stft_initialized():
    layer = layers.STFTSpectrogram(mode="stft", frame_length=6, fft_length=8)
    layer(rand((1, 20, 1)))
    assert [w.name for w in layer.trainable_weights] == ["real_kernel", "imag_kernel"]
    t, k = np.arange(6)[:, None], np.arange(5)[None, :]
    w = np.hanning(6)[:, None] / np.sqrt(np.sum(np.hanning(6) ** 2))
    np.testing.assert_allclose(
        to_numpy(layer.real_kernel.value)[:, 0], np.cos(2 * np.pi * t * k / 8) * w, atol=1e-6
    )
    np.testing.assert_allclose(
        to_numpy(layer.imag_kernel.value)[:, 0], -np.sin(2 * np.pi * t * k / 8) * w, atol=1e-6
    )
    only_real = layers.STFTSpectrogram(mode="real", frame_length=6)
    only_real(rand((1, 20, 1)))
    assert [w.name for w in only_real.weights] == ["real_kernel"]


def test_stft_spectrogram_config_and_shapes():
    x = rand((2, 30, 2))
    layer = layers.STFTSpectrogram(
        mode="log", frame_length=8, frame_step=4, window="hamming", padding="same"
    )
    config = check_config_roundtrip(layer, x).get_config()
    assert config["frame_step"] == 4 and config["fft_length"] is None
    check_symbolic_shape(layers.STFTSpectrogram(frame_length=8, expand_dims=True), (30, 2), x)
    check_symbolic_shape(
        layers.STFTSpectrogram(frame_length=8, mode="stft", data_format="channels_first"),
        (2, 30),
        np.transpose(x, (0, 2, 1)),
    )
    custom = layers.STFTSpectrogram(frame_length=4, frame_step=2, window=[0.1, 1.0, 1.0, 0.1])
    check_config_roundtrip(custom, x)


def test_stft_spectrogram_bad_arguments():
    with pytest.raises(ValueError, match="expected ndim=3"):
        layers.STFTSpectrogram(frame_length=8)(rand((2, 30)))
    with pytest.raises(TypeError, match="float16, float32 or float64"):
        layers.STFTSpectrogram(frame_length=8)(np.ones((1, 30, 1), "int32"))
    for kwargs, word in [
        (dict(mode="power"), "mode"),
        (dict(frame_step=300), "frame_step"),
        (dict(fft_length=128), "fft_length"),
        (dict(window="kaiser"), "window"),
        (dict(scaling="x"), "scaling"),
        (dict(padding="causal"), "padding"),
    ]:
        with pytest.raises(ValueError, match=word):
            layers.STFTSpectrogram(**kwargs)


# --- MelSpectrogram ------------------------------------------------------------------------
MEL_CASES = [
    dict(),
    dict(sequence_length=48, window="hamming", mag_exp=1.0, top_db=30.0, ref_power=2.0),
    dict(power_to_db=False, min_freq=100.0, max_freq=3000.0),
]


@pytest.mark.parametrize("kwargs", MEL_CASES)
def test_mel_spectrogram_matches_numpy(kwargs):
    options = dict(
        fft_length=64,
        sequence_stride=16,
        sequence_length=None,
        window="hann",
        sampling_rate=8000,
        num_mel_bins=12,
        min_freq=20.0,
        max_freq=None,
        power_to_db=True,
        top_db=80.0,
        mag_exp=2.0,
        min_power=1e-10,
        ref_power=1.0,
    )
    options.update(kwargs)
    x = rand((2, 300))
    layer = layers.MelSpectrogram(**options)
    reference_options = dict(
        options,
        sequence_length=options["sequence_length"] or 64,
        max_freq=options["max_freq"] or 4000,
    )
    expected = mel_reference(x, *reference_options.values())
    rtol = 1e-4 if options["power_to_db"] else 1e-3
    assert_outputs_close(layer(x), expected, rtol=rtol, atol=1e-3)
    assert_outputs_close(
        layer(x[0]), mel_reference(x[0], *reference_options.values()), rtol=rtol, atol=1e-3
    )


def test_mel_spectrogram_peaks_at_a_tone():
    sampling_rate, tone = 8000, 1000.0
    x = np.sin(2 * np.pi * tone * np.arange(300) / sampling_rate).astype("float32")
    layer = layers.MelSpectrogram(
        fft_length=64,
        sequence_stride=16,
        num_mel_bins=12,
        sampling_rate=sampling_rate,
        min_freq=0.0,
    )
    spectrum = to_numpy(layer(x))[:, 8]
    mel_centres = np.linspace(0, hz_to_mel(4000.0), 14)[1:-1]
    spacing = mel_centres[1] - mel_centres[0]
    assert abs(mel_centres[np.argmax(spectrum)] - hz_to_mel(tone)) < 0.75 * spacing


def test_mel_spectrogram_config_and_shapes():
    x = rand((2, 300))
    layer = layers.MelSpectrogram(fft_length=64, sequence_stride=16, num_mel_bins=8)
    config = check_config_roundtrip(layer, x).get_config()
    assert config["sequence_length"] == 64 and config["max_freq"] == 8000
    assert tuple(layer(x).shape) == (2, 8, 19)
    check_symbolic_shape(layer, (300,), x)
    check_symbolic_shape(
        layers.MelSpectrogram(fft_length=64, sequence_stride=20, num_mel_bins=8),
        (299,),
        rand((2, 299)),
    )


def test_mel_spectrogram_bad_arguments():
    with pytest.raises(ValueError, match="fft_length"):
        layers.MelSpectrogram(fft_length=32, sequence_length=64)
    with pytest.raises(ValueError, match="window"):
        layers.MelSpectrogram(window="kaiser")
    with pytest.raises(ValueError, match="min_freq"):
        layers.MelSpectrogram(min_freq=5000.0, sampling_rate=8000)
    with pytest.raises(ValueError, match="expected max_ndim=2"):
        layers.MelSpectrogram(fft_length=64)(rand((2, 2, 300)))
