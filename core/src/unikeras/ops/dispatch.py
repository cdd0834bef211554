"""What the public ops share: the symbolic branch, shape rules and the binding of backends.

The op functions of `unikeras.ops.<namespace>` are ordinary source, written from the op hook
specifications by `core/tools/gen_ops.py` (see its docstring). Each generated op tests its
tensor arguments for `KerasTensor`s (then `symbolic` infers the output and records a graph
node), else calls its module global `_impl_<op>`, which `bind_implementations` points at the
active backend's implementation whenever the dispatch table is rebuilt. The public op of a
binary op (two `Tensor` operands: `add`, `matmul`...) first calls the engine function of the
implementation's fast entry (`unikeras.backend.api.fast_entry`) itself when both operands
are eager tensors of the class and one of the dtypes it declares.
"""

from unikeras.backend.hookspec import FAST_ENTRY_ATTRIBUTE, FastEntry
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.registry import table
from unikeras.ops.operation import OpCall
from unikeras.backend import tree

#: Optional output-spec functions by op name, used instead of the backend's generic inference.
SHAPE_RULES = {}


def symbolic(op_name, args, kwargs):
    """Runs op `op_name` on symbolic inputs: infers the output spec and records a graph node.

    Args:
        op_name: Name of the op (a hook of the contract).
        args: The op's positional arguments.
        kwargs: The op's keyword arguments.

    Returns:
        The output KerasTensor(s).
    """
    return OpCall(op_name, SHAPE_RULES.get(op_name)).symbolic_call(*args, **kwargs)


def any_keras_tensor(xs):
    """Returns whether `xs` is a KerasTensor or a (nested) list/tuple holding one."""
    if xs.__class__ in (list, tuple):
        for x in xs:
            if x.__class__ is KerasTensor or (x.__class__ in (list, tuple) and any_keras_tensor(x)):
                return True
        return False
    return xs.__class__ is KerasTensor


def nested_keras_tensor(structure):
    """Returns whether any leaf of the nested `structure` is a KerasTensor."""
    return any(isinstance(x, KerasTensor) for x in tree.flatten(structure))


def _unbound(op_name):
    def not_selected(*args, **kwargs):
        raise RuntimeError(
            f"`unikeras.ops.{op_name}` was called before a backend was selected: import "
            "`unikeras` (or call `unikeras.config.set_backend`) first."
        )

    return not_selected


class _NoFastEntry:
    """The `_fast_<op>_type` of an op whose implementation declares no fast entry: a class
    without instances, so the public op's fast branch is never taken."""


_NO_FAST_ENTRY = FastEntry(_NoFastEntry, frozenset(), None)


def bind_implementations(namespace, op_names, fast_op_names=()):
    """Sets `namespace["_impl_<op>"]` to the dispatch table's implementation of each op.

    Args:
        namespace: The `globals()` of a generated ops module.
        op_names: Names of the ops it generates.
        fast_op_names: Those of them whose public op has a fast branch: their
            `_fast_<op>_type`, `_fast_<op>_dtypes` and `_fast_<op>` are set from the fast
            entry the implementation declares (`unikeras.backend.api.fast_entry`), or to a
            class without instances when it declares none.
    """
    implementations = table.__dict__
    for name in op_names:
        implementation = implementations.get(name)
        namespace["_impl_" + name] = (
            implementation if implementation is not None else _unbound(name)
        )
    for name in fast_op_names:
        entry = getattr(implementations.get(name), FAST_ENTRY_ATTRIBUTE, None) or _NO_FAST_ENTRY
        prefix = "_fast_" + name
        namespace[prefix + "_type"], namespace[prefix + "_dtypes"], namespace[prefix] = entry
