"""Sharded weights files: `model.save_weights("x.weights.json", max_shard_size=...)`, in
Keras 3's format.

A sharded save is an index file `<base>.weights.json` plus shard files
`<base>_00000.weights.h5`, `<base>_00001.weights.h5`, ... next to it (`<base>` is the index's
name less `.weights.json`). Each shard is an ordinary weights file (`h5_store` layout) holding
part of the objects' `vars` groups; the index is
`{"metadata": {"total_size": <bytes>}, "weight_map": {"/layers/dense/vars": "<shard>", ...}}`,
mapping each group that holds values to its shard (a list of shards when an object's values
were split). Values are written in the model's walk order and a new shard starts when the
next value would make the current one larger than `max_shard_size` (in GB, `2**30` bytes),
each value counting its element count times its dtype's bits over 8, as Keras 3 counts.

Reading trusts nothing: the index is bounded in size, parsed strictly (no key twice) and
validated (group paths, shard names that are plain `*.weights.h5` file names in the index's
own folder: no separators, `..`, absolute or drive paths, nothing that resolves elsewhere
through a link, no shard named twice for one group), every shard is checked to exist before
anything is read, each shard is opened with the same audit as any weights file (`h5_audit`)
before a value is read from it, and a value may live in only one shard. Loading is all or
nothing (`object_tree.load_state`).

Writing goes to temporary files in the target folder; only when every shard is complete and
synced does the old index (if any) go away, the shards take their names, and the new index
is renamed into place last, so the index is present only with its whole set. The index and
every shard written here also carry a random set id (`metadata.unikeras_shard_set` and a root
attribute), so a set mixed with another save's shards is refused.
"""

import contextlib
import json
import math
import os
import uuid
import warnings
from collections import Counter, OrderedDict

import numpy as np

from unikeras.saving._h5py import h5py
from unikeras.saving.archive import _sync_folder, current_umask
from unikeras.saving.h5_store import H5Entry, _to_numpy, _vars_path

INDEX_SUFFIX = ".weights.json"
SHARD_SUFFIX = ".weights.h5"
MAX_INDEX_BYTES = 64 * 2**20
MAX_INDEX_ENTRIES = 200_000
MAX_SHARDS = 100_000
MAX_NAME_CHARS = 255
_SET_ATTR = "unikeras_shard_set"
_OPEN_SHARDS = 16
_READ_ERRORS = (OSError, KeyError, RuntimeError)


# --- names ---------------------------------------------------------------------------------
def index_path(filepath):
    """The index path Keras 3 writes for `filepath`: a `...weights.h5` path becomes
    `...weights.json`, with a warning (as Keras 3 does)."""
    filepath = os.fspath(filepath)
    if filepath.endswith("weights.h5"):
        new_path = filepath[: -len(".h5")] + ".json"
        warnings.warn(
            f"Saving sharded weights requires `*.json` as the extension. The original path: "
            f"{filepath} will be renamed to {new_path}.",
            stacklevel=4,
        )
        return new_path
    return filepath


def shard_base(filepath):
    """`<base>` of the shard names `<base>_00000.weights.h5` for the index `filepath`:
    its file name less its last extension, with every `.weights` removed (as Keras 3)."""
    stem = os.path.splitext(os.path.basename(os.fspath(filepath)))[0]
    return stem.replace(".weights", "")


def shard_name(base, index):
    """The file name of shard number `index`."""
    return f"{base}_{index:05}{SHARD_SUFFIX}"


def value_size(value):
    """Bytes a value counts for in a shard, as Keras 3 measures it: elements times the
    dtype's bits over 8 (a bool counts one bit)."""
    bits = 1 if value.dtype == np.bool_ else value.dtype.itemsize * 8
    return math.prod(value.shape) * bits / 8


def _readable(size):
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f}{unit}"
        size /= 1024


# --- writing -------------------------------------------------------------------------------
class _ShardedWriteEntry:
    """The `store` `save_own_variables` writes into: values go to the current shard."""

    def __init__(self, writer, path):
        self.writer = writer
        self.path = path

    def __setitem__(self, key, value):
        self.writer._write(self.path, key, value)


