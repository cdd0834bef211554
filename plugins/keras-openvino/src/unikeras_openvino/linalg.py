"""OpenVINO backend: linear algebra (`keras.ops.linalg`) as opset nodes.

OpenVINO has an `Inverse` op; the factorizations are built from it and from element-wise
nodes, unrolled over the (static) matrix size: LU with partial pivoting, Cholesky,
Householder QR, triangular substitution, and Jacobi sweeps (run in an OpenVINO Loop) for
`eigh` and the SVD (`svd`, `pinv`, `lstsq`, `matrix_rank`, spectral norms). General `eig`
(complex results) and `jvp` (no autodiff) are not claimed, so calling them raises
NotImplementedError naming the op and the backend instead of crashing.
"""

import numpy as np
import openvino.opset14 as ov_ops

from unikeras.backend.api import dtypes, hookimpl

from unikeras.backend.common.array_args import check_qr_mode
from unikeras_openvino.core import build_loop, int_const
from unikeras_openvino.graph import const, dtype_of, graph_op, node, partial_shape
from unikeras_openvino.numpy import dtype_out, float_dtype, rank


def _float(x):
    return node(x, float_dtype(x))


def _promote_float(a, b):
    dtype = dtypes.result_type(dtype_of(a), dtype_of(b))
    dtype = dtype if dtypes.is_float_dtype(dtype) else float_dtype(a, b)
    return node(a, dtype), node(b, dtype)


def _matrix_size(x, op_name, square=True):
    shape = partial_shape(x)
    if len(shape) < 2 or None in shape[-2:] or (square and shape[-1] != shape[-2]):
        kind = "square matrices" if square else "matrices"
        raise ValueError(f"{op_name}: expected {kind} of static size. Received shape {shape}")
    return shape[-2], shape[-1]


def _c(value, x):
    return const(value, dtype_out(x))


def _take(x, index, axis, keep=True):
    """`x` at `index` along `axis` (the axis kept with size 1 when `keep`)."""
    out = ov_ops.gather(x, int_const([index] if keep else index), int_const(axis))
    return out.output(0)


def _vector(values, x):
    """A constant of `values` in the dtype of `x`."""
    return const(np.asarray(values), dtype_out(x))


def _swap(x):
    n = rank(x)
    return ov_ops.transpose(x, int_const(list(range(n - 2)) + [n - 1, n - 2])).output(0)


def _eye_like(x, size):
    """Identity matrices of `size` with the batch shape of `x`."""
    batch = ov_ops.slice(ov_ops.shape_of(x, "i64"), int_const([0]), int_const([-2]), int_const([1]))
    target = ov_ops.concat([batch, int_const([size, size])], 0)
    return ov_ops.broadcast(_vector(np.eye(size), x), target).output(0)


def _where(mask, a, b):
    return ov_ops.select(mask, a, b).output(0)


@hookimpl
@graph_op
def inv(x):
    x = _float(x)
    _matrix_size(x, "inv")
    return ov_ops.inverse(x, False)


@hookimpl
@graph_op
def solve(a, b):
    a, b = _promote_float(a, b)
    _matrix_size(a, "solve")
    vector = rank(b) == rank(a) - 1
    rhs = ov_ops.unsqueeze(b, int_const([-1])).output(0) if vector else b
    out = ov_ops.matmul(ov_ops.inverse(a, False), rhs, False, False)
    return ov_ops.squeeze(out, int_const([-1])) if vector else out


