"""EfficientNetV2 B0 to B3, S, M and L, as `keras.applications.efficientnet_v2`.

Reference: [EfficientNetV2: Smaller Models and Faster Training](
https://arxiv.org/abs/2104.00298) (ICML 2021).

Layer names (`stem_conv`, `block1a_project_conv`, ..., `top_conv`, `predictions`) and weight
order are Keras 3.15.1's, so Keras' ImageNet files (`efficientnetv2-<size>[_notop].h5`) load
and `set_weights` with a Keras model's `get_weights()` lines up.
"""

import copy
import math

from unikeras import initializers, layers
from unikeras.applications import imagenet_utils
from unikeras.backend.config import image_data_format

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"

# (top, notop) md5 digests of Keras' files.
WEIGHTS_HASHES = {
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}


def _stages(*rows):
    """Stage dicts from `(kernel_size, num_repeat, input_filters, output_filters,
    expand_ratio, se_ratio, strides, conv_type)` rows (conv_type 1: fused MBConv)."""
    keys = (
        "kernel_size",
        "num_repeat",
        "input_filters",
        "output_filters",
        "expand_ratio",
        "se_ratio",
        "strides",
        "conv_type",
    )
    return [dict(zip(keys, row)) for row in rows]


_B_STAGES = _stages(
    (3, 1, 32, 16, 1, 0, 1, 1),
    (3, 2, 16, 32, 4, 0, 2, 1),
    (3, 2, 32, 48, 4, 0, 2, 1),
    (3, 3, 48, 96, 4, 0.25, 2, 0),
    (3, 5, 96, 112, 6, 0.25, 1, 0),
    (3, 8, 112, 192, 6, 0.25, 2, 0),
)

# The stages of each variant, keyed by its default model name.
DEFAULT_BLOCKS_ARGS = {
    "efficientnetv2-s": _stages(
        (3, 2, 24, 24, 1, 0.0, 1, 1),
        (3, 4, 24, 48, 4, 0.0, 2, 1),
        (3, 4, 48, 64, 4, 0, 2, 1),
        (3, 6, 64, 128, 4, 0.25, 2, 0),
        (3, 9, 128, 160, 6, 0.25, 1, 0),
        (3, 15, 160, 256, 6, 0.25, 2, 0),
    ),
    "efficientnetv2-m": _stages(
        (3, 3, 24, 24, 1, 0, 1, 1),
        (3, 5, 24, 48, 4, 0, 2, 1),
        (3, 5, 48, 80, 4, 0, 2, 1),
        (3, 7, 80, 160, 4, 0.25, 2, 0),
        (3, 14, 160, 176, 6, 0.25, 1, 0),
        (3, 18, 176, 304, 6, 0.25, 2, 0),
        (3, 5, 304, 512, 6, 0.25, 1, 0),
    ),
    "efficientnetv2-l": _stages(
        (3, 4, 32, 32, 1, 0, 1, 1),
        (3, 7, 32, 64, 4, 0, 2, 1),
        (3, 7, 64, 96, 4, 0, 2, 1),
        (3, 10, 96, 192, 4, 0.25, 2, 0),
        (3, 19, 192, 224, 6, 0.25, 1, 0),
        (3, 25, 224, 384, 6, 0.25, 2, 0),
        (3, 7, 384, 640, 6, 0.25, 1, 0),
    ),
    "efficientnetv2-b0": _B_STAGES,
    "efficientnetv2-b1": copy.deepcopy(_B_STAGES),
    "efficientnetv2-b2": copy.deepcopy(_B_STAGES),
    "efficientnetv2-b3": copy.deepcopy(_B_STAGES),
}

CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}


