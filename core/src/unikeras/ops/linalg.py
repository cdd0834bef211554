"""`keras.ops.linalg`: the public ops of `unikeras.backend.specs.linalg`.

Every op of the spec is an ordinary function in this module. The block between the
`BEGIN GENERATED OPS` / `END GENERATED OPS` lines is written by `core/tools/gen_ops.py`
(do not edit it by hand); a hand-written `_check_<op>` function above it is called first by
the generated op of that name: here they check shapes (naming the op, the expected and the
received shapes). Ops that NumPy cannot run on the all-zero inputs of symbolic shape
inference (singular matrices) get a hand-written shape rule.
"""

import numpy as np

from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor as _KerasTensor
from unikeras.ops.dispatch import SHAPE_RULES as _SHAPE_RULES


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


def _require_matrix(op_name, x, square=True):
    shape = _shape(x)
    if len(shape) < 2:
        raise ValueError(
            f"{op_name}: expected a tensor of rank >= 2 (..., M, N). Received shape {shape}"
        )
    if square and None not in shape[-2:] and shape[-1] != shape[-2]:
        raise ValueError(
            f"{op_name}: expected square matrices (..., M, M). Received shape {shape}"
        )


def _require_system(op_name, a, b):
    _require_matrix(op_name, a)
    a_shape, b_shape = _shape(a), _shape(b)
    rows = b_shape[-1] if len(b_shape) == len(a_shape) - 1 else (
        b_shape[-2] if len(b_shape) >= 2 else None)
    if len(b_shape) < len(a_shape) - 1 or (None not in (rows, a_shape[-1])
                                           and rows != a_shape[-1]):
        raise ValueError(
            f"{op_name}: expected `b` of shape (..., M) or (..., M, K) with M = {a_shape[-1]} "
            f"for `a` of shape {a_shape}. Received: b.shape={b_shape}"
        )


def _check_cholesky(x, upper=False):
    _require_matrix("cholesky", x)


def _check_cholesky_inverse(x, upper=False):
    _require_matrix("cholesky_inverse", x)


def _check_det(x):
    _require_matrix("det", x)


def _check_eig(x):
    _require_matrix("eig", x)


def _check_eigh(x):
    _require_matrix("eigh", x)


def _check_inv(x):
    _require_matrix("inv", x)


def _check_lu_factor(x):
    _require_matrix("lu_factor", x)


def _check_matrix_power(x, n):
    _require_matrix("matrix_power", x)


def _check_qr(x, mode="reduced"):
    _require_matrix("qr", x, square=False)
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: `mode` must be 'reduced' or 'complete'. Received: mode={mode!r}")


def _check_svd(x, full_matrices=True, compute_uv=True):
    _require_matrix("svd", x, square=False)


def _check_pinv(x, rcond=None):
    _require_matrix("pinv", x, square=False)


def _check_matrix_rank(x, tol=None):
    _require_matrix("matrix_rank", x, square=False)


def _check_solve(a, b):
    _require_system("solve", a, b)


def _check_solve_triangular(a, b, lower=False):
    _require_system("solve_triangular", a, b)


def _same_shape_float(x, *args, **kwargs):
    return _KerasTensor(x.shape, dtype=_float_dtype(x))


def _matrix_power_rule(x, n):
    return _KerasTensor(x.shape, dtype=_dtype(x) if n >= 0 else _float_dtype(x))


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
    return _KerasTensor(batch + b_shape[len(b_shape) - core:], dtype=_float_dtype(a, b))


_SHAPE_RULES.update(cholesky=_same_shape_float, inv=_same_shape_float,
                   matrix_power=_matrix_power_rule, solve=_solve_rule)

