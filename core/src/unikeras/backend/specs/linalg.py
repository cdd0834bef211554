"""Op hooks of the `keras.ops.linalg` namespace.

Matrix arguments have shape `(..., M, N)`: leading axes are batch axes. Integer and bool
inputs are computed in `floatx()`; float inputs keep their dtype.
"""

from unikeras.backend.hookspec import Nested, Tensor, op


@op
def cholesky(x: Tensor, upper=False):
    """Cholesky factor of the Hermitian positive-definite matrices `x` (`(..., M, M)`):
    lower `L` with `x = L @ L^H`, or upper `U = L^H` when `upper`.

    Example:

    >>> keras.ops.cholesky(np.array([[4.0, 2.0], [2.0, 5.0]], 'float32'))
    array([[2., 0.],
           [1., 2.]], dtype=float32)
    """


@op
def cholesky_inverse(x: Tensor, upper=False):
    """Inverse of `A` from its Cholesky factor `x` (lower, or upper when `upper`):
    `inv(L @ L^H)` resp. `inv(U^H @ U)`."""


@op
def det(x: Tensor):
    """Determinant of the square matrices `x` (`(..., M, M)` -> `(...)`).

    Example:

    >>> keras.ops.det(np.array([[2.0, 1.0], [1.0, 3.0]], 'float32'))
    array(5., dtype=float32)
    """


@op
def eig(x: Tensor):
    """Eigenvalues and right eigenvectors of the square matrices `x`.

    Returns:
        `(w, v)`: `w` of shape `(..., M)`, `v` of shape `(..., M, M)` with unit columns;
        complex when some eigenvalues are complex.
    """


@op
def eigh(x: Tensor):
    """Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric/Hermitian
    matrices `x` (lower triangle used): `(w (..., M), v (..., M, M))`."""


@op
def inv(x: Tensor):
    """Inverse of the square matrices `x`.

    Example:

    >>> keras.ops.inv(np.array([[2.0, 0.0], [0.0, 4.0]], 'float32'))
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """


@op
def lu_factor(x: Tensor):
    """LU decomposition with partial pivoting of the square matrices `x` (`(..., M, M)`).

    Returns:
        `(lu, pivots)`: `lu` holds `U` in its upper triangle and the unit-diagonal `L`
        below it; `pivots` (`int32`, `(..., M)`, LAPACK style, 0-based) says that row `i`
        was swapped with row `pivots[i]`.
    """


@op
def norm(x: Tensor, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm (NumPy `linalg.norm` semantics).

    Args:
        x: Input tensor.
        ord: `None`, `"fro"`, `"nuc"`, `inf`, `-inf`, or a number.
        axis: `None` (2-norm of the flattened `x` when `ord` is `None`; else the vector or
            matrix norm for rank 1 or 2), an int (vector norm), or a pair (matrix norm).
        keepdims: Keep the reduced axes with size 1.

    Returns:
        Float tensor (ints and bools give `floatx()`).

    Example:

    >>> keras.ops.norm(np.array([3.0, 4.0], 'float32'))
    array(5., dtype=float32)
    """


@op
def qr(x: Tensor, mode="reduced"):
    """QR decomposition of the matrices `x` (`(..., M, N)`), `K = min(M, N)`.

    Args:
        mode: `"reduced"` (`q` `(..., M, K)`, `r` `(..., K, N)`) or `"complete"`
            (`q` `(..., M, M)`, `r` `(..., M, N)`).

    Returns:
        `(q, r)`.
    """


@op
def solve(a: Tensor, b: Tensor):
    """Solves `a @ x = b` for `x`; `a` is `(..., M, M)`, `b` is `(..., M)` or `(..., M, K)`.

    Example:

    >>> a, b = np.array([[2.0, 0.0], [0.0, 4.0]], 'float32'), np.array([2.0, 8.0], 'float32')
    >>> keras.ops.solve(a, b)
    array([1., 2.], dtype=float32)
    """


@op
def solve_triangular(a: Tensor, b: Tensor, lower=False):
    """Solves `a @ x = b` for `x` with `a` triangular (upper, or lower when `lower`); only
    that triangle of `a` is read. Shapes as in `solve`."""


@op
def svd(x: Tensor, full_matrices=True, compute_uv=True):
    """Singular value decomposition `x = u @ diag(s) @ vh` of the matrices `x`.

    Returns:
        `(u, s, vh)` when `compute_uv`, else `s` alone (descending, shape `(..., K)`,
        `K = min(M, N)`). `u` is `(..., M, M)` and `vh` `(..., N, N)` when
        `full_matrices`, else `(..., M, K)` and `(..., K, N)`.
    """


@op
def lstsq(a: Tensor, b: Tensor, rcond=None):
    """Least-squares solution `x` minimizing `||b - a @ x||` (smallest norm when several).

    Args:
        a: Matrix of shape `(M, N)`.
        b: Tensor of shape `(M,)` or `(M, K)`.
        rcond: Singular values below `rcond * largest` count as zero (default: machine
            epsilon times `max(M, N)`).

    Returns:
        `x` of shape `(N,)` or `(N, K)`.
    """


@op
def matrix_rank(x: Tensor, tol=None):
    """Rank of the matrices `x` (`(..., M, N)` -> `(...)`, `int32`): the number of singular
    values above `tol` (default `max(s) * max(M, N) * eps`)."""


@op
def matrix_power(x: Tensor, n):
    """Raises the square matrices `x` to the integer power `n` (`n < 0` inverts first)."""


@op
def pinv(x: Tensor, rcond=None):
    """Moore-Penrose pseudo-inverse of the matrices `x` (`(..., M, N)` -> `(..., N, M)`);
    singular values below `rcond * largest` (default `max(M, N) * eps`) are dropped."""


@op
def jvp(fun, primals: Nested, tangents: Nested, has_aux=False):
    """Forward-mode Jacobian-vector product of `fun` at `primals` along `tangents`.

    Returns:
        `(fun(*primals), jvp)`, or `(fun(*primals)[0], jvp, aux)` when `has_aux` (then
        `fun` returns `(output, aux)`). Needs a backend with automatic differentiation.
    """
