"""`keras.visualization.draw_segmentation_masks`."""

import numpy as np

from unikeras import ops
from unikeras.backend.config import image_data_format


def _palette(num_classes):
    base = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [((i * base) % 255).tolist() for i in range(num_classes)]


def draw_segmentation_masks(
    images,
    segmentation_masks,
    num_classes=None,
    color_mapping=None,
    alpha=0.8,
    blend=True,
    ignore_index=-1,
    data_format=None,
):
    """Paints segmentation masks over a batch of images, one colour per class.

    Pixels of class `c` (for `c < num_classes`) take colour `color_mapping[c]` (by default
    a fixed palette); with `blend=True` the result is
    `images * (1 - alpha) + colours * alpha` except where the mask is `ignore_index`.

    Args:
        images: Batch of images `(batch, height, width, 3)` (or channels first).
        segmentation_masks: Integer masks `(batch, height, width, 1)` (or channels first).
        num_classes: Number of classes (default: the largest class id in the masks).
        color_mapping: Dict class id -> RGB colour.
        alpha: Opacity of the masks when blending.
        blend: Whether to blend the colours with the images.
        ignore_index: Mask value left unpainted.
        data_format: `"channels_last"` or `"channels_first"` (default: the global format).

    Returns:
        The painted images: uint8 NumPy array with `blend=True`, else float32 (channels
        last).
    """
    data_format = data_format or image_data_format()
    shape = ops.shape(images)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    images = np.asarray(ops.convert_to_numpy(images), dtype="float32")
    masks = np.asarray(ops.convert_to_numpy(segmentation_masks))
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
        masks = masks.transpose(0, 2, 3, 1)
    if masks.dtype.kind not in "iu":
        raise TypeError(
            "`segmentation_masks` must be in integer dtype. Received: "
            f"segmentation_masks.dtype={masks.dtype}"
        )
    if num_classes is None:
        num_classes = int(masks.max())
    colors = (
        _palette(num_classes)
        if color_mapping is None
        else [color_mapping[i] for i in range(num_classes)]
    )
    classes = masks[..., 0]
    valid = classes != ignore_index
    painted = images.copy()
    for index, colour in enumerate(colors):
        painted[classes == index] = np.asarray(colour, dtype="float32")[None, :]
    if not blend:
        return painted
    blended = images * (1 - alpha) + painted * alpha
    return np.where(valid[..., None], blended, images).astype("uint8")
