"""Bounding boxes and segmentation masks: `keras.utils.bounding_boxes` and the dict inputs
(`{"images", "bounding_boxes", "segmentation_masks"}`) of the image preprocessing layers.

Expected values come from NumPy written here: format conversions from corner coordinates,
box corners moved by the layer's geometry (pixel `i` spans `[i, i + 1)`), clipped to the
output image. Masks that are 1 inside a box must stay 1 exactly inside the moved box.
Where Keras 3 is importable next to the active engine, results are also compared with it.
"""

import importlib.util
import json
import math
import os

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.utils import bounding_boxes as bb

from layer_checks import to_numpy

FORMATS = [
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
]
HEIGHT, WIDTH = 16, 32
# Corners with exact halves, so every format holds them exactly in float32.
CORNERS = np.array(
    [[2.0, 4.0, 10.0, 12.0], [0.0, 0.0, 32.0, 16.0], [5.0, 1.0, 8.0, 6.0]], "float32"
)


def np_from_corners(corners, fmt, height=HEIGHT, width=WIDTH):
    """`corners` (`(..., 4)` xyxy) written in `fmt`."""
    x1, y1, x2, y2 = np.moveaxis(corners.astype("float64"), -1, 0)
    if fmt.startswith("rel_"):
        x1, x2, y1, y2 = x1 / width, x2 / width, y1 / height, y2 / height
        fmt = fmt[4:]
    w, h, cx, cy = x2 - x1, y2 - y1, (x1 + x2) / 2, (y1 + y2) / 2
    columns = {
        "xyxy": (x1, y1, x2, y2),
        "yxyx": (y1, x1, y2, x2),
        "xywh": (x1, y1, w, h),
        "center_xywh": (cx, cy, w, h),
        "center_yxhw": (cy, cx, h, w),
    }[fmt]
    return np.stack(columns, -1).astype("float32")


def keras3():
    """Keras 3 on the active engine, or None (not installed, or another engine)."""
    engine = keras.backend.backend()
    if engine not in ("jax", "torch", "tensorflow") or importlib.util.find_spec("keras") is None:
        return None
    os.environ.setdefault("KERAS_BACKEND", engine)
    try:
        import keras as keras3_module
    except ImportError:
        return None
    usable = (
        keras3_module.__version__.startswith("3.")
        and hasattr(keras3_module.utils, "bounding_boxes")
        and keras3_module.backend.backend() == engine
    )
    return keras3_module if usable else None


needs_keras3 = pytest.mark.skipif(
    keras3() is None, reason="Keras 3 is not installed next to this engine"
)


# --- Utilities ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", FORMATS)
@pytest.mark.parametrize("source", FORMATS)
def test_convert_format_matches_numpy_and_round_trips(source, target):
    boxes = np_from_corners(CORNERS, source)
    out = to_numpy(bb.convert_format(boxes, source, target, height=HEIGHT, width=WIDTH))
    np.testing.assert_array_equal(out, np_from_corners(CORNERS, target))
    back = bb.convert_format(out, target, source.upper(), height=HEIGHT, width=WIDTH)
    np.testing.assert_array_equal(to_numpy(back), boxes)


def test_convert_format_batched_dict_and_dtype():
    batch = np.stack([CORNERS, CORNERS[::-1]])
    data = {"boxes": batch, "labels": np.array([[1, 2, 3], [4, 5, 6]])}
    out = bb.convert_format(data, "xyxy", "center_xywh")
    assert set(out) == {"boxes", "labels"} and out["labels"] is data["labels"]
    np.testing.assert_array_equal(to_numpy(out["boxes"]), np_from_corners(batch, "center_xywh"))
    as_int = bb.convert_format(CORNERS.astype("int32"), "xyxy", "xywh")
    assert keras.backend.standardize_dtype(as_int.dtype) == "float32"


def test_convert_format_errors():
    with pytest.raises(ValueError, match="convert_format.*`target`.*'xyz'"):
        bb.convert_format(CORNERS, "xyxy", "xyz")
    with pytest.raises(ValueError, match="convert_format.*`height` and `width`"):
        bb.convert_format(CORNERS, "xyxy", "rel_xyxy")
    with pytest.raises(ValueError, match=r"last axis of size 4.*\(3, 3\)"):
        bb.convert_format(CORNERS[:, :3], "xyxy", "xywh")
    # relative -> relative needs no image size
    np.testing.assert_array_equal(
        to_numpy(bb.convert_format(np_from_corners(CORNERS, "rel_xyxy"), "rel_xyxy", "rel_yxyx")),
        np_from_corners(CORNERS, "rel_yxyx"),
    )


