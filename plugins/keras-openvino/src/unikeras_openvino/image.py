"""OpenVINO backend: image ops (`keras.ops.image`) as opset nodes.

Every op works on channels_last image batches `(batch, height, width, channels)`.
Resampling weights that depend only on static sizes (resize, scale_and_translate, blur
kernels) are built as Constants; sampling at computed coordinates (affine and perspective
transforms, `map_coordinates`) gathers from the data with `GatherND`.
"""

import itertools

import numpy as np
import openvino.opset14 as ov_ops

from unikeras.backend.api import dtypes
from unikeras.backend.common.conv_args import patch_args, spatial_pads
from unikeras.backend.common.dtype_rules import compute_dtype
from unikeras.backend.common.image_args import (
    INTERPOLATION_ORDERS,
    aspect_box,
    aspect_pads,
    check_float_images,
    check_image_rank,
    crop_windows,
    pad_amounts,
    resize_target,
    resized_axes,
)
from unikeras.backend.api import hookimpl, standardize_data_format
from unikeras.backend.common.resampling import KERNELS as _KERNELS
from unikeras.backend.common.resampling import weights as _weights

from unikeras_openvino.core import int_const
from unikeras_openvino.graph import const, graph_op, host_array, node, out_of, partial_shape
from unikeras_openvino.linalg import solve
from unikeras_openvino.nn import depthwise_conv
from unikeras_openvino.numpy import dtype_out, rank


class _Batch:
    """Images as an NHWC batch, and the way back to the caller's layout."""

    def __init__(self, op_name, images, data_format, ranks=(3, 4)):
        x = node(images)
        check_image_rank(op_name, partial_shape(x), ranks)
        self.channels_first = standardize_data_format(data_format) == "channels_first"
        self.single = len(ranks) == 2 and rank(x) == ranks[0]
        if self.single:
            x = ov_ops.unsqueeze(x, int_const([0])).output(0)
        if self.channels_first:
            n = rank(x)
            x = ov_ops.transpose(x, int_const([0] + list(range(2, n)) + [1])).output(0)
        self.x = x

    def restore(self, y):
        y = out_of(y)
        if self.channels_first:
            n = rank(y)
            y = ov_ops.transpose(y, int_const([0, n - 1] + list(range(1, n - 1)))).output(0)
        return ov_ops.squeeze(y, int_const([0])).output(0) if self.single else y


def _compute(x):
    return node(x, compute_dtype(dtype_out(x)))


def _c(value, x):
    return const(value, dtype_out(x))


def _channel(x, i):
    return ov_ops.gather(x, int_const(i), int_const(-1)).output(0)


def _float_channels(op_name, images, data_format):
    """(batch, float images in the compute dtype, their three channels) of colour ops."""
    batch = _Batch(op_name, images, data_format)
    check_float_images(op_name, dtypes.is_float_dtype(dtype_out(batch.x)), dtype_out(batch.x))
    f = _compute(batch.x)
    return batch, f, [_channel(f, i) for i in range(3)]


# --------------------------------------------------------------------------------------------
# Colour spaces
# --------------------------------------------------------------------------------------------


@hookimpl
@graph_op
def rgb_to_grayscale(images, data_format=None):
    batch = _Batch("rgb_to_grayscale", images, data_format)
    x = batch.x
    channels = partial_shape(x)[-1]
    if channels not in (1, 3):
        raise ValueError(
            "rgb_to_grayscale: expected 1 or 3 channels. "
            f"Received: images.shape={partial_shape(node(images))}"
        )
    if channels == 1:
        return batch.restore(x)
    f = _compute(x)
    weights = const(np.array([[0.2989], [0.5870], [0.1140]]), dtype_out(f))
    gray = ov_ops.matmul(f, weights, False, False).output(0)
    return batch.restore(node(gray, dtype_out(x)))


