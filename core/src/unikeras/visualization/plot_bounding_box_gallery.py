"""`keras.visualization.plot_bounding_box_gallery`."""

import numpy as np

from unikeras.visualization.draw_bounding_boxes import draw_bounding_boxes
from unikeras.visualization.plot_image_gallery import _pyplot, plot_image_gallery
from unikeras import ops
from unikeras.backend.config import image_data_format


def plot_bounding_box_gallery(
    images,
    bounding_box_format,
    y_true=None,
    y_pred=None,
    value_range=(0, 255),
    true_color=(0, 188, 212),
    pred_color=(255, 235, 59),
    line_thickness=2,
    font_scale=1.0,
    text_thickness=None,
    class_mapping=None,
    ground_truth_mapping=None,
    prediction_mapping=None,
    legend=False,
    legend_handles=None,
    rows=None,
    cols=None,
    data_format=None,
    **kwargs,
):
    """Plots a gallery of images with their true and/or predicted bounding boxes.

    Args:
        images: Batch of images.
        bounding_box_format: Format of the boxes in `y_true` / `y_pred`.
        y_true: Dict of true boxes (`"boxes"`, `"labels"`), drawn in `true_color`.
        y_pred: Dict of predicted boxes, drawn in `pred_color`.
        value_range: Range of the image values.
        true_color: RGB colour of the true boxes.
        pred_color: RGB colour of the predicted boxes.
        line_thickness: Width of the box outlines.
        font_scale: Size of the class names.
        text_thickness: Stroke width of the class names.
        class_mapping: Dict class id -> name for both kinds of boxes.
        ground_truth_mapping: Dict for the true boxes (default: `class_mapping`).
        prediction_mapping: Dict for the predicted boxes (default: `class_mapping`).
        legend: Whether to add a legend "Ground Truth" / "Prediction".
        legend_handles: Matplotlib legend handles (not with `legend=True`).
        rows: Rows of the grid.
        cols: Columns of the grid.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: Passed to `plot_image_gallery` (`path`, `show`, `scale`, `dpi`, ...).
    """
    _pyplot("plot_bounding_box_gallery")
    import matplotlib.patches as patches

    prediction_mapping = prediction_mapping or class_mapping
    ground_truth_mapping = ground_truth_mapping or class_mapping
    data_format = data_format or image_data_format()
    shape = ops.shape(images)
    if len(shape) != 4:
        raise ValueError(f"`images` must be batched 4D tensor. Received: images.shape={shape}")
    plotted = np.asarray(ops.convert_to_numpy(images))
    if data_format == "channels_first":
        plotted = plotted.transpose(0, 2, 3, 1)

    def draw(batch, boxes, colour, mapping):
        return draw_bounding_boxes(
            batch,
            boxes,
            bounding_box_format=bounding_box_format,
            class_mapping=mapping,
            color=colour,
            line_thickness=line_thickness,
            text_thickness=text_thickness,
            font_scale=font_scale,
            data_format="channels_last",
        )

    if y_true is not None:
        plotted = draw(plotted, y_true, true_color, ground_truth_mapping)
    if y_pred is not None:
        plotted = draw(plotted, y_pred, pred_color, prediction_mapping)
    if legend:
        if legend_handles:
            raise ValueError(
                "Only pass `legend` OR `legend_handles` to "
                "`keras.visualization.plot_bounding_box_gallery()`."
            )
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction"),
        ]
    plot_image_gallery(
        plotted,
        value_range=value_range,
        legend_handles=legend_handles,
        rows=rows,
        cols=cols,
        data_format="channels_last",
        **kwargs,
    )
