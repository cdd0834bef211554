"""Op hooks of the NumPy-like namespace (`keras.ops.numpy`)."""

from unikeras.backend.hookspec import Tensor, Tensors, op


@op
def add(x1: Tensor, x2: Tensor):
    """Adds two tensors element-wise, with broadcasting.

    Args:
        x1: First tensor.
        x2: Second tensor.

    Returns:
        `x1 + x2`, with the promoted dtype.
    """


@op
def subtract(x1: Tensor, x2: Tensor):
    """Subtracts `x2` from `x1` element-wise, with broadcasting."""


@op
def multiply(x1: Tensor, x2: Tensor):
    """Multiplies two tensors element-wise, with broadcasting."""


@op
def matmul(x1: Tensor, x2: Tensor):
    """Matrix product of two tensors (NumPy `matmul` semantics, batched over leading axes).

    Integer inputs give an integer result (`int8 x int8 -> int32`).
    """


@op
def reshape(x: Tensor, newshape):
    """Gives a new shape to a tensor without changing its data.

    Args:
        x: Input tensor.
        newshape: Tuple of ints; one entry may be `-1` (inferred).
    """


@op
def transpose(x: Tensor, axes=None):
    """Permutes the axes of `x` (reverses them when `axes` is `None`)."""


@op
def sum(x: Tensor, axis=None, keepdims=False):
    """Sum of elements over `axis` (an int, a tuple of ints, or `None` for all).

    Booleans and integers narrower than 32 bits sum in `int32`, `uint8/16` in `uint32`.
    """


@op
def mean(x: Tensor, axis=None, keepdims=False):
    """Arithmetic mean over `axis`. Integer and bool inputs give `floatx()`."""


@op
def concatenate(xs: Tensors, axis=0):
    """Joins a sequence of tensors along an existing axis."""


@op
def zeros(shape, dtype=None):
    """Returns a tensor of zeros of the given shape and dtype (`floatx()` when `None`)."""


@op
def ones(shape, dtype=None):
    """Returns a tensor of ones of the given shape and dtype (`floatx()` when `None`)."""