def test_clip_to_image_size_clips_and_drops_empty_boxes():
    boxes = np.array([[[-4, 2, 6, 20], [12, 1, 15, 4], [3, 3, 3, 9]]], "float32")
    labels = np.array([[7, 8, 9]])
    out = bb.clip_to_image_size({"boxes": boxes, "labels": labels, "extra": 1}, height=10, width=10)
    np.testing.assert_array_equal(
        to_numpy(out["boxes"]), [[[0, 2, 6, 10], [10, 1, 10, 4], [3, 3, 3, 9]]]
    )
    np.testing.assert_array_equal(to_numpy(out["labels"]), [[7, -1, -1]])
    assert out["extra"] == 1
    rel = bb.clip_to_image_size({"boxes": boxes / 10}, bounding_box_format="rel_xyxy")
    np.testing.assert_allclose(
        to_numpy(rel["boxes"]),
        [[[0, 0.2, 0.6, 1], [1, 0.1, 1, 0.4], [0.3, 0.3, 0.3, 0.9]]],
        atol=1e-7,
    )
    xywh = bb.clip_to_image_size(
        {"boxes": np.array([[-2.0, 1, 5, 3]], "float32")}, 10, 10, bounding_box_format="xywh"
    )
    np.testing.assert_array_equal(to_numpy(xywh["boxes"]), [[0, 1, 3, 3]])
    with pytest.raises(ValueError, match="clip_to_image_size.*`height` and `width`"):
        bb.clip_to_image_size({"boxes": boxes})


def test_crop_and_pad_shift_boxes():
    boxes = np.array([[10, 20, 50, 60], [70, 80, 100, 120]], "float32")
    np.testing.assert_array_equal(
        to_numpy(bb.crop(boxes, top=10, left=20, height=40, width=30)),
        [[0, 10, 30, 40], [30, 40, 30, 40]],
    )
    np.testing.assert_array_equal(
        to_numpy(bb.pad(boxes[None], top=3, left=4)), [[[14, 23, 54, 63], [74, 83, 104, 123]]]
    )
    with pytest.raises(NotImplementedError, match='crop.*"xyxy".*xywh'):
        bb.crop(boxes, 0, 0, 5, 5, bounding_box_format="xywh")


def np_affine(boxes, angle, tx, ty, scale, height, width):
    """Each corner `p` goes to `c + scale * R(-angle) (p - c + t)`, `c` the centre
    `((width - 1) / 2, (height - 1) / 2)` and `t = (tx (width - 1), ty (height - 1))`."""
    c = np.array([(width - 1) / 2, (height - 1) / 2])
    t = np.array([tx * (width - 1), ty * (height - 1)])
    a = math.radians(angle)
    rotation = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    out = []
    for x1, y1, x2, y2 in boxes:
        points = np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]])
        moved = c + scale * (points - c + t) @ rotation.T
        out.append([*moved.min(0), *moved.max(0)])
    return np.array(out)


def test_affine_transform_moves_corners():
    batch = np.stack([CORNERS, CORNERS[::-1]])
    params = [(30.0, 0.1, -0.2, 1.5), (-75.0, 0.0, 0.3, 0.8)]
    angle, tx, ty, scale = (np.array(p, "float32") for p in zip(*params))
    zeros = np.zeros(2, "float32")
    out = to_numpy(bb.affine_transform(batch, angle, tx, ty, scale, zeros, zeros, HEIGHT, WIDTH))
    for b, p in enumerate(params):
        np.testing.assert_allclose(
            out[b], np_affine(batch[b], *p, HEIGHT, WIDTH), rtol=1e-5, atol=1e-4
        )
    single = to_numpy(bb.affine_transform(CORNERS, 90.0, 0.0, 0.0, 1.0, 0.0, 0.0, HEIGHT, WIDTH))
    np.testing.assert_allclose(single, np_affine(CORNERS, 90.0, 0, 0, 1, HEIGHT, WIDTH), atol=1e-4)


def np_iou(a, b):
    out = np.zeros((len(a), len(b)))
    for i, p in enumerate(a):
        for j, q in enumerate(b):
            w = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
            h = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
            union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - w * h
            out[i, j] = w * h / union
    return out


