"""`keras.applications.imagenet_utils`: shared helpers of the applications zoo.

Public: `preprocess_input` (modes `"caffe"`, `"tf"`, `"torch"`) and `decode_predictions`
(the ImageNet class index, fetched once through `keras.utils.get_file` into the Keras cache,
`~/.keras/models` or `$KERAS_HOME/models`). Internal, for the architecture modules:
`obtain_input_shape`, `correct_pad`, `validate_activation`, `check_weights_argument`,
`image_input`, `model_inputs`, `pool_or_classify` and `load_model_weights`.
"""

import json
import os
import warnings

import numpy as np

from unikeras import activations, layers, ops
from unikeras.config import floatx, image_data_format
from unikeras.utils import file_utils

CLASS_INDEX = None
CLASS_INDEX_PATH = (
    "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
)
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

# The channel statistics each mode uses (RGB order for "torch"; BGR order for "caffe").
_CAFFE_MEAN = (103.939, 116.779, 123.68)
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)


def _check_data_format(data_format):
    if data_format is None:
        return image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "Expected data_format to be one of `channels_first` or `channels_last`. "
            f"Received: data_format={data_format}"
        )
    return data_format


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocesses a tensor or NumPy array encoding a batch of images.

    Args:
        x: A floating point NumPy array or a backend tensor, 3D or 4D with 3 colour
            channels, values in [0, 255]. A floating point NumPy array is preprocessed in
            place (pass `numpy.copy(x)` to keep it); other dtypes become `floatx()`.
        data_format: `"channels_first"` or `"channels_last"`; `None` uses
            `keras.config.image_data_format()`.
        mode: `"caffe"` (RGB to BGR, then each channel zero-centred by the ImageNet mean,
            no scaling), `"tf"` (scaled to [-1, 1]) or `"torch"` (scaled to [0, 1], then
            each channel normalized by the ImageNet mean and standard deviation).

    Returns:
        The preprocessed array or tensor.

    Raises:
        ValueError: for an unknown `mode` or `data_format`.
    """
    if mode not in ("caffe", "tf", "torch"):
        raise ValueError(
            f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}"
        )
    data_format = _check_data_format(data_format)
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_axis(ndim, data_format):
    if data_format == "channels_last":
        return ndim - 1
    return 0 if ndim == 3 else 1


def _preprocess_numpy(x, data_format, mode):
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    axis = _channel_axis(x.ndim, data_format)
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        flip = [slice(None)] * x.ndim
        flip[axis] = slice(None, None, -1)
        x = x[tuple(flip)]
        mean, std = _CAFFE_MEAN, None
    index = [slice(None)] * x.ndim
    for channel in range(3):
        index[axis] = channel
        x[tuple(index)] -= mean[channel]
        if std is not None:
            x[tuple(index)] /= std[channel]
    return x


def _preprocess_tensor(x, data_format, mode):
    if mode == "tf":
        return x / 127.5 - 1.0
    ndim = len(x.shape)
    axis = _channel_axis(ndim, data_format)
    shape = [1] * ndim
    shape[axis] = 3
    if mode == "torch":
        x = x / 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x = ops.flip(x, axis=axis)
        mean, std = _CAFFE_MEAN, None
    dtype = x.dtype
    x = x - ops.reshape(ops.convert_to_tensor(np.array(mean), dtype=dtype), shape)
    if std is not None:
        x = x / ops.reshape(ops.convert_to_tensor(np.array(std), dtype=dtype), shape)
    return x


def _class_index():
    global CLASS_INDEX
    if CLASS_INDEX is None:
        path = fetch_file(
            "imagenet_class_index.json",
            CLASS_INDEX_PATH,
            CLASS_INDEX_HASH,
            what="decode_predictions: the ImageNet class index",
        )
        with open(path) as f:
            CLASS_INDEX = json.load(f)
    return CLASS_INDEX


def decode_predictions(preds, top=5):
    """Decodes the prediction of an ImageNet model.

    Args:
        preds: A batch of predictions, shape `(samples, 1000)` (NumPy array or tensor).
        top: How many top guesses to return per sample. Defaults to 5.

    Returns:
        A list (one per sample) of lists of `(class_name, class_description, score)`
        tuples, highest score first.

    Raises:
        ValueError: when `preds` is not of shape `(samples, 1000)`.
    """
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
            f"(samples, 1000)). Received array with shape: {tuple(preds.shape)}"
        )
    index = _class_index()
    preds = ops.convert_to_numpy(preds)
    results = []
    for pred in preds:
        best = pred.argsort()[-top:][::-1]
        result = [tuple(index[str(i)]) + (pred[i],) for i in best]
        result.sort(key=lambda item: item[2], reverse=True)
        results.append(result)
    return results


# --- helpers for the architecture modules ------------------------------------------------


def fetch_file(fname, origin, file_hash, what):
    """Returns the path of `fname` in the Keras cache (`<KERAS_HOME or ~/.keras>/models`),
    downloading it from `origin` when it is not there (or its hash does not match).

    A download that fails (no network) raises `OSError` naming `what`, the URL and the path
    where the file can be placed by hand.
    """
    try:
        return file_utils.get_file(fname, origin, cache_subdir="models", file_hash=file_hash)
    except ValueError:
        raise
    except Exception as error:  # get_file raises a plain Exception on URL failures
        cache = os.path.join(file_utils.keras_home(), "models", fname)
        raise OSError(
            f"{what}: could not download {fname!r} from {origin} ({error}). Without "
            f"network access, place the file at {cache!r} (the Keras cache: "
            "$KERAS_HOME/models, default ~/.keras/models); it is then used without network."
        ) from error


def check_weights_argument(model, weights, include_top, classes):
    """Validates `weights` (`None`, `"imagenet"` or a path) against `include_top`/`classes`.

    Raises:
        ValueError: naming `model` for an unknown value, or `"imagenet"` with
            `include_top=True` and `classes != 1000`.
    """
    if not (
        weights in ("imagenet", None) or (isinstance(weights, str) and os.path.exists(weights))
    ):
        raise ValueError(
            f"{model}: the `weights` argument should be either `None` (random "
            "initialization), 'imagenet' (pre-training on ImageNet), or the path to the "
            f"weights file to be loaded. Received: weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            f"{model}: if using `weights='imagenet'` with `include_top=True`, `classes` "
            f"should be 1000. Received: classes={classes}"
        )


def obtain_input_shape(
    input_shape, default_size, min_size, data_format, require_flatten, weights=None
):
    """Computes and validates a model's input shape (as Keras' `obtain_input_shape`).

    Args:
        input_shape: `None` (the default shape) or a user shape to validate.
        default_size: Default input height/width.
        min_size: Minimum input height/width.
        data_format: Image data format.
        require_flatten: Whether the model ends in a classifier that needs a static shape.
        weights: `None`, `"imagenet"` or a path; `"imagenet"` requires 3 channels.

    Returns:
        The input shape tuple (may contain `None` dims).

    Raises:
        ValueError: for a shape that is not 3D, too small, not 3 channels with ImageNet
            weights, not the default with ImageNet weights and a classifier, or dynamic with
            a classifier.
    """
    first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if first else input_shape[-1]
        if channels not in (1, 3):
            warnings.warn(
                "This model usually expects 1 or 3 input channels. However, it was passed an "
                f"input_shape with {channels} input channels.",
                stacklevel=3,
            )
        default_shape = (
            (channels, default_size, default_size)
            if first
            else (default_size, default_size, channels)
        )
    else:
        default_shape = (
            (3, default_size, default_size) if first else (default_size, default_size, 3)
        )
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(
                "When setting `include_top=True` and loading `imagenet` weights, "
                f"`input_shape` should be {default_shape}.  Received: input_shape={input_shape}"
            )
        return default_shape
    if input_shape:
        input_shape = tuple(input_shape)
        if len(input_shape) != 3:
            raise ValueError(
                "`input_shape` must be a tuple of three integers. "
                f"Received: input_shape={input_shape}"
            )
        channels = input_shape[0] if first else input_shape[-1]
        spatial = input_shape[1:] if first else input_shape[:2]
        if channels != 3 and weights == "imagenet":
            raise ValueError(
                f"The input must have 3 channels; Received `input_shape={input_shape}`"
            )
        if any(size is not None and size < min_size for size in spatial):
            raise ValueError(
                f"Input size must be at least {min_size}x{min_size}; Received: "
                f"input_shape={input_shape}"
            )
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(
            "If `include_top` is True, you should specify a static `input_shape`. "
            f"Received: input_shape={input_shape}"
        )
    return input_shape


def correct_pad(inputs, kernel_size):
    """Returns the `ZeroPadding2D` padding that makes a strided 'valid' convolution of
    `inputs` match TF's 'same' downsampling (as Keras' `correct_pad`).

    Args:
        inputs: The input tensor.
        kernel_size: An integer or a pair of integers.

    Returns:
        `((top, bottom), (left, right))`.
    """
    start = 2 if image_data_format() == "channels_first" else 1
    size = inputs.shape[start : start + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def validate_activation(classifier_activation, weights):
    """Raises `ValueError` if pretrained `weights` are used with a classifier activation
    other than `None` or `"softmax"`."""
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in (activations.get("softmax"), activations.get(None)):
        raise ValueError(
            "Only `None` and `softmax` activations are allowed for the "
            "`classifier_activation` argument when using pretrained weights, with "
            f"`include_top=True`; Received: classifier_activation={classifier_activation}"
        )


def image_input(input_tensor, input_shape):
    """Returns the model's image tensor: a new `Input` of `input_shape`, or `input_tensor`
    (wrapped in an `Input` when it is not a Keras tensor)."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    from unikeras.utils import is_keras_tensor

    if not is_keras_tensor(input_tensor):
        return layers.Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def model_inputs(input_tensor, img_input):
    """The functional model's inputs: the sources of `input_tensor` when one was given."""
    if input_tensor is None:
        return img_input
    from unikeras.utils import get_source_inputs

    return get_source_inputs(input_tensor)