@hookimpl
@graph_op
def solve_triangular(a, b, lower=False):
    a, b = _promote_float(a, b)
    n, _ = _matrix_size(a, "solve_triangular")
    vector = rank(b) == rank(a) - 1
    rhs = ov_ops.unsqueeze(b, int_const([-1])).output(0) if vector else b
    rows = [None] * n
    # Substitution row by row: the rows already solved are those before i (lower) or after.
    for i in range(n) if lower else reversed(range(n)):
        done = list(range(i)) if lower else list(range(i + 1, n))
        row = _take(rhs, i, -2)
        a_row = _take(a, i, -2)
        if done:
            solved = ov_ops.concat([rows[j] for j in done], -2)
            row = ov_ops.subtract(
                row,
                ov_ops.matmul(
                    ov_ops.gather(a_row, int_const(done), int_const(-1)), solved, False, False
                ),
            )
        rows[i] = ov_ops.divide(row, _take(a_row, i, -1)).output(0)
    out = ov_ops.concat(rows, -2)
    return ov_ops.squeeze(out, int_const([-1])) if vector else out


def lu_decomposition(x):
    """LU with partial pivoting: (packed LU, LAPACK pivots as int64, permutation sign)."""
    m, n = partial_shape(x)[-2:]
    batch_rank = rank(x) - 2
    rows = np.arange(m)
    pivots, sign = [], _c(1, x)
    for k in range(min(m, n)):
        column = _take(x, k, -1, keep=False)
        magnitude = _where(const(rows < k), _c(-1, x), ov_ops.absolute(column))
        pivot = ov_ops.topk(magnitude, int_const(1), -1, "max", "value", "i64", stable=True).output(
            1
        )
        positions = int_const(rows)
        perm = _where(
            ov_ops.equal(positions, int_const(k)),
            pivot,
            _where(ov_ops.equal(positions, pivot), int_const(k), positions),
        )
        x = ov_ops.gather(x, perm, int_const(batch_rank), batch_rank).output(0)
        pivots.append(pivot)
        sign = ov_ops.multiply(
            sign, _where(ov_ops.equal(pivot, int_const(k)), _c(1, x), _c(-1, x))
        ).output(0)
        if k == m - 1:
            continue
        pivot_row = _take(x, k, -2)  # (..., 1, n)
        head = _take(pivot_row, k, -1)  # (..., 1, 1)
        safe = _where(ov_ops.equal(head, _c(0, x)), _c(1, x), head)
        below = const((rows > k)[:, None])
        factors = ov_ops.divide(_take(x, k, -1), safe)  # (..., m, 1)
        factors = _where(below, factors, _c(0, x))
        right = const(np.arange(n)[None, :] > k)
        x = ov_ops.subtract(x, _where(right, ov_ops.multiply(factors, pivot_row), _c(0, x)))
        x = _where(ov_ops.logical_and(below, const(np.arange(n)[None, :] == k)), factors, x)
    pivots = ov_ops.concat(pivots, -1).output(0) if pivots else None
    sign = ov_ops.squeeze(sign, int_const([-1])).output(0) if pivots is not None else sign
    return x, pivots, sign


@hookimpl
@graph_op
def lu_factor(x):
    x = _float(x)
    _matrix_size(x, "lu_factor", square=False)
    lu, pivots, _ = lu_decomposition(x)
    if pivots is None:
        return lu, node(np.zeros(partial_shape(x)[:-2] + (0,), np.int32))
    return lu, node(pivots, "int32")


@hookimpl
@graph_op
def det(x):
    x = _float(x)
    m, _ = _matrix_size(x, "det")
    if m == 0:  # the empty product
        return ov_ops.reduce_prod(
            ov_ops.reduce_sum(x, int_const([-1]), False), int_const([-1]), False
        )
    lu, _, sign = lu_decomposition(x)
    diag = ov_ops.reduce_sum(
        _where(const(np.eye(m, dtype=bool)), lu, _c(0, x)), int_const([-1]), False
    )
    return ov_ops.multiply(ov_ops.reduce_prod(diag, int_const([-1]), False), sign)