@hookimpl
@graph_op
def rgb_to_hsv(images, data_format=None):
    batch, f, (r, g, b) = _float_channels("rgb_to_hsv", images, data_format)
    value = ov_ops.maximum(ov_ops.maximum(r, g), b)
    spread = ov_ops.subtract(value, ov_ops.minimum(ov_ops.minimum(r, g), b))
    zero, one = _c(0, f), _c(1, f)
    positive = ov_ops.greater(value, zero)
    saturation = ov_ops.select(
        positive, ov_ops.divide(spread, ov_ops.select(positive, value, one)), zero
    )
    has_spread = ov_ops.greater(spread, zero)
    norm = ov_ops.divide(one, ov_ops.multiply(_c(6, f), ov_ops.select(has_spread, spread, one)))
    hue = ov_ops.select(
        ov_ops.equal(value, g),
        ov_ops.add(ov_ops.multiply(norm, ov_ops.subtract(b, r)), _c(2 / 6, f)),
        ov_ops.add(ov_ops.multiply(norm, ov_ops.subtract(r, g)), _c(4 / 6, f)),
    )
    hue = ov_ops.select(ov_ops.equal(value, r), ov_ops.multiply(norm, ov_ops.subtract(g, b)), hue)
    hue = ov_ops.select(has_spread, hue, zero)
    hue = ov_ops.add(hue, ov_ops.convert(ov_ops.less(hue, zero), f.get_element_type()))
    out = _stack_last([hue, saturation, value])
    return batch.restore(node(out, dtype_out(batch.x)))


def _stack_last(parts):
    return ov_ops.concat([ov_ops.unsqueeze(p, int_const([-1])) for p in parts], -1).output(0)


@hookimpl
@graph_op
def hsv_to_rgb(images, data_format=None):
    batch, f, (hue, saturation, value) = _float_channels("hsv_to_rgb", images, data_format)
    sector = ov_ops.multiply(ov_ops.floor_mod(hue, _c(1, f)), _c(6, f))

    def distance(center):
        return ov_ops.absolute(ov_ops.subtract(sector, _c(center, f)))

    weights = [
        ov_ops.clamp(ov_ops.subtract(distance(3), _c(1, f)), 0.0, 1.0),
        ov_ops.clamp(ov_ops.subtract(_c(2, f), distance(2)), 0.0, 1.0),
        ov_ops.clamp(ov_ops.subtract(_c(2, f), distance(4)), 0.0, 1.0),
    ]
    base = ov_ops.subtract(_c(1, f), saturation)
    rgb = [
        ov_ops.multiply(value, ov_ops.add(base, ov_ops.multiply(saturation, w))) for w in weights
    ]
    return batch.restore(node(_stack_last(rgb), dtype_out(batch.x)))


# --------------------------------------------------------------------------------------------
# Resampling
# --------------------------------------------------------------------------------------------


def _resample_axis(x, axis, weights):
    """Contracts `axis` of `x` with the `(in, out)` matrix `weights`, keeping the position."""
    n = rank(x)
    order = [a for a in range(n) if a != axis] + [axis]
    moved = ov_ops.transpose(x, int_const(order))
    out = ov_ops.matmul(moved, const(weights, dtype_out(x)), False, False)
    back = list(range(axis)) + [n - 1] + list(range(axis, n - 1))
    return ov_ops.transpose(out, int_const(back)).output(0)


def _scale_translate(x, output_shape, spatial_dims, scale, translation, kernel, antialias):
    out = _compute(x)
    shape = partial_shape(x)
    for i, axis in enumerate(spatial_dims):
        axis = axis % len(shape)
        w = _weights(
            shape[axis],
            output_shape[axis],
            float(scale[i]),
            float(translation[i]),
            kernel,
            antialias,
        )
        out = _resample_axis(out, axis, w)
    if not dtypes.is_float_dtype(dtype_out(x)):
        axes = int_const(list(range(len(shape))))
        low = node(ov_ops.reduce_min(x, axes, False).output(0), dtype_out(out))
        high = node(ov_ops.reduce_max(x, axes, False).output(0), dtype_out(out))
        out = ov_ops.minimum(ov_ops.maximum(ov_ops.round(out, "half_to_even"), low), high)
    return node(out_of(out), dtype_out(x))


