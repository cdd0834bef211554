"""Image ops (`keras.ops.image`: `affine_transform`, `perspective_transform`) and the batching
helpers whose code is the same for every array namespace that follows the NumPy API, written
once.

`bind_image_ops` defines them against `xp` (`numpy` for the built-in backend, `jax.numpy` for
JAX) and the backend's own helpers, and adds the hook implementations to the backend's `image`
module (closures: no extra call per op).
"""

import types

from unikeras.backend.common import ndimage
from unikeras.backend.common.dtype_rules import compute_dtype
from unikeras.backend.common.image_args import (
    FILL_MODES,
    INTERPOLATION_ORDERS,
    check_choice,
    check_image_rank,
)
from unikeras.backend.config import standardize_data_format
from unikeras.backend.hookspec import hookimpl


def bind_image_ops(xp, namespace, to_dtype, depthwise_conv):
    """Binds the shared `image` hook implementations to one array namespace and adds them to
    a backend's `image` module.

    Args:
        xp: The array module (`numpy` or `jax.numpy`).
        namespace: The `globals()` of the backend's `image` module. It must define the
            helpers the shared ops call, by these names:
            - `convert_to_tensor(x, dtype=None)`;
            - `_projective(x, transforms, order, fill_mode, fill_value)`: the projective
              resampling of a batch of NHWC images;
            The ops (and the helpers they share) are added to it.
        to_dtype: The backend's dtype conversion from a Keras dtype name.
        depthwise_conv: The backend's `depthwise_conv` hook (for the blur and edge filters).

    Returns:
        A `types.SimpleNamespace` of what was added, by name.
    """
    convert_to_tensor = namespace["convert_to_tensor"]
    projective = namespace["_projective"]
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
        check_choice(
            "affine_transform", "interpolation", interpolation, tuple(INTERPOLATION_ORDERS)
        )
        check_choice("affine_transform", "fill_mode", fill_mode, FILL_MODES)
        x, restore = _batched("affine_transform", images, data_format)
        transform = convert_to_tensor(transform)
        ndimage.check_affine_transform(transform.shape)
        return restore(
            projective(
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
        check_choice(
            "perspective_transform", "interpolation", interpolation, tuple(INTERPOLATION_ORDERS)
        )
        x, restore = _batched("perspective_transform", images, data_format)
        start, end = convert_to_tensor(start_points), convert_to_tensor(end_points)
        ndimage.check_perspective_points(start.shape, end.shape)
        compute = xp.float64 if x.dtype == xp.float64 else xp.float32
        transforms = ndimage.homography(
            xp, start.reshape(-1, 4, 2).astype(compute), end.reshape(-1, 4, 2).astype(compute)
        )
        return restore(
            projective(x, transforms, INTERPOLATION_ORDERS[interpolation], "constant", fill_value)
        )

    @_helper
    def _depthwise_same(x, kernel_2d):
        """Zero-padded 'same' correlation of every channel of NHWC `x` with one 2-D kernel."""
        kernel = xp.broadcast_to(kernel_2d[:, :, None, None], kernel_2d.shape + (x.shape[-1], 1))
        return depthwise_conv(x, kernel, 1, "same", "channels_last", 1)

    namespace.update(vars(ops))
    return ops
