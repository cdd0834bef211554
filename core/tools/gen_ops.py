"""Writes the public op functions of `unikeras.ops` from the op hook specifications.

    python core/tools/gen_ops.py           # rewrite the generated part of each ops module
    python core/tools/gen_ops.py --check   # exit 1 (listing the files) when one is stale

For every op hook of `core/src/unikeras/backend/specs/<namespace>.py` that the namespace
module `core/src/unikeras/ops/<namespace>.py` does not define by hand, the block between the
module's `BEGIN GENERATED OPS` / `END GENERATED OPS` lines gets one ordinary function with
the spec's signature, defaults and docstring:

    def add(x1, x2):
        \"\"\"<the spec's docstring>\"\"\"
        if x1.__class__ is _KT or x2.__class__ is _KT:
            return _symbolic("add", (x1, x2), {})
        return _impl_add(x1, x2)

- the symbolic branch tests only the parameters annotated `Tensor` (`x.__class__ is _KT`),
  `Tensors` or `*args` (any element) and `Nested` (any leaf), as the contract declares them;
- a hand-written `_check_<op>` function in the namespace module (the op's shared argument
  checks, e.g. "square matrices" for `linalg.inv`) is called first, with the op's arguments;
- a shape rule for the symbolic branch is registered by hand in `SHAPE_RULES`
  (`unikeras.ops.dispatch`);
- `_impl_<op>` is a module global bound to the active backend's implementation by the
  module's `_rebind()`, which runs at import and after every rebuild of the dispatch table
  (`set_backend`, `register_plugin`, `graph_scope`): one global lookup per call.
- an op of exactly two `Tensor` operands (`add(x1, x2)`, `matmul`...) first tests for the
  fast entry its implementation may declare (`unikeras.backend.api.fast_entry`): when both
  operands are of class `_fast_<op>_type` and of one dtype in `_fast_<op>_dtypes`, it
  returns `_fast_<op>(x1, x2)` (the engine function) itself, one frame less per call; when
  that raises, the implementation runs (its error is the op's). `_rebind()` sets the three
  globals too (to a class without instances when no fast entry is declared):

    def add(x1, x2):
        \"\"\"<the spec's docstring>\"\"\"
        if x1.__class__ is _fast_add_type and x2.__class__ is _fast_add_type:
            _dtype = x1.dtype
            if _dtype is x2.dtype and _dtype in _fast_add_dtypes:
                try:
                    return _fast_add(x1, x2)
                except Exception:  # the implementation gives the op's own error
                    pass
        if x1.__class__ is _KT or x2.__class__ is _KT:
            ...

The specs and the ops modules are read as text (`ast`), never imported, so the script
checks the source tree it sits in whatever copy of `unikeras` is installed.
"""

import argparse
import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1] / "src" / "unikeras"
SPECS = ROOT / "backend" / "specs"
OPS = ROOT / "ops"
#: The `unikeras.ops` namespace modules written from the spec module of the same name.
NAMESPACES = ("core", "image", "linalg", "math", "nn", "numpy")

BEGIN = "# --- BEGIN GENERATED OPS"
END = "# --- END GENERATED OPS ---"
LINE_LENGTH = 100

_HEADER = """\
{begin}: written by core/tools/gen_ops.py from backend/specs/{ns}.py ---
# Regenerate with `python core/tools/gen_ops.py` after changing the spec or a hand-written op.
from unikeras.backend.keras_tensor import KerasTensor as _KT  # noqa: E402
from unikeras.backend.registry import add_table_listener as _add_table_listener  # noqa: E402
from unikeras.ops.dispatch import any_keras_tensor as _any_kt  # noqa: E402,F401
from unikeras.ops.dispatch import bind_implementations as _bind  # noqa: E402
from unikeras.ops.dispatch import nested_keras_tensor as _nested_kt  # noqa: E402,F401
from unikeras.ops.dispatch import symbolic as _symbolic  # noqa: E402

"""

_FOOTER = """\
#: Every op of the spec module, hand-written or generated, in the spec's order.
__all__ = [
{names}
]

#: The ops generated above: each calls `_impl_<op>`, bound by `_rebind`.
_GENERATED = (
{generated}
)

#: The generated ops of two `Tensor` operands: each also tests for a fast entry.
_FAST = (
{fast}
)


def _rebind():
    \"\"\"Binds each generated op's `_impl_<op>` (and fast entry) to the active backend's.\"\"\"
    _bind(globals(), _GENERATED, _FAST)


_rebind()
_add_table_listener(_rebind)
{end}"""


