"""OpenVINO backend: random ops as OpenVINO `RandomUniform` (and `Multinomial`) nodes.

The seed (two uint32 words) becomes the nodes' seed attributes, so it must have a value
when the op is built: a seed computed inside a compiled model (a traced seed Variable)
raises NotImplementedError. Other distributions are transformed uniform draws.
"""

import math

import numpy as np
import openvino.opset14 as ov_ops

from unikeras.backend.api import dtypes, hookimpl

from unikeras_openvino.core import int_const, is_graph_symbolic
from unikeras_openvino.graph import const, graph_op, host_array, node, ov_type, partial_shape
from unikeras_openvino.math import erfinv
from unikeras_openvino.numpy import dtype_out, rank


def _seeds(seed, op_name):
    if is_graph_symbolic(seed):
        raise NotImplementedError(
            f"`{op_name}` with a seed computed inside a compiled model is not implemented by "
            "the unikeras backend 'openvino' (OpenVINO takes random seeds as attributes)."
        )
    words = np.asarray(host_array(seed)).astype(np.uint64).reshape(-1)
    # Both seeds 0 would mean "nondeterministic" to OpenVINO: shift the global one.
    return int(words[0]) + 1, int(words[-1])


def _uniform(shape, seed, op_name, salt=0, dtype="float64"):
    """Uniform samples on [0, 1) of `shape` (a list), in `dtype`."""
    global_seed, op_seed = _seeds(seed, op_name)
    # Drawn flat: OpenVINO's RandomUniform returns a constant for a 0-d shape.
    flat = ov_ops.random_uniform(
        int_const([int(np.prod(shape, dtype=np.int64))]),
        const(0, dtype),
        const(1, dtype),
        ov_type(dtype).get_type_name(),
        global_seed,
        op_seed + salt,
    )
    return ov_ops.reshape(flat, int_const(list(shape)), False).output(0)


def standard_normal(shape, seed, op_name, salt=0):
    """Box-Muller: float64 standard normal samples of `shape`."""
    pair = _uniform([2] + list(shape), seed, op_name, salt)
    u1 = ov_ops.subtract(const(1.0, "float64"), ov_ops.gather(pair, int_const(0), int_const(0)))
    u2 = ov_ops.gather(pair, int_const(1), int_const(0))
    radius = ov_ops.sqrt(ov_ops.multiply(const(-2.0, "float64"), ov_ops.log(u1)))
    return ov_ops.multiply(
        radius, ov_ops.cos(ov_ops.multiply(const(2 * np.pi, "float64"), u2))
    ).output(0)


def _affine(values, scale, shift, dtype):
    out = ov_ops.add(ov_ops.multiply(values, node(scale, "float64")), node(shift, "float64"))
    return node(out.output(0), dtypes.standardize_dtype(dtype))


@hookimpl
@graph_op
def random_uniform(shape, minval, maxval, dtype, seed):
    dtype = dtypes.standardize_dtype(dtype)
    if not (is_graph_symbolic(minval) or is_graph_symbolic(maxval)) and np.array_equal(
        host_array(minval, "float64"), host_array(maxval, "float64")
    ):
        # OpenVINO folds the scaling into RandomUniform's bounds, which must differ.
        return ov_ops.broadcast(node(minval, dtype), int_const(list(shape))).output(0)
    low, high = node(minval, "float64"), node(maxval, "float64")
    values = _uniform(shape, seed, "random_uniform")
    out = _affine(values, ov_ops.subtract(high, low).output(0), low, dtype)
    # Rounding to a narrow dtype can land on `maxval`; the interval is half-open.
    return ov_ops.select(ov_ops.greater_equal(out, node(high, dtype)), node(low, dtype), out)


@hookimpl
@graph_op
def random_normal(shape, mean, stddev, dtype, seed):
    return _affine(standard_normal(shape, seed, "random_normal"), stddev, mean, dtype)


@hookimpl
@graph_op
def random_truncated_normal(shape, mean, stddev, dtype, seed):
    # Inverse CDF restricted to [-2, 2]: u uniform on [Phi(-2), Phi(2)].
    low = 0.5 * (1 + math.erf(-2 / np.sqrt(2)))
    u = _uniform(shape, seed, "random_truncated_normal")
    u = ov_ops.add(const(low, "float64"), ov_ops.multiply(u, const(1 - 2 * low, "float64")))
    z = ov_ops.multiply(
        const(np.sqrt(2.0), "float64"),
        erfinv(
            ov_ops.subtract(
                ov_ops.multiply(u, const(2.0, "float64")), const(1.0, "float64")
            ).output(0)
        ),
    )
    z = ov_ops.clamp(z, -2.0, 2.0).output(0)
    return _affine(z, stddev, mean, dtype)


@hookimpl
@graph_op
def random_randint(shape, minval, maxval, dtype, seed):
    low, high = node(minval, "float64"), node(maxval, "float64")
    u = _uniform(shape, seed, "random_randint")
    draws = ov_ops.floor(ov_ops.add(low, ov_ops.multiply(u, ov_ops.subtract(high, low))))
    draws = ov_ops.minimum(draws, ov_ops.subtract(high, const(1.0, "float64")))
    return node(draws.output(0), dtypes.standardize_dtype(dtype))


