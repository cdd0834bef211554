"""Max/average and global pooling layers against loop-based NumPy pooling."""

import itertools

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, check_symbolic_shape, rand

import unikeras as keras


def reference_pool(x, pool, strides, padding, mode):
    """Channels-last pooling by explicit loops; padded positions are ignored."""
    n = len(pool)
    starts, sizes = [], []
    for a in range(n):
        size = x.shape[1 + a]
        if padding == "valid":
            out, before = (size - pool[a]) // strides[a] + 1, 0
        else:
            out = -(-size // strides[a])
            before = max((out - 1) * strides[a] + pool[a] - size, 0) // 2
        sizes.append(out)
        starts.append(before)
    result = np.zeros((x.shape[0],) + tuple(sizes) + (x.shape[-1],), np.float32)
    for pos in itertools.product(*(range(s) for s in sizes)):
        index = [slice(None)]
        for a in range(n):
            lo = pos[a] * strides[a] - starts[a]
            index.append(slice(max(lo, 0), min(lo + pool[a], x.shape[1 + a])))
        window = x[tuple(index)]
        axes = tuple(range(1, n + 1))
        reduced = window.max(axis=axes) if mode == "max" else window.mean(axis=axes)
        result[(slice(None),) + pos] = reduced
    return result


LAYERS = {
    ("max", 1): keras.layers.MaxPooling1D,
    ("max", 2): keras.layers.MaxPooling2D,
    ("average", 1): keras.layers.AveragePooling1D,
    ("average", 2): keras.layers.AveragePooling2D,
}
CASES = [
    # pool_size, strides, padding, spatial
    ((2,), None, "valid", (7,)),
    ((3,), (2,), "same", (8,)),
    ((3,), (1,), "same", (5,)),
    ((2, 2), None, "valid", (6, 5)),
    ((3, 2), (2, 1), "same", (7, 6)),
    ((3, 3), (2, 2), "same", (5, 5)),
    ((2, 3), (1, 2), "valid", (4, 7)),
]


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("pool,strides,padding,spatial", CASES)
def test_pooling_matches_reference_and_formats_agree(mode, pool, strides, padding, spatial):
    cls = LAYERS[mode, len(pool)]
    x = rand((2,) + spatial + (3,), seed=4)
    expected = reference_pool(x, pool, strides or pool, padding, mode)
    layer = cls(pool, strides, padding, data_format="channels_last")
    assert_outputs_close(layer(x), expected)
    first = cls(pool, strides, padding, data_format="channels_first")
    x_first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    assert_outputs_close(first(x_first), np.moveaxis(expected, -1, 1))
    check_symbolic_shape(first, x_first.shape[1:], x_first)
    check_config_roundtrip(layer, x)


def test_pooling_defaults_and_aliases():
    layer = keras.layers.MaxPooling2D()
    assert layer.get_config()["pool_size"] == (2, 2)
    assert layer.get_config()["strides"] == (2, 2)
    assert layer.get_config()["padding"] == "valid"
    assert keras.layers.AveragePooling1D(3).strides == (3,)
    assert keras.layers.MaxPool1D is keras.layers.MaxPooling1D
    assert keras.layers.MaxPool2D is keras.layers.MaxPooling2D
    assert keras.layers.AvgPool1D is keras.layers.AveragePooling1D
    assert keras.layers.AvgPool2D is keras.layers.AveragePooling2D
    assert layer.weights == []


def test_pooling_errors_name_layer():
    with pytest.raises(ValueError, match=r'"pool".*expected ndim=4, found ndim=3'):
        keras.layers.MaxPooling2D(name="pool")(rand((2, 4, 3)))
    with pytest.raises(ValueError, match="padding"):
        keras.layers.AveragePooling1D(padding="causal")
    with pytest.raises(ValueError, match="pool_size"):
        keras.layers.MaxPooling2D(pool_size=(2, 2, 2))
    with pytest.raises(ValueError, match=r'"small"'):
        keras.layers.MaxPooling1D(4, name="small")(keras.Input(shape=(3, 2)))


def test_pooling_symbolic_unknown_size():
    out = keras.layers.MaxPooling1D(2, padding="same")(keras.Input(shape=(None, 3)))
    assert tuple(out.shape) == (None, None, 3)


GLOBAL = [
    (keras.layers.GlobalAveragePooling1D, np.mean, 1),
    (keras.layers.GlobalAveragePooling2D, np.mean, 2),
    (keras.layers.GlobalMaxPooling1D, np.max, 1),
    (keras.layers.GlobalMaxPooling2D, np.max, 2),
]


@pytest.mark.parametrize("cls,reduce,rank", GLOBAL)
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling(cls, reduce, rank, keepdims):
    x = rand((3,) + (5, 4)[:rank] + (6,), seed=5)
    axes = tuple(range(1, rank + 1))
    layer = cls(data_format="channels_last", keepdims=keepdims)
    assert_outputs_close(layer(x), reduce(x, axis=axes, keepdims=keepdims))
    x_first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    first = cls(data_format="channels_first", keepdims=keepdims)
    axes_first = tuple(range(2, rank + 2))
    assert_outputs_close(first(x_first), reduce(x_first, axis=axes_first, keepdims=keepdims))
    check_symbolic_shape(first, x_first.shape[1:], x_first)
    check_config_roundtrip(layer, x)
    with pytest.raises(ValueError, match=f'"{layer.name}".*expected ndim={rank + 2}'):
        layer(rand((2,) * (rank + 3)))


def test_global_pooling_defaults_and_aliases():
    assert keras.layers.GlobalAveragePooling2D().get_config()["keepdims"] is False
    assert keras.layers.GlobalAvgPool1D is keras.layers.GlobalAveragePooling1D
    assert keras.layers.GlobalAvgPool2D is keras.layers.GlobalAveragePooling2D
    assert keras.layers.GlobalMaxPool1D is keras.layers.GlobalMaxPooling1D
    assert keras.layers.GlobalMaxPool2D is keras.layers.GlobalMaxPooling2D


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_average_pooling1d_mask(data_format):
    x = rand((2, 5, 3), seed=6)
    mask = np.array([[1, 1, 0, 1, 0], [1, 0, 0, 0, 0]], bool)
    expected = np.stack([x[i][mask[i]].mean(axis=0) for i in range(2)])
    if data_format == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    layer = keras.layers.GlobalAveragePooling1D(data_format=data_format)
    assert_outputs_close(layer(x, mask=mask), expected)


def test_embedding_mask_flows_into_global_average_pooling():
    inputs = keras.Input(shape=(4,), dtype="int32")
    embedded = keras.layers.Embedding(6, 3, mask_zero=True)
    pooled = keras.layers.GlobalAveragePooling1D()(embedded(inputs))
    model = keras.Model(inputs, pooled)
    ids = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], "int32")
    table = embedded.get_weights()[0]
    expected = np.stack([table[[1, 2]].mean(0), table[[3]].mean(0)])
    assert_outputs_close(model(ids), expected)
