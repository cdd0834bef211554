"""ConvNeXt (Tiny, Small, Base, Large, XLarge), as `keras.applications.convnext`.

Reference: [A ConvNet for the 2020s](https://arxiv.org/abs/2201.03545) (CVPR 2022).

The layer names, the nesting (the stem and each downsampling step are `Sequential` models
inside the functional model) and so the weight order are Keras 3.15.1's, so Keras' ImageNet
files (`convnext_<size>.h5`, `convnext_<size>_notop.h5`) load by order and `set_weights` with a
Keras model's `get_weights()` lines up.
"""

import numpy as np

from unikeras import initializers, layers, ops, random
from unikeras.applications import imagenet_utils
from unikeras.backend.config import image_data_format
from unikeras.layers.layer import Layer
from unikeras.models.sequential import Sequential

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"

# (top, notop) sha256 digests of Keras' files.
WEIGHTS_HASHES = {
    "convnext_tiny": (
        "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
        "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
    ),
    "convnext_small": (
        "ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
        "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab",
    ),
    "convnext_base": (
        "52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
        "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45",
    ),
    "convnext_large": (
        "070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
        "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd",
    ),
    "convnext_xlarge": (
        "c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05",
    ),
}

# Blocks per stage and channels per stage of each size.
MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768]},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768]},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024]},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536]},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048]},
}

_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


class StochasticDepth(Layer):
    """Drops the whole residual branch of a sample with probability `drop_path_rate`
    (in training only; inference passes the input through).

    Args:
        drop_path_rate: Probability of dropping the branch, in `[0, 1]`.
    """

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training:
            return x
        keep = 1.0 - self.drop_path_rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        mask = ops.floor(keep + random.uniform(shape, 0, 1))
        return x / keep * mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["drop_path_rate"] = self.drop_path_rate
        return config


class LayerScale(Layer):
    """Multiplies its input by a learned per-channel scale (`gamma`), initialised to
    `init_values`.

    Args:
        init_values: Initial value of every scale.
        projection_dim: Number of channels (length of `gamma`).
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(
            shape=(self.projection_dim,),
            initializer=initializers.Constant(self.init_values),
            trainable=True,
            name="gamma",
        )

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"init_values": self.init_values, "projection_dim": self.projection_dim})
        return config


def _convnext_block(x, projection_dim, drop_path_rate, layer_scale_init_value, name):
    """One ConvNeXt block: 7x7 depthwise conv, LayerNorm, 4x pointwise MLP (as `Dense`
    layers), layer scale and the residual sum."""
    shortcut = x
    x = layers.Conv2D(
        projection_dim,
        kernel_size=7,
        padding="same",
        groups=projection_dim,
        name=f"{name}_depthwise_conv",
    )(x)
    x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
    x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
    x = layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
    if layer_scale_init_value is not None:
        x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
    if drop_path_rate:
        x = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")(x)
    else:
        x = layers.Activation("linear", name=f"{name}_identity")(x)
    return shortcut + x


def ConvNeXt(
    depths,
    projection_dims,
    drop_path_rate=0.0,
    layer_scale_init_value=1e-6,
    default_size=224,
    name="convnext",
    include_preprocessing=True,
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    weights_name=None,
):
    """Instantiates a ConvNeXt model of the given configuration.

    Args:
        depths: Number of blocks of each of the 4 stages.
        projection_dims: Channels of each of the 4 stages.
        drop_path_rate: Stochastic depth rate of the last block (linear from 0).
        layer_scale_init_value: Initial layer scale (`None`: no layer scale).
        default_size: Default input image size.
        name: Model name (also the prefix of the layer names).
        include_preprocessing: Whether the model normalizes `[0, 255]` inputs itself.
        include_top, weights, input_tensor, input_shape, pooling, classes,
        classifier_activation: As in `ConvNeXtTiny`.
        weights_name: Key of `WEIGHTS_HASHES` for `weights="imagenet"`.

    Returns:
        A `Functional` model.
    """
    if image_data_format() == "channels_first":
        raise ValueError(
            f"{name}: ConvNeXt does not support the `channels_first` image data format. "
            "Switch to `channels_last` (keras.config.set_image_data_format)."
        )
    imagenet_utils.check_weights_argument(name, weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size=default_size,
        min_size=32,
        data_format=image_data_format(),
        require_flatten=include_top,
        weights=weights,
    )
    x = imagenet_utils.image_input(input_tensor, input_shape)
    inputs = imagenet_utils.model_inputs(input_tensor, x)

    if include_preprocessing and input_shape[-1] == 3:
        x = layers.Normalization(
            mean=[m * 255 for m in _IMAGENET_MEAN],
            variance=[(s * 255) ** 2 for s in _IMAGENET_STD],
            name=f"{name}_prestem_normalization",
        )(x)

    stages_in = [
        Sequential(
            [
                layers.Conv2D(
                    projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"
                ),
                layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
            ],
            name=f"{name}_stem",
        )
    ]
    for i in range(3):
        stages_in.append(
            Sequential(
                [
                    layers.LayerNormalization(
                        epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"
                    ),
                    layers.Conv2D(
                        projection_dims[i + 1],
                        kernel_size=2,
                        strides=2,
                        name=f"{name}_downsampling_conv_{i}",
                    ),
                ],
                name=f"{name}_downsampling_block_{i}",
            )
        )

    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    index = 0
    for stage, depth in enumerate(depths):
        x = stages_in[stage](x)
        for j in range(depth):
            x = _convnext_block(
                x,
                projection_dims[stage],
                rates[index],
                layer_scale_init_value,
                name=f"{name}_stage_{stage}_block_{j}",
            )
            index += 1

    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        elif pooling == "max":
            x = layers.GlobalMaxPooling2D()(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)

    if weights == "imagenet":
        size = weights_name.split("convnext_")[-1]
        expected = MODEL_CONFIGS[size]
        if (
            list(depths) != expected["depths"]
            or list(projection_dims) != (expected["projection_dims"])
        ):
            raise ValueError(
                f"{name}: the architecture does not match the {weights_name} weights. "
                f"Expected depths {expected['depths']} and projection_dims "
                f"{expected['projection_dims']}, received {list(depths)} and "
                f"{list(projection_dims)}."
            )
        if weights_name not in name:
            raise ValueError(
                f'Model name "{name}" does not match weights variant "{weights_name}": with '
                f'weights="imagenet" the name must contain "{weights_name}".'
            )
        file_name = name + (".h5" if include_top else "_notop.h5")
        return imagenet_utils.finish_model(
            inputs,
            x,
            name,
            weights,
            file_name,
            BASE_WEIGHTS_PATH + file_name,
            WEIGHTS_HASHES[weights_name][0 if include_top else 1],
        )
    return imagenet_utils.finish_model(inputs, x, name, weights)


def _variant(size):
    default_name = f"convnext_{size}"

    def constructor(
        include_top=True,
        include_preprocessing=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        name=default_name,
    ):
        return ConvNeXt(
            depths=MODEL_CONFIGS[size]["depths"],
            projection_dims=MODEL_CONFIGS[size]["projection_dims"],
            drop_path_rate=0.0,
            layer_scale_init_value=1e-6,
            default_size=224,
            name=name,
            include_preprocessing=include_preprocessing,
            include_top=include_top,
            weights=weights,
            input_tensor=input_tensor,
            input_shape=input_shape,
            pooling=pooling,
            classes=classes,
            classifier_activation=classifier_activation,
            weights_name=default_name,
        )

    return constructor


_DOC = """Instantiates the {name} architecture.

