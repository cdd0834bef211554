"""Where each variable of a model goes in a weights file, in Keras 3's layout.

The model is walked like Keras 3 does: a `Functional` or `Sequential` model's layers first
(as `layers/<snake_case class name>`, numbered `_1`, `_2`, ... for repeats), then the
layer-valued public attributes in natural name order (a list or dict attribute becomes a
folder, e.g. `blocks/dense_1`), each object once, at the first path reached. The optimizer
is stored at `optimizer`. The walk depends only on the model's structure, never on
generated names, so it is the same on every backend and for every copy of a model.
"""

import re
import warnings

from unikeras.layers.layer import Layer
from unikeras.ops.operation import to_snake_case
from unikeras.optimizers.base_optimizer import Optimizer

OPTIMIZER_PATH = "optimizer"


def _natural_key(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _join(path, name):
    return f"{path}/{name}" if path else name


def _is_class_attribute(obj, name):
    return any(name in vars(klass) for klass in type(obj).__mro__)


def _children(layer):
    """`(attribute name, value)` for the sublayers and containers of sublayers of `layer`."""
    from unikeras.models.functional import Functional
    from unikeras.models.sequential import Sequential

    if isinstance(layer, (Functional, Sequential)):
        yield "layers", layer.layers
    for name in sorted(dir(layer), key=_natural_key):
        if (name.startswith("_") and name != "_layers") or _is_class_attribute(layer, name):
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
            continue
        items = child.values() if isinstance(child, dict) else child
        used = {}
        for item in items:
            if not isinstance(item, Layer):
                continue
            item_name = to_snake_case(type(item).__name__)
            used[item_name] = used.get(item_name, -1) + 1
            suffix = f"_{used[item_name]}" if used[item_name] else ""
            yield from _walk(item, _join(_join(path, name), item_name + suffix), visited)


def layer_paths(model):
    """`(path, layer)` for the model and every layer in it, each layer once."""
    return list(_walk(model, "", set()))


def own_variables(obj):
    """The variables an object stores under its own path, in file order."""
    if isinstance(obj, Optimizer):
        return obj.variables
    own = obj._own_weights()
    return [v for v in own if v.trainable] + [v for v in own if not v.trainable]


def model_optimizer(model):
    """The model's optimizer when it is a unikeras `Optimizer`, else None."""
    optimizer = getattr(model, "optimizer", None)
    return optimizer if isinstance(optimizer, Optimizer) else None


def save_state(model, writer, include_optimizer=True):
    """Writes every variable of `model` (and of its built optimizer) with `writer`."""
    for path, layer in layer_paths(model):
        variables = own_variables(layer)
        if variables:
            writer.write(path, [v.numpy() for v in variables], name=layer.name)
    optimizer = model_optimizer(model)
    if include_optimizer and optimizer is not None and optimizer.built:
        writer.write(OPTIMIZER_PATH, [v.numpy() for v in optimizer.variables],
                     name=optimizer.name)


def load_state(model, reader, skip_mismatch=False, include_optimizer=True):
    """Reads every variable of `model` from `reader`, all or nothing.

    Every value is read and checked first; variables are assigned only when all of them
    match, so a failure leaves the model unchanged. Optimizer state is restored when the
    file has some and the model has an optimizer (built here if needed); when its variables
    do not match the file it is skipped with a warning, as in Keras 3.

    Args:
        model: The model to fill.
        reader: An `H5Reader`.
        skip_mismatch: Skip (with a warning) layers whose stored weights do not match
            instead of raising.
        include_optimizer: Whether to restore the optimizer's variables.

    Raises:
        ValueError: naming the layer and the problem, for missing or mismatched weights.
    """
    assignments = []
    for path, layer in layer_paths(model):
        variables = own_variables(layer)
        try:
            values = reader.read(path, variables)
        except ValueError as e:
            if not skip_mismatch:
                raise
            warnings.warn(f"Skipping loading weights of layer {layer.name!r}: {e}",
                          stacklevel=3)
            continue
        assignments.extend(zip(variables, values))
    if include_optimizer:
        assignments.extend(_optimizer_assignments(model, reader))
    for variable, value in assignments:
        variable.assign(value)


def _optimizer_assignments(model, reader):
    optimizer = model_optimizer(model)
    if optimizer is None or not reader.has(OPTIMIZER_PATH):
        return []
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    try:
        return list(zip(optimizer.variables,
                        reader.read(OPTIMIZER_PATH, optimizer.variables)))
    except ValueError as e:
        warnings.warn(f"Skipping loading the state of optimizer {optimizer.name!r}: {e}",
                      stacklevel=4)
        return []
