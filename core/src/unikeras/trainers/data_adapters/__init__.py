"""Adapters that turn every supported input type into an iterator of batches.

Supported: NumPy arrays, backend tensors and lists/dicts of them; Python generators and
iterators; `keras.utils.PyDataset`; `tf.data.Dataset` and `torch.utils.data.DataLoader`
(recognised by their type's module, so neither engine is imported for other inputs).
"""

import types

from unikeras.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
from unikeras.trainers.data_adapters.data_adapter import DataAdapter  # noqa: F401
from unikeras.trainers.data_adapters.data_adapter_utils import (  # noqa: F401
    is_tf_dataset,
    is_torch_dataloader,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)
from unikeras.trainers.data_adapters.generator_data_adapter import GeneratorDataAdapter
from unikeras.trainers.data_adapters.py_dataset_adapter import PyDatasetAdapter
from unikeras.trainers.data_adapters.tf_dataset_adapter import TFDatasetAdapter
from unikeras.trainers.data_adapters.torch_data_loader_adapter import TorchDataLoaderAdapter
from unikeras.utils.py_dataset import PyDataset


def _is_iterator(x):
    return isinstance(x, types.GeneratorType) or (hasattr(x, "__next__") and hasattr(x, "__iter__"))


def _reject_extras(kind, y, sample_weight):
    if y is not None or sample_weight is not None:
        raise ValueError(
            f"When `x` is a {kind}, it must yield the targets and sample weights "
            "itself: do not pass `y` or `sample_weight`."
        )


def get_data_adapter(
    x,
    y=None,
    sample_weight=None,
    batch_size=None,
    steps_per_epoch=None,
    shuffle=False,
    class_weight=None,
):
    """Returns the `DataAdapter` for `x` (and, for arrays, `y` and `sample_weight`).

    Raises:
        ValueError: for unsupported inputs, or `y`/`sample_weight` given with a dataset.
    """
    if isinstance(x, PyDataset):
        _reject_extras("PyDataset", y, sample_weight)
        return PyDatasetAdapter(x, shuffle=shuffle, class_weight=class_weight)
    if is_tf_dataset(x):
        _reject_extras("tf.data.Dataset", y, sample_weight)
        return TFDatasetAdapter(x, class_weight=class_weight)
    if is_torch_dataloader(x):
        _reject_extras("torch DataLoader", y, sample_weight)
        return TorchDataLoaderAdapter(x, class_weight=class_weight)
    if _is_iterator(x):
        _reject_extras("generator", y, sample_weight)
        return GeneratorDataAdapter(x, class_weight=class_weight)
    if x is None:
        raise ValueError(
            "No input data: pass `x` (arrays, a generator, a PyDataset, a "
            "tf.data.Dataset or a torch DataLoader)."
        )
    return ArrayDataAdapter(
        x,
        y,
        sample_weight,
        batch_size=batch_size,
        steps=steps_per_epoch,
        shuffle=shuffle,
        class_weight=class_weight,
    )
