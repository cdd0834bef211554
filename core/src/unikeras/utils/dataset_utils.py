"""Dataset plumbing shared by the dataset builders: the backend-neutral `NumpyDataset`,
directory indexing, train/validation splits, and `keras.utils.split_dataset`.

The builders return a `tf.data.Dataset` when TensorFlow is installed (as Keras does) and a
`NumpyDataset` otherwise: a `keras.utils.PyDataset` of NumPy batches that `fit`, `evaluate`
and `predict` accept on every backend.
"""

import importlib.util
import math
import os
import random

import numpy as np

from unikeras.utils.py_dataset import PyDataset


def tf_available():
    """Whether TensorFlow is installed (it is imported only by the builders that use it)."""
    return importlib.util.find_spec("tensorflow") is not None


def import_tf():
    import tensorflow as tf

    return tf


class NumpyDataset(PyDataset):
    """A dataset of NumPy batches built from an element loader (backend neutral).

    Iterating gives one epoch of batches; with `shuffle=True` the element order is drawn
    again (from `seed`) at every epoch. `fit`/`evaluate`/`predict` accept it as a
    `PyDataset`.

    Args:
        num_elements: Number of elements.
        load: Callable taking a 1-D array of element indices and returning the batch
            (a NumPy array or a tuple of them with the batch on axis 0).
        batch_size: Batch size, or `None` for a dataset of single elements.
        shuffle: Whether to shuffle the elements at every epoch.
        seed: Seed of the shuffling.
    """

    def __init__(self, num_elements, load, batch_size=None, shuffle=False, seed=None):
        super().__init__()
        if batch_size is not None and (
            not isinstance(batch_size, (int, np.integer)) or batch_size <= 0
        ):
            raise ValueError(
                f"`batch_size` must be a positive int or None. Received: batch_size={batch_size!r}"
            )
        self._num_elements = int(num_elements)
        self._load = load
        self._batch_size = batch_size
        self._shuffle = bool(shuffle)
        self._rng = np.random.default_rng(seed)
        self._order = np.arange(self._num_elements)
        self._draw_order()

    def _draw_order(self):
        if self._shuffle:
            self._order = self._rng.permutation(self._num_elements)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def num_elements(self):
        """Number of elements (samples) in one epoch."""
        return self._num_elements

    def __len__(self):
        if self._batch_size is None:
            return self._num_elements
        return math.ceil(self._num_elements / self._batch_size)

    def __getitem__(self, index):
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"NumpyDataset index {index} out of range for {len(self)} batches.")
        if self._batch_size is None:
            batch = self._load(self._order[index : index + 1])
            return _map_structure(lambda a: a[0], batch)
        start = index * self._batch_size
        return self._load(self._order[start : start + self._batch_size])

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]
        self._draw_order()

    def on_epoch_end(self):
        self._draw_order()

    def batch(self, batch_size):
        """Returns this dataset with elements grouped in batches of `batch_size`."""
        if self._batch_size is not None:
            raise ValueError("This NumpyDataset is already batched.")
        out = NumpyDataset(self._num_elements, self._load, batch_size, self._shuffle)
        out._rng = self._rng
        out._order = self._order
        out.__dict__.update(
            {k: v for k, v in self.__dict__.items() if k in ("class_names", "file_paths")}
        )
        return out

    def map(self, fn):
        """Returns a dataset whose batches are `fn(*batch)` (`fn(batch)` for a single array),
        as `tf.data.Dataset.map` calls it."""
        load = self._load

        def mapped(indices):
            batch = load(indices)
            return fn(*batch) if isinstance(batch, tuple) else fn(batch)

        out = NumpyDataset(self._num_elements, mapped, self._batch_size, self._shuffle)
        out._rng = self._rng
        out._order = self._order
        out.__dict__.update(
            {k: v for k, v in self.__dict__.items() if k in ("class_names", "file_paths")}
        )
        return out

    def take(self, count):
        """An iterator over the first `count` batches (elements when unbatched)."""
        for index in range(min(count, len(self)) if count >= 0 else len(self)):
            yield self[index]

    def as_numpy_iterator(self):
        return iter(self)

    def cardinality(self):
        return len(self)

    def __repr__(self):
        return (
            f"<NumpyDataset elements={self._num_elements} batch_size={self._batch_size} "
            f"shuffle={self._shuffle}>"
        )


