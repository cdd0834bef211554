"""NumPy backend: neural-network ops (`keras.ops.nn`)."""

import numpy as np

from unikeras.backend.hookspec import hookimpl
from unikeras.backend.numpy.core import convert_to_tensor


@hookimpl
def relu(x):
    x = convert_to_tensor(x)
    return np.maximum(x, np.zeros((), dtype=x.dtype))