@hookimpl
@graph_op
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
    batch = _Batch("resize", images, data_format)
    x = batch.x
    _, height, width, _ = partial_shape(x)
    if height is None or width is None:
        raise ValueError("resize: the image height and width must be static.")
    if crop_to_aspect_ratio:
        box_h, box_w, top, left = aspect_box(height, width, target_h, target_w, True)
        x = ov_ops.slice(
            x,
            int_const([top, left]),
            int_const([top + box_h, left + box_w]),
            int_const([1, 1]),
            int_const([1, 2]),
        ).output(0)
    elif pad_to_aspect_ratio:
        (top, bottom), (left, right) = aspect_pads(height, width, target_h, target_w)
        x = ov_ops.pad(
            x,
            int_const([0, top, left, 0]),
            int_const([0, bottom, right, 0]),
            "constant",
            const(fill_value, dtype_out(x)),
        ).output(0)
    shape = partial_shape(x)
    if interpolation == "nearest":
        for axis, out in ((1, target_h), (2, target_w)):
            index = np.floor((np.arange(out, dtype=np.float32) + 0.5) * shape[axis] / out)
            x = ov_ops.gather(x, int_const(index.astype(np.int64)), int_const(axis)).output(0)
        return batch.restore(x)
    dims, out_shape, scales = resized_axes(shape, target_h, target_w)
    return batch.restore(
        _scale_translate(
            x, out_shape, dims, scales, [0.0] * len(dims), _KERNELS[interpolation], antialias
        )
    )


@hookimpl
@graph_op
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias):
    x = node(images)
    # The resampling weights are built from the scale and translation: they must be known.
    scale = np.reshape(host_array(scale), -1)
    translation = np.reshape(host_array(translation), -1)
    return _scale_translate(
        x, tuple(output_shape), tuple(spatial_dims), scale, translation, _KERNELS[method], antialias
    )


def _fill_index(index, size, mode):
    """Maps int64 indices into `[0, size)`; returns `(index, valid mask or None)`."""
    last = int_const(size - 1)
    if mode == "constant":
        valid = ov_ops.logical_and(
            ov_ops.greater_equal(index, int_const(0)), ov_ops.less(index, int_const(size))
        )
        return ov_ops.clamp(index, 0, size - 1).output(0), valid.output(0)
    if mode == "nearest":
        return ov_ops.minimum(ov_ops.maximum(index, int_const(0)), last).output(0), None
    if mode == "wrap":
        return ov_ops.floor_mod(index, int_const(size)).output(0), None
    if mode == "mirror":
        if size == 1:
            return ov_ops.multiply(index, int_const(0)).output(0), None
        period = 2 * size - 2
        index = ov_ops.floor_mod(index, int_const(period))
        return ov_ops.select(
            ov_ops.less(index, int_const(size)), index, ov_ops.subtract(int_const(period), index)
        ).output(0), None
    period = 2 * size  # "reflect": mirror about the edges, edge pixels repeated
    index = ov_ops.floor_mod(index, int_const(period))
    return ov_ops.select(
        ov_ops.less(index, int_const(size)), index, ov_ops.subtract(int_const(period - 1), index)
    ).output(0), None


def _taps(coordinate, order):
    """Integer taps and weights of one axis for nearest (order 0) or linear (order 1)."""
    if order == 0:  # rounds half away from zero
        rounded = ov_ops.round(coordinate, "half_away_from_zero")
        return [(ov_ops.convert(rounded, "i64").output(0), None)]
    lower = ov_ops.floor(coordinate)
    upper_weight = ov_ops.subtract(coordinate, lower).output(0)
    lower_index = ov_ops.convert(lower, "i64").output(0)
    return [
        (lower_index, ov_ops.subtract(_c(1, coordinate), upper_weight).output(0)),
        (ov_ops.add(lower_index, int_const(1)).output(0), upper_weight),
    ]


def _sample(data, coordinates, sizes, order, fill_mode, fill_value, batch_dims=0):
    """Samples `data` at `coordinates` (one float Output per indexed axis of size `sizes`)
    with `GatherND`; the first `batch_dims` axes of data and coordinates correspond."""
    per_axis = [_taps(c, order) for c in coordinates]
    fill = _c(fill_value, data)
    result = None
    for corner in itertools.product(*[range(len(taps)) for taps in per_axis]):
        indices, weight, valid = [], None, None
        for axis, tap in enumerate(corner):
            index, w = per_axis[axis][tap]
            index, ok = _fill_index(index, sizes[axis], fill_mode)
            indices.append(index)
            if w is not None:
                weight = w if weight is None else ov_ops.multiply(weight, w).output(0)
            if ok is not None:
                valid = ok if valid is None else ov_ops.logical_and(valid, ok).output(0)
        values = ov_ops.gather_nd(data, _stack_last(indices), batch_dims).output(0)
        if valid is not None:
            if rank(values) > rank(valid):
                valid = ov_ops.unsqueeze(valid, int_const([-1])).output(0)
            values = ov_ops.select(valid, values, fill).output(0)
        if weight is not None:
            if rank(values) > rank(weight):
                weight = ov_ops.unsqueeze(weight, int_const([-1])).output(0)
            values = ov_ops.multiply(weight, values).output(0)
        result = values if result is None else ov_ops.add(result, values).output(0)
    return result


