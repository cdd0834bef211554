"""Element-wise, comparison, logic, bitwise and reduction ops of `unikeras.ops` (NumPy ns).

Every op is compared (values and Keras 3 dtype) with an independent NumPy computation in
float64 or hand-computed values, and run on symbolic `KerasTensor`s for shape and dtype
inference. The tests are backend-agnostic: results go through `unikeras.backend.convert_to_numpy`.
"""

import warnings

import numpy as np
import pytest

import unikeras
from unikeras import backend, ops
from capabilities import backend_dtype, needs_dtype, tolerance_for

KT = unikeras.KerasTensor

F = np.linspace(-0.9, 0.9, 12, dtype="float32").reshape(3, 4)
P = np.linspace(0.2, 3.0, 12, dtype="float32").reshape(3, 4)  # positive
I = np.arange(-6, 6, dtype="int32").reshape(3, 4)
IP = np.arange(1, 13, dtype="int32").reshape(3, 4)  # positive
Q = IP % 4  # small, so that integer powers do not overflow
H = np.array([0.25, 0.5, 0.75], "float16")
BOOL = np.array([[True, False, True], [False, False, True]])
SPECIAL = np.array([0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, np.nan], "float32")
C = np.array([1 + 2j, -3 + 0j, -1j], "complex64")


def check(result, expected, dtype, rtol=1e-5, atol=1e-6):
    """Compares a tensor with NumPy values (same shape) and a dtype name."""
    got = np.asarray(backend.convert_to_numpy(result))
    assert backend.standardize_dtype(result.dtype) == backend_dtype(dtype)
    rtol, atol = tolerance_for(dtype, rtol, atol)
    assert got.shape == np.shape(expected)
    if np.issubdtype(got.dtype, np.inexact):
        np.testing.assert_allclose(got, np.asarray(expected, dtype=got.dtype), rtol=rtol, atol=atol)
    else:
        np.testing.assert_array_equal(got, expected)


def f64(x):
    return np.asarray(x, dtype="float64")


@pytest.fixture(autouse=True)
def _quiet():
    # Inputs such as log(0) or 1/0 are part of the cases; their warnings are not.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


# --------------------------------------------------------------------------------------------
# Unary float-valued ops: float in, same float out; int/bool in, floatx out.
# --------------------------------------------------------------------------------------------

UNARY_FLOAT = {
    "sqrt": (np.sqrt, P),
    "cbrt": (np.cbrt, F),
    "reciprocal": (np.reciprocal, P),
    "exp": (np.exp, F),
    "exp2": (np.exp2, F),
    "expm1": (np.expm1, F),
    "log": (np.log, P),
    "log10": (np.log10, P),
    "log1p": (np.log1p, P),
    "log2": (np.log2, P),
    "sin": (np.sin, F),
    "cos": (np.cos, F),
    "tan": (np.tan, F),
    "arcsin": (np.arcsin, F),
    "arccos": (np.arccos, F),
    "arctan": (np.arctan, F),
    "sinh": (np.sinh, F),
    "cosh": (np.cosh, F),
    "tanh": (np.tanh, F),
    "arcsinh": (np.arcsinh, F),
    "arccosh": (np.arccosh, P + 1),
    "arctanh": (np.arctanh, F),
    "deg2rad": (np.deg2rad, F * 100),
    "rad2deg": (np.rad2deg, F),
    "floor": (np.floor, F * 5),
    "ceil": (np.ceil, F * 5),
    "angle": (np.angle, F),
}


@pytest.mark.parametrize("name", sorted(UNARY_FLOAT))
def test_unary_float_op(name):
    fn, x = UNARY_FLOAT[name]
    op = getattr(ops, name)
    check(op(x), fn(f64(x)), "float32")
    check(op(x.astype("float64")), fn(f64(x)), "float64", rtol=1e-12)
    check(op(x.astype("float16")), fn(f64(x.astype("float16"))), "float16", rtol=5e-3, atol=5e-3)
    check(op(IP), fn(f64(IP)), "float32")
    check(op(BOOL), fn(f64(BOOL)), "float32")
    check(op(x[0, 0].item()), fn(f64(x[0, 0])), "float32")
    check(op(np.zeros((0, 3), "float32")), np.zeros((0, 3)), "float32")
    symbolic = op(KT((None, 3)))
    assert symbolic.shape == (None, 3) and symbolic.dtype == "float32"
    assert op(KT((2, None), dtype="int8")).dtype == "float32"