class ShardedH5Writer:
    """Writes objects' variables into shard files of at most `max_bytes` each.

    Args:
        filepath: The index path (`....weights.json`).
        max_bytes: The largest shard, in bytes.
    """

    def __init__(self, filepath, max_bytes):
        self.filepath = os.path.abspath(filepath)
        self.folder = os.path.dirname(self.filepath)
        self.base = shard_base(self.filepath)
        self.max_bytes = max_bytes
        self.set_id = uuid.uuid4().hex
        self.shards = []  # (final name, temporary path)
        self.weight_map = {}
        self.total_size = 0
        self.current_size = 0
        self.h5_file = None
        self.index_tmp = os.path.join(
            self.folder, f".tmp-{self.set_id}-{os.path.basename(self.filepath)}"
        )
        os.makedirs(self.folder, exist_ok=True)
        self._new_shard()

    def _new_shard(self):
        if self.h5_file is not None:
            self.h5_file.close()
        name = shard_name(self.base, len(self.shards))
        tmp = os.path.join(self.folder, f".tmp-{self.set_id}-{name}")
        self.shards.append((name, tmp))
        self.h5_file = h5py.File(tmp, "w")
        self.h5_file.attrs[_SET_ATTR] = self.set_id
        self.current_size = 0

    def entry(self, path, name=None):
        """Creates `<path>/vars` (with the object's `name`) in the current shard and returns
        the store its values are written through."""
        group = self.h5_file.require_group(_vars_path(path))
        if name is not None:
            group.attrs["name"] = name
        return _ShardedWriteEntry(self, path)

    def _write(self, path, key, value):
        value = _to_numpy(value)
        size = value_size(value)
        self.total_size += size
        if size > self.max_bytes:
            raise ValueError(
                f"The size of {_vars_path(path)}/{key} is {_readable(size)} which exceeds the "
                f"maximum shard size {_readable(self.max_bytes)}. You can increase the "
                "`max_shard_size` parameter to accommodate the size."
            )
        self.current_size += size
        if self.current_size > self.max_bytes:
            self._new_shard()
            self.current_size = size
        group = self.h5_file.require_group(_vars_path(path))
        H5Entry(group, path)[key] = value
        key_path = group.name
        name = self.shards[-1][0]
        # As Keras 3: a group's first value maps it to a shard name, later ones turn that
        # into the list of the group's shards.
        stored = self.weight_map.get(key_path)
        if stored is None:
            self.weight_map[key_path] = name
            return
        if not isinstance(stored, list):
            stored = self.weight_map[key_path] = [stored]
        if name not in stored:
            stored.append(name)

    def _index_json(self):
        return json.dumps(
            {
                "metadata": {"total_size": self.total_size, _SET_ATTR: self.set_id},
                "weight_map": self.weight_map,
            },
            indent=4,
        )

    def commit(self):
        """Closes the last shard, writes the index and moves the whole set into place."""
        self.h5_file.close()
        self.h5_file = None
        index_tmp = self.index_tmp
        with open(index_tmp, "w") as f:
            f.write(self._index_json())
        mode = 0o666 & ~current_umask()
        for _, tmp in [*self.shards, (None, index_tmp)]:
            os.chmod(tmp, mode)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
        # The index is the commit mark: it goes first and comes back last, so it is never
        # present next to a partial set.
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.filepath)
        for name, tmp in self.shards:
            os.replace(tmp, os.path.join(self.folder, name))
        os.replace(index_tmp, self.filepath)
        _sync_folder(self.folder)

    def abort(self):
        """Removes every temporary file (after a failure)."""
        if self.h5_file is not None:
            with contextlib.suppress(Exception):
                self.h5_file.close()
            self.h5_file = None
        for tmp in [tmp for _, tmp in self.shards] + [self.index_tmp]:
            with contextlib.suppress(OSError):
                os.remove(tmp)


def save_sharded_weights(model, filepath, max_shard_size, objects_to_skip=None):
    """Writes the model's variables (and its optimizer's) as an index file and shards of at
    most `max_shard_size` GB each; the whole set appears or nothing does.

    Args:
        model: The model.
        filepath: The index path, ending in `.weights.json`.
        max_shard_size: Largest shard, in GB (`2**30` bytes); int or float.
        objects_to_skip: Optional layers (or the optimizer) whose variables are not saved.
    """
    from unikeras.saving import object_tree

    writer = ShardedH5Writer(filepath, float(max_shard_size) * 1024**3)
    try:
        object_tree.save_state(model, writer, objects_to_skip=objects_to_skip)
        writer.commit()
    except BaseException:
        writer.abort()
        raise


# --- reading -------------------------------------------------------------------------------
def _refuse(filepath, problem):
    return ValueError(f"Cannot load sharded weights {filepath!r}: {problem}.")


