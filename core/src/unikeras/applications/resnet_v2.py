"""`keras.applications.resnet_v2`: ResNet50V2, ResNet101V2 and ResNet152V2 (He et al., 2016).

Pre-activation residual blocks with Keras 3's layer names; inputs are preprocessed in `"tf"`
mode (scaled to [-1, 1]).
"""

from unikeras.applications import imagenet_utils as utils
from unikeras.applications import resnet


def _v2_stack(depths):
    def stack_fn(x):
        x = resnet.stack_residual_blocks_v2(x, 64, depths[0], name="conv2")
        x = resnet.stack_residual_blocks_v2(x, 128, depths[1], name="conv3")
        x = resnet.stack_residual_blocks_v2(x, 256, depths[2], name="conv4")
        return resnet.stack_residual_blocks_v2(x, 512, depths[3], stride1=1, name="conv5")

    return stack_fn


def _resnet_v2(depths, weights_name, **kwargs):
    return resnet.ResNet(_v2_stack(depths), True, True, weights_name=weights_name, **kwargs)


def ResNet50V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet50v2",
):
    return _resnet_v2(
        (3, 4, 6, 3),
        "resnet50v2",
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def ResNet101V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet101v2",
):
    return _resnet_v2(
        (3, 4, 23, 3),
        "resnet101v2",
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


def ResNet152V2(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="resnet152v2",
):
    return _resnet_v2(
        (3, 8, 36, 3),
        "resnet152v2",
        include_top=include_top,
        weights=weights,
        input_tensor=input_tensor,
        input_shape=input_shape,
        pooling=pooling,
        classes=classes,
        classifier_activation=classifier_activation,
        name=name,
    )


for _fn, _depth in ((ResNet50V2, 50), (ResNet101V2, 101), (ResNet152V2, 152)):
    _fn.__doc__ = (
        f"Instantiates the ResNet{_depth}V2 architecture (Keras 3 layer names).\n"
        + resnet._ARGS_DOC
    )


def preprocess_input(x, data_format=None):
    """Preprocesses images for ResNetV2: scales [0, 255] to [-1, 1] (`"tf"` mode).

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