Reference: [A ConvNet for the 2020s](https://arxiv.org/abs/2201.03545) (CVPR 2022).
Preprocessing is part of the model (a `Normalization` layer with the ImageNet statistics):
it takes float or uint8 pixels in `[0, 255]`; `convnext.preprocess_input` is the identity.

Args:
    include_top: Whether to include the classification head. Defaults to `True`.
    include_preprocessing: Whether the model normalizes its `[0, 255]` inputs. Defaults to
        `True`.
    weights: `None` (random initialization), `"imagenet"` (ImageNet-1k weights, Keras' file
        through `keras.utils.get_file`) or the path of a weights file. Defaults to
        `"imagenet"`.
    input_tensor: Optional Keras tensor (output of `layers.Input()`) to use as the input.
    input_shape: Optional shape tuple with 3 channels, only with `include_top=False`
        (at least 32x32).
    pooling: With `include_top=False`: `None` (4D output of the last stage, layer
        normalized), `"avg"` or `"max"` (global pooling, 2D output).
    classes: Number of classes, only with `include_top=True` and no `weights`. Defaults
        to 1000.
    classifier_activation: Activation of the top layer (`None` for logits); with
        pretrained weights only `None` or `"softmax"`. Defaults to `"softmax"`.
    name: The name of the model. Defaults to `"{default}"`.

Returns:
    A model instance.
"""


ConvNeXtTiny = _variant("tiny")
ConvNeXtSmall = _variant("small")
ConvNeXtBase = _variant("base")
ConvNeXtLarge = _variant("large")
ConvNeXtXLarge = _variant("xlarge")
for _name, _fn, _size in (
    ("ConvNeXtTiny", ConvNeXtTiny, "tiny"),
    ("ConvNeXtSmall", ConvNeXtSmall, "small"),
    ("ConvNeXtBase", ConvNeXtBase, "base"),
    ("ConvNeXtLarge", ConvNeXtLarge, "large"),
    ("ConvNeXtXLarge", ConvNeXtXLarge, "xlarge"),
):
    _fn.__name__ = _fn.__qualname__ = _name
    _fn.__doc__ = _DOC.format(name=_name, default=f"convnext_{_size}")


def preprocess_input(x, data_format=None):
    """The identity: ConvNeXt models normalize their inputs themselves.

    Kept so that `keras.applications.convnext.preprocess_input` exists, as in Keras.

    Args:
        x: A float NumPy array or tensor of pixels.
        data_format: Unused (kept for the common signature).

    Returns:
        `x`, unchanged.
    """
    return x


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions into `(class_id, class_name, score)` tuples.

    Args:
        preds: A batch of predictions, shape `(samples, 1000)`.
        top: How many of the best guesses to return per sample.

    Returns:
        One list of `top` tuples per sample.
    """
    return imagenet_utils.decode_predictions(preds, top=top)