class _Source:
    """A module's text with `segment(node)`: the exact source of an AST node (fast
    `ast.get_source_segment`; AST column offsets count UTF-8 bytes)."""

    def __init__(self, text):
        self.text = text
        self.lines = [line.encode() for line in text.splitlines(keepends=True)]

    def segment(self, node):
        first, last = node.lineno - 1, node.end_lineno - 1
        if first == last:
            return self.lines[first][node.col_offset : node.end_col_offset].decode()
        parts = [
            self.lines[first][node.col_offset :],
            *self.lines[first + 1 : last],
            self.lines[last][: node.end_col_offset],
        ]
        return b"".join(parts).decode()


def spec_ops(text):
    """Returns `[ast.FunctionDef]` of the `@op` hooks in the text of a spec module, in order."""
    tree = ast.parse(text)
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(d, ast.Name) and d.id == "op" for d in node.decorator_list)
    ]


def split_module(path):
    """Splits an ops module's text into (hand-written head, generated block, hand-written tail)."""
    text = path.read_text()
    start = text.find(BEGIN)
    stop = text.find(END)
    if start < 0 or stop < start:
        raise SystemExit(f"{path}: no '{BEGIN}' ... '{END}' block")
    stop += len(END)
    return text[:start], text[start:stop], text[stop:]


