"""Array creation, shape, indexing, sorting and product ops of `unikeras.ops` (NumPy namespace).

Every op is compared (values and Keras 3 dtype) with an independent NumPy computation or
hand-computed values, and run on symbolic `KerasTensor`s for shape and dtype inference. The
tests are backend-agnostic: results go through `unikeras.backend.convert_to_numpy`.
"""

import numpy as np
import pytest

import unikeras
from unikeras import backend, ops
from capabilities import backend_dtype, tolerance_for

KT = unikeras.KerasTensor

M = np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(3, 4)
B = np.linspace(-2.0, 2.0, 24, dtype="float32").reshape(2, 3, 4)
I = np.arange(-6, 6, dtype="int32").reshape(3, 4)
V = np.array([0.5, -1.0, 2.0, 3.0], dtype="float32")


def i32(values):
    """An int32 array (NumPy's default int64 would change the expected dtypes)."""
    return np.array(values, "int32")


def check(result, expected, dtype, rtol=1e-5, atol=1e-6):
    """Compares one tensor (or a list/tuple of them) with NumPy values and a dtype name."""
    if isinstance(expected, (list, tuple)):
        assert isinstance(result, (list, tuple)) and len(result) == len(expected)
        dtypes = dtype if isinstance(dtype, (list, tuple)) else [dtype] * len(expected)
        for r, e, d in zip(result, expected, dtypes):
            check(r, e, d, rtol, atol)
        return
    got = np.asarray(backend.convert_to_numpy(result))
    assert backend.standardize_dtype(result.dtype) == backend_dtype(dtype)
    rtol, atol = tolerance_for(dtype, rtol, atol)
    assert got.shape == np.shape(expected)
    if np.issubdtype(got.dtype, np.inexact):
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)
    else:
        np.testing.assert_array_equal(got, expected)


