"""`keras.visualization.plot_segmentation_mask_gallery`."""

import numpy as np

from unikeras.visualization.draw_segmentation_masks import draw_segmentation_masks
from unikeras.visualization.plot_image_gallery import _pyplot, plot_image_gallery
from unikeras import ops
from unikeras.backend.config import image_data_format


def plot_segmentation_mask_gallery(
    images,
    num_classes,
    value_range=(0, 255),
    y_true=None,
    y_pred=None,
    color_mapping=None,
    blend=True,
    alpha=0.8,
    ignore_index=-1,
    data_format=None,
    **kwargs,
):
    """Plots each image next to its true and/or predicted segmentation masks (one row each).

    Args:
        images: Batch of images.
        num_classes: Number of classes.
        value_range: Range of the image values.
        y_true: True masks (integers), drawn in the second column.
        y_pred: Predicted masks, drawn in the next column.
        color_mapping: Dict class id -> RGB colour.
        blend: Whether to blend the masks with the images.
        alpha: Opacity of the masks when blending.
        ignore_index: Mask value left unpainted.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: Passed to `plot_image_gallery` (`path`, `show`, `scale`, `dpi`, ...).
    """
    _pyplot("plot_segmentation_mask_gallery")
    data_format = data_format or image_data_format()
    shape = ops.shape(images)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    images = np.asarray(ops.convert_to_numpy(images))
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    cols = 1 + (y_true is not None) + (y_pred is not None)

    def draw(masks):
        masks = np.asarray(ops.convert_to_numpy(masks))
        if data_format == "channels_first":
            masks = masks.transpose(0, 2, 3, 1)
        return draw_segmentation_masks(
            images,
            masks.astype("int32"),
            num_classes=num_classes,
            color_mapping=color_mapping,
            alpha=alpha,
            blend=blend,
            ignore_index=ignore_index,
            data_format="channels_last",
        )

    drawn = [draw(m) for m in (y_true, y_pred) if m is not None]
    gallery = []
    for i in range(images.shape[0]):
        gallery.append(images[i].astype("float32"))
        gallery.extend(d[i].astype("float32") for d in drawn)
    plot_image_gallery(
        np.stack(gallery),
        value_range=value_range,
        rows=images.shape[0],
        cols=cols,
        data_format="channels_last",
        **kwargs,
    )
