"""Where each object's state goes in a weights file and an assets folder, in Keras 3's layout.

The model is walked like Keras 3 does: a `Functional` or `Sequential` model's layers first
(as `layers/<snake_case class name>`, numbered `_1`, `_2`, ... for repeats), then the
layer-valued instance attributes in name order, private (`_`) ones after public ones (a list,
tuple or dict attribute becomes a folder, e.g. `blocks/dense_1`, and a container inside it
`container`, `container_1`, ...), each object once, at the first path reached. The optimizer
is stored at `optimizer`. The walk depends only on the model's structure, never on generated
names, so it is the same on every backend and for every copy of a model.

Each layer saves itself through Keras 3's protocol: `save_own_variables(store)` /
`load_own_variables(store)` for its variables, `save_assets(dir)` / `load_assets(dir)` for
other files (folder `<assets root>/<path>`).
"""

import functools
import os
import warnings

from unikeras.layers.layer import Layer
from unikeras.ops.operation import to_snake_case
from unikeras.optimizers.base_optimizer import Optimizer

OPTIMIZER_PATH = "optimizer"
# Attributes of models that hold the same layers under another name (Keras 3 skips them too).
_SKIPPED = {"_operations", "_functional", "_stack", "_tracked"}
_MIN_READ_BUDGET = 16 * 2**20


@functools.lru_cache(maxsize=None)
def _reference_attributes():
    """Attribute names every layer has (bookkeeping, never state of its own), plus those
    through which models reach the same layers again: the walk skips them, like Keras 3."""
    return frozenset(dir(Layer(name="saving_reference"))) | _SKIPPED


def _sort_key(name):
    return f"~{name}" if name.startswith("_") else name


def _join(path, name):
    return f"{path}/{name}" if path else name


def _is_class_attribute(obj, name):
    return any(name in vars(klass) for klass in type(obj).__mro__)


def _children(layer):
    """`(attribute name, value)` for the sublayers and containers of sublayers of `layer`."""
    # Functional and sequential models list their whole graph in `layers` (they declare it
    # with the class attribute `_built_by_config`; saving imports no model class).
    if getattr(type(layer), "_built_by_config", False):
        yield "layers", layer.layers
    skipped = _reference_attributes()
    for name in sorted(dir(layer), key=_sort_key):
        if name.startswith("__") or name in skipped or _is_class_attribute(layer, name):
            continue
        try:
            value = getattr(layer, name)
        except Exception:  # noqa: BLE001 - an attribute that cannot be read holds no state
            continue
        if isinstance(value, (Layer, list, tuple, dict)):
            yield name, value


def _walk(layer, path, visited):
    if id(layer) in visited:
        return
    visited.add(id(layer))
    yield path, layer
    for name, child in _children(layer):
        if isinstance(child, Layer):
            yield from _walk(child, _join(path, name), visited)
        else:
            yield from _walk_container(child, _join(path, name), visited, set())


def _walk_container(container, path, visited, seen_containers):
    if id(container) in seen_containers:
        return
    seen_containers.add(id(container))
    used = {}

    def unique(name):
        used[name] = used.get(name, -1) + 1
        return f"{name}_{used[name]}" if used[name] else name

    for item in container.values() if isinstance(container, dict) else container:
        if isinstance(item, Layer):
            yield from _walk(item, _join(path, unique(to_snake_case(type(item).__name__))), visited)
        elif isinstance(item, (list, tuple, dict)):
            yield from _walk_container(
                item, _join(path, unique("container")), visited, seen_containers
            )


def layer_paths(model, objects_to_skip=None):
    """`(path, layer)` for the model and every layer in it, each layer once.

    Args:
        model: The root layer or model.
        objects_to_skip: Optional layers left out, with the layers reached only through
            them (Keras 3's `objects_to_skip`).
    """
    return list(_walk(model, "", {id(obj) for obj in objects_to_skip or ()}))


def model_optimizer(model):
    """The model's optimizer when it is a unikeras `Optimizer`, else None."""
    optimizer = getattr(model, "optimizer", None)
    return optimizer if isinstance(optimizer, Optimizer) else None


def asset_folder(root, path):
    """The folder of the object at `path` under the assets folder `root`.

    Raises:
        ValueError: when `path` would leave `root`.
    """
    root = os.path.realpath(root)
    folder = os.path.realpath(os.path.join(root, path)) if path else root
    if os.path.commonpath([root, folder]) != root:
        raise ValueError(f"Invalid asset path {path!r}: it escapes the assets folder.")
    return folder


def _saveables(model, include_optimizer, objects_to_skip=None):
    """`(path, object)` for every object that saves state: layers, then the optimizer;
    without the objects in `objects_to_skip` (and the layers reached only through them)."""
    found = layer_paths(model, objects_to_skip)
    optimizer = model_optimizer(model)
    skipped = {id(obj) for obj in objects_to_skip or ()}
    if include_optimizer and optimizer is not None and id(optimizer) not in skipped:
        found.append((OPTIMIZER_PATH, optimizer))
    return found


