"""`keras.applications.inception_v3`: Inception-v3 (Szegedy et al., 2015) with Keras 3's layer
names and creation order (so Keras' weight files load by order).

Inputs are preprocessed in `"tf"` mode (scaled to [-1, 1]); default input 299x299.
"""

from unikeras import layers
from unikeras.applications import imagenet_utils as utils

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
WEIGHTS = (
    ("inception_v3_weights_tf_dim_ordering_tf_kernels.h5", "9a0d58056eeedaa3f26cb7ebd46da564"),
    (
        "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "bcbd6486424b2319ff4ef7d526e38f63",
    ),
)


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """Convolution (no bias), BatchNormalization (no scale) and ReLU.

    Args:
        x: Input tensor.
        filters: Number of output channels.
        num_row, num_col: Kernel height and width.
        padding: `"same"` or `"valid"`.
        strides: Convolution strides.
        name: Optional prefix: the layers are `<name>_conv`, `<name>_bn` and `<name>`.

    Returns:
        The output tensor.
    """
    x = layers.Conv2D(
        filters,
        (num_row, num_col),
        strides=strides,
        padding=padding,
        use_bias=False,
        name=None if name is None else f"{name}_conv",
    )(x)
    x = layers.BatchNormalization(
        axis=utils.bn_axis(), scale=False, name=None if name is None else f"{name}_bn"
    )(x)
    return layers.Activation("relu", name=name)(x)


def _chain(x, specs):
    """Applies `conv2d_bn` for each `(filters, rows, cols)` spec in turn."""
    for filters, rows, cols in specs:
        x = conv2d_bn(x, filters, rows, cols)
    return x


def _avg_branch(x, filters):
    x = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(x, filters, 1, 1)


def InceptionV3(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_v3",
):
    """Instantiates the Inception v3 architecture (Keras 3 layer names).

    Args:
        include_top: Whether to include the classifier (global average pooling and a
            `classes`-way Dense layer named `predictions`).
        weights: `None` (random initialization), `"imagenet"` (Keras' ImageNet weights,
            fetched into the Keras cache by `keras.utils.get_file`) or a weights file path.
        input_tensor: Optional Keras tensor (output of `keras.Input()`) as the image input.
        input_shape: Optional input shape (without batch), only when `include_top=False`
            (else it must be `(299, 299, 3)`); 3 channels, at least 75x75.
        pooling: With `include_top=False`: `None` (4D output), `"avg"` or `"max"`.
        classes: Number of classes when `include_top=True` and no `weights` are given.
        classifier_activation: Activation of the `predictions` layer (`None` or
            `"softmax"` with pretrained weights).
        name: Name of the model.

    Returns:
        A functional `Model`.
    """
    utils.check_weights_argument(name, weights, include_top, classes)
    input_shape = utils.obtain_input_shape(
        input_shape,
        default_size=299,
        min_size=75,
        data_format=utils.image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    img_input = utils.image_input(input_tensor, input_shape)
    axis = utils.bn_axis()

    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    # mixed0-2: 35x35 blocks.
    for i, pool_filters in enumerate((32, 64, 64)):
        branches = [
            conv2d_bn(x, 64, 1, 1),
            _chain(x, [(48, 1, 1), (64, 5, 5)]),
            _chain(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3)]),
            _avg_branch(x, pool_filters),
        ]
        x = layers.concatenate(branches, axis=axis, name=f"mixed{i}")

    # mixed3: reduction to 17x17.
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _chain(x, [(64, 1, 1), (96, 3, 3)])
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch3x3dbl, branch_pool], axis=axis, name="mixed3")

    # mixed4-7: 17x17 blocks with factorized 7x7 convolutions.
    for i, width in enumerate((128, 160, 160, 192)):
        branches = [
            conv2d_bn(x, 192, 1, 1),
            _chain(x, [(width, 1, 1), (width, 1, 7), (192, 7, 1)]),
            _chain(
                x,
                [(width, 1, 1), (width, 7, 1), (width, 1, 7), (width, 7, 1), (192, 1, 7)],
            ),
            _avg_branch(x, 192),
        ]
        x = layers.concatenate(branches, axis=axis, name=f"mixed{4 + i}")

    # mixed8: reduction to 8x8.
    branch3x3 = conv2d_bn(x, 192, 1, 1)
    branch3x3 = conv2d_bn(branch3x3, 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _chain(x, [(192, 1, 1), (192, 1, 7), (192, 7, 1)])
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch7x7x3, branch_pool], axis=axis, name="mixed8")

    # mixed9-10: 8x8 blocks with split 1x3 / 3x1 convolutions.
    for i in range(2):
        branch1x1 = conv2d_bn(x, 320, 1, 1)
        branch3x3 = conv2d_bn(x, 384, 1, 1)
        branch3x3 = layers.concatenate(
            [conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)],
            axis=axis,
            name=f"mixed9_{i}",
        )
        branch3x3dbl = _chain(x, [(448, 1, 1), (384, 3, 3)])
        branch3x3dbl = layers.concatenate(
            [conv2d_bn(branch3x3dbl, 384, 1, 3), conv2d_bn(branch3x3dbl, 384, 3, 1)],
            axis=axis,
        )
        branch_pool = _avg_branch(x, 192)
        x = layers.concatenate(
            [branch1x1, branch3x3, branch3x3dbl, branch_pool], axis=axis, name=f"mixed{9 + i}"
        )

    if include_top:
        x = utils.pool_or_classify(x, True, None, classes, classifier_activation, weights)
    else:
        x = utils.pool(x, pooling)
    file_name, file_hash = WEIGHTS[0 if include_top else 1]
    return utils.finish_model(
        utils.model_inputs(input_tensor, img_input),
        x,
        name,
        weights,
        file_name,
        _BASE + file_name,
        file_hash,
    )


def preprocess_input(x, data_format=None):
    """Preprocesses images for Inception v3: scales [0, 255] to [-1, 1] (`"tf"` mode).

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
