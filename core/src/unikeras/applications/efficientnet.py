"""EfficientNet B0 to B7, as `keras.applications.efficientnet`.

Reference: [EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks](
https://arxiv.org/abs/1905.11946) (ICML 2019).

Layer names (`stem_conv`, `block1a_dwconv`, ..., `top_conv`, `predictions`) and weight order
are Keras 3.15.1's, so Keras' ImageNet files (`efficientnetb<i>[_notop].h5`) load and
`set_weights` with a Keras model's `get_weights()` lines up.
"""

import copy
import math

from unikeras import layers
from unikeras.applications import imagenet_utils
from unikeras.backend.config import image_data_format

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/keras-applications/"

# (top, notop) md5 digests of Keras' files.
WEIGHTS_HASHES = {
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}


def _stage(kernel_size, repeats, filters_in, filters_out, expand_ratio, strides):
    return {
        "kernel_size": kernel_size,
        "repeats": repeats,
        "filters_in": filters_in,
        "filters_out": filters_out,
        "expand_ratio": expand_ratio,
        "id_skip": True,
        "strides": strides,
        "se_ratio": 0.25,
    }


# The seven MBConv stages of EfficientNet-B0 (scaled in width and depth for B1..B7).
DEFAULT_BLOCKS_ARGS = [
    _stage(3, 1, 32, 16, 1, 1),
    _stage(3, 2, 16, 24, 6, 2),
    _stage(5, 2, 24, 40, 6, 2),
    _stage(3, 3, 40, 80, 6, 2),
    _stage(5, 3, 80, 112, 6, 1),
    _stage(5, 4, 112, 192, 6, 2),
    _stage(3, 1, 192, 320, 6, 1),
]

CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}

IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]


