"""`unikeras.ops` math ops against independent NumPy computations (values, dtypes, symbolic)."""

import math

import numpy as np
import pytest

import unikeras
from unikeras import ops
from capabilities import backend_dtype, needs_dtype, tolerance_for


def np_out(x):
    return unikeras.backend.convert_to_numpy(x)


def check(result, expected, dtype=None, rtol=1e-5, atol=1e-6):
    result = np_out(result)
    expected = np.asarray(expected)
    assert result.shape == expected.shape, (result.shape, expected.shape)
    if dtype is not None:
        assert unikeras.backend.standardize_dtype(result.dtype) == backend_dtype(dtype)
    rtol, atol = tolerance_for(dtype, rtol, atol)
    np.testing.assert_allclose(
        result.astype("float64"), expected.astype("float64"), rtol=rtol, atol=atol
    )


DATA = np.arange(12, dtype="float32").reshape(6, 2) - 5
IDS = np.array([0, 0, 2, 2, 2, -1], "int32")


@pytest.mark.parametrize(
    "name, reduce, empty",
    [
        ("segment_sum", np.sum, 0.0),
        ("segment_max", np.max, -np.inf),
        ("segment_min", np.min, np.inf),
        ("segment_prod", np.prod, 1.0),
    ],
)
def test_segment_ops(name, reduce, empty):
    result = getattr(ops, name)(DATA, IDS, num_segments=4)
    expected = [
        reduce(DATA[IDS == s], axis=0) if (IDS == s).any() else np.full(2, empty) for s in range(4)
    ]
    check(result, expected, "float32")
    check(getattr(ops, name)(DATA[:5], IDS[:5]), expected[:3], "float32")


def test_segment_symbolic():
    data = unikeras.KerasTensor((None, 3))
    ids = unikeras.KerasTensor((None,), "int32")
    assert ops.segment_sum(data, ids).shape == (None, 3)
    assert ops.segment_max(data, ids, num_segments=5).shape == (5, 3)


def test_top_k_values_indices_and_ties():
    x = np.array([[1.0, 3.0, 3.0, 2.0], [4.0, -1.0, 0.0, 4.0]], "float32")
    values, indices = ops.top_k(x, 2)
    check(values, [[3, 3], [4, 4]], "float32")
    check(indices, [[1, 2], [0, 3]], "int32")
    v, i = ops.top_k(unikeras.KerasTensor((None, 7)), 3)
    assert v.shape == (None, 3) and i.dtype == "int32"


def test_in_top_k():
    predictions = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4]], "float32")
    check(ops.in_top_k(np.array([2, 0], "int32"), predictions, 1), [False, False], "bool")
    check(ops.in_top_k(np.array([2, 1], "int32"), predictions, 2), [True, True], "bool")
    # a class id outside [0, num_classes) is in no top k, as in Keras 3 (its docstring example
    # in_top_k([2, 5, 3], ...5 classes..., k=3) is [True, False, True]): no index error
    check(ops.in_top_k(np.array([3, -1], "int32"), predictions, 3), [False, False], "bool")


@pytest.mark.parametrize("axis, keepdims", [(None, False), (-1, True), ((0, 2), False)])
def test_logsumexp(axis, keepdims):
    x = np.linspace(-50, 50, 24).reshape(2, 3, 4).astype("float32")
    expected = np.log(np.sum(np.exp(x.astype("float64")), axis=axis, keepdims=keepdims))
    check(ops.logsumexp(x, axis=axis, keepdims=keepdims), expected, "float32", rtol=1e-6)


def test_logsumexp_int_and_symbolic():
    check(ops.logsumexp(np.array([0, 1], "int32")), np.log(1 + math.e), "float32")
    assert ops.logsumexp(unikeras.KerasTensor((None, 3)), axis=1).shape == (None,)


def test_cdist():
    x, y = np.random.rand(4, 3).astype("float32"), np.random.rand(2, 3).astype("float32")
    expected = np.sqrt(((x[:, None] - y[None]) ** 2).sum(-1))
    check(ops.cdist(x, y), expected, "float32")


def test_extract_sequences():
    x = np.arange(10, dtype="float32")
    expected = [x[i : i + 4] for i in range(0, 7, 3)]
    check(ops.extract_sequences(x, 4, 3), expected, "float32")
    assert ops.extract_sequences(unikeras.KerasTensor((None, 10)), 4, 3).shape == (None, 3, 4)


def _dft(z, inverse=False):
    n = z.shape[-1]
    k = np.arange(n)
    sign = 1 if inverse else -1
    matrix = np.exp(sign * 2j * np.pi * np.outer(k, k) / n)
    return (z @ matrix.T) / (n if inverse else 1)


