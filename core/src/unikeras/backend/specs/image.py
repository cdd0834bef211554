"""Op hooks of the `keras.ops.image` namespace.

Images are rank 3 (one image) or rank 4 (a batch), `(..., height, width, channels)` for
`data_format="channels_last"`, `(..., channels, height, width)` for `"channels_first"`;
`None` means `keras.config.image_data_format()`. Unless stated otherwise the result has the
dtype of `images`.
"""

from unikeras.backend.hookspec import Tensor, op


@op
def rgb_to_grayscale(images: Tensor, data_format=None):
    """Luma `0.2989 R + 0.5870 G + 0.1140 B` as one channel (a 1-channel input is returned
    unchanged).

    Example:

    >>> keras.ops.image.rgb_to_grayscale(np.ones((1, 2, 2, 3), 'float32')).shape
    (1, 2, 2, 1)
    """


@op
def rgb_to_hsv(images: Tensor, data_format=None):
    """RGB in [0, 1] to HSV, all three in [0, 1]. `images` must be floating point."""


@op
def hsv_to_rgb(images: Tensor, data_format=None):
    """HSV in [0, 1] to RGB in [0, 1]. `images` must be floating point."""


@op
def resize(
    images: Tensor,
    size,
    interpolation="bilinear",
    antialias=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    fill_mode="constant",
    fill_value=0.0,
    data_format=None,
):
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


@op
def affine_transform(
    images: Tensor,
    transform: Tensor,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0,
    data_format=None,
):
    """Applies projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]` (one, or one per
    image): output pixel `(x, y)` reads input
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with `k = c0 x + c1 y + 1`.

    `interpolation` is `"nearest"` or `"bilinear"`; `fill_mode` as in `map_coordinates`.
    """


@op
def extract_patches(
    images: Tensor, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """Patches of `size` (int or `(h, w)`; a 3-tuple defers to `extract_patches_3d`) laid
    out in the channel axis, flattened in `(patch_h, patch_w, channels)` order. `strides`
    defaults to `size`."""


@op
def extract_patches_3d(
    volumes: Tensor, size, strides=None, dilation_rate=1, padding="valid", data_format=None
):
    """Volumetric patches of rank 4 or 5 `volumes`, flattened in `(d, h, w, channels)`
    order into the channel axis."""


@op
def map_coordinates(inputs: Tensor, coordinates: Tensor, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at `coordinates` (shape `(inputs.ndim, *out_shape)`).

    `order` 0 takes the nearest point (halves rounded away from zero), 1 interpolates
    linearly. `fill_mode` decides the values outside: `"constant"` (`fill_value`),
    `"nearest"` (edge value), `"wrap"`, `"mirror"` (reflect about the edge pixel centres)
    or `"reflect"` (reflect about the edges, edge pixels repeated).
    """


@op
def pad_images(
    images: Tensor,
    top_padding=None,
    left_padding=None,
    bottom_padding=None,
    right_padding=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Zero-pads images; of `top_padding`, `bottom_padding`, `target_height` exactly two are
    given (likewise for the width)."""


@op
def crop_images(
    images: Tensor,
    top_cropping=None,
    left_cropping=None,
    bottom_cropping=None,
    right_cropping=None,
    target_height=None,
    target_width=None,
    data_format=None,
):
    """Crops images; of `top_cropping`, `bottom_cropping`, `target_height` exactly two are
    given (likewise for the width)."""


@op
def perspective_transform(
    images: Tensor,
    start_points: Tensor,
    end_points: Tensor,
    interpolation="bilinear",
    fill_value=0,
    data_format=None,
):
    """Warps images so that the four `start_points` `(x, y)` (shape `(4, 2)` or
    `(batch, 4, 2)`) move to `end_points`; outside samples take `fill_value`."""


@op
def gaussian_blur(images: Tensor, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blurs with a normalised Gaussian kernel, zero padding ("same" output size).

    `kernel_size[0]` and `sigma[0]` apply along the width, `[1]` along the height.
    """


@op
def elastic_transform(
    images: Tensor,
    alpha=20.0,
    sigma=5.0,
    interpolation="bilinear",
    fill_mode="reflect",
    fill_value=0.0,
    seed=None,
    data_format=None,
):
    """Random elastic deformation: per-pixel normal offsets, blurred by a Gaussian of
    `sigma` (kernel size `int(6 sigma) | 1`) and scaled by `alpha`, then resampled with
    `map_coordinates`. Random: values differ between backends for the same seed."""


@op
def scale_and_translate(
    images: Tensor,
    output_shape,
    scale: Tensor,
    translation: Tensor,
    spatial_dims,
    method,
    antialias=True,
):
    """Resamples `spatial_dims` of `images` to `output_shape`: output `j` reads input
    `(j + 0.5 - translation) / scale - 0.5`. `method`: `"linear"`/`"bilinear"`/
    `"trilinear"`, `"cubic"`/`"bicubic"`/`"tricubic"`, `"lanczos3"`, `"lanczos5"`."""


@op
def sobel_edges(images: Tensor, data_format=None):
    """Sobel gradients of rank-4 images, `(..., channels, 2)`: the vertical derivative
    (index 0) and the horizontal one (index 1), edges extended by reflection."""


@op
def ssim(
    image1: Tensor,
    image2: Tensor,
    max_val=1.0,
    filter_size=11,
    filter_sigma=1.5,
    k1=0.01,
    k2=0.03,
    data_format=None,
):
    """Structural similarity between images of rank 3 (one image) or 4 (a batch).

    Local means, variances and covariance come from a `filter_size` x `filter_size`
    Gaussian window (`filter_sigma`) applied with "valid" padding to every channel;
    `c1 = (k1 max_val)^2`, `c2 = (k2 max_val)^2`; the SSIM map is averaged over space and
    channels.

    Returns:
        Shape `(batch,)` for batches, a scalar for one image; the dtype of `image1`.
    """
