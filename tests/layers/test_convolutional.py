"""Conv1D and Conv2D against a loop-based NumPy convolution; configs, shapes and errors."""

import itertools

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, check_symbolic_shape, rand

import unikeras as keras


def _pads(size, k, stride, dilation, padding):
    """(before, total output) of one spatial axis, written out from the padding rules."""
    span = (k - 1) * dilation + 1
    if padding == "valid":
        return 0, (size - span) // stride + 1
    if padding == "causal":
        return span - 1, (size - 1) // stride + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + span - size, 0)
    return total // 2, out


def reference_conv(x, kernel, bias, strides, padding, dilation):
    """Channels-last N-D grouped convolution by explicit loops over positions and taps."""
    n = kernel.ndim - 2
    per_group, filters = kernel.shape[-2], kernel.shape[-1]
    groups = x.shape[-1] // per_group
    out_per_group = filters // groups
    pads = [
        _pads(x.shape[1 + a], kernel.shape[a], strides[a], dilation[a], padding) for a in range(n)
    ]
    out = np.zeros((x.shape[0],) + tuple(p[1] for p in pads) + (filters,), np.float64)
    for pos in itertools.product(*(range(p[1]) for p in pads)):
        for tap in itertools.product(*(range(k) for k in kernel.shape[:n])):
            src = [pos[a] * strides[a] + tap[a] * dilation[a] - pads[a][0] for a in range(n)]
            if any(s < 0 or s >= x.shape[1 + a] for a, s in enumerate(src)):
                continue
            for g in range(groups):
                xs = x[(slice(None),) + tuple(src) + (slice(g * per_group, (g + 1) * per_group),)]
                ks = kernel[tap][:, g * out_per_group : (g + 1) * out_per_group]
                out[
                    (slice(None),) + pos + (slice(g * out_per_group, (g + 1) * out_per_group),)
                ] += xs @ ks
    return (out + (0 if bias is None else bias)).astype(np.float32)


def _randomize(layer, seed=7):
    layer.set_weights([rand(w.shape, seed=seed + i) for i, w in enumerate(layer.get_weights())])
    return layer.get_weights()


def _check_channels_first(layer, x, weights, expected):
    """A channels_first layer with the same weights gives the transposed output."""
    x_first = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    layer(x_first)
    layer.set_weights(weights)
    assert_outputs_close(layer(x_first), np.moveaxis(expected, -1, 1), rtol=1e-4, atol=1e-4)
    check_symbolic_shape(layer, x_first.shape[1:], x_first)


CONV2D_CASES = [
    # kernel_size, strides, padding, dilation, groups, spatial
    ((3, 3), (1, 1), "valid", (1, 1), 1, (6, 5)),
    ((3, 2), (2, 1), "same", (1, 1), 1, (7, 6)),
    ((2, 3), (2, 3), "valid", (1, 1), 1, (7, 8)),
    ((3, 3), (1, 1), "same", (2, 1), 1, (7, 6)),
    ((2, 2), (1, 1), "valid", (2, 2), 2, (6, 6)),
    ((1, 3), (3, 2), "same", (1, 1), 2, (5, 4)),
    ((3, 3), (1, 1), "same", (1, 1), 4, (4, 5)),
]


