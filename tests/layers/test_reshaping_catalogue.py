"""Cropping1D/2D/3D, ZeroPadding1D/2D/3D and UpSampling1D/2D/3D against loop-based NumPy
references; channels_first agreement, configs, symbolic shapes and errors."""

import itertools

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, check_symbolic_shape, rand

import unikeras as keras


def _positions(shape):
    return itertools.product(*(range(s) for s in shape))


def reference_crop(x, pairs):
    """Channels-last cropping: output position `p` reads input position `p + before`."""
    n = len(pairs)
    out_shape = [x.shape[1 + a] - sum(pairs[a]) for a in range(n)]
    out = np.zeros((x.shape[0],) + tuple(out_shape) + (x.shape[-1],), x.dtype)
    for pos in _positions(out_shape):
        src = tuple(p + pairs[a][0] for a, p in enumerate(pos))
        out[(slice(None),) + pos] = x[(slice(None),) + src]
    return out


def reference_pad(x, pairs):
    """Channels-last zero padding: input position `p` lands at `p + before`."""
    n = len(pairs)
    out_shape = [x.shape[1 + a] + sum(pairs[a]) for a in range(n)]
    out = np.zeros((x.shape[0],) + tuple(out_shape) + (x.shape[-1],), x.dtype)
    for pos in _positions(x.shape[1 : n + 1]):
        dst = tuple(p + pairs[a][0] for a, p in enumerate(pos))
        out[(slice(None),) + dst] = x[(slice(None),) + pos]
    return out


