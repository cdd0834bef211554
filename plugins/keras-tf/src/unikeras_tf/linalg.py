"""TensorFlow backend: `linalg` ops."""

import numpy as np
import tensorflow as tf

from unikeras.backend.common.array_args import check_qr_mode
from unikeras.backend.common.dtype_rules import float_pair_dtype
from unikeras.backend.api import hookimpl, tree
from unikeras_tf.convert import convert_to_tensor, to_tf_dtype
from unikeras_tf.numpy import floats

_LINALG_DTYPES = (tf.float32, tf.float64, tf.complex64, tf.complex128)


def _float(x):
    """`x` as a float tensor, and the dtype TF's decompositions compute it in."""
    x = floats(x)
    return x, (x.dtype if x.dtype in _LINALG_DTYPES else tf.float32)


def _computed(fn, x):
    """Runs `fn` on `x` in a dtype TF's linalg kernels support; results keep x's dtype (real
    results of complex inputs their real dtype)."""
    x, compute = _float(x)
    out = fn(tf.cast(x, compute))

    def back(v):
        return tf.cast(
            v, x.dtype if v.dtype.is_complex or not x.dtype.is_complex else x.dtype.real_dtype
        )

    return tree.map_structure(back, out)


def _promote_float(a, b):
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    name = float_pair_dtype(a.dtype, b.dtype)
    dtype = to_tf_dtype(name)
    return tf.cast(a, dtype), tf.cast(b, dtype)


def _largest_side(x, dtype):
    """`max(rows, columns)` of the matrices in `x`, as a scalar of `dtype`."""
    return tf.cast(tf.reduce_max(tf.shape(x)[-2:]), dtype)


def _adjoint(x):
    return tf.linalg.adjoint(x)


@hookimpl
def cholesky(x, upper=False):
    def compute(x):
        lower = tf.linalg.cholesky(x)
        return _adjoint(lower) if upper else lower

    return _computed(compute, x)


@hookimpl
def cholesky_inverse(x, upper=False):
    def compute(x):
        lower = _adjoint(x) if upper else x
        identity = tf.eye(tf.shape(x)[-1], batch_shape=tf.shape(x)[:-2], dtype=x.dtype)
        lower_inv = tf.linalg.triangular_solve(lower, identity, lower=True)
        return tf.matmul(lower_inv, lower_inv, adjoint_a=True)

    return _computed(compute, x)


@hookimpl
def det(x):
    return _computed(tf.linalg.det, x)


@hookimpl
def eig(x):
    x, compute = _float(x)
    w, v = tf.linalg.eig(tf.cast(x, compute))
    real = (
        not x.dtype.is_complex
        and tf.executing_eagerly()
        and bool(tf.reduce_all(tf.equal(tf.math.imag(w), 0)))
    )
    if real:  # real eigenvalues give real results, as in NumPy
        return tf.cast(tf.math.real(w), x.dtype), tf.cast(tf.math.real(v), x.dtype)
    complex_dtype = tf.complex128 if x.dtype == tf.float64 else tf.complex64
    return tf.cast(w, complex_dtype), tf.cast(v, complex_dtype)


@hookimpl
def eigh(x):
    return _computed(lambda x: tuple(tf.linalg.eigh(x)), x)


@hookimpl
def inv(x):
    return _computed(tf.linalg.inv, x)


def _lapack_pivots(permutation):
    """Row swaps (LAPACK `ipiv`, 0-based) that produce the row `permutation`."""
    n = permutation.shape[-1]
    current = tf.broadcast_to(tf.range(n, dtype=permutation.dtype), tf.shape(permutation))
    pivots = []
    for k in range(n):
        wanted = permutation[..., k : k + 1]
        position = tf.argmax(
            tf.cast(tf.equal(current, wanted), tf.int32), axis=-1, output_type=tf.int32
        )
        pivots.append(position)
        at_k = current[..., k : k + 1]
        positions = tf.range(n)
        current = tf.where(
            tf.equal(positions, k),
            wanted,
            tf.where(tf.equal(positions, position[..., None]), at_k, current),
        )
    return (
        tf.stack(pivots, axis=-1)
        if pivots
        else tf.zeros(tf.concat([tf.shape(permutation)[:-1], [0]], 0), tf.int32)
    )


