"""`keras.applications`: ImageNet architectures with Keras 3's layer names and weight order.

Each family lives in its own module (`keras.applications.resnet`, `.mobilenet_v2`, ...) with
its `preprocess_input` and `decode_predictions`. The modules are imported on first access,
so `import unikeras` does not build the zoo.
"""

import importlib as _importlib

# Public model functions and the module that defines each one.
_MODELS = {
    "ResNet50": "resnet",
    "ResNet101": "resnet",
    "ResNet152": "resnet",
    "ResNet50V2": "resnet_v2",
    "ResNet101V2": "resnet_v2",
    "ResNet152V2": "resnet_v2",
    "VGG16": "vgg16",
    "VGG19": "vgg19",
    "Xception": "xception",
    "InceptionV3": "inception_v3",
    "InceptionResNetV2": "inception_resnet_v2",
    "MobileNet": "mobilenet",
    "MobileNetV2": "mobilenet_v2",
    "MobileNetV3Small": "mobilenet_v3",
    "MobileNetV3Large": "mobilenet_v3",
    "NASNetMobile": "nasnet",
    "NASNetLarge": "nasnet",
    "ConvNeXtTiny": "convnext",
    "ConvNeXtSmall": "convnext",
    "ConvNeXtBase": "convnext",
    "ConvNeXtLarge": "convnext",
    "ConvNeXtXLarge": "convnext",
    "DenseNet121": "densenet",
    "DenseNet169": "densenet",
    "DenseNet201": "densenet",
    "EfficientNetB0": "efficientnet",
    "EfficientNetB1": "efficientnet",
    "EfficientNetB2": "efficientnet",
    "EfficientNetB3": "efficientnet",
    "EfficientNetB4": "efficientnet",
    "EfficientNetB5": "efficientnet",
    "EfficientNetB6": "efficientnet",
    "EfficientNetB7": "efficientnet",
    "EfficientNetV2B0": "efficientnet_v2",
    "EfficientNetV2B1": "efficientnet_v2",
    "EfficientNetV2B2": "efficientnet_v2",
    "EfficientNetV2B3": "efficientnet_v2",
    "EfficientNetV2S": "efficientnet_v2",
    "EfficientNetV2M": "efficientnet_v2",
    "EfficientNetV2L": "efficientnet_v2",
}

# Public submodules (`keras.applications.<name>`).
_SUBMODULES = {
    "imagenet_utils",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
    "inception_v3",
    "inception_resnet_v2",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
}


def __getattr__(name):
    if name in _MODELS:
        module = _importlib.import_module(f"{__name__}.{_MODELS[name]}")
        return getattr(module, name)
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'unikeras.applications' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_MODELS) | _SUBMODULES)
