"""Op hooks of the `keras.ops.image` namespace."""

from unikeras.backend.hookspec import Tensor, op  # noqa: F401
