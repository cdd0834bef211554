"""`h5py`, imported on first use, so that `import unikeras` does not load it: the saving
modules read `h5py.File` and friends through `h5py` below when a weights file is read or
written."""

import importlib


class _LazyH5py:
    """Forwards attribute reads to the `h5py` module, importing it on the first one."""

    def __getattr__(self, name):
        return getattr(importlib.import_module("h5py"), name)


h5py = _LazyH5py()
