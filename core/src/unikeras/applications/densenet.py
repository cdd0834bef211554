"""DenseNet 121/169/201, as `keras.applications.densenet`.

Reference: [Densely Connected Convolutional Networks](https://arxiv.org/abs/1608.06993)
(CVPR 2017).

Layer names and weight order are Keras 3.15.1's, so Keras' ImageNet files
(`densenet<depth>_weights_tf_dim_ordering_tf_kernels[_notop].h5`) load and `set_weights`
with a Keras model's `get_weights()` lines up.
"""

from unikeras import layers
from unikeras.applications import imagenet_utils
from unikeras.backend.config import image_data_format

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"

# Blocks per dense block -> (file stem, md5 of the file with top, md5 without top).
_WEIGHTS = {
    (6, 12, 24, 16): (
        "densenet121",
        "9d60b8095a5708f2dcce2bca79d332c7",
        "30ee3e1110167f948a6b9946edeeb738",
    ),
    (6, 12, 32, 32): (
        "densenet169",
        "d699b8f76981ab1b30698df4c175e90b",
        "b8c4d4c20dd625c148057b9ff1c1176b",
    ),
    (6, 12, 48, 32): (
        "densenet201",
        "1ceb130c1ea1b78c3bf6114dbdfd8807",
        "c13680b51ded0fb44dff2d8f86ac8bb1",
    ),
}

_EPSILON = 1.001e-5


def _bn_relu(x, axis, name):
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name=f"{name}_bn")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def _conv_block(x, growth_rate, axis, name):
    """BN-ReLU-1x1 conv (4 * growth_rate), BN-ReLU-3x3 conv (growth_rate), concatenated to
    the input."""
    y = _bn_relu(x, axis, f"{name}_0")
    y = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(y)
    y = _bn_relu(y, axis, f"{name}_1")
    y = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    return layers.Concatenate(axis=axis, name=f"{name}_concat")([x, y])


def _dense_block(x, blocks, axis, name):
    for i in range(blocks):
        x = _conv_block(x, 32, axis, name=f"{name}_block{i + 1}")
    return x


def _transition_block(x, reduction, axis, name):
    """BN-ReLU, a 1x1 conv keeping `reduction` of the channels, 2x2 average pooling."""
    x = _bn_relu(x, axis, name)
    x = layers.Conv2D(int(x.shape[axis] * reduction), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def DenseNet(
    blocks,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="densenet",
):
    """Instantiates a DenseNet with `blocks` building blocks in its four dense blocks.

    Args:
        blocks: Numbers of building blocks of the four dense blocks.
        include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation, name: As in `DenseNet121`.

    Returns:
        A `Functional` model.
    """
    if image_data_format() == "channels_first":
        raise ValueError(
            f"{name}: DenseNet does not support the `channels_first` image data format. "
            "Switch to `channels_last` (keras.config.set_image_data_format)."
        )
    imagenet_utils.check_weights_argument(name, weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=224,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    axis = 3

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn_relu(x, axis, "conv1")
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, count in enumerate(blocks):
        x = _dense_block(x, count, axis, name=f"conv{stage + 2}")
        if stage < 3:
            x = _transition_block(x, 0.5, axis, name=f"pool{stage + 2}")
    x = layers.BatchNormalization(axis=axis, epsilon=_EPSILON, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool(x, pooling, avg_name="avg_pool", max_name="max_pool")

    inputs = imagenet_utils.model_inputs(input_tensor, img_input)
    if weights == "imagenet":
        known = _WEIGHTS.get(tuple(blocks))
        if known is None:
            raise ValueError(
                f"{name}: no ImageNet weights for blocks={list(blocks)}; Keras has them for "
                f"{[list(k) for k in _WEIGHTS]}."
            )
        stem, top_hash, notop_hash = known
        file_name = f"{stem}_weights_tf_dim_ordering_tf_kernels" + (
            ".h5" if include_top else "_notop.h5"
        )
        return imagenet_utils.finish_model(
            inputs,
            x,
            name,
            weights,
            file_name,
            BASE_WEIGHTS_PATH + file_name,
            top_hash if include_top else notop_hash,
        )
    return imagenet_utils.finish_model(inputs, x, name, weights)


_DOC = """Instantiates the {name} architecture.

Reference: [Densely Connected Convolutional Networks](https://arxiv.org/abs/1608.06993)
(CVPR 2017). Call `keras.applications.densenet.preprocess_input` on the inputs (pixels in
`[0, 255]`; it scales them to `[0, 1]` and normalizes each channel with the ImageNet
statistics).

Args:
    include_top: Whether to include the classification layer. Defaults to `True`.
    weights: `None` (random initialization), `"imagenet"` (ImageNet weights, Keras' file
        through `keras.utils.get_file`) or the path of a weights file. Defaults to
        `"imagenet"`.
    input_tensor: Optional Keras tensor (output of `layers.Input()`) to use as the input.
    input_shape: Optional shape tuple with 3 channels, only with `include_top=False`
        (otherwise `(224, 224, 3)`); at least 32x32.
    pooling: With `include_top=False`: `None` (4D output of the last block), `"avg"` or
        `"max"` (global pooling, 2D output).
    classes: Number of classes, only with `include_top=True` and no `weights`. Defaults
        to 1000.
    classifier_activation: Activation of the top layer (`None` for logits); with
        pretrained weights only `None` or `"softmax"`. Defaults to `"softmax"`.
    name: The name of the model. Defaults to `"{default}"`.

Returns:
    A model instance.
"""


def _variant(function_name, blocks, default_name):
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
        return DenseNet(
            list(blocks),
            include_top,
            weights,
            input_tensor,
            input_shape,
            pooling,
            classes,
            classifier_activation,
            name=name,
        )

    constructor.__name__ = constructor.__qualname__ = function_name
    constructor.__doc__ = _DOC.format(name=function_name, default=default_name)
    return constructor


DenseNet121 = _variant("DenseNet121", (6, 12, 24, 16), "densenet121")
DenseNet169 = _variant("DenseNet169", (6, 12, 32, 32), "densenet169")
DenseNet201 = _variant("DenseNet201", (6, 12, 48, 32), "densenet201")


def preprocess_input(x, data_format=None):
    """Preprocesses a batch of images for DenseNet (`"torch"` mode): scales pixels from
    `[0, 255]` to `[0, 1]`, then subtracts the ImageNet mean and divides by its standard
    deviation per channel.

    Args:
        x: A float NumPy array or tensor of RGB pixels in `[0, 255]`, 3D or 4D.
        data_format: `"channels_last"` or `"channels_first"` (default: the global image
            data format).

    Returns:
        The preprocessed array or tensor.
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions into `(class_id, class_name, score)` tuples.

    Args:
        preds: A batch of predictions, shape `(samples, 1000)`.
        top: How many of the best guesses to return per sample.

    Returns:
        One list of `top` tuples per sample.
    """
    return imagenet_utils.decode_predictions(preds, top=top)