# --- BEGIN GENERATED OPS: written by core/tools/gen_ops.py from backend/specs/linalg.py ---
# Regenerate with `python core/tools/gen_ops.py` after changing the spec or a hand-written op.
from unikeras.backend.keras_tensor import KerasTensor as _KT  # noqa: E402
from unikeras.backend.registry import add_table_listener as _add_table_listener  # noqa: E402
from unikeras.ops.dispatch import any_keras_tensor as _any_kt  # noqa: E402,F401
from unikeras.ops.dispatch import bind_implementations as _bind  # noqa: E402
from unikeras.ops.dispatch import nested_keras_tensor as _nested_kt  # noqa: E402,F401
from unikeras.ops.dispatch import symbolic as _symbolic  # noqa: E402


def cholesky(x, upper=False):
    """Cholesky factor of Hermitian positive-definite matrices.

    Lower `L` with `x = L @ L^H`, or upper `U = L^H` (`x = U^H @ U`) when `upper`.

    Args:
        x: Tensor `(..., M, M)` of Hermitian positive-definite matrices.
        upper: Whether to return the upper factor instead of the lower one (default `False`).

    Returns:
        The triangular factors, shape `(..., M, M)`; float inputs keep their dtype, integer and bool
        inputs give `floatx()`.

    Examples:
        >>> keras.ops.cholesky(np.array([[4.0, 2.0], [2.0, 5.0]], 'float32'))
        array([[2., 0.],
               [1., 2.]], dtype=float32)
    """
    _check_cholesky(x, upper)
    if x.__class__ is _KT:
        return _symbolic("cholesky", (x, upper), {})
    return _impl_cholesky(x, upper)


def cholesky_inverse(x, upper=False):
    """Inverse of a Hermitian positive-definite matrix `A` from its Cholesky factor.

    `inv(L @ L^H)` for a lower factor `x = L`, `inv(U^H @ U)` for an upper one `x = U`.

    Args:
        x: Tensor `(..., M, M)` of lower (or, with `upper`, upper) triangular Cholesky
            factors.
        upper: Whether `x` holds upper factors (default `False`: lower).

    Returns:
        `inv(A)`, shape `(..., M, M)`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> L = np.array([[2.0, 0.0], [1.0, 2.0]], 'float32')  # A = L @ L.T = [[4, 2], [2, 5]]
        >>> keras.ops.cholesky_inverse(L)  # [[5, -2], [-2, 4]] / 16
        array([[ 0.3125, -0.125 ],
               [-0.125 ,  0.25  ]], dtype=float32)
    """
    _check_cholesky_inverse(x, upper)
    if x.__class__ is _KT:
        return _symbolic("cholesky_inverse", (x, upper), {})
    return _impl_cholesky_inverse(x, upper)


def det(x):
    """Determinant of square matrices.

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        The determinants, shape `(...)`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.det(np.array([[2.0, 1.0], [1.0, 3.0]], 'float32'))
        array(5., dtype=float32)
    """
    _check_det(x)
    if x.__class__ is _KT:
        return _symbolic("det", (x,), {})
    return _impl_det(x)


def eig(x):
    """Eigenvalues and right eigenvectors of square matrices.

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        `(w, v)`: `w` of shape `(..., M)`, `v` of shape `(..., M, M)` with unit columns,
        `x @ v[..., i] = w[..., i] * v[..., i]`; complex when some eigenvalues are complex.

    Examples:
        >>> w, v = keras.ops.eig(np.array([[2.0, 0.0], [0.0, 3.0]], 'float32'))
        >>> w
        array([2., 3.], dtype=float32)
    """
    _check_eig(x)
    if x.__class__ is _KT:
        return _symbolic("eig", (x,), {})
    return _impl_eig(x)


def eigh(x):
    """Eigenvalues and eigenvectors of symmetric (Hermitian) matrices.

    Only the lower triangle of `x` is read.

    Args:
        x: Tensor `(..., M, M)` of symmetric or Hermitian matrices.

    Returns:
        `(w, v)`: the eigenvalues in ascending order, shape `(..., M)`, and the orthonormal
        eigenvectors as the columns of `v`, shape `(..., M, M)`; float inputs keep their dtype,
        integer and bool inputs give `floatx()`.

    Examples:
        >>> w, v = keras.ops.eigh(np.array([[2.0, 1.0], [1.0, 2.0]], 'float32'))
        >>> w
        array([1., 3.], dtype=float32)
    """
    _check_eigh(x)
    if x.__class__ is _KT:
        return _symbolic("eigh", (x,), {})
    return _impl_eigh(x)


