"""RandomShear, RandomErasing, RandomGaussianBlur, MixUp, CutMix, RandomPerspective,
RandAugment, MaxNumBoundingBoxes and Pipeline.

Expected values come from NumPy written here (the affine warp of
test_image_preprocessing.py, rectangles, a separable Gaussian with zero padding, blends).
The random draws are either forced by one-value factors, or recovered from the output (the
shear sign, the rectangle, the partner image of a mix), or, for weights that the output
cannot show exactly, read from the layer's own draw on a twin layer of the same seed.
"""

import json

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table

from layer_checks import check_symbolic_shape, to_numpy
from test_image_bounding_boxes import keras3
from test_image_preprocessing import images, np_warp, rotation_source, to_channels_first


# Few shapes: eager JAX compiles each op once per shape.
SHAPE = (4, 5, 6, 2)
BOX_SHAPE = (4, 8, 10, 1)
RGB_SHAPE = (4, 5, 6, 3)


def draws_of(layer, x):
    """The random draws `layer` makes for the batch `x`, as NumPy."""
    return to_numpy(layer._draw(keras.ops.convert_to_tensor(x)))


# --- RandomShear -------------------------------------------------------------------------


def shear_source(sx, sy):
    """Output `(y, x)` reads the input at `(y + sy x, x + sx y)`."""
    return lambda b, i, j: (i + sy * j, j + sx * i)


def split_by_sign(out, x, sx, sy, **warp_kwargs):
    """Per image, the sign (+1 / -1) of the shear that `out` shows, checked exactly."""
    plus = np_warp(x, shear_source(sx, sy), **warp_kwargs)
    minus = np_warp(x, shear_source(-sx, -sy), **warp_kwargs)
    signs = []
    for o, p, m in zip(out, plus, minus):
        sign = 1 if np.abs(o - p).max() < np.abs(o - m).max() else -1
        np.testing.assert_allclose(o, p if sign == 1 else m, atol=1e-4)
        signs.append(sign)
    return np.array(signs)


@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
def test_random_shear_matches_numpy_warp(fill_mode):
    x = images(SHAPE)
    layer = layers.RandomShear((0.3, 0.3), (0.2, 0.2), fill_mode=fill_mode, fill_value=0.5, seed=3)
    signs = split_by_sign(to_numpy(layer(x)), x, 0.3, 0.2, fill_mode=fill_mode, fill_value=0.5)
    assert set(signs) == {1, -1}  # Keras 3 flips both shears together, half of the time


def test_random_shear_nearest_and_one_axis():
    x = images(SHAPE)
    layer = layers.RandomShear(y_factor=(0.4, 0.4), interpolation="nearest", seed=1)
    split_by_sign(to_numpy(layer(x)), x, 0.0, 0.4, order=0)


def test_random_shear_draws_in_range():
    x = np.zeros(BOX_SHAPE, "float32")
    x[:, 7, 5] = 1.0  # bottom row: a shear along x moves it by shear_x * 7 columns
    layer = layers.RandomShear(0.25, fill_mode="constant", seed=5)
    out = np.concatenate([to_numpy(layer(x)) for _ in range(4)])[..., 0]
    shifts = (out.sum(axis=1) * np.arange(10)).sum(axis=1) / out.sum(axis=(1, 2)) - 5
    assert np.all(np.abs(shifts) <= 0.25 * 7 + 1e-4)
    assert shifts.min() < -0.5 and shifts.max() > 0.5


def test_random_shear_moves_boxes_and_masks():
    height, width = BOX_SHAPE[1:3]
    x = images(BOX_SHAPE)
    mask = np.zeros(BOX_SHAPE, "float32")
    mask[:, 2:5, 3:7] = 1.0
    box = np.array([3.0, 2.0, 7.0, 5.0], "float32")  # xyxy, the mask's 1s
    data = {
        "images": x,
        "segmentation_masks": mask,
        "bounding_boxes": {"boxes": np.tile(box, (4, 1, 1)), "labels": np.ones((4, 1), "int32")},
    }
    sx = 0.35  # no sample falls half-way between pixels (ties of nearest rounding)
    layer = layers.RandomShear(
        (sx, sx), fill_mode="constant", interpolation="nearest", bounding_box_format="xyxy", seed=2
    )
    out = to_numpy(layer(data))
    signs = split_by_sign(out["images"], x, sx, 0.0, order=0, fill_mode="constant")
    for b, sign in enumerate(signs):
        s = sign * sx
        np.testing.assert_array_equal(
            out["segmentation_masks"][b],
            np_warp(mask[b : b + 1], shear_source(s, 0.0), order=0, fill_mode="constant")[0],
        )
        # Pixel i spans [i - 0.5, i + 0.5] around index i: the corners move by the inverse
        # map x -> x - s y in index space.
        corners = (
            np.array([[box[0], box[1]], [box[2], box[1]], [box[0], box[3]], [box[2], box[3]]]) - 0.5
        )
        xs = corners[:, 0] - s * corners[:, 1] + 0.5
        expected = [max(xs.min(), 0), box[1], min(xs.max(), width), box[3]]
        np.testing.assert_allclose(out["bounding_boxes"]["boxes"][b, 0], expected, atol=1e-5)


