"""Audit of an HDF5 file before any value is read from it: nothing may come from outside.

Every reader of weights (`load_model`, `load_weights` on `.weights.h5` and `.keras` files,
`BackupAndRestore`, legacy `.h5` model and weights files) calls `audit_h5_file` on the
opened file first. The whole file is walked from the root, each link inspected *without following it*, and the
first feature outside the accepted set raises a `ValueError` naming the entry path and the
feature. Only after the audit passes is a single dataset value read.

Accepted, and why:

- Links: hard links only (the normal way an HDF5 file names its own groups and datasets).
  Soft links (a name resolved again at read time), external links (a group or dataset in
  another file) and user-defined link classes (resolved by callbacks the file cannot
  supply) are refused: Keras never writes them and each can point a read elsewhere.
- Objects: groups and datasets. Committed (named) datatypes are refused: Keras never
  writes them. The same object reached twice through hard links is refused too (cycles).
- Dataset storage layouts: compact (data in the object header), contiguous and chunked
  (data at addresses inside this file). Virtual datasets (VDS, data mapped from other
  datasets, possibly in other files) are refused, and so is any contiguous dataset with an
  external-storage list (`H5Pset_external`: raw data kept in other files on disk).
- Filters (chunked data): deflate (gzip), shuffle, Fletcher-32 checksums and h5py's LZF,
  the standard filters that only transform bytes already in the file. Any other filter id
  is refused: SZIP, N-bit and scale-offset are never written by Keras, and an unknown id
  would make HDF5 search `HDF5_PLUGIN_PATH` and load a shared library to decode it.
  A chunk may not be larger than the dataset's bound either, so decompression is bounded.
- Dataset datatypes: integers (1, 2, 4, 8 bytes), floats (2, 4, 8 bytes), h5py's bool
  convention (an 8-bit enum of FALSE/TRUE), and the 2-byte opaque type Keras 3 uses for
  bfloat16 (dataset attribute `dtype="bfloat16"`). Strings, compound, array, variable-length, reference (object and
  region references point at other objects and selections), other enums, bitfields, time
  and other opaque types are refused. A null dataspace (no shape) is refused.
- Attributes: strings, integers, floats (and bool) are accepted (Keras stores names,
  versions and configs as attributes); references, compound, variable-length sequences
  and opaque attributes are refused.
- Mounted files (`H5Fmount`) and file drivers (family, split, multi) are properties of a
  running program, not of a file: the loaders open each file themselves with the default
  driver and mount nothing, so a file cannot bring them in.

The walk is bounded (`MAX_OBJECTS` objects, `MAX_DEPTH` levels) so a hostile file cannot
make it run long.
"""

import h5py
import numpy as np
from h5py import h5d, h5l, h5o, h5t, h5z

MAX_OBJECTS = 200_000
MAX_DEPTH = 64
_MIN_CHUNK_BOUND = 2**20

_SAFE_FILTERS = {
    h5z.FILTER_DEFLATE: "deflate",
    h5z.FILTER_SHUFFLE: "shuffle",
    h5z.FILTER_FLETCHER32: "fletcher32",
    h5z.FILTER_LZF: "lzf",
}
_LAYOUT_NAMES = {
    h5d.COMPACT: "compact",
    h5d.CONTIGUOUS: "contiguous",
    h5d.CHUNKED: "chunked",
    h5d.VIRTUAL: "virtual (VDS)",
}
_TYPE_CLASS_NAMES = {
    h5t.INTEGER: "integer",
    h5t.FLOAT: "float",
    h5t.TIME: "time",
    h5t.STRING: "string",
    h5t.BITFIELD: "bitfield",
    h5t.OPAQUE: "opaque",
    h5t.COMPOUND: "compound",
    h5t.REFERENCE: "reference",
    h5t.ENUM: "enum",
    h5t.VLEN: "variable-length",
    h5t.ARRAY: "array",
}
_ATTRIBUTE_CLASSES = (h5t.INTEGER, h5t.FLOAT, h5t.STRING)


_OUTSIDE = "it could make reading take data from outside the file"
_UNUSED = "weights files hold only plain numeric datasets"


def _refuse(describe, path, feature, why=_OUTSIDE):
    return ValueError(
        f"Cannot load {describe}: the HDF5 entry {path!r} uses {feature}, "
        f"which is not allowed in a weights file ({why}). Refusing to read it."
    )


def _article(name):
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def type_class_name(tid):
    """A readable name for the class of the low-level datatype `tid`."""
    return _TYPE_CLASS_NAMES.get(tid.get_class(), f"type class {tid.get_class()}")


def _is_bool_enum(tid):
    """Whether `tid` is h5py's bool: an enum over an 8-bit integer of FALSE=0, TRUE=1."""
    if tid.get_class() != h5t.ENUM or tid.get_size() != 1 or tid.get_nmembers() != 2:
        return False
    members = {tid.get_member_name(i): tid.get_member_value(i) for i in range(2)}
    return members == {b"FALSE": 0, b"TRUE": 1}


def dataset_type_problem(tid, is_bfloat16):
    """None when a dataset of low-level type `tid` holds plain numbers, else the feature
    (e.g. `"a string datatype"`) that makes it unreadable as weights."""
    cls = tid.get_class()
    if cls == h5t.INTEGER and tid.get_size() in (1, 2, 4, 8):
        return None
    if cls == h5t.FLOAT and tid.get_size() in (2, 4, 8):
        return None
    if cls in (h5t.INTEGER, h5t.FLOAT):
        return f"a {tid.get_size()}-byte {type_class_name(tid)} datatype (no NumPy equivalent)"
    if _is_bool_enum(tid):
        return None
    if cls == h5t.OPAQUE and is_bfloat16 and tid.get_size() == 2:
        return None
    return _article(f"{type_class_name(tid)} datatype")


