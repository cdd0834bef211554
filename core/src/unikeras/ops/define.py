"""Builds the public `unikeras.ops` functions from the contract's op hook specifications.

For a spec `add(x1: Tensor, x2: Tensor)` this generates, once at import:

    def add(x1, x2):
        if x1.__class__ is KerasTensor or x2.__class__ is KerasTensor:
            return symbolic("add", (x1, x2), {})
        return impl(x1, x2)   # `impl` = table.add, kept in a closure cell

i.e. the same signature, defaults and docstring as the spec, a symbolic branch checked only on
the tensor-annotated parameters, then a direct call of the backend's implementation: the
per-call cost stays a few tens of nanoseconds over the backend's own function. The
implementation is re-bound whenever the dispatch table is rebuilt (`set_backend`,
`register_plugin`). An op that needs argument checking or a hand-written shape rule is written by hand in its namespace
module instead; `define_ops` never replaces a function that is already there.
"""

import inspect

from unikeras.backend.hookspec import Nested, Tensor, Tensors
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.registry import add_table_listener, table
from unikeras.ops.operation import OpCall
from unikeras.utils import tree

#: Optional output-spec functions by op name, used instead of the backend's generic inference.
SHAPE_RULES = {}


def symbolic(op_name, args, kwargs):
    """Runs op `op_name` on symbolic inputs: infers the output spec and records a graph node."""
    return OpCall(op_name, SHAPE_RULES.get(op_name)).symbolic_call(*args, **kwargs)


def _any_keras_tensor(xs):
    if xs.__class__ in (list, tuple):
        for x in xs:
            if x.__class__ is KerasTensor or (x.__class__ in (list, tuple) and _any_keras_tensor(x)):
                return True
        return False
    return xs.__class__ is KerasTensor


def _nested_keras_tensor(structure):
    return any(isinstance(x, KerasTensor) for x in tree.flatten(structure))


_CHECKS = {
    Tensor: "{0}.__class__ is _KT",
    Tensors: "_any_kt({0})",
    Nested: "_nested_kt({0})",
}


def make_op(spec, module_name):
    """Returns the public op function for hook spec `spec`."""
    name = spec.__name__
    header, call, positional, keywords, checks = [], [], [], [], []
    defaults = {}
    star_seen = False
    for p in inspect.signature(spec).parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            header.append(f"*{p.name}")
            call.append(f"*{p.name}")
            positional.append(f"*{p.name}")
            star_seen = True
            if p.annotation in _CHECKS:  # `*xs: Tensors` is a sequence of tensors
                checks.append(_CHECKS[Tensors].format(p.name))
            continue
        if p.kind is p.VAR_KEYWORD:
            header.append(f"**{p.name}")
            call.append(f"**{p.name}")
            keywords.append(f"**{p.name}")
            continue
        if p.kind is p.KEYWORD_ONLY and not star_seen:
            header.append("*")
            star_seen = True
        text = p.name
        if p.default is not p.empty:
            defaults[p.name] = p.default
            text += f"=_defaults[{p.name!r}]"
        header.append(text)
        if p.kind is p.KEYWORD_ONLY:
            call.append(f"{p.name}={p.name}")
            keywords.append(f"{p.name!r}: {p.name}")
        else:
            call.append(p.name)
            positional.append(p.name)
        if p.annotation in _CHECKS:
            checks.append(_CHECKS[p.annotation].format(p.name))
    # The op is built inside a factory so the implementation is a closure cell, the
    # fastest variable to read; `_rebind` writes the new implementation into it whenever the
    # dispatch table is rebuilt.
    body = [f"    def {name}({', '.join(header)}):"]
    args_tuple = f"({', '.join(positional)},)" if positional else "()"
    if checks:
        body.append(f"        if {' or '.join(checks)}:")
        body.append(
            f"            return _symbolic({name!r}, {args_tuple}, {{{', '.join(keywords)}}})"
        )
    body.append(f"        return _impl({', '.join(call)})")
    source = "\n".join(
        ["def _factory(_impl, _defaults, _KT, _any_kt, _nested_kt, _symbolic):"]
        + body + [f"    return {name}"]
    )
    namespace = {}
    exec(compile(source, f"<unikeras.ops.{name}>", "exec"), namespace)
    fn = namespace["_factory"](getattr(table, name), defaults, KerasTensor, _any_keras_tensor,
                               _nested_keras_tensor, symbolic)
    fn.__doc__ = spec.__doc__
    fn.__module__ = module_name
    fn.__qualname__ = name
    _GENERATED.append((fn, fn.__code__.co_freevars.index("_impl")))
    return fn


_GENERATED = []  # (generated op, index of its `_impl` closure cell)


def _rebind():
    for fn, cell in _GENERATED:
        fn.__closure__[cell].cell_contents = getattr(table, fn.__name__)


add_table_listener(_rebind)


def define_ops(spec_module, namespace):
    """Adds a public function to `namespace` for every op hook of `spec_module` it lacks.

    Args:
        spec_module: A module of `unikeras.backend.specs`.
        namespace: The `globals()` of a `unikeras.ops` namespace module.

    Returns:
        The names of the ops the module exposes.
    """
    names = []
    for attr, spec in vars(spec_module).items():
        if not callable(spec) or getattr(spec, "unikeras_spec", None) is None:
            continue
        if getattr(spec, "__module__", None) != spec_module.__name__:
            continue
        if attr not in namespace:
            namespace[attr] = make_op(spec, namespace["__name__"])
        names.append(attr)
    return names
