"""`keras.applications.mobilenet_v2`: MobileNetV2 (Sandler et al., 2018) with Keras 3's layer
names.

Inputs are preprocessed in `"tf"` mode (scaled to [-1, 1]). ImageNet weights exist for
`alpha` in {0.35, 0.5, 0.75, 1.0, 1.3, 1.4} and square inputs of 96, 128, 160, 192 or 224.
"""

import warnings

from unikeras import layers
from unikeras.applications import imagenet_utils as utils

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"

_SIZES = (96, 128, 160, 192, 224)
_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)

# (filters, stride, expansion) of the 17 inverted residual blocks.
_BLOCKS = (
    (16, 1, 1),
    (24, 2, 6),
    (24, 1, 6),
    (32, 2, 6),
    (32, 1, 6),
    (32, 1, 6),
    (64, 2, 6),
    (64, 1, 6),
    (64, 1, 6),
    (64, 1, 6),
    (96, 1, 6),
    (96, 1, 6),
    (96, 1, 6),
    (160, 2, 6),
    (160, 1, 6),
    (160, 1, 6),
    (320, 1, 6),
)


def _make_divisible(v, divisor, min_value=None):
    """Rounds `v` to the nearest multiple of `divisor` (at least `min_value`), never more
    than 10% below `v`."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _channel_axis():
    return 1 if utils.image_data_format() == "channels_first" else -1


def _bn(x, name):
    return layers.BatchNormalization(axis=_channel_axis(), epsilon=1e-3, momentum=0.999, name=name)(
        x
    )


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    in_channels = inputs.shape[_channel_axis()]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    if block_id:
        prefix = f"block_{block_id}_"
        x = layers.Conv2D(
            expansion * in_channels,
            kernel_size=1,
            padding="same",
            use_bias=False,
            activation=None,
            name=f"{prefix}expand",
        )(x)
        x = _bn(x, f"{prefix}expand_BN")
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=utils.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size=3,
        strides=stride,
        activation=None,
        use_bias=False,
        padding="same" if stride == 1 else "valid",
        name=f"{prefix}depthwise",
    )(x)
    x = _bn(x, f"{prefix}depthwise_BN")
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(
        pointwise_filters,
        kernel_size=1,
        padding="same",
        use_bias=False,
        activation=None,
        name=f"{prefix}project",
    )(x)
    x = _bn(x, f"{prefix}project_BN")
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _spatial(shape, first):
    return (shape[1], shape[2]) if first else (shape[0], shape[1])


def MobileNetV2(
    input_shape=None,
    alpha=1.0,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name=None,
):
    """Instantiates the MobileNetV2 architecture (Keras 3 layer names).

    Args:
        input_shape: Optional input shape (without batch); 3 channels, at least 32x32.
        alpha: Width multiplier of every layer's filters.
        include_top: Whether to include the classifier (global average pooling and a
            `classes`-way Dense layer named `predictions`).
        weights: `None`, `"imagenet"` (Keras' ImageNet weights, fetched into the Keras
            cache by `keras.utils.get_file`) or a weights file path.
        input_tensor: Optional Keras tensor (output of `keras.Input()`) as the image input.
        pooling: With `include_top=False`: `None` (4D output), `"avg"` or `"max"`.
        classes: Number of classes when `include_top=True` and no `weights` are given.
        classifier_activation: Activation of the `predictions` layer (`None` or
            `"softmax"` with pretrained weights).
        name: Name of the model (default `mobilenetv2_<alpha>_<rows>`).

    Returns:
        A functional `Model`.
    """
    model_name = "MobileNetV2" if name is None else name
    utils.check_weights_argument(model_name, weights, include_top, classes)
    first = utils.image_data_format() == "channels_first"
    if input_tensor is not None and not utils.is_keras_tensor_like(input_tensor):
        raise ValueError(
            f"{model_name}: input_tensor must be a valid Keras tensor type; Received "
            f"{input_tensor} of type {type(input_tensor)}"
        )
    default_size = 224
    if input_shape is not None:
        rows, cols = _spatial(input_shape, first)
    elif input_tensor is not None:
        rows, cols = _spatial(tuple(input_tensor.shape)[1:], first)
    else:
        rows = cols = None
    if rows == cols and rows in _SIZES:
        default_size = rows
    input_shape = utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=utils.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    rows, cols = _spatial(input_shape, first)
    if weights == "imagenet":
        if alpha not in _ALPHAS:
            raise ValueError(
                f"{model_name}: if imagenet weights are being loaded, alpha must be one of "
                f"`0.35`, `0.50`, `0.75`, `1.0`, `1.3` or `1.4` only; Received `alpha={alpha}`"
            )
        if rows != cols or rows not in _SIZES:
            rows = 224
            warnings.warn(
                "`input_shape` is undefined or non-square, or `rows` is not in "
                "[96, 128, 160, 192, 224]. Weights for input shape (224, 224) will be loaded "
                "as the default.",
                stacklevel=2,
            )
    img_input = utils.image_input(input_tensor, input_shape)

    x = layers.Conv2D(
        _make_divisible(32 * alpha, 8),
        kernel_size=3,
        strides=(2, 2),
        padding="same",
        use_bias=False,
        name="Conv1",
    )(img_input)
    x = _bn(x, "bn_Conv1")
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    last_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _bn(x, "Conv_1_bn")
    x = layers.ReLU(6.0, name="out_relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = utils.pool(x, pooling)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    file_name = None
    if weights == "imagenet":
        suffix = "" if include_top else "_no_top"
        file_name = (
            f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}{suffix}.h5"
        )
    return utils.finish_model(
        utils.model_inputs(input_tensor, img_input),
        x,
        name,
        weights,
        file_name,
        f"{BASE_WEIGHT_PATH}{file_name}",
        None,
    )


def preprocess_input(x, data_format=None):
    """Preprocesses images for MobileNetV2: scales [0, 255] to [-1, 1] (`"tf"` mode).

    Args:
        x: Images (NumPy array or tensor, 3D or 4D).
        data_format: Image data format (default `keras.config.image_data_format()`).

    Returns:
        The preprocessed images.
    """
    return utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions (see `imagenet_utils.decode_predictions`)."""
    return utils.decode_predictions(preds, top=top)
