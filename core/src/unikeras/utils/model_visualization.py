"""`keras.utils.model_to_dot` and `keras.utils.plot_model` (pydot + Graphviz)."""

import html
import os

PYDOT_MESSAGE = "You must install pydot (`pip install pydot`) for `{}` to work."
GRAPHVIZ_MESSAGE = (
    "You must install graphviz (see instructions at "
    "https://graphviz.gitlab.io/download/) for `{}` to work."
)


def _pydot(caller):
    try:
        import pydot
    except ImportError as error:
        raise ImportError(PYDOT_MESSAGE.format(caller)) from error
    return pydot


def check_graphviz(pydot):
    """Whether the Graphviz `dot` program can be run."""
    try:
        pydot.Dot.create(pydot.Dot())
        return True
    except (OSError, FileNotFoundError, AssertionError, Exception):
        return False


def _shape_text(value):
    if value is None:
        return "?"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _io_shapes(layer):
    def shapes(attribute):
        try:
            tensors = getattr(layer, attribute)
        except (AttributeError, ValueError):
            return None
        if isinstance(tensors, dict):
            return {k: tuple(v.shape) for k, v in tensors.items()}
        if isinstance(tensors, (list, tuple)):
            return [tuple(t.shape) for t in tensors]
        return tuple(tensors.shape) if hasattr(tensors, "shape") else None

    return shapes("input"), shapes("output")


def _io_dtypes(layer):
    try:
        outputs = layer.output
    except (AttributeError, ValueError):
        return "?"
    if isinstance(outputs, (list, tuple)):
        return ", ".join(str(o.dtype) for o in outputs)
    return str(getattr(outputs, "dtype", "?"))


def layer_label(
    layer, show_layer_names, show_layer_activations, show_dtype, show_shapes, show_trainable
):
    """The HTML-like Graphviz label of one layer's node."""
    name = type(layer).__name__
    extra = int(bool(show_dtype)) + int(bool(show_trainable)) + (2 if show_shapes else 0)
    span = max(1, extra)
    title = f"<b>{html.escape(layer.name)}</b> ({name})" if show_layer_names else f"<b>{name}</b>"
    rows = [
        f'<tr><td colspan="{span}" bgcolor="black"><font point-size="16" color="white">'
        f"{title}</font></td></tr>"
    ]
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        act = getattr(activation, "__name__", type(activation).__name__)
        rows.append(
            f'<tr><td bgcolor="white" colspan="{span}"><font point-size="14">'
            f"Activation: <b>{html.escape(act)}</b></font></td></tr>"
        )
    cells = []
    if show_shapes:
        input_shape, output_shape = _io_shapes(layer)
        if name != "InputLayer":
            cells.append(
                '<td bgcolor="white"><font point-size="14">Input shape: '
                f"<b>{html.escape(_shape_text(input_shape))}</b></font></td>"
            )
        cells.append(
            '<td bgcolor="white"><font point-size="14">Output shape: '
            f"<b>{html.escape(_shape_text(output_shape))}</b></font></td>"
        )
    if show_dtype:
        cells.append(
            '<td bgcolor="white"><font point-size="14">Output dtype: '
            f"<b>{html.escape(_io_dtypes(layer))}</b></font></td>"
        )
    if show_trainable and getattr(layer, "weights", None):
        cells.append(
            '<td bgcolor="white"><font point-size="14">Trainable: '
            f"<b>{'Y' if layer.trainable else 'N'}</b></font></td>"
        )
    if cells:
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
        + "".join(rows)
        + "</table>>"
    )


def _edges(model):
    """(from_layer, to_layer) pairs of the model's graph, in layer order."""
    layers = list(model.layers)
    if type(model).__name__ == "Sequential" or not any(
        getattr(layer, "_inbound_nodes", None) for layer in layers
    ):
        return list(zip(layers, layers[1:]))
    members = {id(layer) for layer in layers}
    pairs = []
    for layer in layers:
        for node in getattr(layer, "_inbound_nodes", []):
            for parent in node.parent_nodes:
                source = parent.operation
                if id(source) in members and (source, layer) not in pairs:
                    pairs.append((source, layer))
    return pairs


