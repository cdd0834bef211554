"""MaxPooling3D, AveragePooling3D and the global 3-D poolings against loop-based NumPy
pooling; channels_first agreement, configs, symbolic shapes and errors."""

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, check_symbolic_shape, rand
from test_pooling import reference_pool

import unikeras as keras


def _to_first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


CASES = [
    # pool_size, strides, padding, spatial
    ((2, 2, 2), None, "valid", (4, 5, 4)),
    ((3, 2, 2), (2, 1, 2), "same", (5, 4, 3)),
    ((2, 3, 1), (1, 2, 1), "valid", (3, 6, 2)),
    ((3, 3, 3), (2, 2, 2), "same", (4, 4, 5)),
]
LAYERS = {"max": keras.layers.MaxPooling3D, "average": keras.layers.AveragePooling3D}


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("pool,strides,padding,spatial", CASES)
def test_pooling3d_matches_reference_and_formats_agree(mode, pool, strides, padding, spatial):
    cls = LAYERS[mode]
    x = rand((2,) + spatial + (3,), seed=4)
    expected = reference_pool(x, pool, strides or pool, padding, mode)
    layer = cls(pool, strides, padding, data_format="channels_last")
    assert_outputs_close(layer(x), expected)
    first = cls(pool, strides, padding, data_format="channels_first")
    assert_outputs_close(first(_to_first(x)), np.moveaxis(expected, -1, 1))
    check_symbolic_shape(first, _to_first(x).shape[1:], _to_first(x))
    check_config_roundtrip(layer, x)


def test_pooling3d_defaults_aliases_and_errors():
    config = keras.layers.MaxPooling3D().get_config()
    assert config["pool_size"] == (2, 2, 2) and config["strides"] == (2, 2, 2)
    assert config["padding"] == "valid"
    assert keras.layers.AveragePooling3D(3).strides == (3, 3, 3)
    assert keras.layers.MaxPool3D is keras.layers.MaxPooling3D
    assert keras.layers.AvgPool3D is keras.layers.AveragePooling3D
    with pytest.raises(ValueError, match=r'"p3".*expected ndim=5, found ndim=4'):
        keras.layers.MaxPooling3D(name="p3")(rand((2, 4, 4, 3)))
    with pytest.raises(ValueError, match=r'"small3".*\(None, 3, 4, 4, 2\)'):
        keras.layers.AveragePooling3D(4, name="small3")(keras.Input(shape=(3, 4, 4, 2)))
    out = keras.layers.MaxPooling3D(2, padding="same")(keras.Input(shape=(None, 5, 4, 3)))
    assert tuple(out.shape) == (None, None, 3, 2, 3)


def reference_global(x, mode, keepdims):
    """Channels-last global pooling by loops over batch entries and channels."""
    out = np.zeros((x.shape[0], x.shape[-1]), np.float32)
    for b in range(x.shape[0]):
        for c in range(x.shape[-1]):
            volume = x[b, ..., c].ravel()
            out[b, c] = volume.max() if mode == "max" else volume.sum() / volume.size
    return out.reshape(x.shape[0], 1, 1, 1, -1) if keepdims else out


GLOBAL = {"max": keras.layers.GlobalMaxPooling3D, "average": keras.layers.GlobalAveragePooling3D}


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_global_pooling3d(mode, keepdims):
    cls = GLOBAL[mode]
    x = rand((3, 4, 3, 5, 6), seed=5)
    expected = reference_global(x, mode, keepdims)
    layer = cls(data_format="channels_last", keepdims=keepdims)
    assert_outputs_close(layer(x), expected)
    first = cls(data_format="channels_first", keepdims=keepdims)
    expected_first = np.moveaxis(expected, -1, 1) if keepdims else expected
    assert_outputs_close(first(_to_first(x)), expected_first)
    check_symbolic_shape(first, _to_first(x).shape[1:], _to_first(x))
    check_config_roundtrip(layer, x)
    with pytest.raises(ValueError, match=f'"{layer.name}".*expected ndim=5'):
        layer(rand((2, 3, 3, 3)))


def test_global_pooling3d_defaults_and_aliases():
    assert keras.layers.GlobalMaxPooling3D().get_config()["keepdims"] is False
    assert keras.layers.GlobalAvgPool3D is keras.layers.GlobalAveragePooling3D
    assert keras.layers.GlobalMaxPool3D is keras.layers.GlobalMaxPooling3D
    out = keras.layers.GlobalAveragePooling3D()(keras.Input(shape=(None, 4, None, 7)))
    assert tuple(out.shape) == (None, 7)