# --- RandomErasing -----------------------------------------------------------------------


def erased_rectangle(out, x):
    """`(rows, cols)` slices of the one rectangle where `out` differs from `x` (all
    channels); asserts nothing else differs."""
    changed = np.any(out != x, axis=-1)
    rows, cols = np.nonzero(changed.any(axis=1))[0], np.nonzero(changed.any(axis=0))[0]
    window = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
    assert changed[window].all() and changed.sum() == changed[window].size
    return window


def test_random_erasing_fills_a_rectangle_of_the_drawn_size():
    x = images(BOX_SHAPE, low=10, high=200)
    # Side fractions sqrt(0.25) = 1/2: 4 of the 8 rows and 5 of the 10 columns.
    layer = layers.RandomErasing(factor=(1.0, 1.0), scale=(0.25, 0.25), fill_value=7.0, seed=4)
    out = to_numpy(layer(x))
    corners = set()
    for o, im in zip(out, x):
        rows, cols = erased_rectangle(o, im)
        assert (rows.stop - rows.start, cols.stop - cols.start) == (4, 5)
        np.testing.assert_array_equal(o[rows, cols], 7.0)
        corners.add((rows.start, cols.start))
    assert len(corners) > 1


def test_random_erasing_matches_its_draws_and_clips_noise():
    x = images(SHAPE, low=10, high=200)
    layer, twin = (
        layers.RandomErasing(scale=(0.1, 0.5), value_range=(0, 100), seed=6) for _ in range(2)
    )
    draws = draws_of(twin, x)
    out = to_numpy(layer(x))
    noise = draws["fill"]
    assert noise.shape == x.shape and noise.min() == 0 and noise.max() == 100
    np.testing.assert_array_equal(out, np.where(draws["mask"], noise, x))
    for o, im, m in zip(out, x, draws["mask"]):
        if m.any():  # each erased image shows one rectangle, on all channels
            rows, cols = erased_rectangle(np.where(m, -1.0, im), im)
            assert m[rows, cols].all()


def test_random_erasing_probability_zero_and_channel_fill():
    x = images(SHAPE, low=0, high=255)
    np.testing.assert_array_equal(to_numpy(layers.RandomErasing(factor=0.0, seed=1)(x)), x)
    layer = layers.RandomErasing((1.0, 1.0), fill_value=[300, -5], seed=1)
    out = to_numpy(layer(x))
    for o, im in zip(out, x):
        rows, cols = erased_rectangle(o, im)
        np.testing.assert_array_equal(o[rows, cols], np.broadcast_to([255, 0], o[rows, cols].shape))


# --- RandomGaussianBlur ------------------------------------------------------------------


def np_gaussian_blur(x, kernel_size, sigma):
    """NHWC `x` convolved with the normalised Gaussian (width first in both pairs), zero
    padding."""

    def kernel(size, s):
        t = np.arange(size) - (size - 1) / 2
        k = np.exp(-0.5 * (t / s) ** 2)
        return k / k.sum()

    kx, ky = kernel(kernel_size[0], sigma[0]), kernel(kernel_size[1], sigma[1])
    py, px = kernel_size[1] // 2, kernel_size[0] // 2
    padded = np.pad(x.astype("float64"), ((0, 0), (py, py), (px, px), (0, 0)))
    out = np.zeros(x.shape)
    for i in range(kernel_size[1]):
        for j in range(kernel_size[0]):
            out += ky[i] * kx[j] * padded[:, i : i + x.shape[1], j : j + x.shape[2]]
    return out