@hookimpl
@graph_op
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    x = node(inputs)
    shape = partial_shape(x)
    coords = node(coordinates)
    c_shape = partial_shape(coords)
    compute = compute_dtype(dtype_out(x))
    data = node(x, compute)
    coords = node(coords, compute)
    per_axis = [
        ov_ops.gather(coords, int_const(i), int_const(0)).output(0) for i in range(len(shape))
    ]
    if 0 in shape:
        return ov_ops.broadcast(_c(fill_value, x), int_const(list(c_shape[1:])))
    result = _sample(data, per_axis, shape, order, fill_mode, fill_value)
    if not dtypes.is_float_dtype(dtype_out(x)):
        result = ov_ops.round(result, "half_to_even").output(0)
    return node(result, dtype_out(x))


def _projective(x, transforms, order, fill_mode, fill_value):
    """Output pixel (x, y) reads input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)."""
    compute = compute_dtype(dtype_out(x))
    data = node(x, compute)
    _, height, width, _ = partial_shape(x)
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    rows, cols = const(rows, compute), const(cols, compute)
    t = ov_ops.reshape(node(transforms, compute), int_const([-1, 8, 1, 1]), False)
    a = [ov_ops.gather(t, int_const(i), int_const(1)).output(0) for i in range(8)]

    def affine(p, q, r):
        return ov_ops.add(ov_ops.add(ov_ops.multiply(p, cols), ov_ops.multiply(q, rows)), r)

    k = affine(a[6], a[7], const(1, compute))
    src_cols = ov_ops.divide(affine(a[0], a[1], a[2]), k)
    src_rows = ov_ops.divide(affine(a[3], a[4], a[5]), k)
    target = ov_ops.concat(
        [
            ov_ops.gather(ov_ops.shape_of(data, "i64"), int_const([0]), int_const(0)),
            int_const([height, width]),
        ],
        0,
    )
    src_rows = ov_ops.broadcast(src_rows, target).output(0)
    src_cols = ov_ops.broadcast(src_cols, target).output(0)
    out = _sample(
        data, [src_rows, src_cols], (height, width), order, fill_mode, fill_value, batch_dims=1
    )
    return node(out, dtype_out(x))


@hookimpl
@graph_op
def affine_transform(images, transform, interpolation, fill_mode, fill_value, data_format):
    batch = _Batch("affine_transform", images, data_format)
    transform = node(transform)
    return batch.restore(
        _projective(batch.x, transform, INTERPOLATION_ORDERS[interpolation], fill_mode, fill_value)
    )


def _homography(start, end):
    """The 8 projective coefficients mapping `end` points (output) to `start` (input)."""

    def coord(points, i):
        return ov_ops.gather(points, int_const(i), int_const(-1)).output(0)  # (batch, 4)

    sx, sy, ex, ey = coord(start, 0), coord(start, 1), coord(end, 0), coord(end, 1)
    zeros = ov_ops.multiply(ex, _c(0, ex)).output(0)
    ones = ov_ops.add(zeros, _c(1, ex)).output(0)

    def neg_product(a, b):
        return ov_ops.negative(ov_ops.multiply(a, b)).output(0)

    rows_x = _stack_last(
        [ex, ey, ones, zeros, zeros, zeros, neg_product(sx, ex), neg_product(sx, ey)]
    )
    rows_y = _stack_last(
        [zeros, zeros, zeros, ex, ey, ones, neg_product(sy, ex), neg_product(sy, ey)]
    )
    matrix = ov_ops.concat(
        [ov_ops.unsqueeze(rows_x, int_const([-2])), ov_ops.unsqueeze(rows_y, int_const([-2]))], -2
    )
    matrix = ov_ops.reshape(matrix, int_const([-1, 8, 8]), False).output(0)
    target = ov_ops.reshape(_stack_last([sx, sy]), int_const([-1, 8]), False).output(0)
    return solve(matrix, target)


