"""`keras.utils.bounding_boxes`: bounding box format conversion, clipping, geometric
transforms, box/anchor delta encoding and IoU, on any backend through `unikeras.ops`.

Formats (case-insensitive), one box per last axis of size 4:
`"xyxy"` `[left, top, right, bottom]`, `"yxyx"` `[top, left, bottom, right]`,
`"xywh"` `[left, top, width, height]`, `"center_xywh"` `[center_x, center_y, width, height]`,
`"center_yxhw"` `[center_y, center_x, height, width]`, and the relative `"rel_xyxy"`,
`"rel_yxyx"`, `"rel_xywh"`, `"rel_center_xywh"` (coordinates as fractions of the image
width and height).
"""

import math

from unikeras import ops
from unikeras.backend.config import epsilon

SUPPORTED_FORMATS = (
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
)


def _columns(boxes):
    """The 4 coordinates of `boxes` as `(..., 1)` tensors."""
    return ops.split(boxes, 4, axis=-1)


def _join(*columns):
    return ops.concatenate(list(columns), axis=-1)


def _from_corners(x1, y1, x2, y2, layout):
    """Boxes of the absolute `layout` (a format without `rel_`) from corner columns."""
    if layout == "xyxy":
        return _join(x1, y1, x2, y2)
    if layout == "yxyx":
        return _join(y1, x1, y2, x2)
    w, h = ops.subtract(x2, x1), ops.subtract(y2, y1)
    if layout == "xywh":
        return _join(x1, y1, w, h)
    cx, cy = ops.add(x1, ops.divide(w, 2.0)), ops.add(y1, ops.divide(h, 2.0))
    if layout == "center_xywh":
        return _join(cx, cy, w, h)
    return _join(cy, cx, h, w)  # center_yxhw


def _to_corners(boxes, layout):
    """Corner columns `(x1, y1, x2, y2)` of boxes of the absolute `layout`."""
    a, b, c, d = _columns(boxes)
    if layout == "xyxy":
        return a, b, c, d
    if layout == "yxyx":
        return b, a, d, c
    if layout == "xywh":
        return a, b, ops.add(a, c), ops.add(b, d)
    if layout == "center_yxhw":
        a, b, c, d = b, a, d, c
    half_w, half_h = ops.divide(c, 2.0), ops.divide(d, 2.0)
    return (
        ops.subtract(a, half_w),
        ops.subtract(b, half_h),
        ops.add(a, half_w),
        ops.add(b, half_h),
    )


def _check_format(fn, name, value):
    if not isinstance(value, str) or value.lower() not in SUPPORTED_FORMATS:
        raise ValueError(
            f"{fn}: `{name}` must be one of {list(SUPPORTED_FORMATS)}. Received: {name}={value!r}"
        )
    return value.lower()


def _with_boxes(bounding_boxes, boxes, labels=None):
    """A copy of the `bounding_boxes` dict with new `boxes` (and `labels`)."""
    result = dict(bounding_boxes)
    result["boxes"] = boxes
    if labels is not None:
        result["labels"] = labels
    return result


