"""`keras.random`: random tensors, reproducible through seeds.

`seed` is an int (same int, same numbers), `None` (draws from the global generator) or a
`SeedGenerator` (each call advances it). Use a `SeedGenerator` inside layers and jitted
functions: its state is a Variable, so the numbers change from call to call.
"""

from unikeras.backend import dtypes
from unikeras.backend.registry import table
from unikeras.random.seed_generator import draw_seed


def _dim(d):
    """An int, or (inside a graph, e.g. a `tf.data` pipeline) a scalar tensor of the
    backend holding a size known only at run time."""
    try:
        return int(d)
    except TypeError:
        if table.is_tensor(d) and len(table.shape(d)) == 0:
            return d
        raise


def _shape(shape, fn_name):
    if isinstance(shape, int):
        shape = (shape,)
    try:
        return tuple(_dim(d) for d in shape)
    except TypeError:
        raise ValueError(
            f"{fn_name}: `shape` must be a tuple of known ints. Received: shape={shape!r}"
        ) from None


def _float_dtype(dtype, fn_name):
    dtype = dtypes.standardize_dtype(dtype)
    if not dtypes.is_float_dtype(dtype):
        raise ValueError(
            f"{fn_name}: `dtype` must be a floating point type. Received: dtype={dtype}"
        )
    return dtype


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws samples from a normal (Gaussian) distribution.

    Args:
        shape: Tuple of ints (or an int), the shape of the output.
        mean: Float, the mean of the distribution (default 0.0).
        stddev: Float, the standard deviation of the distribution (default 1.0).
        dtype: Float dtype of the output; `None` (default) means `floatx()`.
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of shape `shape` and dtype `dtype`.

    Examples:
        >>> keras.random.normal((2, 3), seed=1).shape
        (2, 3)
    """
    return table.random_normal(
        _shape(shape, "normal"), mean, stddev, _float_dtype(dtype, "normal"), draw_seed(seed)
    )


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws samples from the uniform distribution on `[minval, maxval)`.

    Args:
        shape: Tuple of ints (or an int), the shape of the output.
        minval: Float, the lower bound, included (default 0.0).
        maxval: Float, the upper bound, excluded (default 1.0).
        dtype: Float dtype of the output; `None` (default) means `floatx()`.
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of shape `shape` and dtype `dtype`.

    Examples:
        >>> x = keras.random.uniform((100,), minval=2.0, maxval=3.0, seed=1)
        >>> bool(keras.ops.all((x >= 2.0) & (x < 3.0)))
        True
    """
    return table.random_uniform(
        _shape(shape, "uniform"), minval, maxval, _float_dtype(dtype, "uniform"), draw_seed(seed)
    )


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Draws integers uniformly from `[minval, maxval)`.

    Args:
        shape: Tuple of ints (or an int), the shape of the output.
        minval: Int, the lower bound, included.
        maxval: Int, the upper bound, excluded.
        dtype: Integer dtype of the output (default `"int32"`).
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of shape `shape` and dtype `dtype`.

    Examples:
        >>> x = keras.random.randint((100,), 0, 3, seed=1)
        >>> keras.ops.dtype(x), bool(keras.ops.all((x >= 0) & (x < 3)))
        ('int32', True)
    """
    dtype = dtypes.standardize_dtype(dtype)
    if not dtypes.is_int_dtype(dtype):
        raise ValueError(f"randint: `dtype` must be an integer type. Received: dtype={dtype}")
    return table.random_randint(_shape(shape, "randint"), minval, maxval, dtype, draw_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws normal samples, redrawing those more than two `stddev` away from `mean`.

    Args:
        shape: Tuple of ints (or an int), the shape of the output.
        mean: Float, the mean of the distribution before truncation (default 0.0).
        stddev: Float, the standard deviation before truncation (default 1.0).
        dtype: Float dtype of the output; `None` (default) means `floatx()`.
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of shape `shape` and dtype `dtype`, with values in
        `[mean - 2 * stddev, mean + 2 * stddev]`.

    Examples:
        >>> x = keras.random.truncated_normal((100,), seed=1)
        >>> bool(keras.ops.all(keras.ops.abs(x) <= 2.0))
        True
    """
    return table.random_truncated_normal(
        _shape(shape, "truncated_normal"),
        mean,
        stddev,
        _float_dtype(dtype, "truncated_normal"),
        draw_seed(seed),
    )


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries of `inputs` with probability `rate`, scaling the rest by `1/(1-rate)`.

    The scaling keeps the expected value of each entry unchanged.

    Args:
        inputs: Tensor.
        rate: Drop probability, in `[0, 1)`.
        noise_shape: Shape of the random keep mask, broadcast against `inputs` (e.g.
            `(batch, 1, features)` drops whole features); `None` entries take the size of
            `inputs` on that axis. Defaults to `inputs`' shape.
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of the shape and dtype of `inputs`.

    Examples:
        >>> x = keras.random.dropout(np.ones((100,), 'float32'), rate=0.5, seed=1)
        >>> sorted(set(keras.ops.convert_to_numpy(x).tolist()))  # dropped: 0, kept: 1 / 0.5
        [0.0, 2.0]
    """
    if not 0 <= rate < 1:
        raise ValueError(f"dropout: `rate` must be in [0, 1). Received: rate={rate}")
    inputs = table.convert_to_tensor(inputs)
    shape = tuple(table.shape(inputs))
    if noise_shape is None:
        noise_shape = shape
    elif len(noise_shape) != len(shape):
        raise ValueError(
            f"dropout: `noise_shape` must have the rank of `inputs` ({len(shape)}). "
            f"Received: noise_shape={noise_shape}, inputs.shape={shape}"
        )
    noise_shape = tuple(s if n is None else _dim(n) for n, s in zip(noise_shape, shape))
    return table.random_dropout(inputs, rate, noise_shape, draw_seed(seed))


def shuffle(x, axis=0, seed=None):
    """Shuffles `x` along `axis`: a uniformly random permutation of its slices.

    Args:
        x: Input tensor.
        axis: Int, the axis whose slices are permuted (default 0).
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of the shape and dtype of `x`.

    Examples:
        >>> x = keras.random.shuffle(np.arange(5), seed=1)
        >>> sorted(keras.ops.convert_to_numpy(x).tolist())
        [0, 1, 2, 3, 4]
    """
    return table.random_shuffle(table.convert_to_tensor(x), axis, draw_seed(seed))


def gamma(shape, alpha, dtype=None, seed=None):
    """Draws samples from the Gamma distribution with shape parameter `alpha` and scale 1.

    Args:
        shape: Tuple of ints (or an int), the shape of the output.
        alpha: Float (or a tensor broadcastable to `shape`), the shape parameter, `> 0`.
        dtype: Float dtype of the output; `None` (default) means `floatx()`.
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of shape `shape` and dtype `dtype`, with positive values.

    Examples:
        >>> keras.random.gamma((2, 3), alpha=2.0, seed=1).shape
        (2, 3)
    """
    return table.random_gamma(
        _shape(shape, "gamma"), alpha, _float_dtype(dtype, "gamma"), draw_seed(seed)
    )


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draws the number of successes in `counts` trials of success probability `probabilities`.

    Args:
        shape: Tuple of ints (or an int), the shape of the output.
        counts: Number of trials (a number or a tensor broadcastable to `shape`).
        probabilities: Success probability of each trial, in `[0, 1]` (a float or a tensor
            broadcastable to `shape`).
        dtype: Float dtype of the output; `None` (default) means `floatx()`.
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of shape `shape` and float dtype `dtype` holding whole numbers in
        `[0, counts]`.

    Examples:
        >>> keras.random.binomial((3,), counts=5, probabilities=1.0, seed=1)
        array([5., 5., 5.], dtype=float32)
    """
    return table.random_binomial(
        _shape(shape, "binomial"),
        counts,
        probabilities,
        _float_dtype(dtype, "binomial"),
        draw_seed(seed),
    )


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draws samples from the Beta distribution with parameters `alpha` and `beta`.

    Args:
        shape: Tuple of ints (or an int), the shape of the output.
        alpha: Float (or a tensor broadcastable to `shape`), the first shape parameter,
            `> 0`.
        beta: Float (or a tensor broadcastable to `shape`), the second shape parameter, `> 0`.
        dtype: Float dtype of the output; `None` (default) means `floatx()`.
        seed: An int (the same int gives the same numbers), `None` (default: draw from the
            global generator) or a `keras.random.SeedGenerator` (each call advances it).

    Returns:
        A tensor of shape `shape` and dtype `dtype`, with values in `[0, 1]`.

    Examples:
        >>> keras.random.beta((2, 3), alpha=2.0, beta=5.0, seed=1).shape
        (2, 3)
    """
    return table.random_beta(
        _shape(shape, "beta"), alpha, beta, _float_dtype(dtype, "beta"), draw_seed(seed)
    )


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws class ids from the categorical distributions given by the rows of `logits`.

    Args:
        logits: 2-D tensor `(batch_size, num_classes)` of unnormalized log-probabilities.
        num_samples: Number of draws per row.
        dtype: Integer dtype of the result.
        seed: An int, `None` or a `SeedGenerator`.

    Returns:
        Tensor of shape `(batch_size, num_samples)`.
    """
    logits = table.convert_to_tensor(logits)
    shape = tuple(table.shape(logits))
    if len(shape) != 2:
        raise ValueError(
            "categorical: `logits` must be 2-D (batch_size, num_classes). "
            f"Received: logits.shape={shape}"
        )
    dtype = dtypes.standardize_dtype(dtype)
    if not dtypes.is_int_dtype(dtype):
        raise ValueError(f"categorical: `dtype` must be an integer type. Received: {dtype}")
    return table.random_categorical(logits, int(num_samples), dtype, draw_seed(seed))