@hookimpl
def lu_factor(x):
    x, compute = _float(x)
    lu, permutation = tf.linalg.lu(tf.cast(x, compute))
    return tf.cast(lu, x.dtype), _lapack_pivots(permutation)


def _vector_norm(x, ord, axis, keepdims):
    a = tf.abs(x)
    if ord is None or ord == 2:
        return tf.sqrt(tf.reduce_sum(a * a, axis=axis, keepdims=keepdims))
    if ord == np.inf:
        return tf.reduce_max(a, axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return tf.reduce_min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return tf.reduce_sum(tf.cast(tf.not_equal(a, 0), a.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return tf.reduce_sum(a, axis=axis, keepdims=keepdims)
    p = tf.constant(float(ord), a.dtype)
    return tf.pow(tf.reduce_sum(tf.pow(a, p), axis=axis, keepdims=keepdims), 1 / p)


def _singular_values(x, row, col):
    moved = tf.transpose(x, [a for a in range(x.shape.rank) if a not in (row, col)] + [row, col])
    return tf.linalg.svd(moved, compute_uv=False)


def _matrix_norm(x, ord, row, col, keepdims):
    a = tf.abs(x)
    if ord is None or ord == "fro":
        out = tf.sqrt(tf.reduce_sum(a * a, axis=[row, col]))
    elif ord == "nuc":
        out = tf.reduce_sum(_singular_values(x, row, col), axis=-1)
    elif ord in (1, -1):
        sums = tf.reduce_sum(a, axis=row)
        out = (tf.reduce_max if ord == 1 else tf.reduce_min)(sums, axis=col - (col > row))
    elif ord in (np.inf, -np.inf):
        sums = tf.reduce_sum(a, axis=col)
        out = (tf.reduce_max if ord == np.inf else tf.reduce_min)(sums, axis=row - (row > col))
    elif ord in (2, -2):
        values = _singular_values(x, row, col)
        out = (tf.reduce_max if ord == 2 else tf.reduce_min)(values, axis=-1)
    else:
        raise ValueError(f"norm: invalid `ord` {ord!r} for a matrix norm.")
    if keepdims:
        for a_ in sorted((row, col)):
            out = tf.expand_dims(out, a_)
    return out


@hookimpl
def norm(x, ord=None, axis=None, keepdims=False):
    x = floats(x)
    rank = x.shape.rank
    real = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
    if axis is None:
        if ord is None or rank <= 1 or rank > 2:
            flat = tf.reshape(x, [-1])
            out = _vector_norm(flat, ord, 0, False)
            return tf.cast(tf.reshape(out, [1] * rank) if keepdims else out, real)
        axis = (0, 1)
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    if len(axes) == 1:
        return tf.cast(_vector_norm(x, ord, axes[0] % rank, keepdims), real)
    row, col = axes[0] % rank, axes[1] % rank
    return tf.cast(_matrix_norm(x, ord, row, col, keepdims), real)


@hookimpl
def qr(x, mode="reduced"):
    check_qr_mode(mode)
    return _computed(lambda x: tuple(tf.linalg.qr(x, full_matrices=mode == "complete")), x)


def _as_matrix(a, b):
    """`b` as a matrix: a vector right-hand side (rank `a.ndim - 1`) gets a trailing axis."""
    vector = b.shape.rank == a.shape.rank - 1
    return (b[..., None] if vector else b), vector


def _broadcast_batch(a, b):
    batch = tf.broadcast_dynamic_shape(tf.shape(a)[:-2], tf.shape(b)[:-2])
    return (
        tf.broadcast_to(a, tf.concat([batch, tf.shape(a)[-2:]], 0)),
        tf.broadcast_to(b, tf.concat([batch, tf.shape(b)[-2:]], 0)),
    )


def _solve_with(fn, a, b):
    a, b = _promote_float(a, b)
    rhs, vector = _as_matrix(a, b)
    compute = a.dtype if a.dtype in _LINALG_DTYPES else tf.float32
    a_, rhs_ = _broadcast_batch(tf.cast(a, compute), tf.cast(rhs, compute))
    out = tf.cast(fn(a_, rhs_), a.dtype)
    return out[..., 0] if vector else out


@hookimpl
def solve(a, b):
    return _solve_with(tf.linalg.solve, a, b)


@hookimpl
def solve_triangular(a, b, lower=False):
    return _solve_with(lambda a, b: tf.linalg.triangular_solve(a, b, lower=lower), a, b)


@hookimpl
def svd(x, full_matrices=True, compute_uv=True):
    if not compute_uv:
        return _computed(lambda x: tf.linalg.svd(x, compute_uv=False), x)

    def compute(x):
        s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
        return u, s, _adjoint(v)

    return _computed(compute, x)


@hookimpl
def lstsq(a, b, rcond=None):
    a, b = _promote_float(a, b)
    rhs, vector = _as_matrix(a, b)
    # The minimum-norm solution through the pseudo-inverse, cut at NumPy's default rcond.
    compute = a.dtype if a.dtype in _LINALG_DTYPES else tf.float32
    a_ = tf.cast(a, compute)
    if rcond is None:
        rcond = np.finfo(compute.as_numpy_dtype).eps * _largest_side(a, compute)
    out = tf.matmul(tf.linalg.pinv(a_, rcond=rcond), tf.cast(rhs, compute))
    out = tf.cast(out, a.dtype)
    return out[..., 0] if vector else out


@hookimpl
def matrix_rank(x, tol=None):
    x, compute = _float(x)
    s = tf.linalg.svd(tf.cast(x, compute), compute_uv=False)
    if tol is None:
        eps = np.finfo(compute.real_dtype.as_numpy_dtype).eps
        tol = tf.reduce_max(s, axis=-1, keepdims=True) * _largest_side(x, s.dtype) * eps
    else:
        tol = tf.cast(tol, s.dtype)
    return tf.reduce_sum(tf.cast(s > tol, tf.int32), axis=-1)


@hookimpl
def matrix_power(x, n):
    x = convert_to_tensor(x)
    if n < 0:
        x, n = inv(x), -n
    compute = (
        x.dtype
        if x.dtype in _LINALG_DTYPES + (tf.int32, tf.int64, tf.float16)
        else tf.int64
        if x.dtype.is_integer
        else tf.float32
    )
    base = tf.cast(x, compute)
    result = tf.eye(tf.shape(x)[-1], batch_shape=tf.shape(x)[:-2], dtype=compute)
    while n:  # repeated squaring
        if n & 1:
            result = tf.matmul(result, base)
        n >>= 1
        if n:
            base = tf.matmul(base, base)
    return tf.cast(result, x.dtype)


@hookimpl
def pinv(x, rcond=None):
    x, compute = _float(x)
    if rcond is None:
        rcond = (
            _largest_side(x, compute.real_dtype) * np.finfo(compute.real_dtype.as_numpy_dtype).eps
        )
    return tf.cast(tf.linalg.pinv(tf.cast(x, compute), rcond=rcond), x.dtype)


@hookimpl
def jvp(fun, primals, tangents, has_aux=False):
    primals = tree.map_structure(convert_to_tensor, primals)
    tangents = tree.map_structure(
        lambda t, p: tf.cast(convert_to_tensor(t), p.dtype), tangents, primals
    )
    flat_primals, flat_tangents = tree.flatten(primals), tree.flatten(tangents)
    with tf.autodiff.ForwardAccumulator(flat_primals, flat_tangents) as accumulator:
        result = fun(*primals)
    out, aux = result if has_aux else (result, None)
    tangents_out = tree.map_structure(lambda o: _zero_if_none(accumulator.jvp(o), o), out)
    return (out, tangents_out, aux) if has_aux else (out, tangents_out)


def _zero_if_none(tangent, output):
    return tf.zeros_like(output) if tangent is None else tangent
