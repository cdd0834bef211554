"""`keras.applications.nasnet`: NASNet-A Mobile and Large (Zoph et al., 2018) with Keras 3's
layer names and name scopes (so weight paths and Keras' weight files line up).

Inputs are preprocessed in `"tf"` mode (scaled to [-1, 1]). Channels-last only.
"""

from unikeras import layers
from unikeras.applications import imagenet_utils as utils
from unikeras.backend.name_scope import name_scope

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"
# default size: ((cache name, URL file, md5) with top, (...) without top).
WEIGHTS = {
    224: (
        ("nasnet_mobile.h5", "NASNet-mobile.h5", "020fb642bf7360b370c678b08e0adf61"),
        ("nasnet_mobile_no_top.h5", "NASNet-mobile-no-top.h5", "1ed92395b5b598bdda52abe5c0dbfd63"),
    ),
    331: (
        ("nasnet_large.h5", "NASNet-large.h5", "11577c9a518f0070763c2b964a382f17"),
        ("nasnet_large_no_top.h5", "NASNet-large-no-top.h5", "d81d89dc07e6e56530c4e77faddd61b5"),
    ),
}

_AXIS = -1


def _bn(x, name):
    return layers.BatchNormalization(axis=_AXIS, momentum=0.9997, epsilon=1e-3, name=name)(x)


def _conv1x1(x, filters, name):
    return layers.Conv2D(
        filters,
        (1, 1),
        strides=(1, 1),
        padding="same",
        name=name,
        use_bias=False,
        kernel_initializer="he_normal",
    )(x)


def _separable_conv_block(ip, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    """ReLU, separable conv (strided with correct padding), BN, ReLU, separable conv, BN."""
    with name_scope(f"separable_conv_block_{block_id}"):
        x = layers.Activation("relu")(ip)
        if strides == (2, 2):
            x = layers.ZeroPadding2D(
                padding=utils.correct_pad(x, kernel_size), name=f"separable_conv_1_pad_{block_id}"
            )(x)
            conv_pad = "valid"
        else:
            conv_pad = "same"
        x = layers.SeparableConv2D(
            filters,
            kernel_size,
            strides=strides,
            name=f"separable_conv_1_{block_id}",
            padding=conv_pad,
            use_bias=False,
        )(x)
        x = _bn(x, f"separable_conv_1_bn_{block_id}")
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(
            filters,
            kernel_size,
            name=f"separable_conv_2_{block_id}",
            padding="same",
            use_bias=False,
        )(x)
        x = _bn(x, f"separable_conv_2_bn_{block_id}")
    return x


def _adjust_block(p, ip, filters, block_id=None):
    """Matches the previous cell's output `p` to `ip`'s spatial size and `filters`."""
    with name_scope("adjust_block"):
        if p is None:
            return ip
        if p.shape[-2] != ip.shape[-2]:
            with name_scope(f"adjust_reduction_block_{block_id}"):
                p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
                p1 = layers.AveragePooling2D(
                    (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block_id}"
                )(p)
                p1 = layers.Conv2D(
                    filters // 2,
                    (1, 1),
                    padding="same",
                    use_bias=False,
                    name=f"adjust_conv_1_{block_id}",
                    kernel_initializer="he_normal",
                )(p1)
                p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
                p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
                p2 = layers.AveragePooling2D(
                    (1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block_id}"
                )(p2)
                p2 = layers.Conv2D(
                    filters // 2,
                    (1, 1),
                    padding="same",
                    use_bias=False,
                    name=f"adjust_conv_2_{block_id}",
                    kernel_initializer="he_normal",
                )(p2)
                p = layers.concatenate([p1, p2], axis=_AXIS)
                p = _bn(p, f"adjust_bn_{block_id}")
        elif p.shape[_AXIS] != filters:
            with name_scope(f"adjust_projection_block_{block_id}"):
                p = layers.Activation("relu")(p)
                p = _conv1x1(p, filters, f"adjust_conv_projection_{block_id}")
                p = _bn(p, f"adjust_bn_{block_id}")
    return p


def _avg3(x, strides, padding, name):
    return layers.AveragePooling2D((3, 3), strides=strides, padding=padding, name=name)(x)


def _normal_a_cell(ip, p, filters, block_id=None):
    """A NASNet-A normal cell; returns `(output, ip)`."""
    with name_scope(f"normal_A_block_{block_id}"):
        p = _adjust_block(p, ip, filters, block_id)
        h = layers.Activation("relu")(ip)
        h = _conv1x1(h, filters, f"normal_conv_1_{block_id}")
        h = _bn(h, f"normal_bn_1_{block_id}")
        with name_scope("block_1"):
            x1_1 = _separable_conv_block(
                h, filters, kernel_size=(5, 5), block_id=f"normal_left1_{block_id}"
            )
            x1_2 = _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}")
            x1 = layers.add([x1_1, x1_2], name=f"normal_add_1_{block_id}")
        with name_scope("block_2"):
            x2_1 = _separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}")
            x2_2 = _separable_conv_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")
            x2 = layers.add([x2_1, x2_2], name=f"normal_add_2_{block_id}")
        with name_scope("block_3"):
            x3 = _avg3(h, (1, 1), "same", f"normal_left3_{block_id}")
            x3 = layers.add([x3, p], name=f"normal_add_3_{block_id}")
        with name_scope("block_4"):
            x4_1 = _avg3(p, (1, 1), "same", f"normal_left4_{block_id}")
            x4_2 = _avg3(p, (1, 1), "same", f"normal_right4_{block_id}")
            x4 = layers.add([x4_1, x4_2], name=f"normal_add_4_{block_id}")
        with name_scope("block_5"):
            x5 = _separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}")
            x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")
        x = layers.concatenate(
            [p, x1, x2, x3, x4, x5], axis=_AXIS, name=f"normal_concat_{block_id}"
        )
    return x, ip


