"""Shape checks shared by the ops, on static shapes (tuples, `torch.Size`, `TensorShape`)."""


def compatible(shape_a, shape_b):
    """Whether two shapes can describe the same tensor (`None` matches any size)."""
    shape_a, shape_b = tuple(shape_a), tuple(shape_b)
    return len(shape_a) == len(shape_b) and all(
        a is None or b is None or a == b for a, b in zip(shape_a, shape_b)
    )


def check_same_shape(op, target_shape, output_shape):
    """Checks that a loss' `target` and `output` have the same shape."""
    if not compatible(target_shape, output_shape):
        raise ValueError(
            f"{op}: `target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target_shape)}, output.shape={tuple(output_shape)}"
        )


def check_no_sparse(op, sparse, backend):
    """Rejects `sparse=True` on a backend without sparse tensors."""
    if sparse:
        raise ValueError(f"{op}: `sparse=True` is not supported by the {backend} backend.")
