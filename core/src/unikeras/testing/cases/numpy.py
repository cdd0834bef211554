"""Conformance cases for the `numpy` op hooks."""

import numpy as np

from unikeras.testing.case import Case, rand  # noqa: F401

CASES = {}


# --------------------------------------------------------------------------------------------
# Array creation, shape manipulation, indexing, sorting, products (helper A2)
# --------------------------------------------------------------------------------------------

_M = rand((3, 4), seed=1)  # a small matrix used by many cases
_B = rand((2, 3, 4), seed=2)  # a small batch of matrices
_I = rand((3, 4), "int32", seed=3, low=-5, high=5)

CASES["reshape"] = [
    Case(_B, (4, 6), id="2d"),
    Case(_B, (-1,), id="flat"),
    Case(_B, (2, -1, 2), id="infer"),
    Case(rand((), seed=4), (1, 1), id="scalar"),
    Case(rand((0, 3)), (3, 0), id="empty"),
    Case(_I, (12,), id="int"),
]
CASES["transpose"] = [
    Case(_M, id="2d"),
    Case(_B, id="3d"),
    Case(_B, (1, 0, 2), id="axes"),
    Case(_B, (-1, 0, 1), id="neg_axes"),
    Case(rand((), seed=5), id="scalar"),
    Case(rand((0, 2), "bool"), id="empty_bool"),
]
CASES["concatenate"] = [
    Case([_M, rand((2, 4), seed=6)], id="axis0"),
    Case([_M, rand((3, 2), seed=7)], axis=1, id="axis1"),
    Case([_B, _B], axis=-1, id="neg"),
    Case([_I, _M], id="promote"),
    Case([rand((0, 4)), _M], id="empty"),
    Case([_I, rand((1, 4), "int8")], id="int"),
]
CASES["zeros"] = [
    Case((2, 3)),
    Case((), id="scalar"),
    Case((0, 2), id="empty"),
    Case((2,), "int32", id="int"),
    Case((3,), "bool", id="bool"),
]
CASES["ones"] = [
    Case((2, 3)),
    Case((), id="scalar"),
    Case((0, 2), id="empty"),
    Case((2,), "int8", id="int"),
    Case((3,), "float16", id="f16"),
]
CASES["matmul"] = [
    Case(_M, rand((4, 2), seed=8), id="2d"),
    Case(_B, rand((4, 5), seed=9), id="batch_bcast"),
    Case(rand((4,), seed=10), rand((4,), seed=11), id="vec"),
    Case(_I, rand((4, 3), "int32", seed=12, low=-3, high=3), id="int"),
    Case(rand((2, 3), "int8", low=-3, high=3), rand((3, 2), "int8", low=-3, high=3), id="int8"),
    Case(rand((0, 3)), rand((3, 2)), id="empty"),
    Case(_I, _M.T, id="promote"),
]

CASES["array"] = [
    Case(_M),
    Case([[1, 2], [3, 4]], id="list", convert=False),
    Case(_I, "float32", id="cast"),
    Case(rand((), "bool"), id="scalar"),
]
CASES["arange"] = [
    Case(5, id="stop"),
    Case(1, 7, 2, id="step"),
    Case(0.5, 3.0, 0.5, id="float"),
    Case(3, dtype="float32", id="dtype"),
    Case(5, 1, -1, id="negative"),
    Case(0, id="empty"),
    Case(1, 4, 0.5, id="int_float_step"),
]
CASES["linspace"] = [
    Case(0, 1, 5),
    Case(-2.0, 3.0, 7, endpoint=False, id="no_end"),
    Case(0, 10, 4, retstep=True, id="retstep"),
    Case(0, 9, 5, dtype="int32", id="int"),
    Case(rand((2,), seed=13), rand((2,), seed=14), 3, axis=-1, id="arrays"),
    Case(1, 2, 0, id="empty"),
]
CASES["logspace"] = [
    Case(0, 2, 3),
    Case(0.0, 1.0, 4, endpoint=False, base=2, id="base2"),
    Case(rand((2,), seed=15), 1.0, 3, axis=1, id="arrays", rtol=1e-5),
]
CASES["geomspace"] = [
    Case(1, 1000, 4),
    Case(1.0, 16.0, 4, endpoint=False, id="no_end"),
    Case(rand((2,), seed=16, low=1, high=2), 8.0, 3, axis=1, id="arrays"),
]
CASES["eye"] = [
    Case(3),
    Case(2, 4, id="rect"),
    Case(4, 3, k=1, id="k"),
    Case(3, k=-1, dtype="int32", id="int"),
    Case(0, id="empty"),
]
CASES["identity"] = [Case(3), Case(2, "bool", id="bool"), Case(0, id="empty")]
CASES["tri"] = [Case(3), Case(2, 4, 1, id="rect"), Case(3, k=-1, dtype="int8", id="int")]
CASES["full"] = [
    Case((2, 3), 7),
    Case((2, 2), 1.5, "float16", id="f16"),
    Case((), 3, "int32", id="scalar"),
    Case((2, 3), rand((3,)), id="bcast"),
    Case((0,), 1, id="empty"),
]
CASES["full_like"] = [
    Case(_M, 2),
    Case(_I, 2.7, id="int_keeps"),
    Case(_M, 1, "int32", id="dtype"),
    Case(rand((0, 2)), 1, id="empty"),
]
CASES["zeros_like"] = [
    Case(_M),
    Case(_I, id="int"),
    Case(_M, "bool", id="dtype"),
    Case(rand(()), id="scalar"),
]
CASES["ones_like"] = [
    Case(_M),
    Case(_I, id="int"),
    Case(_M, "int8", id="dtype"),
    Case(rand((0,), "bool"), id="empty"),
]
# `empty` values are unspecified: only empty shapes are compared.
CASES["empty"] = [Case((0, 3)), Case((2, 0), "int32", id="int")]
CASES["empty_like"] = [Case(rand((0, 3))), Case(rand((0,)), "int32", id="int")]
CASES["copy"] = [Case(_M), Case(_I, id="int"), Case(rand((), "bool"), id="scalar")]
CASES["view"] = [
    Case(_M, "int32"),
    Case(_I, "uint32", id="int"),
    Case(_M, id="none"),
    Case(rand((2, 4), "int16"), "int32", id="wider"),
]