def convert_format(boxes, source, target, height=None, width=None, dtype="float32"):
    """Converts bounding boxes between formats.

    Args:
        boxes: Boxes of shape `(..., 4)`, or a dict whose `"boxes"` entry holds them (a
            copy of the dict with converted boxes is returned).
        source: Format of `boxes` (see the module docstring).
        target: Format to convert to.
        height: Image height; required when either format is relative.
        width: Image width; required when either format is relative.
        dtype: Dtype of the result.

    Returns:
        The converted boxes (or dict), of dtype `dtype`.
    """
    if isinstance(boxes, dict):
        return _with_boxes(
            boxes, convert_format(boxes["boxes"], source, target, height, width, dtype)
        )
    source = _check_format("convert_format", "source", source)
    target = _check_format("convert_format", "target", target)
    boxes = ops.cast(ops.convert_to_tensor(boxes), dtype)
    if boxes.shape[-1] != 4:
        raise ValueError(
            "convert_format: `boxes` must have a last axis of size 4. "
            f"Received: boxes.shape={tuple(boxes.shape)}"
        )
    if source == target:
        return boxes
    source_rel, target_rel = source.startswith("rel_"), target.startswith("rel_")
    if source_rel != target_rel and (height is None or width is None):
        raise ValueError(
            "convert_format: `height` and `width` are required to convert between relative "
            f"and absolute formats. Received: source={source!r}, target={target!r}, "
            f"height={height}, width={width}"
        )
    x1, y1, x2, y2 = _to_corners(boxes, source[4:] if source_rel else source)
    if source_rel != target_rel:
        # Relative -> absolute multiplies by the image size, absolute -> relative divides.
        scale = ops.multiply if source_rel else ops.divide
        width, height = ops.cast(width, dtype), ops.cast(height, dtype)
        x1, x2 = scale(x1, width), scale(x2, width)
        y1, y2 = scale(y1, height), scale(y2, height)
    return _from_corners(x1, y1, x2, y2, target[4:] if target_rel else target)


def _area(x1, y1, x2, y2):
    return ops.squeeze(ops.multiply(ops.subtract(x2, x1), ops.subtract(y2, y1)), -1)


def clip_to_image_size(bounding_boxes, height=None, width=None, bounding_box_format="xyxy"):
    """Clips boxes to the image; boxes left with no area get label `-1`.

    Args:
        bounding_boxes: A dict with `"boxes"` (`(N, 4)` or `(batch, N, 4)`) and optionally
            `"labels"` (`(N,)` or `(batch, N)`).
        height: Image height (a number or a tensor broadcastable against the box columns);
            required for absolute formats.
        width: Image width, as `height`.
        bounding_box_format: Format of the boxes; relative formats clip to `[0, 1]`.

    Returns:
        A copy of `bounding_boxes` with clipped boxes (and updated labels).
    """
    fmt = _check_format("clip_to_image_size", "bounding_box_format", bounding_box_format)
    relative = fmt.startswith("rel_")
    if not relative and (height is None or width is None):
        raise ValueError(
            "clip_to_image_size: `height` and `width` are required for the "
            f"absolute format {fmt!r}. Received: height={height}, width={width}"
        )
    boxes = ops.convert_to_tensor(bounding_boxes["boxes"])
    corners = _to_corners(boxes, fmt[4:] if relative else fmt)
    high_x, high_y = (1.0, 1.0) if relative else (width, height)
    x1, y1, x2, y2 = (
        ops.minimum(ops.maximum(c, ops.cast(0.0, c.dtype)), ops.cast(high, c.dtype))
        for c, high in zip(corners, (high_x, high_y, high_x, high_y))
    )
    labels = bounding_boxes.get("labels")
    if labels is not None:
        labels = ops.convert_to_tensor(labels)
        labels = ops.where(
            ops.greater(_area(x1, y1, x2, y2), 0.0), labels, ops.cast(-1, labels.dtype)
        )
    return _with_boxes(
        bounding_boxes, _from_corners(x1, y1, x2, y2, fmt[4:] if relative else fmt), labels
    )


def _check_xyxy(fn, bounding_box_format):
    if bounding_box_format != "xyxy":
        raise NotImplementedError(
            f'{fn}: only bounding_box_format="xyxy" is supported. '
            f"Received: bounding_box_format={bounding_box_format!r}"
        )


