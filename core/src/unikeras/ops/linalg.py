"""`keras.ops.linalg`: public ops, generated from `unikeras.backend.specs.linalg`.

Ops whose arguments need checking are defined here by hand: they check shapes (naming the
op, the expected and the received shapes), then call the generated op. Ops that NumPy
cannot run on the all-zero inputs of symbolic shape inference (singular matrices) get a
hand-written shape rule.
"""

import functools

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.specs import linalg as _spec
from unikeras.ops.define import SHAPE_RULES, define_ops, make_op


def _shape(x):
    shape = getattr(x, "shape", None)
    return tuple(np.shape(x) if shape is None else shape)


def _dtype(x):
    dtype = getattr(x, "dtype", None)
    return dtypes.standardize_dtype(dtype) if dtype is not None else dtypes.result_type(
        *[type(v) for v in np.asarray(x).reshape(-1)[:1]] or [float])


def _float_dtype(*xs):
    dtype = dtypes.result_type(*[_dtype(x) for x in xs])
    if dtypes.is_float_dtype(dtype) or dtypes.is_complex_dtype(dtype):
        return dtype
    return dtypes.result_type(dtype, float)


def _check_matrix(op_name, x, square=True):
    shape = _shape(x)
    if len(shape) < 2:
        raise ValueError(
            f"{op_name}: expected a tensor of rank >= 2 (..., M, N). Received shape {shape}"
        )
    if square and None not in shape[-2:] and shape[-1] != shape[-2]:
        raise ValueError(
            f"{op_name}: expected square matrices (..., M, M). Received shape {shape}"
        )


def _check_system(op_name, a, b):
    _check_matrix(op_name, a)
    a_shape, b_shape = _shape(a), _shape(b)
    rows = b_shape[-1] if len(b_shape) == len(a_shape) - 1 else (
        b_shape[-2] if len(b_shape) >= 2 else None)
    if len(b_shape) < len(a_shape) - 1 or (None not in (rows, a_shape[-1])
                                           and rows != a_shape[-1]):
        raise ValueError(
            f"{op_name}: expected `b` of shape (..., M) or (..., M, K) with M = {a_shape[-1]} "
            f"for `a` of shape {a_shape}. Received: b.shape={b_shape}"
        )


def _checked(check):
    """Defines the public op named like `check`: runs `check(*args)`, then the generated op."""
    generated = make_op(getattr(_spec, check.__name__), __name__)

    @functools.wraps(generated)
    def op(*args, **kwargs):
        check(*args, **kwargs)
        return generated(*args, **kwargs)

    return op


@_checked
def cholesky(x, upper=False):
    _check_matrix("cholesky", x)


@_checked
def cholesky_inverse(x, upper=False):
    _check_matrix("cholesky_inverse", x)


@_checked
def det(x):
    _check_matrix("det", x)


@_checked
def eig(x):
    _check_matrix("eig", x)


@_checked
def eigh(x):
    _check_matrix("eigh", x)


@_checked
def inv(x):
    _check_matrix("inv", x)


@_checked
def lu_factor(x):
    _check_matrix("lu_factor", x)


@_checked
def matrix_power(x, n):
    _check_matrix("matrix_power", x)


@_checked
def qr(x, mode="reduced"):
    _check_matrix("qr", x, square=False)
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: `mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")


@_checked
def svd(x, full_matrices=True, compute_uv=True):
    _check_matrix("svd", x, square=False)


@_checked
def pinv(x, rcond=None):
    _check_matrix("pinv", x, square=False)


@_checked
def matrix_rank(x, tol=None):
    _check_matrix("matrix_rank", x, square=False)


@_checked
def solve(a, b):
    _check_system("solve", a, b)


@_checked
def solve_triangular(a, b, lower=False):
    _check_system("solve_triangular", a, b)


def _same_shape_float(x, *args, **kwargs):
    return KerasTensor(x.shape, dtype=_float_dtype(x))


def _matrix_power_rule(x, n):
    return KerasTensor(x.shape, dtype=_dtype(x) if n >= 0 else _float_dtype(x))


def _broadcast_dim(dims):
    known = [d for d in dims if d not in (None, 1)]
    if known:
        return known[0]
    return None if None in dims else 1


def _solve_rule(a, b, *args, **kwargs):
    a_shape, b_shape = _shape(a), _shape(b)
    core = 1 if len(b_shape) == len(a_shape) - 1 else 2
    batches = (a_shape[:-2], b_shape[:len(b_shape) - core])
    n = max(len(batches[0]), len(batches[1]))
    batch = tuple(_broadcast_dim([s[i - n + len(s)] for s in batches if i >= n - len(s)])
                  for i in range(n))
    return KerasTensor(batch + b_shape[len(b_shape) - core:], dtype=_float_dtype(a, b))


SHAPE_RULES.update(cholesky=_same_shape_float, inv=_same_shape_float,
                   matrix_power=_matrix_power_rule, solve=_solve_rule)

__all__ = define_ops(_spec, globals())
