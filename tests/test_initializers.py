"""`keras.initializers`: values, statistics, aliases and configs of every Keras 3 initializer."""

import json
import math

import numpy as np
import pytest

import unikeras as keras
from unikeras import initializers


def value(initializer, shape, dtype=None):
    return keras.ops.convert_to_numpy(initializer(shape, dtype=dtype))


# Keras 3's public names (classes, snake_case functions and compatibility aliases).
KERAS_NAMES = {
    "Constant": "Constant",
    "constant": "Constant",
    "Zeros": "Zeros",
    "zeros": "Zeros",
    "zero": "Zeros",
    "Ones": "Ones",
    "ones": "Ones",
    "one": "Ones",
    "Identity": "Identity",
    "identity": "Identity",
    "IdentityInitializer": "Identity",
    "Orthogonal": "Orthogonal",
    "orthogonal": "Orthogonal",
    "OrthogonalInitializer": "Orthogonal",
    "RandomNormal": "RandomNormal",
    "random_normal": "RandomNormal",
    "normal": "RandomNormal",
    "RandomUniform": "RandomUniform",
    "random_uniform": "RandomUniform",
    "uniform": "RandomUniform",
    "TruncatedNormal": "TruncatedNormal",
    "truncated_normal": "TruncatedNormal",
    "VarianceScaling": "VarianceScaling",
    "variance_scaling": "VarianceScaling",
    "GlorotNormal": "GlorotNormal",
    "glorot_normal": "GlorotNormal",
    "GlorotUniform": "GlorotUniform",
    "glorot_uniform": "GlorotUniform",
    "HeNormal": "HeNormal",
    "he_normal": "HeNormal",
    "HeUniform": "HeUniform",
    "he_uniform": "HeUniform",
    "LecunNormal": "LecunNormal",
    "lecun_normal": "LecunNormal",
    "LecunUniform": "LecunUniform",
    "lecun_uniform": "LecunUniform",
    "STFT": "STFT",
    "stft": "STFT",
    "STFTInitializer": "STFT",
}


@pytest.mark.parametrize("name", sorted(KERAS_NAMES))
def test_every_keras_name_resolves(name):
    obj = initializers.get(name)
    assert type(obj).__name__ == KERAS_NAMES[name]
    if name in ("normal", "uniform", "zero", "one"):  # names for `get` only, as in Keras 3.15.1
        assert not hasattr(initializers, name)
    else:
        assert getattr(initializers, name) is type(obj)
    config = initializers.serialize(obj)
    json.dumps(config)
    clone = initializers.deserialize(config)
    assert type(clone) is type(obj) and clone.get_config() == obj.get_config()


def test_get_accepts_classes_arrays_and_callables():
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    array = np.arange(6, dtype="float32").reshape(2, 3)
    from_array = initializers.get(array)
    np.testing.assert_array_equal(value(from_array, (2, 3)), array)
    with pytest.raises(ValueError, match=r"Expected `shape` to be \(2, 3\)"):
        from_array((3, 2))
    function = lambda shape, dtype=None: keras.ops.ones(shape)  # noqa: E731
    assert initializers.get(function) is function
    with pytest.raises(ValueError, match="Unknown initializer"):
        initializers.get("not_an_initializer")


def test_constant_values():
    np.testing.assert_array_equal(value(initializers.Constant(2.5), (2, 3)), np.full((2, 3), 2.5))
    np.testing.assert_array_equal(value(initializers.Zeros(), (4,), "int32"), np.zeros(4))
    assert value(initializers.Zeros(), (4,), "int32").dtype == np.int32
    np.testing.assert_array_equal(value(initializers.Ones(), (3, 1)), np.ones((3, 1)))
    np.testing.assert_array_equal(
        value(initializers.Identity(gain=2.0), (3, 4)), 2.0 * np.eye(3, 4)
    )
    with pytest.raises(ValueError, match="2-D"):
        initializers.Identity()((2, 2, 2))


SHAPE = (300, 200)


def test_random_distributions_statistics():
    normal = value(initializers.RandomNormal(mean=1.0, stddev=0.5, seed=1), SHAPE)
    assert abs(normal.mean() - 1.0) < 0.01 and abs(normal.std() - 0.5) < 0.01
    uniform = value(initializers.RandomUniform(-0.2, 0.6, seed=2), SHAPE)
    assert uniform.min() >= -0.2 and uniform.max() < 0.6
    assert abs(uniform.mean() - 0.2) < 0.01 and abs(uniform.std() - 0.8 / math.sqrt(12)) < 0.01
    truncated = value(initializers.TruncatedNormal(stddev=0.3, seed=3), SHAPE)
    assert np.abs(truncated).max() <= 0.6 + 1e-6
    assert abs(truncated.std() - 0.3 * 0.87962566) < 0.01


def test_seeds_are_reproducible():
    first = value(initializers.GlorotUniform(seed=7), (4, 5))
    np.testing.assert_array_equal(first, value(initializers.GlorotUniform(seed=7), (4, 5)))
    unseeded = initializers.RandomNormal()
    np.testing.assert_array_equal(value(unseeded, (3, 3)), value(unseeded, (3, 3)))
    assert not np.array_equal(first, value(initializers.GlorotUniform(seed=8), (4, 5)))