@pytest.mark.parametrize("kernel_size", [3, (3, 5)])
def test_random_gaussian_blur_matches_numpy(kernel_size):
    x = images(SHAPE, high=255)
    layer = layers.RandomGaussianBlur((1.0, 1.0), kernel_size=kernel_size, sigma=(0.6, 0.6), seed=1)
    sizes = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    np.testing.assert_allclose(
        to_numpy(layer(x)), np_gaussian_blur(x, sizes, (0.6, 0.6)), rtol=1e-4, atol=1e-3
    )


def test_random_gaussian_blur_draws_and_clip():
    x = images(SHAPE, low=-50, high=300)
    layer, twin = (
        layers.RandomGaussianBlur(0.8, kernel_size=5, sigma=(0.3, 1.0), seed=9) for _ in range(2)
    )
    draws = draws_of(twin, x)
    assert np.all((draws["sigma"] >= 0.3) & (draws["sigma"] <= 1.0 + 1e-5))
    blurred = np_gaussian_blur(x, (5, 5), draws["sigma"])
    expected = np.clip(np.where(draws["apply"][:, None, None, None], blurred, x), 0, 255)
    np.testing.assert_allclose(to_numpy(layer(x)), expected, rtol=1e-4, atol=1e-3)


# --- MixUp / CutMix ----------------------------------------------------------------------


def mix_partners(out, x):
    """Per image `i`, `(j, w)` with `out[i] = w x[i] + (1 - w) x[j]`, checked exactly
    (`(i, 1)` for an unchanged image)."""
    found = []
    for i, (o, xi) in enumerate(zip(out, x)):
        best = (i, 1.0, np.abs(o - xi).max()) if np.abs(o - xi).max() < 1e-6 else None
        for j, xj in enumerate(x):
            d = (xi - xj).ravel()
            w = 1.0 if not d.any() else float(np.dot((o - xj).ravel(), d) / np.dot(d, d))
            err = np.abs(w * xi + (1 - w) * xj - o).max()
            if best is None or err < best[2] - 1e-6:
                best = (j, w, err)
        assert best[2] < 1e-4
        found.append(best[:2])
    return found


def test_mix_up_blends_with_a_permutation_and_mixes_labels_masks_boxes():
    x = images(SHAPE)
    masks = np.arange(4, dtype="float32")[:, None, None, None] * np.ones(SHAPE[:3] + (1,))
    labels = np.eye(4, dtype="float32")
    boxes = np.arange(4 * 4, dtype="float32").reshape(4, 1, 4)
    box_labels = np.arange(4, dtype="int32")[:, None]
    layer = layers.MixUp(alpha=2.0, bounding_box_format="xyxy", seed=3)
    out = to_numpy(
        layer(
            {
                "images": x,
                "labels": labels,
                "segmentation_masks": masks,
                "bounding_boxes": {"boxes": boxes, "labels": box_labels},
            }
        )
    )
    partners = mix_partners(out["images"], x)
    assert sorted(j for j, _ in partners) == list(range(4))  # a permutation
    assert any(j != i for i, (j, _) in enumerate(partners))
    for i, (j, w) in enumerate(partners):
        np.testing.assert_allclose(out["labels"][i], w * labels[i] + (1 - w) * labels[j], atol=1e-5)
        np.testing.assert_allclose(out["segmentation_masks"][i], w * i + (1 - w) * j, atol=1e-4)
        np.testing.assert_array_equal(
            out["bounding_boxes"]["boxes"][i], np.concatenate([boxes[i], boxes[j]])
        )
        np.testing.assert_array_equal(out["bounding_boxes"]["labels"][i], [i, j])


def test_mix_up_weights_follow_the_beta_draws():
    x = images(SHAPE)
    layer, twin = layers.MixUp(alpha=2.0, seed=8), layers.MixUp(alpha=2.0, seed=8)
    draws = draws_of(twin, x)
    w = draws["weight"][:, None, None, None]
    np.testing.assert_allclose(
        to_numpy(layer(x)), w * x + (1 - w) * x[draws["permutation"]], rtol=1e-5, atol=1e-6
    )
    assert np.all((draws["weight"] > 0) & (draws["weight"] < 1))