def round_filters(filters, width_coefficient, min_depth, depth_divisor):
    """Scales `filters` by `width_coefficient`, rounded to a multiple of `depth_divisor`
    (at least `min_depth`)."""
    filters *= width_coefficient
    minimum = min_depth or depth_divisor
    return int(max(minimum, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def round_repeats(repeats, depth_coefficient):
    """Scales a stage's number of blocks by `depth_coefficient`, rounded up."""
    return int(math.ceil(depth_coefficient * repeats))


def _conv(filters, kernel_size, strides, name, **kwargs):
    return layers.Conv2D(
        filters,
        kernel_size=kernel_size,
        strides=strides,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        padding="same",
        use_bias=False,
        name=name,
        **kwargs,
    )


def _squeeze_excite(x, filters, input_filters, se_ratio, activation, axis, name):
    squeezed = max(1, int(input_filters * se_ratio))
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
    return layers.multiply([x, se], name=f"{name}se_excite")


def _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(
                survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop"
            )(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def _mbconv(
    x,
    input_filters,
    output_filters,
    expand_ratio,
    kernel_size,
    strides,
    se_ratio,
    bn_momentum,
    activation,
    survival_probability,
    name,
):
    """MBConv: 1x1 expansion, depthwise conv, squeeze-and-excitation, 1x1 projection."""
    axis = 3 if image_data_format() == "channels_last" else 1
    inputs = x
    filters = input_filters * expand_ratio
    if expand_ratio != 1:
        x = _conv(filters, 1, 1, f"{name}expand_conv", data_format=image_data_format())(x)
        x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    x = layers.DepthwiseConv2D(
        kernel_size=kernel_size,
        strides=strides,
        depthwise_initializer=CONV_KERNEL_INITIALIZER,
        padding="same",
        data_format=image_data_format(),
        use_bias=False,
        name=f"{name}dwconv2",
    )(x)
    x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, axis, name)
    x = _conv(output_filters, 1, 1, f"{name}project_conv", data_format=image_data_format())(x)
    x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}project_bn")(x)
    return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)


def _fused_mbconv(
    x,
    input_filters,
    output_filters,
    expand_ratio,
    kernel_size,
    strides,
    se_ratio,
    bn_momentum,
    activation,
    survival_probability,
    name,
):
    """Fused MBConv: the expansion and depthwise convs fused into one full conv."""
    axis = 3 if image_data_format() == "channels_last" else 1
    inputs = x
    filters = input_filters * expand_ratio
    if expand_ratio != 1:
        x = _conv(
            filters, kernel_size, strides, f"{name}expand_conv", data_format=image_data_format()
        )(x)
        x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, filters, input_filters, se_ratio, activation, axis, name)
    fused = expand_ratio == 1
    x = _conv(
        output_filters,
        kernel_size if fused else 1,
        strides if fused else 1,
        f"{name}project_conv",
    )(x)
    x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name=f"{name}project_bn")(x)
    if fused:
        x = layers.Activation(activation, name=f"{name}project_activation")(x)
    return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)


