"""Default implementations of `keras.ops.image` ops composed of other ops."""

import itertools

from unikeras.backend import dtypes
from unikeras.backend.common.conv_args import patch_args, spatial_pads
from unikeras.backend.common.dtype_rules import compute_dtype
from unikeras.backend.common.image_args import (
    check_float_images,
    check_image_rank,
    crop_windows,
    pad_amounts,
)
from unikeras.backend.config import standardize_data_format
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.registry import table as ops

default = hookimpl(trylast=True)

# --------------------------------------------------------------------------------------------
# Helpers: every op works on a batch of channels_last images (batch, height, width, channels).
# --------------------------------------------------------------------------------------------


def _dtype(x):
    return dtypes.standardize_dtype(x.dtype)


def _batched(op, images, data_format, ranks=(3, 4)):
    """Returns `(images as NHWC, restore)`; `restore` undoes the batch/format change.

    `ranks` are the accepted ranks, unbatched first: an unbatched input gets a batch axis.
    """
    images = ops.convert_to_tensor(images)
    rank = len(ops.shape(images))
    check_image_rank(op, tuple(ops.shape(images)), ranks)
    single = rank == ranks[0]
    channels_first = standardize_data_format(data_format) == "channels_first"
    x = ops.expand_dims(images, 0) if single else images
    x = ops.moveaxis(x, 1, -1) if channels_first else x

    def restore(y):
        y = ops.moveaxis(y, -1, 1) if channels_first else y
        return ops.squeeze(y, 0) if single else y

    return x, restore


def _float_channels(op, images, data_format):
    """Returns `(NHWC images, restore, [channel 0, 1, 2] in the compute dtype)`."""
    x, restore = _batched(op, images, data_format)
    check_float_images(op, dtypes.is_float_dtype(_dtype(x)), _dtype(x))
    f = ops.cast(x, compute_dtype(_dtype(x)))
    return x, restore, ops.unstack(f, 3, -1)


# --------------------------------------------------------------------------------------------
# Colour spaces
# --------------------------------------------------------------------------------------------


@default
def rgb_to_grayscale(images, data_format=None):
    x, restore = _batched("rgb_to_grayscale", images, data_format)
    channels = ops.shape(x)[-1]
    if channels not in (1, 3):
        raise ValueError(
            "rgb_to_grayscale: expected 1 or 3 channels. Received: "
            f"images.shape={tuple(ops.shape(ops.convert_to_tensor(images)))}"
        )
    if channels == 1:
        return restore(ops.copy(x))
    compute = compute_dtype(_dtype(x))
    weights = ops.convert_to_tensor([0.2989, 0.5870, 0.1140], compute)
    gray = ops.expand_dims(ops.matmul(ops.cast(x, compute), weights), -1)
    return restore(ops.cast(gray, _dtype(x)))


def _constants(dtype, *values):
    """Scalar tensors of `dtype`: cheaper in element-wise chains than Python numbers, which
    each op would convert and promote again."""
    return [ops.convert_to_tensor(v, dtype) for v in values]


@default
def rgb_to_hsv(images, data_format=None):
    x, restore, (r, g, b) = _float_channels("rgb_to_hsv", images, data_format)
    zero, one, six, third, two_thirds = _constants(_dtype(r), 0, 1, 6, 2 / 6, 4 / 6)
    value = ops.maximum(ops.maximum(r, g), b)
    spread = ops.subtract(value, ops.minimum(ops.minimum(r, g), b))
    positive, has_spread = ops.greater(value, zero), ops.greater(spread, zero)
    saturation = ops.where(positive, ops.divide(spread, ops.where(positive, value, one)), zero)
    norm = ops.divide(one, ops.multiply(ops.where(has_spread, spread, one), six))
    hue = ops.where(
        ops.equal(value, g),
        ops.add(ops.multiply(norm, ops.subtract(b, r)), third),
        ops.add(ops.multiply(norm, ops.subtract(r, g)), two_thirds),
    )
    hue = ops.where(ops.equal(value, r), ops.multiply(norm, ops.subtract(g, b)), hue)
    hue = ops.where(has_spread, hue, zero)
    hue = ops.where(ops.less(hue, zero), ops.add(hue, one), hue)
    return restore(ops.cast(ops.stack([hue, saturation, value], -1), _dtype(x)))


@default
def hsv_to_rgb(images, data_format=None):
    x, restore, (hue, saturation, value) = _float_channels("hsv_to_rgb", images, data_format)
    zero, one, two, three, four, six = _constants(_dtype(hue), 0, 1, 2, 3, 4, 6)
    sector = ops.multiply(ops.mod(hue, one), six)

    def distance(centre):
        return ops.absolute(ops.subtract(sector, centre))

    channel_weights = [
        ops.subtract(distance(three), one),
        ops.subtract(two, distance(two)),
        ops.subtract(two, distance(four)),
    ]
    base = ops.subtract(one, saturation)
    rgb = [
        ops.multiply(
            value, ops.add(base, ops.multiply(saturation, ops.minimum(ops.maximum(w, zero), one)))
        )
        for w in channel_weights
    ]
    return restore(ops.cast(ops.stack(rgb, -1), _dtype(x)))