def test_cut_mix_pastes_a_rectangle_of_the_partner():
    height, width = BOX_SHAPE[1:3]
    x = images(BOX_SHAPE)
    labels = np.eye(4, dtype="float32")
    masks = images(BOX_SHAPE, seed=1)
    layer, twin = layers.CutMix(seed=5), layers.CutMix(seed=5)
    draws = draws_of(twin, x)
    out = to_numpy(layer({"images": x, "labels": labels, "segmentation_masks": masks}))
    permutation = draws["permutation"]
    assert sorted(permutation) == list(range(4))
    for i, j in enumerate(permutation):
        w = draws["weight"][i]
        np.testing.assert_allclose(out["labels"][i], w * labels[i] + (1 - w) * labels[j], atol=1e-6)
        if j == i or w > 1 - 1e-3:
            continue
        rows, cols = erased_rectangle(out["images"][i], x[i])
        np.testing.assert_array_equal(out["images"][i][rows, cols], x[j][rows, cols])
        np.testing.assert_array_equal(
            out["segmentation_masks"][i][rows, cols], masks[j][rows, cols]
        )
        side = np.sqrt(1 - w)  # the same fraction of both sides
        assert rows.stop - rows.start in (np.floor(side * height), np.ceil(side * height))
        assert cols.stop - cols.start in (np.floor(side * width), np.ceil(side * width))


def test_cut_mix_rejects_boxes():
    data = {
        "images": images(SHAPE),
        "bounding_boxes": {
            "boxes": np.zeros((4, 1, 4), "float32"),
            "labels": np.zeros((4, 1), "int32"),
        },
    }
    with pytest.raises(NotImplementedError, match="cut_mix.*bounding_boxes"):
        layers.CutMix(bounding_box_format="xyxy")(data)


# --- RandomPerspective -------------------------------------------------------------------


