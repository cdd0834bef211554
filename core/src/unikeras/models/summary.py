"""`model.summary()`: Keras 3's boxed table of layers, output shapes and parameter counts.

The layout is Keras 3's (which renders with `rich`): a title line `Model: "name"`, a table
drawn with box characters (heavy header), one row per layer with the text wrapped at word
boundaries inside its column (a word too long for the column is cut with `…`), a "Connected
to" column for functional models that are not a plain chain, then the parameter totals with
their memory size. Column widths come from `line_length` and `positions` the way Keras
computes them, and lines are cut at the terminal's width as Keras' console does. Plain text
only: no colours.
"""

import math
import re
import shutil

from unikeras.backend import dtypes
from unikeras.backend.global_state import print_msg
from unikeras.ops.node import _history_node

# Bits per element, as Keras counts them for the memory sizes.
_DTYPE_BITS = {
    **{f"float{i}": i for i in (16, 32, 64)},
    **{f"int{i}": i for i in (8, 16, 32, 64)},
    **{f"uint{i}": i for i in (8, 16, 32, 64)},
    "bfloat16": 16,
    "bool": 1,
}

# Box characters: top, header row, header separator, body row, row separator, bottom.
_TOP = ("┏", "━", "┳", "┓")
_HEAD = ("┃", "┃", "┃")
_HEAD_RULE = ("┡", "━", "╇", "┩")
_ROW = ("│", "│", "│")
_RULE = ("├", "─", "┼", "┤")
_BOTTOM = ("└", "─", "┴", "┘")

_WORD = re.compile(r"\s*\S+\s*")


def count_params(weights):
    """The number of scalars in `weights`."""
    return int(sum(math.prod(w.shape) for w in weights))


def weight_memory_size(weights):
    """The memory taken by `weights` (each counted once) in bytes."""
    unique = {id(w): w for w in weights}.values()
    bits = 0
    for w in unique:
        dtype = dtypes.standardize_dtype(w.dtype)
        bits += math.prod(w.shape) * _DTYPE_BITS.get(dtype, 32)
    return bits / 8


def readable_memory_size(size):
    """`352.0` -> `"352.00 B"`, `2048` -> `"2.00 KB"`."""
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    for unit in units:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


# --- cells ----------------------------------------------------------------------------------


def _format_shape(shape):
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _layer_shape(layer):
    nodes = getattr(layer, "_inbound_nodes", [])
    if nodes:
        outputs = nodes[-1].outputs
        shapes = [_format_shape(t.shape) for t in outputs]
        return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"
    build_shapes = getattr(layer, "_build_shapes", None)
    if build_shapes is None:
        return "?"
    try:
        if hasattr(type(layer), "output_shape"):
            shape = layer.output_shape
        else:
            shape = layer.compute_output_shape(build_shapes)
    except Exception:  # noqa: BLE001 - a layer without shape inference shows "?"
        return "?"
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return "[" + ", ".join(_format_shape(s) for s in shape) + "]"
    return _format_shape(shape)


def _class_name(layer):
    op_name = getattr(layer, "op_name", None)
    if op_name is not None and type(layer).__name__ == "OpCall":
        # A raw op in a functional graph: Keras names the class after the op.
        return "".join(part[:1].upper() + part[1:] for part in op_name.split("_"))
    return type(layer).__name__


def _params(layer):
    if not hasattr(layer, "built"):
        return "0"
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def _connections(layer, relevant):
    parts = []
    for node in getattr(layer, "_inbound_nodes", []):
        if relevant and id(node) not in relevant:
            continue
        for tensor in node.input_tensors:
            op, node_index, tensor_index = tensor._keras_history
            parts.append(f"{op.name}[{node_index}][{tensor_index}]")
    return ", ".join(parts) or "-"


def _trainable(layer):
    if getattr(layer, "weights", None):
        return "Y" if layer.trainable else "N"
    return "-"


# --- layout ---------------------------------------------------------------------------------