def _reduction_a_cell(ip, p, filters, block_id=None):
    """A NASNet-A reduction cell (halves the spatial size); returns `(output, ip)`."""
    with name_scope(f"reduction_A_block_{block_id}"):
        p = _adjust_block(p, ip, filters, block_id)
        h = layers.Activation("relu")(ip)
        h = _conv1x1(h, filters, f"reduction_conv_1_{block_id}")
        h = _bn(h, f"reduction_bn_1_{block_id}")
        h3 = layers.ZeroPadding2D(
            padding=utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}"
        )(h)
        with name_scope("block_1"):
            x1_1 = _separable_conv_block(
                h, filters, (5, 5), strides=(2, 2), block_id=f"reduction_left1_{block_id}"
            )
            x1_2 = _separable_conv_block(
                p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right1_{block_id}"
            )
            x1 = layers.add([x1_1, x1_2], name=f"reduction_add_1_{block_id}")
        with name_scope("block_2"):
            x2_1 = layers.MaxPooling2D(
                (3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}"
            )(h3)
            x2_2 = _separable_conv_block(
                p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right2_{block_id}"
            )
            x2 = layers.add([x2_1, x2_2], name=f"reduction_add_2_{block_id}")
        with name_scope("block_3"):
            x3_1 = _avg3(h3, (2, 2), "valid", f"reduction_left3_{block_id}")
            x3_2 = _separable_conv_block(
                p, filters, (5, 5), strides=(2, 2), block_id=f"reduction_right3_{block_id}"
            )
            x3 = layers.add([x3_1, x3_2], name=f"reduction_add3_{block_id}")
        with name_scope("block_4"):
            x4 = _avg3(x1, (1, 1), "same", f"reduction_left4_{block_id}")
            x4 = layers.add([x2, x4])
        with name_scope("block_5"):
            x5_1 = _separable_conv_block(
                x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}"
            )
            x5_2 = layers.MaxPooling2D(
                (3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}"
            )(h3)
            x5 = layers.add([x5_1, x5_2], name=f"reduction_add4_{block_id}")
        x = layers.concatenate([x2, x3, x4, x5], axis=_AXIS, name=f"reduction_concat_{block_id}")
        return x, ip


