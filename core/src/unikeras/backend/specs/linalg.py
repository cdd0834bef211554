"""Op hooks of the `keras.ops.linalg` namespace.

Matrix arguments have shape `(..., M, N)`: leading axes are batch axes. Integer and bool
inputs are computed in `floatx()`; float inputs keep their dtype.
"""

from unikeras.backend.hookspec import Nested, Tensor, op


@op
def cholesky(x: Tensor, upper=False):
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


@op
def cholesky_inverse(x: Tensor, upper=False):
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


@op
def det(x: Tensor):
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


@op
def eig(x: Tensor):
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


@op
def eigh(x: Tensor):
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


@op
def inv(x: Tensor):
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


@op
def lu_factor(x: Tensor):
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

    Examples:
        >>> keras.ops.norm(np.array([3.0, 4.0], 'float32'))
        array(5., dtype=float32)
    """


@op
def qr(x: Tensor, mode="reduced"):
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


@op
def solve(a: Tensor, b: Tensor):
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


@op
def solve_triangular(a: Tensor, b: Tensor, lower=False):
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


@op
def svd(x: Tensor, full_matrices=True, compute_uv=True):
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


@op
def lstsq(a: Tensor, b: Tensor, rcond=None):
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


@op
def matrix_rank(x: Tensor, tol=None):
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


@op
def matrix_power(x: Tensor, n):
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


@op
def pinv(x: Tensor, rcond=None):
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


@op
def jvp(fun, primals: Nested, tangents: Nested, has_aux=False):
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