# (id, thunk calling the op, expected values, expected dtype)
EAGER = [
    # creation
    ("array", lambda: ops.array([[1, 2], [3, 4]]), [[1, 2], [3, 4]], "int32"),
    ("array_dtype", lambda: ops.array(I, "float32"), I.astype("float32"), "float32"),
    ("arange_int", lambda: ops.arange(5), [0, 1, 2, 3, 4], "int32"),
    ("arange_float", lambda: ops.arange(0.5, 2.0, 0.5), [0.5, 1.0, 1.5], "float32"),
    ("arange_mixed", lambda: ops.arange(1, 3, 0.5), [1.0, 1.5, 2.0, 2.5], "float32"),
    ("arange_neg", lambda: ops.arange(3, 0, -1), [3, 2, 1], "int32"),
    ("arange_dtype", lambda: ops.arange(3, dtype="float16"), [0, 1, 2], "float16"),
    ("linspace", lambda: ops.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1], "float32"),
    (
        "linspace_noend",
        lambda: ops.linspace(0, 1, 4, endpoint=False),
        [0, 0.25, 0.5, 0.75],
        "float32",
    ),
    (
        "linspace_retstep",
        lambda: ops.linspace(0, 1, 3, retstep=True),
        [np.array([0, 0.5, 1]), np.array(0.5)],
        "float32",
    ),
    (
        "linspace_axis",
        lambda: ops.linspace(np.array([0.0, 1.0]), np.array([1.0, 3.0]), 3, axis=-1),
        [[0, 0.5, 1], [1, 2, 3]],
        "float64",
    ),
    ("logspace", lambda: ops.logspace(0, 2, 3), [1, 10, 100], "float32"),
    ("logspace_base", lambda: ops.logspace(0, 3, 4, base=2), [1, 2, 4, 8], "float32"),
    ("geomspace", lambda: ops.geomspace(1, 8, 4), [1, 2, 4, 8], "float32"),
    ("eye", lambda: ops.eye(2, 3, k=1), [[0, 1, 0], [0, 0, 1]], "float32"),
    ("eye_int", lambda: ops.eye(2, dtype="int32"), [[1, 0], [0, 1]], "int32"),
    ("identity", lambda: ops.identity(2), [[1, 0], [0, 1]], "float32"),
    ("tri", lambda: ops.tri(3, 2, k=-1), [[0, 0], [1, 0], [1, 1]], "float32"),
    ("full", lambda: ops.full((2, 2), 3), [[3, 3], [3, 3]], "float32"),
    ("full_dtype", lambda: ops.full((2,), 7, "int8"), [7, 7], "int8"),
    ("full_bcast", lambda: ops.full((2, 2), np.array([1.0, 2.0])), [[1, 2], [1, 2]], "float32"),
    ("full_like", lambda: ops.full_like(I, 2), np.full((3, 4), 2), "int32"),
    ("full_like_dtype", lambda: ops.full_like(I, 2.5, "float32"), np.full((3, 4), 2.5), "float32"),
    ("zeros_like", lambda: ops.zeros_like(I), np.zeros((3, 4)), "int32"),
    ("zeros_like_dtype", lambda: ops.zeros_like(M, "bool"), np.zeros((3, 4), bool), "bool"),
    ("ones_like", lambda: ops.ones_like(M), np.ones((3, 4)), "float32"),
    ("zeros", lambda: ops.zeros((2, 1)), [[0], [0]], "float32"),
    ("ones_int", lambda: ops.ones((2,), "int32"), [1, 1], "int32"),
    ("empty_shape", lambda: ops.empty((0, 2)), np.zeros((0, 2)), "float32"),
    (
        "empty_like_shape",
        lambda: ops.empty_like(np.zeros((0, 3), "int8")),
        np.zeros((0, 3)),
        "int8",
    ),
    ("copy", lambda: ops.copy(I), I, "int32"),
    ("view", lambda: ops.view(np.array([1.0], "float32"), "int32"), [1065353216], "int32"),
    ("view_narrow", lambda: ops.view(i32([1]), "int16"), [1, 0], "int16"),
    # shape manipulation
    ("reshape", lambda: ops.reshape(B, (4, -1)), B.reshape(4, 6), "float32"),
    ("transpose", lambda: ops.transpose(B, (2, 0, 1)), B.transpose(2, 0, 1), "float32"),
    ("transpose_default", lambda: ops.transpose(M), M.T, "float32"),
    ("expand_dims", lambda: ops.expand_dims(M, -1), M[:, :, None], "float32"),
    ("expand_dims_tuple", lambda: ops.expand_dims(V, (0, 2)), V[None, :, None], "float32"),
    ("squeeze", lambda: ops.squeeze(np.zeros((1, 3, 1), "float32")), np.zeros(3), "float32"),
    (
        "squeeze_axis",
        lambda: ops.squeeze(np.zeros((1, 3, 1), "int32"), -1),
        np.zeros((1, 3)),
        "int32",
    ),
    ("ravel", lambda: ops.ravel(I), np.arange(-6, 6), "int32"),
    ("broadcast_to", lambda: ops.broadcast_to(V, (2, 4)), [V, V], "float32"),
    ("moveaxis", lambda: ops.moveaxis(B, 0, -1), B.transpose(1, 2, 0), "float32"),
    ("moveaxis_tuple", lambda: ops.moveaxis(B, (0, 1), (1, 2)), B.transpose(2, 0, 1), "float32"),
    ("swapaxes", lambda: ops.swapaxes(B, 0, 2), B.transpose(2, 1, 0), "float32"),
    ("flip", lambda: ops.flip(M), M[::-1, ::-1], "float32"),
    ("flip_axis", lambda: ops.flip(B, (0, -1)), B[::-1, :, ::-1], "float32"),
    ("fliplr", lambda: ops.fliplr(M), M[:, ::-1], "float32"),
    ("flipud", lambda: ops.flipud(I), I[::-1], "int32"),
    ("roll", lambda: ops.roll(np.arange(5), 2), [3, 4, 0, 1, 2], "int64"),
    ("roll_axis", lambda: ops.roll(M, -1, 1), np.concatenate([M[:, 1:], M[:, :1]], 1), "float32"),
    ("rot90", lambda: ops.rot90(i32([[1, 2], [3, 4]])), [[2, 4], [1, 3]], "int32"),
    ("rot90_k2", lambda: ops.rot90(M, 2), M[::-1, ::-1], "float32"),
    ("tile", lambda: ops.tile(i32([1, 2]), (2, 2)), [[1, 2, 1, 2], [1, 2, 1, 2]], "int32"),
    ("repeat", lambda: ops.repeat(i32([[1, 2]]), 2), [1, 1, 2, 2], "int32"),
    ("repeat_axis", lambda: ops.repeat(i32([[1, 2]]), [1, 2], axis=1), [[1, 2, 2]], "int32"),
    ("stack", lambda: ops.stack([V, V], axis=1), np.array([V, V]).T, "float32"),
    ("stack_promote", lambda: ops.stack([I, M]), np.array([I, M]), "float32"),
    ("hstack", lambda: ops.hstack([M, I]), np.concatenate([M, I], 1), "float32"),
    ("vstack", lambda: ops.vstack([V, V]), np.array([V, V]), "float32"),
    ("dstack", lambda: ops.dstack([M, M]), np.stack([M, M], -1), "float32"),
    ("column_stack", lambda: ops.column_stack([V, V]), np.array([V, V]).T, "float32"),
    ("concatenate", lambda: ops.concatenate([I, M], axis=-1), np.concatenate([I, M], 1), "float32"),
    ("split", lambda: ops.split(np.arange(6, dtype="int32"), 3), [[0, 1], [2, 3], [4, 5]], "int32"),
    ("split_indices", lambda: ops.split(M, [1], axis=1), [M[:, :1], M[:, 1:]], "float32"),
    (
        "array_split",
        lambda: ops.array_split(np.arange(5, dtype="int32"), 3),
        [[0, 1], [2, 3], [4]],
        "int32",
    ),
    ("hsplit", lambda: ops.hsplit(M, 2), [M[:, :2], M[:, 2:]], "float32"),
    ("vsplit", lambda: ops.vsplit(B, 2), [B[:1], B[1:]], "float32"),
    ("dsplit", lambda: ops.dsplit(B, [1]), [B[:, :, :1], B[:, :, 1:]], "float32"),
    ("append", lambda: ops.append(I, V), np.concatenate([I.ravel(), V]), "float32"),
    ("append_axis", lambda: ops.append(M, M[:1], axis=0), np.concatenate([M, M[:1]]), "float32"),
    ("pad", lambda: ops.pad(i32([[1, 2]]), 1), [[0, 0, 0, 0], [0, 1, 2, 0], [0, 0, 0, 0]], "int32"),
    (
        "pad_const",
        lambda: ops.pad(i32([1, 2]), ((1, 2),), constant_values=9),
        [9, 1, 2, 9, 9],
        "int32",
    ),
    ("pad_reflect", lambda: ops.pad(i32([1, 2, 3]), 2, "reflect"), [3, 2, 1, 2, 3, 2, 1], "int32"),
    (
        "pad_symmetric",
        lambda: ops.pad(i32([1, 2, 3]), 2, "symmetric"),
        [2, 1, 1, 2, 3, 3, 2],
        "int32",
    ),
    ("pad_edge", lambda: ops.pad(i32([1, 2]), ((2, 1),), "edge"), [1, 1, 1, 2, 2], "int32"),
    (
        "meshgrid",
        lambda: ops.meshgrid(i32([1, 2, 3]), i32([4, 5])),
        [[[1, 2, 3], [1, 2, 3]], [[4, 4, 4], [5, 5, 5]]],
        "int32",
    ),
    (
        "meshgrid_ij",
        lambda: ops.meshgrid(i32([1, 2]), np.array([4.0], "float32"), indexing="ij"),
        [[[1], [2]], [[4.0], [4.0]]],
        ["int32", "float32"],
    ),
    # indexing and diagonals
    ("tril", lambda: ops.tril(np.ones((2, 3), "int32")), [[1, 0, 0], [1, 1, 0]], "int32"),
    ("triu_k", lambda: ops.triu(np.ones((2, 3), "float32"), 1), [[0, 1, 1], [0, 0, 1]], "float32"),
    ("triu_batch", lambda: ops.triu(B), B * (np.arange(3)[:, None] <= np.arange(4)), "float32"),
    ("diag", lambda: ops.diag(M), [M[0, 0], M[1, 1], M[2, 2]], "float32"),
    ("diag_k", lambda: ops.diag(i32([1, 2]), -1), [[0, 0, 0], [1, 0, 0], [0, 2, 0]], "int32"),
    ("diagflat", lambda: ops.diagflat(i32([[1, 2]])), [[1, 0], [0, 2]], "int32"),
    (
        "diagonal",
        lambda: ops.diagonal(B, 1, 1, 2),
        [[b[0, 1], b[1, 2], b[2, 3]] for b in B],
        "float32",
    ),
    ("trace", lambda: ops.trace(M), M[0, 0] + M[1, 1] + M[2, 2], "float32"),
    ("trace_int8", lambda: ops.trace(np.full((3, 3), 100, "int8")), 300, "int32"),
    ("trace_bool", lambda: ops.trace(np.ones((2, 2), bool)), 2, "int32"),
    ("trace_uint8", lambda: ops.trace(np.ones((2, 2), "uint8")), 2, "uint32"),
    ("take", lambda: ops.take(M, i32([0, 11])), [M[0, 0], M[2, 3]], "float32"),
    ("take_axis", lambda: ops.take(M, i32([-1, 0]), axis=1), M[:, [3, 0]], "float32"),
    (
        "take_along_axis",
        lambda: ops.take_along_axis(M, i32([[1], [0], [3]]), 1),
        [[M[0, 1]], [M[1, 0]], [M[2, 3]]],
        "float32",
    ),
    (
        "take_along_axis_bcast",
        lambda: ops.take_along_axis(B, i32([[[0], [1], [2]]]), -1),
        B[:, :, :1] * 0 + np.array([[[b[0, 0]], [b[1, 1]], [b[2, 2]]] for b in B]),
        "float32",
    ),
    ("nonzero", lambda: ops.nonzero(i32([[0, 1], [2, 0]])), [[0, 1], [1, 0]], "int32"),
    ("unravel_index", lambda: ops.unravel_index(i32([5, 7]), (2, 4)), [[1, 1], [1, 3]], "int32"),
    ("unravel_index_int", lambda: ops.unravel_index(5, (2, 3)), [1, 2], "int32"),
    ("isin", lambda: ops.isin(i32([1, 2, 3]), i32([2, 5])), [False, True, False], "bool"),
    ("isin_invert", lambda: ops.isin(i32([1, 2]), [2], invert=True), [True, False], "bool"),
    # sorting, searching, counting
    ("sort", lambda: ops.sort(i32([[3, 1, 2], [0, -1, 5]])), [[1, 2, 3], [-1, 0, 5]], "int32"),
    ("sort_axis0", lambda: ops.sort(M[::-1], 0), M, "float32"),
    ("sort_none", lambda: ops.sort(i32([[3, 1], [2, 0]]), None), [0, 1, 2, 3], "int32"),
    ("argsort", lambda: ops.argsort(np.array([3.0, 1.0, 2.0])), [1, 2, 0], "int32"),
    ("argsort_stable", lambda: ops.argsort(i32([2, 1, 2, 1])), [1, 3, 0, 2], "int32"),
    ("argpartition", lambda: ops.argpartition(np.array([3.0, 1.0, 2.0]), 1), [1, 2, 0], "int32"),
    (
        "searchsorted",
        lambda: ops.searchsorted(i32([1, 2, 2, 4]), i32([2, 3, 9])),
        [1, 3, 4],
        "int32",
    ),
    (
        "searchsorted_right",
        lambda: ops.searchsorted(np.array([1.0, 2.0]), 2.0, "right"),
        2,
        "int32",
    ),
    (
        "digitize",
        lambda: ops.digitize(np.array([0.5, 1.0, 3.0]), np.array([1.0, 2.0])),
        [0, 1, 2],
        "int32",
    ),
    (
        "histogram",
        lambda: ops.histogram(np.array([0.0, 0.5, 1.0, 2.0]), 2),
        [i32([2, 2]), np.array([0.0, 1.0, 2.0])],
        ["int32", "float64"],
    ),
    (
        "histogram_range",
        lambda: ops.histogram(np.array([0.1, 0.2, 5.0], "float32"), 2, (0, 1)),
        [i32([2, 0]), np.array([0, 0.5, 1])],
        ["int32", "float32"],
    ),
    ("bincount", lambda: ops.bincount(i32([0, 2, 2])), [1, 0, 2], "int32"),
    (
        "bincount_weights",
        lambda: ops.bincount(i32([0, 1, 1]), np.array([0.5, 1.0, 2.0], "float32"), minlength=3),
        [0.5, 3.0, 0.0],
        "float32",
    ),
    ("bincount_2d", lambda: ops.bincount(i32([[0, 1], [2, 2]])), [[1, 1, 0], [0, 0, 2]], "int32"),
    # Keras' docstring example: uint8 ids give max + 1 bins (jax gave 256: -1 wrapped to 255)
    (
        "bincount_uint8",
        lambda: ops.bincount(np.array([1, 2, 2, 3], "uint8")),
        [0, 1, 2, 1],
        "int32",
    ),
    ("unique", lambda: ops.unique(i32([3, 1, 3, 2])), [1, 2, 3], "int32"),
    (
        "unique_all",
        lambda: ops.unique(
            i32([3, 1, 3]), return_index=True, return_inverse=True, return_counts=True
        ),
        [i32([1, 3]), i32([1, 0]), i32([1, 0, 1]), i32([1, 2])],
        "int32",
    ),
    (
        "unique_unsorted",
        lambda: ops.unique(i32([3, 1, 3]), sorted=False, return_inverse=True),
        [i32([3, 1]), i32([0, 1, 0])],
        "int32",
    ),
    (
        "unique_axis",
        lambda: ops.unique(i32([[1, 2], [0, 1], [1, 2]]), axis=0),
        [[0, 1], [1, 2]],
        "int32",
    ),
    (
        "unique_size",
        lambda: ops.unique(np.array([2.0, 2.0, 1.0]), size=3, fill_value=-1),
        [1.0, 2.0, -1.0],
        "float64",
    ),
    # products and related linear algebra
    ("matmul", lambda: ops.matmul(B, M.T), B @ M.T, "float32"),
    (
        "matmul_int8",
        lambda: ops.matmul(np.full((1, 2), 100, "int8"), np.ones((2, 1), "int8")),
        [[200]],
        "int32",
    ),
    ("dot", lambda: ops.dot(M, V), M @ V, "float32"),
    ("dot_promote", lambda: ops.dot(I, V), I.astype("float32") @ V, "float32"),
    ("dot_scalar", lambda: ops.dot(V, 2), V * 2, "float32"),
    ("inner", lambda: ops.inner(M, M), M @ M.T, "float32"),
    ("outer", lambda: ops.outer(i32([1, 2]), i32([3, 4, 5])), [[3, 4, 5], [6, 8, 10]], "int32"),
    ("vdot", lambda: ops.vdot(M, M), float((M * M).sum()), "float32"),
    (
        "tensordot",
        lambda: ops.tensordot(B, M, ((1, 2), (0, 1))),
        (B * M).sum(axis=(1, 2)),
        "float32",
    ),
    ("tensordot_int", lambda: ops.tensordot(M, V, 1), M @ V, "float32"),
    ("einsum", lambda: ops.einsum("bij,kj->bik", B, M), B @ M.T, "float32"),
    ("einsum_trace", lambda: ops.einsum("ii", np.eye(3, dtype="int32")), 3, "int32"),
    (
        "einsum_int8",
        lambda: ops.einsum("i,i->", np.full(3, 100, "int8"), np.ones(3, "int8")),
        300,
        "int32",
    ),
    (
        "cross",
        lambda: ops.cross(np.array([1.0, 0, 0]), np.array([0.0, 1, 0])),
        [0, 0, 1],
        "float64",
    ),
    ("cross_2d", lambda: ops.cross(i32([1, 2]), i32([3, 4])), -2, "int32"),
    (
        "cross_axis",
        lambda: ops.cross(
            np.eye(3, dtype="float32"), np.eye(3, dtype="float32")[[1, 2, 0]], axis=0
        ),
        [[0, 0, -1], [-1, 0, 0], [0, -1, 0]],
        "float32",
    ),
    ("kron", lambda: ops.kron(i32([1, 2]), i32([[1, 10]])), [[1, 10, 2, 20]], "int32"),
    ("correlate", lambda: ops.correlate(i32([1, 2, 3]), i32([0, 1])), [2, 3], "float32"),
    (
        "correlate_full",
        lambda: ops.correlate(np.array([1.0, 2.0]), np.array([1.0, 1.0]), "full"),
        [1, 3, 2],
        "float64",
    ),
    ("corrcoef", lambda: ops.corrcoef(i32([[1, 2, 3], [3, 2, 1]])), [[1, -1], [-1, 1]], "float32"),
    ("diff", lambda: ops.diff(i32([1, 4, 9, 16])), [3, 5, 7], "int32"),
    ("diff_n2_axis0", lambda: ops.diff(B, 1, 0), B[1:] - B[:1], "float32"),
    ("diff_bool", lambda: ops.diff(np.array([True, True, False])), [False, True], "bool"),
    ("trapezoid", lambda: ops.trapezoid(i32([1, 2, 3])), 4.0, "float32"),
    (
        "trapezoid_x",
        lambda: ops.trapezoid(np.array([1.0, 3.0], "float32"), np.array([0.0, 2.0])),
        4.0,
        "float32",
    ),
    ("trapezoid_dx", lambda: ops.trapezoid(M, dx=2.0, axis=0), (M[:-1] + M[1:]).sum(0), "float32"),
    ("vander", lambda: ops.vander(i32([2, 3])), [[2, 1], [3, 1]], "int32"),
    (
        "vander_inc",
        lambda: ops.vander(np.array([2.0, 3.0], "float32"), 3, True),
        [[1, 2, 4], [1, 3, 9]],
        "float32",
    ),
    # windows
    ("bartlett", lambda: ops.bartlett(5), [0, 0.5, 1, 0.5, 0], "float32"),
    ("blackman", lambda: ops.blackman(3), [0, 1, 0], "float32"),
    ("hamming", lambda: ops.hamming(3), [0.08, 1, 0.08], "float32"),
    ("hanning", lambda: ops.hanning(3), [0, 1, 0], "float32"),
    ("kaiser", lambda: ops.kaiser(3, 0.0), [1, 1, 1], "float32"),
]