def _is_sequential_like(model):
    """Whether a functional graph is a chain (Keras then omits "Connected to")."""
    nodes, depth = _graph_nodes(model)
    by_depth = {}
    for node in nodes:
        by_depth.setdefault(depth[id(node)], []).append(node)
    for group in by_depth.values():
        if len(group) > 1 or (len(group) == 1 and len(group[0].input_tensors) > 1):
            return False
    seen = {id(node) for node in nodes}
    for layer in model.layers:
        if sum(id(node) in seen for node in layer._inbound_nodes) > 1:  # shared layer
            return False
    return True


def _graph_nodes(model):
    """The model's nodes (input nodes included) and their depth from the outputs."""
    nodes = list(model._nodes) + [_history_node(x) for x in model._inputs]
    members = {id(node) for node in nodes}
    depth = {}
    # `model._nodes` is in execution order: walk it backwards to push depths to parents.
    for node in reversed(nodes):
        depth.setdefault(id(node), 0)
        for tensor in node.input_tensors:
            if tensor._keras_history is None:
                continue
            parent = _history_node(tensor)
            if id(parent) in members:
                depth[id(parent)] = max(depth.get(id(parent), 0), depth[id(node)] + 1)
    return nodes, depth


def _column_widths(positions, line_length, columns):
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    # As rich lays the table out: each column is its width plus one space each side,
    # capped at the room inside the borders, then reduced evenly to fit that room.
    room = line_length - (columns + 1)
    if room < 1:
        return [0] * columns
    widths = [min(w + 2, room) for w in widths]
    excess = sum(widths) - room
    if excess > 0:
        remaining, ratio_left, reduced = excess, len(widths), []
        for w in widths:
            take = min(w, round(remaining / ratio_left))
            reduced.append(w - take)
            remaining -= take
            ratio_left -= 1
        widths = reduced
    return [max(w, 0) for w in widths]


def _wrap(text, width):
    """Lines of `text` in `width` cells: word wrap, over-long words cut with `…`."""
    if width <= 0:
        return [""]
    breaks, offset = [], 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if start:
                breaks.append(start)
            offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    lines, previous = [], 0
    for position in breaks + [len(text)]:
        lines.append(text[previous:position].rstrip())
        previous = position
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines] or [""]


def _justify(line, width, how):
    if how == "right":
        return line.rjust(width)
    if how == "center":
        left = (width - len(line)) // 2
        return (" " * left + line).ljust(width)
    return line.ljust(width)


def _render_row(cells, widths, alignment, edges):
    wrapped = [_wrap(cell, max(w - 2, 0)) for cell, w in zip(cells, widths)]
    height = max(len(lines) for lines in wrapped)
    out = []
    for i in range(height):
        parts = []
        for lines, w, how in zip(wrapped, widths, alignment):
            content = lines[i] if i < len(lines) else ""
            parts.append(" " + _justify(content, max(w - 2, 0), how) + " " if w >= 2 else " " * w)
        out.append(edges[0] + edges[1].join(parts) + edges[2])
    return out


def _rule(widths, chars):
    return chars[0] + chars[2].join(chars[1] * w for w in widths) + chars[3]


def _layer_range(layers, layer_range):
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError(
            "layer_range must be a list or tuple of length 2. Received: "
            f"layer_range = {layer_range} of length {len(layer_range)}"
        )
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: {layer_range}"
        )
    if min(lower) > max(upper) + 1:
        raise ValueError(
            "layer_range[0] does not come before layer_range[1] in the model. "
            f"Received: {layer_range}"
        )
    return min(lower), max(upper) + 1


