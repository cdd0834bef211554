"""`Operation`: anything callable on tensors and on KerasTensors (ops and layers)."""

import functools
import inspect
import re

from unikeras.backend import global_state
from unikeras.backend.device import get_current_remat_mode
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.registry import table
from unikeras.ops.node import Node
from unikeras.backend import tree

_NAME_COUNTS = global_state.NAME_COUNTS  # shared with `keras.backend.get_uid`


def to_snake_case(name):
    """Converts a CamelCase name to snake_case.

    Args:
        name: The name to convert.

    Returns:
        The snake_case string.
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    """Returns `base`, then `base_1`, `base_2`, ... on later calls."""
    count = _NAME_COUNTS.get(base, 0)
    _NAME_COUNTS[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def reset_names():
    """Forgets the names handed out so far (`keras.backend.clear_session`)."""
    _NAME_COUNTS.clear()


def any_symbolic(args, kwargs=None):
    """Returns whether a KerasTensor appears anywhere in `args`/`kwargs`."""
    for x in (*args, *(kwargs or {}).values()):
        if isinstance(x, KerasTensor) or (
            tree.is_nested(x) and any(isinstance(leaf, KerasTensor) for leaf in tree.flatten(x))
        ):
            return True
    return False


class Operation:
    """Base of ops and layers: eager `call`, symbolic `compute_output_spec`, graph nodes.

    Args:
        name: Name of the operation; `None` (default) derives a unique one from the class name.
    """

    _remat_mode = None  # the `RematMode` of the `keras.RematScope` it was created in

    def __init__(self, name=None):
        if name is None:
            name = unique_name(to_snake_case(type(self).__name__))
        elif not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"{type(self).__name__}: `name` must be a string without '/'. Received: {name!r}"
            )
        self.name = name
        self._inbound_nodes = []
        remat_mode = get_current_remat_mode()  # `keras.RematScope` at creation time
        if remat_mode is not None:
            self._remat_mode = remat_mode

    def __call__(self, *args, **kwargs):
        if any_symbolic(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        """Calls the operation on KerasTensors: computes the output spec and records a graph
        node."""
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    def call(self, *args, **kwargs):
        """Computes the operation on concrete tensors; subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__} does not implement `call`.")

    def compute_output_spec(self, *args, **kwargs):
        """Returns the output KerasTensor(s) of the operation for symbolic inputs."""
        return table.compute_output_spec(self.call, args, kwargs)

    def get_config(self):
        """Returns the operation's config: a JSON-able dict of its constructor arguments."""
        return {"name": self.name}


class OpCall(Operation):
    """One `unikeras.ops` function called on KerasTensors, as a node of a functional graph.

    Args:
        op_name: The op's name in the dispatch table.
        shape_rule: Optional `fn(*args, **kwargs) -> KerasTensor(s)` computing the output
            spec directly, for ops whose generic inference is costly or impossible.
    """

    def __init__(self, op_name, shape_rule=None):
        super().__init__(name=unique_name(op_name))
        self.op_name = op_name
        self.shape_rule = shape_rule

    def call(self, *args, **kwargs):
        return getattr(table, self.op_name)(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        if self.shape_rule is not None:
            return self.shape_rule(*args, **kwargs)
        return table.compute_output_spec(self.call, args, kwargs)

    def get_config(self):
        return {"name": self.name, "op_name": self.op_name}


# `unikeras.ops` name -> (Keras 3 module, class name): a functional model writes a call of one of
# these ops as Keras 3's own op node, which Keras 3 loads (read from configs Keras 3.15.1 wrote
# for functional models calling the op). The class takes the op's non-tensor arguments, under
# the op's own parameter names, as its config; the node's args are the tensor arguments.
KERAS3_OP_CLASSES = {
    **{
        name: ("keras.src.ops.numpy", cls)
        for name, cls in {
            "add": "Add",
            "subtract": "Subtract",
            "multiply": "Multiply",
            "true_divide": "TrueDivide",
            "divide": "Divide",
            "power": "Power",
            "matmul": "Matmul",
            "less": "Less",
            "less_equal": "LessEqual",
            "greater": "Greater",
            "greater_equal": "GreaterEqual",
            "equal": "Equal",
            "not_equal": "NotEqual",
            "maximum": "Maximum",
            "minimum": "Minimum",
            "negative": "Negative",
            "absolute": "Absolute",
            "abs": "Absolute",
            "exp": "Exp",
            "log": "Log",
            "sqrt": "Sqrt",
            "square": "Square",
            "tanh": "Tanh",
            "reshape": "Reshape",
            "transpose": "Transpose",
            "concatenate": "Concatenate",
            "stack": "Stack",
            "mean": "Mean",
            "sum": "Sum",
            "max": "Max",
            "min": "Min",
            "expand_dims": "ExpandDims",
            "squeeze": "Squeeze",
            "clip": "Clip",
            "where": "Where",
            "get_item": "GetItem",
        }.items()
    },
    "cast": ("keras.src.ops.core", "Cast"),
    "erf": ("keras.src.ops.math", "Erf"),
    **{
        name: ("keras.src.ops.nn", cls)
        for name, cls in {
            "relu": "Relu",
            "sigmoid": "Sigmoid",
            "silu": "Silu",
            "softmax": "Softmax",
            "gelu": "Gelu",
            "one_hot": "OneHot",
        }.items()
    },
}
# Parameters that stay in the node's args (`get_item`'s index too, as Keras 3 writes it).
_TENSOR_PARAMETERS = ("x", "x1", "x2", "xs", "condition", "key")


@functools.lru_cache(maxsize=None)
def _op_signature(op_name):
    return inspect.signature(getattr(table, op_name))


def _json_value(value):
    """`value` as plain JSON (tuples as lists), or raises TypeError."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    raise TypeError(type(value).__name__)


def keras3_op_call(op_name, args, kwargs):
    """Splits one call of `op_name` into Keras 3's op-node form.

    Args:
        op_name: The `unikeras.ops` name.
        args: The call's positional arguments.
        kwargs: The call's keyword arguments.

    Returns:
        `(module, class_name, config, tensor_args)`, with `config` the op class's constructor
        arguments, or None where the op has no exact Keras 3 form (not in
        `KERAS3_OP_CLASSES`, or a non-tensor argument that is a tensor or not plain JSON).
    """
    if op_name not in KERAS3_OP_CLASSES:
        return None
    try:
        bound = _op_signature(op_name).bind(*args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    config, tensor_args = {}, []
    for name, value in bound.arguments.items():
        if name in _TENSOR_PARAMETERS:
            # Keras 3 writes a tuple index as a list (its `GetItem` turns it back).
            tensor_args.append(list(value) if name == "key" and type(value) is tuple else value)
            continue
        try:
            config[name] = _json_value(value)
        except TypeError:
            return None
    module, class_name = KERAS3_OP_CLASSES[op_name]
    return module, class_name, config, tensor_args
