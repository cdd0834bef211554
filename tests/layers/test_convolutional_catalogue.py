"""Conv3D, transposed, depthwise and separable convolutions against loop-based NumPy
references; channels_first agreement, configs, symbolic shapes and errors."""

import itertools

import numpy as np
import pytest
from layer_checks import assert_outputs_close, check_config_roundtrip, check_symbolic_shape, rand
from test_convolutional import _check_channels_first, _randomize, reference_conv

import unikeras as keras

TOL = dict(rtol=1e-4, atol=1e-4)


def _transpose_crop(size, k, stride, dilation, padding, output_padding):
    """(cropped at the start, output length) of one axis, from Keras' padding rules."""
    span = (k - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return 0, size * stride + max(span - stride, 0)
        pad_len = stride + span - 2
    else:
        if padding == "valid":
            return 0, (size - 1) * stride + span + output_padding
        pad_len = span + span % 2 - 2 + output_padding
    left = min(pad_len // 2 + pad_len % 2, span - 1)
    full = (size - 1) * stride + 1 + 2 * (span - 1)
    return span - 1 - left, full - span + 1 - (2 * (span - 1) - pad_len)


def reference_conv_transpose(x, kernel, bias, strides, padding, dilation, output_padding):
    """Channels-last transposed convolution: each input position scatters `x @ kernel.T`."""
    n = kernel.ndim - 2
    ops_ = output_padding or (None,) * n
    axes = [
        _transpose_crop(x.shape[1 + a], kernel.shape[a], strides[a], dilation[a], padding, ops_[a])
        for a in range(n)
    ]
    out = np.zeros((x.shape[0],) + tuple(a[1] for a in axes) + (kernel.shape[-2],), np.float64)
    for pos in itertools.product(*(range(s) for s in x.shape[1 : n + 1])):
        for tap in itertools.product(*(range(k) for k in kernel.shape[:n])):
            dst = [pos[a] * strides[a] + tap[a] * dilation[a] - axes[a][0] for a in range(n)]
            if any(d < 0 or d >= axes[a][1] for a, d in enumerate(dst)):
                continue
            out[(slice(None),) + tuple(dst)] += x[(slice(None),) + pos] @ kernel[tap].T
    return (out + (0 if bias is None else bias)).astype(np.float32)


def reference_depthwise(x, kernel, bias, strides, padding, dilation):
    """Depthwise convolution as a grouped convolution with one group per input channel."""
    grouped = kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return reference_conv(x, grouped, bias, strides, padding, dilation)


CONV3D_CASES = [
    # kernel_size, strides, padding, dilation, groups
    ((2, 2, 2), (1, 1, 1), "valid", (1, 1, 1), 1),
    ((3, 2, 1), (2, 1, 2), "same", (1, 1, 1), 2),
    ((2, 2, 2), (1, 1, 1), "same", (2, 1, 1), 1),
]


@pytest.mark.parametrize("kernel_size,strides,padding,dilation,groups", CONV3D_CASES)
def test_conv3d_matches_reference_and_formats_agree(
    kernel_size, strides, padding, dilation, groups
):
    x = rand((2, 5, 4, 3, 4), seed=1)
    kwargs = dict(
        kernel_size=kernel_size,
        strides=strides,
        padding=padding,
        dilation_rate=dilation,
        groups=groups,
    )
    layer = keras.layers.Conv3D(6, data_format="channels_last", **kwargs)
    layer(x)
    kernel, bias = _randomize(layer)
    assert kernel.shape == kernel_size + (4 // groups, 6)
    expected = reference_conv(x, kernel, bias, strides, padding, dilation)
    assert_outputs_close(layer(x), expected, **TOL)
    _check_channels_first(
        keras.layers.Conv3D(6, data_format="channels_first", **kwargs), x, [kernel, bias], expected
    )


TRANSPOSE_CASES = [
    # rank, kernel_size, strides, padding, output_padding, dilation
    (1, 3, 2, "valid", None, 1),
    (1, 1, 3, "valid", None, 1),
    (1, 4, 2, "same", None, 1),
    (1, 3, 1, "same", None, 2),
    (1, 3, 3, "valid", 2, 1),
    (1, 2, 2, "same", 1, 1),
    (1, 4, 3, "same", 2, 1),
    (2, (3, 2), (2, 1), "valid", None, 1),
    (2, (3, 3), (2, 2), "same", None, 1),
    (2, (3, 3), (2, 3), "same", (1, 2), 1),
    (2, (2, 3), (1, 1), "valid", None, (2, 1)),
    (3, (2, 3, 1), (2, 1, 2), "same", None, 1),
    (3, 2, 2, "valid", (1, 0, 1), 1),
]
TRANSPOSE_LAYERS = {1: "Conv1DTranspose", 2: "Conv2DTranspose", 3: "Conv3DTranspose"}


@pytest.mark.parametrize(
    "rank,kernel_size,strides,padding,output_padding,dilation", TRANSPOSE_CASES
)
def test_conv_transpose_matches_reference_and_formats_agree(
    rank, kernel_size, strides, padding, output_padding, dilation
):
    cls = getattr(keras.layers, TRANSPOSE_LAYERS[rank])
    x = rand((2,) + (4, 3, 3)[:rank] + (3,), seed=2)
    kwargs = dict(
        kernel_size=kernel_size,
        strides=strides,
        padding=padding,
        output_padding=output_padding,
        dilation_rate=dilation,
        activation="relu",
    )
    layer = cls(5, data_format="channels_last", **kwargs)
    layer(x)
    kernel, bias = _randomize(layer)
    assert kernel.shape == layer.kernel_size + (5, 3)
    expected = np.maximum(
        reference_conv_transpose(
            x, kernel, bias, layer.strides, padding, layer.dilation_rate, layer.output_padding
        ),
        0,
    )
    assert_outputs_close(layer(x), expected, **TOL)
    check_symbolic_shape(layer, x.shape[1:], x)
    _check_channels_first(
        cls(5, data_format="channels_first", **kwargs), x, [kernel, bias], expected
    )


DEPTHWISE_CASES = [
    # rank, kernel_size, strides, padding, depth_multiplier, dilation
    (1, 3, 1, "valid", 1, 1),
    (1, 2, 2, "same", 3, 1),
    (1, 3, 1, "same", 2, 2),
    (2, (3, 3), (1, 1), "valid", 2, (1, 1)),
    (2, (3, 2), (2, 1), "same", 1, (1, 1)),
    (2, (2, 2), (1, 1), "same", 2, (2, 1)),
]


def _layer_input(rank, seed):
    return rand((2,) + (7, 6)[:rank] + (3,), seed=seed)


@pytest.mark.parametrize("rank,kernel_size,strides,padding,multiplier,dilation", DEPTHWISE_CASES)
def test_depthwise_matches_reference_and_formats_agree(
    rank, kernel_size, strides, padding, multiplier, dilation
):
    cls = getattr(keras.layers, f"DepthwiseConv{rank}D")
    x = _layer_input(rank, seed=3)
    kwargs = dict(
        kernel_size=kernel_size,
        strides=strides,
        padding=padding,
        depth_multiplier=multiplier,
        dilation_rate=dilation,
    )
    layer = cls(data_format="channels_last", **kwargs)
    layer(x)
    kernel, bias = _randomize(layer)
    assert kernel.shape == layer.kernel_size + (3, multiplier)
    assert bias.shape == (3 * multiplier,)
    expected = reference_depthwise(x, kernel, bias, layer.strides, padding, layer.dilation_rate)
    assert_outputs_close(layer(x), expected, **TOL)
    _check_channels_first(cls(data_format="channels_first", **kwargs), x, [kernel, bias], expected)


@pytest.mark.parametrize("rank,kernel_size,strides,padding,multiplier,dilation", DEPTHWISE_CASES)
def test_separable_matches_reference_and_formats_agree(
    rank, kernel_size, strides, padding, multiplier, dilation
):
    cls = getattr(keras.layers, f"SeparableConv{rank}D")
    x = _layer_input(rank, seed=4)
    kwargs = dict(
        kernel_size=kernel_size,
        strides=strides,
        padding=padding,
        depth_multiplier=multiplier,
        dilation_rate=dilation,
        activation="tanh",
    )
    layer = cls(4, data_format="channels_last", **kwargs)
    layer(x)
    weights = _randomize(layer)
    depthwise, pointwise, bias = weights
    assert pointwise.shape == (1,) * rank + (3 * multiplier, 4)
    mid = reference_depthwise(x, depthwise, None, layer.strides, padding, layer.dilation_rate)
    expected = np.tanh(mid @ pointwise.reshape(pointwise.shape[-2:]) + bias)
    assert_outputs_close(layer(x), expected, **TOL)
    _check_channels_first(cls(4, data_format="channels_first", **kwargs), x, weights, expected)


def test_weights_names_order_and_defaults():
    sep = keras.layers.SeparableConv2D(5, 3)
    sep(rand((1, 6, 6, 2)))
    assert [w.name for w in sep.weights] == ["depthwise_kernel", "pointwise_kernel", "bias"]
    assert sep.depthwise_kernel.shape == (3, 3, 2, 1)
    assert sep.pointwise_kernel.shape == (1, 1, 2, 5)
    depthwise = keras.layers.DepthwiseConv1D(3, depth_multiplier=2, use_bias=False)
    depthwise(rand((1, 6, 4)))
    assert [w.name for w in depthwise.weights] == ["kernel"]
    assert depthwise.kernel.shape == (3, 4, 2)
    transpose = keras.layers.Conv2DTranspose(5, 3)
    transpose(rand((1, 4, 4, 2)))
    assert [w.name for w in transpose.weights] == ["kernel", "bias"]
    assert transpose.kernel.shape == (3, 3, 5, 2)
    config = transpose.get_config()
    assert config["strides"] == (1, 1) and config["output_padding"] is None
    assert "groups" not in config
    assert keras.layers.Conv3D(2, 2).get_config()["strides"] == (1, 1, 1)
    config = keras.layers.DepthwiseConv2D(3).get_config()
    assert config["depth_multiplier"] == 1 and config["depthwise_initializer"] is not None
    assert keras.layers.Convolution3D is keras.layers.Conv3D
    assert keras.layers.Convolution1DTranspose is keras.layers.Conv1DTranspose
    assert keras.layers.Convolution2DTranspose is keras.layers.Conv2DTranspose
    assert keras.layers.Convolution3DTranspose is keras.layers.Conv3DTranspose
    assert keras.layers.SeparableConvolution1D is keras.layers.SeparableConv1D
    assert keras.layers.SeparableConvolution2D is keras.layers.SeparableConv2D


@pytest.mark.parametrize(
    "layer,x",
    [
        (
            lambda: keras.layers.Conv3D(
                4, 2, strides=2, padding="same", groups=2, name="c3", kernel_regularizer="l2"
            ),
            rand((2, 5, 4, 4, 4)),
        ),
        (
            lambda: keras.layers.Conv1DTranspose(
                3, 3, strides=2, output_padding=1, activation="relu"
            ),
            rand((2, 5, 4)),
        ),
        (
            lambda: keras.layers.Conv2DTranspose(
                2, (2, 3), strides=(2, 1), padding="same", bias_constraint="non_neg"
            ),
            rand((2, 4, 3, 3)),
        ),
        (lambda: keras.layers.Conv3DTranspose(2, 2, strides=2), rand((1, 2, 3, 2, 2))),
        (
            lambda: keras.layers.DepthwiseConv1D(
                3, depth_multiplier=2, padding="same", depthwise_regularizer="l1"
            ),
            rand((2, 6, 3)),
        ),
        (lambda: keras.layers.DepthwiseConv2D(2, strides=2, activation="relu"), rand((2, 5, 5, 3))),
        (
            lambda: keras.layers.SeparableConv1D(
                4, 2, depth_multiplier=2, pointwise_constraint="non_neg"
            ),
            rand((2, 6, 3)),
        ),
        (
            lambda: keras.layers.SeparableConv2D(
                4, 3, padding="same", pointwise_initializer="he_normal"
            ),
            rand((2, 5, 4, 2)),
        ),
    ],
)
def test_config_roundtrip_and_symbolic(layer, x):
    check_config_roundtrip(layer(), x)
    check_symbolic_shape(layer(), x.shape[1:], x)


def test_symbolic_unknown_spatial_size():
    out = keras.layers.Conv2DTranspose(3, 3, strides=2)(keras.Input(shape=(None, 4, 2)))
    assert tuple(out.shape) == (None, None, 9, 3)
    out = keras.layers.SeparableConv1D(5, 3, strides=2)(keras.Input(shape=(None, 4)))
    assert tuple(out.shape) == (None, None, 5)
    out = keras.layers.DepthwiseConv2D(3, depth_multiplier=3)(keras.Input(shape=(None, 6, 2)))
    assert tuple(out.shape) == (None, None, 4, 6)


def test_shape_and_argument_errors():
    with pytest.raises(ValueError, match=r'"c3d".*expected ndim=5, found ndim=4'):
        keras.layers.Conv3D(2, 2, name="c3d")(rand((1, 4, 4, 3)))
    with pytest.raises(ValueError, match=r'"dw".*expected ndim=4, found ndim=3'):
        keras.layers.DepthwiseConv2D(2, name="dw")(rand((1, 4, 3)))
    with pytest.raises(ValueError, match=r'"sep".*\(1, 2, 3\)'):
        keras.layers.SeparableConv1D(2, 3, name="sep")(rand((1, 2, 3)))
    layer = keras.layers.Conv1DTranspose(2, 2, name="ct")
    layer(rand((1, 4, 3)))
    with pytest.raises(ValueError, match=r'"ct".*axis -1.*value 3.*\(1, 4, 5\)'):
        layer(rand((1, 4, 5)))
    with pytest.raises(ValueError, match="output_padding"):
        keras.layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="padding"):
        keras.layers.Conv1DTranspose(2, 3, padding="causal")
    with pytest.raises(ValueError, match="depth_multiplier"):
        keras.layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="filters"):
        keras.layers.SeparableConv2D(0, 3)
    with pytest.raises(ValueError, match="dilation_rate"):
        keras.layers.DepthwiseConv1D(3, strides=2, dilation_rate=2)