def test_compute_iou_matches_numpy():
    other = np.array([[2, 4, 10, 12], [6, 8, 14, 16], [20, 0, 30, 5], [-1, -1, -1, -1]], "float32")
    expected = np_iou(CORNERS, other[:3])
    out = to_numpy(
        bb.compute_iou(np_from_corners(CORNERS, "yxyx"), np_from_corners(other, "yxyx"), "yxyx")
    )
    np.testing.assert_allclose(out[:, :3], expected, rtol=1e-5)
    batched = to_numpy(
        bb.compute_iou(np.stack([CORNERS] * 2), other, "xyxy", use_masking=True, mask_val=-7)
    )
    assert batched.shape == (2, 3, 4)
    np.testing.assert_allclose(batched[1, :, :3], expected, rtol=1e-5)
    np.testing.assert_array_equal(batched[:, :, 3], -7)
    with pytest.raises(ValueError, match="compute_iou.*boxes1"):
        bb.compute_iou(CORNERS[0], other, "xyxy")


def test_compute_ciou_of_a_box_with_itself_is_one_and_falls_with_distance():
    same = to_numpy(bb.compute_ciou(CORNERS, CORNERS, "xyxy"))
    np.testing.assert_allclose(same, 1.0, atol=1e-4)
    shifted = to_numpy(bb.compute_ciou(CORNERS, CORNERS + [1, 0, 1, 0], "xyxy"))
    assert np.all(shifted < same)


def test_box_deltas_round_trip():
    anchors = np.array([[0, 0, 8, 8], [4, 4, 20, 12], [10, 2, 14, 6]], "float32")
    for encoding in ("center_yxhw", "center_xywh"):
        deltas = to_numpy(
            bb.encode_box_to_deltas(
                anchors, CORNERS, "xyxy", "xyxy", encoding, variance=[0.1, 0.1, 0.2, 0.2]
            )
        )
        # centre offsets in anchor sizes, then log size ratios, divided by the variance
        ax, ay = (anchors[:, 0] + anchors[:, 2]) / 2, (anchors[:, 1] + anchors[:, 3]) / 2
        bx, by = (CORNERS[:, 0] + CORNERS[:, 2]) / 2, (CORNERS[:, 1] + CORNERS[:, 3]) / 2
        aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
        bw, bh = CORNERS[:, 2] - CORNERS[:, 0], CORNERS[:, 3] - CORNERS[:, 1]
        dx, dy = (bx - ax) / aw / 0.1, (by - ay) / ah / 0.1
        dw, dh = np.log(bw / aw) / 0.2, np.log(bh / ah) / 0.2
        expected = np.stack([dy, dx, dh, dw] if encoding == "center_yxhw" else [dx, dy, dw, dh], -1)
        np.testing.assert_allclose(deltas, expected, rtol=1e-5, atol=1e-5)
        boxes = bb.decode_deltas_to_boxes(
            anchors, deltas, "xyxy", "xyxy", encoding, variance=[0.1, 0.1, 0.2, 0.2]
        )
        np.testing.assert_allclose(to_numpy(boxes), CORNERS, rtol=1e-5, atol=1e-4)
    with pytest.raises(ValueError, match="encode_box_to_deltas.*'xyxy'"):
        bb.encode_box_to_deltas(anchors, CORNERS, "xyxy", "xyxy", encoding_format="xyxy")


def test_exported_as_keras_utils_bounding_boxes():
    assert keras.utils.bounding_boxes is bb
    for name in (
        "convert_format",
        "clip_to_image_size",
        "affine_transform",
        "crop",
        "pad",
        "encode_box_to_deltas",
        "decode_deltas_to_boxes",
        "compute_iou",
        "compute_ciou",
    ):
        assert callable(getattr(keras.utils.bounding_boxes, name))


# --- Layers: NumPy references ----------------------------------------------------------------


def box_mask(boxes, height, width):
    """`(height, width, 1)` mask: 1 on the pixels inside any of the integer xyxy `boxes`."""
    mask = np.zeros((height, width, 1), "float32")
    for x1, y1, x2, y2 in np.round(boxes).astype(int):
        mask[max(y1, 0) : max(y2, 0), max(x1, 0) : max(x2, 0)] = 1
    return mask


def np_clip(boxes, labels, height, width):
    boxes = np.stack(
        [
            np.clip(boxes[..., 0], 0, width),
            np.clip(boxes[..., 1], 0, height),
            np.clip(boxes[..., 2], 0, width),
            np.clip(boxes[..., 3], 0, height),
        ],
        -1,
    )
    area = (boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1])
    return boxes, np.where(area > 0, labels, -1)


