"""Op hooks of the `keras.ops.linalg` namespace."""

from unikeras.backend.hookspec import Tensor, op  # noqa: F401