@pytest.mark.parametrize("kernel_size,strides,padding,dilation,groups,spatial", CONV2D_CASES)
def test_conv2d_matches_reference_and_formats_agree(
    kernel_size, strides, padding, dilation, groups, spatial
):
    x = rand((2,) + spatial + (4,), seed=1)
    kwargs = dict(
        kernel_size=kernel_size,
        strides=strides,
        padding=padding,
        dilation_rate=dilation,
        groups=groups,
    )
    layer = keras.layers.Conv2D(8, data_format="channels_last", **kwargs)
    layer(x)
    kernel, bias = _randomize(layer)
    assert kernel.shape == kernel_size + (4 // groups, 8)
    expected = reference_conv(x, kernel, bias, strides, padding, dilation)
    assert_outputs_close(layer(x), expected, rtol=1e-4, atol=1e-4)

    _check_channels_first(
        keras.layers.Conv2D(8, data_format="channels_first", **kwargs), x, [kernel, bias], expected
    )


CONV1D_CASES = [
    (3, 1, "valid", 1, 1),
    (3, 2, "same", 1, 1),
    (2, 3, "valid", 1, 2),
    (3, 1, "same", 2, 1),
    (3, 1, "causal", 1, 1),
    (2, 1, "causal", 3, 2),
    (4, 2, "causal", 1, 1),
]


@pytest.mark.parametrize("kernel_size,stride,padding,dilation,groups", CONV1D_CASES)
def test_conv1d_matches_reference_and_formats_agree(kernel_size, stride, padding, dilation, groups):
    x = rand((3, 9, 4), seed=2)
    kwargs = dict(
        kernel_size=kernel_size,
        strides=stride,
        padding=padding,
        dilation_rate=dilation,
        groups=groups,
        activation="relu",
    )
    layer = keras.layers.Conv1D(6, data_format="channels_last", **kwargs)
    layer(x)
    kernel, bias = _randomize(layer)
    expected = np.maximum(reference_conv(x, kernel, bias, (stride,), padding, (dilation,)), 0)
    assert_outputs_close(layer(x), expected, rtol=1e-4, atol=1e-4)

    _check_channels_first(
        keras.layers.Conv1D(6, data_format="channels_first", **kwargs), x, [kernel, bias], expected
    )


def test_causal_output_only_sees_the_past():
    layer = keras.layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = rand((1, 10, 3), seed=3)
    before = keras.ops.convert_to_numpy(layer(x))
    x[:, 6:] = 100.0
    after = keras.ops.convert_to_numpy(layer(x))
    np.testing.assert_allclose(after[:, :6], before[:, :6], rtol=1e-6)


def test_weights_names_order_and_defaults():
    layer = keras.layers.Conv2D(5, 3)
    layer(rand((1, 6, 6, 2)))
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    assert layer.kernel.shape == (3, 3, 2, 5)
    np.testing.assert_array_equal(layer.get_weights()[1], np.zeros(5, np.float32))
    config = layer.get_config()
    assert config["strides"] == (1, 1) and config["padding"] == "valid"
    assert config["dilation_rate"] == (1, 1) and config["groups"] == 1
    assert config["data_format"] == keras.config.image_data_format()
    no_bias = keras.layers.Conv1D(4, 2, use_bias=False)
    no_bias(rand((2, 5, 3)))
    assert [w.name for w in no_bias.weights] == ["kernel"]
    assert no_bias.count_params() == 2 * 3 * 4
    assert keras.layers.Convolution2D is keras.layers.Conv2D
    assert keras.layers.Convolution1D is keras.layers.Conv1D


@pytest.mark.parametrize(
    "layer,x",
    [
        (
            lambda: keras.layers.Conv2D(
                4,
                (3, 2),
                strides=2,
                padding="same",
                groups=2,
                activation="tanh",
                kernel_regularizer="l2",
                bias_constraint="non_neg",
                name="c2",
            ),
            rand((2, 7, 6, 4)),
        ),
        (
            lambda: keras.layers.Conv1D(
                3, 2, padding="causal", dilation_rate=2, kernel_initializer="he_normal"
            ),
            rand((2, 8, 5)),
        ),
    ],
)
def test_config_roundtrip_and_symbolic(layer, x):
    check_config_roundtrip(layer(), x)
    check_symbolic_shape(layer(), x.shape[1:], x)


def test_symbolic_unknown_spatial_size():
    out = keras.layers.Conv1D(7, 3, strides=2)(keras.Input(shape=(None, 4)))
    assert tuple(out.shape) == (None, None, 7)
    out = keras.layers.Conv2D(7, 3, padding="same", strides=2)(keras.Input(shape=(9, None, 4)))
    assert tuple(out.shape) == (None, 5, None, 7)


def test_wrong_rank_names_layer_and_shapes():
    layer = keras.layers.Conv2D(2, 3, name="my_conv")
    with pytest.raises(ValueError, match=r'"my_conv".*expected ndim=4, found ndim=3'):
        layer(rand((2, 6, 3)))
    with pytest.raises(ValueError, match=r'"my_conv1d".*expected ndim=3, found ndim=4'):
        keras.layers.Conv1D(2, 3, name="my_conv1d")(keras.Input(shape=(5, 5, 3)))


def test_wrong_channels_after_build_names_layer():
    layer = keras.layers.Conv2D(2, 3, name="conv_c")
    layer(rand((1, 5, 5, 3)))
    with pytest.raises(ValueError, match=r'"conv_c".*axis -1.*value 3.*\(1, 5, 5, 4\)'):
        layer(rand((1, 5, 5, 4)))


def test_argument_errors():
    with pytest.raises(ValueError, match="groups"):
        keras.layers.Conv2D(4, 3, groups=3)
    with pytest.raises(ValueError, match=r"groups=2.*3 channels"):
        keras.layers.Conv2D(4, 3, groups=2)(rand((1, 5, 5, 3)))
    with pytest.raises(ValueError, match="padding"):
        keras.layers.Conv2D(4, 3, padding="causal")
    with pytest.raises(ValueError, match="kernel_size"):
        keras.layers.Conv2D(4, (3, 3, 3))
    with pytest.raises(ValueError, match="filters"):
        keras.layers.Conv1D(0, 3)
    with pytest.raises(ValueError, match="dilation_rate"):
        keras.layers.Conv1D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match=r'"tiny".*\(1, 2, 2, 3\)'):
        keras.layers.Conv2D(4, 3, name="tiny")(rand((1, 2, 2, 3)))


def test_ops_conv_rejects_bad_input():
    with pytest.raises(ValueError, match=r"conv.*rank"):
        keras.ops.conv(rand((5, 5, 3)), rand((3, 3, 3, 2)))
    with pytest.raises(ValueError, match=r"conv.*rank"):
        keras.ops.conv(keras.KerasTensor((None, 5, 3)), rand((3, 3, 3, 2)))
    with pytest.raises(ValueError, match=r"conv.*channel"):
        keras.ops.conv(rand((1, 5, 5, 3)), rand((3, 3, 2, 2)))