def np_moved(boxes, point_map):
    """Boxes enclosing the corners of `boxes` moved by `point_map(x, y) -> (x, y)`."""
    out = []
    for x1, y1, x2, y2 in boxes:
        moved = np.array([point_map(x, y) for x, y in ((x1, y1), (x2, y1), (x2, y2), (x1, y2))])
        out.append([*moved.min(0), *moved.max(0)])
    return np.array(out, "float64").reshape(-1, 4)


def call(layer, images, boxes, labels, masks=None, **kwargs):
    data = {"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}}
    if masks is not None:
        data["segmentation_masks"] = masks
    return to_numpy(layer(data, **kwargs))


def check_layer(layer, images, boxes, labels, expected_boxes, out_size, check_mask=True, **kwargs):
    """Calls `layer` on a batch: boxes equal `expected_boxes` (clipped, labels of empty
    boxes -1) and, when `check_mask`, the mask of the boxes moves onto the moved boxes."""
    masks = np.stack([box_mask(b[:1], *images.shape[1:3]) for b in boxes])
    out = call(layer, images, boxes, labels, masks, **kwargs)
    want_boxes, want_labels = np_clip(np.asarray(expected_boxes), labels, *out_size)
    assert out["images"].shape[1:3] == out_size
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], want_boxes, rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], want_labels)
    if check_mask:
        for b in range(len(boxes)):
            np.testing.assert_array_equal(
                out["segmentation_masks"][b], box_mask(want_boxes[b][:1], *out_size)
            )
    return out


def images(shape, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, shape).astype("float32")


BOXES_8x16 = np.array(
    [[[2, 2, 6, 8], [14, 0, 16, 4], [0, 0, 0, 0]], [[6, 2, 10, 6], [0, 0, 3, 2], [-1, -1, -1, -1]]],
    "float32",
)
LABELS = np.array([[1, 2, 3], [4, 5, 6]], "int32")


@pytest.mark.parametrize("mode", ["stretch", "crop", "pad"])
def test_resizing_moves_boxes_and_masks(mode):
    x = images((2, 8, 16, 3))
    target = {"stretch": (4, 8), "crop": (4, 4), "pad": (8, 8)}[mode]
    # The window of the input that fills the output: (top, left, height, width).
    window = {"stretch": (0, 0, 8, 16), "crop": (0, 4, 8, 8), "pad": (-4, 0, 16, 16)}[mode]
    layer = layers.Resizing(
        *target,
        interpolation="nearest",
        bounding_box_format="xyxy",
        crop_to_aspect_ratio=mode == "crop",
        pad_to_aspect_ratio=mode == "pad",
    )
    top, left, h, w = window
    expected = (BOXES_8x16 - [left, top, left, top]) * ([target[1] / w, target[0] / h] * 2)
    expected[:, 2] = 0  # padding boxes stay zeros (Keras 3)
    out = check_layer(layer, x, BOXES_8x16, LABELS, expected, target)
    assert out["bounding_boxes"]["labels"][0, 2] == -1


def test_resizing_relative_format_and_unbatched():
    x = images((8, 16, 3))
    boxes = np_from_corners(BOXES_8x16[0, :2], "rel_center_xywh", 8, 16)
    layer = layers.Resizing(4, 4, crop_to_aspect_ratio=True, bounding_box_format="rel_center_xywh")
    out = call(layer, x, boxes, LABELS[0, :2])
    corners = (BOXES_8x16[0, :2] - [4, 0, 4, 0]) * 0.5
    corners, labels = np_clip(corners, LABELS[0, :2], 4, 4)
    np.testing.assert_allclose(
        out["bounding_boxes"]["boxes"], np_from_corners(corners, "rel_center_xywh", 4, 4), atol=1e-6
    )
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], labels)
    np.testing.assert_allclose(out["images"], to_numpy(layer(x)))


def test_center_crop_moves_boxes_and_masks():
    x = images((2, 8, 16, 3))
    expected = BOXES_8x16 - [5, 2, 5, 2]  # window of 4 x 6 at (2, 5)
    check_layer(
        layers.CenterCrop(4, 6, bounding_box_format="xyxy"), x, BOXES_8x16, LABELS, expected, (4, 6)
    )
    # Smaller than the target: the aspect window (0, 4, 8, 8) is resized to 16 x 16.
    small = layers.CenterCrop(16, 16, bounding_box_format="xyxy")
    out = call(small, x, BOXES_8x16, LABELS)
    want, _ = np_clip((BOXES_8x16 - [4, 0, 4, 0]) * 2, LABELS, 16, 16)
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], want)


