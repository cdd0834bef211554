"""TensorFlow backend: `image` ops (`keras.ops.image`)."""

import itertools
import math

import numpy as np
import tensorflow as tf

from unikeras.backend.common.dtype_rules import compute_dtype
from unikeras.backend.common.resampling import kernel_table
from unikeras.backend.common.image_args import (
    INTERPOLATION_ORDERS,
    aspect_box,
    check_image_rank,
    resize_target,
    resized_axes,
)
from unikeras.backend.api import standardize_data_format
from unikeras_tf import nn
from unikeras_tf.convert import convert_to_tensor, dims, to_tf_dtype
from unikeras_tf.numpy import moveaxis
from unikeras.backend.api import hookimpl

# --------------------------------------------------------------------------------------------
# Helpers: every op works on a batch of channels_last images (batch, height, width, channels).
# --------------------------------------------------------------------------------------------


def _batched(op, images, data_format, ranks=(3, 4)):
    """Returns `(images as NHWC, restore)`; `restore` undoes the batch/format change."""
    images = convert_to_tensor(images)
    check_image_rank(op, images.shape, ranks)
    data_format = standardize_data_format(data_format)
    single = len(ranks) == 2 and images.shape.rank == ranks[0]
    x = images[None] if single else images
    x = moveaxis(x, 1, -1) if data_format == "channels_first" else x

    def restore(y):
        y = moveaxis(y, -1, 1) if data_format == "channels_first" else y
        return y[0] if single else y

    return x, restore


def _compute_dtype(x):
    return to_tf_dtype(compute_dtype(x.dtype))


def _round_into(values, like):
    """Float results back to the dtype of `like`: integer images are rounded first."""
    if not like.dtype.is_floating:
        values = tf.round(values)
    return tf.cast(values, like.dtype)


# --------------------------------------------------------------------------------------------
# Colour spaces
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Resampling
# --------------------------------------------------------------------------------------------


def _triangle(d):
    return tf.maximum(tf.zeros((), d.dtype), 1 - d)


def _keys_cubic(d):
    near = ((1.5 * d - 2.5) * d) * d + 1
    far = ((-0.5 * d + 2.5) * d - 4) * d + 2
    return tf.where(d >= 2, tf.zeros((), d.dtype), tf.where(d >= 1, far, near))


def _lanczos(radius):
    def kernel(d):
        safe = tf.where(d > 1e-3, d, tf.ones((), d.dtype))
        value = (
            radius
            * tf.sin(math.pi * safe)
            * tf.sin(math.pi * safe / radius)
            / (math.pi * safe) ** 2
        )
        return tf.where(
            d > radius, tf.zeros((), d.dtype), tf.where(d > 1e-3, value, tf.ones((), d.dtype))
        )

    return kernel


_KERNELS = kernel_table(_triangle, _keys_cubic, _lanczos)


def _weights(in_size, out_size, scale, translation, kernel, antialias):
    """`(in_size, out_size)` float64 resampling weights of one axis (half-pixel centres)."""
    scale = tf.cast(scale, tf.float64)
    translation = tf.cast(translation, tf.float64)
    sample = (tf.range(out_size, dtype=tf.float64) + 0.5 - translation) / scale - 0.5
    widen = tf.maximum(1 / scale, 1.0) if antialias else tf.constant(1.0, tf.float64)
    positions = tf.range(tf.cast(in_size, tf.float64), dtype=tf.float64)
    w = kernel(tf.abs(sample[None, :] - positions[:, None]) / widen)
    total = tf.reduce_sum(w, axis=0, keepdims=True)
    w = tf.where(
        tf.abs(total) > 1000 * np.finfo(np.float32).eps,
        w / tf.where(tf.equal(total, 0), tf.ones((), total.dtype), total),
        tf.zeros((), w.dtype),
    )
    inside = (sample >= -0.5) & (sample <= tf.cast(in_size, tf.float64) - 0.5)
    return tf.where(inside[None, :], w, tf.zeros((), w.dtype))


def _size(x, axis):
    """`x`'s size along `axis`: static when known, else read from the tensor (images of
    unknown height and width, e.g. in a `tf.data` pipeline)."""
    static = x.shape[axis]
    return static if static is not None else tf.shape(x)[axis]