def test_int64_gives_float64_for_cbrt_deg2rad_rad2deg_and_floatx_elsewhere():
    x = np.array([8, 27], "int64")
    check(ops.cbrt(x), [2.0, 3.0], "float64")
    check(ops.deg2rad(x), np.deg2rad(f64(x)), "float64")
    check(ops.rad2deg(x), np.rad2deg(f64(x)), "float64")
    check(ops.sqrt(x), np.sqrt(f64(x)), "float32")


def test_floor_ceil_of_ints_are_floats():
    check(ops.floor(np.array([1, -2], "int32")), [1.0, -2.0], "float32")
    check(ops.ceil(np.array([True, False])), [1.0, 0.0], "float32")


# --------------------------------------------------------------------------------------------
# Unary ops that keep the dtype, and predicates.
# --------------------------------------------------------------------------------------------

SAME_DTYPE = {
    "abs": np.abs,
    "absolute": np.abs,
    "negative": np.negative,
    "sign": np.sign,
    "trunc": np.trunc,
    "conj": np.conjugate,
    "conjugate": np.conjugate,
    "real": np.real,
    "nan_to_num": np.nan_to_num,
}


@pytest.mark.parametrize("name", sorted(SAME_DTYPE))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int8"])
def test_same_dtype_unary_op(name, dtype):
    x = (F * 7).astype(dtype)
    op = getattr(ops, name)
    check(op(x), SAME_DTYPE[name](f64(x)), dtype)
    check(op(x[0]), SAME_DTYPE[name](f64(x[0])), dtype)
    symbolic = op(KT((None, 3), dtype=dtype))
    # Symbolic dtypes follow the eager ones (JAX without x64: float64 gives float32).
    assert symbolic.shape == (None, 3) and symbolic.dtype == backend_dtype(dtype)


def test_sign_abs_trunc_round_of_special_inputs():
    check(ops.sign(np.array([-2.5, 0.0, 3.0], "float32")), [-1.0, 0.0, 1.0], "float32")
    check(ops.sign(BOOL), BOOL, "bool")
    check(ops.abs(np.array([-3, 2], "int8")), [3, 2], "int8")
    check(ops.trunc(np.array([-1.7, 1.7], "float32")), [-1.0, 1.0], "float32")
    check(ops.trunc(np.array([3, -4], "int32")), [3, -4], "int32")
    check(ops.round(np.array([0.5, 1.5, 2.5, -0.5], "float32")), [0.0, 2.0, 2.0, -0.0], "float32")
    check(ops.round(np.array([1.234, -5.678], "float32"), decimals=2), [1.23, -5.68], "float32")
    check(ops.round(np.array([1234, -5678], "int32"), decimals=-2), [1200, -5700], "int32")
    assert ops.round(KT((None, 2), dtype="int32"), decimals=1).dtype == "int32"


def test_square():
    check(ops.square(F), np.square(f64(F)), "float32")
    check(ops.square(I), np.square(I), "int32")
    check(ops.square(BOOL), BOOL.astype("int32"), "int32")
    assert ops.square(KT((None,), dtype="bool")).dtype == "int32"


@pytest.mark.parametrize(
    "name,fn",
    [
        ("isfinite", np.isfinite),
        ("isinf", np.isinf),
        ("isnan", np.isnan),
        ("isneginf", np.isneginf),
        ("isposinf", np.isposinf),
        ("signbit", np.signbit),
        ("logical_not", np.logical_not),
        ("isreal", np.isreal),
    ],
)
def test_predicate(name, fn):
    op = getattr(ops, name)
    check(op(SPECIAL), fn(SPECIAL), "bool")
    check(op(I), fn(I), "bool")
    check(op(np.float32(-0.0)), fn(np.float32(-0.0)), "bool")
    symbolic = op(KT((None, 4)))
    assert symbolic.shape == (None, 4) and symbolic.dtype == "bool"


