"""`Node`: one call of an operation on symbolic tensors, an edge of a functional graph."""

from unikeras.backend.keras_tensor import KerasTensor
from unikeras.utils import tree


class Node:
    """Records `operation(*call_args, **call_kwargs) -> outputs` on KerasTensors.

    Args:
        operation: The `Operation` (op or layer) that was called.
        call_args: Positional arguments as passed (may nest KerasTensors).
        call_kwargs: Keyword arguments as passed.
        outputs: The KerasTensor(s) the call returned; each gets `_keras_history`.
    """

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=()):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = tree.flatten(outputs)
        self.input_tensors = [
            x for x in tree.flatten((self.call_args, self.call_kwargs)) if isinstance(x, KerasTensor)
        ]
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for i, tensor in enumerate(self.outputs):
            if isinstance(tensor, KerasTensor):
                tensor._keras_history = (operation, node_index, i)

    @property
    def parent_nodes(self):
        """The nodes that produced this node's input tensors."""
        parents = []
        for x in self.input_tensors:
            if x._keras_history is not None:
                op, index, _ = x._keras_history
                parents.append(op._inbound_nodes[index])
        return parents

    @property
    def is_input(self):
        return not self.input_tensors
