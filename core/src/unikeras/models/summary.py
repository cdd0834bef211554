"""`model.summary()`: a table of layers, output shapes and parameter counts."""


def _shape_text(layer):
    try:
        out = layer.output
    except (AttributeError, ValueError):
        return "?"
    if isinstance(out, (list, tuple)):
        return ", ".join(str(getattr(o, "shape", "?")) for o in out)
    if isinstance(out, dict):
        return ", ".join(str(getattr(o, "shape", "?")) for o in out.values())
    return str(getattr(out, "shape", "?"))


def _format_count(n):
    size = n * 4
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{n:,} ({size:.2f} {unit})"
        size /= 1024


def print_summary(model, line_length=None, print_fn=None, show_trainable=False):
    """Prints (or passes to `print_fn`) the summary table of `model`."""
    print_fn = print_fn or print
    headers = ["Layer (type)", "Output Shape", "Param #"] + (["Trainable"] if show_trainable
                                                             else [])
    rows = []
    for layer in model.layers:
        row = [f"{layer.name} ({type(layer).__name__})", _shape_text(layer),
               f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"]
        if show_trainable:
            row.append("Y" if layer.trainable else "N")
        rows.append(row)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) + 2 for i, h in enumerate(headers)]
    if line_length:
        widths[0] = max(widths[0], line_length - sum(widths[1:]))
    total_width = sum(widths)

    def line(cells):
        return "".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    trainable = sum(_size(v) for v in model.trainable_weights)
    total = sum(_size(v) for v in model.weights)
    text = [f'Model: "{model.name}"', "=" * total_width, line(headers), "=" * total_width]
    for row in rows:
        text += [line(row), "-" * total_width]
    text += [
        f" Total params: {_format_count(total)}",
        f" Trainable params: {_format_count(trainable)}",
        f" Non-trainable params: {_format_count(total - trainable)}",
    ]
    for t in text:
        print_fn(t)


def _size(variable):
    n = 1
    for d in variable.shape:
        n *= d
    return n
