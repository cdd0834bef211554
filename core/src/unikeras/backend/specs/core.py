"""Op hooks of the core namespace (`keras.ops.core`): casting, shapes, control flow."""

from unikeras.backend.hookspec import Tensor, op


@op
def cast(x: Tensor, dtype):
    """Casts `x` to `dtype` (a dtype name or object)."""


@op
def get_item(x: Tensor, key):
    """Returns `x[key]` (NumPy basic indexing: ints, slices, `None`, `Ellipsis`)."""
