"""`keras.ops.image`: the public ops of `unikeras.backend.specs.image`.

Every op of the spec is an ordinary function in this module. The block between the
`BEGIN GENERATED OPS` / `END GENERATED OPS` lines is written by `core/tools/gen_ops.py`
(do not edit it by hand); the ops defined above it by hand (argument checks beyond the
contract's, special symbolic handling) win, and a hand-written `_check_<op>` function is
called first by the generated op of that name.
"""

from unikeras.backend import config as _config
from unikeras.backend.common import image_args as _image_args
from unikeras.backend.common.image_args import check_choice as _check_choice
from unikeras.backend.common.resampling import KERNELS as _KERNELS
from unikeras.ops import arg_checks as _args

#: The `method`s of `scale_and_translate` (the resampling kernels' names).
_SCALE_AND_TRANSLATE_METHODS = tuple(_KERNELS)


def _check_scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    # Shared argument check (called first by the generated op).
    _check_choice("scale_and_translate", "method", method, _SCALE_AND_TRANSLATE_METHODS)


def _check_ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
                data_format=None):
    # The Gaussian window is applied with "valid" padding: smaller images would leave no
    # window position (Keras 3 raises a ValueError there too, from its convolution).
    shapes = []
    for name, image in (("image1", image1), ("image2", image2)):
        shape = _args.require_rank("ssim", name, image, (3, 4))
        shapes.append(shape)
        if shape is None:
            continue
        if data_format is None:
            data_format = _config.image_data_format()
        spatial = shape[-3:-1] if data_format == "channels_last" else shape[-2:]
        if any(d is not None and d < filter_size for d in spatial):
            raise ValueError(
                f"ssim: images must be at least `filter_size` ({filter_size}) pixels high and "
                f"wide (the Gaussian window is applied without padding). Received: "
                f"{name}.shape={shape}, data_format={data_format!r}"
            )
    if not _args.compatible(*shapes):
        raise ValueError(
            "ssim: `image1` and `image2` must have the same shape. Received: "
            f"image1.shape={shapes[0]}, image2.shape={shapes[1]}"
        )


# Shared argument checks of the resampling ops: each generated op calls its `_check_<op>` first
# (the backends no longer check these names and shapes each on their own).
#: The `interpolation`s of affine_transform, perspective_transform and elastic_transform.
_INTERPOLATIONS = tuple(_image_args.INTERPOLATION_ORDERS)


# (The generated op passes its arguments in the spec's order; `*_` takes those left unchecked.)
def _check_resize(
    images, size, interpolation, antialias, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode, *_
):
    _image_args.check_choice(
        "resize", "interpolation", interpolation, _image_args.RESIZE_INTERPOLATIONS
    )
    _image_args.check_choice("resize", "fill_mode", fill_mode, ("constant",))
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "resize: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
        )
    if len(size) != 2:
        raise ValueError(f"resize: `size` must be (height, width). Received: size={size}")


def _check_affine_transform(images, transform, interpolation, fill_mode, *_):
    _image_args.check_choice("affine_transform", "interpolation", interpolation, _INTERPOLATIONS)
    _image_args.check_choice("affine_transform", "fill_mode", fill_mode, _image_args.FILL_MODES)
    shape = _args.static_shape(transform)
    if shape is not None and (len(shape) not in (1, 2) or shape[-1] not in (8, None)):
        raise ValueError(
            "affine_transform: expected `transform` of shape (8,) or (batch, 8). "
            f"Received: transform.shape={shape}"
        )


def _check_map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    shape, coordinates_shape = _args.static_shape(inputs), _args.static_shape(coordinates)
    if (
        shape is not None
        and coordinates_shape is not None
        and (not coordinates_shape or coordinates_shape[0] not in (len(shape), None))
    ):
        raise ValueError(
            "map_coordinates: `coordinates` must have shape (inputs.ndim, ...) = "
            f"({len(shape)}, ...). Received: inputs.shape={shape}, "
            f"coordinates.shape={coordinates_shape}"
        )
    _image_args.check_choice("map_coordinates", "order", order, (0, 1))
    _image_args.check_choice("map_coordinates", "fill_mode", fill_mode, _image_args.FILL_MODES)