@hookimpl
@graph_op
def cholesky(x, upper=False):
    x = _float(x)
    m, _ = _matrix_size(x, "cholesky")
    columns = []
    for j in range(m):
        column = _take(x, j, -1)  # (..., m, 1)
        if columns:
            done = ov_ops.concat(columns, -1)  # (..., m, j)
            column = ov_ops.subtract(
                column, ov_ops.matmul(done, _take(done, j, -2), False, True)
            ).output(0)
        root = ov_ops.sqrt(_take(column, j, -2))
        scaled = ov_ops.divide(column, root)
        columns.append(_where(const((np.arange(m) >= j)[:, None]), scaled, _c(0, x)))
    lower = ov_ops.concat(columns, -1).output(0)
    return _swap(lower) if upper else lower


@hookimpl
@graph_op
def cholesky_inverse(x, upper=False):
    x = _float(x)
    m, _ = _matrix_size(x, "cholesky_inverse")
    lower = _swap(x) if upper else x
    lower_inv = solve_triangular(lower, _eye_like(lower, m), lower=True)
    return ov_ops.matmul(lower_inv, lower_inv, True, False)


@hookimpl
@graph_op
def qr(x, mode="reduced"):
    check_qr_mode(mode)
    a = _float(x)
    m, n = _matrix_size(a, "qr", square=False)
    q = _eye_like(a, m)
    rows = np.arange(m)
    # Householder reflections with LAPACK's conventions (so results match NumPy's signs):
    # the reflection sends column k to -sign(a_kk) * norm, and is skipped (tau = 0) when
    # nothing below the diagonal is left to eliminate.
    for k in range(min(m, n)):
        column = ov_ops.multiply(_take(a, k, -1), _vector((rows >= k)[:, None], a))  # (..., m, 1)
        head = _take(column, k, -2)
        below = ov_ops.reduce_sum(
            ov_ops.multiply(ov_ops.multiply(column, column), _vector((rows > k)[:, None], a)),
            int_const([-2]),
            True,
        )
        length = ov_ops.sqrt(ov_ops.add(ov_ops.multiply(head, head), below))
        alpha = _where(ov_ops.less(head, _c(0, a)), length, ov_ops.negative(length))
        v = ov_ops.subtract(column, ov_ops.multiply(alpha, _vector((rows == k)[:, None], a)))
        v_norm2 = ov_ops.reduce_sum(ov_ops.multiply(v, v), int_const([-2]), True)
        reflect = ov_ops.greater(below, _c(0, a))
        scale = _where(
            reflect, ov_ops.divide(_c(2, a), _where(reflect, v_norm2, _c(1, a))), _c(0, a)
        )
        a = ov_ops.subtract(
            a,
            ov_ops.multiply(
                scale, ov_ops.matmul(v, ov_ops.matmul(v, a, True, False), False, False)
            ),
        ).output(0)
        q = ov_ops.subtract(
            q,
            ov_ops.multiply(
                scale, ov_ops.matmul(ov_ops.matmul(q, v, False, False), v, False, True)
            ),
        ).output(0)
    r = _where(const(np.triu(np.ones((m, n), bool))), a, _c(0, a))
    if mode == "complete" or m <= n:
        return q, r
    k = min(m, n)
    return ov_ops.slice(
        q, int_const([0]), int_const([k]), int_const([1]), int_const([-1])
    ), ov_ops.slice(r, int_const([0]), int_const([k]), int_const([1]), int_const([-2]))


@hookimpl
@graph_op
def matrix_power(x, n):
    x = node(x)
    size, _ = _matrix_size(x, "matrix_power")
    n = int(n)
    if n < 0:
        x, n = inv(x), -n
    result, base = None, x
    while n:  # square-and-multiply
        if n & 1:
            result = base if result is None else ov_ops.matmul(result, base, False, False)
        n >>= 1
        if n:
            base = ov_ops.matmul(base, base, False, False).output(0)
    return _eye_like(x, size) if result is None else result


_SPECTRAL_ORDS = (2, -2, "nuc")


