"""Image ops (`keras.ops.image`: `affine_transform`, `perspective_transform`) and the batching
helpers whose code is the same for every array namespace that follows the NumPy API, written
once.

`bind_image_ops` defines them against `xp` (`numpy` for the built-in backend, `jax.numpy` for
JAX) and the backend's own helpers, and adds the hook implementations to the backend's `image`
module (closures: no extra call per op).
"""

import types

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.common import ndimage
from unikeras.backend.common.dtype_rules import compute_dtype
from unikeras.backend.common.image_args import (
    INTERPOLATION_ORDERS,
    aspect_box,
    aspect_pads,
    check_image_rank,
    resize_target,
    resized_axes,
)
from unikeras.backend.config import standardize_data_format
from unikeras.backend.hookspec import hookimpl


def bind_image_ops(xp, namespace, to_dtype, depthwise_conv, index_dtype):
    """Binds the shared `image` hook implementations to one array namespace and adds them to
    a backend's `image` module.

    Args:
        xp: The array module (`numpy` or `jax.numpy`).
        namespace: The `globals()` of the backend's `image` module. It must define the
            helpers the shared ops call, by these names:
            - `convert_to_tensor(x, dtype=None)`;
            - `_scale_and_translate(x, shape, dims, scales, translations, kernel, antialias)`:
              the separable resampling of `resize`;
            - `_KERNELS`: the resampling kernels of `resize` by interpolation name;
            - `_correlate(x, taps, axis)`: a 3-tap correlation with symmetric edges;
            - `_elastic_noise(seed, shape, dtype)`: standard normal noise from `seed`;
            The ops (and the helpers they share) are added to it.
        to_dtype: The backend's dtype conversion from a Keras dtype name.
        depthwise_conv: The backend's `depthwise_conv` hook (for the blur and edge filters).
        index_dtype: The integer dtype of gather indices (`int64` for NumPy, `int32` for JAX).

    Returns:
        A `types.SimpleNamespace` of what was added, by name.
    """
    convert_to_tensor = namespace["convert_to_tensor"]
    resample = namespace["_scale_and_translate"]
    kernels = namespace["_KERNELS"]
    correlate = namespace["_correlate"]
    elastic_noise = namespace["_elastic_noise"]
    ops = types.SimpleNamespace()

    def _hook(fn, name=None):
        impl = hookimpl(fn)
        setattr(ops, name or fn.__name__, impl)
        return impl

    def _helper(fn):
        setattr(ops, fn.__name__, fn)
        return fn

    @_helper
    def _batched(op, images, data_format, ranks=(3, 4)):
        """Returns `(images as NHWC, restore)`; `restore` undoes the batch/format change."""
        images = convert_to_tensor(images)
        check_image_rank(op, images.shape, ranks)
        data_format = standardize_data_format(data_format)
        single = len(ranks) == 2 and images.ndim == ranks[0]
        x = images[None] if single else images
        x = xp.moveaxis(x, 1, -1) if data_format == "channels_first" else x

        def restore(y):
            y = xp.moveaxis(y, -1, 1) if data_format == "channels_first" else y
            return y[0] if single else y

        return x, restore

    @_helper
    def _compute_dtype(x):
        return to_dtype(compute_dtype(x.dtype))

    @_hook
    def affine_transform(
        images,
        transform,
        interpolation="bilinear",
        fill_mode="constant",
        fill_value=0,
        data_format=None,
    ):
        x, restore = _batched("affine_transform", images, data_format)
        transform = convert_to_tensor(transform)
        return restore(
            _projective(
                x,
                transform.reshape(-1, 8),
                INTERPOLATION_ORDERS[interpolation],
                fill_mode,
                fill_value,
            )
        )

    @_hook
    def perspective_transform(
        images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
    ):
        x, restore = _batched("perspective_transform", images, data_format)
        start, end = convert_to_tensor(start_points), convert_to_tensor(end_points)
        compute = xp.float64 if x.dtype == xp.float64 else xp.float32
        transforms = ndimage.homography(
            xp, start.reshape(-1, 4, 2).astype(compute), end.reshape(-1, 4, 2).astype(compute)
        )
        return restore(
            _projective(x, transforms, INTERPOLATION_ORDERS[interpolation], "constant", fill_value)
        )

    @_helper
    def _depthwise_same(x, kernel_2d):
        """Zero-padded 'same' correlation of every channel of NHWC `x` with one 2-D kernel."""
        kernel = xp.broadcast_to(kernel_2d[:, :, None, None], kernel_2d.shape + (x.shape[-1], 1))
        return depthwise_conv(x, kernel, 1, "same", "channels_last", 1)

    @_helper
    def _cast_like(out, x):
        """`out` in the dtype of the input `x`; for integer inputs rounded and clipped to the
        range of `x` first."""
        if not dtypes.is_float_dtype(x.dtype):
            low, high = (xp.min(x), xp.max(x)) if x.size else (0, 0)
            out = xp.clip(xp.round(out), low, high)
        return out.astype(x.dtype)

    @_hook
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
            pads = aspect_pads(height, width, target_h, target_w)
            fill = xp.asarray(fill_value).astype(x.dtype)
            x = xp.pad(x, ((0, 0),) + pads + ((0, 0),), constant_values=fill)
        if interpolation == "nearest":
            for axis, out in ((1, target_h), (2, target_w)):
                index = xp.floor((xp.arange(out, dtype=xp.float32) + 0.5) * x.shape[axis] / out)
                x = xp.take(x, index.astype(index_dtype), axis=axis)
            return restore(x)
        dims, shape, scales = resized_axes(x.shape, target_h, target_w)
        return restore(
            resample(x, shape, dims, scales, [0.0] * len(dims), kernels[interpolation], antialias)
        )

    @_hook
    def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
        x = convert_to_tensor(inputs)
        coordinates = convert_to_tensor(coordinates)
        return ndimage.map_coordinates(
            xp,
            x,
            coordinates,
            order,
            fill_mode,
            fill_value,
            _compute_dtype(x),
            index_dtype,
            dtypes.is_float_dtype(x.dtype),
        )

    @_helper
    def _projective(x, transforms, order, fill_mode, fill_value):
        return ndimage.projective(
            xp, x, transforms, order, fill_mode, fill_value, _compute_dtype(x), index_dtype
        )

    @_hook
    def elastic_transform(
        images,
        alpha=20.0,
        sigma=5.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        seed=None,
        data_format=None,
    ):
        x, restore = _batched("elastic_transform", images, data_format)
        compute = _compute_dtype(x)
        size = int(6 * float(sigma)) | 1
        offsets = elastic_noise(seed, (2,) + x.shape[:3] + (1,), compute)
        offsets = offsets * xp.asarray(sigma, compute)
        taps = ndimage.gaussian_1d(xp, size, sigma, compute)
        kernel = xp.outer(taps, taps)
        dy, dx = (_depthwise_same(o, kernel)[..., 0] * xp.asarray(alpha, compute) for o in offsets)
        rows, cols = xp.meshgrid(
            xp.arange(x.shape[1], dtype=compute),
            xp.arange(x.shape[2], dtype=compute),
            indexing="ij",
        )
        out = ndimage.sample_nhwc(
            xp,
            x.astype(compute),
            rows + dy,
            cols + dx,
            INTERPOLATION_ORDERS[interpolation],
            fill_mode,
            fill_value,
            compute,
            index_dtype,
        )
        return restore(out.astype(x.dtype))

    @_hook
    def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
        x, restore = _batched("gaussian_blur", images, data_format)
        compute = _compute_dtype(x)
        sizes = [int(s) for s in np.broadcast_to(np.asarray(kernel_size), (2,))]  # static
        sigmas = xp.broadcast_to(xp.asarray(sigma, compute), (2,))
        kernel = xp.outer(
            ndimage.gaussian_1d(xp, sizes[1], sigmas[1], compute),
            ndimage.gaussian_1d(xp, sizes[0], sigmas[0], compute),
        )
        return restore(_depthwise_same(x.astype(compute), kernel).astype(x.dtype))

    @_hook
    def sobel_edges(images, data_format=None):
        x, restore = _batched("sobel_edges", images, data_format, ranks=(4,))
        x = x if dtypes.is_float_dtype(x.dtype) else x.astype(_compute_dtype(x))
        vertical = correlate(correlate(x, (-1, 0, 1), 1), (1, 2, 1), 2)
        horizontal = correlate(correlate(x, (-1, 0, 1), 2), (1, 2, 1), 1)
        edges = xp.stack([vertical, horizontal], -1)  # (batch, h, w, channels, 2)
        if standardize_data_format(data_format) == "channels_first":
            edges = xp.moveaxis(edges, 3, 1)
        return edges

    namespace.update(vars(ops))
    return ops