def np_projective(start, end):
    """3 x 3 matrix of the projective map taking the 4 `start` points onto `end`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(start, end):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    return np.append(np.linalg.solve(np.array(rows, "float64"), rhs), 1.0).reshape(3, 3)


def apply_projective(matrix, x, y):
    u, v, w = matrix @ np.array([x, y, 1.0])
    return u / w, v / w


def test_random_perspective_matches_numpy_warp_boxes_and_masks():
    height, width = BOX_SHAPE[1:3]
    x = images(BOX_SHAPE)
    mask = np.zeros(BOX_SHAPE, "float32")
    mask[:, 2:6, 3:8] = 1.0
    box = np.array([3.0, 2.0, 8.0, 6.0])
    make = lambda: layers.RandomPerspective(  # noqa: E731
        (0.5, 0.5), scale=0.4, fill_value=0.25, bounding_box_format="xyxy", seed=7
    )
    draws = draws_of(make(), x)
    out = to_numpy(
        make()(
            {
                "images": x,
                "segmentation_masks": mask,
                "bounding_boxes": {
                    "boxes": np.tile(box, (4, 1, 1)),
                    "labels": np.ones((4, 1), "int32"),
                },
            }
        )
    )
    corners = [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]]
    np.testing.assert_array_equal(draws["start"], np.broadcast_to(corners, (4, 4, 2)))
    offsets = draws["end"] / np.where(draws["start"] == 0, 1, draws["start"]) - 1
    assert np.all(np.abs(offsets[draws["start"] != 0]) <= 0.2 + 1e-6)
    assert set(draws["apply"]) == {True, False}
    for b in range(4):
        if not draws["apply"][b]:
            np.testing.assert_array_equal(out["images"][b], x[b])
            np.testing.assert_array_equal(out["bounding_boxes"]["boxes"][b, 0], box)
            continue
        to_input = np_projective(draws["end"][b], draws["start"][b])
        source = lambda _, i, j: apply_projective(to_input, j, i)[::-1]  # noqa: E731
        np.testing.assert_allclose(
            out["images"][b],
            np_warp(x[b : b + 1], source, fill_mode="constant", fill_value=0.25)[0],
            atol=1e-4,
        )
        warped_mask = np_warp(
            mask[b : b + 1], source, order=0, fill_mode="constant", fill_value=0.25
        )[0]
        np.testing.assert_array_equal(out["segmentation_masks"][b], warped_mask)
        to_output = np_projective(draws["start"][b], draws["end"][b])
        moved = (
            np.array(
                [
                    apply_projective(to_output, cx - 0.5, cy - 0.5)
                    for cx in box[::2]
                    for cy in box[1::2]
                ]
            )
            + 0.5
        )
        expected = [
            max(moved[:, 0].min(), 0),
            max(moved[:, 1].min(), 0),
            min(moved[:, 0].max(), width),
            min(moved[:, 1].max(), height),
        ]
        np.testing.assert_allclose(out["bounding_boxes"]["boxes"][b, 0], expected, atol=1e-3)


# --- RandAugment -------------------------------------------------------------------------


def test_rand_augment_applies_the_picked_augmentations():
    x = images(RGB_SHAPE, high=255)
    rows, cols = RGB_SHAPE[1:3]
    layer, twin = (
        layers.RandAugment(num_ops=1, factor=(0.1, 0.1), interpolation="nearest", seed=3)
        for _ in range(2)
    )
    # The picks with an answer known here: translation by 0.1 of the size, a turn of
    # 36 degrees, brightness + 0.1 * 255.
    known = {
        1: lambda: np_warp(
            x, lambda b, i, j: (i - 0.1 * rows, j - 0.1 * cols), order=0, fill_mode="reflect"
        ),
        2: lambda: np_warp(x, rotation_source(36.0, rows, cols), order=0),
        3: lambda: np.clip(x + 25.5, 0, 255),
    }
    picks = []
    for _ in range(12):
        draws = draws_of(twin, x)
        out, (pick,) = to_numpy(layer(x)), draws["picks"]
        picks.append(pick)
        if pick in known:
            np.testing.assert_allclose(out, known[pick](), rtol=1e-5, atol=1e-3)
        else:  # the picked augmentation itself, with the same draw
            augmentation = twin.augmentations[pick]
            transform = (
                augmentation._transformation(keras.ops.convert_to_tensor(x), True)
                if draws["transforms"][pick] is None
                else draws["transforms"][pick]
            )
            expected = to_numpy(
                augmentation._transform_images(keras.ops.convert_to_tensor(x), transform)
            )
            np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-3)
    assert len(set(picks)) > 3 and all(0 <= p < 11 for p in picks)


def test_rand_augment_composes_num_ops_and_moves_boxes():
    x = images(RGB_SHAPE, high=255)
    box = np.array([[1.0, 1.0, 4.0, 3.0]], "float32")
    data = {
        "images": x,
        "bounding_boxes": {"boxes": np.tile(box, (4, 1, 1)), "labels": np.ones((4, 1), "int32")},
    }
    layer, twin = (
        layers.RandAugment(num_ops=3, factor=(0.2, 0.2), bounding_box_format="xyxy", seed=5)
        for _ in range(2)
    )
    draws = twin._draw(keras.ops.convert_to_tensor(x))
    out = to_numpy(layer(data))
    expected = keras.ops.convert_to_tensor(x)
    for pick in to_numpy(draws["picks"]):
        expected = twin.augmentations[pick]._transform_images(expected, draws["transforms"][pick])
    np.testing.assert_allclose(out["images"], to_numpy(expected), rtol=1e-5, atol=1e-3)
    moved = [p for p in to_numpy(draws["picks"]) if p < 3]  # shear, translation, rotation
    boxes = out["bounding_boxes"]["boxes"]
    assert np.array_equal(boxes, np.tile(box, (4, 1, 1))) == (not moved)
    assert np.all(boxes >= 0) and np.all(boxes[..., 2] <= RGB_SHAPE[2])


def test_rand_augment_arguments_and_config():
    layer = layers.RandAugment(value_range=(0, 1), num_ops=3, factor=0.4, seed=2)
    config = json.loads(json.dumps(layer.get_config()))
    assert {k: config[k] for k in ("value_range", "num_ops", "factor", "interpolation")} == {
        "value_range": [0, 1],
        "num_ops": 3,
        "factor": [0.0, 0.4],
        "interpolation": "bilinear",
    }
    assert layers.RandAugment.from_config(config).get_config() == config
    x = images(RGB_SHAPE)
    np.testing.assert_array_equal(to_numpy(layer(x, training=False)), x)
    np.testing.assert_allclose(
        to_numpy(layers.RandAugment.from_config(config)(x)), to_numpy(layer(x)), atol=1e-5
    )
    first = layers.RandAugment(
        value_range=(0, 1), num_ops=3, factor=0.4, seed=2, data_format="channels_first"
    )
    np.testing.assert_allclose(
        to_numpy(first(to_channels_first(x))),
        to_channels_first(to_numpy(layers.RandAugment.from_config(config)(x))),
        atol=1e-5,
    )
    check_symbolic_shape(layer, RGB_SHAPE[1:], x)
    with pytest.raises(ValueError, match="rand_augment.*num_ops"):
        layers.RandAugment(num_ops=-1)
    with pytest.raises(ValueError, match="rand_augment.*factor"):
        layers.RandAugment(factor=1.5)


# --- MaxNumBoundingBoxes -----------------------------------------------------------------


def test_max_num_bounding_boxes_pads_and_truncates():
    boxes = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4)
    labels = np.array([[1, 2, 3], [4, 5, 6]], "int32")
    x = images(SHAPE)[:2]
    padded = to_numpy(
        layers.MaxNumBoundingBoxes(5)(
            {"images": x, "bounding_boxes": {"boxes": boxes, "labels": labels}}
        )
    )
    np.testing.assert_array_equal(padded["images"], x)
    np.testing.assert_array_equal(
        padded["bounding_boxes"]["boxes"], np.concatenate([boxes, -np.ones((2, 2, 4))], axis=1)
    )
    np.testing.assert_array_equal(
        padded["bounding_boxes"]["labels"], [[1, 2, 3, -1, -1], [4, 5, 6, -1, -1]]
    )
    layer = layers.MaxNumBoundingBoxes(2, fill_value=0)
    cut = to_numpy(
        layer({"images": x[0], "bounding_boxes": {"boxes": boxes[0], "labels": labels[0]}})
    )
    np.testing.assert_array_equal(cut["bounding_boxes"]["boxes"], boxes[0, :2])
    np.testing.assert_array_equal(cut["bounding_boxes"]["labels"], [1, 2])
    config = json.loads(json.dumps(layer.get_config()))
    assert config["max_number"] == 2 and config["fill_value"] == 0
    assert layers.MaxNumBoundingBoxes.from_config(config).get_config() == config
    np.testing.assert_array_equal(to_numpy(layer(x)), x)
    with pytest.raises(ValueError, match="max_num_bounding_boxes.*max_number"):
        layers.MaxNumBoundingBoxes(0)


# --- Pipeline ----------------------------------------------------------------------------


def pipeline_parts(seed=0):
    return [
        layers.RandomShear((0.2, 0.2), seed=seed + 1),
        layers.RandomGaussianBlur((1.0, 1.0), sigma=(0.5, 0.5), value_range=(0, 1), seed=seed + 2),
        layers.Resizing(3, 4),
    ]


def test_pipeline_applies_its_layers_in_order():
    x = images(SHAPE)
    expected = x
    for layer in pipeline_parts():
        expected = layer(expected)
    pipeline = layers.Pipeline(pipeline_parts())
    np.testing.assert_allclose(to_numpy(pipeline(x)), to_numpy(expected), rtol=1e-5, atol=1e-6)
    # training=False reaches every layer: only the resize is left.
    np.testing.assert_allclose(
        to_numpy(pipeline(x, training=False)), to_numpy(layers.Resizing(3, 4)(x)), rtol=1e-6
    )
    assert [type(l) for l in pipeline.layers] == [
        layers.RandomShear,
        layers.RandomGaussianBlur,
        layers.Resizing,
    ]


def test_pipeline_config_round_trips_nested_layers():
    x = images(SHAPE)
    inner = layers.Pipeline(pipeline_parts()[:2], name="inner")
    pipeline = layers.Pipeline([inner, layers.CenterCrop(3, 3)], name="outer")
    config = json.loads(json.dumps(pipeline.get_config()))
    clone = layers.Pipeline.from_config(config)
    assert clone.name == "outer" and [type(l) for l in clone.layers[0].layers] == [
        layers.RandomShear,
        layers.RandomGaussianBlur,
    ]
    assert json.loads(json.dumps(clone.get_config())) == config
    np.testing.assert_allclose(to_numpy(clone(x)), to_numpy(pipeline(x)), rtol=1e-6)
    restored = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(pipeline)))
    )
    assert type(restored) is layers.Pipeline
    with pytest.raises(ValueError, match="layers"):
        layers.Pipeline.from_config({"name": "p"})
    with pytest.raises(ValueError, match="Pipeline.*list"):
        layers.Pipeline(layers.Resizing(2, 2))


# --- All layers: layouts, inference, seeds, config, shapes, errors -----------------------

LAYERS = {
    "shear": lambda **kw: layers.RandomShear(0.3, (0.1, 0.2), fill_mode="constant", **kw),
    "erasing": lambda **kw: layers.RandomErasing(
        (0.8, 1.0), fill_value=[0.1, 0.5], value_range=(0, 1), **kw
    ),
    "blur": lambda **kw: layers.RandomGaussianBlur(
        (0.8, 1.0), kernel_size=(3, 5), sigma=(0.5, 1.0), value_range=(0, 1), **kw
    ),
    "mix_up": lambda **kw: layers.MixUp(0.4, **kw),
    "cut_mix": lambda **kw: layers.CutMix(0.8, **kw),
    "perspective": lambda **kw: layers.RandomPerspective(
        (0.8, 1.0), scale=0.5, interpolation="nearest", **kw
    ),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_channels_first_and_unbatched_agree(name):
    x = images(SHAPE)
    make = LAYERS[name]
    last = to_numpy(make(seed=4)(x))
    assert not np.allclose(last, x, atol=1e-3)
    first = to_numpy(make(seed=4, data_format="channels_first")(to_channels_first(x)))
    np.testing.assert_allclose(first, to_channels_first(last), rtol=1e-5, atol=1e-5)
    single = to_numpy(make(seed=4)(x[0]))
    if name in ("mix_up", "cut_mix"):  # one image mixes with itself
        np.testing.assert_allclose(single, x[0], rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_allclose(single, to_numpy(make(seed=4)(x[:1]))[0], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", list(LAYERS))
def test_identity_at_inference_and_same_seed(name):
    x = images(SHAPE)
    np.testing.assert_array_equal(to_numpy(LAYERS[name](seed=1)(x, training=False)), x)
    a, b = LAYERS[name](seed=11), LAYERS[name](seed=11)
    first = to_numpy(a(x))
    np.testing.assert_array_equal(first, to_numpy(b(x)))
    assert any(not np.array_equal(first, to_numpy(a(x))) for _ in range(3))


@pytest.mark.parametrize("name", list(LAYERS))
def test_config_round_trip_and_symbolic_shape(name):
    x = images(SHAPE)
    layer = LAYERS[name](seed=13)
    config = json.loads(json.dumps(layer.get_config()))
    clone = type(layer).from_config(config)
    assert json.loads(json.dumps(clone.get_config())) == config
    np.testing.assert_array_equal(to_numpy(clone(x)), to_numpy(layer(x)))
    check_symbolic_shape(LAYERS[name](), (5, 6, 2), x)
    check_symbolic_shape(
        LAYERS[name](data_format="channels_first"), (2, 5, 6), to_channels_first(x)
    )
    with pytest.raises(ValueError, match=f'layer "{layer.name}".*ndim'):
        layer(np.zeros((5, 6), "float32"))


def test_symbolic_pipeline_shape():
    check_symbolic_shape(layers.Pipeline(pipeline_parts()), SHAPE[1:], images(SHAPE))


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda: layers.RandomShear(x_factor=-0.2), '"random_shear.*`x_factor`'),
        (lambda: layers.RandomShear(y_factor=(0.1, 1.5)), '"random_shear.*`y_factor`'),
        (lambda: layers.RandomShear(fill_mode="mirror"), "fill_mode"),
        (lambda: layers.RandomErasing(factor=2.0), '"random_erasing.*`factor`'),
        (lambda: layers.RandomErasing(scale=(0.1, 0.2, 0.3)), '"random_erasing.*`scale`'),
        (lambda: layers.RandomErasing(fill_value="red"), '"random_erasing.*`fill_value`'),
        (lambda: layers.RandomErasing(value_range=(0,)), "value_range"),
        (lambda: layers.RandomGaussianBlur(kernel_size=4), '"random_gaussian_blur.*`kernel_size`'),
        (lambda: layers.RandomGaussianBlur(sigma=-1.0), '"random_gaussian_blur.*`sigma`'),
        (lambda: layers.MixUp(alpha=0), '"mix_up.*`alpha`'),
        (lambda: layers.CutMix(factor=1.5), '"cut_mix.*`factor`'),
        (lambda: layers.RandomPerspective(scale=2), '"random_perspective.*`scale`'),
        (lambda: layers.RandomPerspective(interpolation="area"), '"random_perspective.*interp'),
    ],
)
def test_bad_arguments_name_the_layer(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# --- In a compiled train step -------------------------------------------------------------


@pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)
def test_fit_step_through_augmentation():
    # The draws that could not run traced: drawn blur widths, Beta weights, permutations.
    augmenters = [
        layers.RandomErasing(value_range=(0, 1), seed=2),
        layers.RandomGaussianBlur(value_range=(0, 1), seed=3),
        layers.MixUp(seed=5),
        layers.CutMix(seed=6),
    ]
    head = keras.Sequential([layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(1)])
    inputs = keras.Input((8, 8, 3))
    x = inputs
    for layer in augmenters:
        x = layer(x)
    model = keras.Model(inputs, head(x))
    model.compile(optimizer="sgd", loss="mse")
    before = [w.copy() for w in model.get_weights()]
    states = [to_numpy(layer.generator.state).copy() for layer in augmenters]
    history = model.fit(
        images((8, 8, 8, 3)), images((8, 1), seed=1), batch_size=4, epochs=1, verbose=0
    )
    assert np.isfinite(history.history["loss"][0])
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    for layer, state in zip(augmenters, states):  # each drew in the compiled steps
        assert not np.array_equal(to_numpy(layer.generator.state), state), layer.name


# --- Keras 3 -----------------------------------------------------------------------------

KERAS3_ARGS = {
    "RandomShear": {"x_factor": 0.3, "y_factor": (0.1, 0.2), "fill_mode": "constant"},
    "RandomErasing": {"factor": 0.9, "fill_value": 0.5},
    "RandomGaussianBlur": {"factor": 0.9, "kernel_size": 5},
    "MixUp": {"alpha": 0.4},
    "CutMix": {"factor": 0.8},
    "RandomPerspective": {"factor": 0.8, "scale": 0.5, "interpolation": "nearest"},
}


def keras3_transformation(name, draws, shape):
    """Keras 3's `transformation` dict for the draws of our layer `name`."""
    if name == "RandomShear":  # our draws: the (batch, 8) affine rows [1, sx, 0, sy, 1, ...]
        return {"shear_factor": draws[:, [1, 3]], "input_shape": shape}
    if name == "RandomErasing":
        return {
            "apply_erasing": np.ones(shape[0], bool),
            "batch_masks": np.broadcast_to(draws["mask"], shape),
            "fill_value": np.broadcast_to(draws["fill"], shape),
        }
    if name == "RandomGaussianBlur":
        return {"should_apply_blur": draws["apply"], "blur_factor": draws["sigma"]}
    if name == "MixUp":
        return {"mix_weight": draws["weight"], "permutation_order": draws["permutation"]}
    if name == "CutMix":
        return {
            "mix_weight": draws["weight"],
            "permutation_order": draws["permutation"],
            "batch_masks": np.broadcast_to(draws["mask"], shape),
        }
    return {
        "apply_perspective": draws["apply"],
        "start_points": draws["start"],
        "end_points": draws["end"],
        "input_shape": shape,
    }