def test_signbit_sees_negative_zero():
    check(ops.signbit(np.array([-0.0, 0.0, -1.0], "float32")), [True, False, True], "bool")


@needs_dtype("complex64")
def test_complex_parts():
    check(ops.real(C), [1.0, -3.0, 0.0], "float32")
    check(ops.imag(C), [2.0, 0.0, -1.0], "float32")
    check(ops.conj(C), [1 - 2j, -3 - 0j, 1j], "complex64")
    check(ops.angle(C), np.angle(C.astype("complex128")), "float32")
    check(ops.isreal(C), [False, True, False], "bool")


def test_complex_parts_of_real_inputs():
    check(ops.real(F), F, "float32")
    check(ops.imag(F), np.zeros_like(F), "float32")
    check(ops.isreal(F), np.ones(F.shape, bool), "bool")
    check(ops.angle(np.array([-1, 2], "int32")), [np.pi, 0.0], "float32")


def test_nan_to_num():
    big = np.finfo("float32").max
    check(ops.nan_to_num(SPECIAL), [0, -0.0, 1.5, -2, big, -big, 0], "float32")
    check(
        ops.nan_to_num(SPECIAL, nan=-1.0, posinf=9.0, neginf=-9.0),
        [0, -0.0, 1.5, -2, 9, -9, -1],
        "float32",
    )
    check(ops.nan_to_num(I), I, "int32")


def test_bitwise_invert():
    check(ops.bitwise_invert(np.array([0, 5, -3], "int8")), [-1, -6, 2], "int8")
    check(ops.bitwise_not(np.array([0, 5], "uint8")), [255, 250], "uint8")
    check(ops.bitwise_invert(np.array([True, False])), [False, True], "bool")


# --------------------------------------------------------------------------------------------
# Binary ops and Keras 3 promotion.
# --------------------------------------------------------------------------------------------

# (x1, x2, promoted dtype): Python scalars are weak; int + float gives the float dtype.
PAIRS = [
    (F, P, "float32"),
    (F[:, :1], P[0], "float32"),  # broadcasting
    (F.astype("float64"), P, "float64"),
    (IP, P, "float32"),
    (F, 1.5, "float32"),
    (np.float32(0.5), P, "float32"),
    (Q.astype("int8"), 3, "int8"),
    (Q.astype("uint8"), (Q + 1).astype("int8"), "int16"),
    (Q.astype("int16"), P.astype("float16"), "float16"),
    (IP, IP[::-1], "int32"),
]

ARITHMETIC = {
    "add": np.add,
    "subtract": np.subtract,
    "multiply": np.multiply,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "power": np.power,
    "floor_divide": np.floor_divide,
    "mod": np.mod,
}
FLOAT_BINARY = {
    "divide": np.divide,
    "true_divide": np.divide,
    "arctan2": np.arctan2,
    "logaddexp": np.logaddexp,
    "logaddexp2": np.logaddexp2,
    "hypot": np.hypot,
}
COMPARISONS = {
    "equal": np.equal,
    "not_equal": np.not_equal,
    "greater": np.greater,
    "greater_equal": np.greater_equal,
    "less": np.less,
    "less_equal": np.less_equal,
    "logical_and": np.logical_and,
    "logical_or": np.logical_or,
    "logical_xor": np.logical_xor,
}


def _tol(dtype):
    return {"rtol": 2e-3, "atol": 2e-3} if dtype == "float16" else {"rtol": 1e-5, "atol": 1e-5}