def transform_corners(boxes, matrix):
    """Maps xyxy boxes through per-sample affine maps and returns the enclosing boxes.

    Args:
        boxes: Boxes in `xyxy` format, shape `(batch, N, 4)`.
        matrix: Affine maps, shape `(batch, 6)`: `x' = m0 x + m1 y + m2`, `y' = m3 x + m4 y + m5`.

    Returns:
        A tensor of shape `(batch, N, 4)`: the xyxy boxes enclosing the 4 mapped corners of each
        box.
    """
    x1, y1, x2, y2 = _columns(boxes)
    xs = ops.concatenate([x1, x2, x2, x1], axis=-1)  # (batch, N, 4) corner coordinates
    ys = ops.concatenate([y1, y1, y2, y2], axis=-1)
    m = [ops.reshape(c, (-1, 1, 1)) for c in ops.split(ops.cast(matrix, boxes.dtype), 6, -1)]
    new_x = ops.add(ops.add(ops.multiply(m[0], xs), ops.multiply(m[1], ys)), m[2])
    new_y = ops.add(ops.add(ops.multiply(m[3], xs), ops.multiply(m[4], ys)), m[5])
    return ops.stack(
        [
            ops.min(new_x, axis=-1),
            ops.min(new_y, axis=-1),
            ops.max(new_x, axis=-1),
            ops.max(new_y, axis=-1),
        ],
        axis=-1,
    )


def affine_transform(
    boxes,
    angle,
    translate_x,
    translate_y,
    scale,
    shear_x,
    shear_y,
    height,
    width,
    center_x=None,
    center_y=None,
    bounding_box_format="xyxy",
):
    """Moves boxes by an affine transform and returns the boxes enclosing the moved corners.

    A point `p` goes to `c + M (p - c + t)`, with `c = (center_x * (width - 1),
    center_y * (height - 1))`, `t = (translate_x * (width - 1), translate_y * (height - 1))`
    and `M` `scale` times the inverse of the rotation-shear matrix (as in Keras: the
    inverse of the image warp of `angle` alone).

    Args:
        boxes: xyxy boxes of shape `(N, 4)` or `(batch, N, 4)`.
        angle: Rotation angle in degrees, a number or one per batch item.
        translate_x: Horizontal translation, a fraction of `width - 1`.
        translate_y: Vertical translation, a fraction of `height - 1`.
        scale: Scaling factor.
        shear_x: Shear angle along x, in degrees.
        shear_y: Shear angle along y, in degrees.
        height: Image height.
        width: Image width.
        center_x: Centre of the transform as a fraction of `width - 1` (default 0.5).
        center_y: Centre as a fraction of `height - 1` (default 0.5).
        bounding_box_format: Only `"xyxy"`.

    Returns:
        The transformed boxes, shaped like `boxes`.
    """
    _check_xyxy("affine_transform", bounding_box_format)
    boxes = ops.cast(ops.convert_to_tensor(boxes), "float32")
    unbatched = len(boxes.shape) == 2
    if unbatched:
        boxes = ops.expand_dims(boxes, 0)
    batch = boxes.shape[0]

    def param(value):
        return ops.broadcast_to(ops.reshape(ops.cast(value, "float32"), (-1,)), (batch,))

    to_rad = math.pi / 180.0
    rot = ops.multiply(param(angle), -to_rad)
    shx, shy = ops.multiply(param(shear_x), -to_rad), ops.multiply(param(shear_y), -to_rad)
    scale = param(scale)
    cx = (0.5 if center_x is None else center_x) * (width - 1)
    cy = (0.5 if center_y is None else center_y) * (height - 1)
    # Rotation-shear matrix [[a, b], [c, d]] (determinant 1); its inverse times `scale`.
    cos_shy, tan_shx = ops.cos(shy), ops.tan(shx)
    a = ops.divide(ops.cos(ops.subtract(rot, shy)), cos_shy)
    b = ops.add(ops.multiply(a, tan_shx), ops.sin(rot))
    c = ops.negative(ops.divide(ops.sin(ops.subtract(rot, shy)), cos_shy))
    d = ops.subtract(ops.cos(rot), ops.multiply(c, tan_shx))
    m0, m1 = ops.multiply(d, scale), ops.multiply(ops.negative(b), scale)
    m3, m4 = ops.multiply(ops.negative(c), scale), ops.multiply(a, scale)
    # The translated centre `cx - tx, cy - ty` maps back to `cx, cy`.
    px = ops.subtract(cx, ops.multiply(param(translate_x), width - 1))
    py = ops.subtract(cy, ops.multiply(param(translate_y), height - 1))
    m2 = ops.subtract(ops.subtract(cx, ops.multiply(m0, px)), ops.multiply(m1, py))
    m5 = ops.subtract(ops.subtract(cy, ops.multiply(m3, px)), ops.multiply(m4, py))
    out = transform_corners(boxes, ops.stack([m0, m1, m2, m3, m4, m5], axis=-1))
    return ops.squeeze(out, 0) if unbatched else out