CASES["expand_dims"] = [
    Case(_M, 0),
    Case(_M, -1, id="neg"),
    Case(_M, (0, 3), id="tuple"),
    Case(rand(()), 0, id="scalar"),
    Case(rand((0,), "int32"), 1, id="empty"),
]
CASES["squeeze"] = [
    Case(rand((1, 3, 1))),
    Case(rand((1, 3, 1)), 0, id="axis"),
    Case(rand((1, 3, 1)), (-1, 0), id="tuple"),
    Case(rand((1,)), id="to_scalar"),
    Case(rand((1, 0), "bool"), 0, id="empty"),
]
CASES["ravel"] = [Case(_B), Case(rand(()), id="scalar"), Case(_I, id="int")]
CASES["broadcast_to"] = [
    Case(rand((3,)), (2, 3)),
    Case(rand((2, 1)), (2, 2, 4), id="rank"),
    Case(rand(()), (0, 2), id="empty"),
    Case(_I, (2, 3, 4), id="int"),
]
CASES["moveaxis"] = [
    Case(_B, 0, -1),
    Case(_B, (0, 1), (2, 0), id="tuple"),
    Case(_I, -1, 0, id="int"),
]
CASES["swapaxes"] = [Case(_B, 0, 2), Case(_M, -1, 0, id="neg"), Case(_I, 0, 1, id="int")]
CASES["flip"] = [
    Case(_B),
    Case(_B, 1, id="axis"),
    Case(_B, (0, -1), id="tuple"),
    Case(_I, 0, id="int"),
    Case(rand(()), id="scalar"),
]
CASES["fliplr"] = [Case(_M), Case(_B, id="3d")]
CASES["flipud"] = [Case(_M), Case(rand((4,), "int32"), id="1d")]
CASES["roll"] = [
    Case(_M, 2),
    Case(_M, -1, 1, id="axis"),
    Case(_B, (1, 2), (0, 2), id="tuple"),
    Case(_I, 5, 0, id="int"),
    Case(rand((0,)), 1, id="empty"),
]
CASES["rot90"] = [
    Case(_M),
    Case(_M, 2, id="k2"),
    Case(_M, -1, id="neg_k"),
    Case(_B, 1, (1, 2), id="axes"),
    Case(_I, 3, id="int"),
]
CASES["tile"] = [
    Case(_M, 2),
    Case(_M, (2, 1), id="tuple"),
    Case(rand((3,)), (2, 2), id="rank"),
    Case(_I, (1, 2, 1), id="int"),
    Case(rand(()), 3, id="scalar"),
]
CASES["repeat"] = [
    Case(_M, 2),
    Case(_M, 2, 1, id="axis"),
    Case(_M, [1, 0, 2], 0, id="counts"),
    Case(_I, 3, -1, id="int"),
    Case(rand(()), 2, id="scalar"),
]
CASES["stack"] = [
    Case([_M, _M]),
    Case([_M, _I], 1, id="promote"),
    Case([rand((2,)), rand((2,))], -1, id="neg"),
    Case([rand(()), rand(())], id="scalars"),
]
CASES["hstack"] = [Case([_M, rand((3, 2))]), Case([rand((2,)), rand((3,), "int32")], id="1d")]
CASES["vstack"] = [Case([_M, rand((1, 4))]), Case([rand((3,)), rand((3,), "int32")], id="1d")]
CASES["dstack"] = [
    Case([_M, _M]),
    Case([rand((3,)), rand((3,))], id="1d"),
    Case([_M, _I], id="promote"),
]
CASES["column_stack"] = [
    Case([rand((3,)), rand((3,))]),
    Case([_M, rand((3,), "int32")], id="mixed"),
]
CASES["split"] = [
    Case(rand((6, 2)), 3),
    Case(rand((2, 6)), [1, 4], 1, id="indices"),
    Case(_I, 2, -1, id="int"),
    Case(rand((4,)), [0, 4], id="empty_parts"),
]
CASES["array_split"] = [
    Case(rand((7, 2)), 3),
    Case(_M, 3, 1, id="axis"),
    Case(rand((2,), "int32"), 3, id="more_parts"),
]
CASES["hsplit"] = [Case(rand((2, 6)), 3), Case(rand((6,)), [2], id="1d")]
CASES["vsplit"] = [Case(rand((4, 3)), 2), Case(_B, [1], id="3d")]
CASES["dsplit"] = [Case(_B, 2), Case(_B, [1, 3], id="indices")]
CASES["append"] = [
    Case(_M, _M),
    Case(_M, rand((1, 4)), 0, id="axis0"),
    Case(_I, _M, -1, id="promote"),
    Case(rand((0,)), rand((2,)), id="empty"),
]
CASES["pad"] = [
    Case(_M, 1),
    Case(_M, ((1, 2), (0, 1)), id="widths"),
    Case(_M, ((1, 2),), id="pair"),
    Case(_I, 2, constant_values=7, id="const"),
    Case(_M, 2, "reflect", id="reflect"),
    Case(_M, ((0, 1), (2, 3)), "symmetric", id="symmetric"),
    Case(_M, 2, "edge", id="edge"),
    Case(_M, 2, "wrap", id="wrap"),
    Case(rand((4,)), 2, "maximum", id="maximum"),
    Case(rand((2, 2, 2)), 1, id="3d"),
    Case(rand((0, 2)), 1, id="empty"),
]
CASES["meshgrid"] = [
    Case(rand((3,)), rand((2,))),
    Case(rand((3,)), rand((2,), "int32"), indexing="ij", id="ij"),
    Case(rand((2,)), rand((3,)), rand((4,)), id="3"),
]
CASES["ndim"] = [Case(_B), Case(rand(()), id="scalar")]
CASES["size"] = [Case(_B), Case(rand(()), id="scalar"), Case(rand((0, 3)), id="empty")]