@pytest.mark.parametrize(
    "thunk, expected, dtype", [e[1:] for e in EAGER], ids=[e[0] for e in EAGER]
)
def test_eager(thunk, expected, dtype):
    result = thunk()
    if isinstance(result, (list, tuple)) and not isinstance(expected, (list, tuple)):
        raise AssertionError(f"unexpected sequence result {result!r}")
    if isinstance(result, (list, tuple)):
        check(result, [np.asarray(e) for e in expected], dtype, atol=1e-6)
    else:
        check(result, np.asarray(expected), dtype, atol=1e-6)


def test_ndim_and_size():
    assert ops.ndim(B) == 3 and ops.ndim(np.float32(1.0)) == 0
    assert ops.size(B) == 24 and ops.size(np.zeros((0, 2))) == 0


def test_argpartition_partitions():
    x = np.array([[5.0, 1.0, 4.0, 2.0, 3.0]], "float32")
    got = np.asarray(backend.convert_to_numpy(ops.argpartition(x, 2)))[0]
    values = x[0, got]
    assert values[2] == 3.0 and set(values[:2]) == {1.0, 2.0} and set(values[3:]) == {4.0, 5.0}


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ops.histogram(np.zeros(3), bins=0), "bins"),
        (lambda: ops.histogram(np.zeros(3), range=(1, 0)), "range"),
        (lambda: ops.histogram(np.zeros((2, 2))), "1-D"),
        (lambda: ops.array_split(np.zeros(3), 0), "indices_or_sections"),
        (lambda: ops.pad(np.zeros(3), 1, "edge", constant_values=1), "constant_values"),
        (lambda: ops.rot90(np.zeros(3)), "2 dimensions"),
        (lambda: ops.searchsorted(np.zeros((2, 2)), np.zeros(2)), "1-D"),
    ],
)
def test_argument_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# (id, thunk on symbolic inputs, expected shape(s), expected dtype(s))
SYMBOLIC = [
    ("reshape", lambda x: ops.reshape(x, (-1, 1)), (None, 1), "float32"),
    ("transpose", lambda x: ops.transpose(x), (3, None), "float32"),
    ("concatenate", lambda x: ops.concatenate([x, x], axis=1), (None, 6), "float32"),
    ("matmul", lambda x: ops.matmul(x, np.ones((3, 2), "float32")), (None, 2), "float32"),
    ("array", lambda x: ops.array(x), (None, 3), "float32"),
    ("full_like", lambda x: ops.full_like(x, 1, "int32"), (None, 3), "int32"),
    ("zeros_like", lambda x: ops.zeros_like(x), (None, 3), "float32"),
    ("ones_like", lambda x: ops.ones_like(x, "bool"), (None, 3), "bool"),
    ("empty_like", lambda x: ops.empty_like(x), (None, 3), "float32"),
    ("copy", lambda x: ops.copy(x), (None, 3), "float32"),
    ("view", lambda x: ops.view(x, "int32"), (None, 3), "int32"),
    ("expand_dims", lambda x: ops.expand_dims(x, (0, -1)), (1, None, 3, 1), "float32"),
    ("squeeze", lambda x: ops.squeeze(ops.expand_dims(x, 1), 1), (None, 3), "float32"),
    ("ravel", lambda x: ops.ravel(x), (None,), "float32"),
    ("broadcast_to", lambda x: ops.broadcast_to(ops.take(x, 0, axis=0), (2, 3)), (2, 3), "float32"),
    ("moveaxis", lambda x: ops.moveaxis(x, 0, 1), (3, None), "float32"),
    ("swapaxes", lambda x: ops.swapaxes(x, 0, 1), (3, None), "float32"),
    ("flip", lambda x: ops.flip(x, 0), (None, 3), "float32"),
    ("roll", lambda x: ops.roll(x, 1, 1), (None, 3), "float32"),
    ("rot90", lambda x: ops.rot90(x), (3, None), "float32"),
    ("tile", lambda x: ops.tile(x, (1, 2)), (None, 6), "float32"),
    ("repeat", lambda x: ops.repeat(x, 2, axis=1), (None, 6), "float32"),
    ("stack", lambda x: ops.stack([x, x]), (2, None, 3), "float32"),
    ("hstack", lambda x: ops.hstack([x, x]), (None, 6), "float32"),
    ("vstack", lambda x: ops.vstack([x, x]), (None, 3), "float32"),
    ("split", lambda x: ops.split(x, 3, axis=1), [(None, 1)] * 3, "float32"),
    ("append", lambda x: ops.append(x, x, axis=1), (None, 6), "float32"),
    ("pad", lambda x: ops.pad(x, ((0, 0), (1, 2))), (None, 6), "float32"),
    (
        "meshgrid",
        lambda x: ops.meshgrid(ops.ravel(x), np.zeros(2, "float32")),
        [(2, None), (2, None)],
        "float32",
    ),
    ("tril", lambda x: ops.tril(x), (None, 3), "float32"),
    ("diagonal", lambda x: ops.diagonal(x), (None,), "float32"),
    (
        "diagonal_static",
        lambda x: ops.diagonal(ops.expand_dims(x, 0), 0, 0, 2),
        (None, 1),
        "float32",
    ),
    ("trace", lambda x: ops.trace(x), (), "float32"),
    ("take", lambda x: ops.take(x, i32([0, 2]), axis=1), (None, 2), "float32"),
    (
        "take_along_axis",
        lambda x: ops.take_along_axis(x, np.zeros((1, 1), "int32"), 1),
        (None, 1),
        "float32",
    ),
    ("nonzero", lambda x: ops.nonzero(x), [(None,), (None,)], "int32"),
    ("isin", lambda x: ops.isin(x, np.array([1.0])), (None, 3), "bool"),
    ("sort", lambda x: ops.sort(x, 0), (None, 3), "float32"),
    ("argsort", lambda x: ops.argsort(x), (None, 3), "int32"),
    ("argpartition", lambda x: ops.argpartition(x, 1), (None, 3), "int32"),
    ("searchsorted", lambda x: ops.searchsorted(np.array([0.0, 1.0]), x), (None, 3), "int32"),
    ("digitize", lambda x: ops.digitize(x, np.array([0.0, 1.0])), (None, 3), "int32"),
    ("histogram", lambda x: ops.histogram(ops.ravel(x), 4), [(4,), (5,)], ["int32", "float32"]),
    ("bincount", lambda x: ops.bincount(ops.cast(x, "int32")), (None, None), "int32"),
    (
        "unique",
        lambda x: ops.unique(x, return_inverse=True, return_counts=True),
        [(None,), (None, 3), (None,)],
        ["float32", "int32", "int32"],
    ),
    ("unique_size", lambda x: ops.unique(x, size=4), (4,), "float32"),
    ("dot", lambda x: ops.dot(x, np.ones(3, "int32")), (None,), "float32"),
    ("inner", lambda x: ops.inner(x, x), (None, None), "float32"),
    ("outer", lambda x: ops.outer(x, np.ones(2, "float32")), (None, 2), "float32"),
    ("tensordot", lambda x: ops.tensordot(x, np.ones((3, 2), "float32"), 1), (None, 2), "float32"),
    (
        "einsum",
        lambda x: ops.einsum("ij,jk->ki", x, np.ones((3, 2), "float32")),
        (2, None),
        "float32",
    ),
    ("cross", lambda x: ops.cross(x, x), (None, 3), "float32"),
    ("kron", lambda x: ops.kron(x, np.ones((1, 2), "float32")), (None, 6), "float32"),
    ("corrcoef", lambda x: ops.corrcoef(x), (None, None), "float32"),
    ("diff", lambda x: ops.diff(x, axis=1), (None, 2), "float32"),
    ("trapezoid", lambda x: ops.trapezoid(x), (None,), "float32"),
    ("vander", lambda x: ops.vander(ops.ravel(x), 3), (None, 3), "float32"),
]


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


@pytest.mark.parametrize(
    "call, shapes, dtype", [e[1:] for e in SYMBOLIC], ids=[e[0] for e in SYMBOLIC]
)
def test_symbolic(call, shapes, dtype):
    result = call(KT((None, 3)))
    outputs, shapes = _as_list(result), shapes if isinstance(shapes, list) else [shapes]
    dtypes = dtype if isinstance(dtype, list) else [dtype] * len(shapes)
    assert [o.shape for o in outputs] == [tuple(s) for s in shapes]
    assert [o.dtype for o in outputs] == dtypes
