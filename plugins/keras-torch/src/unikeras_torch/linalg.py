"""PyTorch backend: `linalg` ops (`torch.linalg`; half precision computes in float32)."""

import torch

from unikeras.backend.common.array_args import check_qr_mode
from unikeras.backend.common.dtype_rules import float_pair_dtype
from unikeras.backend.api import hookimpl, tree
from unikeras_torch.convert import convert_to_tensor, to_torch_dtype
from unikeras_torch.math import to_float


def _compute(x):
    """`x` in a dtype LAPACK handles (float16/bfloat16 go up to float32)."""
    return x.to(torch.float32) if x.dtype in (torch.float16, torch.bfloat16) else x


def _real_dtype(dtype):
    return {torch.complex64: torch.float32, torch.complex128: torch.float64}.get(dtype, dtype)


def _promote_float(a, b):
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    dtype = float_pair_dtype(a.dtype, b.dtype)
    dtype = to_torch_dtype(dtype)
    return a.to(dtype), b.to(dtype)


def _adjoint(x):
    return torch.conj(torch.swapaxes(x, -1, -2)).resolve_conj()


def _float_op(fn):
    """Runs `fn` on `x` as a float (ints give `floatx()`), in at least float32."""

    def op(x):
        x = to_float(x)
        return fn(_compute(x)).to(x.dtype)

    return op


@hookimpl
def cholesky(x, upper=False):
    x = to_float(x)
    lower = torch.linalg.cholesky(_compute(x))
    return (_adjoint(lower) if upper else lower).to(x.dtype)


@hookimpl
def cholesky_inverse(x, upper=False):
    x = to_float(x)
    work = _compute(x)
    return torch.cholesky_inverse(work, upper=upper).to(x.dtype)


det = hookimpl(_float_op(torch.linalg.det))
inv = hookimpl(_float_op(torch.linalg.inv))


@hookimpl
def eig(x):
    x = to_float(x)
    w, v = torch.linalg.eig(_compute(x))
    if not x.is_complex() and bool(torch.all(w.imag == 0)) and bool(torch.all(v.imag == 0)):
        return w.real.to(x.dtype), v.real.to(x.dtype)
    complex_dtype = (
        torch.complex128 if x.dtype in (torch.float64, torch.complex128) else torch.complex64
    )
    return w.to(complex_dtype), v.to(complex_dtype)


@hookimpl
def eigh(x):
    x = to_float(x)
    w, v = torch.linalg.eigh(_compute(x))
    return w.to(_real_dtype(x.dtype)), v.to(x.dtype)


@hookimpl
def lu_factor(x):
    x = to_float(x)
    lu, pivots = torch.linalg.lu_factor(_compute(x))
    return lu.to(x.dtype), (pivots - 1).to(torch.int32)  # LAPACK pivots count from 1


@hookimpl
def norm(x, ord=None, axis=None, keepdims=False):
    x = to_float(x)
    axis = tuple(axis) if isinstance(axis, list) else axis
    work = _compute(x)
    if axis is None and ord is None:
        result = torch.linalg.vector_norm(work.reshape(-1), 2)
        if keepdims:
            result = result.reshape((1,) * x.dim())
    elif (
        isinstance(ord, str)
        or (isinstance(axis, tuple) and len(axis) == 2)
        or (axis is None and x.dim() == 2)
    ):
        result = torch.linalg.matrix_norm(
            work,
            "fro" if ord is None else ord,
            dim=(-2, -1) if axis is None else axis,
            keepdim=keepdims,
        )
    else:
        result = torch.linalg.vector_norm(
            work, 2 if ord is None else ord, dim=axis, keepdim=keepdims
        )
    return result.to(_real_dtype(x.dtype))


@hookimpl
def qr(x, mode="reduced"):
    check_qr_mode(mode)
    x = to_float(x)
    q, r = torch.linalg.qr(_compute(x), mode=mode)
    return q.to(x.dtype), r.to(x.dtype)


def _as_matrix(a, b):
    """`b` as a matrix: a vector right-hand side (rank `a.ndim - 1`) gets a trailing axis."""
    vector = b.dim() == a.dim() - 1
    return (b[..., None] if vector else b), vector


@hookimpl
def solve(a, b):
    a, b = _promote_float(a, b)
    rhs, vector = _as_matrix(a, b)
    out = torch.linalg.solve(_compute(a), _compute(rhs))
    return (out[..., 0] if vector else out).to(a.dtype)


@hookimpl
def solve_triangular(a, b, lower=False):
    a, b = _promote_float(a, b)
    rhs, vector = _as_matrix(a, b)
    out = torch.linalg.solve_triangular(_compute(a), _compute(rhs), upper=not lower)
    return (out[..., 0] if vector else out).to(a.dtype)


@hookimpl
def svd(x, full_matrices=True, compute_uv=True):
    x = to_float(x)
    work = _compute(x)
    if not compute_uv:
        return torch.linalg.svdvals(work).to(_real_dtype(x.dtype))
    u, s, vh = torch.linalg.svd(work, full_matrices=full_matrices)
    return u.to(x.dtype), s.to(_real_dtype(x.dtype)), vh.to(x.dtype)


@hookimpl
def lstsq(a, b, rcond=None):
    a, b = _promote_float(a, b)
    rhs, vector = (b[:, None], True) if b.dim() == 1 else (b, False)
    work = _compute(a)
    driver = "gelsd" if work.device.type == "cpu" else None
    out = torch.linalg.lstsq(work, _compute(rhs), rcond=rcond, driver=driver).solution
    return (out[..., 0] if vector else out).to(a.dtype)


@hookimpl
def matrix_rank(x, tol=None):
    x = to_float(x)
    if x.numel() == 0:
        return torch.zeros(tuple(x.shape[:-2]), dtype=torch.int32, device=x.device)
    work = _compute(x)
    if tol is None:
        rank = torch.linalg.matrix_rank(work)
    else:
        rank = torch.linalg.matrix_rank(work, atol=float(tol), rtol=0.0)
    return rank.to(torch.int32)


@hookimpl
def matrix_power(x, n):
    x = convert_to_tensor(x)
    if n < 0:
        x = to_float(x)
    if x.is_floating_point() or x.is_complex():
        return torch.linalg.matrix_power(_compute(x), n).to(x.dtype)
    return torch.linalg.matrix_power(x.to(torch.int64), n).to(x.dtype)


@hookimpl
def pinv(x, rcond=None):
    x = to_float(x)
    work = _compute(x)
    if rcond is None:
        rcond = max(x.shape[-2:]) * torch.finfo(_real_dtype(work.dtype)).eps
    return torch.linalg.pinv(work, rtol=rcond).to(x.dtype)


@hookimpl
def jvp(fun, primals, tangents, has_aux=False):
    primals = tree.map_structure(convert_to_tensor, primals)
    tangents = tree.map_structure(lambda t, p: convert_to_tensor(t).to(p.dtype), tangents, primals)
    return torch.func.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