def _check_perspective_transform(
    images, start_points, end_points, interpolation="bilinear", fill_value=0, data_format=None
):
    _image_args.check_choice(
        "perspective_transform", "interpolation", interpolation, _INTERPOLATIONS
    )
    start, end = _args.static_shape(start_points), _args.static_shape(end_points)
    if start is None or end is None:
        return
    if (
        not _args.compatible(start, end)
        or len(start) not in (2, 3)
        or not _args.compatible(start[-2:], (4, 2))
    ):
        raise ValueError(
            "perspective_transform: expected `start_points` and `end_points` of shape (4, 2) "
            f"or (batch, 4, 2). Received: start_points.shape={start}, end_points.shape={end}"
        )


def _check_elastic_transform(images, alpha, sigma, interpolation, fill_mode, *_):
    _image_args.check_choice("elastic_transform", "interpolation", interpolation, _INTERPOLATIONS)
    _image_args.check_choice("elastic_transform", "fill_mode", fill_mode, _image_args.FILL_MODES)


# --- BEGIN GENERATED OPS: written by core/tools/gen_ops.py from backend/specs/image.py ---
# Regenerate with `python core/tools/gen_ops.py` after changing the spec or a hand-written op.
from unikeras.backend.keras_tensor import KerasTensor as _KT  # noqa: E402
from unikeras.backend.registry import add_table_listener as _add_table_listener  # noqa: E402
from unikeras.ops.dispatch import any_keras_tensor as _any_kt  # noqa: E402,F401
from unikeras.ops.dispatch import bind_implementations as _bind  # noqa: E402
from unikeras.ops.dispatch import nested_keras_tensor as _nested_kt  # noqa: E402,F401
from unikeras.ops.dispatch import symbolic as _symbolic  # noqa: E402


def rgb_to_grayscale(images, data_format=None):
    """Converts RGB images to grayscale: luma `0.2989 R + 0.5870 G + 0.1140 B`.

    A 1-channel input is returned unchanged.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The images with one channel, in the dtype of `images`.

    Examples:
        >>> keras.ops.image.rgb_to_grayscale(np.ones((1, 2, 2, 3), 'float32')).shape
        (1, 2, 2, 1)
    """
    if images.__class__ is _KT:
        return _symbolic("rgb_to_grayscale", (images, data_format), {})
    return _impl_rgb_to_grayscale(images, data_format)


def rgb_to_hsv(images, data_format=None):
    """Converts RGB images with values in `[0, 1]` to HSV, all three channels in `[0, 1]`.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`). Must be
            floating point.
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The HSV images (hue, saturation, value), of the shape and dtype of `images`.

    Examples:
        >>> rgb = np.array([1.0, 0.0, 0.0], 'float32').reshape(1, 1, 3)  # pure red
        >>> keras.ops.image.rgb_to_hsv(rgb)
        array([[[0., 1., 1.]]], dtype=float32)
    """
    if images.__class__ is _KT:
        return _symbolic("rgb_to_hsv", (images, data_format), {})
    return _impl_rgb_to_hsv(images, data_format)