def inv(x):
    """Inverse of square matrices.

    Args:
        x: Tensor `(..., M, M)` of invertible matrices.

    Returns:
        The inverses, shape `(..., M, M)`; float inputs keep their dtype, integer and bool inputs
        give `floatx()`.

    Examples:
        >>> keras.ops.inv(np.array([[2.0, 0.0], [0.0, 4.0]], 'float32'))
        array([[0.5 , 0.  ],
               [0.  , 0.25]], dtype=float32)
    """
    _check_inv(x)
    if x.__class__ is _KT:
        return _symbolic("inv", (x,), {})
    return _impl_inv(x)


def lu_factor(x):
    """LU decomposition with partial pivoting of square matrices.

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        `(lu, pivots)`: `lu` holds `U` in its upper triangle and the unit-diagonal `L` below
        it; `pivots` (`int32`, `(..., M)`, LAPACK style, 0-based) says that row `i` was
        swapped with row `pivots[i]`.

    Examples:
        >>> lu, pivots = keras.ops.lu_factor(np.array([[2.0, 4.0], [4.0, 2.0]], 'float32'))
        >>> lu, pivots  # rows swapped: L = [[1, 0], [0.5, 1]], U = [[4, 2], [0, 3]]
        (array([[4. , 2. ],
               [0.5, 3. ]], dtype=float32), array([1, 1], dtype=int32))
    """
    _check_lu_factor(x)
    if x.__class__ is _KT:
        return _symbolic("lu_factor", (x,), {})
    return _impl_lu_factor(x)


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm (NumPy `linalg.norm` semantics).

    Args:
        x: Input tensor.
        ord: `None`, `"fro"`, `"nuc"`, `inf`, `-inf`, or a number.
        axis: `None` (2-norm of the flattened `x` when `ord` is `None`; else the vector or
            matrix norm for rank 1 or 2), an int (vector norm), or a pair (matrix norm).
        keepdims: Keep the reduced axes with size 1.

    Returns:
        Float tensor (ints and bools give `floatx()`).

    Examples:
        >>> keras.ops.norm(np.array([3.0, 4.0], 'float32'))
        array(5., dtype=float32)
    """
    if x.__class__ is _KT:
        return _symbolic("norm", (x, ord, axis, keepdims), {})
    return _impl_norm(x, ord, axis, keepdims)


def qr(x, mode="reduced"):
    """QR decomposition `x = q @ r` of matrices, `q` orthonormal and `r` upper triangular.

    With `K = min(M, N)`.

    Args:
        x: Tensor `(..., M, N)`.
        mode: `"reduced"` (default: `q` `(..., M, K)`, `r` `(..., K, N)`) or `"complete"`
            (`q` `(..., M, M)`, `r` `(..., M, N)`).

    Returns:
        `(q, r)`.

    Examples:
        >>> x = np.array([[3.0, 0.0], [4.0, 5.0]], 'float32')
        >>> q, r = keras.ops.qr(x)
        >>> np.allclose(keras.ops.matmul(q, r), x, atol=1e-6)
        True
    """
    _check_qr(x, mode)
    if x.__class__ is _KT:
        return _symbolic("qr", (x, mode), {})
    return _impl_qr(x, mode)


def solve(a, b):
    """Solves the linear systems `a @ x = b` for `x`.

    Args:
        a: Tensor `(..., M, M)` of invertible matrices.
        b: Tensor `(..., M)` or `(..., M, K)`.

    Returns:
        `x`, of the shape of `b`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> a, b = np.array([[2.0, 0.0], [0.0, 4.0]], 'float32'), np.array([2.0, 8.0], 'float32')
        >>> keras.ops.solve(a, b)
        array([1., 2.], dtype=float32)
    """
    _check_solve(a, b)
    if a.__class__ is _fast_solve_type and b.__class__ is _fast_solve_type:
        _dtype = a.dtype
        if _dtype is b.dtype and _dtype in _fast_solve_dtypes:
            try:
                return _fast_solve(a, b)
            except Exception:  # the implementation gives the op's own error
                pass
    if a.__class__ is _KT or b.__class__ is _KT:
        return _symbolic("solve", (a, b), {})
    return _impl_solve(a, b)


def solve_triangular(a, b, lower=False):
    """Solves `a @ x = b` for `x` with `a` triangular.

    Only the upper (or, with `lower`, lower) triangle of `a` is read.

    Args:
        a: Tensor `(..., M, M)` of triangular matrices.
        b: Tensor `(..., M)` or `(..., M, K)`.
        lower: Whether `a` is lower triangular (default `False`: upper).

    Returns:
        `x`, of the shape of `b`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> a = np.array([[2.0, 1.0], [0.0, 4.0]], 'float32')
        >>> keras.ops.solve_triangular(a, np.array([4.0, 8.0], 'float32'))  # x1 = 2, x0 = (4 - 2) / 2
        array([1., 2.], dtype=float32)
    """
    _check_solve_triangular(a, b, lower)
    if a.__class__ is _KT or b.__class__ is _KT:
        return _symbolic("solve_triangular", (a, b, lower), {})
    return _impl_solve_triangular(a, b, lower)


def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition `x = u @ diag(s) @ vh` of matrices.

    With `K = min(M, N)`.

    Args:
        x: Tensor `(..., M, N)`.
        full_matrices: Whether `u` and `vh` are square (default `True`: `u` `(..., M, M)`,
            `vh` `(..., N, N)`) or reduced (`(..., M, K)` and `(..., K, N)`).
        compute_uv: Whether to return `u` and `vh` as well (default `True`).

    Returns:
        `(u, s, vh)` when `compute_uv`, else `s` alone: the singular values in descending
        order, shape `(..., K)`.

    Examples:
        >>> keras.ops.svd(np.array([[3.0, 0.0], [0.0, -2.0]], 'float32'), compute_uv=False)
        array([3., 2.], dtype=float32)
    """
    _check_svd(x, full_matrices, compute_uv)
    if x.__class__ is _KT:
        return _symbolic("svd", (x, full_matrices, compute_uv), {})
    return _impl_svd(x, full_matrices, compute_uv)


