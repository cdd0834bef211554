"""`keras.visualization.draw_bounding_boxes` (NumPy + Pillow)."""

import numpy as np

from unikeras import ops
from unikeras.backend.config import image_data_format
from unikeras.utils.bounding_boxes import convert_format


def _to_uint8_channels_last(images, data_format):
    images = np.array(ops.convert_to_numpy(images))
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    if images.dtype.kind == "f" and images.size > 0:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    return images.astype("uint8")


def _text_location(x, y, font_scale, thickness):
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8 - font_height
    return x + 3, y + thickness + 3


def draw_bounding_boxes(
    images,
    bounding_boxes,
    bounding_box_format,
    class_mapping=None,
    color=(128, 128, 128),
    line_thickness=2,
    text_thickness=1,
    font_scale=1.0,
    data_format=None,
):
    """Draws bounding boxes (and their class names) on a batch of images.

    Each box is drawn as a rectangle outline `line_thickness` pixels wide, inside the box
    corners `(x1, y1)`-`(x2, y2)`; boxes with label `-1` are skipped. When `class_mapping`
    names a box's class the name (and `| confidence` when `bounding_boxes` has
    `"confidences"`) is written next to it.

    Args:
        images: Batch of images `(batch, height, width, channels)` (or channels first).
            Float images in `[0, 1]` are scaled to `[0, 255]`.
        bounding_boxes: Dict with `"boxes"` `(batch, num_boxes, 4)` and `"labels"`
            `(batch, num_boxes)` (and optionally `"confidences"`).
        bounding_box_format: Format of the boxes (`"xyxy"`, `"yxyx"`, `"xywh"`,
            `"center_xywh"`, `"center_yxhw"`, `"rel_xyxy"`, ...).
        class_mapping: Dict class id -> name.
        color: RGB colour of the boxes and text.
        line_thickness: Width of the box outlines in pixels.
        text_thickness: Stroke width of the text.
        font_scale: Size of the text (1.0: about 12 pixels high).
        data_format: `"channels_last"` or `"channels_first"` (default: the global format).

    Returns:
        A uint8 NumPy array `(batch, height, width, channels)` of the images with the boxes.
    """
    from PIL import Image, ImageDraw, ImageFont

    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    data_format = data_format or image_data_format()
    shape = ops.shape(images)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    if not isinstance(bounding_boxes, dict):
        raise TypeError(
            f"`bounding_boxes` should be a dict. Received: bounding_boxes="
            f"{bounding_boxes} of type {type(bounding_boxes)}"
        )
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError(
            "`bounding_boxes` should be a dict containing 'boxes' and 'labels' "
            f"keys. Received: bounding_boxes={bounding_boxes}"
        )
    height, width = (shape[1], shape[2]) if data_format == "channels_last" else (shape[2], shape[3])
    boxes = convert_format(bounding_boxes["boxes"], bounding_box_format, "xyxy", height, width)
    boxes = np.asarray(ops.convert_to_numpy(boxes))
    labels = np.asarray(ops.convert_to_numpy(bounding_boxes["labels"]))
    confidences = bounding_boxes.get("confidences")
    if confidences is not None:
        confidences = np.asarray(ops.convert_to_numpy(confidences))
    images = _to_uint8_channels_last(images, data_format)
    colour = tuple(int(c) for c in color)
    try:
        font = ImageFont.load_default(size=max(int(12 * font_scale), 1))
    except TypeError:
        font = ImageFont.load_default()
    result = []
    for i in range(images.shape[0]):
        channels = images.shape[-1]
        pil = Image.fromarray(images[i][..., 0] if channels == 1 else images[i])
        draw = ImageDraw.Draw(pil)
        fill = colour[0] if channels == 1 else colour[:channels] + (255,) * (channels - 3)
        for j in range(boxes.shape[1]):
            label = int(labels[i][j])
            if label == -1:
                continue
            x1, y1, x2, y2 = (int(v) for v in boxes[i][j].astype("int32"))
            draw.rectangle([x1, y1, x2, y2], outline=fill, width=int(line_thickness))
            if label in class_mapping:
                text = str(class_mapping[label])
                if confidences is not None:
                    text = f"{text} | {float(confidences[i][j]):.2f}"
                draw.text(
                    _text_location(x1, y1, font_scale, text_thickness),
                    text,
                    fill=fill,
                    font=font,
                    stroke_width=max(int(text_thickness) - 1, 0),
                    stroke_fill=fill,
                )
        out = np.asarray(pil)
        result.append(out[..., None] if out.ndim == 2 else out)
    return np.stack(result, axis=0)
