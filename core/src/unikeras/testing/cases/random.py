"""Conformance cases for the `random` op hooks (compared on shape and dtype only: engines
draw different numbers from the same seed)."""

import numpy as np

from unikeras.testing.case import Case, rand

_SEED = np.array([42, 0], "uint32")

CASES = {
    "random_normal": [
        Case((2, 3), 0.0, 1.0, "float32", _SEED),
        Case((), 1.0, 2.0, "float64", _SEED, id="scalar"),
    ],
    "random_uniform": [
        Case((4,), -1.0, 1.0, "float32", _SEED),
        Case((0, 2), 0.0, 1.0, "float16", _SEED, id="empty"),
    ],
    "random_randint": [
        Case((3, 2), 0, 10, "int32", _SEED),
        Case((5,), -5, 5, "int8", _SEED, id="int8"),
    ],
    "random_truncated_normal": [Case((2, 5), 0.0, 1.0, "float32", _SEED)],
    "random_dropout": [
        Case(rand((3, 4)), 0.5, (3, 4), _SEED),
        Case(rand((2, 3, 4)), 0.2, (2, 1, 4), _SEED, id="noise_shape"),
    ],
    "random_shuffle": [
        Case(rand((5, 2)), 0, _SEED),
        Case(rand((2, 6), "int32"), 1, _SEED, id="axis1"),
    ],
    "random_gamma": [Case((3, 3), 2.0, "float32", _SEED)],
    "random_binomial": [Case((4,), 10.0, 0.3, "float32", _SEED)],
    "random_beta": [Case((2, 2), 2.0, 3.0, "float32", _SEED)],
    "random_categorical": [Case(rand((3, 4)), 5, "int32", _SEED)],
}
