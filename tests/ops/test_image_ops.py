"""`unikeras.ops.image` against independent NumPy computations (values, dtypes, shapes)."""

import colorsys

import numpy as np
import pytest

import unikeras
from unikeras.ops import image
from capabilities import backend_dtype, tolerance_for


def np_out(x):
    return unikeras.backend.convert_to_numpy(x)


def check(result, expected, dtype=None, rtol=1e-5, atol=1e-5):
    result = np_out(result)
    expected = np.asarray(expected)
    assert result.shape == expected.shape, (result.shape, expected.shape)
    if dtype is not None:
        assert unikeras.backend.standardize_dtype(result.dtype) == backend_dtype(dtype)
    rtol, atol = tolerance_for(dtype, rtol, atol)
    np.testing.assert_allclose(
        result.astype("float64"), expected.astype("float64"), rtol=rtol, atol=atol
    )


RNG = np.random.default_rng(0)
IMAGES = RNG.random((2, 5, 6, 3)).astype("float32")


def first(x):
    return np.moveaxis(x, -1, -3)


def test_rgb_to_grayscale():
    expected = IMAGES @ np.array([0.2989, 0.5870, 0.1140])
    check(image.rgb_to_grayscale(IMAGES), expected[..., None], "float32")
    check(image.rgb_to_grayscale(first(IMAGES[0]), data_format="channels_first"), expected[0][None])
    assert image.rgb_to_grayscale(unikeras.KerasTensor((None, 4, 4, 3))).shape == (None, 4, 4, 1)
    with pytest.raises(ValueError, match="rgb_to_grayscale"):
        image.rgb_to_grayscale(np.ones((2, 4, 4, 2)))


def test_hsv_round_trip():
    expected = np.apply_along_axis(lambda p: colorsys.rgb_to_hsv(*p), -1, IMAGES)
    hsv = image.rgb_to_hsv(IMAGES)
    check(hsv, expected, "float32")
    check(image.hsv_to_rgb(hsv), IMAGES, "float32")
    check(image.rgb_to_hsv(first(IMAGES), data_format="channels_first"), first(expected))
    with pytest.raises(ValueError, match="rgb_to_hsv"):
        image.rgb_to_hsv(np.ones((4, 4, 3), "int32"))


def _linear_resize_1d(x, out, axis):
    """Half-pixel bilinear resampling of one axis with edge clamping (upsampling)."""
    n = x.shape[axis]
    src = np.clip((np.arange(out) + 0.5) * n / out - 0.5, 0, n - 1)
    lo = np.floor(src).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    w = src - lo
    shape = [1] * x.ndim
    shape[axis] = out
    return np.take(x, lo, axis) * (1 - w).reshape(shape) + np.take(x, hi, axis) * w.reshape(shape)


def test_resize_bilinear_upsampling():
    expected = _linear_resize_1d(_linear_resize_1d(IMAGES, 9, 1), 11, 2)
    check(image.resize(IMAGES, (9, 11)), expected, "float32")
    check(image.resize(first(IMAGES), (9, 11), data_format="channels_first"), first(expected))
    assert image.resize(unikeras.KerasTensor((None, 5, 6, 3)), (9, 11)).shape == (None, 9, 11, 3)


def test_resize_halving_is_block_average():
    x = RNG.random((1, 8, 6, 2)).astype("float32")
    # halving with bilinear samples at the shared corner of 2x2 blocks: their average
    expected = x.reshape(1, 4, 2, 3, 2, 2).mean(axis=(2, 4))
    check(image.resize(x, (4, 3)), expected)


def test_resize_antialias_downsampling_by_4():
    x = RNG.random((1, 8, 1)).astype("float64")
    # triangle kernel widened 4x, centred at 1.5 and 5.5: weights 1 - |d| / 4, normalised
    out = np_out(image.resize(x[None, ..., None, :].reshape(1, 8, 1, 1), (2, 1), antialias=True))
    pos = np.arange(8)
    expected = []
    for centre in (1.5, 5.5):
        w = np.maximum(0, 1 - np.abs(pos - centre) / 4)
        expected.append((w * x[0, :, 0]).sum() / w.sum())
    check(out.reshape(2), expected, rtol=1e-6)


def test_resize_nearest_and_integers():
    x = np.arange(16, dtype="int32").reshape(1, 4, 4, 1)
    idx = np.floor((np.arange(6) + 0.5) * 4 / 6).astype(int)
    check(image.resize(x, (6, 6), interpolation="nearest"), x[:, idx][:, :, idx], "int32")
    out = np_out(image.resize(x.astype("uint8"), (3, 5)))
    assert out.dtype == np.uint8