def test_fft_family():
    rng = np.random.default_rng(0)
    re, im = rng.random((2, 6), "float32"), rng.random((2, 6), "float32")
    z = re + 1j * im
    out = ops.fft((re, im))
    check(out[0], _dft(z).real, "float32", atol=1e-5)
    check(out[1], _dft(z).imag, "float32", atol=1e-5)
    z2 = rng.random((3, 4)) + 1j * rng.random((3, 4))
    expected = _dft(_dft(z2).T).T
    real, imag = ops.fft2((z2.real, z2.imag))
    check(real, expected.real, "float64")
    check(imag, expected.imag, "float64")
    back = ops.ifft2((real, imag))
    # "float64": the tolerance widens where the backend computes 64-bit floats in 32 bits
    check(back[0], z2.real, "float64", atol=1e-12)
    check(back[1], z2.imag, "float64", atol=1e-12)


def test_rfft_irfft():
    x = np.random.rand(3, 8).astype("float32")
    real, imag = ops.rfft(x)
    check(real, _dft(x).real[:, :5], "float32", atol=1e-5)
    check(imag, _dft(x).imag[:, :5], "float32", atol=1e-5)
    check(ops.irfft((real, imag)), x, "float32", atol=1e-6)
    assert ops.rfft(x, fft_length=5)[0].shape == (3, 3)
    assert ops.irfft((real, imag), fft_length=5).shape == (3, 5)


def test_stft_frames_and_istft_roundtrip():
    x = np.random.rand(2, 64).astype("float32")
    real, imag = ops.stft(x, 16, 4, 16, center=False)
    frames = np.stack([x[:, i : i + 16] for i in range(0, 49, 4)], axis=1)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(16) / 16)
    expected = np.fft.rfft(frames * window, axis=-1)
    check(real, expected.real, "float32", atol=1e-5)
    check(imag, expected.imag, "float32", atol=1e-5)
    spec = ops.stft(x, 16, 4, 32)
    check(ops.istft(spec, 16, 4, 32, length=64), x, "float32", atol=1e-5)
    assert ops.stft(unikeras.KerasTensor((None, 64)), 16, 4, 32)[0].shape == (None, 17, 17)


@pytest.mark.parametrize("window", ["hann", "hamming"])
def test_one_sample_window_is_one(window):
    # Keras 3's istft docstring example: a 1-sample window is [1.], so stft(x, 1, 1, 1) is x
    # and istft gives x back (a periodic formula gives a [0.] hann window: all zeros)
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0], "float32")
    real, imag = ops.stft(x, 1, 1, 1, window=window)
    check(real, x[:, None], "float32")
    check(imag, np.zeros((5, 1)), "float32")
    check(ops.istft((real, imag), 1, 1, 1, window=window), x, "float32", atol=1e-6)


@pytest.mark.parametrize(
    "name, fn", [("rsqrt", lambda v: 1 / math.sqrt(v)), ("erf", math.erf), ("erfc", math.erfc)]
)
def test_elementwise_special(name, fn):
    x = np.array([0.25, 1.0, 2.5], "float32")
    check(getattr(ops, name)(x), [fn(v) for v in x], "float32")
    check(getattr(ops, name)(np.array([1, 4], "int32")), [fn(1.0), fn(4.0)], "float32")
    assert getattr(ops, name)(unikeras.KerasTensor((None, 2))).shape == (None, 2)


def test_erfinv_inverts_erf():
    y = np.array([-0.999, -0.5, 0.0, 0.3, 0.99999], "float64")
    out = ops.erfinv(y)
    assert unikeras.backend.standardize_dtype(out.dtype) == backend_dtype("float64")
    exact = backend_dtype("float64") == "float64"  # else computed in float32 (JAX sans x64)
    check(np.vectorize(math.erf)(np_out(out)), y, rtol=1e-12 if exact else 1e-5)
    check(ops.erfinv(np.array([1.0, -1.0], "float32")), [np.inf, -np.inf], "float32")


def test_logdet():
    a = np.random.rand(2, 3, 3)
    a = a @ a.transpose(0, 2, 1) + np.eye(3)
    check(ops.logdet(a), np.log(np.linalg.det(a)), "float64")


def test_gammainc():
    a = np.array([1.0, 2.0, 0.5, 3.0])
    x = np.array([1.5, 3.0, 2.0, 40.0])
    expected = [1 - math.exp(-1.5), 1 - math.exp(-3.0) * 4.0, math.erf(math.sqrt(2.0)), 1.0]
    check(ops.gammainc(a, x), expected, "float64", rtol=1e-10)


@needs_dtype("complex64")
def test_view_as_complex_and_real():
    x = np.random.rand(3, 2).astype("float32")
    z = ops.view_as_complex(x)
    assert unikeras.backend.standardize_dtype(z.dtype) == "complex64"
    np.testing.assert_allclose(np_out(z), x[:, 0] + 1j * x[:, 1])
    check(ops.view_as_real(z), x, "float32")