def model_to_dot(
    model,
    show_shapes=False,
    show_dtype=False,
    show_layer_names=True,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    subgraph=False,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """Converts a Keras model to a `pydot.Dot` graph (one node per layer).

    Args:
        model: A built Keras model.
        show_shapes: Whether to show the layers' input/output shapes.
        show_dtype: Whether to show the layers' output dtypes.
        show_layer_names: Whether to show the layer names.
        rankdir: Graphviz `rankdir`: `"TB"` (vertical) or `"LR"` (horizontal).
        expand_nested: Whether to draw nested models as clusters of their layers.
        dpi: Image resolution in dots per inch.
        subgraph: Whether to return a `pydot.Cluster` (for nested models).
        show_layer_activations: Whether to show the activations of layers that have one.
        show_trainable: Whether to show whether each layer is trainable.
        splines: Graphviz `splines` (edge style).

    Returns:
        A `pydot.Dot` (or `pydot.Cluster` with `subgraph=True`).
    """
    pydot = _pydot("model_to_dot")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    if not getattr(model, "built", False):
        raise ValueError(
            "This model has not yet been built. Build the model first by calling "
            "`build()` or by calling the model on a batch of data."
        )
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    label_kwargs = dict(
        show_layer_names=show_layer_names,
        show_layer_activations=show_layer_activations,
        show_dtype=show_dtype,
        show_shapes=show_shapes,
        show_trainable=show_trainable,
    )
    from unikeras.models import Model

    entry, exit_ = {}, {}
    for layer in model.layers:
        if expand_nested and isinstance(layer, Model) and getattr(layer, "built", False):
            cluster = model_to_dot(
                layer,
                show_shapes,
                show_dtype,
                show_layer_names,
                rankdir,
                expand_nested,
                dpi,
                True,
                show_layer_activations,
                show_trainable,
                splines,
            )
            dot.add_subgraph(cluster)
            inner = list(layer.layers)
            entry[id(layer)] = str(id(inner[0])) if inner else str(id(layer))
            exit_[id(layer)] = str(id(inner[-1])) if inner else str(id(layer))
            continue
        node = pydot.Node(str(id(layer)), label=layer_label(layer, **label_kwargs))
        dot.add_node(node)
        entry[id(layer)] = exit_[id(layer)] = str(id(layer))
    for source, target in _edges(model):
        dot.add_edge(pydot.Edge(exit_[id(source)], entry[id(target)]))
    return dot


def plot_model(
    model,
    to_file="model.png",
    show_shapes=False,
    show_dtype=False,
    show_layer_names=False,
    rankdir="TB",
    expand_nested=False,
    dpi=200,
    show_layer_activations=False,
    show_trainable=False,
    splines="ortho",
    **kwargs,
):
    """Draws a Keras model with Graphviz and writes the image to `to_file`.

    Needs `pydot` (`pip install pydot`) and the Graphviz programs.

    Args:
        model: A built Keras model.
        to_file: Output file; the extension picks the format (`.png`, `.svg`, `.pdf`, `.dot`).
        show_shapes: Whether to show the layers' input/output shapes.
        show_dtype: Whether to show the layers' output dtypes.
        show_layer_names: Whether to show the layer names.
        rankdir: `"TB"` (vertical) or `"LR"` (horizontal).
        expand_nested: Whether to draw nested models as clusters.
        dpi: Image resolution in dots per inch.
        show_layer_activations: Whether to show the layers' activations.
        show_trainable: Whether to show whether each layer is trainable.
        splines: Graphviz `splines` (edge style).

    Returns:
        An `IPython.display.Image` in a notebook, else `None`.
    """
    pydot = _pydot("plot_model")
    if not check_graphviz(pydot):
        raise ImportError(GRAPHVIZ_MESSAGE.format("plot_model"))
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
        splines=splines,
        **kwargs,
    )
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
    if extension != "pdf":
        try:
            from IPython import display

            return display.Image(filename=to_file)
        except ImportError:
            pass
    return None
