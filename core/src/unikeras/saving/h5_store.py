"""The weights file, `model.weights.h5`, in Keras 3's layout.

Each object holding variables (a layer, the optimizer) gets an HDF5 group at its path in the
model, e.g. `layers/dense` or `optimizer`, with a `vars` subgroup of datasets `"0"`, `"1"`, ...
in the object's variable order. The model's own variables sit in the root `vars` group.
Reading never trusts the file: dataset shapes and dtypes are checked before any data is read,
so a hostile file cannot make the reader allocate more than the model's own weights.
"""

import json

import h5py
import numpy as np

_METADATA_ATTR = "unikeras_metadata"
_NUMERIC_KINDS = "biufc"


def _vars_path(path):
    return f"{path}/vars" if path else "vars"


class H5Writer:
    """Writes variable values into an open, writable `h5py.File`."""

    def __init__(self, h5_file):
        self.h5_file = h5_file

    def write(self, path, values, name=None):
        """Stores `values` (NumPy arrays) as `<path>/vars/0`, `<path>/vars/1`, ..."""
        group = self.h5_file.require_group(_vars_path(path))
        if name is not None:
            group.attrs["name"] = name
        for i, value in enumerate(values):
            group.create_dataset(str(i), data=np.asarray(value))

    def write_metadata(self, metadata):
        """Stores a JSON-able dict as an attribute of the root group."""
        self.h5_file.attrs[_METADATA_ATTR] = json.dumps(metadata)


class H5Reader:
    """Reads variable values from an open `h5py.File`, validating them against variables."""

    def __init__(self, h5_file):
        self.h5_file = h5_file

    def has(self, path):
        """Whether the file holds variables for `path`."""
        return isinstance(self.h5_file.get(_vars_path(path)), h5py.Group)

    def count(self, path):
        """Number of variables stored for `path` (0 when there is no group)."""
        return len(self.h5_file[_vars_path(path)]) if self.has(path) else 0

    def read(self, path, variables):
        """Returns the stored values for `variables` (checked: count, shapes, dtypes).

        Raises:
            ValueError: with the path and the problem, when anything does not match.
        """
        where = f"weights of {path or 'the model'!r}"
        if not self.has(path):
            if not variables:
                return []
            raise ValueError(f"The weights file has no entry for the {where} "
                             f"({len(variables)} variables expected at {_vars_path(path)!r}).")
        group = self.h5_file[_vars_path(path)]
        if len(group) != len(variables):
            raise ValueError(f"The {where}: the file holds {len(group)} variables, the model "
                             f"has {len(variables)}.")
        values = []
        for i, variable in enumerate(variables):
            dataset = group.get(str(i))
            if not isinstance(dataset, h5py.Dataset):
                raise ValueError(f"The {where}: entry {_vars_path(path)}/{i} is missing.")
            if tuple(dataset.shape) != tuple(variable.shape):
                raise ValueError(
                    f"The {where}: variable {i} ({getattr(variable, 'path', '')!r}) has shape "
                    f"{tuple(variable.shape)}, the file holds shape {tuple(dataset.shape)}.")
            if dataset.dtype.kind not in _NUMERIC_KINDS:
                raise ValueError(f"The {where}: entry {i} has non-numeric dtype "
                                 f"{dataset.dtype}.")
            values.append(dataset[()])
        return values

    def read_metadata(self):
        """Returns the dict written by `H5Writer.write_metadata` (`{}` when none)."""
        raw = self.h5_file.attrs.get(_METADATA_ATTR)
        if raw is None:
            return {}
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8")
        return json.loads(raw)
