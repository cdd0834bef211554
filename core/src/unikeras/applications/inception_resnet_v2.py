"""`keras.applications.inception_resnet_v2`: Inception-ResNet-v2 (Szegedy et al., 2016) with
Keras 3's layer names and creation order (so Keras' weight files load by order).

Inputs are preprocessed in `"tf"` mode (scaled to [-1, 1]); default input 299x299.
"""

from unikeras import layers
from unikeras.applications import imagenet_utils as utils
from unikeras.saving import register_keras_serializable

BASE_WEIGHT_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/"
)
WEIGHTS = (
    (
        "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5",
        "e693bd0210a403b3192acc6073ad2e96",
    ),
    (
        "inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "d19885ff4a710c122648d3b5c3b684e4",
    ),
)


def conv2d_bn(
    x, filters, kernel_size, strides=1, padding="same", activation="relu", use_bias=False, name=None
):
    """Convolution, then BatchNormalization (no scale) unless `use_bias`, then `activation`.

    Args:
        x: Input tensor.
        filters: Number of output channels.
        kernel_size: Kernel size.
        strides: Convolution strides.
        padding: `"same"` or `"valid"`.
        activation: Activation name, or `None`.
        use_bias: Whether the convolution has a bias (then no BatchNormalization).
        name: Optional name: the layers are `<name>`, `<name>_bn` and `<name>_ac`.

    Returns:
        The output tensor.
    """
    x = layers.Conv2D(
        filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name
    )(x)
    if not use_bias:
        x = layers.BatchNormalization(
            axis=utils.bn_axis(), scale=False, name=None if name is None else f"{name}_bn"
        )(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


@register_keras_serializable(package="unikeras.applications")
class CustomScaleLayer(layers.Layer):
    """Returns `inputs[0] + inputs[1] * scale` (the scaled residual of Inception-ResNet).

    Args:
        scale: The residual's scale factor.
    """

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def get_config(self):
        config = super().get_config()
        config.update({"scale": self.scale})
        return config

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def compute_output_shape(self, input_shape):
        return input_shape[0]


def _chain(x, specs):
    for filters, kernel in specs:
        x = conv2d_bn(x, filters, kernel)
    return x


def inception_resnet_block(x, scale, block_type, block_idx, activation="relu"):
    """An Inception-ResNet block: parallel branches, a 1x1 projection, a scaled residual sum.

    Args:
        x: Input tensor.
        scale: Scale of the residual branch.
        block_type: `"block35"`, `"block17"` or `"block8"`.
        block_idx: Index of the block (names are `<block_type>_<block_idx>_...`).
        activation: Activation after the sum, or `None`.

    Returns:
        The output tensor.
    """
    if block_type == "block35":
        branches = [
            conv2d_bn(x, 32, 1),
            _chain(x, [(32, 1), (32, 3)]),
            _chain(x, [(32, 1), (48, 3), (64, 3)]),
        ]
    elif block_type == "block17":
        branches = [conv2d_bn(x, 192, 1), _chain(x, [(128, 1), (160, [1, 7]), (192, [7, 1])])]
    elif block_type == "block8":
        branches = [conv2d_bn(x, 192, 1), _chain(x, [(192, 1), (224, [1, 3]), (256, [3, 1])])]
    else:
        raise ValueError(
            'Unknown Inception-ResNet block type. Expects "block35", "block17" or "block8", '
            f"but got: {block_type}"
        )
    block_name = f"{block_type}_{block_idx}"
    axis = utils.bn_axis()
    mixed = layers.Concatenate(axis=axis, name=f"{block_name}_mixed")(branches)
    up = conv2d_bn(
        mixed, x.shape[axis], 1, activation=None, use_bias=True, name=f"{block_name}_conv"
    )
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def InceptionResNetV2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="inception_resnet_v2",
):
    """Instantiates the Inception-ResNet v2 architecture (Keras 3 layer names).

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

    # Stem.
    x = conv2d_bn(img_input, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)

    # Mixed 5b (Inception-A).
    branches = [
        conv2d_bn(x, 96, 1),
        _chain(x, [(48, 1), (64, 5)]),
        _chain(x, [(64, 1), (96, 3), (96, 3)]),
    ]
    branch_pool = layers.AveragePooling2D(3, strides=1, padding="same")(x)
    branches.append(conv2d_bn(branch_pool, 64, 1))
    x = layers.Concatenate(axis=axis, name="mixed_5b")(branches)
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)

    # Mixed 6a (Reduction-A).
    branches = [
        conv2d_bn(x, 384, 3, strides=2, padding="valid"),
        conv2d_bn(_chain(x, [(256, 1), (256, 3)]), 384, 3, strides=2, padding="valid"),
        layers.MaxPooling2D(3, strides=2, padding="valid")(x),
    ]
    x = layers.Concatenate(axis=axis, name="mixed_6a")(branches)
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)

    # Mixed 7a (Reduction-B).
    branches = [
        conv2d_bn(conv2d_bn(x, 256, 1), 384, 3, strides=2, padding="valid"),
        conv2d_bn(conv2d_bn(x, 256, 1), 288, 3, strides=2, padding="valid"),
        conv2d_bn(_chain(x, [(256, 1), (288, 3)]), 320, 3, strides=2, padding="valid"),
        layers.MaxPooling2D(3, strides=2, padding="valid")(x),
    ]
    x = layers.Concatenate(axis=axis, name="mixed_7a")(branches)
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)
    x = conv2d_bn(x, 1536, 1, name="conv_7b")

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
        BASE_WEIGHT_URL + file_name,
        file_hash,
    )


def preprocess_input(x, data_format=None):
    """Preprocesses images for Inception-ResNet v2: scales [0, 255] to [-1, 1] (`"tf"`).

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