def _scale_and_translate(x, output_shape, spatial_dims, scale, translation, kernel, antialias):
    out = tf.cast(x, _compute_dtype(x))
    rank = x.shape.rank
    for i, axis in enumerate(spatial_dims):
        axis %= rank
        w = tf.cast(
            _weights(
                _size(x, axis), output_shape[axis], scale[i], translation[i], kernel, antialias
            ),
            out.dtype,
        )
        out = moveaxis(tf.tensordot(out, w, axes=[[axis], [0]]), -1, axis)
    if not x.dtype.is_floating:
        flat = tf.reshape(x, [-1])
        low = tf.cast(
            tf.reduce_min(
                tf.concat([flat, tf.zeros([1], x.dtype)], 0)
                if x.shape.num_elements() == 0
                else flat
            ),
            out.dtype,
        )
        high = tf.cast(
            tf.reduce_max(
                tf.concat([flat, tf.zeros([1], x.dtype)], 0)
                if x.shape.num_elements() == 0
                else flat
            ),
            out.dtype,
        )
        out = tf.clip_by_value(tf.round(out), low, high)
    return tf.cast(out, x.dtype)


@hookimpl
def resize(
    images,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
    target_h, target_w = resize_target(size)
    x, restore = _batched("resize", images, data_format)
    height, width = x.shape[1], x.shape[2]
    if crop_to_aspect_ratio:
        box_h, box_w, top, left = aspect_box(height, width, target_h, target_w, True)
        x = x[:, top : top + box_h, left : left + box_w]
    elif pad_to_aspect_ratio:
        box_h, box_w, top, left = aspect_box(height, width, target_h, target_w, False)
        # Keras 3 pads only one axis: the height when it grows, else the width.
        pads = [(top, top), (0, 0)] if top > 0 else [(0, 0), (left, left)]
        x = tf.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=tf.cast(fill_value, x.dtype))
    if interpolation == "nearest":
        for axis, out in ((1, target_h), (2, target_w)):
            size = tf.cast(_size(x, axis), tf.float32)
            index = tf.floor((tf.range(out, dtype=tf.float32) + 0.5) * size / out)
            x = tf.gather(x, tf.cast(index, tf.int32), axis=axis)
        return restore(x)
    dims, shape, scales = resized_axes(x.shape, target_h, target_w)
    scales = [
        scale if x.shape[d] is not None else shape[d] / tf.cast(_size(x, d), tf.float64)
        for d, scale in zip(dims, scales)
    ]
    return restore(
        _scale_and_translate(
            x, shape, dims, scales, [0.0] * len(dims), _KERNELS[interpolation], antialias
        )
    )


@hookimpl
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias):
    x = convert_to_tensor(images)
    scale = tf.reshape(convert_to_tensor(scale), [-1])
    translation = tf.reshape(convert_to_tensor(translation), [-1])
    return _scale_and_translate(
        x, tuple(output_shape), tuple(spatial_dims), scale, translation, _KERNELS[method], antialias
    )


def _fill_index(index, size, mode):
    """Maps integer indices (possibly outside `[0, size)`) into range; returns (index, valid).

    `size` is an int or, for axes of unknown length, a scalar tensor."""
    size = tf.cast(size, index.dtype)
    if mode == "constant":
        return tf.clip_by_value(index, 0, size - 1), (index >= 0) & (index < size)
    if mode == "nearest":
        return tf.clip_by_value(index, 0, size - 1), None
    if mode == "wrap":
        return tf.math.floormod(index, size), None
    if mode == "mirror":
        period = tf.maximum(2 * size - 2, 1)  # a single pixel mirrors onto itself
        index = tf.math.floormod(index, period)
        return tf.where(index < size, index, period - index), None
    period = 2 * size  # "reflect": mirror about the edges, edge pixels repeated
    index = tf.math.floormod(index, period)
    return tf.where(index < size, index, period - 1 - index), None


def _corner_taps(coordinate, order):
    """Integer taps and weights of one axis for nearest (order 0) or linear (order 1)."""
    if order == 0:
        rounded = tf.sign(coordinate) * tf.floor(tf.abs(coordinate) + 0.5)
        return [(tf.cast(rounded, tf.int64), tf.ones_like(coordinate))]
    lower = tf.floor(coordinate)
    upper_weight = coordinate - lower
    lower = tf.cast(lower, tf.int64)
    return [(lower, 1 - upper_weight), (lower + 1, upper_weight)]