@hookimpl
@graph_op
def norm(x, ord=None, axis=None, keepdims=False):
    x = _float(x)
    n = rank(x)
    if axis is None:
        axes = list(range(n))
        if ord is not None and n > 2:
            raise ValueError(f"norm: `ord={ord!r}` needs a vector or matrix. Received rank {n}")
    else:
        axes = [int(a) % n for a in (axis if isinstance(axis, (list, tuple)) else [axis])]
    if ord is None or (ord == "fro" and len(axes) == 2):
        out = ov_ops.sqrt(ov_ops.reduce_sum(ov_ops.multiply(x, x), int_const(axes), keepdims))
        return out
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    return _matrix_norm(x, ord, axes, keepdims)


def _vector_norm(x, ord, axis, keepdims):
    if isinstance(ord, str):
        raise ValueError(f"norm: invalid `ord` {ord!r} for a vector norm.")
    magnitude = ov_ops.absolute(x)
    axes = int_const([axis])
    if ord == float("inf"):
        return ov_ops.reduce_max(magnitude, axes, keepdims)
    if ord == float("-inf"):
        return ov_ops.reduce_min(magnitude, axes, keepdims)
    if ord == 0:
        nonzero = ov_ops.convert(ov_ops.not_equal(x, _c(0, x)), x.get_element_type())
        return ov_ops.reduce_sum(nonzero, axes, keepdims)
    if ord == 1:
        return ov_ops.reduce_sum(magnitude, axes, keepdims)
    if ord == 2:
        return ov_ops.sqrt(ov_ops.reduce_sum(ov_ops.multiply(x, x), axes, keepdims))
    powered = ov_ops.reduce_sum(ov_ops.power(magnitude, _c(ord, x)), axes, keepdims)
    return ov_ops.power(powered, _c(1.0 / ord, x))


def _matrix_norm(x, ord, axes, keepdims):
    row_axis, col_axis = axes
    if ord in _SPECTRAL_ORDS:
        return _spectral_norm(x, ord, row_axis, col_axis, keepdims)
    magnitude = ov_ops.absolute(x)
    reducers = {
        1: (col_axis, row_axis, ov_ops.reduce_max),
        -1: (col_axis, row_axis, ov_ops.reduce_min),
        float("inf"): (row_axis, col_axis, ov_ops.reduce_max),
        float("-inf"): (row_axis, col_axis, ov_ops.reduce_min),
    }
    if ord not in reducers:
        raise ValueError(f"norm: invalid `ord` {ord!r} for a matrix norm.")
    keep_axis, sum_axis, reduce = reducers[ord]
    sums = ov_ops.reduce_sum(magnitude, int_const([sum_axis]), True)
    out = reduce(sums, int_const([keep_axis]), True)
    return out if keepdims else ov_ops.squeeze(out, int_const(sorted(axes)))


# --------------------------------------------------------------------------------------------
# Jacobi methods: eigh (two-sided) and svd (one-sided), sweeps run in an OpenVINO Loop
# --------------------------------------------------------------------------------------------

_SWEEPS = 12  # Jacobi converges quadratically: a dozen sweeps reach float64 round-off


def _rotation(c, s, p, q, m, x):
    """The (..., m, m) plane rotation with c at (p, p), (q, q), s at (p, q), -s at (q, p)."""

    def unit(i, j):
        e = np.zeros((m, m))
        e[i, j] = 1.0
        return _vector(e, x)

    rot = ov_ops.add(
        _vector(np.eye(m), x),
        ov_ops.multiply(ov_ops.subtract(c, _c(1, x)), ov_ops.add(unit(p, p), unit(q, q))),
    )
    return ov_ops.add(rot, ov_ops.multiply(s, ov_ops.subtract(unit(p, q), unit(q, p)))).output(0)


