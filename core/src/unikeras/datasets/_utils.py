"""Shared by the dataset loaders: the cache lookup and restricted unpickling."""

import io
import os
import pickle
import zipfile

import numpy as np

from unikeras.utils.file_utils import get_file, keras_home

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

_ALLOWED_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy._core.multiarray", "scalar"),
    }
)


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickles NumPy arrays and plain Python containers, nothing else (no code runs)."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to deserialize `{module}.{name}` while loading "
            "a Keras dataset. The file may be corrupted or malicious."
        )


def _read_npy(handle):
    data = handle.read()
    try:
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except ValueError:
        stream = io.BytesIO(data)
        version = np.lib.format.read_magic(stream)
        if version[0] == 1:
            np.lib.format.read_array_header_1_0(stream)
        elif version[0] in (2, 3):
            np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"Unsupported `.npy` file version: {version}.")
        return RestrictedUnpickler(stream).load()


def load_npz(path):
    """Reads a `.npz` file; object arrays are unpickled with `RestrictedUnpickler`."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".npy"):
                with archive.open(name) as handle:
                    out[name[:-4]] = _read_npy(handle)
    return out


def cached_file(fname, origin, file_hash=None, cache_subdir="datasets", extract=False):
    """`get_file`, except that a file (or extracted folder) already in the cache is used as is,
    with no hash check and no network access (so small stand-in files can be placed there)."""
    datadir = os.path.join(os.path.expanduser(keras_home()), cache_subdir)
    if extract:
        if "." in fname:
            extracted = os.path.join(datadir, f"{fname[: fname.find('.')]}_extracted")
            archive = os.path.join(datadir, fname)
        else:
            extracted = os.path.join(datadir, fname)
            archive = os.path.join(datadir, f"{fname}_archive")
        if os.path.isdir(extracted):
            return extracted
        if os.path.exists(archive):
            file_hash = None
    elif os.path.exists(os.path.join(datadir, fname)):
        return os.path.join(datadir, fname)
    return get_file(
        fname=fname, origin=origin, file_hash=file_hash, cache_subdir=cache_subdir, extract=extract
    )


def check_test_split(test_split):
    if not 0 <= test_split < 1:
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. It must be between 0 "
            "and 1 (exclusive of 1)."
        )


def shuffled_split(x, y, test_split, seed):
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))


def remove_long_seq(maxlen, seq, label):
    """Keeps the (sequence, label) pairs whose sequence is shorter than `maxlen`."""
    kept_x, kept_y = [], []
    for x, y in zip(seq, label):
        if len(x) < maxlen:
            kept_x.append(x)
            kept_y.append(y)
    return kept_x, kept_y


def encode_words(xs, num_words, skip_top, start_char, oov_char, index_from):
    """Shifts word indices by `index_from`, adds `start_char`, and applies the vocabulary cut."""
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    else:
        xs = [list(x) for x in xs]
    return xs


def cut_vocabulary(xs, num_words, skip_top, oov_char):
    if not num_words:
        num_words = max(max(x) for x in xs if len(x))
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]


def object_array(lists):
    out = np.empty(len(lists), dtype="object")
    for i, item in enumerate(lists):
        out[i] = item
    return out
