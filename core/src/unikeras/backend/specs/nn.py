"""Op hooks of the neural-network namespace (`keras.ops.nn`)."""

from unikeras.backend.hookspec import Tensor, op


@op
def relu(x: Tensor):
    """Rectified linear unit: `max(x, 0)` element-wise."""