def _jacobi_angle(alpha, beta, gamma):
    """cos and sin of the rotation zeroing `gamma` in [[alpha, gamma], [gamma, beta]]."""
    zero, one = _c(0, gamma), _c(1, gamma)
    active = ov_ops.not_equal(gamma, zero)
    zeta = ov_ops.divide(
        ov_ops.subtract(beta, alpha),
        ov_ops.multiply(_c(2, gamma), ov_ops.select(active, gamma, one)),
    )
    sign = ov_ops.select(ov_ops.greater_equal(zeta, zero), one, _c(-1, gamma))
    t = ov_ops.divide(
        sign,
        ov_ops.add(
            ov_ops.absolute(zeta), ov_ops.sqrt(ov_ops.add(one, ov_ops.multiply(zeta, zeta)))
        ),
    )
    t = ov_ops.select(active, t, zero)
    c = ov_ops.divide(one, ov_ops.sqrt(ov_ops.add(one, ov_ops.multiply(t, t))))
    return c.output(0), ov_ops.multiply(t, c).output(0)


def _entry(x, i, j):
    return _take(_take(x, i, -2), j, -1)  # (..., 1, 1)


def _column_dot(x, i, j):
    return ov_ops.reduce_sum(
        ov_ops.multiply(_take(x, i, -1), _take(x, j, -1)), int_const([-2]), True
    ).output(0)  # (..., 1, 1)


def _sweeps(step, carry):
    """Runs `step(carry) -> carry` (lists of graph values) `_SWEEPS` times in a Loop."""
    finals, _ = build_loop(lambda _, values, __: (step(values), [], None), carry, (), 0, _SWEEPS)
    return finals


def _sorted_columns(values, vectors, descending):
    """Sorts `values` (..., k) and the columns of `vectors` (..., m, k) alike."""
    k = partial_shape(values)[-1]
    order = ov_ops.topk(
        values, int_const(k), -1, "max" if descending else "min", "value", "i64", stable=True
    ).output(1)
    batch_rank = rank(values) - 1
    values = ov_ops.gather(values, order, int_const(batch_rank), batch_rank).output(0)
    if vectors is None:
        return values, None
    vectors = ov_ops.gather(vectors, order, int_const(batch_rank + 1), batch_rank).output(0)
    return values, vectors


@hookimpl
@graph_op
def eigh(x):
    a = _float(x)
    m, _ = _matrix_size(a, "eigh")

    def sweep(values):
        a, v = values
        for p in range(m - 1):
            for q in range(p + 1, m):
                c, s = _jacobi_angle(_entry(a, p, p), _entry(a, q, q), _entry(a, p, q))
                rot = _rotation(c, s, p, q, m, a)
                a = ov_ops.matmul(ov_ops.matmul(rot, a, True, False), rot, False, False).output(0)
                v = ov_ops.matmul(v, rot, False, False).output(0)
        return [a, v]

    a, v = _sweeps(sweep, [a, _eye_like(a, m)])
    diagonal = ov_ops.reduce_sum(
        _where(const(np.eye(m, dtype=bool)), a, _c(0, a)), int_const([-1]), False
    ).output(0)
    return _sorted_columns(diagonal, v, descending=False)


def _one_sided_svd(a):
    """(u, s, v) of (..., m, n) `a` with m >= n: `a = u diag(s) v^T`, s descending."""
    n = partial_shape(a)[-1]

    def sweep(values):
        u, v = values
        for p in range(n - 1):
            for q in range(p + 1, n):
                c, s = _jacobi_angle(
                    _column_dot(u, p, p), _column_dot(u, q, q), _column_dot(u, p, q)
                )
                rot = _rotation(c, s, p, q, n, u)
                u = ov_ops.matmul(u, rot, False, False).output(0)
                v = ov_ops.matmul(v, rot, False, False).output(0)
        return [u, v]

    u, v = _sweeps(sweep, [a, _eye_like(a, n)]) if n > 1 else (a, _eye_like(a, n))
    norms = ov_ops.sqrt(ov_ops.reduce_sum(ov_ops.multiply(u, u), int_const([-2]), False))
    s, u = _sorted_columns(norms.output(0), u, descending=True)
    _, v = _sorted_columns(norms.output(0), v, descending=True)
    scale = ov_ops.unsqueeze(_where(ov_ops.greater(s, _c(0, s)), s, _c(1, s)), int_const([-2]))
    return ov_ops.divide(u, scale).output(0), s, v