@hookimpl
@graph_op
def random_dropout(inputs, rate, noise_shape, seed):
    x = node(inputs)
    keep_prob = 1.0 - float(rate)
    noise_shape = partial_shape(x) if noise_shape is None else noise_shape
    keep = ov_ops.less(_uniform(noise_shape, seed, "random_dropout"), const(keep_prob, "float64"))
    scaled = ov_ops.divide(x, const(keep_prob, dtype_out(x)))
    return ov_ops.select(keep, scaled, const(0, dtype_out(x)))


@hookimpl
@graph_op
def random_shuffle(x, axis, seed):
    x = node(x)
    axis = int(axis) % rank(x)
    size = partial_shape(x)[axis]
    keys = _uniform([size], seed, "random_shuffle")
    order = ov_ops.topk(keys, int_const(size), 0, "max", "value", "i64").output(1)
    return ov_ops.gather(x, order, int_const(axis))


def _gamma(shape, alpha, seed, op_name, salt=0, rounds=12):
    """Marsaglia-Tsang gamma samples (float64), with `rounds` rejection rounds (each accepts
    with probability > 0.95); alpha < 1 uses gamma(alpha + 1) * U**(1 / alpha)."""
    alpha = ov_ops.broadcast(node(alpha, "float64"), int_const(list(shape))).output(0)
    small = ov_ops.less(alpha, const(1.0, "float64"))
    a = ov_ops.select(small, ov_ops.add(alpha, const(1.0, "float64")), alpha)
    d = ov_ops.subtract(a, const(1.0 / 3.0, "float64"))
    c = ov_ops.divide(const(1.0, "float64"), ov_ops.sqrt(ov_ops.multiply(const(9.0, "float64"), d)))
    result, accepted = None, None
    for r in range(rounds):
        z = standard_normal(shape, seed, op_name, salt + 2 * r)
        u = _uniform(shape, seed, op_name, salt + 2 * r + 1)
        v = ov_ops.add(const(1.0, "float64"), ov_ops.multiply(c, z))
        v3 = ov_ops.multiply(ov_ops.multiply(v, v), v)
        safe_v3 = ov_ops.maximum(v3, const(1e-300, "float64"))
        bound = ov_ops.add(
            ov_ops.multiply(const(0.5, "float64"), ov_ops.multiply(z, z)),
            ov_ops.multiply(
                d, ov_ops.add(ov_ops.subtract(const(1.0, "float64"), safe_v3), ov_ops.log(safe_v3))
            ),
        )
        ok = ov_ops.logical_and(
            ov_ops.greater(v, const(0.0, "float64")),
            ov_ops.less(ov_ops.log(ov_ops.subtract(const(1.0, "float64"), u)), bound),
        )
        sample = ov_ops.multiply(d, v3)
        if result is None:
            result, accepted = sample, ok
        else:
            take = ov_ops.logical_and(ok, ov_ops.logical_not(accepted))
            result = ov_ops.select(take, sample, result)
            accepted = ov_ops.logical_or(accepted, ok)
    boost = ov_ops.power(
        ov_ops.subtract(const(1.0, "float64"), _uniform(shape, seed, op_name, salt + 2 * rounds)),
        ov_ops.divide(const(1.0, "float64"), alpha),
    )
    return ov_ops.select(small, ov_ops.multiply(result, boost), result).output(0)


@hookimpl
@graph_op
def random_gamma(shape, alpha, dtype, seed):
    return node(_gamma(shape, alpha, seed, "random_gamma"), dtypes.standardize_dtype(dtype))


@hookimpl
@graph_op
def random_beta(shape, alpha, beta, dtype, seed):
    a = _gamma(shape, alpha, seed, "random_beta")
    b = _gamma(shape, beta, seed, "random_beta", salt=1000)
    return node(ov_ops.divide(a, ov_ops.add(a, b)).output(0), dtypes.standardize_dtype(dtype))


@hookimpl
@graph_op
def random_binomial(shape, counts, probabilities, dtype, seed):
    if is_graph_symbolic(counts):
        raise NotImplementedError(
            "`random_binomial` with counts computed inside a compiled model is not "
            "implemented by the unikeras backend 'openvino'."
        )
    most = int(np.max(host_array(counts))) if np.size(host_array(counts)) else 0
    # The sum of `most` Bernoulli trials, of which the first `counts` count.
    trials = _uniform([max(most, 1)] + list(shape), seed, "random_binomial")
    hits = ov_ops.less(trials, node(probabilities, "float64"))
    index = const(np.arange(max(most, 1)).reshape((-1,) + (1,) * len(shape)), "float64")
    counted = ov_ops.logical_and(hits, ov_ops.less(index, node(counts, "float64")))
    total = ov_ops.reduce_sum(ov_ops.convert(counted, "f64"), int_const([0]), False)
    return node(total.output(0), dtypes.standardize_dtype(dtype))


@hookimpl
@graph_op
def random_categorical(logits, num_samples, dtype, seed):
    global_seed, op_seed = _seeds(seed, "random_categorical")
    logits = node(logits, "float32")
    samples = ov_ops.multinomial(
        logits, const(int(num_samples), "int64"), "i64", True, True, global_seed, op_seed
    )
    return node(samples.output(0), dtypes.standardize_dtype(dtype))