@pytest.mark.parametrize("name", sorted(ARITHMETIC))
@pytest.mark.parametrize("pair", range(len(PAIRS)))
def test_arithmetic_promotes_like_keras(name, pair):
    x1, x2, dtype = PAIRS[pair]
    expected = ARITHMETIC[name](f64(x1), f64(x2))
    check(getattr(ops, name)(x1, x2), expected, dtype, **_tol(dtype))


@pytest.mark.parametrize("name", sorted(FLOAT_BINARY))
@pytest.mark.parametrize("pair", range(len(PAIRS)))
def test_float_binary_op(name, pair):
    x1, x2, dtype = PAIRS[pair]
    dtype = "float32" if "int" in dtype else dtype
    check(getattr(ops, name)(x1, x2), FLOAT_BINARY[name](f64(x1), f64(x2)), dtype, **_tol(dtype))


@pytest.mark.parametrize("name", sorted(COMPARISONS))
@pytest.mark.parametrize("pair", range(len(PAIRS)))
def test_comparison_gives_bool(name, pair):
    x1, x2, _ = PAIRS[pair]
    check(getattr(ops, name)(x1, x2), COMPARISONS[name](x1, x2), "bool")


@pytest.mark.parametrize("name", sorted({**ARITHMETIC, **FLOAT_BINARY, **COMPARISONS}))
def test_binary_symbolic_broadcasts_and_promotes(name):
    result = getattr(ops, name)(KT((None, 1, 3)), KT((4, 1), dtype="int32"))
    assert result.shape == (None, 4, 3)
    expected = "bool" if name in COMPARISONS else "float32"
    assert result.dtype == expected


def test_bool_and_int_edge_promotions():
    check(ops.add(BOOL, 1), BOOL.astype("int32") + 1, "int32")
    check(ops.add(BOOL, BOOL), BOOL | BOOL, "bool")
    check(ops.mod(BOOL, np.ones_like(BOOL)), np.zeros(BOOL.shape), "int32")
    check(ops.power(np.array([True, False]), np.array([True, True])), [True, False], "bool")
    check(ops.divide(IP, 2), IP / 2.0, "float32")
    check(ops.floor_divide(np.array([7, -7], "int32"), 2), [3, -4], "int32")
    check(ops.mod(np.array([7.5, -7.5], "float32"), 2.0), [1.5, 0.5], "float32")


def test_divide_no_nan():
    x1 = np.array([1.0, -2.0, 0.0, 6.0], "float32")
    x2 = np.array([0.0, 0.0, 0.0, 3.0], "float32")
    check(ops.divide_no_nan(x1, x2), [0.0, 0.0, 0.0, 2.0], "float32")
    check(
        ops.divide_no_nan(np.array([3, 4], "int32"), np.array([0, 2], "int32")), [0, 2], "float32"
    )
    assert ops.divide_no_nan(KT((None, 2), dtype="int8"), 2).dtype == "float32"


def test_heaviside():
    x1 = np.array([-1.5, 0.0, 2.0, 0.0], "float32")
    check(ops.heaviside(x1, 0.5), [0.0, 0.5, 1.0, 0.5], "float32")
    check(
        ops.heaviside(np.array([-2, 0, 3], "int32"), np.array([7, 7, 7], "int32")),
        [0.0, 7.0, 1.0],
        "float32",
    )
    check(
        ops.heaviside(np.array([-2, 0], "int64"), np.array([7, 7], "int64")), [0.0, 7.0], "float64"
    )


def test_hypot_of_ints():
    check(ops.hypot(np.array([3, 5], "int32"), np.array([4, 12], "int32")), [5.0, 13.0], "float32")


def test_gcd_lcm():
    x1 = np.array([12, -18, 0, 7], "int32")
    x2 = np.array([8, 12, 5, 0], "int32")
    check(ops.gcd(x1, x2), [4, 6, 5, 7], "int32")
    check(ops.lcm(x1, x2), [24, 36, 0, 0], "int32")
    check(ops.gcd(x1.astype("int8"), 6), [6, 6, 6, 1], "int8")


