"""Conformance cases for the `linalg` op hooks.

Decompositions whose factors are only defined up to signs or order (eigenvectors, singular
vectors) are checked on inputs where they are unique (diagonal matrices with distinct
entries); elsewhere only their invariant outputs are compared.
"""

import numpy as np

from unikeras.testing.case import Case, rand

CASES = {}

_TOL = dict(rtol=1e-4, atol=1e-5)


def _spd(shape, seed, dtype="float32"):
    a = rand(shape, dtype, seed=seed)
    return a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1], dtype=dtype)


_A = _spd((3, 3), 1)
_AB = _spd((2, 4, 4), 2)
_A64 = _spd((3, 3), 3, "float64")
_L = np.tril(rand((2, 3, 3), seed=4)) + 3 * np.eye(3, dtype="float32")
_DIAG = np.diag(np.array([3.0, -1.0, 2.0], "float32"))
_INT = np.array([[4, 1], [1, 3]], "int32")

CASES["cholesky"] = [
    Case(_A, id="2d", **_TOL),
    Case(_AB, id="batch", **_TOL),
    Case(_A64, upper=True, id="upper_f64"),
    Case(_INT, id="int", **_TOL),
]
CASES["cholesky_inverse"] = [
    Case(_L[0], id="lower", **_TOL),
    Case(np.swapaxes(_L, -1, -2), upper=True, id="upper_batch", **_TOL),
]
CASES["det"] = [
    Case(rand((3, 3), seed=5), id="2d", **_TOL),
    Case(_AB, id="batch", rtol=1e-4),
    Case(_INT, id="int", **_TOL),
    Case(rand((1, 1), "float64", seed=6), id="1x1"),
]
CASES["eig"] = [
    Case(_DIAG, id="diag", **_TOL),
    Case(np.array([[2.0, 0.0], [0.0, 5.0]], "float64"), id="diag_f64"),
]
CASES["eigh"] = [
    Case(_DIAG, id="diag", **_TOL),
    Case(np.diag(np.array([[1.0, 4.0], [2.0, 0.5]], "float32")[0]), id="2x2"),
    Case(np.stack([_DIAG, 2 * _DIAG]), id="batch", **_TOL),
]
CASES["inv"] = [
    Case(_A, id="2d", **_TOL),
    Case(_AB, id="batch", **_TOL),
    Case(_INT, id="int", **_TOL),
    Case(_A64, id="f64"),
]
CASES["lu_factor"] = [
    Case(rand((3, 3), seed=7), id="2d", **_TOL),
    Case(rand((2, 4, 4), seed=8), id="batch", **_TOL),
    Case(_A64, id="f64"),
]
_X = rand((3, 4), seed=9, low=-3, high=3)
CASES["norm"] = [
    Case(_X, id="fro_all"),
    Case(_X, axis=-1, id="vec_last"),
    Case(_X, ord=1, axis=0, id="l1"),
    Case(_X, ord=np.inf, axis=1, keepdims=True, id="inf_keep"),
    Case(_X, ord="fro", axis=(0, 1), id="fro"),
    Case(_X, ord=1, id="matrix_1"),
    Case(_X, ord=-np.inf, id="matrix_neg_inf"),
    Case(_X, ord="nuc", id="nuc", **_TOL),
    Case(_X, ord=2, id="matrix_2", **_TOL),
    Case(_X, ord=3, axis=-1, id="vec_3", **_TOL),
    Case(_X, ord=0, axis=-1, id="vec_0"),
    Case(rand((4,), "int32", seed=10), id="int"),
    Case(rand((), seed=11), id="scalar"),
    Case(rand((2, 3, 4), seed=12), axis=(1, 2), id="batch_matrix"),
]
CASES["qr"] = [
    Case(rand((4, 3), seed=13), id="tall", **_TOL),
    Case(rand((3, 4), seed=14), mode="complete", id="wide_complete", **_TOL),
    Case(rand((2, 3, 3), "float64", seed=15), id="batch_f64"),
]
CASES["solve"] = [
    Case(_A, rand((3,), seed=16), id="vector", **_TOL),
    Case(_AB, rand((2, 4, 2), seed=17), id="batch_matrix", **_TOL),
    Case(_INT, np.array([1, 2], "int32"), id="int", **_TOL),
    Case(_A64, rand((3, 3), "float64", seed=18), id="f64"),
]
CASES["solve_triangular"] = [
    Case(_L, rand((2, 3), seed=19), lower=True, id="lower_vector", **_TOL),
    Case(np.swapaxes(_L, -1, -2), rand((2, 3, 2), seed=20), id="upper_matrix", **_TOL),
    Case(_L[0], rand((3, 4), seed=21), lower=True, id="2d_broadcast", **_TOL),
]
_SV = np.diag(np.array([3.0, 2.0, 0.5], "float32"))
CASES["svd"] = [
    Case(_SV, id="diag", **_TOL),
    Case(rand((4, 3), seed=22), compute_uv=False, id="values_only", **_TOL),
    Case(rand((2, 3, 5), seed=23), compute_uv=False, id="batch_values", **_TOL),
    Case(_SV[:, :2], full_matrices=False, id="reduced", **_TOL),
]
CASES["lstsq"] = [
    Case(rand((5, 3), seed=24), rand((5,), seed=25), id="vector", **_TOL),
    Case(rand((4, 2), seed=26), rand((4, 3), seed=27), id="matrix", **_TOL),
    Case(_A64, rand((3,), "float64", seed=28), id="square_f64"),
]
CASES["matrix_rank"] = [
    Case(_A, id="full"),
    Case(np.outer(np.arange(3.0), np.arange(4.0)).astype("float32"), id="rank1"),
    Case(np.zeros((2, 3, 3), "float32"), id="zeros_batch"),
    Case(_A, tol=100.0, id="tol"),
]
CASES["matrix_power"] = [
    Case(_A, 3, id="cube", **_TOL),
    Case(_INT, 2, id="int_square"),
    Case(_AB, 0, id="identity"),
    Case(_A, -1, id="inverse", **_TOL),
]
CASES["pinv"] = [
    Case(rand((4, 3), seed=29), id="tall", **_TOL),
    Case(rand((2, 2, 3), seed=30), id="batch_wide", **_TOL),
    Case(_A64, rcond=1e-3, id="rcond_f64"),
]
CASES["jvp"] = [
    Case(
        lambda x: x * x,
        (rand((3,), seed=31),),
        (np.ones(3, "float32"),),
        id="square",
        rtol=1e-3,
        atol=1e-4,
    ),
    Case(
        lambda x, y: (x * y, x),
        (rand((2,), seed=32), rand((2,), seed=33)),
        (np.ones(2, "float32"), np.zeros(2, "float32")),
        has_aux=True,
        id="aux",
        rtol=1e-3,
        atol=1e-4,
    ),
]