# --------------------------------------------------------------------------------------------
# Padding and cropping
# --------------------------------------------------------------------------------------------


@default
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
    x, restore = _batched("pad_images", images, data_format)
    _, height, width, _ = ops.shape(x)
    pads = pad_amounts(
        height,
        width,
        top_padding,
        left_padding,
        bottom_padding,
        right_padding,
        target_height,
        target_width,
    )
    return restore(ops.pad(x, [(0, 0)] + list(pads) + [(0, 0)]))


@default
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
    x, restore = _batched("crop_images", images, data_format)
    _, height, width, _ = ops.shape(x)
    rows, cols = crop_windows(
        height,
        width,
        top_cropping,
        left_cropping,
        bottom_cropping,
        right_cropping,
        target_height,
        target_width,
    )
    return restore(ops.copy(ops.get_item(x, (slice(None), rows, cols))))


def _gaussian_window(size, sigma, dtype):
    offsets = ops.subtract(ops.arange(size, dtype=dtype), (size - 1) / 2.0)
    g = ops.exp(ops.divide(ops.negative(ops.square(offsets)), 2.0 * sigma**2))
    g = ops.divide(g, ops.sum(g))
    return ops.reshape(ops.outer(g, g), (size, size, 1, 1))


@default
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
    image1, image2 = ops.convert_to_tensor(image1), ops.convert_to_tensor(image2)
    shape1 = tuple(ops.shape(image1))
    out = dtypes.standardize_dtype(image1.dtype)
    compute = dtypes.result_type(out, float)
    a, b = ops.cast(image1, compute), ops.cast(image2, compute)
    unbatched = len(shape1) == 3
    if unbatched:
        a, b = ops.expand_dims(a, 0), ops.expand_dims(b, 0)
    if data_format == "channels_last":  # every channel becomes an image of one channel
        a, b = ops.transpose(a, (0, 3, 1, 2)), ops.transpose(b, (0, 3, 1, 2))
    dims = ops.shape(a)
    height, width = dims[2], dims[3]
    a = ops.reshape(a, (-1, height, width, 1))
    b = ops.reshape(b, (-1, height, width, 1))
    window = _gaussian_window(filter_size, filter_sigma, compute)

    def local_mean(v):
        return ops.conv(v, window, 1, "valid", "channels_last", 1)

    mu1, mu2 = local_mean(a), local_mean(b)
    mu11, mu22, mu12 = ops.multiply(mu1, mu1), ops.multiply(mu2, mu2), ops.multiply(mu1, mu2)
    var1 = ops.subtract(local_mean(ops.multiply(a, a)), mu11)
    var2 = ops.subtract(local_mean(ops.multiply(b, b)), mu22)
    cov = ops.subtract(local_mean(ops.multiply(a, b)), mu12)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    numerator = ops.multiply(
        ops.add(ops.multiply(mu12, 2.0), c1), ops.add(ops.multiply(cov, 2.0), c2)
    )
    denominator = ops.multiply(ops.add(ops.add(mu11, mu22), c1), ops.add(ops.add(var1, var2), c2))
    per_channel = ops.mean(ops.divide(numerator, denominator), (1, 2, 3), False)
    channels = dims[1]
    result = ops.mean(ops.reshape(per_channel, (-1, channels)), -1, False)
    if unbatched:
        result = ops.squeeze(result, 0)
    return ops.cast(result, out)


# --------------------------------------------------------------------------------------------
# Patches
# --------------------------------------------------------------------------------------------


def _patches(op, images, size, strides, dilation_rate, padding, data_format, n):
    """`n`-D patches, one strided slice per offset inside the patch, channels last."""
    x, restore = _batched(op, images, data_format, ranks=(n + 1, n + 2))
    size, strides, dilation, span = patch_args(op, n, size, strides, dilation_rate)
    spatial = tuple(ops.shape(x))[1:-1]
    pads = spatial_pads(spatial, span, strides, padding)
    if any(before or after for before, after in pads):
        x = ops.pad(x, [(0, 0)] + list(pads) + [(0, 0)])
    sizes = [length + before + after for length, (before, after) in zip(spatial, pads)]
    outs = [max((length - sp) // st + 1, 0) for length, sp, st in zip(sizes, span, strides)]
    taps = [
        ops.get_item(
            x,
            (slice(None),)
            + tuple(
                slice(o * d, o * d + (m - 1) * st + 1, st) if m else slice(0, 0)
                for o, d, m, st in zip(offset, dilation, outs, strides)
            ),
        )
        for offset in itertools.product(*[range(k) for k in size])
    ]
    patches = ops.stack(taps, -2)  # (batch, *out, patch positions, channels)
    batch, channels = tuple(ops.shape(x))[0], tuple(ops.shape(x))[-1]
    batch = batch if isinstance(batch, int) else -1  # unknown in a traced graph
    depth = len(taps) * channels if isinstance(channels, int) else -1
    return restore(ops.reshape(patches, (batch, *outs, depth)))


@default
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    if hasattr(size, "__len__") and len(size) == 3:
        return ops.extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    return _patches(
        "extract_patches", images, size, strides, dilation_rate, padding, data_format, 2
    )


@default
def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    return _patches(
        "extract_patches_3d", volumes, size, strides, dilation_rate, padding, data_format, 3
    )
