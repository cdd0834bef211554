"""JAX backend: `linalg` ops."""

import jax
import jax.numpy as jnp
import jax.scipy.linalg as scipy_linalg

from unikeras_jax.convert import convert_to_tensor, to_jnp_dtype
from unikeras_jax.math import to_float
from unikeras.backend.api import hookimpl, tree
from unikeras.backend.common.linalg_api import bind_linalg_ops


def _real_dtype(x):
    return jnp.real(jnp.zeros((), x.dtype)).dtype


@hookimpl
def cholesky_inverse(x, upper=False):
    x = to_float(x)
    lower = _shared._adjoint(x) if upper else x
    identity = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    lower_inv = scipy_linalg.solve_triangular(lower, identity, lower=True)
    return _shared._adjoint(lower_inv) @ lower_inv


@hookimpl
def det(x):
    x = to_float(x)
    return jnp.linalg.det(x).astype(x.dtype)


@hookimpl
def eig(x):
    x = to_float(x)
    w, v = jnp.linalg.eig(x)  # complex; JAX computes it on the host CPU (LAPACK geev)
    complex_dtype = jnp.complex128 if x.dtype == jnp.float64 else jnp.complex64
    w, v = w.astype(complex_dtype), v.astype(complex_dtype)
    if jnp.issubdtype(x.dtype, jnp.complexfloating) or bool(jnp.any(jnp.imag(w) != 0)):
        return w, v
    return jnp.real(w).astype(x.dtype), jnp.real(v).astype(x.dtype)


@hookimpl
def eigh(x):
    x = to_float(x)
    w, v = jnp.linalg.eigh(x, UPLO="L", symmetrize_input=False)
    return w.astype(_real_dtype(x)), v.astype(x.dtype)


@hookimpl
def lu_factor(x):
    x = to_float(x)
    lu, pivots = scipy_linalg.lu_factor(x)
    return lu, pivots.astype(jnp.int32)


@hookimpl
def norm(x, ord=None, axis=None, keepdims=False):
    x = to_float(x)
    axis = tuple(axis) if isinstance(axis, list) else axis
    result = jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)
    return result.astype(_real_dtype(x))


@hookimpl
def solve_triangular(a, b, lower=False):
    a, rhs, vector = _shared._solve_operands(a, b)
    out = scipy_linalg.solve_triangular(a, rhs, lower=lower)
    return out[..., 0] if vector else out


@hookimpl
def svd(x, full_matrices=True, compute_uv=True):
    x = to_float(x)
    if not compute_uv:
        return jnp.linalg.svd(x, compute_uv=False).astype(_real_dtype(x))
    u, s, vh = jnp.linalg.svd(x, full_matrices=full_matrices)
    return u.astype(x.dtype), s.astype(_real_dtype(x)), vh.astype(x.dtype)


@hookimpl
def matrix_rank(x, tol=None):
    x = to_float(x)
    if x.size == 0:
        return jnp.zeros(x.shape[:-2], dtype=jnp.int32)
    s = jnp.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = jnp.max(s, axis=-1, keepdims=True) * max(x.shape[-2:]) * jnp.finfo(_real_dtype(x)).eps
    else:
        tol = jnp.asarray(tol, s.dtype)[..., None]
    return jnp.sum(s > tol, axis=-1, dtype=jnp.int32)


@hookimpl
def pinv(x, rcond=None):
    x = to_float(x)
    if rcond is None:
        rcond = max(x.shape[-2:]) * jnp.finfo(_real_dtype(x)).eps
    u, s, vh = jnp.linalg.svd(x, full_matrices=False)
    cutoff = rcond * jnp.max(s, axis=-1, keepdims=True)
    inverse = jnp.where(s > cutoff, 1 / jnp.where(s > cutoff, s, 1), 0).astype(x.dtype)
    return (_shared._adjoint(vh) * inverse[..., None, :]) @ _shared._adjoint(u)


@hookimpl
def jvp(fun, primals, tangents, has_aux=False):
    primals = tree.map_structure(convert_to_tensor, tuple(primals))
    tangents = tuple(
        convert_to_tensor(t, dtype=p.dtype) if hasattr(p, "dtype") else t
        for p, t in zip(tree.flatten(primals), tree.flatten(tangents))
    )
    tangents = tree.pack_sequence_as(primals, list(tangents))
    return jax.jvp(fun, primals, tangents, has_aux=has_aux)


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.linalg_api` and bound here to `jnp` and this module's helpers.
_shared = bind_linalg_ops(jnp, globals(), to_dtype=to_jnp_dtype)