CASES["tril"] = [Case(_M), Case(_M, 1, id="k"), Case(_B, -1, id="batch"), Case(_I, id="int")]
CASES["triu"] = [
    Case(_M),
    Case(_M, -1, id="k"),
    Case(_B, 2, id="batch"),
    Case(rand((3, 3), "bool"), id="bool"),
]
CASES["diag"] = [
    Case(_M),
    Case(_M, 1, id="k"),
    Case(rand((3,)), id="1d"),
    Case(rand((3,), "int32"), -2, id="1d_k"),
]
CASES["diagflat"] = [Case(rand((2, 2))), Case(rand((3,), "int32"), 1, id="k")]
CASES["diagonal"] = [
    Case(_M),
    Case(_M, 1, id="offset"),
    Case(_B, 0, 1, 2, id="axes"),
    Case(_B, -1, -1, 0, id="neg"),
    Case(_I, id="int"),
]
CASES["trace"] = [
    Case(_M),
    Case(_B, 1, 1, 2, id="axes"),
    Case(_I, -1, id="int"),
    Case(rand((3, 3), "int8"), id="int8"),
    Case(rand((3, 3), "bool"), id="bool"),
    Case(rand((3, 3), "uint8", low=0, high=9), id="uint8"),
]
CASES["take"] = [
    Case(_M, np.array([0, 5, 11])),
    Case(_M, np.array([2, 0]), 1, id="axis"),
    Case(_B, np.array([[0, 1], [1, 0]]), -1, id="2d_idx"),
    Case(_M, np.array([-1]), 0, id="neg"),
    Case(_I, 3, id="scalar_idx"),
    Case(_M, np.array([], "int32"), 0, id="empty"),
]
CASES["take_along_axis"] = [
    Case(_M, np.array([[0], [1], [3]]), 1),
    Case(_M, np.array([[2, 0, 1, 0]]), 0, id="axis0"),
    Case(_M, np.array([1, 11]), id="flat"),
    Case(_B, np.array([[[1], [0], [2]]]), -1, id="bcast"),
]
CASES["nonzero"] = [
    Case(np.array([[0, 1, 0], [2, 0, 3]])),
    Case(rand((3, 4), "bool"), id="bool"),
    Case(np.zeros((2, 2)), id="none"),
]
CASES["unravel_index"] = [
    Case(np.array([0, 5, 11]), (3, 4)),
    Case(np.array([[1, 7]], "int64"), (2, 2, 2), id="int64"),
    Case(5, (3, 3), id="scalar"),
]
CASES["isin"] = [
    Case(_I, np.array([0, 2, -3])),
    Case(_I, np.array([1, 4]), invert=True, id="invert"),
    Case(np.array([1.0, 2.5]), np.array([2.5]), id="float"),
    Case(rand((0,), "int32"), np.array([1]), id="empty"),
]

CASES["sort"] = [
    Case(_M),
    Case(_M, 0, id="axis0"),
    Case(_B, None, id="flat"),
    Case(_I, id="int"),
    Case(rand((5,), "bool"), id="bool"),
    Case(rand((0, 2)), id="empty"),
]
CASES["argsort"] = [
    Case(_M),
    Case(_M, 0, id="axis0"),
    Case(_B, None, id="flat"),
    Case(np.array([3, 1, 3, 1, 2]), id="ties"),
]
# Partition order within each side is unspecified: rows of 3 with kth=1 are fully determined.
CASES["argpartition"] = [
    Case(_M[:, :3], 1),
    Case(_M.T[:3], 1, 0, id="axis0"),
    Case(rand((2,), "int32"), 0, id="int"),
]
CASES["searchsorted"] = [
    Case(np.array([1.0, 2.0, 2.0, 4.0]), np.array([0.5, 2.0, 5.0])),
    Case(np.array([1, 2, 2, 4]), np.array([[2, 3], [4, 0]]), side="right", id="right"),
    Case(np.array([0.0, 1.0]), np.array([], "float32"), id="empty"),
]
CASES["digitize"] = [
    Case(_M, np.array([-0.5, 0.0, 0.5])),
    Case(_I, np.array([-2, 0, 3]), id="int"),
    Case(np.array([0.1, 2.0]), np.array([3.0, 1.0, 0.0]), id="decreasing"),
]
CASES["histogram"] = [
    Case(rand((20,), seed=17)),
    Case(rand((20,), seed=18), 4, (-0.5, 0.5), id="range"),
    Case(rand((10,), "int32", low=0, high=9), 3, id="int"),
]
CASES["bincount"] = [
    Case(np.array([0, 1, 1, 3], "int32")),
    Case(np.array([2, 2], "int32"), minlength=5, id="minlength"),
    Case(np.array([0, 1, 1], "int32"), np.array([0.5, 1.0, 2.0], "float32"), id="weights"),
    Case(np.array([[0, 1], [2, 2]], "int32"), id="2d"),
]
CASES["unique"] = [
    Case(np.array([3, 1, 2, 1, 3])),
    Case(rand((4,), "float32"), id="float"),
    Case(
        np.array([3, 1, 2, 1]), return_index=True, return_inverse=True, return_counts=True, id="all"
    ),
    Case(np.array([3, 1, 2, 1]), False, return_inverse=True, id="unsorted"),
    Case(np.array([[1, 2], [1, 2], [0, 5]]), axis=0, return_counts=True, id="axis"),
    Case(np.array([2, 2, 1]), size=4, fill_value=-1, id="size_pad"),
    Case(np.array([4, 2, 1, 3]), size=2, return_counts=True, id="size_cut"),
]