def test_bitwise_binary_ops():
    x = np.array([12, -7, 5], "int16")
    y = np.array([10, 3, 1], "int8")
    check(ops.bitwise_and(x, y), [8, 1, 1], "int16")
    check(ops.bitwise_or(x, y), [14, -5, 5], "int16")
    check(ops.bitwise_xor(x, y), [6, -6, 4], "int16")
    check(ops.bitwise_left_shift(x, y), [12288, -56, 10], "int16")
    check(ops.left_shift(y, 2), [40, 12, 4], "int8")
    check(ops.bitwise_right_shift(x, 1), [6, -4, 2], "int16")
    check(ops.right_shift(np.array([16, 7], "uint8"), np.array([2, 1], "uint8")), [4, 3], "uint8")
    check(ops.bitwise_and(BOOL, True), BOOL, "bool")
    assert ops.bitwise_xor(KT((None, 2), dtype="int8"), KT((2,), dtype="int16")).dtype == "int16"


def test_isclose():
    x1 = np.array([1.0, 1.0, np.nan, 100.0], "float32")
    x2 = np.array([1.0 + 1e-6, 1.1, np.nan, 100.001], "float32")
    check(ops.isclose(x1, x2), [True, False, False, True], "bool")
    check(ops.isclose(x1, x2, equal_nan=True), [True, False, True, True], "bool")
    check(ops.isclose(x1, x2, rtol=0.0, atol=1e-5), [True, False, False, False], "bool")
    check(ops.isclose(np.array([1, 2], "int32"), 1), [True, False], "bool")
    assert ops.isclose(KT((None, 3)), KT((3,))).shape == (None, 3)


def test_clip():
    check(ops.clip(F, -0.5, 0.25), np.clip(F, -0.5, 0.25), "float32")
    check(ops.clip(I, -2, 3), np.clip(I, -2, 3), "int32")
    check(ops.clip(I.astype("int8"), -2.5, 3.5), np.clip(I, -2, 3), "int8")
    check(ops.clip(BOOL, 0, 1), BOOL.astype("int32"), "int32")
    check(ops.clip(np.float32(5.0), 0.0, 1.0), 1.0, "float32")
    assert ops.clip(KT((None, 3), dtype="bool"), 0, 1).dtype == "int32"


def test_where():
    cond = np.array([[True, False, True]])
    x2 = np.zeros((2, 3), "int32")
    check(ops.where(cond, F[:2, :3], x2), np.where(cond, F[:2, :3], 0), "float32")
    check(ops.where(cond, 1, 0), [[1, 0, 1]], "int32")
    check(ops.where(cond, np.int8(3), 2.5), [[3.0, 2.5, 3.0]], "float32")
    rows, cols = ops.where(np.array([[0, 1], [2, 0]]))
    check(rows, [0, 1], "int32")
    check(cols, [1, 0], "int32")
    result = ops.where(KT((None, 1), dtype="bool"), KT((3,)), 0.0)
    assert result.shape == (None, 3) and result.dtype == "float32"


def test_select():
    x = np.arange(6, dtype="int32")
    condlist = [x < 2, x > 4]
    choicelist = [x, x.astype("float32") ** 2]
    check(ops.select(condlist, choicelist), [0.0, 1.0, 0.0, 0.0, 0.0, 25.0], "float32")
    check(ops.select([x < 3], [x], -1), [0, 1, 2, -1, -1, -1], "int32")
    result = ops.select([KT((None, 3), dtype="bool")], [KT((3,), dtype="int8")], 0)
    assert result.shape == (None, 3) and result.dtype == "int8"


# --------------------------------------------------------------------------------------------
# Reductions.
# --------------------------------------------------------------------------------------------

X3 = np.linspace(-1.0, 2.0, 24, dtype="float32").reshape(2, 3, 4)[:, :, ::-1] ** 2
AXES = [None, 0, -1, (0, 2), [1]]