def _map_structure(fn, batch):
    if isinstance(batch, tuple):
        return tuple(_map_structure(fn, b) for b in batch)
    if isinstance(batch, dict):
        return {k: _map_structure(fn, v) for k, v in batch.items()}
    return fn(batch)


def array_loader(*arrays):
    """A `NumpyDataset` loader taking rows of in-memory arrays (one array: no tuple)."""

    def load(indices):
        out = tuple(
            np.asarray([a[i] for i in indices]) if isinstance(a, list) else a[indices]
            for a in arrays
        )
        return out[0] if len(out) == 1 else out

    return load


# ------------------------------------------------------------------ directory datasets


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    """Raises Keras' errors for inconsistent `validation_split` / `subset` / `seed`."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}"
        )
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(
            f'`subset` must be either "training", "validation" or "both", received: {subset}'
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide "
            "a `seed` argument, to make sure that there is no overlap between the "
            "training and validation subset."
        )


def check_labels(labels, label_mode, class_names):
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(
            "`labels` argument should be a list/tuple of integer labels, of the "
            "same size as the number of files in the target directory. If you "
            "wish to infer the labels from the subdirectory names in the target "
            'directory, pass `labels="inferred"`. If you wish to get a dataset '
            "that only contains the inputs (no labels), pass `labels=None`. "
            f"Received: labels={labels}"
        )
    if class_names and labels != "inferred":
        raise ValueError(
            'You can only pass `class_names` if `labels="inferred"`. '
            f"Received: labels={labels}, and class_names={class_names}"
        )
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(
            '`label_mode` argument must be one of "int", "categorical", '
            f'"binary", or None. Received: label_mode={label_mode}'
        )


def _walk(directory, formats, follow_links):
    found = []
    for root, dirs, files in os.walk(directory, followlinks=follow_links):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(formats):
                found.append(os.path.join(root, name))
    return found


def index_directory(
    directory,
    labels,
    formats,
    class_names=None,
    shuffle=True,
    seed=None,
    follow_links=False,
    verbose=True,
):
    """Lists the files of `directory` with the given extensions and their labels.

    With `labels="inferred"` each subfolder is a class (sorted names unless `class_names`).

    Returns:
        `(file_paths, labels, class_names)`; labels is `None` when `labels=None`.
    """
    if not os.path.isdir(directory):
        raise ValueError(f"Could not find directory {directory}")
    formats = tuple(f.lower() for f in formats)
    if labels == "inferred":
        subdirs = sorted(
            d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d))
        )
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(
                    "The `class_names` passed did not match the names of the "
                    f"subdirectories of the target directory. Expected: {subdirs} "
                    f"(or a subset of it), but received: class_names="
                    f"{class_names}"
                )
            subdirs = list(class_names)
        class_names = list(subdirs)
        file_paths, label_list = [], []
        for index, subdir in enumerate(subdirs):
            paths = _walk(os.path.join(directory, subdir), formats, follow_links)
            file_paths.extend(paths)
            label_list.extend([index] * len(paths))
        found_labels = np.asarray(label_list, dtype="int32")
    else:
        file_paths = _walk(directory, formats, follow_links)
        found_labels = None
        if labels is not None:
            if len(labels) != len(file_paths):
                raise ValueError(
                    "Expected the lengths of `labels` to match the number of files "
                    f"in the target directory. len(labels) is {len(labels)} while "
                    f"we found {len(file_paths)} files in directory {directory}."
                )
            found_labels = np.asarray(labels)
            class_names = [str(c) for c in sorted(set(np.asarray(labels).tolist()))]
    if verbose:
        if labels is None:
            print(f"Found {len(file_paths)} files.")
        else:
            print(f"Found {len(file_paths)} files belonging to {len(class_names)} classes.")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        order = np.random.RandomState(seed).permutation(len(file_paths))
        file_paths = [file_paths[i] for i in order]
        if found_labels is not None:
            found_labels = found_labels[order]
    return file_paths, found_labels, class_names


def training_or_validation_split(samples, labels, validation_split, subset, verbose=True):
    """Returns the `subset` ("training" or "validation") part of `samples` and `labels`."""
    if not validation_split:
        return samples, labels
    num_val = int(validation_split * len(samples))
    if subset == "training":
        if verbose:
            print(f"Using {len(samples) - num_val} files for training.")
        stop = len(samples) - num_val
        return samples[:stop], (labels[:stop] if labels is not None else None)
    if subset == "validation":
        if verbose:
            print(f"Using {num_val} files for validation.")
        start = len(samples) - num_val
        return samples[start:], (labels[start:] if labels is not None else None)
    raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')


def encode_labels(labels, label_mode, num_classes):
    """Int labels in the dataset builders' output form for `label_mode`."""
    labels = np.asarray(labels)
    if label_mode == "binary":
        return labels.astype("float32").reshape(-1, 1)
    if label_mode == "categorical":
        out = np.zeros((len(labels), num_classes), dtype="float32")
        out[np.arange(len(labels)), labels.astype("int64")] = 1.0
        return out
    return labels.astype("int32")


