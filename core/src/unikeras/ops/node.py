"""`Node`: one call of an operation on symbolic tensors, an edge of a functional graph."""

from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend import tree


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
            x
            for x in tree.flatten((self.call_args, self.call_kwargs))
            if isinstance(x, KerasTensor)
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


def _history_node(tensor):
    op, node_index, _ = tensor._keras_history
    return op._inbound_nodes[node_index]


def build_graph(inputs, outputs):
    """Returns the nodes between `inputs` and `outputs` in execution order.

    Raises:
        ValueError: when an output depends on a tensor that is not derived from `inputs`.
    """
    input_ids = {id(x) for x in inputs}
    order, done, on_path = [], set(), set()
    stack = [(t, False) for t in reversed(outputs)]
    while stack:
        tensor, expanded = stack.pop()
        if id(tensor) in input_ids:
            continue
        if tensor._keras_history is None:
            raise ValueError(
                f"Graph disconnected: output {tensor} was not produced by layers or ops "
                "called on the model's inputs."
            )
        node = _history_node(tensor)
        if id(node) in done:
            continue
        if expanded:
            done.add(id(node))
            order.append(node)
            continue
        if node.is_input:
            raise ValueError(
                f"Graph disconnected: cannot obtain value for tensor {tensor} at layer "
                f'"{node.operation.name}": that input is not among the model\'s inputs.'
            )
        if id(node) in on_path:
            continue
        on_path.add(id(node))
        stack.append((tensor, True))
        stack.extend((t, False) for t in reversed(node.input_tensors))
    return order