def summary_lines(
    model,
    line_length=None,
    positions=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
):
    """Returns the lines of `model`'s summary (see `print_summary`)."""
    from unikeras.models.functional import Functional
    from unikeras.models.sequential import Sequential

    relevant = None
    if isinstance(model, Sequential) or not isinstance(model, Functional):
        sequential_like, layers = True, model.layers
    else:
        layers = list(model._operations)
        sequential_like = _is_sequential_like(model)
        if not sequential_like:
            relevant = {id(node) for node in _graph_nodes(model)[0]}
    if sequential_like:
        default_length, positions = 88, positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
    else:
        default_length, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    positions = list(positions)
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    terminal = shutil.get_terminal_size().columns
    line_length = line_length or min(default_length, terminal - 4)
    if len(positions) != len(header):
        raise ValueError(
            f"`positions` must have {len(header)} entries (one per column: "
            f"{header}). Received: {positions}"
        )
    widths = _column_widths(positions, line_length, len(header))

    def fields(layer, prefix=""):
        row = [f"{prefix}{layer.name} ({_class_name(layer)})", _layer_shape(layer), _params(layer)]
        if not sequential_like:
            row.append(_connections(layer, relevant))
        if show_trainable:
            row.append(_trainable(layer))
        return row

    def rows_of(layer, level=0):
        rows = [fields(layer, "   " * level + "└ " if level else "")]
        nested = getattr(layer, "layers", None) if expand_nested else None
        for inner in nested or []:
            rows.extend(rows_of(inner, level + 1))
        return rows

    first, last = _layer_range(layers, layer_range)
    body = [row for layer in layers[first:last] for row in rows_of(layer)]

    lines = [f'Model: "{model.name}"', _rule(widths, _TOP)]
    lines += _render_row(header, widths, alignment, _HEAD)
    lines.append(_rule(widths, _HEAD_RULE))
    for i, row in enumerate(body):
        if i:
            lines.append(_rule(widths, _RULE))
        lines += _render_row(row, widths, alignment, _ROW)
    lines.append(_rule(widths, _BOTTOM))
    lines = [line[:terminal] for line in lines]  # the console's width, as in Keras

    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    counts = [count_params(trainable), count_params(non_trainable)]
    sizes = [weight_memory_size(trainable), weight_memory_size(non_trainable)]
    optimizer = getattr(model, "optimizer", None)
    optimizer_built = bool(
        getattr(model, "compiled", False)
        and optimizer is not None
        and getattr(optimizer, "built", False)
    )
    if optimizer_built:
        counts.append(count_params(optimizer.variables))
        sizes.append(weight_memory_size(optimizer.variables))
    lines.append(f" Total params: {sum(counts):,} ({readable_memory_size(sum(sizes))})")
    lines.append(f" Trainable params: {counts[0]:,} ({readable_memory_size(sizes[0])})")
    lines.append(f" Non-trainable params: {counts[1]:,} ({readable_memory_size(sizes[1])})")
    if optimizer_built:
        lines.append(f" Optimizer params: {counts[2]:,} ({readable_memory_size(sizes[2])})")
    return lines


def print_summary(
    model,
    line_length=None,
    positions=None,
    print_fn=None,
    expand_nested=False,
    show_trainable=False,
    layer_range=None,
):
    """Prints a summary of a model, as Keras 3's `model.summary()`.

    Args:
        model: The model.
        line_length: Total length of the table's lines (default: 88, or 108 with the
            "Connected to" column, at most the terminal's width minus 4).
        positions: Relative positions of the column ends in each line (default
            `[0.45, 0.80, 1.0]`, or `[0.3, 0.56, 0.74, 1.0]` with "Connected to").
        print_fn: Called once with the whole summary text (ending with a newline), as
            Keras does; default: printed to stdout.
        expand_nested: Also lists the layers of nested models, indented.
        show_trainable: Adds a "Trainable" column (`Y`/`N`, `-` without weights).
        layer_range: `[first, last]` layer names (regular expressions matched from the
            start of the name), both included: only those layers are listed.
    """
    lines = summary_lines(
        model,
        line_length=line_length,
        positions=positions,
        expand_nested=expand_nested,
        show_trainable=show_trainable,
        layer_range=layer_range,
    )
    if print_fn is None:
        for line in lines:
            print_msg(line)
    else:
        print_fn("\n".join(lines) + "\n")