def check_binary(label_mode, class_names):
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            'When passing `label_mode="binary"`, there must be exactly 2 '
            f"class_names. Received: class_names={class_names}"
        )


def directory_dataset(
    paths,
    labels,
    label_mode,
    num_classes,
    read,
    batch_size,
    shuffle,
    seed,
    class_names,
    stack=np.stack,
):
    """A `NumpyDataset` reading the files `paths` with `read(path)` (neutral builders)."""
    encoded = None
    if labels is not None and label_mode is not None:
        encoded = encode_labels(labels, label_mode, num_classes)

    def load(indices):
        x = stack([read(paths[i]) for i in indices])
        if encoded is None:
            return x
        return x, encoded[indices]

    dataset = NumpyDataset(len(paths), load, batch_size=batch_size, shuffle=shuffle, seed=seed)
    dataset.class_names = class_names
    dataset.file_paths = list(paths)
    return dataset


# ------------------------------------------------------------------ split_dataset


def rescale_split_sizes(left_size, right_size, total_length):
    """Keras' checks and integer sizes for `split_dataset`."""
    ltype, rtype = type(left_size), type(right_size)
    for name, value, kind in (("left_size", left_size, ltype), ("right_size", right_size, rtype)):
        if value is not None and kind not in (int, float):
            raise TypeError(
                f"Invalid `{name}` type. Expected: int or float or None. "
                f"Received: type({name})={kind}."
            )
    if left_size is None and right_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. "
            "Received: left_size=None and right_size=None"
        )
    if left_size == 0 and right_size == 0:
        raise ValueError(
            "Both `left_size` and `right_size` are zero. At least one of the split "
            "sizes must be non-zero."
        )
    for name, value, kind in (("left_size", left_size, ltype), ("right_size", right_size, rtype)):
        if (kind is int and (value <= 0 or value >= total_length)) or (
            kind is float and (value <= 0 or value >= 1)
        ):
            raise ValueError(
                f"`{name}` should be either a positive integer smaller than "
                f"{total_length}, or a float within the range `[0, 1]`. "
                f"Received: {name}={value}"
            )
    if ltype is float and rtype is float and left_size + right_size > 1:
        raise ValueError(
            "The sum of `left_size` and `right_size` is greater than 1. It must be "
            "less than or equal to 1."
        )
    left = round(left_size * total_length) if ltype is float else left_size
    right = round(right_size * total_length) if rtype is float else right_size
    if left is None:
        left = total_length - right
    elif right is None:
        right = total_length - left
    if left + right > total_length:
        raise ValueError(
            f"The sum of `left_size` and `right_size` should be smaller than the "
            f"{total_length}. Received: left_size + right_size = {left + right} "
            f"and total_length = {total_length}"
        )
    for name, value in (("left_size", left), ("right_size", right)):
        if value == 0:
            raise ValueError(
                f"With `dataset` of length {total_length}, `left_size`="
                f"{left_size} and `right_size`={right_size}. Resulting {name} "
                "is zero. Adjust the split sizes so each split is non-empty."
            )
    return int(left), int(right)