@pytest.mark.skipif(keras3() is None, reason="Keras 3 is not installed next to this engine")
@pytest.mark.parametrize("name", list(KERAS3_ARGS))
def test_training_output_matches_keras3_for_the_same_draws(name):
    theirs = getattr(keras3().layers, name)(**KERAS3_ARGS[name])
    x = images(SHAPE, high=255)
    draws = draws_of(getattr(layers, name)(seed=2, **KERAS3_ARGS[name]), x)
    ours = to_numpy(getattr(layers, name)(seed=2, **KERAS3_ARGS[name])(x))
    transformation = keras3_transformation(name, draws, SHAPE)
    np.testing.assert_allclose(
        ours, np.asarray(theirs.transform_images(x, transformation)), rtol=1e-5, atol=1e-3
    )
    if name in ("MixUp", "CutMix"):
        labels = np.eye(4, dtype="float32")
        ours = to_numpy(
            getattr(layers, name)(seed=2, **KERAS3_ARGS[name])({"images": x, "labels": labels})
        )["labels"]
        np.testing.assert_allclose(
            ours, np.asarray(theirs.transform_labels(labels, transformation)), atol=1e-6
        )


@pytest.mark.skipif(keras3() is None, reason="Keras 3 is not installed next to this engine")
@pytest.mark.parametrize("name", list(KERAS3_ARGS))
def test_config_keys_and_inference_match_keras3(name):
    k3 = keras3()
    ours = getattr(layers, name)(seed=1, **KERAS3_ARGS[name])
    theirs = getattr(k3.layers, name)(seed=1, **KERAS3_ARGS[name])
    assert set(ours.get_config()) == set(theirs.get_config())
    x = images(SHAPE, high=255)
    np.testing.assert_allclose(
        to_numpy(ours(x, training=False)), np.asarray(theirs(x, training=False)), rtol=1e-6
    )
