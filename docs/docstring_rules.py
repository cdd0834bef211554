"""What a complete public docstring holds, checked by `tests/docs/test_docs_api.py`.

Every public class and function of the documented namespaces (`gen_ref.namespaces()`) has:

- a one-line summary (the first line is not empty);
- an `Args:` section naming each of its explicit parameters (`name: ...` on its own line;
  `*args`/`**kwargs` and `self` are exempt; a class is checked against its `__init__`);
- a `Returns:` section when it is a function whose code returns a value (ops always do);
- for ops (`ops.*`) and layers, at least one example (`>>>`);
- examples (`>>>` lines, or fenced code) in an `Examples:` section whose body is indented
  and starts on the next line (the google style mkdocstrings parses: it renders such a section
  as code blocks; an unindented `>>>` after `Example:` renders as run-together quoted text, and
  a blank line after the heading ends the section). Text before the section (the summary,
  details) and after it (notes) stays unindented. This rule also holds for the public methods
  and properties of the classes (rendered under their class).

A complete docstring::

    Computes the absolute value element-wise.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape and dtype as `x` (a description may span lines).

    Examples:
        >>> keras.ops.absolute(np.array([-1.0, 2.0], "float32"))
        array([1., 2.], dtype=float32)

Run `python docs/docstring_rules.py [namespace ...]` to list what is incomplete, e.g.
`python docs/docstring_rules.py ops.numpy layers`.
"""

import ast
import inspect
import os
import re
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_ref  # noqa: E402

sys.path.pop(0)

EXAMPLE_NAMESPACES = ("ops.", "layers")


def _parameters(obj):
    """The explicit parameter names a docstring must describe."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return []
    skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [
        name
        for name, p in signature.parameters.items()
        if p.kind not in skip and name not in ("self", "cls")
    ]


def _docstring(obj):
    if inspect.isclass(obj):
        return inspect.getdoc(obj) or ""
    return inspect.cleandoc(obj.__doc__ or "")


def _section(doc, title):
    """The indented body under `title:` (up to the next unindented line), or None."""
    match = re.search(rf"^{title}:[ \t]*\n((?:[ \t]+.*\n?|[ \t]*\n)*)", doc, re.M)
    return match.group(1) if match else None


def _example_problems(doc):
    """What is wrong with where `doc`'s examples are (an empty list when they are in an
    indented `Examples:` section, or when it has none)."""
    out = []
    if re.search(r"^Examples?:[ \t]*\n[ \t]*\n", doc, re.M):
        out.append("Examples: heading followed by a blank line (the section body must follow it)")
    if re.search(r"^>>>", doc, re.M):
        out.append("example not indented under an `Examples:` heading")
    return out


def _own_nodes(function):
    """The AST nodes of `function`'s body, leaving out nested functions, lambdas and classes
    (their returns are not the function's)."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    stack = [node for node in function.body if not isinstance(node, nested)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, nested))


def _args_section(obj, doc):
    """The `Args:` body of `doc`; a class that inherits its `__init__` and has no `Args:` of
    its own may rely on the docstring of the class defining that `__init__` (e.g. a backend's
    `Variable` subclass, documented by the core `Variable`)."""
    args = _section(doc, "Args")
    if args is None:
        args = _section(doc, "Arguments")
    if args is None and inspect.isclass(obj) and "__init__" not in vars(obj):
        owner = next((c for c in obj.__mro__ if "__init__" in vars(c)), None)
        if owner is not None and owner is not object and owner.__doc__:
            args = _section(inspect.cleandoc(owner.__doc__), "Args")
    return args


def _returns_value(obj):
    """Whether a function's code has a `return <value>` (or a `yield`)."""
    try:
        source = textwrap.dedent(inspect.getsource(obj))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return True
    body = tree.body[0] if tree.body else None
    if not isinstance(body, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return True
    for node in _own_nodes(body):
        if isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                return True
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
    return False


def problems(namespace, obj):
    """Returns the list of what `obj`'s docstring lacks (empty when complete)."""
    doc = _docstring(obj)
    out = []
    if not doc.strip() or not doc.splitlines()[0].strip():
        return ["summary line"]
    params = _parameters(obj)
    if params:
        args = _args_section(obj, doc)
        if args is None:
            out.append("Args")
        else:
            missing = [p for p in params if not re.search(rf"^\s+\*{{0,2}}{p}\b.*:", args, re.M)]
            if missing:
                out.append("Args: " + ", ".join(missing))
    is_op = namespace.startswith("ops.")
    if not inspect.isclass(obj) and (is_op or _returns_value(obj)):
        if _section(doc, "Returns") is None and _section(doc, "Yields") is None:
            out.append("Returns")
    if namespace.startswith(EXAMPLE_NAMESPACES) and ">>>" not in doc:
        out.append("example")
    out.extend(_example_problems(doc))
    return out


def incomplete(spaces=None):
    """Returns `{public path: [missing parts]}` over `spaces` (default: every namespace)."""
    result, seen = {}, set()
    for namespace in spaces or gen_ref.namespaces():
        for name, obj in gen_ref.public_names(namespace):
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            missing = problems(namespace, obj)
            if missing:
                result[gen_ref.public_path(namespace, name)] = missing
            for member, doc in _member_docstrings(obj):
                misplaced = _example_problems(doc)
                if misplaced:
                    result[f"{gen_ref.public_path(namespace, name)}.{member}"] = misplaced
    return result


def _member_docstrings(obj):
    """`(name, docstring)` of the public methods and properties a unikeras class defines
    itself (the reference renders them under the class)."""
    if not inspect.isclass(obj) or not (obj.__module__ or "").startswith("unikeras"):
        return
    for name, value in vars(obj).items():
        if name.startswith("_"):
            continue
        if isinstance(value, (classmethod, staticmethod)):
            value = value.__func__
        if isinstance(value, property) or inspect.isfunction(value):
            yield name, inspect.cleandoc(value.__doc__ or "")


if __name__ == "__main__":
    found = incomplete(sys.argv[1:] or None)
    for path, missing in sorted(found.items()):
        print(f"{path}: {'; '.join(missing)}")
    print(f"{len(found)} incomplete", file=sys.stderr)
