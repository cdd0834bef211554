"""`Operation`: anything callable on tensors and on KerasTensors (ops and layers)."""

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
