"""`keras.random`: random tensors and the `SeedGenerator` that makes them reproducible."""

from unikeras.random.random import (  # noqa: F401
    beta,
    binomial,
    categorical,
    dropout,
    gamma,
    normal,
    randint,
    shuffle,
    truncated_normal,
    uniform,
)
from unikeras.random.seed_generator import SeedGenerator  # noqa: F401