def crop(boxes, top, left, height, width, bounding_box_format="xyxy"):
    """Boxes in the frame of the `(height, width)` window at `(top, left)`, clipped to it.

    Args:
        boxes: xyxy boxes of shape `(N, 4)` or `(batch, N, 4)`.
        top: Row offset of the window.
        left: Column offset of the window.
        height: Window height.
        width: Window width.
        bounding_box_format: Only `"xyxy"`.

    Returns:
        The cropped boxes.
    """
    _check_xyxy("crop", bounding_box_format)
    shifted = pad(
        boxes, ops.negative(ops.cast(top, "float32")), ops.negative(ops.cast(left, "float32"))
    )
    return clip_to_image_size({"boxes": shifted}, height, width)["boxes"]


def pad(boxes, top, left, height=None, width=None, bounding_box_format="xyxy"):
    """Boxes of an image padded by `top` rows and `left` columns (shifted by them).

    Args:
        boxes: xyxy boxes of shape `(N, 4)` or `(batch, N, 4)`.
        top: Rows added above the image.
        left: Columns added left of the image.
        height: Unused (Keras signature).
        width: Unused (Keras signature).
        bounding_box_format: Only `"xyxy"`.

    Returns:
        The shifted boxes.
    """
    _check_xyxy("pad", bounding_box_format)
    boxes = ops.cast(ops.convert_to_tensor(boxes), "float32")
    x1, y1, x2, y2 = _columns(boxes)
    top, left = ops.cast(top, boxes.dtype), ops.cast(left, boxes.dtype)
    return _join(ops.add(x1, left), ops.add(y1, top), ops.add(x2, left), ops.add(y2, top))


def _delta_args(fn, variance, encoding_format, image_shape):
    if variance is not None:
        variance = ops.cast(ops.convert_to_tensor(variance), "float32")
        if tuple(variance.shape) != (4,):
            raise ValueError(
                f"{fn}: `variance` must have 4 values. Received: "
                f"variance.shape={tuple(variance.shape)}"
            )
    if encoding_format not in ("center_xywh", "center_yxhw"):
        raise ValueError(
            f"{fn}: the encoding format must be 'center_xywh' or 'center_yxhw'. "
            f"Received: {encoding_format!r}"
        )
    height, width = (None, None) if image_shape is None else tuple(image_shape)[:2]
    return variance, height, width


def encode_box_to_deltas(
    anchors,
    boxes,
    anchor_format,
    box_format,
    encoding_format="center_yxhw",
    variance=None,
    image_shape=None,
):
    """Encodes boxes as deltas from anchors: centre offsets in anchor sizes, log size ratios.

    Args:
        anchors: Anchor boxes `(N, 4)` in `anchor_format`.
        boxes: Boxes `(N, 4)` or `(batch, N, 4)` in `box_format`.
        anchor_format: Format of `anchors`.
        box_format: Format of `boxes`.
        encoding_format: `"center_yxhw"` or `"center_xywh"`: the layout of the deltas.
        variance: Optional 4 values the deltas are divided by.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        The deltas, shaped like `boxes`.
    """
    variance, height, width = _delta_args(
        "encode_box_to_deltas", variance, encoding_format, image_shape
    )
    anchors = convert_format(anchors, anchor_format, encoding_format, height, width)
    boxes = convert_format(boxes, box_format, encoding_format, height, width)
    anchor_size = ops.maximum(anchors[..., 2:], epsilon())
    box_size = ops.maximum(boxes[..., 2:], epsilon())
    deltas = ops.concatenate(
        [
            ops.divide(ops.subtract(boxes[..., :2], anchors[..., :2]), anchor_size),
            ops.log(ops.divide(box_size, anchor_size)),
        ],
        axis=-1,
    )
    return deltas if variance is None else ops.divide(deltas, variance)