@hookimpl
@graph_op
def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    batch = _Batch("perspective_transform", images, data_format)
    start, end = node(start_points), node(end_points)
    compute = "float64" if dtype_out(batch.x) == "float64" else "float32"
    reshaped = [
        ov_ops.reshape(node(p, compute), int_const([-1, 4, 2]), False).output(0)
        for p in (start, end)
    ]
    transforms = _homography(*reshaped)
    return batch.restore(
        _projective(
            batch.x, transforms, INTERPOLATION_ORDERS[interpolation], "constant", fill_value
        )
    )


# --------------------------------------------------------------------------------------------
# Filters, padding, patches
# --------------------------------------------------------------------------------------------


def _gaussian_1d(size, sigma):
    offsets = np.arange(size, dtype=np.float64) - (size - 1) / 2
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    return kernel / np.sum(kernel)


@hookimpl
@graph_op
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    batch = _Batch("gaussian_blur", images, data_format)
    x = batch.x
    f = _compute(x)
    sizes = [int(s) for s in np.broadcast_to(np.asarray(kernel_size), (2,))]
    # The kernel is built from sigma: it must be known.
    sigmas = np.broadcast_to(np.asarray(host_array(sigma), np.float64), (2,))
    kernel = np.outer(_gaussian_1d(sizes[1], sigmas[1]), _gaussian_1d(sizes[0], sigmas[0]))
    channels = partial_shape(x)[-1]
    weights = np.broadcast_to(kernel[:, :, None, None], kernel.shape + (channels, 1))
    out = depthwise_conv(
        f, const(np.ascontiguousarray(weights), dtype_out(f)), 1, "same", "channels_last", 1
    )
    return batch.restore(node(out_of(out), dtype_out(x)))


@hookimpl
@graph_op
def elastic_transform(
    images, alpha, sigma, interpolation, fill_mode, fill_value, seed, data_format
):
    from unikeras_openvino.random import standard_normal

    batch = _Batch("elastic_transform", images, data_format)
    x = batch.x
    compute = compute_dtype(dtype_out(x))
    n, height, width, _ = partial_shape(x)
    size = int(6 * float(sigma)) | 1
    if seed is None:  # like the other backends: a fresh draw on every call
        seed = np.random.randint(0, 2**31, size=2)
    words = np.array([int(np.sum(host_array(seed))), 0], np.uint32)
    noise = node(standard_normal([2, n, height, width, 1], words, "elastic_transform"), compute)
    kernel = np.outer(_gaussian_1d(size, float(sigma)), _gaussian_1d(size, float(sigma)))
    weights = const(kernel[:, :, None, None], compute)
    offsets = []
    for i in range(2):
        field = ov_ops.multiply(
            ov_ops.gather(noise, int_const(i), int_const(0)), const(float(sigma), compute)
        )
        smooth = depthwise_conv(field, weights, 1, "same", "channels_last", 1)
        offsets.append(
            ov_ops.multiply(
                ov_ops.squeeze(out_of(smooth), int_const([-1])), const(float(alpha), compute)
            ).output(0)
        )
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    src_rows = ov_ops.add(const(rows, compute), offsets[0]).output(0)
    src_cols = ov_ops.add(const(cols, compute), offsets[1]).output(0)
    out = _sample(
        node(x, compute),
        [src_rows, src_cols],
        (height, width),
        INTERPOLATION_ORDERS[interpolation],
        fill_mode,
        fill_value,
        batch_dims=1,
    )
    return batch.restore(node(out, dtype_out(x)))


@hookimpl
@graph_op
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
    batch = _Batch("pad_images", images, data_format)
    shape = partial_shape(batch.x)
    (top, bottom), (left, right) = pad_amounts(
        shape[1],
        shape[2],
        top_padding,
        left_padding,
        bottom_padding,
        right_padding,
        target_height,
        target_width,
    )
    return batch.restore(
        ov_ops.pad(
            batch.x,
            int_const([0, top, left, 0]),
            int_const([0, bottom, right, 0]),
            "constant",
            _c(0, batch.x),
        )
    )


