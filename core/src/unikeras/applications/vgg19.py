"""`keras.applications.vgg19`: VGG19 (Simonyan & Zisserman, 2014) with Keras 3's layer names.

Inputs are preprocessed in `"caffe"` mode.
"""

from unikeras.applications.vgg16 import (  # noqa: F401
    _ARGS_DOC,
    build_vgg,
    decode_predictions,
    preprocess_input,
)


def VGG19(
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    name="vgg19",
):
    return build_vgg(
        "vgg19",
        (2, 2, 4, 4, 4),
        include_top,
        weights,
        input_tensor,
        input_shape,
        pooling,
        classes,
        classifier_activation,
        name,
    )


VGG19.__doc__ = "Instantiates the VGG19 model (Keras 3 layer names).\n" + _ARGS_DOC