def test_random_crop_moves_boxes_by_the_drawn_window():
    x = images((2, 8, 16, 3))
    layer = layers.RandomCrop(4, 6, seed=3, bounding_box_format="xyxy")
    masks = np.stack([box_mask(b[:1], 8, 16) for b in BOXES_8x16])
    out = call(layer, x, BOXES_8x16, LABELS, masks)
    # Recover the window from the cropped images (one window per batch).
    ((top, left),) = [
        (t, l)
        for t in range(5)
        for l in range(11)
        if np.array_equal(out["images"], x[:, t : t + 4, l : l + 6])
    ]
    want, want_labels = np_clip(BOXES_8x16 - [left, top, left, top], LABELS, 4, 6)
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], want)
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], want_labels)
    np.testing.assert_array_equal(
        out["segmentation_masks"], masks[:, top : top + 4, left : left + 6]
    )
    # Inference resizes the aspect window (0, 2, 8, 12) to 4 x 6, boxes with it.
    check_layer(
        layer,
        x,
        BOXES_8x16,
        LABELS,
        (BOXES_8x16 - [2, 0, 2, 0]) / 2,
        (4, 6),
        check_mask=False,
        training=False,
    )


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip_flips_boxes_with_their_images(mode):
    x = images((4, 8, 16, 3))
    boxes = np.concatenate([BOXES_8x16, BOXES_8x16[::-1]])
    labels = np.concatenate([LABELS, LABELS])
    masks = np.stack([box_mask(b[:1], 8, 16) for b in boxes])
    layer = layers.RandomFlip(mode, seed=7, bounding_box_format="xyxy")
    seen = set()
    for _ in range(4):  # new draws each call, until flipped and kept images were both seen
        seen.update(check_flips(call(layer, x, boxes, labels, masks), mode, x, boxes, labels))
        if len(seen) == 2:
            break
    assert seen == {True, False}


def check_flips(out, mode, x, boxes, labels):
    """Checks each output against its image (flipped or kept); returns the flip states."""
    axes = {"horizontal": (1,), "vertical": (0,), "horizontal_and_vertical": (0, 1)}[mode]
    flipped = [not np.array_equal(out["images"][b], x[b]) for b in range(len(x))]
    for b in range(len(x)):
        want = boxes[b]
        if flipped[b]:
            np.testing.assert_array_equal(out["images"][b], np.flip(x[b], axes))
            x1, y1, x2, y2 = want.T
            if 1 in axes:
                x1, x2 = 16 - x2, 16 - x1
            if 0 in axes:
                y1, y2 = 8 - y2, 8 - y1
            want = np.stack([x1, y1, x2, y2], -1)
        want, want_labels = np_clip(want, labels[b], 8, 16)
        np.testing.assert_allclose(out["bounding_boxes"]["boxes"][b], want)
        np.testing.assert_array_equal(out["bounding_boxes"]["labels"][b], want_labels)
        np.testing.assert_array_equal(out["segmentation_masks"][b], box_mask(want[:1], 8, 16))
    return flipped


def rotation_map(degrees, height, width):
    """Where a point goes under the layer's counter-clockwise turn (about the image centre
    `(width / 2, height / 2)` in pixel-edge coordinates)."""
    a = math.radians(degrees)

    def point_map(x, y):
        dx, dy = x - width / 2, y - height / 2
        return (
            width / 2 + math.cos(a) * dx + math.sin(a) * dy,
            height / 2 - math.sin(a) * dx + math.cos(a) * dy,
        )

    return point_map


def test_random_rotation_quarter_turn_moves_boxes_and_masks():
    x = images((2, 8, 8, 3))
    boxes = np.array([[[1, 2, 3, 7], [5, 0, 8, 1]], [[4, 4, 8, 8], [0, 3, 2, 4]]], "float32")
    labels = LABELS[:, :2]
    layer = layers.RandomRotation(
        (0.25, 0.25), interpolation="nearest", fill_mode="constant", bounding_box_format="xyxy"
    )
    expected = np.stack([np_moved(b, rotation_map(90, 8, 8)) for b in boxes])
    out = check_layer(layer, x, boxes, labels, expected, (8, 8))
    np.testing.assert_allclose(out["images"], np.rot90(x, 1, axes=(1, 2)), atol=1e-6)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_rotation_any_angle_encloses_the_turned_corners(data_format):
    x = images((2, 8, 16, 3))
    layer = layers.RandomRotation(
        (-30 / 360, -30 / 360), bounding_box_format="xyxy", data_format=data_format
    )
    expected = np.stack([np_moved(b, rotation_map(-30, 8, 16)) for b in BOXES_8x16])
    want, want_labels = np_clip(expected, LABELS, 8, 16)
    moved = lambda a: np.moveaxis(a, -1, 1) if data_format == "channels_first" else a
    out = call(layer, moved(x), BOXES_8x16, LABELS, moved(x[..., :1]))
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], want, rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], want_labels)
    assert out["segmentation_masks"].shape == moved(x[..., :1]).shape


