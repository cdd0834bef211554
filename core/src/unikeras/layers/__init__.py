"""`keras.layers`."""

from unikeras.layers.core.input_layer import Input, InputLayer  # noqa: F401
from unikeras.layers.input_spec import InputSpec  # noqa: F401
from unikeras.layers.layer import Layer  # noqa: F401
from unikeras.layers.core.dense import Dense  # noqa: F401