def test_resize_bicubic_preserves_constant_and_linear_ramps():
    ramp = np.broadcast_to(np.arange(6, dtype="float32")[None, None, :, None], (1, 5, 6, 1))
    out = np_out(image.resize(ramp, (5, 12), interpolation="bicubic"))
    inner = (np.arange(12) + 0.5) / 2 - 0.5
    np.testing.assert_allclose(out[0, 2, 3:-3, 0], inner[3:-3], atol=1e-5)
    for method in ("lanczos3", "lanczos5", "bicubic", "bilinear"):
        check(
            image.resize(np.full((1, 4, 4, 1), 3.0), (7, 9), interpolation=method),
            np.full((1, 7, 9, 1), 3.0),
            atol=1e-5,
        )


def test_resize_crop_and_pad_to_aspect_ratio():
    x = RNG.random((1, 4, 8, 1)).astype("float32")
    check(image.resize(x, (4, 4), crop_to_aspect_ratio=True), x[:, :, 2:6])
    padded = np.pad(x, ((0, 0), (2, 2), (0, 0), (0, 0)), constant_values=0.5)
    check(image.resize(x, (8, 8), pad_to_aspect_ratio=True, fill_value=0.5), padded)
    with pytest.raises(ValueError, match="resize"):
        image.resize(x, (4, 4), interpolation="area")


def _ref_sample(img, rows, cols, mode, fill, order):
    """Scalar reference of map_coordinates for a 2-D image."""
    h, w = img.shape

    def fetch(r, c):
        def fix(i, n):
            if mode == "nearest":
                return min(max(i, 0), n - 1)
            if mode == "wrap":
                return i % n
            if mode == "reflect":
                i = i % (2 * n)
                return i if i < n else 2 * n - 1 - i
            if mode == "mirror":
                i = i % (2 * n - 2)
                return i if i < n else 2 * n - 2 - i
            return i

        r, c = fix(r, h), fix(c, w)
        return img[r, c] if 0 <= r < h and 0 <= c < w else fill

    out = np.zeros(rows.shape)
    for idx in np.ndindex(rows.shape):
        r, c = rows[idx], cols[idx]
        if order == 0:
            out[idx] = fetch(int(np.floor(r + 0.5)), int(np.floor(c + 0.5)))
            continue
        r0, c0 = int(np.floor(r)), int(np.floor(c))
        fr, fc = r - r0, c - c0
        out[idx] = (
            (1 - fr) * (1 - fc) * fetch(r0, c0)
            + (1 - fr) * fc * fetch(r0, c0 + 1)
            + fr * (1 - fc) * fetch(r0 + 1, c0)
            + fr * fc * fetch(r0 + 1, c0 + 1)
        )
    return out


@pytest.mark.parametrize("mode", ["constant", "nearest", "wrap", "mirror", "reflect"])
@pytest.mark.parametrize("order", [0, 1])
def test_map_coordinates(mode, order):
    img = RNG.random((4, 5))
    coords = RNG.uniform(-3, 8, size=(2, 3, 4))
    expected = _ref_sample(img, coords[0], coords[1], mode, -1.0, order)
    check(
        image.map_coordinates(img, coords, order, fill_mode=mode, fill_value=-1.0),
        expected,
        "float64",
    )


def test_affine_transform():
    # translate by (+1 column, +2 rows): output (x, y) reads input (x + 1, y + 2)
    transform = np.array([1, 0, 1, 0, 1, 2, 0, 0], "float32")
    expected = np.zeros_like(IMAGES)
    expected[:, :3, :5] = IMAGES[:, 2:, 1:]
    check(image.affine_transform(IMAGES, transform), expected, "float32")
    check(
        image.affine_transform(
            first(IMAGES),
            np.stack([transform] * 2),
            interpolation="nearest",
            data_format="channels_first",
        ),
        first(expected),
    )
    # scaling by 0.5 samples between pixels
    half = np.array([0.5, 0, 0, 0, 0.5, 0, 0, 0], "float32")
    img = IMAGES[0, ..., 0].astype("float64")
    rows, cols = np.meshgrid(np.arange(5) * 0.5, np.arange(6) * 0.5, indexing="ij")
    check(
        image.affine_transform(IMAGES[0], half, fill_mode="nearest")[..., 0],
        _ref_sample(img, rows, cols, "nearest", 0, 1),
    )


def test_perspective_transform_identity_and_shift():
    pts = np.array([[0, 0], [5, 0], [0, 4], [5, 4]], "float32")
    check(image.perspective_transform(IMAGES, pts, pts), IMAGES, "float32")
    shifted = pts + np.array([1, 0], "float32")  # content moves right by one column
    expected = np.zeros_like(IMAGES)
    expected[:, :, 1:] = IMAGES[:, :, :-1]
    check(image.perspective_transform(IMAGES, pts, shifted), expected, atol=1e-4)