def block(
    inputs,
    activation="swish",
    drop_rate=0.0,
    name="",
    filters_in=32,
    filters_out=16,
    kernel_size=3,
    strides=1,
    expand_ratio=1,
    se_ratio=0.0,
    id_skip=True,
):
    """An inverted residual (MBConv) block: 1x1 expansion, depthwise conv,
    squeeze-and-excitation, 1x1 projection and (when shapes allow) the residual sum.

    Args:
        inputs: Input tensor.
        activation: Activation function.
        drop_rate: Dropout rate (whole samples) before the residual sum.
        name: Prefix of the layer names.
        filters_in, filters_out: Input and output channels.
        kernel_size: Size of the depthwise kernel.
        strides: Stride of the depthwise conv.
        expand_ratio: Expansion factor of the channels.
        se_ratio: Squeeze ratio (of `filters_in`) of the squeeze-and-excitation.
        id_skip: Whether to add the residual when shapes allow.

    Returns:
        The output tensor.
    """
    axis = 3 if image_data_format() == "channels_last" else 1
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(
            filters,
            1,
            padding="same",
            use_bias=False,
            kernel_initializer=CONV_KERNEL_INITIALIZER,
            name=f"{name}expand_conv",
        )(x)
        x = layers.BatchNormalization(axis=axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)

    if strides == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size), name=f"{name}dwconv_pad"
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size,
        strides=strides,
        padding="valid" if strides == 2 else "same",
        use_bias=False,
        depthwise_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}dwconv",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)

    if 0 < se_ratio <= 1:
        squeezed = max(1, int(filters_in * se_ratio))
        se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
        se_shape = (filters, 1, 1) if axis == 1 else (1, 1, filters)
        se = layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
        se = layers.Conv2D(
            squeezed,
            1,
            padding="same",
            activation=activation,
            kernel_initializer=CONV_KERNEL_INITIALIZER,
            name=f"{name}se_reduce",
        )(se)
        se = layers.Conv2D(
            filters,
            1,
            padding="same",
            activation="sigmoid",
            kernel_initializer=CONV_KERNEL_INITIALIZER,
            name=f"{name}se_expand",
        )(se)
        x = layers.multiply([x, se], name=f"{name}se_excite")

    x = layers.Conv2D(
        filters_out,
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name=f"{name}project_conv",
    )(x)
    x = layers.BatchNormalization(axis=axis, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def EfficientNet(
    width_coefficient,
    depth_coefficient,
    default_size,
    dropout_rate=0.2,
    drop_connect_rate=0.2,
    depth_divisor=8,
    activation="swish",
    blocks_args="default",
    name="efficientnet",
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    weights_name=None,
):
    """Instantiates an EfficientNet of the given width and depth scaling.

    Args:
        width_coefficient: Scaling of the number of channels.
        depth_coefficient: Scaling of the number of blocks.
        default_size: Default input image size.
        dropout_rate: Dropout rate before the classifier.
        drop_connect_rate: Dropout rate of the residual branches (grows linearly up to it).
        depth_divisor: The channel counts are multiples of it.
        activation: Activation function.
        blocks_args: `"default"` or a list of stage dicts like `DEFAULT_BLOCKS_ARGS`.
        name: Model name.
        include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation: As in `EfficientNetB0`.
        weights_name: Key of `WEIGHTS_HASHES` for `weights="imagenet"`.

    Returns:
        A `Functional` model.
    """
    if blocks_args == "default":
        blocks_args = DEFAULT_BLOCKS_ARGS
    imagenet_utils.check_weights_argument(name, weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    axis = 3 if image_data_format() == "channels_last" else 1

    def round_filters(filters):
        filters *= width_coefficient
        rounded = max(
            depth_divisor, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor
        )
        if rounded < 0.9 * filters:
            rounded += depth_divisor
        return int(rounded)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    # Built-in preprocessing: [0, 255] -> [0, 1], then a Normalization whose statistics come
    # with the weights (Keras' files hold the ImageNet mean and variance).
    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=axis)(x)
    if weights == "imagenet":
        # Keras' files store the variance as the standard deviation; this corrects for it.
        x = layers.Rescaling([1.0 / math.sqrt(s) for s in IMAGENET_STDDEV_RGB])(x)

    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(
        round_filters(32),
        3,
        strides=2,
        padding="valid",
        use_bias=False,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name="stem_conv",
    )(x)
    x = layers.BatchNormalization(axis=axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    blocks_args = copy.deepcopy(blocks_args)
    total = float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    index = 0
    for i, args in enumerate(blocks_args):
        if args["repeats"] <= 0:
            raise ValueError(
                f"{name}: the number of repeats in `EfficientNet` must be > 0. "
                f"Received: repeats={args['repeats']}"
            )
        args["filters_in"] = round_filters(args["filters_in"])
        args["filters_out"] = round_filters(args["filters_out"])
        for j in range(round_repeats(args.pop("repeats"))):
            if j > 0:
                args["strides"] = 1
                args["filters_in"] = args["filters_out"]
            x = block(
                x,
                activation,
                drop_connect_rate * index / total,
                name=f"block{i + 1}{chr(j + 97)}_",
                **args,
            )
            index += 1

    x = layers.Conv2D(
        round_filters(1280),
        1,
        padding="same",
        use_bias=False,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        name="top_conv",
    )(x)
    x = layers.BatchNormalization(axis=axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=DENSE_KERNEL_INITIALIZER,
            name="predictions",
        )(x)
    else:
        x = imagenet_utils.pool(x, pooling, avg_name="avg_pool", max_name="max_pool")

    inputs = imagenet_utils.model_inputs(input_tensor, img_input)
    if weights == "imagenet":
        file_name = name + (".h5" if include_top else "_notop.h5")
        return imagenet_utils.finish_model(
            inputs,
            x,
            name,
            weights,
            file_name,
            BASE_WEIGHTS_PATH + file_name,
            WEIGHTS_HASHES[weights_name][0 if include_top else 1],
        )
    return imagenet_utils.finish_model(inputs, x, name, weights)


_DOC = """Instantiates the {name} architecture.

Reference: [EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks](
https://arxiv.org/abs/1905.11946) (ICML 2019). Preprocessing is part of the model (a
`Rescaling` and a `Normalization` layer): it takes float pixels in `[0, 255]`;
`efficientnet.preprocess_input` is the identity.

Args:
    include_top: Whether to include the classification layer. Defaults to `True`.
    weights: `None` (random initialization), `"imagenet"` (ImageNet weights, Keras' file
        through `keras.utils.get_file`) or the path of a weights file. Defaults to
        `"imagenet"`.
    input_tensor: Optional Keras tensor (output of `layers.Input()`) to use as the input.
    input_shape: Optional shape tuple with 3 channels, only with `include_top=False`
        (at least 32x32).
    pooling: With `include_top=False`: `None` (4D output of the last conv), `"avg"` or
        `"max"` (global pooling, 2D output).
    classes: Number of classes, only with `include_top=True` and no `weights`. Defaults
        to 1000.
    classifier_activation: Activation of the top layer (`None` for logits); with
        pretrained weights only `None` or `"softmax"`. Defaults to `"softmax"`.
    name: The name of the model. Defaults to `"{default}"`.

Returns:
    A model instance.
"""


def _variant(index, width, depth, size, dropout):
    function_name = f"EfficientNetB{index}"
    default_name = f"efficientnetb{index}"

    def constructor(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=default_name,
    ):
        return EfficientNet(
            width,
            depth,
            size,
            dropout,
            name=name,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            weights_name=f"b{index}",
        )

    constructor.__name__ = constructor.__qualname__ = function_name
    constructor.__doc__ = _DOC.format(name=function_name, default=default_name)
    return constructor


# (width, depth, default size, dropout) of B0..B7.
EfficientNetB0 = _variant(0, 1.0, 1.0, 224, 0.2)
EfficientNetB1 = _variant(1, 1.0, 1.1, 240, 0.2)
EfficientNetB2 = _variant(2, 1.1, 1.2, 260, 0.3)
EfficientNetB3 = _variant(3, 1.2, 1.4, 300, 0.3)
EfficientNetB4 = _variant(4, 1.4, 1.8, 380, 0.4)
EfficientNetB5 = _variant(5, 1.6, 2.2, 456, 0.4)
EfficientNetB6 = _variant(6, 1.8, 2.6, 528, 0.5)
EfficientNetB7 = _variant(7, 2.0, 3.1, 600, 0.5)


def preprocess_input(x, data_format=None):
    """The identity: EfficientNet models rescale and normalize their inputs themselves.

    Kept so that `keras.applications.efficientnet.preprocess_input` exists, as in Keras.

    Args:
        x: A float NumPy array or tensor of pixels.
        data_format: Unused (kept for the common signature).

    Returns:
        `x`, unchanged.
    """
    return x


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions into `(class_id, class_name, score)` tuples.

    Args:
        preds: A batch of predictions, shape `(samples, 1000)`.
        top: How many of the best guesses to return per sample.

    Returns:
        One list of `top` tuples per sample.
    """
    return imagenet_utils.decode_predictions(preds, top=top)