def _no_duplicate_keys(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        counts = Counter(k for k, _ in pairs)
        raise _DuplicateKey(sorted(k for k, n in counts.items() if n > 1)[:5])
    return result


class _DuplicateKey(ValueError):
    pass


def _check_shard_name(filepath, group, name):
    problem = None
    if not isinstance(name, str) or not name:
        problem = "is not a file name"
    elif len(name) > MAX_NAME_CHARS:
        problem = f"is longer than {MAX_NAME_CHARS} characters"
    elif any(c in name for c in "/\\:\x00") or name in (".", ".."):
        problem = (
            "is not a plain file name (a path separator, drive, '..' or NUL): shards must "
            "lie next to the index"
        )
    elif not name.endswith(SHARD_SUFFIX):
        problem = f"does not end in {SHARD_SUFFIX!r}"
    if problem is not None:
        raise _refuse(filepath, f"the shard {name!r} listed for {group!r} {problem}")


def _check_group_key(filepath, key):
    parts = key.split("/") if isinstance(key, str) else None
    if (
        parts is None
        or len(key) > 4096
        or parts[0] != ""
        or parts[-1] != "vars"
        or any(p in ("", ".", "..") for p in parts[1:])
        or "\x00" in key
    ):
        raise _refuse(
            filepath,
            f"the weight_map key {key!r} is not a weights group path ('/vars' or "
            "'/<object path>/vars')",
        )


def read_index(filepath):
    """Reads and validates the index file `filepath`.

    Returns:
        `(weight_map, set_id)`: `{group path: tuple of shard names}` and the set id written
        by unikeras (None for files written by Keras 3).

    Raises:
        ValueError: for an index that is too large, not JSON, or not a valid index.
    """
    size = os.path.getsize(filepath)
    if size > MAX_INDEX_BYTES:
        raise _refuse(filepath, f"the index is {size} bytes (at most {MAX_INDEX_BYTES})")
    with open(filepath, "rb") as f:
        data = f.read(MAX_INDEX_BYTES + 1)
    try:
        index = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as e:
        raise _refuse(
            filepath, f"the index names {e.args[0]} more than once (readers could disagree)"
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise _refuse(filepath, f"the index is not valid JSON ({type(e).__name__})") from None
    if not isinstance(index, dict) or not isinstance(index.get("weight_map"), dict):
        raise _refuse(
            filepath, "the index is not a JSON object with a 'weight_map' object (not an index)"
        )
    metadata = index.get("metadata", {})
    if not isinstance(metadata, dict):
        raise _refuse(filepath, "the index's 'metadata' is not an object")
    total = metadata.get("total_size", 0)
    if (
        isinstance(total, bool)
        or not isinstance(total, (int, float))
        or not 0 <= total < float("inf")
    ):
        raise _refuse(filepath, f"the index's total_size {total!r} is not a size")
    set_id = metadata.get(_SET_ATTR)
    if set_id is not None and not isinstance(set_id, str):
        raise _refuse(filepath, f"the index's {_SET_ATTR} {set_id!r} is not a string")
    raw_map = index["weight_map"]
    if len(raw_map) > MAX_INDEX_ENTRIES:
        raise _refuse(
            filepath, f"the weight_map has {len(raw_map)} entries (at most {MAX_INDEX_ENTRIES})"
        )
    weight_map, shards = {}, set()
    for key, names in raw_map.items():
        _check_group_key(filepath, key)
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not names:
            raise _refuse(
                filepath, f"the weight_map entry {key!r} is not a shard name or a list of them"
            )
        for name in names:
            _check_shard_name(filepath, key, name)
        if len(set(names)) != len(names):
            raise _refuse(filepath, f"the weight_map entry {key!r} lists a shard twice")
        weight_map[key] = tuple(names)
        shards.update(names)
        if len(shards) > MAX_SHARDS:
            raise _refuse(filepath, f"the index lists more than {MAX_SHARDS} shards")
    return weight_map, set_id


class _ShardedReadEntry:
    """The `store` `load_own_variables` reads: an object's `vars` groups in one or more
    shards, seen as one (a key may be in one shard only). Each access fetches its shard from
    the reader, which keeps a bounded number of shards open."""

    def __init__(self, reader, names, path, max_bytes):
        self.reader = reader
        self.path = path
        self.max_bytes = max_bytes
        self.expected = {}
        self._where = {}  # key -> shard name
        for name in names:
            for key in reader._group(name, path).keys():
                if key in self._where:
                    raise ValueError(
                        f"The weights entry {_vars_path(path)}/{key} is in two shards "
                        f"({self._where[key]!r} and {name!r}); refusing the set (readers "
                        "could disagree on which one counts)."
                    )
                self._where[key] = name

    def _entry(self, key):
        if key not in self._where:
            raise ValueError(
                f"The weights file has no entry {_vars_path(self.path)}/{key} (missing)."
            )
        name = self._where[key]
        entry = H5Entry(self.reader._group(name, self.path), self.path, self.max_bytes)
        entry.expected = self.expected
        return name, entry

    def keys(self):
        return list(self._where)

    def __len__(self):
        return len(self._where)

    def __iter__(self):
        return iter(self.keys())

    def __contains__(self, key):
        return key in self._where

    def shape(self, key):
        """The stored shape of `key` (read from the file's metadata, not its data)."""
        return self._entry(key)[1].shape(key)

    def __getitem__(self, key):
        name, entry = self._entry(key)
        try:
            return entry[key]
        except ValueError as e:
            raise ValueError(f"{e} (in shard {name!r})") from None


class ShardedH5Reader:
    """Reads objects' variables from a validated index and its shards; each shard is
    opened and audited (`h5_audit`) before a value is read from it. Use as a context
    manager.

    Args:
        filepath: The index path.
    """

    def __init__(self, filepath):
        self.filepath = os.fspath(filepath)
        self.describe = repr(self.filepath)
        self.weight_map, self.set_id = read_index(self.filepath)
        self.folder = os.path.dirname(os.path.abspath(self.filepath))
        real_folder = os.path.realpath(self.folder)
        names = sorted({n for names in self.weight_map.values() for n in names})
        for name in names:
            path = os.path.join(self.folder, name)
            if os.path.dirname(os.path.realpath(path)) != real_folder:
                raise _refuse(
                    self.filepath,
                    f"the shard {name!r} is a link to a file outside the index's folder",
                )
            if not os.path.isfile(path):
                raise _refuse(
                    self.filepath,
                    f"the shard {name!r} listed in its weight_map is missing (expected "
                    f"next to the index, in {self.folder!r})",
                )
        self._open = OrderedDict()  # shard name -> h5py.File, most recent last

    def _shard(self, name):
        h5_file = self._open.get(name)
        if h5_file is not None:
            self._open.move_to_end(name)
            return h5_file
        from unikeras.saving.h5_audit import audit_h5_file

        path = os.path.join(self.folder, name)
        describe = f"shard {name!r} of {self.describe}"
        if not h5py.is_hdf5(path):
            raise ValueError(
                f"Cannot load {describe}: it is not an HDF5 weights file (or it is truncated)."
            )
        h5_file = h5py.File(path, "r")
        try:
            audit_h5_file(h5_file, describe)
            if self.set_id is not None:
                found = h5_file.attrs.get(_SET_ATTR)
                found = found.decode("utf-8", "replace") if isinstance(found, bytes) else found
                if found != self.set_id:
                    raise ValueError(
                        f"Cannot load {describe}: it belongs to another save than the index "
                        f"(set id {found!r}, the index has {self.set_id!r}); the set was "
                        "mixed with another save's files or a save was interrupted."
                    )
        except BaseException:
            h5_file.close()
            raise
        self._open[name] = h5_file
        while len(self._open) > _OPEN_SHARDS:
            self._open.popitem(last=False)[1].close()
        return h5_file

    def has(self, path):
        """Whether the index maps a `vars` group for `path`."""
        return f"/{_vars_path(path)}" in self.weight_map

    def _group(self, name, path):
        """The `vars` group of `path` in shard `name` (opened and audited if needed)."""
        key = f"/{_vars_path(path)}"
        group = self._shard(name).get(key)
        if not isinstance(group, h5py.Group):
            raise _refuse(
                self.filepath, f"the index maps {key!r} to shard {name!r}, which has no such group"
            )
        return group

    def entry(self, path, max_bytes=None):
        """The store of `path`, over every shard the index lists for it (empty if none)."""
        names = self.weight_map.get(f"/{_vars_path(path)}", ())
        return _ShardedReadEntry(self, names, path, max_bytes)

    def close(self):
        while self._open:
            self._open.popitem()[1].close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def load_sharded_weights(model, filepath, skip_mismatch=False, objects_to_skip=None):
    """Loads weights saved by `save_sharded_weights` (or Keras 3's sharded save) from the
    index `filepath` into `model`; all or nothing.

    Args:
        model: The model to fill.
        filepath: The `.weights.json` index.
        skip_mismatch: Skip (with a warning) layers whose stored weights do not match.
        objects_to_skip: Optional layers (or the optimizer) not loaded (they keep their
            values).

    Raises:
        ValueError: for an invalid index, a missing or refused shard, or weights that do
            not fit the model (the model is then unchanged).
    """
    from unikeras.saving import object_tree

    try:
        with ShardedH5Reader(filepath) as reader:
            object_tree.load_state(
                model, reader, skip_mismatch=skip_mismatch, objects_to_skip=objects_to_skip
            )
    except _READ_ERRORS as e:
        raise _refuse(
            os.fspath(filepath),
            f"a file of the set could not be read, it may be damaged ({type(e).__name__}: {e})",
        ) from None