def _gauss(size, sigma):
    k = np.exp(-0.5 * ((np.arange(size) - (size - 1) / 2) / sigma) ** 2)
    return k / k.sum()


def test_gaussian_blur():
    kernel = np.outer(_gauss(5, 2.0), _gauss(3, 1.0))  # rows: height (size[1]), cols: width
    padded = np.pad(IMAGES, ((0, 0), (2, 2), (1, 1), (0, 0)))
    expected = np.zeros_like(IMAGES, dtype="float64")
    for i in range(5):
        for j in range(3):
            expected += kernel[i, j] * padded[:, i : i + 5, j : j + 6]
    check(image.gaussian_blur(IMAGES, kernel_size=(3, 5), sigma=(1.0, 2.0)), expected, "float32")
    check(
        image.gaussian_blur(first(IMAGES), (3, 5), (1.0, 2.0), data_format="channels_first"),
        first(expected),
    )


def test_pad_and_crop_images():
    padded = image.pad_images(
        IMAGES, top_padding=1, left_padding=2, target_height=8, target_width=9
    )
    expected = np.pad(IMAGES, ((0, 0), (1, 2), (2, 1), (0, 0)))
    check(padded, expected, "float32")
    check(
        image.crop_images(padded, top_cropping=1, left_cropping=2, target_height=5, target_width=6),
        IMAGES,
    )
    check(
        image.crop_images(
            first(expected),
            bottom_cropping=2,
            right_cropping=1,
            top_cropping=1,
            left_cropping=2,
            data_format="channels_first",
        ),
        first(IMAGES),
    )
    with pytest.raises(ValueError, match="pad_images"):
        image.pad_images(
            IMAGES,
            top_padding=1,
            bottom_padding=1,
            target_height=7,
            left_padding=0,
            right_padding=0,
        )
    assert image.pad_images(unikeras.KerasTensor((None, 5, 6, 3)), 1, 1, 1, 1).shape == (
        None,
        7,
        8,
        3,
    )


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_extract_patches(padding):
    x = np.arange(2 * 6 * 7 * 2, dtype="float32").reshape(2, 6, 7, 2)
    out = np_out(image.extract_patches(x, (2, 3), strides=(2, 2), padding=padding))
    if padding == "valid":
        assert out.shape == (2, 3, 3, 12)
        np.testing.assert_array_equal(out[1, 1, 2], x[1, 2:4, 4:7].reshape(-1))
    else:
        assert out.shape == (2, 3, 4, 12)
        padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (0, 0)))
        np.testing.assert_array_equal(out[0, 2, 0], padded[0, 4:6, 0:3].reshape(-1))
    cf = np_out(
        image.extract_patches(
            first(x), (2, 3), strides=(2, 2), padding=padding, data_format="channels_first"
        )
    )
    np.testing.assert_array_equal(cf, first(out))


def test_extract_patches_3d():
    v = np.arange(4 * 4 * 4 * 1, dtype="float32").reshape(4, 4, 4, 1)
    out = np_out(image.extract_patches_3d(v, 2))
    assert out.shape == (2, 2, 2, 8)
    np.testing.assert_array_equal(out[1, 0, 1], v[2:4, 0:2, 2:4].reshape(-1))


def test_scale_and_translate_matches_resize():
    out = image.scale_and_translate(
        IMAGES,
        (2, 9, 11, 3),
        np.array([9 / 5, 11 / 6]),
        np.zeros(2),
        (1, 2),
        "linear",
        antialias=False,
    )
    check(out, np_out(image.resize(IMAGES, (9, 11))))


def test_sobel_edges():
    x = IMAGES[..., :1].astype("float64")
    p = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="symmetric")
    dy = p[:, 2:] - p[:, :-2]
    dy = dy[:, :, :-2] + 2 * dy[:, :, 1:-1] + dy[:, :, 2:]
    dx = p[:, :, 2:] - p[:, :, :-2]
    dx = dx[:, :-2] + 2 * dx[:, 1:-1] + dx[:, 2:]
    check(image.sobel_edges(x), np.stack([dy, dx], -1), "float64")


def test_elastic_transform_shape_and_determinism():
    out = np_out(image.elastic_transform(IMAGES, alpha=2.0, sigma=1.0, seed=3))
    assert out.shape == IMAGES.shape and out.dtype == np.float32
    np.testing.assert_array_equal(out, np_out(image.elastic_transform(IMAGES, 2.0, 1.0, seed=3)))
    check(image.elastic_transform(IMAGES, alpha=0.0, sigma=1.0, seed=1), IMAGES)
