"""`keras.applications.vgg16`: VGG16 (Simonyan & Zisserman, 2014) with Keras 3's layer names.

Inputs are preprocessed in `"caffe"` mode.
"""

from unikeras import layers
from unikeras.applications import imagenet_utils as utils

_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"
# Keras' weight files: (with top, md5), (without top, md5).
WEIGHTS = {
    "vgg16": (
        ("vgg16_weights_tf_dim_ordering_tf_kernels.h5", "64373286793e3c8b2b4e3219cbf3544b"),
        ("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc"),
    ),
    "vgg19": (
        ("vgg19_weights_tf_dim_ordering_tf_kernels.h5", "cbe5617147190e668d6c5d5026f83318"),
        ("vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "253f8cb515780f3b799900260a226db6"),
    ),
}

_ARGS_DOC = """
    Args:
        include_top: Whether to include the 3 fully-connected layers (`fc1`, `fc2`,
            `predictions`) after flattening.
        weights: `None` (random initialization), `"imagenet"` (Keras' ImageNet weights,
            fetched into the Keras cache by `keras.utils.get_file`) or a weights file path.
        input_tensor: Optional Keras tensor (output of `keras.Input()`) as the image input.
        input_shape: Optional input shape (without batch), only when `include_top=False`
            (else it must be `(224, 224, 3)`); 3 channels, at least 32x32.
        pooling: With `include_top=False`: `None` (4D output), `"avg"` or `"max"`.
        classes: Number of classes when `include_top=True` and no `weights` are given.
        classifier_activation: Activation of the `predictions` layer (`None` or
            `"softmax"` with pretrained weights).
        name: Name of the model.

    Returns:
        A functional `Model`.
"""


def build_vgg(
    key,
    convs_per_block,
    include_top,
    weights,
    input_tensor,
    input_shape,
    pooling,
    classes,
    classifier_activation,
    name,
):
    """Builds a VGG network with `convs_per_block[i]` 3x3 convolutions in block `i + 1`."""
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
    x = img_input
    for block, (filters, count) in enumerate(zip((64, 128, 256, 512, 512), convs_per_block), 1):
        for i in range(1, count + 1):
            x = layers.Conv2D(
                filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}"
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = utils.pool(x, pooling)
    file_name, file_hash = WEIGHTS[key][0 if include_top else 1]
    return utils.finish_model(
        utils.model_inputs(input_tensor, img_input),
        x,
        name,
        weights,
        file_name,
        f"{_BASE}{key}/{file_name}",
        file_hash,
    )


def VGG16(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg16",
):
    return build_vgg(
        "vgg16",
        (2, 2, 3, 3, 3),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


VGG16.__doc__ = "Instantiates the VGG16 model (Keras 3 layer names).\n" + _ARGS_DOC


def preprocess_input(x, data_format=None):
    """Preprocesses images for VGG: RGB to BGR, then each channel zero-centred by the
    ImageNet mean (`"caffe"` mode).

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