# name: (NumPy function in float64, dtype for float32 / int32 / bool input)
REDUCTIONS = {
    "sum": (np.sum, ("float32", "int32", "int32")),
    "mean": (np.mean, ("float32", "float32", "float32")),
    "max": (np.max, ("float32", "int32", "bool")),
    "min": (np.min, ("float32", "int32", "bool")),
    "amax": (np.amax, ("float32", "int32", "bool")),
    "amin": (np.amin, ("float32", "int32", "bool")),
    "prod": (np.prod, ("float32", "int32", "int32")),
    "std": (np.std, ("float32", "float32", "float32")),
    "var": (np.var, ("float32", "float32", "float32")),
    "median": (np.median, ("float32", "float32", "float32")),
    "all": (np.all, ("bool", "bool", "bool")),
    "any": (np.any, ("bool", "bool", "bool")),
}


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction(name, axis, keepdims):
    fn, (f_dtype, i_dtype, b_dtype) = REDUCTIONS[name]
    op = getattr(ops, name)
    inputs = [(X3, f_dtype), ((X3 * 3).astype("int32") - 4, i_dtype), (X3 > 1, b_dtype)]
    for x, dtype in inputs:
        expected = fn(f64(x), axis=_axis(axis), keepdims=keepdims)
        check(op(x, axis=axis, keepdims=keepdims), expected, dtype, rtol=1e-5, atol=1e-5)
    symbolic = op(KT((2, None, 4)), axis=axis, keepdims=keepdims)
    expected_shape = fn(np.zeros((2, 5, 4)), axis=_axis(axis), keepdims=keepdims).shape
    assert symbolic.shape == tuple(None if d == 5 else d for d in expected_shape)
    assert symbolic.dtype == f_dtype


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_of_scalar(name):
    fn, (f_dtype, _, _) = REDUCTIONS[name]
    check(getattr(ops, name)(np.float32(2.5)), fn(2.5), f_dtype)


def test_reduction_dtypes():
    check(ops.sum(np.array([100, 100], "int8")), 200, "int32")
    check(ops.sum(np.array([200, 200], "uint8")), 400, "uint32")
    check(ops.prod(np.array([100, 100], "int16")), 10000, "int32")
    check(ops.prod(np.array([3, 4], "int32"), dtype="float32"), 12.0, "float32")
    check(ops.mean(np.array([1, 2], "int32")), 1.5, "float32")
    check(ops.std(np.array([1, 3], "int8")), 1.0, "float32")
    check(ops.var(np.array([1.0, 3.0], "float16")), 1.0, "float16")
    check(ops.median(np.array([1, 2, 4], "int32")), 2.0, "float32")
    check(ops.max(np.array([1, 5], "int8")), 5, "int8")
    check(ops.sum(np.zeros((0, 3), "float32"), axis=0), np.zeros(3), "float32")
    check(ops.any(np.zeros((0,), "float32")), False, "bool")
    check(ops.all(np.zeros((0,), "float32")), True, "bool")


def test_max_min_initial():
    check(ops.max(np.zeros((0, 2), "float32"), axis=0, initial=-1.0), [-1.0, -1.0], "float32")
    check(ops.max(np.array([1, 2], "int32"), initial=5), 5, "int32")
    check(ops.min(np.array([[3.0, 1.0]], "float32"), axis=1, initial=2.0), [1.0], "float32")
    check(ops.max(np.array([1, 2], "int8"), initial=1), 2, "int8")


@pytest.mark.parametrize("name,fn", [("argmax", np.argmax), ("argmin", np.argmin)])
def test_argmax_argmin(name, fn):
    op = getattr(ops, name)
    ties = np.array([[1, 3, 3], [2, 2, 0]], "int32")
    for x in (X3, ties, BOOL, ties.astype("float16")):
        check(op(x), fn(x), "int32")
        check(op(x, axis=-1), fn(x, axis=-1), "int32")
        check(op(x, axis=0, keepdims=True), fn(x, axis=0, keepdims=True), "int32")
    check(op(np.float32(1.0)), 0, "int32")
    symbolic = op(KT((None, 3)), axis=-1)
    assert symbolic.shape == (None,) and symbolic.dtype == "int32"
    assert op(KT((None, 3))).shape == ()


