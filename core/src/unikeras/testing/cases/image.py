"""Conformance cases for the `image` op hooks."""

import numpy as np

from unikeras.testing.case import Case, rand

CASES = {}

_IMG = rand((2, 5, 6, 3), low=0, high=1)
_IMG_CF = rand((2, 3, 5, 6), low=0, high=1, seed=1)
_ONE = rand((4, 5, 3), "float64", low=0, high=1, seed=2)

CASES["rgb_to_grayscale"] = [
    Case(_IMG),
    Case(_IMG_CF, data_format="channels_first"),
    Case(_ONE),
    Case(rand((2, 4, 4, 1)), id="gray"),
]
CASES["rgb_to_hsv"] = [
    Case(_IMG),
    Case(_IMG_CF, data_format="channels_first"),
    Case(_ONE),
    Case(
        np.array(
            [[[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5], [0, 0, 0], [1, 1, 0]]], "float32"
        ),
        id="pure",
    ),
]
CASES["hsv_to_rgb"] = CASES["rgb_to_hsv"][:3]

_RESIZE_TOL = {"rtol": 1e-4, "atol": 1e-5}
CASES["resize"] = [
    Case(_IMG, (9, 11), **_RESIZE_TOL),
    Case(_IMG, (3, 4), **_RESIZE_TOL),
    Case(_IMG, (3, 4), antialias=True, id="antialias", **_RESIZE_TOL),
    Case(_IMG_CF, (7, 3), data_format="channels_first", **_RESIZE_TOL),
    Case(_IMG, (8, 4), interpolation="nearest"),
    Case(_IMG, (8, 9), interpolation="bicubic", **_RESIZE_TOL),
    Case(_IMG, (3, 4), interpolation="bicubic", antialias=True, **_RESIZE_TOL),
    Case(_IMG, (8, 9), interpolation="lanczos3", **_RESIZE_TOL),
    Case(_IMG, (4, 4), interpolation="lanczos5", **_RESIZE_TOL),
    Case(_ONE, (6, 6), crop_to_aspect_ratio=True, **_RESIZE_TOL),
    Case(_ONE, (6, 6), pad_to_aspect_ratio=True, fill_value=0.5, **_RESIZE_TOL),
    Case(rand((1, 4, 4, 2), "uint8", low=0, high=255), (6, 7), id="uint8", int_atol=1),
]
_SHIFT = np.array([1, 0, 1, 0, 1, 2, 0, 0], "float32")
_ROTATE = np.array([0.9, -0.3, 1.2, 0.3, 0.9, -0.8, 0.01, -0.02], "float32")
CASES["affine_transform"] = [
    Case(_IMG, _SHIFT),
    Case(_IMG, np.stack([_SHIFT, _ROTATE]), **_RESIZE_TOL),
    Case(_IMG, _ROTATE, interpolation="nearest", fill_mode="reflect"),
    Case(_IMG_CF, _ROTATE, fill_mode="wrap", data_format="channels_first", **_RESIZE_TOL),
    Case(_ONE, _ROTATE, fill_mode="mirror", **_RESIZE_TOL),
    Case(_ONE, _ROTATE, fill_mode="nearest", **_RESIZE_TOL),
    Case(_ONE, _ROTATE, fill_value=0.5, **_RESIZE_TOL),
]
_COORDS = rand((2, 3, 4), "float64", low=-3, high=8, seed=3)
CASES["map_coordinates"] = [
    Case(
        rand((4, 5), "float64"),
        _COORDS,
        order,
        fill_mode=mode,
        fill_value=-1.0,
        id=f"{mode}-{order}",
    )
    for mode in ("constant", "nearest", "wrap", "mirror", "reflect")
    for order in (0, 1)
] + [Case(rand((3, 4, 2)), rand((3, 5), low=-1, high=4, seed=4), 1, id="3d")]