def decode_deltas_to_boxes(
    anchors,
    boxes_delta,
    anchor_format,
    box_format,
    encoded_format="center_yxhw",
    variance=None,
    image_shape=None,
):
    """Inverse of `encode_box_to_deltas`: boxes from anchors and deltas.

    Args:
        anchors: Anchor boxes `(N, 4)`, or a dict of them per level.
        boxes_delta: Deltas `(N, 4)` or `(batch, N, 4)`, or a dict with the keys of
            `anchors`.
        anchor_format: Format of the anchors.
        box_format: Format of the returned boxes.
        encoded_format: Layout of the deltas, `"center_yxhw"` or `"center_xywh"`.
        variance: Optional 4 values the deltas are multiplied by first.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        The boxes in `box_format` (a dict per level when `anchors` is a dict).
    """
    variance, height, width = _delta_args(
        "decode_deltas_to_boxes", variance, encoded_format, image_shape
    )

    def decode(anchor, delta):
        anchor = convert_format(anchor, anchor_format, encoded_format, height, width)
        delta = ops.cast(ops.convert_to_tensor(delta), "float32")
        if variance is not None:
            delta = ops.multiply(delta, variance)
        box = ops.concatenate(
            [
                ops.add(ops.multiply(delta[..., :2], anchor[..., 2:]), anchor[..., :2]),
                ops.multiply(ops.exp(delta[..., 2:]), anchor[..., 2:]),
            ],
            axis=-1,
        )
        return convert_format(box, encoded_format, box_format, height, width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)


def _check_iou_rank(boxes, name):
    if len(boxes.shape) not in (2, 3):
        raise ValueError(
            f"compute_iou: `{name}` must have shape (N, 4) or (batch, N, 4). "
            f"Received: {name}.shape={tuple(boxes.shape)}"
        )


def _image_hw(fn, bounding_box_format, image_shape):
    if "rel" in bounding_box_format.lower() and image_shape is None:
        raise ValueError(
            f"{fn}: relative formats need `image_shape`. "
            f"Received: bounding_box_format={bounding_box_format!r}"
        )
    return (None, None) if image_shape is None else tuple(image_shape)[:2]


def compute_iou(
    boxes1, boxes2, bounding_box_format, use_masking=False, mask_val=-1, image_shape=None
):
    """Pairwise intersection over union of two sets of boxes.

    Args:
        boxes1: `(M, 4)` or `(batch, M, 4)` boxes.
        boxes2: `(N, 4)` or `(batch, N, 4)` boxes.
        bounding_box_format: Format of both sets.
        use_masking: Set the IoU of pairs where either box has all coordinates negative
            (padding) to `mask_val`.
        mask_val: The value of masked pairs.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        IoUs of shape `(M, N)`, or `(batch, M, N)` when either input is batched.
    """
    boxes1, boxes2 = ops.convert_to_tensor(boxes1), ops.convert_to_tensor(boxes2)
    _check_iou_rank(boxes1, "boxes1")
    _check_iou_rank(boxes2, "boxes2")
    height, width = _image_hw("compute_iou", bounding_box_format, image_shape)
    boxes1 = convert_format(boxes1, bounding_box_format, "xyxy", height, width)
    boxes2 = convert_format(boxes2, bounding_box_format, "xyxy", height, width)
    a1, a2 = _columns(boxes1), _columns(boxes2)
    # Columns of boxes1 as (..., M, 1), of boxes2 as (..., 1, N).
    b2 = [ops.expand_dims(ops.squeeze(c, -1), -2) for c in a2]
    inter_w = ops.maximum(ops.subtract(ops.minimum(a1[2], b2[2]), ops.maximum(a1[0], b2[0])), 0.0)
    inter_h = ops.maximum(ops.subtract(ops.minimum(a1[3], b2[3]), ops.maximum(a1[1], b2[1])), 0.0)
    inter = ops.multiply(inter_w, inter_h)
    area1 = ops.multiply(ops.subtract(a1[2], a1[0]), ops.subtract(a1[3], a1[1]))
    area2 = ops.multiply(ops.subtract(b2[2], b2[0]), ops.subtract(b2[3], b2[1]))
    union = ops.subtract(ops.add(area1, area2), inter)
    iou = ops.divide(inter, ops.add(union, epsilon()))
    if not use_masking:
        return iou
    pad1 = ops.less(ops.max(boxes1, axis=-1, keepdims=True), 0.0)
    pad2 = ops.expand_dims(ops.less(ops.max(boxes2, axis=-1), 0.0), -2)
    return ops.where(ops.logical_or(pad1, pad2), ops.cast(mask_val, iou.dtype), iou)


