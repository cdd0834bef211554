"""`keras.utils.image_dataset_from_directory`."""

import numpy as np

from unikeras.utils import dataset_utils
from unikeras.utils.image_utils import _read_as_numpy_image
from unikeras.backend.config import image_data_format

ALLOWED_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    format="tf",
    verbose=True,
):
    """Generates a dataset of images from the image files in a directory.

    With `labels="inferred"`, `directory` holds one subfolder per class:

    ```
    main_directory/
    ...class_a/
    ......a_image_1.jpg
    ...class_b/
    ......b_image_1.jpg
    ```

    Supported formats: `.jpeg`, `.jpg`, `.png`, `.bmp`, `.gif` (first frame). Images are
    decoded with Pillow and resized to `image_size`; batches are float32
    `(batch_size, height, width, channels)` (channels first with `data_format`).

    Args:
        directory: Folder of the images.
        labels: `"inferred"` (from the subfolder names), `None` (no labels) or a list/tuple
            of integer labels, one per file in the alphanumeric order of the paths.
        label_mode: `"int"` (int32), `"categorical"` (one-hot float32), `"binary"`
            (float32 0/1 of shape `(batch, 1)`, two classes) or `None`.
        class_names: With `labels="inferred"`, the subfolders to use, in label order.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"` (1, 3 or 4 channels).
        batch_size: Batch size (`None`: unbatched images).
        image_size: `(height, width)` the images are resized to.
        shuffle: Whether to shuffle the files (and the elements at each epoch).
        seed: Seed of the shuffling and of the validation split.
        validation_split: Fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns a list of two datasets).
        interpolation: Resize interpolation (`"bilinear"`, `"nearest"`, `"bicubic"`,
            `"area"`, `"lanczos3"`, `"lanczos5"`).
        follow_links: Whether to follow symlinks to subfolders.
        crop_to_aspect_ratio: Center-crop the image to the target aspect ratio first.
        pad_to_aspect_ratio: Pad the image to the target aspect ratio first.
        data_format: `"channels_last"` or `"channels_first"` (default: the global format).
        format: `"tf"`: a `tf.data.Dataset` when TensorFlow is installed, else a
            backend-neutral `NumpyDataset`; `"grain"`: a Grain dataset.
        verbose: Whether to print the number of files and classes found.

    Returns:
        A `tf.data.Dataset` when TensorFlow is installed, else a backend-neutral
        `NumpyDataset`; both yield `(images, labels)` (or `images` with no labels) and have
        `class_names` and `file_paths` attributes.
    """
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    if format == "grain":
        raise ImportError(
            "image_dataset_from_directory(format='grain') needs Grain: "
            "`pip install grain` (or use the default format='tf')."
        )
    num_channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
    if num_channels is None:
        raise ValueError(
            '`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
            f"Received: color_mode={color_mode}"
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(
            "Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be set to `True`."
        )
    if len(tuple(image_size)) != 2:
        raise ValueError(
            f"`image_size` must be a tuple of 2 integers (height, width). "
            f"Received: image_size={image_size}"
        )
    data_format = image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "`data_format` must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format}"
        )
    height, width = (int(v) for v in image_size)
    shape = (
        (num_channels, height, width)
        if data_format == "channels_first"
        else (height, width, num_channels)
    )

    def read(path):
        return _read_as_numpy_image(
            path,
            num_channels,
            (height, width),
            interpolation,
            crop_to_aspect_ratio,
            pad_to_aspect_ratio,
            data_format,
        )

    def make(paths, part_labels, label_mode, class_names):
        num_classes = len(class_names) if class_names else 0
        if dataset_utils.tf_available():
            return dataset_utils.tf_directory_dataset(
                paths,
                part_labels,
                label_mode,
                num_classes,
                dataset_utils.numpy_reader_for_tf(read, "float32", shape),
                batch_size,
                shuffle,
                seed,
                class_names,
            )
        return dataset_utils.directory_dataset(
            paths,
            part_labels,
            label_mode,
            num_classes,
            read,
            batch_size,
            shuffle,
            seed,
            class_names,
            stack=lambda xs: np.stack(xs).astype("float32"),
        )

    return dataset_utils.build_directory_datasets(
        directory,
        labels,
        label_mode,
        class_names,
        ALLOWED_FORMATS,
        batch_size,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
        make,
        "images",
    )
