"""PyTorch backend: `image` ops (`keras.ops.image`).

Every op works on a batch of channels_last images `(batch, height, width, channels)`.
"""

import itertools

import torch
import torch.nn.functional as F

from unikeras.backend.common.conv_args import patch_args
from unikeras.backend.common.dtype_rules import compute_dtype
from unikeras.backend.common.resampling import kernel_table
from unikeras.backend.common.image_args import (
    INTERPOLATION_ORDERS,
    aspect_box,
    check_image_rank,
    resize_target,
    resized_axes,
)
from unikeras.backend.api import hookimpl, standardize_data_format
from unikeras_torch import nn
from unikeras_torch.convert import convert_to_tensor, to_torch_dtype

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _batched(op, images, data_format, ranks=(3, 4)):
    """Returns `(images as NHWC, restore)`; `restore` undoes the batch/format change."""
    images = convert_to_tensor(images)
    check_image_rank(op, images.shape, ranks)
    data_format = standardize_data_format(data_format)
    single = len(ranks) == 2 and images.dim() == ranks[0]
    x = images[None] if single else images
    x = torch.movedim(x, 1, -1) if data_format == "channels_first" else x

    def restore(y):
        y = torch.movedim(y, -1, 1) if data_format == "channels_first" else y
        return y[0] if single else y

    return x, restore


def _compute_dtype(x):
    return to_torch_dtype(compute_dtype(x.dtype))


# --------------------------------------------------------------------------------------------
# Colour spaces
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Resampling
# --------------------------------------------------------------------------------------------


def _triangle(d):
    return torch.clamp(1 - d, min=0)


def _keys_cubic(d):
    near = ((1.5 * d - 2.5) * d) * d + 1
    far = ((-0.5 * d + 2.5) * d - 4) * d + 2
    zero = torch.zeros_like(d)
    return torch.where(d >= 2, zero, torch.where(d >= 1, far, near))


def _lanczos(radius):
    def kernel(d):
        safe = torch.where(d > 1e-3, d, torch.ones_like(d))
        value = (
            radius
            * torch.sin(torch.pi * safe)
            * torch.sin(torch.pi * safe / radius)
            / (torch.pi * safe) ** 2
        )
        return torch.where(
            d > radius, torch.zeros_like(d), torch.where(d > 1e-3, value, torch.ones_like(d))
        )

    return kernel


_KERNELS = kernel_table(_triangle, _keys_cubic, _lanczos)


def _weights(in_size, out_size, scale, translation, kernel, antialias, device):
    """`(in_size, out_size)` float64 resampling weights of one axis (half-pixel centres)."""
    sample = (
        torch.arange(out_size, dtype=torch.float64, device=device) + 0.5 - translation
    ) / scale - 0.5
    widen = max(1 / scale, 1.0) if antialias else 1.0
    source = torch.arange(in_size, dtype=torch.float64, device=device)
    w = kernel(torch.abs(sample[None, :] - source[:, None]) / widen)
    total = torch.sum(w, dim=0, keepdim=True)
    eps = 1000 * torch.finfo(torch.float32).eps
    w = torch.where(
        torch.abs(total) > eps,
        w / torch.where(total != 0, total, torch.ones_like(total)),
        torch.zeros_like(w),
    )
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return torch.where(inside[None, :], w, torch.zeros_like(w))


def _scale_and_translate(x, output_shape, spatial_dims, scale, translation, kernel, antialias):
    out = x.to(_compute_dtype(x))
    for i, axis in enumerate(spatial_dims):
        axis = axis % x.dim()
        w = _weights(
            x.shape[axis],
            output_shape[axis],
            float(scale[i]),
            float(translation[i]),
            kernel,
            antialias,
            x.device,
        ).to(out.dtype)
        out = torch.movedim(torch.tensordot(out, w, dims=([axis], [0])), -1, axis)
    if not x.is_floating_point():
        low, high = (x.min(), x.max()) if x.numel() else (0, 0)
        out = torch.clamp(torch.round(out), low, high)
    return out.to(x.dtype)


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
    _, height, width, _ = x.shape
    if crop_to_aspect_ratio:
        box_h, box_w, top, left = aspect_box(height, width, target_h, target_w, True)
        x = x[:, top : top + box_h, left : left + box_w]
    elif pad_to_aspect_ratio:
        box_h, box_w, top, left = aspect_box(height, width, target_h, target_w, False)
        # Keras 3 pads only one axis: the height when it grows, else the width.
        pads = (0, 0, 0, 0, top, top) if top > 0 else (0, 0, left, left, 0, 0)
        x = F.pad(x, pads, value=fill_value)
    if interpolation == "nearest":
        for axis, out in ((1, target_h), (2, target_w)):
            index = torch.floor(
                (torch.arange(out, dtype=torch.float32, device=x.device) + 0.5)
                * x.shape[axis]
                / out
            )
            x = torch.index_select(x, axis, index.to(torch.int64))
        return restore(x)
    dims, shape, scales = resized_axes(x.shape, target_h, target_w)
    return restore(
        _scale_and_translate(
            x, shape, dims, scales, [0.0] * len(dims), _KERNELS[interpolation], antialias
        )
    )


