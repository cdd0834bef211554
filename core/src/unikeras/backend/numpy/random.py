"""NumPy backend: the hooks behind `unikeras.random`.

Each call seeds a fresh `numpy.random.Generator` (PCG64) from the two uint32 words of the
seed, so a seed always gives the same numbers.
"""

import numpy as np

from unikeras.backend.hookspec import hookimpl
from unikeras.backend.numpy.core import convert_to_numpy, convert_to_tensor, to_np_dtype


def generator(seed):
    """Returns a PCG64 generator seeded from a `(2,)` uint32 seed tensor."""
    words = np.asarray(convert_to_numpy(seed)).astype(np.uint32).reshape(-1)
    return np.random.Generator(np.random.PCG64([int(w) for w in words]))


def _param(value):
    """A distribution parameter as a float64 array (tensors) or a Python number."""
    return np.asarray(convert_to_numpy(value), dtype=np.float64)


@hookimpl
def random_normal(shape, mean, stddev, dtype, seed):
    values = generator(seed).normal(size=tuple(shape))
    return (values * _param(stddev) + _param(mean)).astype(to_np_dtype(dtype))


@hookimpl
def random_uniform(shape, minval, maxval, dtype, seed):
    low, high = _param(minval), _param(maxval)
    values = generator(seed).random(size=tuple(shape))
    out = (low + values * (high - low)).astype(to_np_dtype(dtype))
    # Rounding to a narrow dtype can land on `maxval`; the interval is half-open.
    return np.where(out >= high, np.asarray(low).astype(out.dtype), out) if out.size else out


@hookimpl
def random_randint(shape, minval, maxval, dtype, seed):
    low = np.asarray(convert_to_numpy(minval)).astype(np.int64)
    high = np.asarray(convert_to_numpy(maxval)).astype(np.int64)
    values = generator(seed).integers(low, high, size=tuple(shape))
    return values.astype(to_np_dtype(dtype))


@hookimpl
def random_truncated_normal(shape, mean, stddev, dtype, seed):
    rng = generator(seed)
    values = rng.normal(size=tuple(shape))
    outside = np.abs(values) > 2.0
    while outside.any():
        values[outside] = rng.normal(size=int(outside.sum()))
        outside = np.abs(values) > 2.0
    return (values * _param(stddev) + _param(mean)).astype(to_np_dtype(dtype))


@hookimpl
def random_dropout(inputs, rate, noise_shape, seed):
    inputs = convert_to_tensor(inputs)
    keep_prob = 1.0 - float(rate)
    keep = generator(seed).random(size=tuple(noise_shape)) < keep_prob
    scaled = (inputs / np.asarray(keep_prob, dtype=inputs.dtype)).astype(inputs.dtype)
    return np.where(keep, scaled, np.zeros((), inputs.dtype))


@hookimpl
def random_shuffle(x, axis, seed):
    x = convert_to_tensor(x)
    order = generator(seed).permutation(x.shape[axis])
    return np.take(x, order, axis=axis)


@hookimpl
def random_gamma(shape, alpha, dtype, seed):
    values = generator(seed).standard_gamma(_param(alpha), size=tuple(shape))
    return values.astype(to_np_dtype(dtype))


@hookimpl
def random_binomial(shape, counts, probabilities, dtype, seed):
    counts = np.asarray(convert_to_numpy(counts)).astype(np.int64)
    values = generator(seed).binomial(counts, _param(probabilities), size=tuple(shape))
    return values.astype(to_np_dtype(dtype))


@hookimpl
def random_beta(shape, alpha, beta, dtype, seed):
    values = generator(seed).beta(_param(alpha), _param(beta), size=tuple(shape))
    return values.astype(to_np_dtype(dtype))


@hookimpl
def random_categorical(logits, num_samples, dtype, seed):
    logits = np.asarray(convert_to_numpy(logits), dtype=np.float64)
    # Gumbel-max: argmax(logits + Gumbel noise) is a draw from softmax(logits).
    noise = generator(seed).gumbel(size=(num_samples,) + logits.shape)
    samples = np.argmax(logits[None] + noise, axis=-1)
    return np.moveaxis(samples, 0, -1).astype(to_np_dtype(dtype))