def _elements(dataset):
    """The samples of `dataset` as a list (arrays, tuples/dicts of arrays, datasets)."""
    if isinstance(dataset, np.ndarray) or (
        hasattr(dataset, "shape") and hasattr(dataset, "__array__")
    ):
        return list(np.asarray(dataset))
    if isinstance(dataset, (list, tuple)):
        arrays = [np.asarray(a) for a in dataset]
        lengths = {len(a) for a in arrays}
        if len(lengths) != 1:
            raise ValueError(
                "split_dataset: the arrays of a list/tuple dataset must have the "
                f"same length. Received lengths: {[len(a) for a in arrays]}"
            )
        return [tuple(a[i] for a in arrays) for i in range(lengths.pop())]
    if isinstance(dataset, dict):
        arrays = {k: np.asarray(v) for k, v in dataset.items()}
        lengths = {len(a) for a in arrays.values()}
        if len(lengths) != 1:
            raise ValueError(
                "split_dataset: the arrays of a dict dataset must have the same length."
            )
        return [{k: a[i] for k, a in arrays.items()} for i in range(lengths.pop())]
    module = type(dataset).__module__
    if module.startswith("tensorflow"):
        return list(dataset.as_numpy_iterator())
    if isinstance(dataset, NumpyDataset):
        if dataset.batch_size is not None:
            raise ValueError("split_dataset: pass an unbatched dataset.")
        return [dataset[i] for i in range(len(dataset))]
    if hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__"):
        return [dataset[i] for i in range(len(dataset))]
    if hasattr(dataset, "__iter__"):
        return list(dataset)
    raise TypeError(
        "split_dataset: `dataset` must be a tf.data.Dataset, a torch Dataset, a "
        "NumPy array or a list/tuple of arrays. Received: "
        f"dataset={dataset!r} of type {type(dataset)}"
    )