def EfficientNetV2(
    width_coefficient,
    depth_coefficient,
    default_size,
    dropout_rate=0.2,
    drop_connect_rate=0.2,
    depth_divisor=8,
    min_depth=8,
    bn_momentum=0.9,
    activation="swish",
    blocks_args="default",
    name="efficientnetv2",
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
    weights_name=None,
    variant=None,
):
    """Instantiates an EfficientNetV2 of the given scaling.

    Args:
        width_coefficient: Scaling of the number of channels.
        depth_coefficient: Scaling of the number of blocks.
        default_size: Default input image size.
        dropout_rate: Dropout rate before the classifier.
        drop_connect_rate: Dropout rate of the residual branches (grows linearly up to it).
        depth_divisor: The channel counts are multiples of it.
        min_depth: Minimum number of channels.
        bn_momentum: Momentum of the BatchNormalization layers.
        activation: Activation function.
        blocks_args: `"default"` (the stages of `variant`, else of `name`) or a list of
            stage dicts like the values of `DEFAULT_BLOCKS_ARGS`.
        name: Model name.
        include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, include_preprocessing: As in `EfficientNetV2B0`.
        weights_name: Key of `WEIGHTS_HASHES` for `weights="imagenet"`.
        variant: Key of `DEFAULT_BLOCKS_ARGS` (default: `name`), also choosing the
            preprocessing (B variants normalize with the ImageNet statistics) and the
            ImageNet weights file (so a custom `name` keeps Keras' file).

    Returns:
        A `Functional` model.
    """
    variant = variant or name
    if blocks_args == "default":
        if variant not in DEFAULT_BLOCKS_ARGS:
            raise ValueError(
                f"{name}: no default `blocks_args` for {variant!r}; expected one of "
                f"{sorted(DEFAULT_BLOCKS_ARGS)} or a list of stage dicts."
            )
        blocks_args = DEFAULT_BLOCKS_ARGS[variant]
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

    x = img_input
    if include_preprocessing:
        channels = input_shape[axis - 1]
        if variant.split("-")[-1].startswith("b") and channels == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406],
                variance=[0.229**2, 0.224**2, 0.225**2],
                axis=axis,
            )(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)

    def scaled(filters):
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = layers.Conv2D(
        filters=scaled(blocks_args[0]["input_filters"]),
        kernel_size=3,
        strides=2,
        kernel_initializer=CONV_KERNEL_INITIALIZER,
        padding="same",
        use_bias=False,
        name="stem_conv",
    )(x)
    x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    blocks_args = copy.deepcopy(blocks_args)
    total = float(sum(args["num_repeat"] for args in blocks_args))
    index = 0
    for i, args in enumerate(blocks_args):
        if args["num_repeat"] <= 0:
            raise ValueError(
                f"{name}: the number of repeats in `EfficientNetV2` must be > 0. "
                f"Received: num_repeat={args['num_repeat']}"
            )
        args["input_filters"] = scaled(args["input_filters"])
        args["output_filters"] = scaled(args["output_filters"])
        builder = _fused_mbconv if args.pop("conv_type") == 1 else _mbconv
        for j in range(round_repeats(args.pop("num_repeat"), depth_coefficient)):
            if j > 0:
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = builder(
                x,
                activation=activation,
                bn_momentum=bn_momentum,
                survival_probability=drop_connect_rate * index / total,
                name=f"block{i + 1}{chr(j + 97)}_",
                **args,
            )
            index += 1

    x = _conv(scaled(1280), 1, 1, "top_conv", data_format=image_data_format())(x)
    x = layers.BatchNormalization(axis=axis, momentum=bn_momentum, name="top_bn")(x)
    x = layers.Activation(activation=activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(
            classes,
            activation=classifier_activation,
            kernel_initializer=DENSE_KERNEL_INITIALIZER,
            bias_initializer=initializers.Constant(0.0),
            name="predictions",
        )(x)
    else:
        x = imagenet_utils.pool(x, pooling, avg_name="avg_pool", max_name="max_pool")

    inputs = imagenet_utils.model_inputs(input_tensor, img_input)
    if weights == "imagenet":
        # Keras' file is named after the variant, whatever the model's own name.
        file_name = variant + (".h5" if include_top else "_notop.h5")
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

Reference: [EfficientNetV2: Smaller Models and Faster Training](
https://arxiv.org/abs/2104.00298) (ICML 2021). Preprocessing is part of the model by default
(`Rescaling`, plus `Normalization` with the ImageNet statistics for the B variants): it
takes float pixels in `[0, 255]`; `efficientnet_v2.preprocess_input` is the identity.

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
    include_preprocessing: Whether the model rescales (and normalizes) its `[0, 255]`
        inputs. Defaults to `True`.
    name: The name of the model. Defaults to `"{default}"`.

Returns:
    A model instance.
"""


def _variant(suffix, width, depth, size):
    function_name = f"EfficientNetV2{suffix.upper()}"
    key = suffix.lower() if suffix[0] == "b" else f"-{suffix.lower()}"
    default_name = f"efficientnetv2-{suffix.lower()}"

    def constructor(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        include_preprocessing=True,
        name=default_name,
    ):
        return EfficientNetV2(
            width_coefficient=width,
            depth_coefficient=depth,
            default_size=size,
            name=name,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            include_preprocessing=include_preprocessing,
            weights_name=key,
            variant=default_name,
        )

    constructor.__name__ = constructor.__qualname__ = function_name
    constructor.__doc__ = _DOC.format(name=function_name, default=default_name)
    return constructor


# (width, depth, default size) of each variant.
EfficientNetV2B0 = _variant("b0", 1.0, 1.0, 224)
EfficientNetV2B1 = _variant("b1", 1.0, 1.1, 240)
EfficientNetV2B2 = _variant("b2", 1.1, 1.2, 260)
EfficientNetV2B3 = _variant("b3", 1.2, 1.4, 300)
EfficientNetV2S = _variant("s", 1.0, 1.0, 384)
EfficientNetV2M = _variant("m", 1.0, 1.0, 480)
EfficientNetV2L = _variant("l", 1.0, 1.0, 480)


def preprocess_input(x, data_format=None):
    """The identity: EfficientNetV2 models rescale their inputs themselves
    (`include_preprocessing=True`).

    Kept so that `keras.applications.efficientnet_v2.preprocess_input` exists, as in Keras.

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