_V = rand((4,), seed=19)
CASES["dot"] = [
    Case(_M, rand((4, 2))),
    Case(_V, _V, id="vec"),
    Case(_B, _V, id="nd_1d"),
    Case(_B, rand((3, 4, 2)), id="nd_nd"),
    Case(_M, 2.0, id="scalar"),
    Case(_I, rand((4,), "int32"), id="int"),
    Case(_I, _V, id="promote"),
]
CASES["inner"] = [
    Case(_V, _V),
    Case(_M, rand((2, 4)), id="2d"),
    Case(_I, _V, id="promote"),
    Case(_M, 3, id="scalar"),
]
CASES["outer"] = [
    Case(_V, rand((3,))),
    Case(_M, _V, id="flatten"),
    Case(rand((3,), "int32"), rand((2,), "int8"), id="int"),
]
CASES["vdot"] = [Case(_V, _V), Case(_M, _M, id="flatten"), Case(_I, _I, id="int")]
CASES["tensordot"] = [
    Case(_B, rand((3, 4, 2))),
    Case(_M, rand((4, 5)), 1, id="axes1"),
    Case(_B, rand((4, 2)), ([2], [0]), id="lists"),
    Case(_M, _M, 0, id="outer"),
    Case(_I, rand((4,), "int32"), 1, id="int"),
]
CASES["einsum"] = [
    Case("ij,jk->ik", _M, rand((4, 2))),
    Case("bij->bji", _B, id="transpose"),
    Case("ii->", rand((3, 3)), id="trace"),
    Case("i,i", _V, _V, id="dot"),
    Case("...j,j->...", _B, _V, id="ellipsis"),
    Case(
        "ij,jk",
        rand((2, 3), "int8", low=-3, high=3),
        rand((3, 2), "int8", low=-3, high=3),
        id="int8",
    ),
    Case("ij,j->i", _I, _V, id="promote"),
]
CASES["cross"] = [
    Case(rand((3,)), rand((3,))),
    Case(rand((4, 3)), rand((3,)), id="bcast"),
    Case(rand((2,)), rand((2,)), id="2d_vecs"),
    Case(rand((3, 2)), rand((3, 2)), axis=0, id="axis"),
    Case(rand((2, 3)), rand((2, 3)), axisc=0, id="axisc"),
    Case(rand((3,), "int32"), rand((3,), "int32"), id="int"),
]
CASES["kron"] = [
    Case(rand((2, 2)), rand((2, 3))),
    Case(_V, rand((2,)), id="1d"),
    Case(rand((2,), "int32"), rand((2, 2)), id="promote_rank"),
]
CASES["correlate"] = [
    Case(_V, rand((2,))),
    Case(_V, rand((3,)), "same", id="same"),
    Case(_V, rand((3,)), "full", id="full"),
    Case(rand((4,), "int32"), rand((2,), "int32"), id="int"),
]
CASES["corrcoef"] = [
    Case(_M),
    Case(_V, id="1d"),
    Case(_I, id="int"),
    Case(rand((2, 5), "float64"), id="f64"),
]
CASES["diff"] = [
    Case(_M),
    Case(_M, 2, 0, id="n2"),
    Case(_I, axis=0, id="int"),
    Case(rand((5,), "bool"), id="bool"),
    Case(_M, 0, id="n0"),
    Case(rand((1,)), id="empty_result"),
]
CASES["trapezoid"] = [
    Case(_M),
    Case(_M, dx=0.5, axis=0, id="dx"),
    Case(_V, np.array([0.0, 1.0, 3.0, 4.5]), id="x"),
    Case(_I, id="int"),
]
CASES["vander"] = [
    Case(_V),
    Case(_V, 2, id="N"),
    Case(_V, increasing=True, id="increasing"),
    Case(rand((3,), "int32"), id="int"),
]
CASES["bartlett"] = [Case(5), Case(1, id="one"), Case(0, id="zero")]
CASES["blackman"] = [Case(6), Case(1, id="one")]
CASES["hamming"] = [Case(5), Case(0, id="zero")]
CASES["hanning"] = [Case(7), Case(1, id="one")]
CASES["kaiser"] = [Case(6, 5.0), Case(5, 0.0, id="beta0")]


# --------------------------------------------------------------------------------------------
# Element-wise math, comparisons, logic, bitwise ops and reductions (helper A1)
# --------------------------------------------------------------------------------------------


def _unary_cases(low=-1.0, high=1.0, ints=True, rtol=1e-5, atol=1e-6):
    """Float shapes (incl. 0-d and empty), float16/float64, and int/bool inputs."""
    tol = {"rtol": rtol, "atol": atol}
    cases = [
        Case(rand((2, 3), "float32", 1, low, high), id="f32", **tol),
        Case(rand((2, 3, 4), "float64", 2, low, high), id="f64", **tol),
        Case(rand((), "float32", 3, low, high), id="scalar", **tol),
        Case(rand((0, 3), "float32"), id="empty", **tol),
        Case(rand((5,), "float16", 4, low, high), id="f16", rtol=1e-2, atol=1e-2),
    ]
    if ints:
        cases += [
            Case(rand((3, 4), "int32", 5, low, high), id="i32", **tol),
            Case(rand((6,), "uint8", 6, max(low, 0), high), id="u8", **tol),
            Case(rand((2, 2), "bool", 7), id="bool", **tol),
        ]
    return cases


def _binary_cases(low=-1.0, high=1.0, x2_low=None, ints=True, bools=False):
    """Same and broadcast shapes, Python scalars, 0-d, empty and mixed dtypes."""
    x2_low = low if x2_low is None else x2_low

    def pair(shape1, shape2, dtype1="float32", dtype2="float32", seed=0):
        return (rand(shape1, dtype1, seed, low, high), rand(shape2, dtype2, seed + 1, x2_low, high))

    cases = [
        Case(*pair((2, 3), (2, 3)), id="same"),
        Case(*pair((2, 1, 3), (4, 3), seed=2), id="broadcast"),
        Case(*pair((), (3,), seed=4), id="scalar"),
        Case(*pair((0, 3), (3,), seed=6), id="empty"),
        Case(rand((3, 2), "float32", 8, low, high), x2_low + 0.5 * (high - x2_low), id="pyfloat"),
        Case(*pair((4,), (4,), "float16", "float16", seed=10), rtol=1e-2, atol=1e-2, id="f16"),
        Case(*pair((2, 2), (2, 2), "float64", "float32", seed=12), id="f64_f32"),
    ]
    if ints:
        cases += [
            Case(*pair((3, 4), (3, 4), "int32", "int32", seed=14), id="i32"),
            Case(*pair((3,), (2, 3), "int8", "float32", seed=16), id="i8_f32"),
            Case(*pair((5,), (5,), "uint8", "int16", seed=18), id="u8_i16"),
            Case(rand((2, 3), "int32", 20, low, high), int(high), id="pyint"),
        ]
    if bools:
        cases.append(Case(rand((2, 3), "bool", 22), rand((3,), "bool", 23), id="bool"))
    return cases