# (initializer, expected std, uniform limit or None) for a (300, 200) weight.
FAN_IN, FAN_OUT = 300, 200
PRESETS = [
    (
        initializers.GlorotUniform,
        math.sqrt(2 / (FAN_IN + FAN_OUT)),
        math.sqrt(6 / (FAN_IN + FAN_OUT)),
    ),
    (initializers.GlorotNormal, math.sqrt(2 / (FAN_IN + FAN_OUT)), None),
    (initializers.HeUniform, math.sqrt(2 / FAN_IN), math.sqrt(6 / FAN_IN)),
    (initializers.HeNormal, math.sqrt(2 / FAN_IN), None),
    (initializers.LecunUniform, math.sqrt(1 / FAN_IN), math.sqrt(3 / FAN_IN)),
    (initializers.LecunNormal, math.sqrt(1 / FAN_IN), None),
]


@pytest.mark.parametrize("cls,std,limit", PRESETS, ids=lambda p: getattr(p, "__name__", ""))
def test_variance_scaling_presets(cls, std, limit):
    sample = value(cls(seed=4), SHAPE)
    assert abs(sample.std() - std) < 0.03 * std
    if limit is not None:
        assert np.abs(sample).max() <= limit
        assert np.abs(sample).max() > 0.95 * limit
    else:  # truncated at two standard deviations of the untruncated normal
        assert np.abs(sample).max() <= 2 * std / 0.87962566 + 1e-6
    assert cls(seed=4).get_config() == {"seed": 4, "input_axes": None, "output_axes": None}
    wide = value(cls(seed=4, input_axes=[0, 1], output_axes=[2]), (30, 10, 200))
    assert abs(wide.std() - std) < 0.03 * std  # fan_in 300 and fan_out 200, as above


def test_variance_scaling_modes_and_axes():
    sample = value(
        initializers.VarianceScaling(3.0, "fan_out", "untruncated_normal", seed=5), SHAPE
    )
    assert abs(sample.std() - math.sqrt(3.0 / FAN_OUT)) < 0.01 * math.sqrt(3.0 / FAN_OUT) * 3
    assert initializers._compute_fans((3, 3, 8, 16)) == (72, 144)
    axes = initializers.VarianceScaling(
        1.0, "fan_in", "uniform", seed=6, input_axes=[0, 1], output_axes=[2]
    )
    sample = value(axes, (4, 25, 6))
    assert np.abs(sample).max() <= math.sqrt(3.0 / 100) and np.abs(sample).max() > 0.9 * math.sqrt(
        3.0 / 100
    )
    assert axes.get_config()["input_axes"] == [0, 1]
    assert initializers._compute_fans((4, 25, 6), [0, 1], [2]) == (100, 6)
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")


@pytest.mark.parametrize("shape", [(6, 4), (3, 7), (2, 3, 8)])
def test_orthogonal(shape):
    q = value(initializers.Orthogonal(gain=1.5, seed=9), shape).reshape(-1, shape[-1])
    if q.shape[0] >= q.shape[1]:
        np.testing.assert_allclose(q.T @ q, 2.25 * np.eye(q.shape[1]), atol=1e-5)
    else:
        np.testing.assert_allclose(q @ q.T, 2.25 * np.eye(q.shape[0]), atol=1e-5)
    with pytest.raises(ValueError, match="rank >= 2"):
        initializers.Orthogonal()((5,))


@pytest.mark.parametrize(
    "side,window,scaling,periodic",
    [
        ("real", "hann", "density", False),
        ("imag", "hamming", "spectrum", True),
        ("real", None, None, False),
        ("imag", [0.5, 1.0, 1.0, 1.0, 0.5, 0.2], "density", False),
    ],
)
def test_stft_initializer(side, window, scaling, periodic):
    frame_length, bins = 6, 5
    kernel = value(initializers.STFT(side, window, scaling, periodic), (frame_length, 2, bins))
    t, k = np.arange(frame_length)[:, None], np.arange(bins)[None, :]
    dft = np.cos(2 * np.pi * t * k / 8) if side == "real" else -np.sin(2 * np.pi * t * k / 8)
    if window is None:
        w = np.ones(frame_length)
    elif isinstance(window, list):
        w = np.array(window)
    else:
        make = {"hann": np.hanning, "hamming": np.hamming}[window]
        w = make(frame_length + 1)[:-1] if periodic else make(frame_length)
    if scaling == "density":
        w = w / np.sqrt(np.sum(w**2))
    elif scaling == "spectrum":
        w = w / np.sum(w)
    expected = dft * w[:, None]
    np.testing.assert_allclose(kernel, np.stack([expected] * 2, 1), atol=1e-6)
    config = initializers.STFT(side, window, scaling, periodic).get_config()
    assert config == {"side": side, "window": window, "scaling": scaling, "periodic": periodic}


def test_stft_initializer_bad_arguments():
    with pytest.raises(ValueError, match="side"):
        initializers.STFT("complex")
    with pytest.raises(ValueError, match="window"):
        initializers.STFT(window="kaiser")
    with pytest.raises(ValueError, match="scaling"):
        initializers.STFT(scaling="power")
    with pytest.raises(ValueError, match=r"window must have shape \(6,\)"):
        initializers.STFT(window=[1.0, 2.0])((6, 1, 5))