def test_count_nonzero():
    x = np.array([[0, 1, 2], [0, 0, -1]], "int32")
    check(ops.count_nonzero(x), 3, "int32")
    check(ops.count_nonzero(x, axis=0), [0, 1, 2], "int32")
    check(ops.count_nonzero(x, axis=(0, 1)), 3, "int32")
    check(ops.count_nonzero(np.array([0.0, -0.0, np.nan], "float32")), 1, "int32")
    symbolic = ops.count_nonzero(KT((None, 3)), axis=-1)
    assert symbolic.shape == (None,) and symbolic.dtype == "int32"


@pytest.mark.parametrize("name,fn", [("cumsum", np.cumsum), ("cumprod", np.cumprod)])
def test_cumulative(name, fn):
    op = getattr(ops, name)
    check(op(X3), fn(f64(X3)), "float32", rtol=1e-5, atol=1e-5)
    check(op(X3, axis=-1), fn(f64(X3), axis=-1), "float32", rtol=1e-5, atol=1e-5)
    x = np.array([[1, -2, 3], [4, 5, -1]], "int8")
    check(op(x, axis=0), fn(x.astype("int64"), axis=0), "int8")
    check(op(BOOL, axis=1), fn(BOOL.astype("int32"), axis=1), "int32")
    check(op(x, axis=1, dtype="float32"), fn(f64(x), axis=1), "float32")
    check(op(np.zeros((0, 2), "float32"), axis=1), np.zeros((0, 2)), "float32")
    assert op(KT((None, 3), dtype="bool")).dtype == "int32"
    assert op(KT((None, 3)), axis=1).shape == (None, 3)
    assert op(KT((None, 3))).shape == (None,)
    assert op(KT((2, 3))).shape == (6,)


def test_average():
    x = np.arange(12, dtype="float32").reshape(3, 4)
    w = np.array([1.0, 2.0, 3.0, 4.0], "float32")
    check(ops.average(x), 5.5, "float32")
    check(ops.average(x, axis=1, weights=w), (f64(x) * w).sum(1) / w.sum(), "float32")
    full = np.arange(1, 13, dtype="int32").reshape(3, 4)
    check(
        ops.average(x.astype("int32"), axis=0, weights=full),
        (f64(x) * full).sum(0) / full.sum(0),
        "float32",
    )
    check(ops.average(x.astype("float16"), axis=-1), f64(x).mean(-1), "float16", rtol=1e-3)
    result = ops.average(KT((None, 4)), axis=1, weights=KT((4,)))
    assert result.shape == (None,) and result.dtype == "float32"


def test_quantile():
    x = np.array([[4.0, 1.0, 3.0, 2.0], [10.0, 0.0, 5.0, 5.0]], "float32")
    check(ops.quantile(x, 0.5), 3.5, "float32")
    check(ops.quantile(x, 0.5, axis=1), [2.5, 5.0], "float32")
    check(
        ops.quantile(x, np.array([0.0, 1.0], "float32"), axis=-1),
        [[1.0, 0.0], [4.0, 10.0]],
        "float32",
    )
    check(ops.quantile(x, 0.4, axis=1, method="lower", keepdims=True), [[2.0], [5.0]], "float32")
    check(ops.quantile(x, 0.4, axis=1, method="higher"), [3.0, 5.0], "float32")
    check(ops.quantile(x, 0.4, axis=1, method="midpoint"), [2.5, 5.0], "float32")
    check(ops.quantile(x, 0.4, axis=1, method="nearest"), [2.0, 5.0], "float32")
    check(ops.quantile(np.array([1, 2, 3, 4], "int32"), 0.5), 2.5, "float32")
    result = ops.quantile(KT((None, 4)), np.array([0.1, 0.9]), axis=-1)
    assert result.shape == (2, None) and result.dtype == "float32"