def _interpolate(data, coordinates, order, fill_mode, fill_value):
    """Samples the leading `len(coordinates)` axes of `data` at float `coordinates` (each of
    the output shape); trailing axes of `data` (channels) are carried along."""
    per_axis = [_corner_taps(c, order) for c in coordinates]
    fill = tf.cast(fill_value, data.dtype)
    trailing = data.shape.rank - len(coordinates)
    result = None
    for corner in itertools.product(*[range(len(taps)) for taps in per_axis]):
        indices, weight, valid = [], 1, None
        for axis, tap in enumerate(corner):
            index, w = per_axis[axis][tap]
            index, ok = _fill_index(index, dims(data)[axis], fill_mode)
            indices.append(index)
            weight = weight * w
            if ok is not None:
                valid = ok if valid is None else valid & ok
        if data.shape.num_elements() == 0:
            values = tf.zeros(
                tf.concat([tf.shape(coordinates[0]), tf.shape(data)[len(coordinates) :]], 0),
                data.dtype,
            )
        else:
            values = tf.gather_nd(data, tf.stack(indices, axis=-1))
        weight = tf.reshape(weight, tf.concat([tf.shape(weight), [1] * trailing], 0))
        if valid is not None:
            valid = tf.reshape(valid, tf.concat([tf.shape(valid), [1] * trailing], 0))
            values = tf.where(valid, values, fill)
        term = weight * values
        result = term if result is None else result + term
    return result


@hookimpl
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    x = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    compute = _compute_dtype(x)
    coordinates = tf.cast(coordinates, compute)
    result = _interpolate(
        tf.cast(x, compute), tf.unstack(coordinates), order, fill_mode, fill_value
    )
    return _round_into(result, x)


def _sample_nhwc(x, rows, cols, order, fill_mode, fill_value):
    """Samples NHWC `x` at per-image `(batch, h, w)` row/column coordinates."""
    batch = tf.cast(
        tf.broadcast_to(tf.range(tf.shape(x)[0])[:, None, None], tf.shape(rows)), rows.dtype
    )
    return _interpolate(x, [batch, rows, cols], order, fill_mode, fill_value)


def _projective(x, transforms, order, fill_mode, fill_value):
    """Output pixel (x, y) reads input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)."""
    compute = _compute_dtype(x)
    t = tf.broadcast_to(tf.cast(transforms, compute), [tf.shape(x)[0], 8])
    rows, cols = tf.meshgrid(
        tf.range(x.shape[1], dtype=compute), tf.range(x.shape[2], dtype=compute), indexing="ij"
    )
    a = [tf.reshape(t[:, i], [-1, 1, 1]) for i in range(8)]
    k = a[6] * cols + a[7] * rows + 1
    src_cols = (a[0] * cols + a[1] * rows + a[2]) / k
    src_rows = (a[3] * cols + a[4] * rows + a[5]) / k
    out = _sample_nhwc(tf.cast(x, compute), src_rows, src_cols, order, fill_mode, fill_value)
    return tf.cast(out, x.dtype)


@hookimpl
def affine_transform(images, transform, interpolation, fill_mode, fill_value, data_format):
    x, restore = _batched("affine_transform", images, data_format)
    transform = convert_to_tensor(transform)
    return restore(
        _projective(
            x,
            tf.reshape(transform, [-1, 8]),
            INTERPOLATION_ORDERS[interpolation],
            fill_mode,
            fill_value,
        )
    )


def _homography(start, end):
    """The 8 projective coefficients mapping `end` points (output) to `start` (input)."""
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zeros, ones = tf.zeros_like(ex), tf.ones_like(ex)
    rows_x = tf.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], -1)
    rows_y = tf.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], -1)
    matrix = tf.reshape(tf.stack([rows_x, rows_y], -2), [-1, 8, 8])
    target = tf.reshape(tf.stack([sx, sy], -1), [-1, 8, 1])
    return tf.linalg.solve(matrix, target)[..., 0]


@hookimpl
def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    x, restore = _batched("perspective_transform", images, data_format)
    start, end = convert_to_tensor(start_points), convert_to_tensor(end_points)
    compute = tf.float64 if x.dtype == tf.float64 else tf.float32
    transforms = _homography(
        tf.cast(tf.reshape(start, [-1, 4, 2]), compute),
        tf.cast(tf.reshape(end, [-1, 4, 2]), compute),
    )
    return restore(
        _projective(x, transforms, INTERPOLATION_ORDERS[interpolation], "constant", fill_value)
    )