def _int_binary_cases(low=-8, high=8, x2_low=None, x2_high=None):
    """Integer-only binary ops (bitwise, gcd): same, broadcast, mixed widths, Python int."""
    x2_low = low if x2_low is None else x2_low
    x2_high = high if x2_high is None else x2_high
    return [
        Case(
            rand((2, 3), "int32", 1, low, high), rand((2, 3), "int32", 2, x2_low, x2_high), id="i32"
        ),
        Case(
            rand((2, 1, 3), "int8", 3, low, high),
            rand((4, 3), "int16", 4, x2_low, x2_high),
            id="broadcast",
        ),
        Case(
            rand((5,), "uint8", 5, 0, high),
            rand((5,), "uint8", 6, max(x2_low, 0), x2_high),
            id="u8",
        ),
        Case(rand((), "int32", 7, low, high), rand((3,), "int32", 8, x2_low, x2_high), id="scalar"),
        Case(rand((4,), "int16", 9, low, high), 3, id="pyint"),
    ]


def _reduction_cases(ints=True, empty=True, **kwargs):
    """Reductions over None, negative, tuple axes, keepdims, 0-d, empty, int and bool."""
    cases = [
        Case(rand((2, 3, 4), "float32", 1), id="all", **kwargs),
        Case(rand((2, 3, 4), "float32", 2), axis=-1, id="neg_axis", **kwargs),
        Case(rand((2, 3, 4), "float64", 3), axis=(0, 2), id="tuple_axis", **kwargs),
        Case(rand((3, 4), "float32", 4), axis=0, keepdims=True, id="keepdims", **kwargs),
        Case(rand((), "float32", 5), id="scalar", **kwargs),
        Case(rand((6,), "float16", 6), axis=0, id="f16", **{**kwargs, "rtol": 1e-2, "atol": 1e-2}),
    ]
    if empty:
        cases.append(Case(rand((0, 3), "float32"), axis=0, id="empty", **kwargs))
    if ints:
        cases += [
            Case(rand((3, 5), "int32", 7, -5, 5), axis=1, id="i32", **kwargs),
            Case(rand((4, 3), "uint8", 8, 0, 9), id="u8", **kwargs),
            Case(rand((2, 5), "bool", 9), axis=-1, id="bool", **kwargs),
        ]
    return cases


_COMPLEX = (rand((2, 3), "float32", 30) + 1j * rand((2, 3), "float32", 31)).astype("complex64")

for _name in ("abs", "absolute", "negative", "square"):
    CASES[_name] = _unary_cases(-5.0, 5.0, ints=_name != "negative")
CASES["signbit"] = _unary_cases() + [
    Case(np.array([-0.0, 0.0, -1.0, np.inf], "float32"), id="neg_zero")
]
CASES["sign"] = _unary_cases(-5.0, 5.0) + [Case(_COMPLEX, id="complex")]
for _name in (
    "exp",
    "exp2",
    "expm1",
    "sin",
    "cos",
    "tan",
    "arctan",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "deg2rad",
    "rad2deg",
    "floor",
    "ceil",
    "cbrt",
):
    CASES[_name] = _unary_cases(-3.0, 3.0, rtol=1e-5, atol=1e-5)
for _name in ("sqrt", "log", "log10", "log1p", "log2", "reciprocal"):
    CASES[_name] = _unary_cases(0.1, 5.0, rtol=1e-5, atol=1e-5)
for _name in ("arcsin", "arccos", "arctanh"):
    CASES[_name] = _unary_cases(-0.9, 0.9, ints=False)
CASES["arccosh"] = _unary_cases(1.1, 4.0)
CASES["trunc"] = _unary_cases(-5.0, 5.0)
CASES["round"] = _unary_cases(-5.0, 5.0) + [
    Case(rand((3, 3), "float32", 11, -100, 100), decimals=2, id="decimals"),
    Case(np.array([0.5, 1.5, 2.5, -0.5], "float32"), id="half_even"),
    Case(rand((4,), "int32", 12, -500, 500), decimals=-2, id="int_neg_decimals"),
]
CASES["clip"] = [
    Case(rand((3, 4), "float32", 1, -2, 2), -0.5, 0.5, id="f32"),
    Case(rand((), "float32", 2, -2, 2), 0.0, 1.0, id="scalar"),
    Case(rand((0, 2), "float32"), 0.0, 1.0, id="empty"),
    Case(rand((5,), "int32", 3, -9, 9), -3, 4, id="i32"),
    Case(rand((2, 3), "bool", 4), 0, 1, id="bool"),
    Case(
        rand((2, 3), "float32", 5, -2, 2),
        rand((3,), "float32", 6, -2, -1),
        rand((3,), "float32", 7, 0, 1),
        id="array_bounds",
    ),
]

for _name in ("add", "subtract", "multiply", "maximum", "minimum"):
    CASES[_name] = _binary_cases(-5.0, 5.0, bools=_name != "subtract")
for _name in ("logaddexp", "logaddexp2", "arctan2", "hypot"):
    CASES[_name] = _binary_cases(-3.0, 3.0)
for _name in ("divide", "true_divide", "floor_divide", "mod"):
    CASES[_name] = _binary_cases(-5.0, 5.0, x2_low=1.0)
CASES["divide_no_nan"] = _binary_cases(-5.0, 5.0) + [
    Case(np.array([1.0, -2.0, 0.0], "float32"), np.array([0.0, 0.0, 0.0], "float32"), id="zeros"),
]
CASES["power"] = _binary_cases(0.5, 3.0) + [
    Case(rand((2, 3), "int32", 30, 0, 4), rand((3,), "int32", 31, 0, 3), id="int_pow"),
]
CASES["heaviside"] = _binary_cases(-2.0, 2.0) + [
    Case(
        np.array([-1.0, 0.0, 2.0, 0.0], "float32"),
        np.array([0.5, 0.5, 0.5, 3.0], "float32"),
        id="at_zero",
    ),
]
CASES["gcd"] = _int_binary_cases(-12, 12)
CASES["lcm"] = _int_binary_cases(-12, 12)