def _svd(x):
    """(u, s, v) of any (..., m, n) matrices: tall ones directly, wide ones transposed."""
    m, n = partial_shape(x)[-2:]
    if m >= n:
        return _one_sided_svd(x)
    v, s, u = _one_sided_svd(_swap(x))
    return u, s, v


@hookimpl
@graph_op
def svd(x, full_matrices=True, compute_uv=True):
    x = _float(x)
    m, n = _matrix_size(x, "svd", square=False)
    u, s, v = _svd(x)
    if not compute_uv:
        return s
    if full_matrices and m != n:  # complete the thin factor with an orthonormal complement
        if m > n:
            q, _ = qr(u, mode="complete")
            u = ov_ops.concat(
                [
                    u,
                    ov_ops.slice(
                        q, int_const([n]), int_const([m]), int_const([1]), int_const([-1])
                    ),
                ],
                -1,
            ).output(0)
        else:
            q, _ = qr(v, mode="complete")
            v = ov_ops.concat(
                [
                    v,
                    ov_ops.slice(
                        q, int_const([m]), int_const([n]), int_const([1]), int_const([-1])
                    ),
                ],
                -1,
            ).output(0)
    return u, s, _swap(v)


def _pinv(x, rcond):
    """The pseudo-inverse, singular values at most `rcond * max(s)` treated as zero."""
    u, s, v = _svd(x)
    cutoff = ov_ops.multiply(ov_ops.reduce_max(s, int_const([-1]), True), _c(rcond, s))
    keep = ov_ops.greater(s, cutoff)
    inverse = _where(keep, ov_ops.divide(_c(1, s), _where(keep, s, _c(1, s))), _c(0, s))
    scaled = ov_ops.multiply(v, ov_ops.unsqueeze(inverse, int_const([-2])))
    return ov_ops.matmul(scaled, u, False, True).output(0)


def _default_rcond(x):
    return max(partial_shape(x)[-2:]) * float(np.finfo(np.dtype(dtype_out(x))).eps)


@hookimpl
@graph_op
def pinv(x, rcond=None):
    x = _float(x)
    _matrix_size(x, "pinv", square=False)
    return _pinv(x, _default_rcond(x) if rcond is None else float(rcond))


@hookimpl
@graph_op
def lstsq(a, b, rcond=None):
    a, b = _promote_float(a, b)
    _matrix_size(a, "lstsq", square=False)
    vector = rank(b) == rank(a) - 1
    rhs = ov_ops.unsqueeze(b, int_const([-1])).output(0) if vector else b
    out = ov_ops.matmul(
        _pinv(a, _default_rcond(a) if rcond is None else float(rcond)), rhs, False, False
    )
    return ov_ops.squeeze(out, int_const([-1])) if vector else out


@hookimpl
@graph_op
def matrix_rank(x, tol=None):
    x = _float(x)
    _matrix_size(x, "matrix_rank", square=False)
    _, s, _ = _svd(x)
    if tol is None:
        tol = ov_ops.multiply(ov_ops.reduce_max(s, int_const([-1]), True), _c(_default_rcond(x), s))
    else:
        tol = node(tol, dtype_out(s))
    above = ov_ops.convert(ov_ops.greater(s, tol), "i32")
    return ov_ops.reduce_sum(above, int_const([-1]), False)


def _spectral_norm(x, ord, row_axis, col_axis, keepdims):
    n = rank(x)
    rest = [a for a in range(n) if a not in (row_axis, col_axis)]
    matrices = ov_ops.transpose(x, int_const(rest + [row_axis, col_axis])).output(0)
    _, s, _ = _svd(matrices)
    reduce = {2: ov_ops.reduce_max, -2: ov_ops.reduce_min, "nuc": ov_ops.reduce_sum}[ord]
    out = reduce(s, int_const([-1]), False)
    return ov_ops.unsqueeze(out, int_const(sorted((row_axis, col_axis)))) if keepdims else out
