"""AdaptiveAveragePooling1D/2D/3D and AdaptiveMaxPooling1D/2D/3D against loop-based NumPy
pooling with PyTorch's adaptive bins, in both data formats, on every backend."""

import itertools
import math

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, rand

import unikeras as keras


def reference_adaptive_pool(x, output_size, mode):
    """Channels-last adaptive pooling: output cell `i` of an axis of length `L` pooled to `n`
    cells covers `[floor(i * L / n), ceil((i + 1) * L / n))`."""
    spatial = x.shape[1:-1]
    out = np.zeros((x.shape[0],) + tuple(output_size) + (x.shape[-1],), np.float32)
    for cell in itertools.product(*(range(n) for n in output_size)):
        index = [slice(None)]
        for i, length, n in zip(cell, spatial, output_size):
            index.append(slice(math.floor(i * length / n), math.ceil((i + 1) * length / n)))
        window = x[tuple(index)]
        axes = tuple(range(1, len(spatial) + 1))
        out[(slice(None),) + cell] = (
            window.max(axis=axes) if mode == "max" else window.mean(axis=axes)
        )
    return out


LAYERS = {
    ("average", 1): keras.layers.AdaptiveAveragePooling1D,
    ("average", 2): keras.layers.AdaptiveAveragePooling2D,
    ("average", 3): keras.layers.AdaptiveAveragePooling3D,
    ("max", 1): keras.layers.AdaptiveMaxPooling1D,
    ("max", 2): keras.layers.AdaptiveMaxPooling2D,
    ("max", 3): keras.layers.AdaptiveMaxPooling3D,
}
CASES = [
    # spatial input size, output_size argument
    ((7,), 3),
    ((8,), (4,)),
    ((5,), 5),
    ((3,), 5),  # more cells than inputs: windows overlap
    ((7, 5), (3, 2)),
    ((6, 6), 4),
    ((2, 9), (3, 4)),
    ((5, 4, 6), (2, 3, 4)),
    ((4, 4, 4), 3),
]


@pytest.mark.parametrize("mode", ["average", "max"])
@pytest.mark.parametrize("spatial,output_size", CASES)
def test_adaptive_pooling_matches_reference_in_both_formats(mode, spatial, output_size):
    cls = LAYERS[mode, len(spatial)]
    sizes = (output_size,) * len(spatial) if isinstance(output_size, int) else output_size
    x = rand((2,) + spatial + (3,), seed=len(spatial))
    expected = reference_adaptive_pool(x, sizes, mode)
    layer = cls(output_size, data_format="channels_last")
    assert_outputs_close(layer(x), expected)
    first = cls(output_size, data_format="channels_first")
    x_first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    assert_outputs_close(first(x_first), np.moveaxis(expected, -1, 1))
    check_config_roundtrip(layer, x)
    assert layer.weights == []


@pytest.mark.parametrize("mode", ["average", "max"])
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_adaptive_pooling_symbolic_shapes_with_unknown_dims(mode, rank):
    cls = LAYERS[mode, rank]
    sizes = (2, 3, 4)[:rank]
    last = keras.Input((None,) * rank + (5,))
    assert cls(sizes, data_format="channels_last")(last).shape == (None,) + sizes + (5,)
    first = keras.Input((5,) + (None,) * rank)
    assert cls(sizes, data_format="channels_first")(first).shape == (None, 5) + sizes
    layer = cls(sizes, data_format="channels_first")
    assert layer.compute_output_shape((4, 5) + (7,) * rank) == (4, 5) + sizes
    model = keras.Model(last, cls(sizes)(last))
    x = rand((2,) + (6,) * rank + (5,), seed=1)
    assert_outputs_close(model(x), reference_adaptive_pool(x, sizes, mode))


def test_adaptive_pooling_config_defaults_and_errors():
    layer = keras.layers.AdaptiveAveragePooling2D(3)
    config = layer.get_config()
    assert config["output_size"] == (3, 3)
    assert config["data_format"] == keras.config.image_data_format()
    assert keras.layers.AdaptiveMaxPooling3D(2).output_size == (2, 2, 2)
    assert keras.layers.AdaptiveMaxPooling1D([4]).output_size == (4,)
    with pytest.raises(TypeError, match="output_size"):
        keras.layers.AdaptiveMaxPooling2D((2, 2, 2))
    with pytest.raises(TypeError, match="output_size"):
        keras.layers.AdaptiveAveragePooling1D("3")
    with pytest.raises(ValueError, match="positive"):
        keras.layers.AdaptiveAveragePooling1D(0)
    with pytest.raises(ValueError, match="data_format"):
        keras.layers.AdaptiveAveragePooling1D(2, data_format="channels_middle")
    with pytest.raises(ValueError, match="adaptive_max_pooling2d|ndim|rank"):
        keras.layers.AdaptiveMaxPooling2D(2, name="adaptive_max_pooling2d")(rand((2, 4, 3)))
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    assert isinstance(restored, keras.layers.AdaptiveAveragePooling2D)
    assert restored.get_config() == config


def test_adaptive_pooling_integer_inputs_average_to_float():
    x = np.arange(2 * 6 * 2).reshape(2, 6, 2).astype("int32")
    out = keras.ops.convert_to_numpy(keras.layers.AdaptiveAveragePooling1D(3)(x))
    np.testing.assert_allclose(out, reference_adaptive_pool(x.astype("float32"), (3,), "avg"))