def _stack(samples):
    first = samples[0]
    if isinstance(first, tuple):
        return tuple(np.stack([s[i] for s in samples]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: np.stack([s[k] for s in samples]) for k in first}
    return np.stack(samples)


def split_dataset(
    dataset, left_size=None, right_size=None, shuffle=False, seed=None, preferred_backend=None
):
    """Splits a dataset into a left half and a right half (e.g. train / test).

    The left part takes the first `left_size` samples and the right part the last
    `right_size` (after shuffling when `shuffle=True`).

    Args:
        dataset: A `tf.data.Dataset`, a `torch.utils.data.Dataset`, an unbatched
            `NumpyDataset`, a NumPy array, or a list/tuple of arrays of the same length.
        left_size: Float in `(0, 1)` (fraction) or int (number of samples) for the left
            part; `None` means the complement of `right_size`.
        right_size: Same for the right part; `None` means the complement of `left_size`.
        shuffle: Whether to shuffle the samples before splitting.
        seed: Seed of the shuffling.
        preferred_backend: `"tensorflow"` or `"torch"` for the returned type; by default
            inferred from `dataset` (torch datasets give torch datasets, others `tf.data`
            when TensorFlow is installed, else `NumpyDataset`s).

    Returns:
        A tuple `(left_dataset, right_dataset)` of unbatched datasets.
    """
    if preferred_backend is None:
        module = type(dataset).__module__
        if module.startswith("torch"):
            preferred_backend = "torch"
        elif module.startswith("tensorflow"):
            preferred_backend = "tensorflow"
    samples = _elements(dataset)
    left, right = rescale_split_sizes(left_size, right_size, len(samples))
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        random.Random(seed).shuffle(samples)
    left_samples, right_samples = samples[:left], samples[len(samples) - right :]
    if preferred_backend == "torch":
        import torch.utils.data

        class _ListDataset(torch.utils.data.Dataset):
            def __init__(self, items):
                self.items = items

            def __len__(self):
                return len(self.items)

            def __getitem__(self, index):
                return self.items[index]

        return _ListDataset(left_samples), _ListDataset(right_samples)
    if preferred_backend == "tensorflow" or (preferred_backend is None and tf_available()):
        tf = import_tf()
        return (
            tf.data.Dataset.from_tensor_slices(_stack(left_samples)),
            tf.data.Dataset.from_tensor_slices(_stack(right_samples)),
        )

    def neutral(items):
        stacked = _stack(items)
        if isinstance(stacked, dict):
            keys = list(stacked)
            load = array_loader(*[stacked[k] for k in keys])

            def load_dict(indices):
                parts = load(indices)
                parts = parts if len(keys) > 1 else (parts,)
                return dict(zip(keys, parts))

            return NumpyDataset(len(items), load_dict)
        arrays = stacked if isinstance(stacked, tuple) else (stacked,)
        return NumpyDataset(len(items), array_loader(*arrays))

    return neutral(left_samples), neutral(right_samples)


def tf_directory_dataset(
    paths,
    labels,
    label_mode,
    num_classes,
    read_tf,
    batch_size,
    shuffle,
    seed,
    class_names,
    shuffle_buffer_size=None,
    padded=False,
):
    """A `tf.data.Dataset` reading the files `paths` with the TF function `read_tf(path)`."""
    tf = import_tf()
    dataset = tf.data.Dataset.from_tensor_slices(list(paths))
    if labels is not None and label_mode is not None:
        encoded = encode_labels(labels, label_mode, num_classes)
        dataset = tf.data.Dataset.zip((dataset, tf.data.Dataset.from_tensor_slices(encoded)))
        dataset = dataset.map(lambda p, y: (read_tf(p), y), num_parallel_calls=tf.data.AUTOTUNE)
    else:
        dataset = dataset.map(read_tf, num_parallel_calls=tf.data.AUTOTUNE)
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=shuffle_buffer_size or batch_size * 8, seed=seed)
        dataset = dataset.padded_batch(batch_size) if padded else dataset.batch(batch_size)
    elif shuffle:
        dataset = dataset.shuffle(buffer_size=shuffle_buffer_size or 1024, seed=seed)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    dataset.class_names = class_names
    dataset.file_paths = list(paths)
    return dataset


def numpy_reader_for_tf(read, dtype, shape):
    """Wraps the NumPy file reader `read(path_str)` as a TF function of a path tensor."""
    tf = import_tf()

    def read_np(path):
        return np.asarray(
            read(path.decode() if isinstance(path, bytes) else str(path)), dtype=dtype
        )

    def read_tf(path):
        out = tf.numpy_function(read_np, [path], tf.as_dtype(dtype))
        out.set_shape(shape)
        return out

    return read_tf


def build_directory_datasets(
    directory,
    labels,
    label_mode,
    class_names,
    formats,
    batch_size,
    shuffle,
    seed,
    validation_split,
    subset,
    follow_links,
    verbose,
    make,
    what,
):
    """Shared flow of the `*_dataset_from_directory` builders.

    `make(paths, labels, class_names, shuffle)` builds one dataset from a split.
    """
    check_labels(labels, label_mode, class_names)
    if labels is None or label_mode is None:
        # No labels: every file under `directory` (as Keras 3 indexes it), one count message.
        labels = None
        label_mode = None
    check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, found, class_names = index_directory(
        directory,
        labels,
        formats=formats,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    if label_mode == "binary":
        check_binary(label_mode, class_names)
    allowed = ", ".join(formats)

    def one(split):
        part_paths, part_labels = training_or_validation_split(
            paths, found, validation_split, split, verbose=verbose
        )
        if not part_paths:
            raise ValueError(
                f"No {what} found in directory {directory}. Allowed formats: {allowed}"
            )
        return make(part_paths, part_labels, label_mode, class_names)

    if subset == "both":
        return [one("training"), one("validation")]
    if not paths:
        raise ValueError(f"No {what} found in directory {directory}. Allowed formats: {allowed}")
    return one(subset)