for _name in ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal"):
    CASES[_name] = _binary_cases(-2.0, 2.0, bools=_name in ("equal", "not_equal")) + [
        Case(rand((3, 3), "int32", 40, -2, 2), rand((3, 3), "int32", 41, -2, 2), id="int_ties"),
    ]
CASES["isclose"] = [
    Case(rand((2, 3), "float32", 1), rand((2, 3), "float32", 1) + 1e-6, id="close"),
    Case(rand((4,), "float32", 2), rand((4,), "float32", 3), id="far"),
    Case(
        np.array([1.0, np.nan], "float32"),
        np.array([1.001, np.nan], "float32"),
        rtol=1e-2,
        atol=0.0,
        equal_nan=True,
        id="tol_nan",
    ),
    Case(rand((3,), "int32", 4), 1, id="int_pyint"),
]
_SPECIAL = np.array([[0.0, -0.0, 1.5, -2.0], [np.inf, -np.inf, np.nan, 3.0]], "float32")
for _name in ("isfinite", "isinf", "isnan", "isneginf", "isposinf"):
    CASES[_name] = _unary_cases() + [Case(_SPECIAL, id="special")]
CASES["isreal"] = _unary_cases() + [
    Case(_COMPLEX, id="complex"),
    Case(np.array([1 + 0j, 1j], "complex64"), id="mixed"),
]
for _name in ("logical_and", "logical_or", "logical_xor"):
    CASES[_name] = _binary_cases(-1.0, 1.0, bools=True)
CASES["logical_not"] = _unary_cases()

for _name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    CASES[_name] = _int_binary_cases() + [
        Case(rand((2, 3), "bool", 9), rand((3,), "bool", 10), id="bool")
    ]
for _name in ("bitwise_left_shift", "left_shift", "bitwise_right_shift", "right_shift"):
    CASES[_name] = _int_binary_cases(-20, 20, x2_low=0, x2_high=5)
for _name in ("bitwise_invert", "bitwise_not"):
    CASES[_name] = [
        Case(rand((2, 3), "int32", 1, -9, 9), id="i32"),
        Case(rand((4,), "uint8", 2, 0, 9), id="u8"),
        Case(rand((), "int8", 3, -9, 9), id="scalar"),
        Case(rand((3,), "bool", 4), id="bool"),
    ]

CASES["where"] = [
    Case(
        rand((2, 3), "bool", 1), rand((2, 3), "float32", 2), rand((2, 3), "float32", 3), id="same"
    ),
    Case(
        rand((2, 1), "bool", 4),
        rand((3,), "int32", 5, -9, 9),
        rand((2, 3), "float32", 6),
        id="broadcast_mixed",
    ),
    Case(rand((4,), "bool", 7), 1.0, 0, id="pyscalars"),
    Case(rand((0,), "bool", 8), rand((0,), "float32"), 0.0, id="empty"),
    Case(rand((3, 4), "int32", 9, 0, 1), id="nonzero"),
]
CASES["select"] = [
    Case(
        [rand((2, 3), "bool", 1), rand((2, 3), "bool", 2)],
        [rand((2, 3), "float32", 3), rand((2, 3), "float32", 4)],
        id="two",
    ),
    Case([rand((4,), "bool", 5)], [rand((4,), "int32", 6, -9, 9)], -1.5, id="default_float"),
    Case(
        [rand((2, 1), "bool", 7), rand((3,), "bool", 8)],
        [rand((2, 3), "int8", 9, -9, 9), rand((3,), "int16", 10, -9, 9)],
        id="broadcast",
    ),
]
CASES["nan_to_num"] = [
    Case(_SPECIAL, id="defaults"),
    Case(_SPECIAL, nan=-1.0, posinf=100.0, neginf=-100.0, id="values"),
    Case(_SPECIAL.astype("float64"), id="f64"),
    Case(rand((3,), "int32", 1, -9, 9), id="i32"),
]
for _name in ("real", "imag", "conj", "conjugate", "angle"):
    CASES[_name] = _unary_cases(-3.0, 3.0) + [Case(_COMPLEX, id="complex")]

for _name in ("sum", "max", "min", "amax", "amin", "prod", "all", "any"):
    CASES[_name] = _reduction_cases(empty=_name not in ("max", "min", "amax", "amin"))
CASES["max"] += [
    Case(rand((0, 3), "float32"), axis=0, initial=-1.0, id="initial_empty"),
    Case(rand((2, 3), "int32", 20, -5, 5), initial=3, id="initial"),
]
CASES["min"] += [Case(rand((0, 3), "float32"), axis=1, initial=2.0, id="initial_empty")]
CASES["prod"] += [Case(rand((3, 2), "int8", 21, -3, 3), axis=0, dtype="float32", id="dtype")]
for _name in ("mean", "std", "var", "median"):
    CASES[_name] = _reduction_cases(empty=False, rtol=1e-5, atol=1e-5)
for _name in ("argmax", "argmin"):
    CASES[_name] = [
        Case(rand((3, 4), "float32", 1), id="flat"),
        Case(rand((2, 3, 4), "float32", 2), axis=-1, id="neg_axis"),
        Case(rand((3, 4), "int32", 3, -3, 3), axis=0, keepdims=True, id="ties_keepdims"),
        Case(rand((5,), "bool", 4), id="bool"),
        Case(rand((), "float32", 5), id="scalar"),
    ]
