"""TensorFlow backend: the hooks behind `unikeras.random`.

Every hook uses TensorFlow's `stateless_*` samplers seeded by the `(2,)` uint32 seed tensor,
so a seed always gives the same numbers, eagerly and inside `tf.function`.
"""

import tensorflow as tf

from unikeras.backend.api import hookimpl
from unikeras_tf.convert import convert_to_tensor, to_tf_dtype


def _seed(seed):
    """The seed as the `(2,)` int64 tensor TensorFlow's stateless samplers take."""
    return tf.cast(tf.reshape(convert_to_tensor(seed), [2]), tf.int64)


def _split(seed, count):
    """`count` independent seeds derived from `seed`."""
    return tf.unstack(tf.random.experimental.stateless_split(_seed(seed), count))


def _param(value):
    return tf.cast(convert_to_tensor(value), tf.float64)


def _float_compute(dtype):
    """The dtype samplers draw in: float16/bfloat16 samples are drawn in float32."""
    dtype = to_tf_dtype(dtype)
    return tf.float32 if dtype in (tf.float16, tf.bfloat16) else dtype


def _scaled(sampler, shape, mean, stddev, dtype, seed):
    """Standard samples of `sampler`, scaled by `stddev` and shifted by `mean`."""
    compute = _float_compute(dtype)
    values = sampler(shape, _seed(seed), dtype=compute)
    values = values * tf.cast(_param(stddev), compute) + tf.cast(_param(mean), compute)
    return tf.cast(values, to_tf_dtype(dtype))


@hookimpl
def random_normal(shape, mean, stddev, dtype, seed):
    return _scaled(tf.random.stateless_normal, shape, mean, stddev, dtype, seed)


@hookimpl
def random_uniform(shape, minval, maxval, dtype, seed):
    compute = _float_compute(dtype)
    low, high = tf.cast(_param(minval), compute), tf.cast(_param(maxval), compute)
    values = tf.random.stateless_uniform(shape, _seed(seed), dtype=compute)
    out = tf.cast(low + values * (high - low), to_tf_dtype(dtype))
    # Rounding to a narrow dtype can land on `maxval`; the interval is half-open.
    high_out = tf.cast(high, out.dtype)
    return tf.where(out >= high_out, tf.cast(low, out.dtype), out)


@hookimpl
def random_randint(shape, minval, maxval, dtype, seed):
    low = tf.cast(convert_to_tensor(minval), tf.int64)
    high = tf.cast(convert_to_tensor(maxval), tf.int64)
    values = tf.random.stateless_uniform(
        shape, _seed(seed), minval=low, maxval=high, dtype=tf.int64
    )
    return tf.cast(values, to_tf_dtype(dtype))


@hookimpl
def random_truncated_normal(shape, mean, stddev, dtype, seed):
    # TF redraws samples farther than 2 standard deviations, as the contract asks.
    return _scaled(tf.random.stateless_truncated_normal, shape, mean, stddev, dtype, seed)


@hookimpl
def random_dropout(inputs, rate, noise_shape, seed):
    inputs = convert_to_tensor(inputs)
    keep_prob = 1.0 - float(rate)
    if noise_shape is None:
        noise_shape = tf.shape(inputs)
    elif any(size is None for size in noise_shape):  # unknown sizes (e.g. the batch) in a trace
        dynamic = tf.shape(inputs)
        noise_shape = tf.stack(
            [dynamic[i] if size is None else size for i, size in enumerate(noise_shape)]
        )
    keep = tf.random.stateless_uniform(noise_shape, _seed(seed)) < keep_prob
    scaled = inputs / tf.cast(keep_prob, inputs.dtype)
    return tf.where(keep, scaled, tf.zeros((), inputs.dtype))


@hookimpl
def random_shuffle(x, axis, seed):
    x = convert_to_tensor(x)
    keys = tf.random.stateless_uniform(tf.shape(x)[axis : axis + 1], _seed(seed))
    return tf.gather(x, tf.argsort(keys), axis=axis)


@hookimpl
def random_gamma(shape, alpha, dtype, seed):
    compute = _float_compute(dtype)
    values = tf.random.stateless_gamma(
        shape, _seed(seed), tf.cast(_param(alpha), compute), dtype=compute
    )
    return tf.cast(values, to_tf_dtype(dtype))


@hookimpl
def random_binomial(shape, counts, probabilities, dtype, seed):
    compute = _float_compute(dtype)
    counts = tf.broadcast_to(tf.cast(_param(counts), compute), shape)
    probabilities = tf.broadcast_to(tf.cast(_param(probabilities), compute), shape)
    values = tf.random.stateless_binomial(
        shape, _seed(seed), counts, probabilities, output_dtype=compute
    )
    return tf.cast(values, to_tf_dtype(dtype))


@hookimpl
def random_beta(shape, alpha, beta, dtype, seed):
    compute = _float_compute(dtype)
    first, second = _split(seed, 2)
    x = tf.random.stateless_gamma(shape, first, tf.cast(_param(alpha), compute), dtype=compute)
    y = tf.random.stateless_gamma(shape, second, tf.cast(_param(beta), compute), dtype=compute)
    return tf.cast(x / (x + y), to_tf_dtype(dtype))


@hookimpl
def random_categorical(logits, num_samples, dtype, seed):
    logits = tf.cast(convert_to_tensor(logits), tf.float32)
    samples = tf.random.stateless_categorical(logits, num_samples, _seed(seed), dtype=tf.int64)
    return tf.cast(samples, to_tf_dtype(dtype))
