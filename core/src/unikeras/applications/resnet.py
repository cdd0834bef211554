"""`keras.applications.resnet`: ResNet50, ResNet101 and ResNet152 (He et al., 2015).

Layer names and weight order follow Keras 3 (`conv1_conv`, `conv2_block1_0_conv`, ...), so
Keras' ImageNet weight files load. Inputs are preprocessed in `"caffe"` mode.
"""

from unikeras import layers
from unikeras.applications import imagenet_utils as utils

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
# (with top, without top) md5 hashes of Keras' weight files.
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}

_EPS = 1.001e-5


def _bn(x, name):
    return layers.BatchNormalization(axis=utils.bn_axis(), epsilon=_EPS, name=name)(x)


def ResNet(
    stack_fn,
    preact,
    use_bias,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet",
    weights_name=None,
):
    """Builds a ResNet (v1 with `preact=False`, v2 with `preact=True`) around `stack_fn`.

    Args:
        stack_fn: Function mapping the stem's output to the last residual stage's output.
        preact: Whether the blocks use pre-activation (ResNetV2).
        use_bias: Whether the stem convolution has a bias.
        include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation, name: as in `ResNet50`.
        weights_name: Key of the ImageNet weight files (`"resnet50"`, ...).

    Returns:
        A functional `Model`.
    """
    utils.check_weights_argument(name, weights, include_top, classes)
    input_shape = utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=utils.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = utils.image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = _bn(x, "conv1_bn")
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = _bn(x, "post_bn")
        x = layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = utils.pool_or_classify(x, True, None, classes, classifier_activation, weights)
    else:
        x = utils.pool(x, pooling, "avg_pool", "max_pool")
    weights_file = file_hash = None
    if weights_name in WEIGHTS_HASHES:
        suffix = "" if include_top else "_notop"
        weights_file = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}.h5"
        file_hash = WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    return utils.finish_model(
        utils.model_inputs(input_tensor, img_input),
        x,
        name,
        weights,
        weights_file,
        f"{BASE_WEIGHTS_PATH}{weights_file}",
        file_hash,
    )


def residual_block_v1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """A bottleneck residual block (ResNet v1): 1x1, kxk, 1x1 convolutions and a shortcut."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(shortcut, f"{name}_0_bn")
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _bn(x, f"{name}_1_bn")
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = _bn(x, f"{name}_2_bn")
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = _bn(x, f"{name}_3_bn")
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def stack_residual_blocks_v1(x, filters, blocks, stride1=2, name=None):
    """`blocks` v1 residual blocks, the first with a convolution shortcut and `stride1`."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def residual_block_v2(x, filters, kernel_size=3, stride=1, conv_shortcut=False, name=None):
    """A pre-activation bottleneck residual block (ResNet v2)."""
    preact = _bn(x, f"{name}_preact_bn")
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _bn(x, f"{name}_1_bn")
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(
        x
    )
    x = _bn(x, f"{name}_2_bn")
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_residual_blocks_v2(x, filters, blocks, stride1=2, name=None):
    """`blocks` v2 residual blocks; the first has a convolution shortcut, the last `stride1`."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{i}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _v1_stack(depths):
    def stack_fn(x):
        x = stack_residual_blocks_v1(x, 64, depths[0], stride1=1, name="conv2")
        x = stack_residual_blocks_v1(x, 128, depths[1], name="conv3")
        x = stack_residual_blocks_v1(x, 256, depths[2], name="conv4")
        return stack_residual_blocks_v1(x, 512, depths[3], name="conv5")

    return stack_fn


_ARGS_DOC = """
    Args:
        include_top: Whether to include the classifier (global average pooling and a
            `classes`-way Dense layer named `predictions`).
        weights: `None` (random initialization), `"imagenet"` (Keras' ImageNet weights,
            fetched into the Keras cache by `keras.utils.get_file`) or a weights file path.
        input_tensor: Optional Keras tensor (output of `keras.Input()`) as the image input.
        input_shape: Optional input shape (without batch), only when `include_top=False`
            (else it must be the default `(224, 224, 3)`); 3 channels, at least 32x32.
        pooling: With `include_top=False`: `None` (4D output), `"avg"` or `"max"` global
            pooling.
        classes: Number of classes when `include_top=True` and no `weights` are given.
        classifier_activation: Activation of the `predictions` layer (`None` or
            `"softmax"` with pretrained weights).
        name: Name of the model.

    Returns:
        A functional `Model`.
"""


def _resnet_v1(depths, weights_name, **kwargs):
    return ResNet(_v1_stack(depths), False, True, weights_name=weights_name, **kwargs)


def ResNet50(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50",
):
    return _resnet_v1(
        (3, 4, 6, 3),
        "resnet50",
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def ResNet101(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101",
):
    return _resnet_v1(
        (3, 4, 23, 3),
        "resnet101",
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def ResNet152(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152",
):
    return _resnet_v1(
        (3, 8, 36, 3),
        "resnet152",
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


for _fn, _depth in ((ResNet50, 50), (ResNet101, 101), (ResNet152, 152)):
    _fn.__doc__ = f"Instantiates the ResNet{_depth} architecture (Keras 3 layer names).\n" + (
        _ARGS_DOC
    )


def preprocess_input(x, data_format=None):
    """Preprocesses images for ResNet: RGB to BGR, then each channel zero-centred by the
    ImageNet mean (`"caffe"` mode of `imagenet_utils.preprocess_input`).

    Args:
        x: Images (NumPy array or tensor, 3D or 4D, values in [0, 255]).
        data_format: Image data format (default `keras.config.image_data_format()`).

    Returns:
        The preprocessed images.
    """
    return utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions (see `imagenet_utils.decode_predictions`)."""
    return utils.decode_predictions(preds, top=top)
