"""JAX backend: the hooks behind `unikeras.random`.

The `(2,)` uint32 seed tensor the core passes is the data of a threefry `PRNGKey`, so each
hook is a pure function of its seed and works under `jax.jit`.
"""

import jax
import jax.numpy as jnp

from unikeras_jax.convert import convert_to_tensor, to_jnp_dtype
from unikeras.backend.api import hookimpl


def prng_key(seed):
    """Returns the typed JAX PRNG key whose data is the `(2,)` uint32 seed tensor."""
    data = convert_to_tensor(seed, dtype="uint32").reshape(2)
    return jax.random.wrap_key_data(data, impl="threefry2x32")


def _param(value, dtype):
    return convert_to_tensor(value, dtype=dtype)


def _wide(dtype):
    """Samples are drawn in at least float32 and cast to narrow dtypes afterwards."""
    return jnp.promote_types(to_jnp_dtype(dtype), jnp.float32)


@hookimpl
def random_normal(shape, mean, stddev, dtype, seed):
    wide = _wide(dtype)
    values = jax.random.normal(prng_key(seed), tuple(shape), wide)
    return (values * _param(stddev, wide) + _param(mean, wide)).astype(to_jnp_dtype(dtype))


@hookimpl
def random_uniform(shape, minval, maxval, dtype, seed):
    dtype = to_jnp_dtype(dtype)
    low, high = _param(minval, dtype), _param(maxval, dtype)
    return jax.random.uniform(prng_key(seed), tuple(shape), dtype, low, high)


@hookimpl
def random_randint(shape, minval, maxval, dtype, seed):
    dtype = to_jnp_dtype(dtype)
    return jax.random.randint(
        prng_key(seed), tuple(shape), _param(minval, dtype), _param(maxval, dtype), dtype
    )


@hookimpl
def random_truncated_normal(shape, mean, stddev, dtype, seed):
    wide = _wide(dtype)
    values = jax.random.truncated_normal(prng_key(seed), -2.0, 2.0, tuple(shape), wide)
    return (values * _param(stddev, wide) + _param(mean, wide)).astype(to_jnp_dtype(dtype))


@hookimpl
def random_dropout(inputs, rate, noise_shape, seed):
    inputs = convert_to_tensor(inputs)
    keep_prob = 1.0 - rate
    keep = jax.random.bernoulli(prng_key(seed), keep_prob, tuple(noise_shape))
    scaled = (inputs / jnp.asarray(keep_prob, inputs.dtype)).astype(inputs.dtype)
    return jnp.where(keep, scaled, jnp.zeros((), inputs.dtype))


@hookimpl
def random_shuffle(x, axis, seed):
    return jax.random.permutation(
        prng_key(seed), convert_to_tensor(x), axis=axis, independent=False
    )


@hookimpl
def random_gamma(shape, alpha, dtype, seed):
    wide = _wide(dtype)
    values = jax.random.gamma(prng_key(seed), _param(alpha, wide), tuple(shape), wide)
    return values.astype(to_jnp_dtype(dtype))


@hookimpl
def random_binomial(shape, counts, probabilities, dtype, seed):
    wide = _wide(dtype)
    values = jax.random.binomial(
        prng_key(seed), _param(counts, wide), _param(probabilities, wide), tuple(shape), wide
    )
    return values.astype(to_jnp_dtype(dtype))


@hookimpl
def random_beta(shape, alpha, beta, dtype, seed):
    wide = _wide(dtype)
    values = jax.random.beta(
        prng_key(seed), _param(alpha, wide), _param(beta, wide), tuple(shape), wide
    )
    return values.astype(to_jnp_dtype(dtype))


@hookimpl
def random_categorical(logits, num_samples, dtype, seed):
    logits = convert_to_tensor(logits)
    logits = logits.astype(jnp.promote_types(logits.dtype, jnp.float32))
    samples = jax.random.categorical(
        prng_key(seed), logits[None], axis=-1, shape=(num_samples, logits.shape[0])
    )
    return jnp.moveaxis(samples, 0, -1).astype(to_jnp_dtype(dtype))
