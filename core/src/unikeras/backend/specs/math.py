"""Op hooks of the `keras.ops.math` namespace."""

from unikeras.backend.hookspec import Tensor, op  # noqa: F401
