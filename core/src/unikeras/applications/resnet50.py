"""`keras.applications.resnet50`: ResNet50 with its `preprocess_input`/`decode_predictions`."""

from unikeras.applications.resnet import (  # noqa: F401
    ResNet50,
    decode_predictions,
    preprocess_input,
)
