"""NumPy backend: `image` ops (`keras.ops.image`)."""

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.common.conv_args import patch_args
from unikeras.backend.common.image_api import bind_image_ops
from unikeras.backend.common.image_args import (
    check_float_images,
    crop_windows,
    pad_amounts,
)
from unikeras.backend.common.resampling import KERNELS as _KERNELS
from unikeras.backend.common.resampling import weights as _weights
from unikeras.backend.config import standardize_data_format
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.numpy import nn
from unikeras.backend.numpy.core import convert_to_tensor, to_np_dtype

# --------------------------------------------------------------------------------------------
# Helpers: every op works on a batch of channels_last images (batch, height, width, channels).
# --------------------------------------------------------------------------------------------


def _check_float(op, images):
    check_float_images(
        op, dtypes.is_float_dtype(images.dtype), dtypes.standardize_dtype(images.dtype)
    )


# --------------------------------------------------------------------------------------------
# Colour spaces
# --------------------------------------------------------------------------------------------


@hookimpl
def rgb_to_grayscale(images, data_format=None):
    x, restore = _shared._batched("rgb_to_grayscale", images, data_format)
    if x.shape[-1] not in (1, 3):
        raise ValueError(
            "rgb_to_grayscale: expected 1 or 3 channels. "
            f"Received: images.shape={convert_to_tensor(images).shape}"
        )
    if x.shape[-1] == 1:
        return restore(x.copy())
    weights = np.array([0.2989, 0.5870, 0.1140], _shared._compute_dtype(x))
    gray = (x.astype(weights.dtype) @ weights)[..., None]
    return restore(gray.astype(x.dtype))


@hookimpl
def rgb_to_hsv(images, data_format=None):
    x, restore = _shared._batched("rgb_to_hsv", images, data_format)
    _check_float("rgb_to_hsv", x)
    f = x.astype(_shared._compute_dtype(x))
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    value = np.maximum(np.maximum(r, g), b)
    spread = value - np.minimum(np.minimum(r, g), b)
    saturation = np.where(value > 0, spread / np.where(value > 0, value, 1), 0)
    norm = 1 / (6 * np.where(spread > 0, spread, 1))
    hue = np.where(value == g, norm * (b - r) + 2 / 6, norm * (r - g) + 4 / 6)
    hue = np.where(value == r, norm * (g - b), hue)
    hue = np.where(spread > 0, hue, 0)
    hue = hue + (hue < 0)
    return restore(np.stack([hue, saturation, value], -1).astype(x.dtype))


@hookimpl
def hsv_to_rgb(images, data_format=None):
    x, restore = _shared._batched("hsv_to_rgb", images, data_format)
    _check_float("hsv_to_rgb", x)
    f = x.astype(_shared._compute_dtype(x))
    hue, saturation, value = f[..., 0], f[..., 1], f[..., 2]
    sector = np.mod(hue, 1) * 6
    channel_weights = [
        np.clip(np.abs(sector - 3) - 1, 0, 1),
        np.clip(2 - np.abs(sector - 2), 0, 1),
        np.clip(2 - np.abs(sector - 4), 0, 1),
    ]
    rgb = [value * (1 - saturation + saturation * w) for w in channel_weights]
    return restore(np.stack(rgb, -1).astype(x.dtype))


# --------------------------------------------------------------------------------------------
# Resampling
# --------------------------------------------------------------------------------------------


def _scale_and_translate(x, output_shape, spatial_dims, scale, translation, kernel, antialias):
    out = x.astype(_shared._compute_dtype(x))
    for i, axis in enumerate(spatial_dims):
        axis = axis % x.ndim
        w = _weights(
            x.shape[axis],
            output_shape[axis],
            float(scale[i]),
            float(translation[i]),
            kernel,
            antialias,
        ).astype(out.dtype)
        out = np.moveaxis(np.tensordot(out, w, axes=(axis, 0)), -1, axis)
    return _shared._cast_like(out, x)


@hookimpl
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias):
    x = convert_to_tensor(images)
    scale = np.reshape(convert_to_tensor(scale), -1)
    translation = np.reshape(convert_to_tensor(translation), -1)
    return _scale_and_translate(
        x, tuple(output_shape), tuple(spatial_dims), scale, translation, _KERNELS[method], antialias
    )


# --------------------------------------------------------------------------------------------
# Filters, padding, patches
# --------------------------------------------------------------------------------------------


