"""`keras.saving.KerasFileEditor`: inspect, edit and resave the weights of a `.keras` or
`.weights.h5` file.

Files are read only through the defensive readers of `saving`: the `.keras` zip through
`Archive` (member names, sizes, duplicates checked), the HDF5 weights through
`saving_lib._open_h5` (the whole file audited first) and `H5Entry` (each dataset's type and
size checked before its data is read). Nothing from the file is executed.
"""

import tempfile

import numpy as np

from unikeras.backend import global_state
from unikeras.saving import object_tree, saving_lib
from unikeras.saving.archive import Archive, atomic_write
from unikeras.saving.h5_store import H5Entry, H5Writer, _to_numpy

_ROOT_VARS = "vars"  # the key of the root object's own variables (as Keras 3 shows them)


def _is_group(value):
    import h5py

    return isinstance(value, h5py.Group)


class KerasFileEditor:
    """Utility to inspect, edit, and resave Keras weights files.

    You will find this class useful when adapting an old saved weights file after having
    made architecture changes to a model.

    The weights are held in `editor.weights_dict`, a nested dict mirroring the file's
    object paths (e.g. `weights_dict["layers"]["dense"]["0"]` is the kernel of layer
    `dense`), with NumPy arrays as leaves.

    Args:
        filepath: The path to a local file to inspect and edit (`.keras` or
            `.weights.h5`).

    Examples:
        ```python
        editor = KerasFileEditor("my_model.weights.h5")

        # Displays current contents
        editor.summary()

        # Remove the weights of an existing layer
        editor.delete_object("layers/dense_2")

        # Add the weights of a new layer
        editor.add_object("layers/einsum_dense", weights={"0": ..., "1": ...})

        # Save the weights of the edited model
        editor.resave_weights("edited_model.weights.h5")
        ```
    """

    def __init__(self, filepath):
        self.filepath = str(filepath)
        self.metadata = None
        self.config = None
        self.model = None
        self.object_metadata = {}  # {"layers/dense": {"name": "dense"}}
        if self.filepath.endswith(".keras"):
            with (
                Archive(self.filepath, required=(saving_lib.WEIGHTS_FILENAME,)) as archive,
                tempfile.TemporaryDirectory() as folder,
            ):
                if archive.has(saving_lib.CONFIG_FILENAME):
                    self.config = archive.read_json(saving_lib.CONFIG_FILENAME)
                if archive.has(saving_lib.METADATA_FILENAME):
                    self.metadata = archive.read_json(saving_lib.METADATA_FILENAME)
                weights_path = archive.extract(saving_lib.WEIGHTS_FILENAME, folder)
                self.weights_dict = self._read(weights_path)
        elif self.filepath.endswith(".weights.h5"):
            self.weights_dict = self._read(self.filepath)
        else:
            raise ValueError(
                "Invalid filename: expected a `.keras` `.weights.h5` extension. "
                f"Received: filepath={self.filepath}"
            )
        global_state.print_msg(f"Keras model file '{self.filepath}'")
        if isinstance(self.metadata, dict):
            global_state.print_msg(
                f"Saved with Keras {self.metadata.get('keras_version')} - date: "
                f"{self.metadata.get('date_saved')}"
            )

    # --- reading ---------------------------------------------------------------------------
    def _read(self, path):
        with saving_lib._open_h5(path, repr(self.filepath)) as reader:
            return self._read_group(reader.h5_file, "", root=True)

    def _read_group(self, group, path, root=False):
        """Nested dict of a group: its `vars` datasets (read through `H5Entry`) merged with
        its child objects; the root's own variables go under the key `"vars"`."""
        result = {}
        for key in group.keys():
            child = group[key]
            if not _is_group(child):
                continue  # only `vars` groups hold datasets in the layout
            child_path = f"{path}/{key}" if path else key
            if key == "vars" and not root:
                continue  # read below as this object's own variables
            if key == "vars":
                own = self._read_vars(child, "")
                if own:
                    result[_ROOT_VARS] = own
                continue
            value = self._read_group(child, child_path)
            if value:
                result[key] = value
        if not root and "vars" in group and _is_group(group["vars"]):
            own = self._read_vars(group["vars"], path)
            result = {**own, **result}
        return result

    def _read_vars(self, vars_group, path):
        name = vars_group.attrs.get("name")
        if name is not None:
            if isinstance(name, bytes):
                name = name.decode("utf-8", "replace")
            self.object_metadata[path] = {"name": str(name)}
        entry = H5Entry(vars_group, path)
        return {key: entry[key] for key in vars_group.keys() if not _is_group(vars_group[key])}

    # --- inspecting ------------------------------------------------------------------------
    def summary(self):
        """Prints the weight structure of the opened file."""
        global_state.print_msg("Weights structure")
        for line in self._structure_lines(self.weights_dict, "", ""):
            global_state.print_msg(line)

    def _structure_lines(self, weights_dict, prefix, path):
        items = list(weights_dict.items())
        for index, (key, value) in enumerate(items):
            last = index == len(items) - 1
            connector = "└─ " if last else "├─ "
            child_path = f"{path}/{key}" if path else key
            if isinstance(value, dict):
                label = f"{prefix}{connector}{key}"
                name = self.object_metadata.get(child_path, {}).get("name")
                if name is not None:
                    label += f" ('{name}')"
                yield label
                yield from self._structure_lines(
                    value, prefix + ("    " if last else "│   "), child_path
                )
            else:
                yield (
                    f"{prefix}{connector}{key}: shape={_shape_of(value)}, "
                    f"dtype={np.asarray(value).dtype}"
                )

    def compare(self, reference_model):
        """Compares the opened file to a reference model.

        This method lists all mismatches between the currently opened file and the provided
        reference model: objects or weights present in one and missing from the other, and
        weights of another shape.

        Args:
            reference_model: Model instance to compare to.

        Returns:
            Dict with the keys `'status'` (`'success'` or `'error'`), `'error_count'` (the
            number of mismatches found) and `'match_count'` (the number of matching weights).
        """
        global_state.print_msg("Running comparison")
        reference = _weight_spec(reference_model)
        checked = set()
        errors, matches = self._compare(
            self.weights_dict, reference, "", "saved file", "reference model", checked
        )
        reverse_errors, _ = self._compare(
            reference, self.weights_dict, "", "reference model", "saved file", checked
        )
        errors += reverse_errors
        global_state.print_msg("─────────────────────")
        if errors == 0:
            global_state.print_msg(
                "Comparison successful: saved file is compatible with the reference model"
            )
            global_state.print_msg(
                f"    Found {matches} matching weight{'' if matches == 1 else 's'}"
            )
        else:
            global_state.print_msg(
                f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not "
                "compatible with the reference model"
            )
        return {
            "status": "success" if errors == 0 else "error",
            "error_count": errors,
            "match_count": matches,
        }

    def _compare(self, target, reference, path, target_name, reference_name, checked):
        errors = matches = 0
        for key, ref_value in reference.items():
            inner = f"{path}/{key}"
            if inner in checked:
                continue
            if key not in target:
                errors += 1
                checked.add(inner)
                kind = "Object" if isinstance(ref_value, dict) else "Weight"
                global_state.print_msg(
                    f"...{kind} {inner} present in {reference_name}, missing from {target_name}"
                )
                if isinstance(ref_value, dict):
                    global_state.print_msg(
                        f"    In {reference_name}, {inner} contains the "
                        f"following keys: {list(ref_value)}"
                    )
            elif isinstance(ref_value, dict):
                if not isinstance(target[key], dict):
                    errors += 1
                    checked.add(inner)
                    global_state.print_msg(
                        f"...{inner} is an object in {reference_name} but a weight in {target_name}"
                    )
                    continue
                sub_errors, sub_matches = self._compare(
                    target[key], ref_value, inner, target_name, reference_name, checked
                )
                errors += sub_errors
                matches += sub_matches
            elif isinstance(target[key], dict) or _shape_of(target[key]) != _shape_of(ref_value):
                errors += 1
                checked.add(inner)
                global_state.print_msg(
                    f"...Weight shape mismatch for {inner}\n    In {reference_name}: "
                    f"shape={_shape_of(ref_value)}\n    In {target_name}: "
                    f"shape={_shape_of(target[key])}"
                )
            else:
                matches += 1
        return errors, matches

    # --- editing ---------------------------------------------------------------------------
    def _edit_object(self, edit_fn, source_name, target_name=None):
        if target_name is not None and "/" in target_name:
            raise ValueError(
                "Argument `target_name` should be a leaf name, not a full path name. "
                f"Received: target_name='{target_name}'"
            )
        if "/" in source_name:
            parts = source_name.split("/")
            node = self.weights_dict
            for part in parts[:-1]:
                if not isinstance(node, dict) or part not in node:
                    raise ValueError(f"Path '{source_name}' not found in model.")
                node = node[part]
            if not isinstance(node, dict) or parts[-1] not in node:
                raise ValueError(f"Path '{source_name}' not found in model.")
            edit_fn(node, parts[-1], target_name)
            return
        holders = []

        def find(node):
            for value in node.values():
                if isinstance(value, dict):
                    find(value)
            if source_name in node:
                holders.append(node)

        find(self.weights_dict)
        if len(holders) > 1:
            raise ValueError(
                f"Name '{source_name}' occurs more than once in the model; try "
                "passing a complete path"
            )
        if not holders:
            raise ValueError(
                f"Source name '{source_name}' does not appear in the model. Use "
                "`editor.summary()` to list all objects."
            )
        edit_fn(holders[0], source_name, target_name)

    def rename_object(self, object_name, new_name):
        """Rename an object in the file (e.g. a layer).

        Args:
            object_name: String, name or path of the object to rename (e.g. `"dense_2"` or
                `"layers/dense_2"`).
            new_name: String, new name of the object.
        """

        def rename(node, source, target):
            node[target] = node.pop(source)

        self._edit_object(rename, object_name, new_name)

    def delete_object(self, object_name):
        """Removes an object from the file (e.g. a layer).

        Args:
            object_name: String, name or path of the object to delete (e.g. `"dense_2"` or
                `"layers/dense_2"`).
        """
        self._edit_object(lambda node, source, target: node.pop(source), object_name)

    def add_object(self, object_path, weights):
        """Add a new object to the file (e.g. a layer).

        Args:
            object_path: String, full path of the object to add (e.g. `"layers/dense_2"`).
            weights: Dict mapping weight names to weight values (arrays), e.g.
                `{"0": kernel_value, "1": bias_value}`.
        """
        weights = _check_weights(weights)
        parts = object_path.split("/")
        node = self.weights_dict
        for part in parts[:-1]:
            if not isinstance(node, dict) or part not in node:
                raise ValueError(f"Path '{'/'.join(parts[:-1])}' not found in model.")
            node = node[part]
        node[parts[-1]] = weights

    def delete_weight(self, object_name, weight_name):
        """Removes a weight from an existing object.

        Args:
            object_name: String, name or path of the object from which to remove the weight
                (e.g. `"dense_2"` or `"layers/dense_2"`).
            weight_name: String, name of the weight to delete (e.g. `"0"`).
        """

        def delete(node, source, target):
            if not isinstance(node[source], dict) or weight_name not in node[source]:
                found = list(node[source]) if isinstance(node[source], dict) else []
                raise ValueError(
                    f"Weight {weight_name} not found in object {object_name}. "
                    f"Weights found: {found}"
                )
            node[source].pop(weight_name)

        self._edit_object(delete, object_name)

    def add_weights(self, object_name, weights):
        """Add one or more new weights to an existing object.

        Args:
            object_name: String, name or path of the object to add the weights to (e.g.
                `"dense_2"` or `"layers/dense_2"`).
            weights: Dict mapping weight names to weight values (arrays), e.g.
                `{"0": kernel_value, "1": bias_value}`.
        """
        weights = _check_weights(weights)

        def add(node, source, target):
            if not isinstance(node[source], dict):
                raise ValueError(f"'{object_name}' is a weight, not an object.")
            node[source].update(weights)

        self._edit_object(add, object_name)

    # --- saving ----------------------------------------------------------------------------
    def save(self, filepath):
        """Save the edited weights file.

        Args:
            filepath: Path to save the file to. Must be a `.weights.h5` file.
        """
        filepath = str(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError(
                "Invalid `filepath` argument: expected a `.weights.h5` "
                f"extension. Received: filepath={filepath}"
            )
        atomic_write(filepath, self._write)

    def _write(self, path):
        import h5py

        with h5py.File(path, "w") as f:
            writer = H5Writer(f)
            for key, value in self.weights_dict.items():
                if key == _ROOT_VARS and isinstance(value, dict):
                    self._write_object(writer, "", value, root_vars=True)
                elif isinstance(value, dict):
                    self._write_object(writer, key, value)
                else:
                    writer.entry("")[key] = np.asarray(value)

    def _write_object(self, writer, path, node, root_vars=False):
        leaves = {k: v for k, v in node.items() if not isinstance(v, dict)}
        if leaves:
            entry = writer.entry(path, name=self.object_metadata.get(path, {}).get("name"))
            for key, value in leaves.items():
                entry[key] = np.asarray(value)
        if root_vars:
            return
        for key, value in node.items():
            if isinstance(value, dict) and value:
                self._write_object(writer, f"{path}/{key}", value)

    def resave_weights(self, filepath):
        """Same as `save(filepath)`: writes the edited weights to a `.weights.h5` file."""
        self.save(filepath)


def _check_weights(weights):
    if not isinstance(weights, dict):
        raise ValueError(
            "Argument `weights` should be a dict where keys are weight names (usually '0', "
            f"'1', etc.) and values are NumPy arrays. Received: type(weights)={type(weights)}"
        )
    return {str(k): np.asarray(v) for k, v in weights.items()}


def _shape_of(value):
    shape = getattr(value, "shape", None)
    return tuple(shape) if shape is not None else tuple(np.shape(value))


class _Spec:
    """The shape and dtype of one weight of the reference model."""

    def __init__(self, shape, dtype):
        self.shape, self.dtype = tuple(shape), dtype


class _SpecEntry(dict):
    """A `store` for `save_own_variables` that keeps only each value's shape and dtype."""

    def __setitem__(self, key, value):
        array = _to_numpy(value)
        super().__setitem__(key, _Spec(array.shape, array.dtype))


class _SpecWriter:
    def __init__(self):
        self.entries = {}

    def entry(self, path, name=None):
        return self.entries.setdefault(path, _SpecEntry())


def _weight_spec(model):
    """The nested dict of weight shapes `model` would save, in the file's layout."""
    writer = _SpecWriter()
    object_tree.save_state(model, writer)
    spec = {}
    for path, entry in writer.entries.items():
        if not entry:
            continue
        if path == "":
            spec.setdefault(_ROOT_VARS, {}).update(entry)
            continue
        node = spec
        for part in path.split("/"):
            node = node.setdefault(part, {})
        node.update(entry)
    return spec
