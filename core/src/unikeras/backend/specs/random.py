"""Op hooks of the `keras.random` namespace."""

from unikeras.backend.hookspec import Tensor, op  # noqa: F401
