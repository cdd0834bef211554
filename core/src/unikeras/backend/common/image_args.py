"""Arguments of the image ops: choices, rank checks and the box arithmetic of resizing,
padding and cropping, all on static sizes."""

INTERPOLATION_ORDERS = {"nearest": 0, "bilinear": 1}  # spline order of each interpolation
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


def check_choice(op, name, value, choices):
    """Checks that argument `name` of `op` is one of `choices`."""
    if value not in choices:
        raise ValueError(f"{op}: `{name}` must be one of {list(choices)}. Received: {value!r}")


def check_image_rank(op, shape, ranks):
    """Checks that images of `shape` have one of `ranks`."""
    if len(shape) not in ranks:
        raise ValueError(
            f"{op}: expected images of rank {' or '.join(map(str, ranks))}. "
            f"Received: images.shape={tuple(shape)}"
        )


def check_float_images(op, is_float, dtype_name):
    """Checks that images are floating point; `dtype_name` is their dtype as shown."""
    if not is_float:
        raise ValueError(
            f"{op}: expected floating point images. Received: images.dtype={dtype_name}"
        )


def resize_target(size):
    """The target `(height, width)` of `resize` as ints (its arguments are checked by the op,
    `unikeras.ops.image`)."""
    return int(size[0]), int(size[1])


def aspect_box(height, width, target_h, target_w, shrink):
    """Size and offset `(box_h, box_w, top, left)` of the centred box with the target aspect
    ratio: inside the image when `shrink` (crop), around it otherwise (pad)."""
    box_h = int(width * target_h / target_w)
    box_w = int(height * target_w / target_h)
    if shrink:
        box_h, box_w = max(min(height, box_h), 1), max(min(width, box_w), 1)
    else:
        box_h, box_w = max(height, box_h), max(width, box_w)
    return box_h, box_w, int(abs(height - box_h) / 2), int(abs(width - box_w) / 2)


def aspect_pads(height, width, target_h, target_w):
    """`((top, bottom), (left, right))` padding of `pad_to_aspect_ratio`: Keras 3 pads only
    one axis, the height when it grows, else the width."""
    _, _, top, left = aspect_box(height, width, target_h, target_w, False)
    return ((top, top), (0, 0)) if top > 0 else ((0, 0), (left, left))


def resized_axes(shape, target_h, target_w):
    """The NHWC axes `resize` changes, the output shape and each changed axis' scale."""
    dims = [axis for axis, out in ((1, target_h), (2, target_w)) if shape[axis] != out]
    out_shape = (shape[0], target_h, target_w, shape[3])
    scales = [out_shape[d] / shape[d] if shape[d] else 1.0 for d in dims]
    return dims, out_shape, scales


def _sides(op, names, values):
    """Checks that exactly two of (before, after, target) are given."""
    if list(values).count(None) != 1:
        raise ValueError(
            f"{op}: exactly two of {', '.join(names)} must be given. Received: "
            + ", ".join(f"{n}={v}" for n, v in zip(names, values))
        )
    return values


def _image_axes(kind, height, width, top, bottom, left, right, target_height, target_width):
    return (
        (("top_" + kind, "bottom_" + kind, "target_height"), (top, bottom, target_height), height),
        (("left_" + kind, "right_" + kind, "target_width"), (left, right, target_width), width),
    )


def pad_amounts(
    height,
    width,
    top_padding,
    left_padding,
    bottom_padding,
    right_padding,
    target_height,
    target_width,
):
    """`[(top, bottom), (left, right)]` padding of `pad_images` for an image of
    `height x width`, from exactly two of (before, after, target) per axis."""
    pads = []
    for names, values, size in _image_axes(
        "padding",
        height,
        width,
        top_padding,
        bottom_padding,
        left_padding,
        right_padding,
        target_height,
        target_width,
    ):
        before, after, target = _sides("pad_images", names, values)
        before = target - after - size if before is None else before
        after = target - before - size if after is None else after
        if before < 0 or after < 0:
            raise ValueError(
                f"pad_images: {names[0]} and {names[1]} must be >= 0 (the image is {size} "
                f"pixels). Received: {names[0]}={before}, {names[1]}={after}"
            )
        pads.append((int(before), int(after)))
    return pads


def crop_windows(
    height,
    width,
    top_cropping,
    left_cropping,
    bottom_cropping,
    right_cropping,
    target_height,
    target_width,
):
    """`[rows, cols]` slices `crop_images` keeps of an image of `height x width`, from
    exactly two of (before, after, target) per axis."""
    windows = []
    for names, values, size in _image_axes(
        "cropping",
        height,
        width,
        top_cropping,
        bottom_cropping,
        left_cropping,
        right_cropping,
        target_height,
        target_width,
    ):
        before, after, target = _sides("crop_images", names, values)
        before = size - target - after if before is None else before
        target = size - before - after if target is None else target
        if before < 0 or target < 0 or before + target > size:
            raise ValueError(
                f"crop_images: the crop {names[0]}={before}, {names[2]}={target} does not fit "
                f"in {size} pixels."
            )
        windows.append(slice(int(before), int(before) + int(target)))
    return windows