# --------------------------------------------------------------------------------------------
# Filters, padding, patches
# --------------------------------------------------------------------------------------------


def _gaussian_1d(size, sigma, dtype):
    offsets = tf.range(size, dtype=dtype) - (size - 1) / 2
    kernel = tf.exp(-0.5 * (offsets / tf.cast(sigma, dtype)) ** 2)
    return kernel / tf.reduce_sum(kernel)


def _depthwise_same(x, kernel_2d):
    """Zero-padded 'same' correlation of every channel of NHWC `x` with one 2-D kernel."""
    channels = x.shape[-1]
    kernel = tf.tile(kernel_2d[:, :, None, None], [1, 1, channels, 1])
    return nn.depthwise_conv(x, kernel, 1, "same", "channels_last", 1)


@hookimpl
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    x, restore = _batched("gaussian_blur", images, data_format)
    compute = _compute_dtype(x)
    sizes = [int(s) for s in np.broadcast_to(np.asarray(kernel_size), (2,))]
    sigmas = [float(s) for s in np.broadcast_to(np.asarray(sigma, "float64"), (2,))]
    kernel = (
        _gaussian_1d(sizes[1], sigmas[1], compute)[:, None]
        * _gaussian_1d(sizes[0], sigmas[0], compute)[None, :]
    )
    return restore(tf.cast(_depthwise_same(tf.cast(x, compute), kernel), x.dtype))


def _elastic_seed(seed):
    if seed is None:
        return tf.random.uniform([2], maxval=2**31 - 1, dtype=tf.int64)
    return tf.cast(
        tf.stack([tf.reduce_sum(tf.cast(convert_to_tensor(seed), tf.int64)), 0]), tf.int64
    )


@hookimpl
def elastic_transform(
    images, alpha, sigma, interpolation, fill_mode, fill_value, seed, data_format
):
    x, restore = _batched("elastic_transform", images, data_format)
    compute = _compute_dtype(x)
    size = int(6 * float(sigma)) | 1
    shape = tf.concat([[2], tf.shape(x)[:3], [1]], 0)
    offsets = tf.random.stateless_normal(shape, _elastic_seed(seed), dtype=compute) * sigma
    kernel = _gaussian_1d(size, sigma, compute)[:, None] * _gaussian_1d(size, sigma, compute)
    dy, dx = (
        _depthwise_same(offsets[i], kernel)[..., 0] * tf.cast(alpha, compute) for i in range(2)
    )
    rows, cols = tf.meshgrid(
        tf.range(x.shape[1], dtype=compute), tf.range(x.shape[2], dtype=compute), indexing="ij"
    )
    out = _sample_nhwc(
        tf.cast(x, compute),
        rows + dy,
        cols + dx,
        INTERPOLATION_ORDERS[interpolation],
        fill_mode,
        fill_value,
    )
    return restore(tf.cast(out, x.dtype))


def _correlate(x, taps, axis):
    """Correlates `x` with 3 taps along `axis`, edges extended by symmetric reflection."""
    pads = [(0, 0)] * x.shape.rank
    pads[axis] = (1, 1)
    p = tf.pad(x, pads, mode="SYMMETRIC")
    n = x.shape[axis]
    total = None
    for i, t in enumerate(taps):
        if t:
            index = [slice(None)] * x.shape.rank
            index[axis] = slice(i, i + n)
            term = t * p[tuple(index)]
            total = term if total is None else total + term
    return total


@hookimpl
def sobel_edges(images, data_format=None):
    x, _ = _batched("sobel_edges", images, data_format, ranks=(4,))
    x = x if x.dtype.is_floating else tf.cast(x, _compute_dtype(x))
    vertical = _correlate(_correlate(x, (-1, 0, 1), 1), (1, 2, 1), 2)
    horizontal = _correlate(_correlate(x, (-1, 0, 1), 2), (1, 2, 1), 1)
    edges = tf.stack([vertical, horizontal], -1)  # (batch, h, w, channels, 2)
    if standardize_data_format(data_format) == "channels_first":
        edges = moveaxis(edges, 3, 1)
    return edges