def save_state(model, writer, assets_dir=None, include_optimizer=True, objects_to_skip=None):
    """Saves every layer of `model` (and its built optimizer) through `save_own_variables`
    into `writer`'s file, and, when `assets_dir` is given, `save_assets` into folders under
    it; the objects in `objects_to_skip` (and the layers reached only through them) are not
    saved."""
    for path, obj in _saveables(model, include_optimizer, objects_to_skip):
        if isinstance(obj, Optimizer) and not obj.built:
            continue
        obj.save_own_variables(writer.entry(path, name=obj.name))
        if assets_dir is not None and isinstance(obj, Layer):
            folder = asset_folder(assets_dir, path)
            os.makedirs(folder, exist_ok=True)
            obj.save_assets(folder)


def _state_variables(model):
    variables = list(model.weights)
    optimizer = model_optimizer(model)
    if optimizer is not None:
        variables += optimizer.variables
    return variables


def load_state(
    model,
    reader,
    skip_mismatch=False,
    include_optimizer=True,
    assets_dir=None,
    objects_to_skip=None,
):
    """Loads every layer of `model` (and its optimizer) through `load_own_variables` from
    `reader`, and `load_assets` from `assets_dir` when given; all or nothing.

    The variables' values are kept before loading and restored if any object fails, so a
    failure leaves the model unchanged. The optimizer (built here if needed) warns and keeps
    its state when the file's does not match, as in Keras 3.

    Args:
        model: The model to fill.
        reader: An `H5Reader` (or `sharded.ShardedH5Reader`).
        skip_mismatch: Skip (with a warning) layers whose stored weights do not match
            instead of raising.
        include_optimizer: Whether to restore the optimizer's variables.
        assets_dir: Folder holding the archive's `assets/` tree, or None.
        objects_to_skip: Optional layers (or the optimizer) not loaded: they, and the
            layers reached only through them, keep their values.

    Raises:
        ValueError: naming the layer and the problem, for missing or mismatched weights.
    """
    optimizer = model_optimizer(model)
    if (
        include_optimizer
        and optimizer is not None
        and not optimizer.built
        and reader.has(OPTIMIZER_PATH)
    ):
        optimizer.build(model.trainable_variables)
    variables = _state_variables(model)
    before = [v.numpy() for v in variables]
    budget = max(sum(value.nbytes for value in before), _MIN_READ_BUDGET)
    try:
        for path, obj in _saveables(model, include_optimizer, objects_to_skip):
            _load_object(obj, path, reader, budget, skip_mismatch, assets_dir)
    except BaseException:
        for variable, value in zip(variables, before):
            variable.assign(value)
        raise


def _load_object(obj, path, reader, budget, skip_mismatch, assets_dir):
    store = reader.entry(path, max_bytes=budget)
    store.expected = _expected_shapes(obj)
    if isinstance(obj, Optimizer):
        if reader.has(path) and _optimizer_store_matches(obj, store):
            obj.load_own_variables(store)
        return
    try:
        obj.load_own_variables(store)
    except ValueError as e:
        if not skip_mismatch:
            raise
        warnings.warn(f"Skipping loading weights of layer {obj.name!r}: {e}", stacklevel=4)
    if assets_dir is not None:
        folder = asset_folder(assets_dir, path)
        obj.load_assets(folder if os.path.isdir(folder) else None)


def _expected_shapes(obj):
    """`{key: shape}` of the variables `obj` loads with the default protocol (values of any
    other shape are refused before they are read); `{}` for objects with their own."""
    if isinstance(obj, Optimizer):
        if type(obj).load_own_variables is not Optimizer.load_own_variables:
            return {}
        return {str(i): tuple(v.shape) for i, v in enumerate(obj.variables)}
    if type(obj).load_own_variables is not Layer.load_own_variables:
        return {}
    return {str(i): tuple(v.shape) for i, v in enumerate(obj._saved_variables())}


def _optimizer_store_matches(optimizer, store):
    """False (with a warning) when the stored shapes differ from the optimizer's variables;
    the optimizer then keeps its state, as Keras 3 does when the counts differ (which its
    `load_own_variables` reports itself)."""
    variables = optimizer.variables
    if len(store) != len(variables):
        return True
    for i, variable in enumerate(variables):
        shape = store.shape(str(i)) if str(i) in store else None
        if shape != tuple(variable.shape):
            warnings.warn(
                f"Skipping loading the state of optimizer {optimizer.name!r}: "
                f"variable {i} ({variable.path!r}) has shape "
                f"{tuple(variable.shape)}, the file holds shape {shape}.",
                stacklevel=5,
            )
            return False
    return True