_START = np.array([[0, 0], [5, 0], [0, 4], [5, 4]], "float32")
_END = np.array([[0.5, 0.2], [4.6, 0.1], [0.1, 3.7], [5.0, 4.1]], "float32")
CASES["perspective_transform"] = [
    Case(_IMG, _START, _END, **_RESIZE_TOL),
    Case(_IMG, _START, _START + np.float32(1)),
    Case(
        _IMG_CF,
        np.stack([_START, _END]),
        np.stack([_END, _START]),
        interpolation="nearest",
        fill_value=0.5,
        data_format="channels_first",
        rtol=1e-3,
        atol=1e-3,
    ),
]
CASES["gaussian_blur"] = [
    Case(_IMG),
    Case(_IMG, kernel_size=(3, 5), sigma=(1.0, 2.0)),
    Case(_IMG_CF, (5, 5), (0.5, 0.5), data_format="channels_first"),
    Case(_ONE, (3, 3), (2.0, 2.0)),
]
CASES["pad_images"] = [
    Case(_IMG, 1, 2, target_height=8, target_width=9),
    Case(_ONE, bottom_padding=2, right_padding=1, target_height=7, target_width=6),
    Case(_IMG_CF, 0, 1, 1, 0, data_format="channels_first"),
]
CASES["crop_images"] = [
    Case(_IMG, 1, 2, target_height=3, target_width=3),
    Case(_ONE, bottom_cropping=2, right_cropping=1, target_height=2, target_width=4),
    Case(_IMG_CF, 0, 1, 1, 0, data_format="channels_first"),
]
_SEQ = np.arange(2 * 6 * 7 * 2, dtype="float32").reshape(2, 6, 7, 2)
CASES["extract_patches"] = [
    Case(_SEQ, (2, 3), strides=(2, 2)),
    Case(_SEQ, 3, padding="same"),
    Case(_SEQ[0], 2, strides=1, dilation_rate=2),
    Case(np.moveaxis(_SEQ, -1, 1), (2, 2), data_format="channels_first"),
]
_VOL = np.arange(2 * 4 * 4 * 4, dtype="float32").reshape(1, 4, 4, 4, 2)
CASES["extract_patches_3d"] = [
    Case(_VOL, 2),
    Case(_VOL[0], (2, 3, 2), strides=1),
    Case(_VOL, 3, strides=2, padding="same"),
]
CASES["scale_and_translate"] = [
    Case(
        _IMG,
        (2, 9, 11, 3),
        np.array([1.8, 1.8333], "float32"),
        np.array([0.0, 0.5], "float32"),
        (1, 2),
        "linear",
        **_RESIZE_TOL,
    ),
    Case(
        _IMG,
        (2, 3, 4, 3),
        np.array([0.6, 0.7], "float32"),
        np.array([0.3, -0.2], "float32"),
        (1, 2),
        "cubic",
        **_RESIZE_TOL,
    ),
    Case(
        _IMG,
        (2, 5, 3, 3),
        np.array([0.5], "float32"),
        np.array([0.0], "float32"),
        (2,),
        "lanczos3",
        antialias=False,
        **_RESIZE_TOL,
    ),
]
CASES["sobel_edges"] = [Case(_IMG), Case(_IMG_CF, data_format="channels_first")]
# elastic_transform is random; with alpha=0 the offsets vanish and every backend returns the
# images unchanged, which checks the plumbing (shapes, dtypes, data_format, resampling).
CASES["elastic_transform"] = [
    Case(_IMG, alpha=0.0, sigma=1.0, seed=1),
    Case(_IMG_CF, 0.0, 2.0, interpolation="nearest", seed=2, data_format="channels_first"),
]
_BIG = rand((2, 16, 16, 3), low=0, high=1, seed=2)
CASES["ssim"] = [
    Case(
        _BIG,
        np.clip(_BIG + rand((2, 16, 16, 3), low=-0.1, high=0.1, seed=3), 0, 1),
        rtol=1e-4,
        atol=1e-5,
        id="batch",
    ),
    Case(
        _BIG[0],
        _BIG[1],
        max_val=1.0,
        filter_size=5,
        filter_sigma=1.0,
        rtol=1e-4,
        atol=1e-5,
        id="single_small_window",
    ),
    Case(
        np.moveaxis(_BIG, -1, 1),
        np.moveaxis(_BIG[::-1], -1, 1) * 255,
        max_val=255.0,
        k1=0.02,
        k2=0.05,
        data_format="channels_first",
        rtol=1e-4,
        atol=1e-5,
        id="channels_first",
    ),
]
