"""`keras.utils.get_source_inputs`: the Input tensors a symbolic tensor was computed from."""


def get_source_inputs(tensor):
    """Returns the list of input tensors necessary to compute `tensor`.

    Walks the functional graph back from `tensor` to the `Input` tensors it depends on.

    Args:
        tensor: A KerasTensor (anything else is returned as is).

    Returns:
        The list of source KerasTensors (without duplicates, in the order met).
    """
    history = getattr(tensor, "_keras_history", None)
    if not hasattr(tensor, "_keras_history"):
        return tensor
    if history is None:
        return [tensor]
    operation, node_index, _ = history
    if not getattr(operation, "_inbound_nodes", None):
        return [tensor]
    node = operation._inbound_nodes[node_index]
    if node.is_input:
        return list(node.outputs)
    sources = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not seen for seen in sources):
                sources.append(source)
    return sources
