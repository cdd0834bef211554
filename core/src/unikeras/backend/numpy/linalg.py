"""NumPy backend: `linalg` ops."""

import numpy as np

from unikeras.backend.hookspec import hookimpl
from unikeras.backend.common.linalg_api import bind_linalg_ops
from unikeras.backend.numpy.core import convert_to_tensor, to_np_dtype
from unikeras.backend.numpy.math import to_float
from unikeras.backend import tree


@hookimpl
def cholesky_inverse(x, upper=False):
    x = to_float(x)
    lower = _shared._adjoint(x) if upper else x
    identity = np.broadcast_to(np.eye(x.shape[-1], dtype=x.dtype), x.shape)
    lower_inv = solve_triangular(lower, identity, lower=True)
    return _shared._adjoint(lower_inv) @ lower_inv


@hookimpl
def det(x):
    x = to_float(x)
    return np.asarray(np.linalg.det(x)).astype(x.dtype)


@hookimpl
def eig(x):
    x = to_float(x)
    w, v = np.linalg.eig(x)
    if np.iscomplexobj(w):
        complex_dtype = np.complex128 if x.dtype == np.float64 else np.complex64
        return w.astype(complex_dtype), v.astype(complex_dtype)
    return w.astype(x.dtype), v.astype(x.dtype)


@hookimpl
def eigh(x):
    x = to_float(x)
    w, v = np.linalg.eigh(x)
    return w.astype(x.real.dtype), v.astype(x.dtype)


def _lu_single(a):
    """LU with partial pivoting of one square matrix: (packed LU, LAPACK pivots)."""
    lu = a.copy()
    n = min(lu.shape)
    pivots = np.zeros(n, dtype=np.int32)
    for k in range(n):
        p = k + int(np.argmax(np.abs(lu[k:, k])))
        pivots[k] = p
        if p != k:
            lu[[k, p]] = lu[[p, k]]
        if lu[k, k] != 0:
            lu[k + 1 :, k] /= lu[k, k]
        lu[k + 1 :, k + 1 :] -= np.outer(lu[k + 1 :, k], lu[k, k + 1 :])
    return lu, pivots


@hookimpl
def lu_factor(x):
    x = to_float(x)
    batch, (m, n) = x.shape[:-2], x.shape[-2:]
    flat = x.reshape((-1, m, n))
    results = [_lu_single(a) for a in flat]
    lu = np.stack([r[0] for r in results]) if results else np.zeros((0, m, n), x.dtype)
    pivots = np.stack([r[1] for r in results]) if results else np.zeros((0, min(m, n)), np.int32)
    return lu.reshape(x.shape), pivots.reshape(batch + (min(m, n),))


@hookimpl
def norm(x, ord=None, axis=None, keepdims=False):
    x = to_float(x)
    axis = tuple(axis) if isinstance(axis, list) else axis
    result = np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
    return np.asarray(result).astype(x.real.dtype)


@hookimpl
def solve_triangular(a, b, lower=False):
    a, rhs, vector = _shared._solve_operands(a, b)
    x = np.array(rhs)  # a writable copy, solved in place
    n = a.shape[-1]
    # Substitution row by row: rows already solved are those before i (lower) or after it.
    for i in range(n) if lower else reversed(range(n)):
        done = slice(0, i) if lower else slice(i + 1, n)
        known = a[..., i, None, done] @ x[..., done, :]
        x[..., i, :] = (x[..., i, :] - known[..., 0, :]) / a[..., i, i, None]
    return x[..., 0] if vector else x


@hookimpl
def svd(x, full_matrices=True, compute_uv=True):
    x = to_float(x)
    if not compute_uv:
        return np.linalg.svd(x, compute_uv=False).astype(x.real.dtype)
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return u.astype(x.dtype), s.astype(x.real.dtype), vh.astype(x.dtype)


@hookimpl
def matrix_rank(x, tol=None):
    x = to_float(x)
    if x.size == 0:
        return np.zeros(x.shape[:-2], dtype=np.int32)
    return np.asarray(np.linalg.matrix_rank(x, tol=tol)).astype(np.int32)


@hookimpl
def pinv(x, rcond=None):
    x = to_float(x)
    if rcond is None:
        rcond = max(x.shape[-2:]) * np.finfo(x.real.dtype).eps
    return np.linalg.pinv(x, rcond=rcond).astype(x.dtype)


@hookimpl
def jvp(fun, primals, tangents, has_aux=False):
    # NumPy has no autodiff: a central difference along the tangent, evaluated in float64,
    # gives the product to about 1e-9 for smooth functions.
    step = 1e-6
    points = tree.flatten(primals)
    directions = [
        np.asarray(convert_to_tensor(t), dtype=np.float64) for t in tree.flatten(tangents)
    ]

    def shifted(sign):
        moved = [
            np.asarray(convert_to_tensor(p), dtype=np.float64) + sign * step * d
            for p, d in zip(points, directions)
        ]
        result = fun(*tree.pack_sequence_as(primals, moved))
        return result[0] if has_aux else result

    result = fun(*primals)
    out, aux = result if has_aux else (result, None)
    tangents_out = tree.map_structure(
        lambda hi, lo, o: ((np.asarray(hi) - np.asarray(lo)) / (2 * step)).astype(
            convert_to_tensor(o).dtype
        ),
        shifted(1.0),
        shifted(-1.0),
        out,
    )
    return (out, tangents_out, aux) if has_aux else (out, tangents_out)


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.linalg_api` and bound here to `np` and this module's helpers.
_shared = bind_linalg_ops(np, globals(), to_dtype=to_np_dtype)