def pool_or_classify(x, include_top, pooling, classes, classifier_activation, weights):
    """Keras' usual model head: global average pooling and a `predictions` Dense when
    `include_top`, else the optional `pooling` (`"avg"` or `"max"`)."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D()(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D()(x)
    return x


def load_model_weights(model, weights, file_name, origin, file_hash):
    """Loads `weights` into `model`: `"imagenet"` fetches `file_name` from `origin` through
    `keras.utils.get_file` (Keras' cache, used without network when present), a path loads
    that file, `None` does nothing."""
    if weights == "imagenet":
        path = fetch_file(file_name, origin, file_hash, what=f"{model.name}: the ImageNet weights")
        model.load_weights(path)
    elif weights is not None:
        model.load_weights(weights)


def pool(x, pooling, avg_name=None, max_name=None):
    """The optional global `pooling` (`"avg"`, `"max"` or `None`) of a model without top."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def finish_model(inputs, outputs, name, weights, weights_file=None, origin=None, file_hash=None):
    """Builds the functional model and loads `weights` (see `load_model_weights`);
    `weights_file`/`origin`/`file_hash` describe the ImageNet file for this configuration
    (`None` when Keras has none, then `"imagenet"` leaves the weights random as Keras does)."""
    from unikeras.models import Model

    model = Model(inputs, outputs, name=name)
    if weights == "imagenet":
        if weights_file is not None:
            load_model_weights(model, weights, weights_file, origin, file_hash)
    else:
        load_model_weights(model, weights, None, None, None)
    return model


def bn_axis():
    """The channel axis of a 4D image tensor under the current image data format."""
    return 3 if image_data_format() == "channels_last" else 1


def is_keras_tensor_like(x):
    """Whether `x` has a shape the models can read (a Keras tensor or a backend tensor)."""
    return hasattr(x, "shape") and hasattr(x, "dtype")
