"""`unikeras.ops` linalg ops against independent NumPy computations (values, dtypes, symbolic)."""

import numpy as np
import pytest

import unikeras
from unikeras import ops
from capabilities import needs_dtype

RNG = np.random.default_rng(0)
A = RNG.random((2, 3, 3)).astype("float32")
SPD = A @ A.transpose(0, 2, 1) + 3 * np.eye(3, dtype="float32")


def np_out(x):
    return unikeras.backend.convert_to_numpy(x)


def check(result, expected, dtype=None, rtol=1e-4, atol=1e-5):
    result = np_out(result)
    assert result.shape == np.shape(expected), (result.shape, np.shape(expected))
    if dtype is not None:
        assert unikeras.backend.standardize_dtype(result.dtype) == dtype
    np.testing.assert_allclose(result, expected, rtol=rtol, atol=atol)


def test_cholesky_and_inverse():
    lower = np_out(ops.cholesky(SPD))
    check(np.tril(lower), lower, "float32")
    check(lower @ lower.transpose(0, 2, 1), SPD)
    check(ops.cholesky(SPD, upper=True), lower.transpose(0, 2, 1))
    check(ops.cholesky_inverse(lower), np.linalg.inv(SPD), "float32", rtol=1e-3)
    check(ops.cholesky_inverse(lower.transpose(0, 2, 1), upper=True), np.linalg.inv(SPD))


def test_det_inv_solve():
    check(ops.det(A), np.linalg.det(A.astype("float64")), "float32")
    check(ops.inv(SPD) @ SPD, np.broadcast_to(np.eye(3), (2, 3, 3)), "float32")
    b = RNG.random((2, 3)).astype("float32")
    x = np_out(ops.solve(SPD, b))
    check(np.einsum("bij,bj->bi", SPD, x), b, "float32")
    check(ops.inv(np.array([[2, 0], [0, 4]], "int32")), [[0.5, 0], [0, 0.25]], "float32")


def test_solve_triangular():
    lower = np.tril(A) + 2 * np.eye(3, dtype="float32")
    b = RNG.random((2, 3, 2)).astype("float32")
    check(lower @ np_out(ops.solve_triangular(lower, b, lower=True)), b, "float32")
    upper = lower.transpose(0, 2, 1)
    check(upper @ np_out(ops.solve_triangular(upper, b)), b, "float32")


def test_eigh():
    w, v = ops.eigh(SPD)
    w, v = np_out(w), np_out(v)
    assert np.all(np.diff(w, axis=-1) >= 0)
    check(SPD @ v, v * w[:, None, :])


@needs_dtype("complex64")  # eigenvalues of a general matrix are complex
def test_eig():
    w, v = ops.eig(np.diag(np.array([1.0, 3.0], "float32")))
    check(np.sort(np_out(w)), [1.0, 3.0], "float32")


def test_lu_factor_reconstructs():
    lu, pivots = ops.lu_factor(A[0])
    lu, pivots = np_out(lu), np_out(pivots)
    assert unikeras.backend.standardize_dtype(pivots.dtype) == "int32"
    permuted = A[0].copy()
    for i, p in enumerate(pivots):
        permuted[[i, p]] = permuted[[p, i]]
    lower = np.tril(lu, -1) + np.eye(3)
    check(lower @ np.triu(lu), permuted)


@pytest.mark.parametrize(
    "ord, axis",
    [
        (None, None),
        (None, -1),
        (1, 0),
        (np.inf, 1),
        ("fro", None),
        ("nuc", None),
        (2, None),
        (-2, None),
    ],
)
def test_norm(ord, axis):
    x = RNG.random((3, 4)).astype("float32") - 0.5
    check(
        ops.norm(x, ord=ord, axis=axis), np.linalg.norm(x.astype("float64"), ord, axis), "float32"
    )


def test_norm_int_keepdims():
    check(ops.norm(np.array([[3, 4]], "int32"), axis=-1, keepdims=True), [[5.0]], "float32")


def test_qr_svd_lstsq_pinv():
    x = RNG.random((4, 3)).astype("float32")
    q, r = ops.qr(x)
    check(np_out(q) @ np_out(r), x, "float32")
    assert np_out(ops.qr(x, mode="complete")[0]).shape == (4, 4)
    u, s, vh = ops.svd(x, full_matrices=False)
    check((np_out(u) * np_out(s)) @ np_out(vh), x, "float32")
    check(ops.svd(x, compute_uv=False), np.linalg.svd(x, compute_uv=False), "float32")
    b = RNG.random(4).astype("float32")
    check(ops.lstsq(x, b), np.linalg.lstsq(x, b, rcond=None)[0], "float32", rtol=1e-3)
    check(ops.pinv(x), np.linalg.pinv(x), "float32", rtol=1e-3)


def test_matrix_rank_and_power():
    check(ops.matrix_rank(np.outer([1.0, 2.0], [3.0, 4.0])), 1, "int32")
    check(ops.matrix_power(np.array([[1, 1], [0, 1]], "int32"), 3), [[1, 3], [0, 1]], "int32")
    check(ops.matrix_power(SPD, -1), np.linalg.inv(SPD), "float32")


@pytest.mark.parametrize(
    "name",
    [
        "cholesky",
        "inv",
        "det",
        "eigh",
        "lu_factor",
        "logdet",
        "cholesky_inverse",
        "pinv",
        "matrix_rank",
    ],
)
def test_symbolic_square_ops_keep_unknown_batch(name):
    out = getattr(ops, name)(unikeras.KerasTensor((None, 4, 4)))
    first = out[0] if isinstance(out, (tuple, list)) else out
    assert first.shape[0] is None


def test_symbolic_solve_and_svd():
    x = ops.solve(unikeras.KerasTensor((None, 3, 3)), unikeras.KerasTensor((None, 3)))
    assert x.shape == (None, 3) and x.dtype == "float32"
    u, s, vh = ops.svd(unikeras.KerasTensor((None, 4, 3)))
    assert (u.shape, s.shape, vh.shape) == ((None, 4, 4), (None, 3), (None, 3, 3))


def test_bad_shapes_name_the_op():
    with pytest.raises(ValueError, match="inv: expected square"):
        ops.inv(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"solve: expected `b`.*Received: b.shape=\(2,\)"):
        ops.solve(np.eye(3), np.ones(2))
    with pytest.raises(ValueError, match="det: expected a tensor of rank >= 2"):
        ops.det(np.ones(3))