@hookimpl
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias):
    x = convert_to_tensor(images)
    scale = convert_to_tensor(scale).reshape(-1).tolist()
    translation = convert_to_tensor(translation).reshape(-1).tolist()
    return _scale_and_translate(
        x, tuple(output_shape), tuple(spatial_dims), scale, translation, _KERNELS[method], antialias
    )


def _fill_index(index, size, mode):
    """Maps integer indices (possibly outside `[0, size)`) into range; returns (index, valid)."""
    if mode == "constant":
        return torch.clamp(index, 0, size - 1), (index >= 0) & (index < size)
    if mode == "nearest":
        return torch.clamp(index, 0, size - 1), None
    if mode == "wrap":
        return torch.remainder(index, size), None
    if mode == "mirror":
        if size == 1:
            return torch.zeros_like(index), None
        period = 2 * size - 2
        index = torch.remainder(index, period)
        return torch.where(index < size, index, period - index), None
    period = 2 * size  # "reflect": mirror about the edges, edge pixels repeated
    index = torch.remainder(index, period)
    return torch.where(index < size, index, period - 1 - index), None


def _corner_taps(coordinate, order):
    """Integer taps and weights of one axis for nearest (order 0) or linear (order 1)."""
    if order == 0:
        rounded = torch.sign(coordinate) * torch.floor(torch.abs(coordinate) + 0.5)
        return [(rounded.to(torch.int64), torch.ones_like(coordinate))]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    lower = lower.to(torch.int64)
    return [(lower, 1 - upper_weight), (lower + 1, upper_weight)]


@hookimpl
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    x = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates)
    compute = _compute_dtype(x)
    coordinates = coordinates.to(compute)
    data = x.to(compute)
    fill = torch.tensor(fill_value, dtype=compute, device=x.device)
    per_axis = [_corner_taps(c, order) for c in coordinates]
    result = torch.zeros(tuple(coordinates.shape[1:]), dtype=compute, device=x.device)
    for corner in itertools.product(*[range(len(taps)) for taps in per_axis]):
        indices, weight, valid = [], 1, None
        for axis, tap in enumerate(corner):
            index, w = per_axis[axis][tap]
            index, ok = _fill_index(index, x.shape[axis], fill_mode)
            indices.append(index)
            weight = weight * w
            if ok is not None:
                valid = ok if valid is None else valid & ok
        values = data[tuple(indices)] if x.numel() else torch.zeros_like(result)
        if valid is not None:
            values = torch.where(valid, values, fill)
        result = result + weight * values
    if not x.is_floating_point():
        result = torch.round(result)
    return result.to(x.dtype)


def _sample_nhwc(x, rows, cols, order, fill_mode, fill_value):
    """Samples NHWC `x` at per-image `(batch, h, w)` row/column coordinates."""
    batch = torch.arange(x.shape[0], device=x.device)[:, None, None].expand(rows.shape)
    coords = torch.stack([batch.to(rows.dtype), rows, cols])
    channels = [
        map_coordinates(x[..., c], coords, order, fill_mode, fill_value) for c in range(x.shape[-1])
    ]
    return torch.stack(channels, -1)


def _projective(x, transforms, order, fill_mode, fill_value):
    """Output pixel (x, y) reads input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)."""
    compute = _compute_dtype(x)
    t = torch.broadcast_to(transforms.to(compute), (x.shape[0], 8))
    rows, cols = torch.meshgrid(
        torch.arange(x.shape[1], dtype=compute, device=x.device),
        torch.arange(x.shape[2], dtype=compute, device=x.device),
        indexing="ij",
    )
    a = [t[:, i, None, None] for i in range(8)]
    k = a[6] * cols + a[7] * rows + 1
    src_cols = (a[0] * cols + a[1] * rows + a[2]) / k
    src_rows = (a[3] * cols + a[4] * rows + a[5]) / k
    return _sample_nhwc(x.to(compute), src_rows, src_cols, order, fill_mode, fill_value).to(x.dtype)


@hookimpl
def affine_transform(images, transform, interpolation, fill_mode, fill_value, data_format):
    x, restore = _batched("affine_transform", images, data_format)
    transform = convert_to_tensor(transform)
    return restore(
        _projective(
            x, transform.reshape(-1, 8), INTERPOLATION_ORDERS[interpolation], fill_mode, fill_value
        )
    )


def _homography(start, end):
    """The 8 projective coefficients mapping `end` points (output) to `start` (input)."""
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zeros, ones = torch.zeros_like(ex), torch.ones_like(ex)
    rows_x = torch.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], -1)
    rows_y = torch.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], -1)
    matrix = torch.stack([rows_x, rows_y], -2).reshape(start.shape[0], 8, 8)
    target = torch.stack([sx, sy], -1).reshape(start.shape[0], 8, 1)
    return torch.linalg.solve(matrix, target)[..., 0]