CASES["average"] = [
    Case(rand((3, 4), "float32", 1), id="plain"),
    Case(
        rand((3, 4), "float32", 2),
        axis=1,
        weights=rand((4,), "float32", 3, 0.1, 1.0),
        id="1d_weights",
    ),
    Case(
        rand((2, 3), "int32", 4, -5, 5),
        axis=-2,
        weights=rand((2, 3), "int32", 5, 1, 3),
        id="int_full_weights",
    ),
    Case(rand((2, 3, 4), "float64", 6), axis=(0, 2), id="tuple_axis"),
]
CASES["quantile"] = [
    Case(rand((3, 5), "float32", 1), 0.3, id="flat"),
    Case(rand((3, 5), "float32", 2), np.array([0.1, 0.5, 0.9], "float32"), axis=-1, id="many_q"),
    Case(rand((4, 3), "int32", 3, -9, 9), 0.5, axis=0, keepdims=True, id="int_keepdims"),
] + [
    Case(rand((7,), "float32", 4), 0.4, method=m, id=m)
    for m in ("lower", "higher", "midpoint", "nearest")
]
CASES["count_nonzero"] = [
    Case(rand((3, 4), "int32", 1, -1, 1), id="all"),
    Case(rand((3, 4), "bool", 2), axis=-1, id="bool_axis"),
    Case(rand((2, 3, 4), "int32", 3, -1, 1), axis=(0, 2), id="tuple_axis"),
    Case(np.array([0.0, -0.0, 1.0, np.nan], "float32"), id="zeros_nan"),
]
for _name in ("cumsum", "cumprod"):
    CASES[_name] = [
        Case(rand((3, 4), "float32", 1), id="flat"),
        Case(rand((2, 3, 4), "float32", 2), axis=-1, id="neg_axis"),
        Case(rand((3, 4), "int8", 3, -2, 2), axis=0, id="int8"),
        Case(rand((5,), "bool", 4), id="bool"),
        Case(rand((3,), "int32", 5, -3, 3), dtype="float32", id="dtype"),
        Case(rand((0, 2), "float32"), axis=1, id="empty"),
    ]


# --------------------------------------------------------------------------------------------
# Issue 15 ops: element-wise extras, nan* reductions, rearrange, vectorize
# --------------------------------------------------------------------------------------------


def _with_nans(shape, seed, dtype="float32", every=3):
    """Random floats with NaN in every `every`-th element and one all-NaN last row."""
    x = rand(shape, dtype, seed, -2, 2).astype(dtype)
    flat = x.reshape(-1)
    flat[::every] = np.nan
    if x.ndim >= 2:
        x[-1] = np.nan
    return x


_N2 = _with_nans((4, 5), 40)
_N3 = _with_nans((2, 3, 4), 41)
_F16N = _with_nans((3, 4), 42, "float16")

for _name in ("fmax", "fmin"):
    CASES[_name] = [
        Case(_N2, rand((4, 5), "float32", 43), id="nan_left"),
        Case(np.where(np.isnan(_N2), np.nan, _N2[::-1]), _N2, id="nan_both"),
        Case(_N3, rand((4,), "float32", 44), id="broadcast"),
        Case(rand((3, 4), "int32", 45, -5, 5), rand((4,), "int8", 46, -5, 5), id="int"),
        Case(rand((3,), "int32", 47, -5, 5), 2.5, id="int_pyfloat"),
        Case(_F16N, 0.25, id="f16_pyfloat"),
    ]
CASES["fmod"] = [
    Case(rand((3, 4), "float32", 48, -9, 9), rand((4,), "float32", 49, 0.5, 3), id="broadcast"),
    Case(
        np.array([-7, 7, -7, 7, 5, -5], "int32"),
        np.array([3, 3, -3, -3, 5, 2], "int32"),
        id="int_signs",
    ),
    Case(
        np.array([-7.5, 7.5, -0.5, 3.0], "float32"),
        np.array([2.0, -2.0, 2.0, 1.5], "float32"),
        id="float_signs",
    ),
    Case(rand((5,), "int8", 50, -20, 20), 3, id="int8_pyint"),
    Case(rand((2, 3), "bool", 51), np.array([1, 2, 3], "int32"), id="bool_int"),
    Case(rand((4,), "float16", 52, -5, 5), 1.5, rtol=1e-3, atol=1e-3, id="f16"),
]
CASES["fabs"] = [
    Case(rand((3, 4), "float32", 53), id="f32"),
    Case(rand((5,), "int32", 54, -9, 9), id="int"),
    Case(rand((2, 3), "bool", 55), id="bool"),
    Case(rand((), "float16", 56), id="f16_scalar"),
    Case(np.array([-np.inf, np.nan, -0.0], "float32"), id="special"),
]
CASES["i0"] = [
    Case(rand((3, 4), "float32", 57, -10, 10), id="f32"),
    Case(np.array([0.0, 3.75, -3.75, 20.0], "float64"), rtol=1e-6, id="f64_branches"),
    Case(rand((5,), "int32", 58, -6, 6), id="int"),
    Case(rand((4,), "float16", 59, -3, 3), rtol=1e-3, atol=1e-3, id="f16"),
]
CASES["sinc"] = [
    Case(rand((3, 4), "float32", 60, -3, 3), id="f32"),
    Case(np.array([0.0, 1.0, -2.0, 0.5], "float32"), id="zeros_and_ints"),
    Case(rand((5,), "int32", 61, -3, 3), id="int"),
    Case(rand((2, 2), "float64", 62), id="f64"),
]
CASES["ldexp"] = [
    Case(rand((3, 4), "float32", 63), rand((4,), "int32", 64, -5, 5), id="broadcast"),
    Case(rand((5,), "int32", 65, -5, 5), 3, id="int_pyint"),
    Case(rand((4,), "float16", 66), np.array([1, -2, 3, 0], "int8"), rtol=1e-3, id="f16"),
    Case(rand((2, 3), "float64", 67), rand((2, 3), "int32", 68, -60, 60), id="f64"),
]
CASES["nextafter"] = [
    Case(rand((3, 4), "float32", 69), rand((3, 4), "float32", 70), rtol=0, atol=0, id="f32"),
    Case(
        np.array([1.0, 1.0, -1.0, -1.0, 2.0, 0.5, 3.0], "float32"),
        np.array([2.0, 0.0, -2.0, 0.0, 2.0, -9.0, np.inf], "float32"),
        rtol=0,
        atol=0,
        id="powers_of_two",
    ),
    Case(rand((4,), "float64", 71), rand((4,), "float64", 72), rtol=0, atol=0, id="f64"),
    Case(rand((4,), "int32", 73, -3, 3), 10.0, rtol=0, atol=0, id="int_pyfloat"),
]
CASES["allclose"] = [
    Case(rand((2, 3), "float32", 74), rand((2, 3), "float32", 74) + 1e-7, id="close"),
    Case(rand((2, 3), "float32", 75), rand((3,), "float32", 76), id="far_broadcast"),
    Case(
        np.array([1.0, np.nan], "float32"),
        np.array([1.0, np.nan], "float32"),
        equal_nan=True,
        id="equal_nan",
    ),
    Case(np.array([1.0, np.nan], "float32"), np.array([1.0, np.nan], "float32"), id="nan"),
    Case(rand((4,), "int32", 77, -3, 3), rand((4,), "int32", 77, -3, 3), id="int"),
    Case(
        np.array([1.0, 2.0], "float32"),
        np.array([1.05, 2.1], "float32"),
        rtol=0.1,
        atol=0.0,
        id="tolerances",
    ),
]
CASES["ptp"] = [c for c in _reduction_cases(empty=False) if c.id != "bool"]
CASES["percentile"] = [
    Case(rand((3, 5), "float32", 78), 30, id="flat"),
    Case(
        rand((3, 5), "float32", 79), np.array([10.0, 50.0, 95.0], "float32"), axis=-1, id="many_q"
    ),
    Case(rand((4, 3), "int32", 80, -9, 9), 50, axis=0, keepdims=True, id="int_keepdims"),
] + [
    Case(rand((7,), "float32", 81), 40, method=m, id=m)
    for m in ("lower", "higher", "midpoint", "nearest")
]
CASES["slogdet"] = [
    Case(
        rand((3, 3), "float32", 82) + 2 * np.eye(3, dtype="float32"), rtol=1e-4, atol=1e-5, id="f32"
    ),
    Case(rand((2, 4, 4), "float64", 83), rtol=1e-6, atol=1e-6, id="batch_f64"),
    Case(np.array([[0.0, 1.0], [1.0, 0.0]], "float32"), id="negative_sign"),
    Case(np.array([[2, 1], [1, 3]], "int32"), rtol=1e-5, atol=1e-5, id="int"),
]

