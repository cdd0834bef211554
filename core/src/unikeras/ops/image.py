"""`keras.ops.image`: the public ops of `unikeras.backend.specs.image`.

Every op of the spec is an ordinary function in this module. The block between the
`BEGIN GENERATED OPS` / `END GENERATED OPS` lines is written by `core/tools/gen_ops.py`
(do not edit it by hand); the ops defined above it by hand (argument checks beyond the
contract's, special symbolic handling) win, and a hand-written `_check_<op>` function is
called first by the generated op of that name.
"""

# --- BEGIN GENERATED OPS: written by core/tools/gen_ops.py from backend/specs/image.py ---
# Regenerate with `python core/tools/gen_ops.py` after changing the spec or a hand-written op.
from unikeras.backend.keras_tensor import KerasTensor as _KT  # noqa: E402
from unikeras.backend.registry import add_table_listener as _add_table_listener  # noqa: E402
from unikeras.ops.dispatch import any_keras_tensor as _any_kt  # noqa: E402,F401
from unikeras.ops.dispatch import bind_implementations as _bind  # noqa: E402
from unikeras.ops.dispatch import nested_keras_tensor as _nested_kt  # noqa: E402,F401
from unikeras.ops.dispatch import symbolic as _symbolic  # noqa: E402


def rgb_to_grayscale(images, data_format=None):
    """Luma `0.2989 R + 0.5870 G + 0.1140 B` as one channel (a 1-channel input is returned
    unchanged).

    Example:

    >>> keras.ops.image.rgb_to_grayscale(np.ones((1, 2, 2, 3), 'float32')).shape
    (1, 2, 2, 1)
    """
    if images.__class__ is _KT:
        return _symbolic("rgb_to_grayscale", (images, data_format), {})
    return _impl_rgb_to_grayscale(images, data_format)


def rgb_to_hsv(images, data_format=None):
    """RGB in [0, 1] to HSV, all three in [0, 1]. `images` must be floating point."""
    if images.__class__ is _KT:
        return _symbolic("rgb_to_hsv", (images, data_format), {})
    return _impl_rgb_to_hsv(images, data_format)


def hsv_to_rgb(images, data_format=None):
    """HSV in [0, 1] to RGB in [0, 1]. `images` must be floating point."""
    if images.__class__ is _KT:
        return _symbolic("hsv_to_rgb", (images, data_format), {})
    return _impl_hsv_to_rgb(images, data_format)


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to `size = (height, width)`.

    Sampling uses half-pixel centres: output pixel `j` of an axis scaled by `s = out / in`
    reads input position `(j + 0.5) / s - 0.5`. `interpolation` is `"bilinear"`,
    `"nearest"` (input index `floor((j + 0.5) / s)`), `"bicubic"` (Keys, a = -0.5),
    `"lanczos3"` or `"lanczos5"`; kernel weights are normalised to sum to 1. With
    `antialias`, downsampling widens the kernel by `1 / s`. Integer images are rounded and
    clipped to their input range. `crop_to_aspect_ratio` first takes the centred crop of the
    target aspect ratio; `pad_to_aspect_ratio` pads (centred, with `fill_value`) instead;
    only `fill_mode="constant"` exists.
    """
    if images.__class__ is _KT:
        return _symbolic("resize", (images, size, interpolation, antialias, crop_to_aspect_ratio,
                                    pad_to_aspect_ratio, fill_mode, fill_value, data_format), {})
    return _impl_resize(images, size, interpolation, antialias, crop_to_aspect_ratio,
                        pad_to_aspect_ratio, fill_mode, fill_value, data_format)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Applies projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]` (one, or one per
    image): output pixel `(x, y)` reads input
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with `k = c0 x + c1 y + 1`.

    `interpolation` is `"nearest"` or `"bilinear"`; `fill_mode` as in `map_coordinates`.
    """
    if images.__class__ is _KT or transform.__class__ is _KT:
        return _symbolic("affine_transform", (images, transform, interpolation, fill_mode,
                                              fill_value, data_format), {})
    return _impl_affine_transform(images, transform, interpolation, fill_mode, fill_value,
                                  data_format)


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Patches of `size` (int or `(h, w)`; a 3-tuple defers to `extract_patches_3d`) laid
    out in the channel axis, flattened in `(patch_h, patch_w, channels)` order. `strides`
    defaults to `size`."""
    if images.__class__ is _KT:
        return _symbolic("extract_patches", (images, size, strides, dilation_rate, padding,
                                             data_format), {})
    return _impl_extract_patches(images, size, strides, dilation_rate, padding, data_format)


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Volumetric patches of rank 4 or 5 `volumes`, flattened in `(d, h, w, channels)`
    order into the channel axis."""
    if volumes.__class__ is _KT:
        return _symbolic("extract_patches_3d", (volumes, size, strides, dilation_rate, padding,
                                                data_format), {})
    return _impl_extract_patches_3d(volumes, size, strides, dilation_rate, padding, data_format)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at `coordinates` (shape `(inputs.ndim, *out_shape)`).

    `order` 0 takes the nearest point (halves rounded away from zero), 1 interpolates
    linearly. `fill_mode` decides the values outside: `"constant"` (`fill_value`),
    `"nearest"` (edge value), `"wrap"`, `"mirror"` (reflect about the edge pixel centres)
    or `"reflect"` (reflect about the edges, edge pixels repeated).
    """
    if inputs.__class__ is _KT or coordinates.__class__ is _KT:
        return _symbolic("map_coordinates", (inputs, coordinates, order, fill_mode, fill_value), {})
    return _impl_map_coordinates(inputs, coordinates, order, fill_mode, fill_value)


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
               target_height=None, target_width=None, data_format=None):
    """Zero-pads images; of `top_padding`, `bottom_padding`, `target_height` exactly two are
    given (likewise for the width)."""
    if images.__class__ is _KT:
        return _symbolic("pad_images", (images, top_padding, left_padding, bottom_padding,
                                        right_padding, target_height, target_width,
                                        data_format), {})
    return _impl_pad_images(images, top_padding, left_padding, bottom_padding, right_padding,
                            target_height, target_width, data_format)


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crops images; of `top_cropping`, `bottom_cropping`, `target_height` exactly two are
    given (likewise for the width)."""
    if images.__class__ is _KT:
        return _symbolic("crop_images", (images, top_cropping, left_cropping, bottom_cropping,
                                         right_cropping, target_height, target_width,
                                         data_format), {})
    return _impl_crop_images(images, top_cropping, left_cropping, bottom_cropping, right_cropping,
                             target_height, target_width, data_format)


