"""keras.visualization: boxes and masks drawn on images (pixels checked), galleries."""

import sys

import numpy as np
import pytest

import unikeras as keras
from unikeras import visualization

NAMES = (
    "draw_bounding_boxes",
    "draw_segmentation_masks",
    "plot_bounding_box_gallery",
    "plot_image_gallery",
    "plot_segmentation_mask_gallery",
)


def test_names():
    assert all(callable(getattr(visualization, n)) for n in NAMES)


def _boxes(boxes, labels, **extra):
    out = {"boxes": np.array(boxes, dtype="float32"), "labels": np.array(labels, dtype="int32")}
    out.update(extra)
    return out


def test_draw_bounding_boxes_outline_pixels():
    images = np.zeros((2, 20, 30, 3), dtype="uint8")
    boxes = _boxes(
        [[[2, 3, 12, 15], [0, 0, 5, 5]], [[10, 5, 25, 18], [1, 1, 2, 2]]], [[0, -1], [1, -1]]
    )
    out = visualization.draw_bounding_boxes(
        images, boxes, "xyxy", color=(255, 0, 0), line_thickness=1, data_format="channels_last"
    )
    assert out.shape == images.shape and out.dtype == np.uint8
    want = np.zeros((2, 20, 30), dtype=bool)
    for i, (x1, y1, x2, y2) in enumerate([(2, 3, 12, 15), (10, 5, 25, 18)]):
        want[i, y1 : y2 + 1, [x1, x2]] = True
        want[i, [y1, y2], x1 : x2 + 1] = True
    np.testing.assert_array_equal(out[..., 0] == 255, want)
    np.testing.assert_array_equal(out[..., 1:], 0)


def test_draw_bounding_boxes_formats_thickness_and_text():
    images = np.zeros((1, 40, 40, 3), dtype="float32")
    # Same box given as rel_xyxy and as yxyx.
    rel = visualization.draw_bounding_boxes(
        images,
        _boxes([[[0.25, 0.5, 0.75, 0.75]]], [[0]]),
        "rel_xyxy",
        color=(0, 255, 0),
        line_thickness=3,
        data_format="channels_last",
    )
    yxyx = visualization.draw_bounding_boxes(
        images,
        _boxes([[[20, 10, 30, 30]]], [[0]]),
        "yxyx",
        color=(0, 255, 0),
        line_thickness=3,
        data_format="channels_last",
    )
    np.testing.assert_array_equal(rel, yxyx)
    green = rel[0, ..., 1] == 255
    assert green[20:23, 10:31].all() and green[20:31, 10:13].all()  # 3-pixel edges inside
    assert not green[24:27, 14:27].any()  # interior untouched
    named = visualization.draw_bounding_boxes(
        images,
        _boxes([[[10, 20, 30, 30]]], [[0]], confidences=np.array([[0.9]])),
        "xyxy",
        class_mapping={0: "cat"},
        color=(0, 0, 255),
        line_thickness=1,
        data_format="channels_last",
    )
    blue = named[0, ..., 2] == 255
    outline = np.zeros((40, 40), dtype=bool)
    outline[20:31, [10, 30]] = True
    outline[[20, 30], 10:31] = True
    assert (blue & ~outline).sum() > 0  # the text was written too
    chw = visualization.draw_bounding_boxes(
        images.transpose(0, 3, 1, 2),
        _boxes([[[20, 10, 30, 30]]], [[0]]),
        "yxyx",
        color=(0, 255, 0),
        line_thickness=3,
        data_format="channels_first",
    )
    np.testing.assert_array_equal(chw, yxyx)


def test_draw_bounding_boxes_errors():
    with pytest.raises(ValueError, match="4D"):
        visualization.draw_bounding_boxes(np.zeros((4, 4, 3)), _boxes([], []), "xyxy")
    with pytest.raises(TypeError, match="dict"):
        visualization.draw_bounding_boxes(np.zeros((1, 4, 4, 3)), [1], "xyxy")
    with pytest.raises(ValueError, match="labels"):
        visualization.draw_bounding_boxes(np.zeros((1, 4, 4, 3)), {"boxes": []}, "xyxy")