def hand_written_names(source):
    """Top-level names a module's hand-written code defines (functions, assignments, imports)."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _wrap(prefix, items, suffix, indent=""):
    """`prefix + ", ".join(items) + suffix`, wrapped under the opening bracket when too long."""
    line = f"{indent}{prefix}{', '.join(items)}{suffix}"
    if len(line) <= LINE_LENGTH or not items:
        return [line]
    pad = " " * (len(indent) + len(prefix))
    lines, current = [], f"{indent}{prefix}"
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else suffix)
        if (
            current.strip()
            and not current.endswith(("(", "[", "{"))
            and len(current) + 1 + len(piece) > LINE_LENGTH
        ):
            lines.append(current.rstrip())
            current = pad + piece
        else:
            current += ("" if current.endswith(("(", "[", "{")) else " ") + piece
    lines.append(current)
    return lines


def _symbolic_test(name, annotation, starred):
    kind = annotation.id if isinstance(annotation, ast.Name) else None
    if starred and kind is not None:
        return f"_any_kt({name})"  # `*xs: Tensors` (or `*xs: Nested`): a tuple of tensors
    return {
        "Tensor": f"{name}.__class__ is _KT",
        "Tensors": f"_any_kt({name})",
        "Nested": f"_nested_kt({name})",
    }.get(kind)


def generate_op(node, source, check):
    """Returns the source lines of the public op for spec function `node`."""
    args = node.args
    header, call, positional, keywords, tests = [], [], [], [], []
    plain = args.posonlyargs + args.args
    defaults = [None] * (len(plain) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(plain, defaults):
        text = arg.arg if default is None else f"{arg.arg}={source.segment(default)}"
        header.append(text)
        call.append(arg.arg)
        positional.append(arg.arg)
        tests.append(_symbolic_test(arg.arg, arg.annotation, False))
    if args.vararg is not None:
        name = args.vararg.arg
        header.append(f"*{name}")
        call.append(f"*{name}")
        positional.append(f"*{name}")
        tests.append(_symbolic_test(name, args.vararg.annotation, True))
    elif args.kwonlyargs:
        header.append("*")
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        text = arg.arg if default is None else f"{arg.arg}={source.segment(default)}"
        header.append(text)
        call.append(f"{arg.arg}={arg.arg}")
        keywords.append(f'"{arg.arg}": {arg.arg}')
        tests.append(_symbolic_test(arg.arg, arg.annotation, False))
    if args.kwarg is not None:
        header.append(f"**{args.kwarg.arg}")
        call.append(f"**{args.kwarg.arg}")
        keywords.append(f"**{args.kwarg.arg}")
    name = node.name
    lines = _wrap(f"def {name}(", header, "):")
    docstring = node.body[0]
    if not (
        isinstance(docstring, ast.Expr)
        and isinstance(docstring.value, ast.Constant)
        and isinstance(docstring.value.value, str)
    ):
        raise SystemExit(f"spec {name!r} has no docstring")
    lines.append("    " + source.segment(docstring))
    if check:
        lines += _wrap(f"_check_{name}(", call, ")", indent="    ")
    if _takes_fast_entry(node):
        lines += _fast_lines(name, [arg.arg for arg in plain])
    tests = [t for t in tests if t is not None]
    if tests:
        lines += _if_lines(tests)
        kwargs = f"{{{', '.join(keywords)}}}"
        if len(positional) == 1:
            line = f'        return _symbolic("{name}", ({positional[0]},), {kwargs})'
            lines.append(line)
        else:
            lines += _wrap(
                f'return _symbolic("{name}", (', positional, f"), {kwargs})", indent="        "
            )
    lines += _wrap(f"return _impl_{name}(", call, ")", indent="    ")
    return lines


def _takes_fast_entry(node):
    """Whether spec `node` takes exactly two positional `Tensor` operands without defaults
    (the AST twin of `unikeras.backend.hookspec.takes_fast_entry`)."""
    args = node.args
    return (
        not args.posonlyargs
        and len(args.args) == 2
        and not args.defaults
        and args.vararg is None
        and not args.kwonlyargs
        and args.kwarg is None
        and all(
            isinstance(a.annotation, ast.Name) and a.annotation.id == "Tensor" for a in args.args
        )
    )


def _fast_lines(name, operands):
    # No `:=`: TensorFlow's AutoGraph converts the ops from their source and refuses it.
    x1, x2 = operands
    test = [f"{x1}.__class__ is _fast_{name}_type", f"{x2}.__class__ is _fast_{name}_type"]
    line = f"    if {test[0]} and {test[1]}:"
    if len(line) > LINE_LENGTH:
        line = f"    if (\n        {test[0]}\n        and {test[1]}\n    ):"
    return [
        line,
        f"        _dtype = {x1}.dtype",
        f"        if _dtype is {x2}.dtype and _dtype in _fast_{name}_dtypes:",
        "            try:",
        f"                return _fast_{name}({x1}, {x2})",
        "            except Exception:  # the implementation gives the op's own error",
        "                pass",
    ]


def _if_lines(tests):
    line = f"    if {' or '.join(tests)}:"
    if len(line) <= LINE_LENGTH:
        return [line]
    lines, current = [], "    if ("
    for i, test in enumerate(tests):
        piece = test + (" or" if i < len(tests) - 1 else "):")
        if current != "    if (" and len(current) + 1 + len(piece) > LINE_LENGTH:
            lines.append(current)
            current = "            " + piece
        else:
            current += ("" if current == "    if (" else " ") + piece
    lines.append(current)
    return lines


def generate_block(namespace, hand_written):
    """Returns the generated block of ops module `namespace` (without the trailing newline)."""
    text = (SPECS / f"{namespace}.py").read_text()
    source = _Source(text)
    nodes = spec_ops(text)
    generated, fast, parts = [], [], [_HEADER.format(begin=BEGIN, ns=namespace)]
    for node in nodes:
        if node.name in hand_written:
            continue
        generated.append(node.name)
        if _takes_fast_entry(node):
            fast.append(node.name)
        lines = generate_op(node, source, f"_check_{node.name}" in hand_written)
        parts.append("\n" + "\n".join(lines) + "\n\n")
    names = "\n".join(f'    "{node.name}",' for node in nodes)
    generated_names = "\n".join(f'    "{name}",' for name in generated)
    fast_names = "\n".join(f'    "{name}",' for name in fast)
    parts.append(
        "\n" + _FOOTER.format(names=names, generated=generated_names, fast=fast_names, end=END)
    )
    return "".join(parts)


def render(namespace):
    """Returns (path, current text, up-to-date text) of ops module `namespace`."""
    path = OPS / f"{namespace}.py"
    head, block, tail = split_module(path)
    hand_written = hand_written_names(head) | hand_written_names(tail)
    new_block = generate_block(namespace, hand_written)
    return path, head + block + tail, head + new_block + tail


def stale_modules():
    """Returns the ops modules whose generated block differs from what the specs give."""
    return [str(path) for path, old, new in map(render, NAMESPACES) if old != new]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="only report (exit 1) ops modules that are out of date"
    )
    options = parser.parse_args(argv)
    stale = []
    for namespace in NAMESPACES:
        path, old, new = render(namespace)
        if old == new:
            continue
        stale.append(str(path))
        if not options.check:
            path.write_text(new)
    if options.check and stale:
        print("Stale generated ops (run `python core/tools/gen_ops.py`):\n  " + "\n  ".join(stale))
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