def lstsq(a, b, rcond=None):
    """Least-squares solution `x` minimizing `||b - a @ x||` (the smallest-norm one when several).

    Args:
        a: Matrix of shape `(M, N)`.
        b: Tensor of shape `(M,)` or `(M, K)`.
        rcond: Singular values below `rcond * largest` count as zero (default: machine
            epsilon times `max(M, N)`).

    Returns:
        `x` of shape `(N,)` or `(N, K)`.

    Examples:
        >>> a = np.array([[1.0], [1.0]], 'float32')
        >>> keras.ops.lstsq(a, np.array([1.0, 3.0], 'float32'))  # the mean of 1 and 3
        array([2.], dtype=float32)
    """
    if a.__class__ is _KT or b.__class__ is _KT:
        return _symbolic("lstsq", (a, b, rcond), {})
    return _impl_lstsq(a, b, rcond)


def matrix_rank(x, tol=None):
    """Rank of matrices: the number of singular values above `tol`.

    Args:
        x: Tensor `(..., M, N)`.
        tol: Threshold below which singular values count as zero; `None` (default) means
            `max(s) * max(M, N) * eps`, `eps` of the dtype of `x`.

    Returns:
        `int32` tensor of shape `(...)`.

    Examples:
        >>> keras.ops.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]], 'float32'))
        array(1, dtype=int32)
    """
    _check_matrix_rank(x, tol)
    if x.__class__ is _KT:
        return _symbolic("matrix_rank", (x, tol), {})
    return _impl_matrix_rank(x, tol)