def test_random_zoom_moves_boxes_and_masks():
    x = images((2, 8, 8, 3))
    boxes = np.array([[[3, 3, 5, 5], [0, 0, 2, 2]], [[2, 3, 6, 4], [3, 1, 4, 7]]], "float32")
    # zoom 0.5 on both axes: a point moves 2x away from the centre (4, 4)
    layer = layers.RandomZoom((-0.5, -0.5), interpolation="nearest", bounding_box_format="xyxy")
    expected = (boxes - 4) * 2 + 4
    check_layer(layer, x, boxes, LABELS[:, :2], expected, (8, 8))
    # different zooms per axis: x scaled by 1 / 1.25, y by 1 / 0.75
    layer = layers.RandomZoom((-0.25, -0.25), (0.25, 0.25), bounding_box_format="xyxy")
    expected = np.stack(
        [np_moved(b, lambda x_, y_: ((x_ - 4) / 1.25 + 4, (y_ - 4) / 0.75 + 4)) for b in boxes]
    )
    check_layer(layer, x, boxes, LABELS[:, :2], expected, (8, 8), check_mask=False)


def test_random_translation_moves_boxes_and_masks():
    x = images((2, 8, 8, 3))
    boxes = np.array([[[3, 1, 6, 4], [0, 6, 2, 8]], [[1, 1, 8, 8], [6, 0, 8, 2]]], "float32")
    layer = layers.RandomTranslation(
        (0.25, 0.25),
        (-0.25, -0.25),
        fill_mode="constant",
        interpolation="nearest",
        bounding_box_format="xyxy",
    )
    check_layer(layer, x, boxes, LABELS[:, :2], boxes + [-2, 2, -2, 2], (8, 8))


@pytest.mark.parametrize(
    "layer",
    [
        lambda: layers.RandomContrast(0.5, value_range=(0, 1), seed=1, bounding_box_format="xyxy"),
        lambda: layers.RandomBrightness(
            0.5, value_range=(0, 1), seed=1, bounding_box_format="xyxy"
        ),
    ],
    ids=["contrast", "brightness"],
)
def test_color_layers_pass_boxes_and_masks_through(layer):
    x = images((2, 8, 16, 3))
    masks = images((2, 8, 16, 1), seed=1)
    out = call(layer(), x, BOXES_8x16, LABELS, masks)
    assert not np.allclose(out["images"], x)
    np.testing.assert_array_equal(out["bounding_boxes"]["boxes"], BOXES_8x16)
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], LABELS)
    np.testing.assert_array_equal(out["segmentation_masks"], masks)


# --- Layers: all -----------------------------------------------------------------------------

BOX_LAYERS = {
    "resizing": lambda **kw: layers.Resizing(4, 6, **kw),
    "center_crop": lambda **kw: layers.CenterCrop(4, 6, **kw),
    "crop": lambda **kw: layers.RandomCrop(4, 6, seed=2, **kw),
    "flip": lambda **kw: layers.RandomFlip(seed=2, **kw),
    "rotation": lambda **kw: layers.RandomRotation(0.2, seed=2, **kw),
    "zoom": lambda **kw: layers.RandomZoom(0.3, 0.2, seed=2, **kw),
    "translation": lambda **kw: layers.RandomTranslation(0.2, 0.3, seed=2, **kw),
    "contrast": lambda **kw: layers.RandomContrast(0.4, value_range=(0, 1), seed=2, **kw),
    "brightness": lambda **kw: layers.RandomBrightness(0.2, value_range=(0, 1), seed=2, **kw),
}
RANDOM_BOX_LAYERS = ["crop", "flip", "rotation", "zoom", "translation", "contrast", "brightness"]


