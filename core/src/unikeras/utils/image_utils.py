"""Image I/O on Pillow: `load_img`, `img_to_array`, `array_to_img`, `save_img`, `smart_resize`."""

import io
import pathlib
import warnings

import numpy as np

from unikeras import ops
from unikeras.backend.config import floatx, image_data_format

PIL_INTERPOLATION_METHODS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil(caller):
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError(
            f"Could not import PIL.Image. The use of `{caller}` requires PIL: `pip install pillow`."
        ) from error
    return Image


def _resample(image_module, interpolation):
    if interpolation not in PIL_INTERPOLATION_METHODS:
        raise ValueError(
            f"Invalid interpolation method {interpolation!r}: supported methods "
            f"are {', '.join(PIL_INTERPOLATION_METHODS)}."
        )
    return getattr(image_module.Resampling, interpolation.upper())


def _data_format(data_format):
    data_format = image_data_format() if data_format is None else data_format
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "`data_format` must be 'channels_first' or 'channels_last'. "
            f"Received: data_format={data_format!r}"
        )
    return data_format


def _floatx(dtype):
    return floatx() if dtype is None else dtype


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Converts a 3D NumPy array to a PIL Image instance.

    Args:
        x: Input data, an array of rank 3 (height, width, channels) or channels first.
        data_format: `"channels_first"` or `"channels_last"` (default: the global
            image data format).
        scale: Whether to rescale the values to `[0, 255]` (min to 0, max to 255).
        dtype: Dtype the values are read as (default: `floatx()`).

    Returns:
        A PIL Image (mode `RGB`, `RGBA`, `L`, or `I` for one channel with values above 255).
    """
    image_module = _pil("array_to_img")
    data_format = _data_format(data_format)
    x = np.asarray(x, dtype=_floatx(dtype))
    if x.ndim != 3:
        raise ValueError(
            f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x = x / peak
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return image_module.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image_module.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels} (expected 1, 3 or 4).")


def img_to_array(img, data_format=None, dtype=None):
    """Converts a PIL Image instance to a NumPy array.

    Args:
        img: A PIL Image (or anything `np.asarray` reads as an image).
        data_format: `"channels_first"` or `"channels_last"` (default: the global format).
        dtype: Dtype of the array (default: `floatx()`).

    Returns:
        A rank-3 NumPy array (a grayscale image gets a channel axis of size 1).
    """
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=_floatx(dtype))
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        if data_format == "channels_first":
            return x.reshape((1, x.shape[0], x.shape[1]))
        return x.reshape((x.shape[0], x.shape[1], 1))
    raise ValueError(f"Unsupported image shape: {x.shape}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image stored as a NumPy array to a path or file object.

    Args:
        path: Path or file object.
        x: Rank-3 NumPy array.
        data_format: `"channels_first"` or `"channels_last"`.
        file_format: Format to write (default: from the file name's extension).
        scale: Whether to rescale the values to `[0, 255]`.
        **kwargs: Passed to `PIL.Image.save()`.
    """
    data_format = _data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(
            "The JPEG format does not support RGBA images, converting to RGB.", stacklevel=2
        )
        img = img.convert("RGB")
    img.save(path, format=file_format or None, **kwargs)


def load_img(
    path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False
):
    """Loads an image into PIL format.

    Args:
        path: Path (str or `pathlib.Path`) or file object (`io.BytesIO`) of the image.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        target_size: `None` (original size) or `(height, width)`.
        interpolation: Resampling for the resize: `"nearest"`, `"bilinear"`, `"bicubic"`,
            `"hamming"`, `"box"` or `"lanczos"`.
        keep_aspect_ratio: Whether to center-crop the image to the target aspect ratio
            before resizing.

    Returns:
        A PIL Image instance.
    """
    image_module = _pil("load_img")
    if isinstance(path, io.BytesIO):
        img = image_module.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as handle:
            img = image_module.open(io.BytesIO(handle.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")

    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif color_mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    else:
        raise ValueError(
            f'color_mode must be "grayscale", "rgb", or "rgba". Received: color_mode={color_mode!r}'
        )
    if target_size is not None:
        size = (int(target_size[1]), int(target_size[0]))
        if img.size != size:
            resample = _resample(image_module, interpolation)
            if keep_aspect_ratio:
                width, height = img.size
                target_width, target_height = size
                crop_height = min(height, (width * target_height) // target_width)
                crop_width = min(width, (height * target_width) // target_height)
                top = (height - crop_height) // 2
                left = (width - crop_width) // 2
                box = [left, top, left + crop_width, top + crop_height]
                img = img.resize(size, resample, box=box)
            else:
                img = img.resize(size, resample)
    return img


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", **kwargs):
    """Resizes images to `size` without distorting them (center crop to the aspect ratio).

    Args:
        x: An image `(height, width, channels)` or a batch of images (tensor or NumPy array).
        size: `(height, width)`.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"lanczos3"`, `"lanczos5"`,
            `"area"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        The resized images, as a tensor of the active backend.
    """
    kwargs.pop("backend_module", None)
    if kwargs:
        raise TypeError(f"smart_resize: unexpected keyword arguments {sorted(kwargs)}")
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")

    rank = len(ops.shape(x))
    if rank not in (3, 4):
        raise ValueError(
            "Expected an image array with shape `(height, width, channels)`, or "
            "`(batch_size, height, width, channels)`, but got input with "
            f"incorrect rank, of shape {ops.shape(x)}."
        )
    return ops.image.resize(
        x,
        tuple(size),
        interpolation=interpolation,
        crop_to_aspect_ratio=True,
        data_format=data_format,
    )


def _read_as_numpy_image(
    path,
    num_channels,
    image_size,
    interpolation,
    crop_to_aspect_ratio,
    pad_to_aspect_ratio,
    data_format,
):
    """Decodes one image file to a float32 NumPy array resized as the dataset builder does."""
    image_module = _pil("image_dataset_from_directory")
    with open(path, "rb") as handle:
        img = image_module.open(io.BytesIO(handle.read()))
        img.load()
    mode = {1: "L", 3: "RGB", 4: "RGBA"}[num_channels]
    if img.mode != mode:
        img = img.convert(mode)
    array = np.asarray(img, dtype="float32")
    if array.ndim == 2:
        array = array[:, :, None]
    from unikeras.backend.numpy import image as np_image

    height, width = (int(v) for v in image_size)
    if pad_to_aspect_ratio:
        # As `tf.image.resize_with_pad` (Keras' tf.data path): resize keeping the aspect
        # ratio, then center the result on a zero canvas.
        ratio = max(array.shape[0] / height, array.shape[1] / width)
        inner = (max(int(array.shape[0] / ratio), 1), max(int(array.shape[1] / ratio), 1))
        resized = np.asarray(
            np_image.resize(array, inner, interpolation=interpolation, data_format="channels_last"),
            dtype="float32",
        )
        top, left = (height - inner[0]) // 2, (width - inner[1]) // 2
        array = np.zeros((height, width, array.shape[2]), dtype="float32")
        array[top : top + inner[0], left : left + inner[1]] = resized
    else:
        array = np.asarray(
            np_image.resize(
                array,
                (height, width),
                interpolation=interpolation,
                crop_to_aspect_ratio=crop_to_aspect_ratio,
                data_format="channels_last",
            ),
            dtype="float32",
        )
    if data_format == "channels_first":
        array = array.transpose(2, 0, 1)
    return array