@hookimpl
@graph_op
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
    batch = _Batch("crop_images", images, data_format)
    shape = partial_shape(batch.x)
    rows, cols = crop_windows(
        shape[1],
        shape[2],
        top_cropping,
        left_cropping,
        bottom_cropping,
        right_cropping,
        target_height,
        target_width,
    )
    return batch.restore(
        ov_ops.slice(
            batch.x,
            int_const([rows.start, cols.start]),
            int_const([rows.stop, cols.stop]),
            int_const([1, 1]),
            int_const([1, 2]),
        )
    )


def window_stack(x, size, strides, dilation):
    """Sliding windows of a channels_last `x` (batch, *spatial, C) whose spatial sizes are
    static: `(batch, *out, prod(size), C)`, window offsets in row-major order."""
    n = len(size)
    spatial = partial_shape(x)[1 : n + 1]
    outs = [
        (s - (k - 1) * d - 1) // st + 1 for s, k, d, st in zip(spatial, size, dilation, strides)
    ]
    if any(o <= 0 for o in outs):
        raise NotImplementedError(
            "window extraction with windows larger than the input is not implemented by the "
            "unikeras backend 'openvino'."
        )
    parts = []
    for offset in itertools.product(*[range(k) for k in size]):
        begin = [o * d for o, d in zip(offset, dilation)]
        end = [b + (o - 1) * st + 1 for b, o, st in zip(begin, outs, strides)]
        window = ov_ops.slice(
            x,
            int_const(begin),
            int_const(end),
            int_const(list(strides)),
            int_const(list(range(1, n + 1))),
        )
        parts.append(ov_ops.unsqueeze(window, int_const([n + 1])))
    return ov_ops.concat(parts, n + 1).output(0)


def _patches(op_name, images, size, strides, dilation_rate, padding, data_format, n):
    batch = _Batch(op_name, images, data_format, ranks=(n + 1, n + 2))
    size, strides, dilation, span = patch_args(op_name, n, size, strides, dilation_rate)
    x = batch.x
    pads = spatial_pads(partial_shape(x)[1:-1], span, strides, padding)
    x = ov_ops.pad(
        x,
        int_const([0] + [p[0] for p in pads] + [0]),
        int_const([0] + [p[1] for p in pads] + [0]),
        "constant",
        _c(0, x),
    ).output(0)
    windows = window_stack(x, size, strides, dilation)  # (batch, *out, K, C)
    flat = ov_ops.reshape(windows, int_const([0] * (n + 1) + [-1]), True)
    return batch.restore(flat)


@hookimpl
@graph_op
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    if np.ndim(size) == 1 and len(size) == 3:
        return extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    return _patches(
        "extract_patches", images, size, strides, dilation_rate, padding, data_format, 2
    )


@hookimpl
@graph_op
def extract_patches_3d(
    volumes, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    return _patches(
        "extract_patches_3d", volumes, size, strides, dilation_rate, padding, data_format, 3
    )


def _correlate(x, taps, axis):
    """Correlates `x` with 3 taps along `axis`, edges extended by symmetric reflection."""
    n = partial_shape(x)[axis]
    first = ov_ops.slice(x, int_const([0]), int_const([1]), int_const([1]), int_const([axis]))
    last = ov_ops.slice(x, int_const([n - 1]), int_const([n]), int_const([1]), int_const([axis]))
    padded = ov_ops.concat([first, x, last], axis)
    total = None
    for i, t in enumerate(taps):
        if not t:
            continue
        part = ov_ops.multiply(
            _c(t, x),
            ov_ops.slice(
                padded, int_const([i]), int_const([i + n]), int_const([1]), int_const([axis])
            ),
        )
        total = part if total is None else ov_ops.add(total, part)
    return total.output(0)


@hookimpl
@graph_op
def sobel_edges(images, data_format=None):
    batch = _Batch("sobel_edges", images, data_format, ranks=(4,))
    x = batch.x
    x = x if dtypes.is_float_dtype(dtype_out(x)) else _compute(x)
    vertical = _correlate(_correlate(x, (-1, 0, 1), 1), (1, 2, 1), 2)
    horizontal = _correlate(_correlate(x, (-1, 0, 1), 2), (1, 2, 1), 1)
    edges = _stack_last([vertical, horizontal])  # (batch, h, w, channels, 2)
    if batch.channels_first:
        edges = ov_ops.transpose(edges, int_const([0, 3, 1, 2, 4]))
    return edges