@pytest.mark.parametrize("name", list(BOX_LAYERS))
def test_dict_output_agrees_with_image_call_unbatched_and_config(name):
    x = images((1, 8, 16, 3))
    make = BOX_LAYERS[name]
    data = {
        "images": x,
        "bounding_boxes": {"boxes": BOXES_8x16[:1], "labels": LABELS[:1]},
        "labels": np.array([3]),
    }
    out = to_numpy(make(bounding_box_format="xywh")(data))
    np.testing.assert_allclose(out["images"], to_numpy(make()(x)), atol=1e-6)
    np.testing.assert_array_equal(out["labels"], [3])  # other entries pass through
    single = call(make(bounding_box_format="xywh"), x[0], BOXES_8x16[0], LABELS[0])
    np.testing.assert_allclose(single["images"], out["images"][0], atol=1e-6)
    np.testing.assert_allclose(
        single["bounding_boxes"]["boxes"], out["bounding_boxes"]["boxes"][0], atol=1e-5
    )
    np.testing.assert_array_equal(
        single["bounding_boxes"]["labels"], out["bounding_boxes"]["labels"][0]
    )
    layer = make(bounding_box_format="center_xywh")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["bounding_box_format"] == "center_xywh"
    assert "bounding_box_format" not in make().get_config()
    clone = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(layer)))
    )
    assert clone.bounding_box_format == "center_xywh"


# (RandomCrop resizes at inference: test_random_crop_moves_boxes_by_the_drawn_window.)
@pytest.mark.parametrize("name", [n for n in RANDOM_BOX_LAYERS if n != "crop"])
def test_inference_leaves_boxes_and_masks(name):
    x = images((2, 8, 16, 3))
    masks = images((2, 8, 16, 1), seed=2)
    out = call(
        BOX_LAYERS[name](bounding_box_format="xyxy"), x, BOXES_8x16, LABELS, masks, training=False
    )
    np.testing.assert_array_equal(out["images"], x)
    np.testing.assert_array_equal(out["segmentation_masks"], masks)
    np.testing.assert_array_equal(out["bounding_boxes"]["boxes"], BOXES_8x16)
    np.testing.assert_array_equal(out["bounding_boxes"]["labels"], LABELS)


@pytest.mark.parametrize("name", list(BOX_LAYERS))
def test_boxes_without_format_name_the_layer(name):
    layer = BOX_LAYERS[name]()
    with pytest.raises(ValueError, match=f'"{layer.name}".*`bounding_box_format`'):
        call(layer, images((2, 8, 16, 3)), BOXES_8x16, LABELS)


def test_bad_dict_inputs_name_the_layer():
    layer = layers.RandomFlip(bounding_box_format="xyxy")
    with pytest.raises(ValueError, match=f'"{layer.name}".*"images"'):
        layer({"bounding_boxes": {"boxes": BOXES_8x16, "labels": LABELS}})
    with pytest.raises(ValueError, match=f'"{layer.name}".*"boxes" and\\s+"labels"'):
        layer({"images": images((2, 8, 16, 3)), "bounding_boxes": {"boxes": BOXES_8x16}})
    with pytest.raises(ValueError, match=f'"{layer.name}".*\\(batch, num_boxes, 4\\).*\\(3, 3\\)'):
        call(layer, images((2, 8, 16, 3)), BOXES_8x16[0, :, :3], LABELS)
    with pytest.raises(ValueError, match=f'layer "{layer.name}".*ndim'):
        layer({"images": images((8, 16))})


# --- Keras 3 ----------------------------------------------------------------------------------


def keras3_call(layer, x, boxes, labels):
    out = layer({"images": x, "bounding_boxes": {"boxes": boxes, "labels": labels}})
    return {k: np.asarray(v) for k, v in out["bounding_boxes"].items()}