# --------------------------------------------------------------------------------------------
# Inputs that are not backend tensors.
# --------------------------------------------------------------------------------------------


def test_python_lists_and_scalars():
    check(ops.add([1, 2], 3), [4, 5], "int32")
    check(ops.sqrt(4), 2.0, "float32")
    check(ops.maximum([1.0, -1.0], 0), [1.0, 0.0], "float32")
    check(ops.sum([[1, 2], [3, 4]], axis=0), [4, 6], "int32")
    check(ops.greater(2, [1, 3]), [True, False], "bool")


def test_variables_are_accepted():
    var_ = unikeras.Variable(np.array([1.0, -2.0], "float32"))
    check(ops.abs(var_), [1.0, 2.0], "float32")
    check(ops.multiply(var_, 2.0), [2.0, -4.0], "float32")
    check(ops.max(var_), 1.0, "float32")


def test_argument_errors_name_the_op():
    with pytest.raises(ValueError, match="where"):
        ops.where(BOOL, 1)
    with pytest.raises(ValueError, match="select"):
        ops.select(BOOL, [F])
    with pytest.raises(ValueError, match="select"):
        ops.select([BOOL], [])
    with pytest.raises(ValueError, match="average"):
        ops.average(F, axis=(0, 1), weights=np.ones(4, "float32"))


def test_arctan2_special_values_match_numpy():
    # Keras' arctan2 docstring example: arctan2(inf, inf) is pi/4 (OpenVINO gave nan), and
    # signed zeros pick the half turn: arctan2(0., -0.) is pi
    values = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan]
    y, x = (np.array(v, "float32") for v in zip(*[(a, b) for a in values for b in values]))
    got = ops.convert_to_numpy(ops.arctan2(y, x))
    want = np.arctan2(y, x)
    np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True)
    finite = ~np.isnan(want)
    np.testing.assert_array_equal(np.signbit(got[finite]), np.signbit(want[finite]))


def test_maximum_minimum_propagate_nan():
    """NaN in either operand gives NaN, as in NumPy and Keras 3: eagerly, in a compiled
    `predict` and in `model(x)` (OpenVINO's own Maximum/Minimum return the other operand
    or 0 there), with a scalar or a constant operand and with broadcasting."""
    x = np.array([[np.nan, 1.0, -2.0, 3.0, np.inf, -np.inf, np.nan]], "float32")
    y = np.array([[0.5, np.nan, 1.0, -1.0, -np.inf, np.nan, np.nan]], "float32")
    row = np.array([np.nan, 2.0, np.nan, 0.0, 0.0, 1.0, -np.inf], "float32")  # a NaN constant
    cases = {
        "max": (ops.maximum, np.maximum(x, y)),
        "min": (ops.minimum, np.minimum(x, y)),
        "max_scalar": (lambda a, b: ops.maximum(a, 0.0), np.maximum(x, np.float32(0))),
        "min_scalar": (lambda a, b: ops.minimum(1.5, a), np.minimum(np.float32(1.5), x)),
        "max_broadcast": (lambda a, b: ops.maximum(row, b), np.maximum(row, y)),
    }
    a, b = unikeras.Input((7,)), unikeras.Input((7,))
    model = unikeras.Model([a, b], {name: fn(a, b) for name, (fn, _) in cases.items()})
    predicted = model.predict([x, y], verbose=0)
    called = model([x, y])
    for name, (fn, want) in cases.items():
        for how, got in (("eager", fn(x, y)), ("predict", predicted[name]), ("call", called[name])):
            np.testing.assert_array_equal(
                np.asarray(backend.convert_to_numpy(got)), want, err_msg=f"{name} {how}"
            )
    merged = unikeras.Model(
        [a, b], [unikeras.layers.Maximum()([a, b]), unikeras.layers.Minimum()([a, b])]
    )
    high, low = merged.predict([x, y], verbose=0)
    np.testing.assert_array_equal(high, np.maximum(x, y))
    np.testing.assert_array_equal(low, np.minimum(x, y))