def compute_ciou(boxes1, boxes2, bounding_box_format, image_shape=None):
    """Complete IoU of matching boxes: IoU minus the normalised squared centre distance
    and an aspect-ratio consistency term.

    Args:
        boxes1: Boxes of shape `(..., 4)`.
        boxes2: Boxes broadcastable against `boxes1`.
        bounding_box_format: Format of both (absolute formats only, as in Keras).
        image_shape: Unused for absolute formats (Keras signature).

    Returns:
        The CIoU, of shape `boxes1.shape[:-1]`.
    """
    if "rel" in bounding_box_format.lower():
        raise ValueError(
            "compute_ciou: relative formats are not supported. "
            f"Received: bounding_box_format={bounding_box_format!r}"
        )
    eps = epsilon()
    x1a, y1a, x2a, y2a = _to_corners(convert_format(boxes1, bounding_box_format, "xyxy"), "xyxy")
    x1b, y1b, x2b, y2b = _to_corners(convert_format(boxes2, bounding_box_format, "xyxy"), "xyxy")
    wa, ha = ops.subtract(x2a, x1a), ops.add(ops.subtract(y2a, y1a), eps)
    wb, hb = ops.subtract(x2b, x1b), ops.add(ops.subtract(y2b, y1b), eps)
    inter = ops.multiply(
        ops.maximum(ops.subtract(ops.minimum(x2a, x2b), ops.maximum(x1a, x1b)), 0.0),
        ops.maximum(ops.subtract(ops.minimum(y2a, y2b), ops.maximum(y1a, y1b)), 0.0),
    )
    union = ops.add(ops.subtract(ops.add(ops.multiply(wa, ha), ops.multiply(wb, hb)), inter), eps)
    iou = ops.divide(inter, ops.add(union, eps))
    hull_w = ops.subtract(ops.maximum(x2a, x2b), ops.minimum(x1a, x1b))
    hull_h = ops.subtract(ops.maximum(y2a, y2b), ops.minimum(y1a, y1b))
    diagonal = ops.add(ops.add(ops.square(hull_w), ops.square(hull_h)), eps)
    centre_dx = ops.divide(ops.subtract(ops.add(x1a, x2a), ops.add(x1b, x2b)), 2.0)
    centre_dy = ops.divide(ops.subtract(ops.add(y1a, y2a), ops.add(y1b, y2b)), 2.0)
    distance = ops.add(ops.square(centre_dx), ops.square(centre_dy))
    v = ops.multiply(
        4 / math.pi**2,
        ops.square(ops.subtract(ops.arctan(ops.divide(wb, hb)), ops.arctan(ops.divide(wa, ha)))),
    )
    alpha = ops.divide(v, ops.add(ops.subtract(v, iou), 1 + eps))
    ciou = ops.subtract(iou, ops.add(ops.divide(distance, diagonal), ops.multiply(v, alpha)))
    return ops.squeeze(ciou, -1)
