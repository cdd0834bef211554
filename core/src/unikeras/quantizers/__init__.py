"""`keras.quantizers` (the `Quantizer` base class so far)."""

from unikeras.quantizers.quantizer import Quantizer  # noqa: F401
