"""The weights file, `model.weights.h5`, in Keras 3's layout.

Each saved object (a layer, the optimizer) gets an HDF5 group at its path in the model, e.g.
`layers/dense` or `optimizer`, holding a `vars` group (with the object's name as attribute
`name`) of datasets `"0"`, `"1"`, ... written by its `save_own_variables(store)`; the model's
own group is the root `vars`. bfloat16 values are stored as 2-byte opaque data with the
dataset attribute `dtype="bfloat16"`, as Keras 3 does, and read back exactly.

Reading never trusts the file: the whole file is audited first (`h5_audit`: nothing that
could read from outside the file), and each dataset is checked (plain numbers, the shape of
the variable it goes into when known, no larger than the model could hold) before its data
is read, so a hostile file cannot make the reader allocate more than a bounded amount.
"""

import json

import numpy as np

from unikeras.saving._h5py import h5py
from unikeras.variables import BaseVariable
from unikeras import ops

_METADATA_ATTR = "unikeras_metadata"
_BFLOAT16 = "bfloat16"


def _vars_path(path):
    return f"{path}/vars" if path else "vars"


def _bfloat16():
    try:
        import ml_dtypes
    except ImportError:  # pragma: no cover - every training engine installs ml-dtypes
        raise ValueError("Reading bfloat16 weights needs `pip install ml-dtypes`.") from None
    return np.dtype(ml_dtypes.bfloat16)


def _to_numpy(value):
    if isinstance(value, BaseVariable):
        return value.numpy()
    if isinstance(value, np.ndarray):
        return value

    return np.asarray(ops.convert_to_numpy(value))


class H5Entry:
    """The `store` an object's `save_own_variables` / `load_own_variables` receives: a
    dict-like view of its `vars` group, with keys `"0"`, `"1"`, ... and NumPy values.

    Args:
        group: The `h5py.Group`, or `None` when the file has no entry (reads as empty).
        path: The object's path in the file (for error messages).
        max_bytes: When reading, the largest dataset accepted.
    """

    def __init__(self, group, path, max_bytes=None):
        self.group = group
        self.path = path
        self.max_bytes = max_bytes
        # key -> shape of the variable the value is loaded into, when the loader knows it:
        # a dataset of another shape is refused before its data is read.
        self.expected = {}

    def keys(self):
        return [] if self.group is None else list(self.group.keys())

    def __len__(self):
        return 0 if self.group is None else len(self.group)

    def __iter__(self):
        return iter(self.keys())

    def __contains__(self, key):
        return self.group is not None and key in self.group

    def shape(self, key):
        """The stored shape of `key`, read from the file's metadata (not its data); None when
        the entry holds no dataset `key`."""
        dataset = None if self.group is None else self.group.get(key)
        return tuple(dataset.shape) if isinstance(dataset, h5py.Dataset) else None

    def __getitem__(self, key):
        where = f"{_vars_path(self.path)}/{key}"
        dataset = None if self.group is None else self.group.get(key)
        if not isinstance(dataset, h5py.Dataset):
            raise ValueError(f"The weights file has no entry {where!r} (missing).")
        is_bfloat16 = dataset.attrs.get("dtype") in (_BFLOAT16, _BFLOAT16.encode())
        from unikeras.saving.h5_audit import dataset_type_problem

        problem = dataset_type_problem(dataset.id.get_type(), is_bfloat16)
        if problem is not None:
            raise ValueError(
                f"The weights file entry {where!r} is not numeric: it has "
                f"{problem} (dtype {dataset.dtype}); weights are numbers."
            )
        dtype = _bfloat16() if is_bfloat16 else dataset.dtype
        shape = dataset.shape
        if shape is None:
            raise ValueError(f"The weights file entry {where!r} has no shape (null dataspace).")
        expected = self.expected.get(key)
        if expected is not None and tuple(shape) != tuple(expected):
            raise ValueError(
                f"The weights file entry {where!r} does not match: the "
                f"variable it loads into has shape {tuple(expected)}, the file "
                f"holds shape {tuple(shape)}."
            )
        size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        if self.max_bytes is not None and size > self.max_bytes:
            raise ValueError(
                f"The weights file entry {where!r} (shape {shape}) is "
                f"larger than anything the model holds ({size} bytes)."
            )
        value = dataset[()]
        return np.asarray(value).view(dtype) if is_bfloat16 else np.asarray(value)

    def __setitem__(self, key, value):
        value = _to_numpy(value)
        dataset = self.group.create_dataset(key, data=value)
        if value.dtype.name == _BFLOAT16:
            dataset.attrs["dtype"] = _BFLOAT16


class H5Writer:
    """Writes objects' variables into an open, writable `h5py.File`."""

    def __init__(self, h5_file):
        self.h5_file = h5_file

    def entry(self, path, name=None):
        """Creates `<path>/vars` (with the object's `name`) and returns its `H5Entry`."""
        group = self.h5_file.require_group(_vars_path(path))
        if name is not None:
            group.attrs["name"] = name
        return H5Entry(group, path)

    def write_metadata(self, metadata):
        """Stores a JSON-able dict as an attribute of the root group."""
        self.h5_file.attrs[_METADATA_ATTR] = json.dumps(metadata)


class H5Reader:
    """Reads objects' variables from an open `h5py.File`."""

    def __init__(self, h5_file):
        self.h5_file = h5_file

    def has(self, path):
        """Whether the file holds a `vars` group for `path`."""
        return isinstance(self.h5_file.get(_vars_path(path)), h5py.Group)

    def entry(self, path, max_bytes=None):
        """The `H5Entry` of `path` (empty when the file has none)."""
        return H5Entry(self.h5_file[_vars_path(path)] if self.has(path) else None, path, max_bytes)

    def read_metadata(self):
        """Returns the dict written by `H5Writer.write_metadata` (`{}` when none)."""
        raw = self.h5_file.attrs.get(_METADATA_ATTR)
        if raw is None:
            return {}
        try:
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8")
            metadata = json.loads(raw)
        except (UnicodeDecodeError, TypeError, ValueError, RecursionError):
            metadata = None
        if not isinstance(metadata, dict):
            raise ValueError(
                f"The weights file's metadata attribute {_METADATA_ATTR!r} is "
                "not a JSON object (the file is damaged)."
            )
        return metadata