def perspective_transform(images, start_points, end_points, interpolation="bilinear", fill_value=0,
                          data_format=None):
    """Warps images so that the four `start_points` `(x, y)` (shape `(4, 2)` or
    `(batch, 4, 2)`) move to `end_points`; outside samples take `fill_value`."""
    if images.__class__ is _KT or start_points.__class__ is _KT or end_points.__class__ is _KT:
        return _symbolic("perspective_transform", (images, start_points, end_points, interpolation,
                                                   fill_value, data_format), {})
    return _impl_perspective_transform(images, start_points, end_points, interpolation, fill_value,
                                       data_format)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs with a normalised Gaussian kernel, zero padding ("same" output size).

    `kernel_size[0]` and `sigma[0]` apply along the width, `[1]` along the height.
    """
    if images.__class__ is _KT:
        return _symbolic("gaussian_blur", (images, kernel_size, sigma, data_format), {})
    return _impl_gaussian_blur(images, kernel_size, sigma, data_format)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect",
                      fill_value=0.0, seed=None, data_format=None):
    """Random elastic deformation: per-pixel normal offsets, blurred by a Gaussian of
    `sigma` (kernel size `int(6 sigma) | 1`) and scaled by `alpha`, then resampled with
    `map_coordinates`. Random: values differ between backends for the same seed."""
    if images.__class__ is _KT:
        return _symbolic("elastic_transform", (images, alpha, sigma, interpolation, fill_mode,
                                               fill_value, seed, data_format), {})
    return _impl_elastic_transform(images, alpha, sigma, interpolation, fill_mode, fill_value, seed,
                                   data_format)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resamples `spatial_dims` of `images` to `output_shape`: output `j` reads input
    `(j + 0.5 - translation) / scale - 0.5`. `method`: `"linear"`/`"bilinear"`/
    `"trilinear"`, `"cubic"`/`"bicubic"`/`"tricubic"`, `"lanczos3"`, `"lanczos5"`."""
    if images.__class__ is _KT or scale.__class__ is _KT or translation.__class__ is _KT:
        return _symbolic("scale_and_translate", (images, output_shape, scale, translation,
                                                 spatial_dims, method, antialias), {})
    return _impl_scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                                     antialias)


def sobel_edges(images, data_format=None):
    """Sobel gradients of rank-4 images, `(..., channels, 2)`: the vertical derivative
    (index 0) and the horizontal one (index 1), edges extended by reflection."""
    if images.__class__ is _KT:
        return _symbolic("sobel_edges", (images, data_format), {})
    return _impl_sobel_edges(images, data_format)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity between images of rank 3 (one image) or 4 (a batch).

    Local means, variances and covariance come from a `filter_size` x `filter_size`
    Gaussian window (`filter_sigma`) applied with "valid" padding to every channel;
    `c1 = (k1 max_val)^2`, `c2 = (k2 max_val)^2`; the SSIM map is averaged over space and
    channels.

    Returns:
        Shape `(batch,)` for batches, a scalar for one image; the dtype of `image1`.
    """
    if image1.__class__ is _KT or image2.__class__ is _KT:
        return _symbolic("ssim", (image1, image2, max_val, filter_size, filter_sigma, k1, k2,
                                  data_format), {})
    return _impl_ssim(image1, image2, max_val, filter_size, filter_sigma, k1, k2, data_format)


#: Every op of the spec module, hand-written or generated, in the spec's order.
__all__ = [
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "hsv_to_rgb",
    "resize",
    "affine_transform",
    "extract_patches",
    "extract_patches_3d",
    "map_coordinates",
    "pad_images",
    "crop_images",
    "perspective_transform",
    "gaussian_blur",
    "elastic_transform",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
]

#: The ops generated above: each calls `_impl_<op>`, bound by `_rebind`.
_GENERATED = (
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "hsv_to_rgb",
    "resize",
    "affine_transform",
    "extract_patches",
    "extract_patches_3d",
    "map_coordinates",
    "pad_images",
    "crop_images",
    "perspective_transform",
    "gaussian_blur",
    "elastic_transform",
    "scale_and_translate",
    "sobel_edges",
    "ssim",
)


def _rebind():
    """Binds each generated op's `_impl_<op>` to the active backend's implementation."""
    _bind(globals(), _GENERATED)


_rebind()
_add_table_listener(_rebind)
# --- END GENERATED OPS ---
