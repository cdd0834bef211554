"""`keras.utils.text_dataset_from_directory`."""

import numpy as np

from unikeras.utils import dataset_utils


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    format="tf",
    verbose=True,
):
    """Generates a dataset of strings from the `.txt` files in a directory.

    With `labels="inferred"`, `directory` holds one subfolder per class of `.txt` files.

    Args:
        directory: Folder of the text files.
        labels: `"inferred"`, `None` or a list/tuple of integer labels (one per file in the
            alphanumeric order of the paths).
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: With `labels="inferred"`, the subfolders to use, in label order.
        batch_size: Batch size (`None`: unbatched strings).
        max_length: Maximum length of a string (longer texts are truncated).
        shuffle: Whether to shuffle the files (and the elements at each epoch).
        seed: Seed of the shuffling and of the validation split.
        validation_split: Fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"`.
        follow_links: Whether to follow symlinks to subfolders.
        format: `"tf"`: a `tf.data.Dataset` of `tf.string` when TensorFlow is installed,
            else a backend-neutral `NumpyDataset` of Python strings; `"grain"`: Grain.
        verbose: Whether to print the number of files and classes found.

    Returns:
        A dataset yielding `(texts, labels)` (or `texts`), with `class_names` and
        `file_paths` attributes.
    """
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')
    if format == "grain":
        raise ImportError(
            "text_dataset_from_directory(format='grain') needs Grain: "
            "`pip install grain` (or use the default format='tf')."
        )
    if max_length is not None and max_length <= 0:
        raise ValueError(f"`max_length` must be a positive int. Received: max_length={max_length}")

    def read(path):
        with open(path, "rb") as handle:
            data = handle.read()
        if max_length is not None:
            data = data[:max_length]
        return data.decode("utf-8", errors="replace")

    def make(paths, part_labels, label_mode, class_names):
        num_classes = len(class_names) if class_names else 0
        if dataset_utils.tf_available():
            tf = dataset_utils.import_tf()

            def read_tf(path):
                text = tf.io.read_file(path)
                if max_length is not None:
                    text = tf.strings.substr(text, 0, max_length)
                return text

            return dataset_utils.tf_directory_dataset(
                paths,
                part_labels,
                label_mode,
                num_classes,
                read_tf,
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
            stack=lambda texts: np.array(texts, dtype=object),
        )

    return dataset_utils.build_directory_datasets(
        directory,
        labels,
        label_mode,
        class_names,
        (".txt",),
        batch_size,
        shuffle,
        seed,
        validation_split,
        subset,
        follow_links,
        verbose,
        make,
        "text files",
    )