def NASNet(
    input_shape=None,
    penultimate_filters=4032,
    num_blocks=6,
    stem_block_filters=96,
    skip_reduction=True,
    filter_multiplier=2,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    default_size=None,
    classifier_activation="softmax",
    name="NASNet",
):
    """Builds a NASNet-A network (see `NASNetMobile` and `NASNetLarge`).

    Args:
        penultimate_filters: Filters of the penultimate layer (a multiple of
            `24 * filter_multiplier ** 2`).
        num_blocks: Normal cells per stage.
        stem_block_filters: Filters of the stem convolution.
        skip_reduction: Whether the cells after a reduction skip it (take the cell before).
        filter_multiplier: Filter growth per reduction.
        default_size: Default input size (224 for Mobile, 331 for Large); ImageNet weights
            exist only for these two.
        Other arguments: as in `NASNetMobile`.

    Returns:
        A functional `Model`.
    """
    if utils.image_data_format() == "channels_first":
        raise ValueError(
            f"{name}: NASNet does not support the `channels_first` image data format. Switch "
            "to `channels_last` (keras.config.set_image_data_format or ~/.keras/keras.json)."
        )
    utils.check_weights_argument(name, weights, include_top, classes)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError(
            f"{name}: when specifying the input shape of a NASNet and loading `ImageNet` "
            "weights, the input_shape argument must be static (no None entries). Got: "
            f"`input_shape={input_shape}`."
        )
    if default_size is None:
        default_size = 331
    input_shape = utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=utils.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = utils.image_input(input_tensor, input_shape)
    if penultimate_filters % (24 * (filter_multiplier**2)) != 0:
        raise ValueError(
            f"{name}: for NASNet-A models, the `penultimate_filters` must be a multiple of "
            f"24 * (`filter_multiplier` ** 2). Current value: {penultimate_filters}"
        )
    if weights == "imagenet" and default_size not in WEIGHTS:
        raise ValueError("ImageNet weights can only be loaded with NASNetLarge or NASNetMobile")
    filters = penultimate_filters // 24

    x = layers.Conv2D(
        stem_block_filters,
        (3, 3),
        strides=(2, 2),
        padding="valid",
        use_bias=False,
        name="stem_conv1",
        kernel_initializer="he_normal",
    )(img_input)
    x = _bn(x, "stem_bn1")
    p = None
    x, p = _reduction_a_cell(x, p, filters // (filter_multiplier**2), block_id="stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for stage in range(3):
        width = filters * filter_multiplier**stage
        if stage:
            x, p0 = _reduction_a_cell(x, p, width, block_id=f"reduce_{stage * num_blocks}")
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            block = stage * num_blocks + i + (1 if stage else 0)
            x, p = _normal_a_cell(x, p, width, block_id=f"{block}")
    x = layers.Activation("relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = utils.pool(x, pooling)
    file_name = origin = file_hash = None
    if weights == "imagenet":
        file_name, url_name, file_hash = WEIGHTS[default_size][0 if include_top else 1]
        origin = BASE_WEIGHTS_PATH + url_name
    return utils.finish_model(
        utils.model_inputs(input_tensor, img_input),
        x,
        name,
        weights,
        file_name,
        origin,
        file_hash,
    )


_DOC = """Instantiates the NASNet-A {size} architecture (Keras 3 layer names).

    Args:
        input_shape: Optional input shape (without batch), only when `include_top=False`
            (else it must be `({d}, {d}, 3)`); 3 channels, at least 32x32.
        include_top: Whether to include the classifier (global average pooling and a
            `classes`-way Dense layer named `predictions`).
        weights: `None`, `"imagenet"` (Keras' ImageNet weights, fetched into the Keras
            cache by `keras.utils.get_file`) or a weights file path.
        input_tensor: Optional Keras tensor (output of `keras.Input()`) as the image input.
        pooling: With `include_top=False`: `None` (4D output), `"avg"` or `"max"`.
        classes: Number of classes when `include_top=True` and no `weights` are given.
        classifier_activation: Activation of the `predictions` layer (`None` or
            `"softmax"` with pretrained weights).
        name: Name of the model.

    Returns:
        A functional `Model`.
"""


def NASNetMobile(
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_mobile",
):
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(
        input_shape,
        penultimate_filters=1056,
        num_blocks=4,
        stem_block_filters=32,
        skip_reduction=False,
        filter_multiplier=2,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=224,
        classifier_activation=classifier_activation,
        name=name,
    )


def NASNetLarge(
    input_shape=None,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="nasnet_large",
):
    return NASNet(
        input_shape,
        penultimate_filters=4032,
        num_blocks=6,
        stem_block_filters=96,
        skip_reduction=True,
        filter_multiplier=2,
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        pooling=pooling,
        classes=classes,
        default_size=331,
        classifier_activation=classifier_activation,
        name=name,
    )


NASNetMobile.__doc__ = _DOC.format(size="Mobile", d=224)
NASNetLarge.__doc__ = _DOC.format(size="Large", d=331)


def preprocess_input(x, data_format=None):
    """Preprocesses images for NASNet: scales [0, 255] to [-1, 1] (`"tf"` mode).

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