@pytest.mark.parametrize("blend", [True, False])
def test_draw_segmentation_masks(blend):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (2, 5, 6, 3)).astype("float32")
    masks = rng.integers(-1, 3, (2, 5, 6, 1)).astype("int32")
    colors = {0: (255, 0, 0), 1: (0, 255, 0), 2: (0, 0, 255)}
    out = visualization.draw_segmentation_masks(
        images,
        masks,
        num_classes=3,
        color_mapping=colors,
        alpha=0.25,
        blend=blend,
        data_format="channels_last",
    )
    out = np.asarray(keras.ops.convert_to_numpy(out))
    painted = images.copy()
    for c, colour in colors.items():
        painted[masks[..., 0] == c] = colour
    if blend:
        want = np.where(masks != -1, images * 0.75 + painted * 0.25, images).astype("uint8")
        assert out.dtype == np.uint8
    else:
        want = painted
    np.testing.assert_allclose(out, want)
    with pytest.raises(TypeError, match="integer"):
        visualization.draw_segmentation_masks(images, masks.astype("float32"))


def test_draw_segmentation_masks_default_palette_and_num_classes():
    images = np.zeros((1, 2, 2, 3), dtype="float32")
    masks = np.array([[[[0], [1]], [[2], [2]]]], dtype="int32")
    out = visualization.draw_segmentation_masks(
        images, masks, blend=False, data_format="channels_last"
    )
    # num_classes defaults to the largest class id (Keras): class 2 is left unpainted.
    base = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    np.testing.assert_array_equal(out[0, 0, 0], (0 * base) % 255)
    np.testing.assert_array_equal(out[0, 0, 1], (1 * base) % 255)
    np.testing.assert_array_equal(out[0, 1], 0)


def test_plot_functions_need_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    images = np.zeros((1, 4, 4, 3))
    with pytest.raises(ImportError, match="pip install matplotlib"):
        visualization.plot_image_gallery(images)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        visualization.plot_bounding_box_gallery(images, "xyxy")
    with pytest.raises(ImportError, match="pip install matplotlib"):
        visualization.plot_segmentation_mask_gallery(images, num_classes=2)


def test_plot_galleries_write_files(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from PIL import Image

    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (4, 16, 16, 3)).astype("float32")
    visualization.plot_image_gallery(
        images,
        y_true=np.array([0, 1, 0, 1]),
        label_map={0: "a", 1: "b"},
        path=str(tmp_path / "g.png"),
        data_format="channels_last",
    )
    assert Image.open(tmp_path / "g.png").size[0] > 0
    boxes = _boxes([[[1, 1, 8, 8]]] * 4, [[0]] * 4)
    visualization.plot_bounding_box_gallery(
        images,
        "xyxy",
        y_true=boxes,
        y_pred=boxes,
        class_mapping={0: "x"},
        legend=True,
        path=str(tmp_path / "b.png"),
        data_format="channels_last",
    )
    assert (tmp_path / "b.png").stat().st_size > 0
    masks = rng.integers(0, 2, (4, 16, 16, 1)).astype("int32")
    visualization.plot_segmentation_mask_gallery(
        images,
        num_classes=2,
        y_true=masks,
        y_pred=masks,
        path=str(tmp_path / "s.png"),
        data_format="channels_last",
    )
    assert (tmp_path / "s.png").stat().st_size > 0
    with pytest.raises(ValueError, match="label_map"):
        visualization.plot_image_gallery(images, y_true=[0, 1, 0, 1], path="x.png")
    with pytest.raises(ValueError, match="either `path`"):
        visualization.plot_image_gallery(images, path="x.png", show=True)
