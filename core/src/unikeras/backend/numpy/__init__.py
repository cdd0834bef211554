"""The built-in NumPy backend: the reference implementation of every op (inference only).

Every other backend is checked against it by the conformance kit (`unikeras.testing`).
"""

from unikeras.backend.numpy import core, image, linalg, math, nn, numpy, random

unikeras_plugins = (core, numpy, nn, math, linalg, image, random)