@hookimpl
def perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    x, restore = _batched("perspective_transform", images, data_format)
    start, end = convert_to_tensor(start_points), convert_to_tensor(end_points)
    compute = torch.float64 if x.dtype == torch.float64 else torch.float32
    transforms = _homography(start.reshape(-1, 4, 2).to(compute), end.reshape(-1, 4, 2).to(compute))
    return restore(
        _projective(x, transforms, INTERPOLATION_ORDERS[interpolation], "constant", fill_value)
    )


# --------------------------------------------------------------------------------------------
# Filters, padding, patches
# --------------------------------------------------------------------------------------------


def _gaussian_1d(size, sigma, dtype, device):
    offsets = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (offsets / sigma) ** 2)
    return kernel / torch.sum(kernel)


def _depthwise_same(x, kernel_2d):
    """Zero-padded 'same' correlation of every channel of NHWC `x` with one 2-D kernel."""
    kernel = kernel_2d[:, :, None, None].expand(tuple(kernel_2d.shape) + (x.shape[-1], 1))
    return nn.depthwise_conv(x, kernel, 1, "same", "channels_last", 1)


def _pair_of(value):
    return [value] * 2 if isinstance(value, (int, float)) else list(value)


@hookimpl
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    x, restore = _batched("gaussian_blur", images, data_format)
    compute = _compute_dtype(x)
    sizes = [int(s) for s in _pair_of(kernel_size)]
    sigmas = [
        float(s)
        for s in _pair_of(
            convert_to_tensor(sigma).reshape(-1).tolist()
            if not isinstance(sigma, (int, float))
            else sigma
        )
    ]
    kernel = torch.outer(
        _gaussian_1d(sizes[1], sigmas[1], compute, x.device),
        _gaussian_1d(sizes[0], sigmas[0], compute, x.device),
    )
    return restore(_depthwise_same(x.to(compute), kernel).to(x.dtype))


@hookimpl
def elastic_transform(
    images, alpha, sigma, interpolation, fill_mode, fill_value, seed, data_format
):
    from unikeras_torch.random import generator

    x, restore = _batched("elastic_transform", images, data_format)
    compute = _compute_dtype(x)
    size = int(6 * float(sigma)) | 1
    seed = torch.tensor([0, 0]) if seed is None else convert_to_tensor(seed).reshape(-1)
    offsets = torch.randn(
        (2,) + tuple(x.shape[:3]) + (1,), generator=generator(seed), device=x.device
    ).to(compute) * float(sigma)
    gaussian = _gaussian_1d(size, float(sigma), compute, x.device)
    kernel = torch.outer(gaussian, gaussian)
    dy, dx = (_depthwise_same(o, kernel)[..., 0] * float(alpha) for o in offsets)
    rows, cols = torch.meshgrid(
        torch.arange(x.shape[1], dtype=compute, device=x.device),
        torch.arange(x.shape[2], dtype=compute, device=x.device),
        indexing="ij",
    )
    out = _sample_nhwc(
        x.to(compute),
        rows + dy,
        cols + dx,
        INTERPOLATION_ORDERS[interpolation],
        fill_mode,
        fill_value,
    )
    return restore(out.to(x.dtype))


def _patches(op, images, size, strides, dilation_rate, padding, data_format, n):
    x, restore = _batched(op, images, data_format, ranks=(n + 1, n + 2))
    size, strides, dilation, span = patch_args(op, n, size, strides, dilation_rate)
    padded = nn.pad_spatial(torch.movedim(x, -1, 1), span, strides, padding)
    windows = padded  # (batch, C, *spatial) -> (batch, C, *out, *size)
    for axis, (k, d, st) in enumerate(zip(size, dilation, strides), start=2):
        span_k = (k - 1) * d + 1
        windows = windows.unfold(axis, span_k, st)
    taps = windows[(Ellipsis,) + tuple(slice(None, None, d) for d in dilation)]
    # (batch, C, *out, *size) -> (batch, *out, *size, C): channels last within a patch
    taps = torch.movedim(taps, 1, -1)
    out = taps.reshape(tuple(taps.shape[: n + 1]) + (-1,))
    return restore(out.contiguous())


@hookimpl
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    if not isinstance(size, int) and len(size) == 3:
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


def _correlate3(x, taps, axis):
    """Correlates `x` with 3 taps along `axis`, edges extended by symmetric reflection."""
    n = x.shape[axis]
    first, last = x.narrow(axis, 0, 1), x.narrow(axis, n - 1, 1)
    padded = torch.cat([first, x, last], dim=axis)
    return sum(t * padded.narrow(axis, i, n) for i, t in enumerate(taps) if t)


@hookimpl
def sobel_edges(images, data_format=None):
    x, _ = _batched("sobel_edges", images, data_format, ranks=(4,))
    x = x.to(_compute_dtype(x)) if not x.is_floating_point() else x
    vertical = _correlate3(_correlate3(x, (-1, 0, 1), 1), (1, 2, 1), 2)
    horizontal = _correlate3(_correlate3(x, (-1, 0, 1), 2), (1, 2, 1), 1)
    edges = torch.stack([vertical, horizontal], -1)  # (batch, h, w, channels, 2)
    if standardize_data_format(data_format) == "channels_first":
        edges = torch.movedim(edges, 3, 1)
    return edges