@needs_keras3
@pytest.mark.parametrize("fmt", ["xyxy", "rel_yxyx", "center_xywh"])
@pytest.mark.parametrize(
    "name", ["resizing", "resizing_crop", "resizing_pad", "center_crop", "translation"]
)
def test_matches_keras3(name, fmt):
    k3 = keras3()
    kwargs = {
        "resizing": ("Resizing", (4, 8), {}),
        "resizing_crop": ("Resizing", (4, 4), {"crop_to_aspect_ratio": True}),
        "resizing_pad": ("Resizing", (8, 8), {"pad_to_aspect_ratio": True}),
        "center_crop": ("CenterCrop", (4, 6), {}),
        "translation": ("RandomTranslation", ((0.25, 0.25), (-0.125, -0.125)), {}),
    }[name]
    cls, args, options = kwargs
    x = images((2, 8, 16, 3))
    boxes = np_from_corners(BOXES_8x16[:, :2], fmt, 8, 16)
    ours = call(
        getattr(layers, cls)(*args, bounding_box_format=fmt, **options), x, boxes, LABELS[:, :2]
    )["bounding_boxes"]
    theirs = keras3_call(
        getattr(k3.layers, cls)(*args, bounding_box_format=fmt, **options), x, boxes, LABELS[:, :2]
    )
    np.testing.assert_allclose(ours["boxes"], theirs["boxes"], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(ours["labels"], theirs["labels"])


@needs_keras3
def test_rotation_and_zoom_match_keras3_up_to_the_half_pixel_convention():
    """Keras 3 moves box edges as pixel indices; unikeras as pixel edges (aligned with the
    warped image): ours(b) == keras(b - 0.5) + 0.5 away from the image border."""
    k3 = keras3()
    x = images((2, 32, 32, 3))
    boxes = BOXES_8x16[:, :2] + 8
    for ours_layer, keras_layer in [
        (
            layers.RandomRotation((0.1, 0.1), bounding_box_format="xyxy"),
            k3.layers.RandomRotation((0.1, 0.1), bounding_box_format="xyxy"),
        ),
        (
            layers.RandomZoom((-0.3, -0.3), (0.2, 0.2), bounding_box_format="xyxy"),
            k3.layers.RandomZoom((-0.3, -0.3), (0.2, 0.2), bounding_box_format="xyxy"),
        ),
    ]:
        ours = call(ours_layer, x, boxes, LABELS[:, :2])["bounding_boxes"]["boxes"]
        theirs = keras3_call(keras_layer, x, boxes - 0.5, LABELS[:, :2])["boxes"] + 0.5
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-4)


@needs_keras3
def test_utilities_match_keras3():
    kb = keras3().utils.bounding_boxes
    batch = np.stack([CORNERS, CORNERS[::-1]])
    angle = np.array([30.0, -70.0], "float32")
    shear = np.array([10.0, -5.0], "float32")
    args = (angle, shear / 100, -shear / 50, 1 + shear / 20, shear, -shear, HEIGHT, WIDTH)
    np.testing.assert_allclose(
        to_numpy(bb.affine_transform(batch, *args)),
        np.asarray(kb.affine_transform(batch, *args)),
        rtol=1e-5,
        atol=1e-4,
    )
    other = CORNERS[::-1] + [1, 2, 0, 3]
    np.testing.assert_allclose(
        to_numpy(bb.compute_ciou(CORNERS, other, "xyxy")),
        np.asarray(kb.compute_ciou(CORNERS, other, "xyxy")),
        atol=1e-5,
    )
    np.testing.assert_allclose(
        to_numpy(bb.compute_iou(batch, batch, "center_xywh")),
        np.asarray(kb.compute_iou(batch, batch, "center_xywh")),
        atol=1e-6,
    )


def test_symbolic_dict_inputs_in_a_model():
    inputs = {
        "images": keras.Input((8, 16, 3)),
        "segmentation_masks": keras.Input((8, 16, 1)),
        "bounding_boxes": {
            "boxes": keras.Input((3, 4)),
            "labels": keras.Input((3,), dtype="int32"),
        },
    }
    resize = layers.Resizing(4, 8, bounding_box_format="xyxy")
    outputs = resize(layers.RandomRotation(0.2, bounding_box_format="xyxy")(inputs))
    assert tuple(outputs["images"].shape) == (None, 4, 8, 3)
    assert tuple(outputs["segmentation_masks"].shape) == (None, 4, 8, 1)
    assert tuple(outputs["bounding_boxes"]["boxes"].shape) == (None, 3, 4)
    assert tuple(outputs["bounding_boxes"]["labels"].shape) == (None, 3)
    model = keras.Model(inputs, outputs)
    data = {
        "images": images((2, 8, 16, 3)),
        "segmentation_masks": images((2, 8, 16, 1)),
        "bounding_boxes": {"boxes": BOXES_8x16, "labels": LABELS},
    }
    out = to_numpy(model(data, training=False))
    expected = to_numpy(resize(data))
    for key in ("images", "segmentation_masks"):
        np.testing.assert_allclose(out[key], expected[key], atol=1e-6)
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"], expected["bounding_boxes"]["boxes"])
    np.testing.assert_array_equal(
        out["bounding_boxes"]["labels"], expected["bounding_boxes"]["labels"]
    )