_NAN_TOL = {"rtol": 1e-5, "atol": 1e-5}
for _name in (
    "nansum",
    "nanprod",
    "nanmean",
    "nanvar",
    "nanstd",
    "nanmax",
    "nanmin",
    "nanargmax",
    "nanargmin",
    "nanmedian",
):
    CASES[_name] = _reduction_cases(
        ints=_name not in ("nanargmax", "nanargmin"), empty=False, **_NAN_TOL
    ) + [
        Case(_N2, id="nan_flat", **_NAN_TOL),
        Case(_N2, axis=1, id="nan_rows", **_NAN_TOL),
        Case(_N3, axis=(0, 2), keepdims=True, id="nan_tuple_keepdims", **_NAN_TOL),
        Case(_N3, axis=-2, id="nan_neg_axis", **_NAN_TOL),
        Case(_F16N, axis=0, id="nan_f16", rtol=1e-2, atol=1e-2),
    ]
for _name in ("nanargmax", "nanargmin"):  # a single axis, as argmax
    CASES[_name] = [c for c in CASES[_name] if not isinstance(c.kwargs.get("axis"), tuple)]
CASES["nanargmax"] += [
    Case(rand((3, 4), "int32", 84, -3, 3), axis=0, id="int_ties"),
    Case(np.array([[np.nan, -np.inf, 1.0]], "float32"), axis=1, id="-inf"),
]
CASES["nanargmin"] += [
    Case(rand((3, 4), "int32", 85, -3, 3), axis=1, id="int_ties"),
    Case(np.array([np.nan, np.inf, np.inf], "float32"), id="inf"),
]
for _name in ("nancumsum", "nancumprod"):
    CASES[_name] = [
        Case(_N2, id="flat"),
        Case(_N3, axis=-1, id="neg_axis"),
        Case(_N2, axis=0, id="axis0"),
        Case(rand((3, 4), "int8", 86, -2, 2), axis=0, id="int8"),
        Case(rand((5,), "bool", 87), id="bool"),
        Case(rand((3,), "int32", 88, -3, 3), dtype="float32", id="dtype"),
        Case(_F16N, axis=1, rtol=1e-2, atol=1e-2, id="f16"),
    ]
for _name, _scale in (("nanquantile", 1.0), ("nanpercentile", 100.0)):
    CASES[_name] = [
        Case(_N2, 0.3 * _scale, id="flat"),
        Case(_N2, np.array([0.1, 0.5, 0.9], "float32") * _scale, axis=-1, id="many_q"),
        Case(_N3, 0.75 * _scale, axis=(0, 2), keepdims=True, id="tuple_keepdims"),
        Case(rand((4, 3), "int32", 89, -9, 9), 0.5 * _scale, axis=0, id="int"),
        Case(
            rand((3, 4), "float32", 90),
            np.array([0.0, 1.0], "float32") * _scale,
            axis=0,
            keepdims=True,
            id="many_q_keepdims",
        ),
    ] + [
        Case(_N2, 0.4 * _scale, axis=1, method=m, id=m)
        for m in ("lower", "higher", "midpoint", "nearest")
    ]

CASES["rearrange"] = [
    Case(rand((2, 3, 4, 5), "float32", 91), "b h w c -> b c h w", id="transpose"),
    Case(rand((2, 3, 4, 5), "float32", 92), "b h w c -> (b h) w c", id="merge"),
    Case(rand((2, 6, 4), "int32", 93, -9, 9), "b (h w) c -> b h w c", h=2, id="split_int"),
    Case(rand((2, 6, 4), "float32", 94), "b (h w) c -> (c w) b h", w=3, id="split_merge"),
    Case(rand((3, 4), "bool", 95), "a b -> b a", id="bool"),
]


def _double_plus(a, b):
    """Python operators only, so the reference and every engine can run it."""
    return a * 2.0 + b


def _cross2(a, b):
    return a[0] * b[1] - a[1] * b[0]


CASES["vectorize"] = [
    Case(
        _double_plus,
        call_result=(rand((2, 3), "float32", 96), rand((3,), "float32", 97)),
        id="broadcast",
    ),
    Case(
        _cross2,
        signature="(n),(n)->()",
        call_result=(rand((4, 2), "float32", 98), rand((4, 2), "float32", 99)),
        id="signature",
    ),
]
