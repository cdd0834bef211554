"""Op hooks behind `unikeras.random`.

The public functions (`unikeras.random.normal`, ...) resolve their `seed` argument (an int,
`None` or a `SeedGenerator`) into a concrete seed and call these hooks. Every hook is
stateless: the same `seed` gives the same numbers, on a given backend.

Every `seed` here is a tensor of shape `(2,)` and dtype `uint32` (the state of a
`SeedGenerator`). JAX uses it as a `PRNGKey`, TensorFlow as the seed of its `stateless_*`
functions, PyTorch and NumPy seed a fresh generator with it. `shape` is a tuple of ints and
`dtype` a unikeras dtype name (already resolved: never `None`).
"""

from unikeras.backend.hookspec import Tensor, op


@op
def random_normal(shape, mean, stddev, dtype, seed: Tensor):
    """Samples of the normal distribution with `mean` and `stddev` (float `dtype`)."""


@op
def random_uniform(shape, minval, maxval, dtype, seed: Tensor):
    """Samples of the uniform distribution on `[minval, maxval)` (float `dtype`)."""


@op
def random_randint(shape, minval, maxval, dtype, seed: Tensor):
    """Uniform integers in `[minval, maxval)` (int `dtype`)."""


@op
def random_truncated_normal(shape, mean, stddev, dtype, seed: Tensor):
    """Normal samples with values farther than `2 * stddev` from `mean` redrawn."""


@op
def random_dropout(inputs: Tensor, rate, noise_shape, seed: Tensor):
    """Zeroes entries of `inputs` with probability `rate` and scales the others by
    `1 / (1 - rate)`.

    Args:
        inputs: Float tensor.
        rate: Drop probability in `[0, 1)`.
        noise_shape: Shape of the keep mask (broadcast against `inputs`), with `None`
            entries already replaced by the matching dimension of `inputs`.
        seed: The seed tensor.

    Returns:
        A tensor of `inputs`' shape and dtype.
    """


@op
def random_shuffle(x: Tensor, axis, seed: Tensor):
    """Returns `x` with its slices along `axis` in a uniformly random order."""


@op
def random_gamma(shape, alpha, dtype, seed: Tensor):
    """Samples of the Gamma distribution with shape `alpha` (a float or a tensor
    broadcastable to `shape`) and scale 1."""


@op
def random_binomial(shape, counts, probabilities, dtype, seed: Tensor):
    """Samples of the Binomial distribution: successes in `counts` trials of probability
    `probabilities` (both broadcastable to `shape`), returned as `dtype` (a float dtype)."""


@op
def random_beta(shape, alpha, beta, dtype, seed: Tensor):
    """Samples of the Beta distribution with parameters `alpha` and `beta`
    (broadcastable to `shape`)."""


@op
def random_categorical(logits: Tensor, num_samples, dtype, seed: Tensor):
    """Class ids drawn from the rows of `logits` (`(batch, num_classes)`, unnormalized
    log-probabilities): shape `(batch, num_samples)`, int `dtype`."""