@hookimpl
def pad_images(
    images,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    x, restore = _shared._batched("pad_images", images, data_format)
    pads = pad_amounts(
        x.shape[1],
        x.shape[2],
        top_padding,
        left_padding,
        bottom_padding,
        right_padding,
        target_height,
        target_width,
    )
    return restore(np.pad(x, [(0, 0)] + pads + [(0, 0)]))


@hookimpl
def crop_images(
    images,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    x, restore = _shared._batched("crop_images", images, data_format)
    windows = crop_windows(
        x.shape[1],
        x.shape[2],
        top_cropping,
        left_cropping,
        bottom_cropping,
        right_cropping,
        target_height,
        target_width,
    )
    return restore(x[:, windows[0], windows[1]])


def _patches(op, images, size, strides, dilation_rate, padding, data_format, n):
    x, restore = _shared._batched(op, images, data_format, ranks=(n + 1, n + 2))
    size, strides, dilation, span = patch_args(op, n, size, strides, dilation_rate)
    padded = nn._pad_spatial(x, span, strides, padding)
    w = nn._windows(padded, size, strides, dilation)  # (batch, *out, C, *size)
    w = np.moveaxis(w, n + 1, -1)  # channels last within a patch
    return restore(w.reshape(w.shape[: n + 1] + (-1,)))


@hookimpl
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    if np.ndim(size) == 1 and len(size) == 3:
        return extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    return _patches(
        "extract_patches", images, size, strides, dilation_rate, padding, data_format, 2
    )


@hookimpl
def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    return _patches(
        "extract_patches_3d", volumes, size, strides, dilation_rate, padding, data_format, 3
    )


def _reflect_pad(x, axis):
    pads = [(0, 0)] * x.ndim
    pads[axis] = (1, 1)
    return np.pad(x, pads, mode="symmetric")


def _correlate(x, taps, axis):
    """Correlates `x` with 3 taps along `axis`, edges extended by symmetric reflection."""
    p = _reflect_pad(x, axis)
    n = x.shape[axis]
    return sum(t * np.take(p, range(i, i + n), axis=axis) for i, t in enumerate(taps) if t)


def _elastic_noise(seed, shape, dtype):
    """Standard normal noise of `elastic_transform`, from a NumPy generator seeded by `seed`."""
    rng = np.random.default_rng(None if seed is None else int(np.sum(seed)))
    return rng.normal(size=shape).astype(dtype)


def _gaussian_window(size, sigma):
    offsets = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-(offsets**2) / (2.0 * sigma**2))
    g /= g.sum()
    return np.outer(g, g)


@hookimpl
def ssim(
    image1,
    image2,
    max_val=1.0,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
    data_format=None,
):
    data_format = standardize_data_format(data_format)
    image1, image2 = convert_to_tensor(image1), convert_to_tensor(image2)
    out = image1.dtype
    compute = to_np_dtype(dtypes.result_type(dtypes.standardize_dtype(out), float))
    wide = np.promote_types(compute, np.float32)
    a, b = image1.astype(wide), image2.astype(wide)
    if a.ndim == 3:
        a, b = a[None], b[None]
    if data_format == "channels_last":  # to (batch, channels, height, width)
        a, b = np.moveaxis(a, -1, 1), np.moveaxis(b, -1, 1)
    window = _gaussian_window(filter_size, filter_sigma).astype(wide)

    def local_mean(v):
        patches = np.lib.stride_tricks.sliding_window_view(v, window.shape, axis=(2, 3))
        return np.einsum("bchwij,ij->bchw", patches, window)

    mu1, mu2 = local_mean(a), local_mean(b)
    var1 = local_mean(a * a) - mu1 * mu1
    var2 = local_mean(b * b) - mu2 * mu2
    cov = local_mean(a * b) - mu1 * mu2
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    ssim_map = ((2 * mu1 * mu2 + c1) * (2 * cov + c2)) / (
        (mu1 * mu1 + mu2 * mu2 + c1) * (var1 + var2 + c2)
    )
    result = ssim_map.mean(axis=(1, 2, 3))
    if image1.ndim == 3:
        result = result[0]
    return np.asarray(result).astype(out)


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.image_api` and bound here to `np` and this module's helpers.
_shared = bind_image_ops(
    np, globals(), to_dtype=to_np_dtype, depthwise_conv=nn.depthwise_conv, index_dtype=np.int64
)