def matrix_power(x, n):
    """Raises square matrices to the integer power `n`.

    Args:
        x: Tensor `(..., M, M)`.
        n: Int; `0` gives identity matrices and `n < 0` inverts `x` first.

    Returns:
        A tensor `(..., M, M)`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.matrix_power(np.array([[1.0, 1.0], [0.0, 1.0]], 'float32'), 3)
        array([[1., 3.],
               [0., 1.]], dtype=float32)
    """
    _check_matrix_power(x, n)
    if x.__class__ is _KT:
        return _symbolic("matrix_power", (x, n), {})
    return _impl_matrix_power(x, n)


def pinv(x, rcond=None):
    """Moore-Penrose pseudo-inverse of matrices.

    Computed from the singular value decomposition; singular values below `rcond` times the
    largest are treated as zero.

    Args:
        x: Tensor `(..., M, N)`.
        rcond: Relative cutoff of small singular values; `None` (default) means
            `max(M, N) * eps`, `eps` of the dtype of `x`.

    Returns:
        A tensor `(..., N, M)`; float inputs keep their dtype, integer and bool inputs give
        `floatx()`.

    Examples:
        >>> keras.ops.pinv(np.array([[2.0, 0.0], [0.0, 0.0]], 'float32'))
        array([[0.5, 0. ],
               [0. , 0. ]], dtype=float32)
    """
    _check_pinv(x, rcond)
    if x.__class__ is _KT:
        return _symbolic("pinv", (x, rcond), {})
    return _impl_pinv(x, rcond)


def jvp(fun, primals, tangents, has_aux=False):
    """Forward-mode Jacobian-vector product of `fun` at `primals` along `tangents`.

    Engines with automatic differentiation compute it exactly; the NumPy backend approximates
    it by a central difference in float64.

    Args:
        fun: Callable taking `len(primals)` positional arguments and returning a tensor or a
            nested structure of tensors (or `(output, aux)` with `has_aux`).
        primals: Tuple or list of the points `fun` is evaluated at.
        tangents: Tuple or list of the directions, of the structure, shapes and dtypes of
            `primals`.
        has_aux: Whether `fun` returns `(output, aux)`, `aux` passed through undifferentiated
            (default `False`).

    Returns:
        `(fun(*primals), jvp)`, or `(output, jvp, aux)` when `has_aux`; `jvp` has the
        structure of the output.

    Examples:
        >>> out, tangent = keras.ops.linalg.jvp(
        ...     lambda x: x * x, (np.array([3.0], 'float32'),), (np.array([1.0], 'float32'),))
        >>> out, tangent  # x**2 and its derivative 2x at 3
        (array([9.], dtype=float32), array([6.], dtype=float32))
    """
    if _nested_kt(primals) or _nested_kt(tangents):
        return _symbolic("jvp", (fun, primals, tangents, has_aux), {})
    return _impl_jvp(fun, primals, tangents, has_aux)


#: Every op of the spec module, hand-written or generated, in the spec's order.
__all__ = [
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "lu_factor",
    "norm",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
    "lstsq",
    "matrix_rank",
    "matrix_power",
    "pinv",
    "jvp",
]

#: The ops generated above: each calls `_impl_<op>`, bound by `_rebind`.
_GENERATED = (
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "lu_factor",
    "norm",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
    "lstsq",
    "matrix_rank",
    "matrix_power",
    "pinv",
    "jvp",
)

#: The generated ops of two `Tensor` operands: each also tests for a fast entry.
_FAST = (
    "solve",
)


def _rebind():
    """Binds each generated op's `_impl_<op>` (and fast entry) to the active backend's."""
    _bind(globals(), _GENERATED, _FAST)


_rebind()
_add_table_listener(_rebind)
# --- END GENERATED OPS ---