def reference_upsample(x, size):
    """Channels-last nearest upsampling: output position `p` reads `p // size`."""
    n = len(size)
    out_shape = [x.shape[1 + a] * size[a] for a in range(n)]
    out = np.zeros((x.shape[0],) + tuple(out_shape) + (x.shape[-1],), x.dtype)
    for pos in _positions(out_shape):
        out[(slice(None),) + pos] = x[(slice(None),) + tuple(p // s for p, s in zip(pos, size))]
    return out


def _bilinear_taps(length, factor):
    """(low index, high index, high weight) per output position, half-pixel centres."""
    taps = []
    for j in range(length * factor):
        src = min(max((j + 0.5) / factor - 0.5, 0.0), length - 1)
        low = int(np.floor(src))
        taps.append((low, min(low + 1, length - 1), src - low))
    return taps


def reference_bilinear(x, size):
    """Channels-last bilinear upsampling of rank-4 `x` by `size`, loops over positions."""
    rows, cols = _bilinear_taps(x.shape[1], size[0]), _bilinear_taps(x.shape[2], size[1])
    out = np.zeros((x.shape[0], len(rows), len(cols), x.shape[-1]), np.float64)
    for i, (r0, r1, wr) in enumerate(rows):
        for j, (c0, c1, wc) in enumerate(cols):
            out[:, i, j] = (
                (1 - wr) * (1 - wc) * x[:, r0, c0]
                + (1 - wr) * wc * x[:, r0, c1]
                + wr * (1 - wc) * x[:, r1, c0]
                + wr * wc * x[:, r1, c1]
            )
    return out.astype(np.float32)


def _to_first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


def _check(cls, kwargs, x, expected, channels_first=True):
    """Values, symbolic shape, config round-trip, and the channels_first twin."""
    layer = cls(**kwargs)
    assert_outputs_close(layer(x), expected)
    check_symbolic_shape(layer, x.shape[1:], x)
    check_config_roundtrip(layer, x)
    if channels_first:
        first = cls(data_format="channels_first", **kwargs)
        assert_outputs_close(first(_to_first(x)), _to_first(expected))
        check_symbolic_shape(first, _to_first(x).shape[1:], _to_first(x))


SHAPES = {1: (2, 7, 3), 2: (2, 6, 5, 3), 3: (2, 5, 4, 6, 2)}
PAIR_CASES = [
    # rank, argument, pairs
    (1, 2, ((2, 2),)),
    (1, (1, 3), ((1, 3),)),
    (2, 1, ((1, 1), (1, 1))),
    (2, (2, 0), ((2, 2), (0, 0))),
    (2, ((0, 1), (2, 1)), ((0, 1), (2, 1))),
    (3, 1, ((1, 1),) * 3),
    (3, (1, 0, 2), ((1, 1), (0, 0), (2, 2))),
    (3, ((1, 0), (0, 2), (1, 2)), ((1, 0), (0, 2), (1, 2))),
]


@pytest.mark.parametrize("rank,argument,pairs", PAIR_CASES)
def test_cropping(rank, argument, pairs):
    x = rand(SHAPES[rank], seed=rank)
    cls = getattr(keras.layers, f"Cropping{rank}D")
    _check(cls, {"cropping": argument}, x, reference_crop(x, pairs), channels_first=rank > 1)
    assert cls(argument).get_config()["cropping"] == (pairs[0] if rank == 1 else pairs)


@pytest.mark.parametrize("rank,argument,pairs", PAIR_CASES)
def test_zero_padding(rank, argument, pairs):
    x = rand(SHAPES[rank], seed=rank)
    cls = getattr(keras.layers, f"ZeroPadding{rank}D")
    _check(cls, {"padding": argument}, x, reference_pad(x, pairs))
    assert cls(argument).get_config()["padding"] == (pairs[0] if rank == 1 else pairs)


@pytest.mark.parametrize("rank,size", [(1, 3), (2, 2), (2, (1, 3)), (3, (2, 1, 3)), (3, 2)])
def test_upsampling_nearest(rank, size):
    x = rand(SHAPES[rank], seed=rank)
    cls = getattr(keras.layers, f"UpSampling{rank}D")
    factors = (size,) * rank if isinstance(size, int) else size
    _check(cls, {"size": size}, x, reference_upsample(x, factors), channels_first=rank > 1)


@pytest.mark.parametrize("size", [2, (3, 2), (1, 4)])
def test_upsampling2d_bilinear(size):
    x = rand((2, 4, 3, 3), seed=9)
    factors = (size, size) if isinstance(size, int) else size
    _check(
        keras.layers.UpSampling2D,
        {"size": size, "interpolation": "bilinear"},
        x,
        reference_bilinear(x, factors),
    )


def test_defaults_and_configs():
    assert keras.layers.Cropping1D().get_config()["cropping"] == (1, 1)
    assert "data_format" not in keras.layers.Cropping1D().get_config()
    assert keras.layers.Cropping2D().get_config()["cropping"] == ((0, 0), (0, 0))
    assert keras.layers.Cropping3D().get_config()["cropping"] == ((1, 1),) * 3
    assert keras.layers.ZeroPadding1D().get_config()["padding"] == (1, 1)
    assert keras.layers.ZeroPadding2D().get_config()["padding"] == ((1, 1), (1, 1))
    assert keras.layers.ZeroPadding3D().get_config()["padding"] == ((1, 1),) * 3
    assert keras.layers.UpSampling1D().get_config()["size"] == 2
    config = keras.layers.UpSampling2D().get_config()
    assert config["size"] == (2, 2) and config["interpolation"] == "nearest"
    assert keras.layers.UpSampling3D().get_config()["size"] == (2, 2, 2)
    assert config["data_format"] == keras.config.image_data_format()


def test_symbolic_unknown_sizes():
    out = keras.layers.Cropping2D(((1, 2), (0, 1)))(keras.Input(shape=(None, 6, 3)))
    assert tuple(out.shape) == (None, None, 5, 3)
    out = keras.layers.ZeroPadding3D(1)(keras.Input(shape=(None, 2, 3, 4)))
    assert tuple(out.shape) == (None, None, 4, 5, 4)
    out = keras.layers.UpSampling1D(3)(keras.Input(shape=(None, 4)))
    assert tuple(out.shape) == (None, None, 4)


def test_errors_name_layer_and_shapes():
    with pytest.raises(ValueError, match=r'"crop".*\(2, 3, 4, 3\)'):
        keras.layers.Cropping2D(((1, 2), (0, 0)), name="crop")(rand((2, 3, 4, 3)))
    with pytest.raises(ValueError, match=r'"crop1".*\(None, 2, 3\)'):
        keras.layers.Cropping1D(1, name="crop1")(keras.Input(shape=(2, 3)))
    with pytest.raises(ValueError, match=r'"pad".*expected ndim=4, found ndim=3'):
        keras.layers.ZeroPadding2D(name="pad")(rand((2, 4, 3)))
    with pytest.raises(ValueError, match=r'"up".*expected ndim=5, found ndim=4'):
        keras.layers.UpSampling3D(name="up")(rand((2, 4, 3, 3)))
    with pytest.raises(ValueError, match="cropping"):
        keras.layers.Cropping3D((1, 2))
    with pytest.raises(ValueError, match="padding"):
        keras.layers.ZeroPadding2D(((1, 2, 3), (0, 0)))
    with pytest.raises(ValueError, match="padding"):
        keras.layers.ZeroPadding1D(-1)
    with pytest.raises(ValueError, match="size"):
        keras.layers.UpSampling2D((2, 2, 2))
    with pytest.raises(ValueError, match="interpolation"):
        keras.layers.UpSampling2D(interpolation="area")
