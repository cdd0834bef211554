"""`keras.visualization.plot_image_gallery` (matplotlib)."""

import math

import numpy as np

from unikeras import ops
from unikeras.backend.config import image_data_format


def _pyplot(caller):
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"The `{caller}` function requires the `matplotlib` package. Please "
            "install it with `pip install matplotlib`."
        ) from error
    return plt


def plot_image_gallery(
    images,
    y_true=None,
    y_pred=None,
    label_map=None,
    rows=None,
    cols=None,
    value_range=(0, 255),
    scale=2,
    path=None,
    show=None,
    transparent=True,
    dpi=60,
    legend_handles=None,
    data_format=None,
):
    """Shows (or saves) a grid of images, optionally titled with true / predicted labels.

    Args:
        images: Batch of images `(batch, height, width, channels)` (or channels first).
        y_true: Optional true labels (one per image), named through `label_map`.
        y_pred: Optional predicted labels, named through `label_map`.
        label_map: Dict label -> name (required with `y_true`/`y_pred`).
        rows: Rows of the grid (default: `ceil(sqrt(batch))`).
        cols: Columns of the grid (default: `batch // rows`).
        value_range: Range of the image values, mapped to `[0, 255]`.
        scale: Size of each image in inches.
        path: File to save the figure to (then nothing is shown).
        show: Whether to show the figure (default: when `path` is None).
        transparent: Whether the saved figure has a transparent background.
        dpi: Resolution of the saved figure.
        legend_handles: Matplotlib legend handles to add.
        data_format: `"channels_last"` or `"channels_first"` (default: the global format).
    """
    plt = _pyplot("plot_image_gallery")
    if path is not None and show:
        raise ValueError("plot_gallery() expects either `path` to be set, or `show` to be true.")
    if (y_true is not None or y_pred is not None) and label_map is None:
        raise ValueError(
            "If `y_true` or `y_pred` are provided, a `label_map` must also be provided."
        )
    show = show if show is not None else path is None
    data_format = data_format or image_data_format()
    shape = ops.shape(images)
    if len(shape) != 4:
        raise ValueError(
            "`plot_images_gallery()` requires you to batch your `np.array` samples "
            f"together. Received: images.shape={shape}"
        )
    batch_size = shape[0]
    rows = rows or int(math.ceil(math.sqrt(batch_size)))
    cols = cols or max(int(math.ceil(batch_size // rows)), 1)
    images = np.asarray(ops.convert_to_numpy(images), dtype="float32")[: rows * cols]
    if data_format == "channels_first":
        images = images.transpose(0, 2, 3, 1)
    low, high = value_range
    images = np.clip((images - low) / (high - low) * 255.0, 0, 255)
    y_true = None if y_true is None else np.asarray(ops.convert_to_numpy(y_true))
    y_pred = None if y_pred is None else np.asarray(ops.convert_to_numpy(y_pred))

    fig, axes = plt.subplots(
        nrows=rows,
        ncols=cols,
        figsize=(cols * scale, rows * scale),
        frameon=False,
        layout="tight",
        squeeze=False,
        sharex="row",
        sharey="col",
    )
    fig.subplots_adjust(wspace=0, hspace=0)
    if legend_handles is not None:
        fig.legend(handles=legend_handles, loc="lower center")
    for row in range(rows):
        for col in range(cols):
            index = row * cols + col
            axis = axes[row, col]
            axis.axis("off")
            if index >= len(images):
                continue
            image = images[index].astype("uint8")
            axis.imshow(
                image[..., 0] if image.shape[-1] == 1 else image,
                cmap="gray" if image.shape[-1] == 1 else None,
            )
            axis.margins(x=0, y=0)
            title = []
            if y_true is not None and index < len(y_true):
                title.append(f"Label: {label_map.get(_key(y_true[index]), 'Unknown')}")
            if y_pred is not None and index < len(y_pred):
                title.append(f"Pred: {label_map.get(_key(y_pred[index]), 'Unknown')}")
            if title:
                axis.set_title("  ".join(title), fontsize=8)
    if path is not None:
        plt.savefig(fname=path, pad_inches=0, bbox_inches="tight", transparent=transparent, dpi=dpi)
        plt.close()
    elif show:
        plt.show()
        plt.close()


def _key(value):
    value = np.asarray(value)
    return value.item() if value.size == 1 else value