def hsv_to_rgb(images, data_format=None):
    """Converts HSV images with values in `[0, 1]` to RGB in `[0, 1]`.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`). Must be
            floating point; the channels are hue, saturation, value.
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The RGB images, of the shape and dtype of `images`.

    Examples:
        >>> hsv = np.array([1 / 3, 1.0, 1.0], 'float32').reshape(1, 1, 3)  # hue 120 degrees
        >>> keras.ops.image.hsv_to_rgb(hsv)
        array([[[0., 1., 0.]]], dtype=float32)
    """
    if images.__class__ is _KT:
        return _symbolic("hsv_to_rgb", (images, data_format), {})
    return _impl_hsv_to_rgb(images, data_format)


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to `size = (height, width)`.

    Sampling uses half-pixel centres: output pixel `j` of an axis scaled by `s = out / in`
    reads input position `(j + 0.5) / s - 0.5`; kernel weights are normalised to sum to 1.
    Integer images are rounded and clipped to their input range.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        size: Pair of ints `(height, width)`, the output size.
        interpolation: `"bilinear"` (default), `"nearest"` (input index
            `floor((j + 0.5) / s)`), `"bicubic"` (Keys, a = -0.5), `"lanczos3"` or
            `"lanczos5"`.
        antialias: Whether downsampling widens the kernel by `1 / s` to avoid aliasing
            (default `False`).
        crop_to_aspect_ratio: Whether to first take the largest centred crop of the target
            aspect ratio (default `False`: the aspect ratio may change).
        pad_to_aspect_ratio: Whether to first pad (centred, with `fill_value`) to the target
            aspect ratio instead (default `False`).
        fill_mode: How `pad_to_aspect_ratio` fills; only `"constant"` exists.
        fill_value: Float, the padding value of `pad_to_aspect_ratio` (default 0.0).
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The resized images, of the rank and dtype of `images`.

    Examples:
        >>> x = np.arange(16.0, dtype='float32').reshape(4, 4, 1)
        >>> keras.ops.image.resize(x, (2, 2))[..., 0]  # the mean of each 2x2 block
        array([[ 2.5,  4.5],
               [10.5, 12.5]], dtype=float32)
    """
    _check_resize(images, size, interpolation, antialias, crop_to_aspect_ratio, pad_to_aspect_ratio,
                  fill_mode, fill_value, data_format)
    if images.__class__ is _KT:
        return _symbolic("resize", (images, size, interpolation, antialias, crop_to_aspect_ratio,
                                    pad_to_aspect_ratio, fill_mode, fill_value, data_format), {})
    return _impl_resize(images, size, interpolation, antialias, crop_to_aspect_ratio,
                        pad_to_aspect_ratio, fill_mode, fill_value, data_format)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Applies projective transforms to images.

    A transform `[a0, a1, a2, b0, b1, b2, c0, c1]` maps each output pixel `(x, y)` to the
    input point `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with
    `k = c0 x + c1 y + 1` (the inverse of the mapping from input to output).

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        transform: Tensor `(8,)` (one transform for all images) or `(batch, 8)`.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_mode: How points outside the input are filled: `"constant"` (default,
            `fill_value`), `"nearest"` (edge value), `"wrap"`, `"mirror"` (reflect about the
            edge pixel centres) or `"reflect"` (reflect about the edges, edge pixels
            repeated).
        fill_value: Float, the value of `fill_mode="constant"` (default 0).
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The transformed images, of the shape and dtype of `images`.

    Examples:
        >>> x = np.arange(9.0, dtype='float32').reshape(3, 3, 1)
        >>> shift = np.array([1, 0, 1, 0, 1, 0, 0, 0], 'float32')  # read from x + 1
        >>> keras.ops.image.affine_transform(x, shift, interpolation="nearest")[..., 0]
        array([[1., 2., 0.],
               [4., 5., 0.],
               [7., 8., 0.]], dtype=float32)
    """
    _check_affine_transform(images, transform, interpolation, fill_mode, fill_value, data_format)
    if images.__class__ is _KT or transform.__class__ is _KT:
        return _symbolic("affine_transform", (images, transform, interpolation, fill_mode,
                                              fill_value, data_format), {})
    return _impl_affine_transform(images, transform, interpolation, fill_mode, fill_value,
                                  data_format)


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid", data_format=None):
    """Extracts image patches into the channel axis.

    Each patch is flattened in `(patch_height, patch_width, channels)` order.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        size: Int or pair `(patch_height, patch_width)`; a 3-tuple extracts volumetric
            patches with `extract_patches_3d`.
        strides: Int or pair, the step between patches; `None` (default) means `size`
            (non-overlapping patches).
        dilation_rate: Int or pair, the spacing between the sampled pixels of a patch
            (default 1).
        padding: `"valid"` (default, patches inside the image) or `"same"`.
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        `(..., rows, cols, patch_height * patch_width * channels)` (channels first likewise),
        in the dtype of `images`.

    Examples:
        >>> x = np.arange(16.0, dtype='float32').reshape(4, 4, 1)
        >>> patches = keras.ops.image.extract_patches(x, 2)
        >>> patches.shape, patches[0, 0]
        ((2, 2, 4), array([0., 1., 4., 5.], dtype=float32))
    """
    if images.__class__ is _KT:
        return _symbolic("extract_patches", (images, size, strides, dilation_rate, padding,
                                             data_format), {})
    return _impl_extract_patches(images, size, strides, dilation_rate, padding, data_format)


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Extracts volumetric patches into the channel axis.

    Each patch is flattened in `(patch_depth, patch_height, patch_width, channels)` order.

    Args:
        volumes: Volume `(depth, height, width, channels)` or batch `(batch, depth, height,
            width, channels)` (channels first with `data_format="channels_first"`).
        size: Int or triple `(patch_depth, patch_height, patch_width)`.
        strides: Int or triple, the step between patches; `None` (default) means `size`.
        dilation_rate: Int or triple, the spacing between the sampled voxels of a patch
            (default 1).
        padding: `"valid"` (default) or `"same"`.
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        `(..., d, h, w, patch_volume * channels)` (channels first likewise), in the dtype of
        `volumes`.

    Examples:
        >>> x = np.arange(8.0, dtype='float32').reshape(2, 2, 2, 1)
        >>> keras.ops.image.extract_patches_3d(x, 2)
        array([[[[0., 1., 2., 3., 4., 5., 6., 7.]]]], dtype=float32)
    """
    if volumes.__class__ is _KT:
        return _symbolic("extract_patches_3d", (volumes, size, strides, dilation_rate, padding,
                                                data_format), {})
    return _impl_extract_patches_3d(volumes, size, strides, dilation_rate, padding, data_format)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at the given coordinates by spline interpolation of order 0 or 1.

    Args:
        inputs: Tensor of any rank.
        coordinates: Float tensor `(inputs.ndim, *out_shape)`: the coordinates of each output
            point, one row per axis of `inputs`.
        order: `0` (the nearest point, halves rounded away from zero) or `1` (linear
            interpolation).
        fill_mode: How points outside the input are filled: `"constant"` (default,
            `fill_value`), `"nearest"` (edge value), `"wrap"`, `"mirror"` (reflect about the
            edge pixel centres) or `"reflect"` (reflect about the edges, edge pixels
            repeated).
        fill_value: Float, the value of `fill_mode="constant"` (default 0).

    Returns:
        A tensor of shape `out_shape`, in the dtype of `inputs`.

    Examples:
        >>> x = np.array([0.0, 10.0, 20.0], 'float32')
        >>> keras.ops.image.map_coordinates(x, np.array([[0.5, 1.5, 5.0]], 'float32'), order=1)
        array([ 5., 15.,  0.], dtype=float32)
    """
    _check_map_coordinates(inputs, coordinates, order, fill_mode, fill_value)
    if inputs.__class__ is _KT or coordinates.__class__ is _KT:
        return _symbolic("map_coordinates", (inputs, coordinates, order, fill_mode, fill_value), {})
    return _impl_map_coordinates(inputs, coordinates, order, fill_mode, fill_value)


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
               target_height=None, target_width=None, data_format=None):
    """Zero-pads images to a given size or by given amounts.

    Of `top_padding`, `bottom_padding` and `target_height` exactly two are given (likewise
    `left_padding`, `right_padding` and `target_width`); the third follows from them.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        top_padding: Int, rows of zeros added on top.
        left_padding: Int, columns of zeros added on the left.
        bottom_padding: Int, rows of zeros added at the bottom.
        right_padding: Int, columns of zeros added on the right.
        target_height: Int, the height of the output.
        target_width: Int, the width of the output.
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The padded images, in the dtype of `images`.

    Examples:
        >>> x = np.ones((1, 1, 1), 'float32')
        >>> keras.ops.image.pad_images(x, top_padding=1, left_padding=0, bottom_padding=0,
        ...     right_padding=1)[..., 0]
        array([[0., 0.],
               [1., 0.]], dtype=float32)
    """
    if images.__class__ is _KT:
        return _symbolic("pad_images", (images, top_padding, left_padding, bottom_padding,
                                        right_padding, target_height, target_width,
                                        data_format), {})
    return _impl_pad_images(images, top_padding, left_padding, bottom_padding, right_padding,
                            target_height, target_width, data_format)


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crops images to a given size or by given amounts.

    Of `top_cropping`, `bottom_cropping` and `target_height` exactly two are given (likewise
    `left_cropping`, `right_cropping` and `target_width`); the third follows from them.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        top_cropping: Int, rows removed from the top.
        left_cropping: Int, columns removed from the left.
        bottom_cropping: Int, rows removed from the bottom.
        right_cropping: Int, columns removed from the right.
        target_height: Int, the height of the output.
        target_width: Int, the width of the output.
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The cropped images, in the dtype of `images`.

    Examples:
        >>> x = np.arange(9.0, dtype='float32').reshape(3, 3, 1)
        >>> keras.ops.image.crop_images(x, top_cropping=1, left_cropping=1, target_height=2,
        ...     target_width=2)[..., 0]
        array([[4., 5.],
               [7., 8.]], dtype=float32)
    """
    if images.__class__ is _KT:
        return _symbolic("crop_images", (images, top_cropping, left_cropping, bottom_cropping,
                                         right_cropping, target_height, target_width,
                                         data_format), {})
    return _impl_crop_images(images, top_cropping, left_cropping, bottom_cropping, right_cropping,
                             target_height, target_width, data_format)


def perspective_transform(images, start_points, end_points, interpolation="bilinear", fill_value=0,
                          data_format=None):
    """Warps images so that four `start_points` move to the `end_points`.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        start_points: Float tensor `(4, 2)` or `(batch, 4, 2)` of `(x, y)` points in the
            input.
        end_points: Float tensor of the same shape: where those points go in the output.
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_value: Float, the value of output pixels that map outside the input (default 0).
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The warped images, of the shape and dtype of `images`.

    Examples:
        >>> x = np.arange(16.0, dtype='float32').reshape(4, 4, 1)
        >>> start = np.array([[0, 0], [3, 0], [0, 3], [3, 3]], 'float32')
        >>> end = start + np.array([1.0, 0.0], 'float32')  # one pixel to the right
        >>> keras.ops.image.perspective_transform(x, start, end, interpolation="nearest")[..., 0]
        array([[ 0.,  0.,  1.,  2.],
               [ 0.,  4.,  5.,  6.],
               [ 0.,  8.,  9., 10.],
               [ 0., 12., 13., 14.]], dtype=float32)
    """
    _check_perspective_transform(images, start_points, end_points, interpolation, fill_value,
                                 data_format)
    if images.__class__ is _KT or start_points.__class__ is _KT or end_points.__class__ is _KT:
        return _symbolic("perspective_transform", (images, start_points, end_points, interpolation,
                                                   fill_value, data_format), {})
    return _impl_perspective_transform(images, start_points, end_points, interpolation, fill_value,
                                       data_format)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs images with a normalised Gaussian kernel ("same" output size, zero padding).

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        kernel_size: Pair of ints (default `(3, 3)`); `kernel_size[0]` applies along the
            width and `kernel_size[1]` along the height.
        sigma: Pair of floats, the standard deviations of the kernel (default `(1.0, 1.0)`);
            `sigma[0]` applies along the width and `sigma[1]` along the height.
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The blurred images, of the shape and dtype of `images`.

    Examples:
        >>> x = np.ones((3, 3, 1), 'float32')  # the zero padding darkens the border
        >>> np.round(keras.ops.image.gaussian_blur(x)[..., 0], 3)
        array([[0.527, 0.726, 0.527],
               [0.726, 1.   , 0.726],
               [0.527, 0.726, 0.527]], dtype=float32)
    """
    if images.__class__ is _KT:
        return _symbolic("gaussian_blur", (images, kernel_size, sigma, data_format), {})
    return _impl_gaussian_blur(images, kernel_size, sigma, data_format)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect",
                      fill_value=0.0, seed=None, data_format=None):
    """Random elastic deformation of images.

    Per-pixel normal offsets are blurred by a Gaussian of `sigma` (kernel size
    `int(6 sigma) | 1`), scaled by `alpha`, and the images resampled there with
    `map_coordinates`. The random values differ between backends for the same seed.

    Args:
        images: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`).
        alpha: Float, the scale of the displacements (default 20.0).
        sigma: Float, the standard deviation of the Gaussian smoothing the displacement field
            (default 5.0).
        interpolation: `"bilinear"` (default) or `"nearest"`.
        fill_mode: How points outside the input are filled: `"constant"`
            (`fill_value`), `"nearest"` (edge value), `"wrap"`, `"mirror"` (reflect about
            the edge pixel centres) or `"reflect"` (default: reflect about the edges, edge
            pixels repeated).
        fill_value: Float, the value of `fill_mode="constant"` (default 0.0).
        seed: An int, `None` or a `keras.random.SeedGenerator`.
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        The deformed images, of the shape and dtype of `images`.

    Examples:
        >>> x = np.ones((1, 8, 8, 1), 'float32')
        >>> keras.ops.image.elastic_transform(x, seed=1).shape
        (1, 8, 8, 1)
    """
    _check_elastic_transform(images, alpha, sigma, interpolation, fill_mode, fill_value, seed,
                             data_format)
    if images.__class__ is _KT:
        return _symbolic("elastic_transform", (images, alpha, sigma, interpolation, fill_mode,
                                               fill_value, seed, data_format), {})
    return _impl_elastic_transform(images, alpha, sigma, interpolation, fill_mode, fill_value, seed,
                                   data_format)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resamples the `spatial_dims` of `images` with a scale and a translation (as JAX's).

    Output index `j` of a spatial axis reads input position
    `(j + 0.5 - translation) / scale - 0.5`.

    Args:
        images: Tensor of any rank.
        output_shape: Sequence of ints, the full shape of the output.
        scale: Float tensor `(len(spatial_dims),)`, the scale of each spatial axis.
        translation: Float tensor `(len(spatial_dims),)`, the translation of each spatial axis.
        spatial_dims: Tuple of ints, the axes resampled.
        method: `"linear"`, `"bilinear"`, `"trilinear"`, `"triangle"` (the linear kernel),
            `"cubic"`, `"bicubic"`, `"tricubic"` (Keys cubic), `"lanczos3"` or `"lanczos5"`.
        antialias: Whether downsampling widens the kernel to avoid aliasing (default `True`).

    Returns:
        A tensor of shape `output_shape`, in the dtype of `images`.

    Examples:
        >>> x = np.array([0.0, 4.0], 'float32')
        >>> keras.ops.image.scale_and_translate(x, (4,), np.array([2.0], 'float32'),
        ...     np.array([0.0], 'float32'), (0,), "linear")
        array([0., 1., 3., 4.], dtype=float32)
    """
    _check_scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                               antialias)
    if images.__class__ is _KT or scale.__class__ is _KT or translation.__class__ is _KT:
        return _symbolic("scale_and_translate", (images, output_shape, scale, translation,
                                                 spatial_dims, method, antialias), {})
    return _impl_scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                                     antialias)


def sobel_edges(images, data_format=None):
    """Sobel edge maps of images: vertical and horizontal derivatives.

    The 3x3 Sobel filters are applied to every channel, the border extended by reflection
    (as TensorFlow's `tf.image.sobel_edges`; Keras 3's JAX and torch backends pad with zeros
    instead, so their border values differ).

    Args:
        images: Batch of images `(batch, height, width, channels)` (channels first with
            `data_format="channels_first"`).
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        A tensor of shape `images.shape + (2,)`: index 0 of the last axis holds the vertical
        derivative, index 1 the horizontal one; in the dtype of `images`.

    Examples:
        >>> x = np.tile(np.arange(3.0, dtype='float32'), (3, 1)).reshape(1, 3, 3, 1)  # a ramp
        >>> keras.ops.image.sobel_edges(x)[0, :, :, 0, 1]  # (right - left) * (1 + 2 + 1)
        array([[4., 8., 4.],
               [4., 8., 4.],
               [4., 8., 4.]], dtype=float32)
    """
    if images.__class__ is _KT:
        return _symbolic("sobel_edges", (images, data_format), {})
    return _impl_sobel_edges(images, data_format)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity (SSIM) between two images or batches of images.

    Local means, variances and covariance come from a `filter_size` x `filter_size`
    Gaussian window applied with "valid" padding to every channel; the SSIM map is averaged
    over space and channels.

    Args:
        image1: Image `(height, width, channels)` or batch `(batch, height, width,
            channels)` (channels first with `data_format="channels_first"`), at least
            `filter_size` pixels high and wide.
        image2: Images of the shape of `image1`.
        max_val: Float, the dynamic range of the pixel values (default 1.0).
        filter_size: Int, the size of the Gaussian window (default 11).
        filter_sigma: Float, the standard deviation of the window (default 1.5).
        k1: Float, `c1 = (k1 * max_val)**2` stabilizes the luminance term (default 0.01).
        k2: Float, `c2 = (k2 * max_val)**2` stabilizes the contrast term (default 0.03).
        data_format: `"channels_last"`, `"channels_first"` or `None` (default:
            `keras.config.image_data_format()`).

    Returns:
        Shape `(batch,)` for batches, a scalar for one image; the dtype of `image1`. 1 means
        identical images.

    Examples:
        >>> x = np.ones((1, 11, 11, 1), 'float32')
        >>> keras.ops.image.ssim(x, x)
        array([1.], dtype=float32)
    """
    _check_ssim(image1, image2, max_val, filter_size, filter_sigma, k1, k2, data_format)
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

#: The generated ops of two `Tensor` operands: each also tests for a fast entry.
_FAST = (

)


def _rebind():
    """Binds each generated op's `_impl_<op>` (and fast entry) to the active backend's."""
    _bind(globals(), _GENERATED, _FAST)


_rebind()
_add_table_listener(_rebind)
# --- END GENERATED OPS ---