def _has_bfloat16_attr(obj):
    try:
        value = obj.attrs.get("dtype")
    except (OSError, TypeError, ValueError, KeyError):
        return False
    return value in ("bfloat16", b"bfloat16")


def _audit_attributes(obj, path, describe):
    for i in range(h5py.h5a.get_num_attrs(obj.id)):
        attr = h5py.h5a.open(obj.id, index=i)
        name = attr.get_name().decode("utf-8", "replace")
        tid = attr.get_type()
        if tid.get_class() in _ATTRIBUTE_CLASSES or _is_bool_enum(tid):
            continue
        if tid.get_class() == h5t.VLEN and tid.get_super().get_class() == h5t.STRING:
            continue
        why = _OUTSIDE if tid.get_class() == h5t.REFERENCE else _UNUSED
        raise _refuse(
            describe,
            f"{path} (attribute {name!r})",
            _article(f"{type_class_name(tid)} attribute"),
            why,
        )


def _audit_dataset(dataset, path, describe, max_bytes):
    dcpl = dataset.id.get_create_plist()
    layout = dcpl.get_layout()
    if layout not in (h5d.COMPACT, h5d.CONTIGUOUS, h5d.CHUNKED):
        raise _refuse(
            describe, path, f"the {_LAYOUT_NAMES.get(layout, str(layout))} storage layout"
        )
    if dcpl.get_external_count():
        raise _refuse(describe, path, "external storage (raw data kept in other files)")
    if layout == h5d.CHUNKED:
        for i in range(dcpl.get_nfilters()):
            code = dcpl.get_filter(i)[0]
            if code not in _SAFE_FILTERS:
                name = dcpl.get_filter(i)[3]
                name = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
                raise _refuse(
                    describe,
                    path,
                    f"the HDF5 filter {code} ({name!r})",
                    f"only the filters {sorted(_SAFE_FILTERS.values())} are "
                    "accepted; others may load shared libraries to decode",
                )
    tid = dataset.id.get_type()
    problem = dataset_type_problem(tid, _has_bfloat16_attr(dataset))
    if problem is not None:
        why = _OUTSIDE if tid.get_class() == h5t.REFERENCE else _UNUSED
        raise _refuse(describe, path, problem, why)
    if dataset.id.get_space().get_simple_extent_type() == h5py.h5s.NULL:
        raise _refuse(describe, path, "a null dataspace (no shape)", _UNUSED)
    size = int(np.prod(dataset.shape, dtype=np.int64)) * tid.get_size()
    if max_bytes is not None and size > max_bytes:
        raise ValueError(
            f"Cannot load {describe}: the HDF5 entry {path!r} (shape "
            f"{dataset.shape}) holds {size} bytes, more than anything the "
            f"model could hold ({max_bytes} bytes)."
        )
    if layout == h5d.CHUNKED:
        chunk_size = int(np.prod(dcpl.get_chunk(), dtype=np.int64)) * tid.get_size()
        if chunk_size > max(size, _MIN_CHUNK_BOUND):
            raise _refuse(
                describe,
                path,
                f"chunks of {chunk_size} bytes, larger than the dataset itself ({size} bytes)",
                "reading must stay bounded",
            )


def audit_h5_file(h5_file, describe="the weights file", max_bytes=None):
    """Walks all of `h5_file` and raises `ValueError` at the first feature that could read
    data from outside the file, or that weights never use (see the module docstring).

    Args:
        h5_file: An open `h5py.File`.
        describe: How error messages name the file (e.g. its path).
        max_bytes: When given, the largest dataset (decompressed) accepted.

    Raises:
        ValueError: naming the entry path and the refused feature.
    """
    root = h5_file["/"]
    seen = {h5o.get_info(root.id).addr}
    _audit_attributes(root, "/", describe)
    stack = [(root, "", 0)]
    while stack:
        group, prefix, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _refuse(describe, prefix, f"groups nested over {MAX_DEPTH} deep", _UNUSED)
        names = []
        group.id.links.iterate(names.append)
        for raw in names:
            name = raw.decode("utf-8", "replace")
            path = f"{prefix}/{name}"
            kind = group.id.links.get_info(raw).type
            if kind == h5l.TYPE_SOFT:
                raise _refuse(describe, path, "a soft link")
            if kind == h5l.TYPE_EXTERNAL:
                raise _refuse(describe, path, "an external link (to another file)")
            if kind != h5l.TYPE_HARD:
                raise _refuse(describe, path, f"a user-defined link (link class {kind})")
            obj_id = h5o.open(group.id, raw)
            key = h5o.get_info(obj_id).addr
            if key in seen:
                raise _refuse(
                    describe,
                    path,
                    "an object reached by more than one hard link",
                    "an alias can stand in for another entry, or form a cycle",
                )
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise _refuse(
                    describe, path, f"more than {MAX_OBJECTS} objects", "reading must stay bounded"
                )
            if isinstance(obj_id, h5py.h5g.GroupID):
                child = h5py.Group(obj_id)
                _audit_attributes(child, path, describe)
                stack.append((child, path, depth + 1))
            elif isinstance(obj_id, h5py.h5d.DatasetID):
                dataset = h5py.Dataset(obj_id)
                _audit_attributes(dataset, path, describe)
                _audit_dataset(dataset, path, describe, max_bytes)
            else:
                raise _refuse(describe, path, "a committed (named) datatype", _UNUSED)
