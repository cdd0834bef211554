"""Helpers shared by the data adapters: batch packing, class weights, host conversion."""

import math

import numpy as np

from unikeras.backend import api as _backend_api
from unikeras.backend.common.data_kinds import is_tf_dataset, is_torch_dataloader  # noqa: F401
from unikeras.backend.registry import table
from unikeras.backend import tree


def unpack_x_y_sample_weight(data):
    """Splits a batch into `(x, y, sample_weight)`, as `keras.utils.unpack_x_y_sample_weight`.

    A tuple (or list) of 1 to 3 entries is `(x,)`, `(x, y)` or `(x, y, sample_weight)`;
    anything else is `x` alone. Missing entries are `None`.

    Args:
        data: A batch: `x`, or a tuple/list `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Returns:
        A tuple `(x, y, sample_weight)`, with `None` for missing entries.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found a tuple of {len(data)} entries: {data!r}"
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs `x`, `y` and `sample_weight` into the tuple a step unpacks (drops trailing Nones).

    Args:
        x: The inputs.
        y: Optional targets (default `None`).
        sample_weight: Optional sample weights (default `None`).

    Returns:
        `x` alone (a list or tuple `x` is wrapped as `(x,)`), `(x, y)`, or `(x, y, sample_weight)`.
    """
    if y is None:
        # A lone list/tuple `x` (several inputs) is wrapped so it is not read as `(x, y)`.
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def to_host_or_backend(leaf):
    """Returns `leaf` as the active backend's tensor if it is one, else as a NumPy array.

    Tensors of another engine (a torch tensor on the JAX backend, a `tf.Tensor` from a
    `tf.data` pipeline) are copied to NumPy so any backend's ops accept them.
    """
    if leaf is None or isinstance(leaf, np.ndarray) or table.is_tensor(leaf):
        return leaf
    module = type(leaf).__module__ or ""
    if module.startswith("torch"):
        return leaf.detach().cpu().numpy()
    if hasattr(leaf, "numpy") and not isinstance(leaf, np.generic):
        return np.asarray(leaf.numpy())
    return np.asarray(leaf)


def convert_batch(data):
    """Applies `to_host_or_backend` to every leaf of a batch structure."""
    return tree.map_structure(to_host_or_backend, data)


def class_weight_to_sample_weights(y, class_weight):
    """Returns per-sample weights looked up from `class_weight` by the class of each `y` row.

    `y` holds class indices (shape `(n,)` or `(n, 1)`) or one-hot / probability rows (the
    class is the argmax); classes missing from `class_weight` weigh 1.
    """
    if tree.is_nested(y):
        raise ValueError(
            "`class_weight` is only supported for models with a single output; "
            "use `sample_weight` for several outputs."
        )
    y = np.asarray(table.convert_to_numpy(y) if table.is_tensor(y) else y)
    if y.ndim > 1 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.round(y.reshape(y.shape[0], -1)[:, 0] if y.ndim > 1 else y).astype(np.int64)
    lookup = np.vectorize(lambda c: float(class_weight.get(int(c), 1.0)), otypes=[np.float32])
    return lookup(classes) if classes.size else np.zeros(classes.shape, np.float32)


def apply_class_weight(data, class_weight):
    """Returns the batch `data` with sample weights from `class_weight` (see above)."""
    x, y, sample_weight = unpack_x_y_sample_weight(data)
    if y is None:
        raise ValueError("`class_weight` needs targets `y` in the data.")
    if sample_weight is not None:
        raise ValueError(
            "`class_weight` and `sample_weight` cannot be used together; fold the "
            "class weights into `sample_weight`."
        )
    return (x, y, class_weight_to_sample_weights(y, class_weight))


def num_samples(structure):
    """Returns the common leading size of the arrays in `structure`."""
    sizes = {int(np.shape(leaf)[0]) for leaf in tree.flatten(structure) if leaf is not None}
    if len(sizes) > 1:
        raise ValueError(
            f"All arrays (x, y, sample_weight) must have the same number of "
            f"samples; got sizes {sorted(sizes)}."
        )
    return sizes.pop() if sizes else 0


def train_validation_split(arrays, validation_split):
    """Splits `arrays` (a structure of arrays) into training and validation parts.

    The last `validation_split` fraction of the samples (taken before any shuffling) is
    the validation part, like Keras.
    """
    flat = [leaf for leaf in tree.flatten(arrays) if leaf is not None]
    if any(not hasattr(leaf, "shape") for leaf in flat):
        raise ValueError(
            "`validation_split` is only supported for arrays (NumPy or tensors), "
            f"not {sorted({type(leaf).__name__ for leaf in flat})}; pass "
            "`validation_data` instead."
        )
    total = num_samples(arrays)
    split_at = int(math.floor(total * (1.0 - validation_split)))
    if split_at == 0 or split_at == total:
        raise ValueError(
            f"validation_split={validation_split} leaves no samples for training "
            f"or validation out of {total}."
        )

    def part(start, stop):
        return tree.map_structure(lambda a: None if a is None else a[start:stop], arrays)

    return part(0, split_at), part(split_at, total)


_backend_api.provide("train_validation_split", train_validation_split)  # for backend plugins
