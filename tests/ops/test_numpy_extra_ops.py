"""The ops Keras 3 has that the contract lacked until issue 15 (`nan*`, `percentile`, `ptp`,
`fmod`, `ldexp`, `i0`, `sinc`, `nextafter`, `allclose`, `slogdet`, `rearrange`, `vectorize`,
`image.ssim`, `numpy.get_item`): values and dtypes against independent NumPy on the active
backend, symbolic shapes, errors, and the core's default implementations against the
reference on every conformance case."""

import math
import warnings

import numpy as np
import pytest

import unikeras
from unikeras import ops
from unikeras.backend import defaults, registry
from unikeras.backend.hookspec import PROJECT_NAME, hookimpl
from unikeras.testing import conformance
from unikeras.testing.cases import image as image_cases
from unikeras.testing.cases import numpy as numpy_cases
from unikeras.utils import tree

NEW_OPS = (
    "fabs fmax fmin fmod i0 sinc ldexp nextafter allclose ptp percentile slogdet nansum "
    "nanprod nanmean nanvar nanstd nanmax nanmin nanargmax nanargmin nancumsum nancumprod "
    "nanmedian nanquantile nanpercentile rearrange vectorize"
).split()


def np_out(x):
    return np.asarray(unikeras.backend.convert_to_numpy(x))


def dtype_of(x):
    return unikeras.backend.standardize_dtype(x.dtype)


def check(result, expected, dtype=None, rtol=1e-5, atol=1e-6):
    if dtype is not None:
        assert dtype_of(result) == dtype
    result = np_out(result)
    expected = np.asarray(expected)
    assert result.shape == expected.shape, (result.shape, expected.shape)
    np.testing.assert_allclose(
        result.astype("float64"), expected.astype("float64"), rtol=rtol, atol=atol
    )


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


RNG = np.random.default_rng(15)
X = RNG.normal(size=(4, 5)).astype("float32")
X[0, 1] = X[2, 3] = X[2, 0] = np.nan
X[3] = np.nan  # one all-NaN row
X3 = RNG.normal(size=(2, 3, 4)).astype("float32")
X3[0, 0, :2] = X3[1, 2, 3] = np.nan


def test_every_new_op_is_public():
    for name in NEW_OPS:
        assert callable(getattr(ops, name)) and callable(getattr(ops.numpy, name)), name
    assert ops.numpy.get_item is ops.get_item
    np.testing.assert_array_equal(
        np_out(ops.numpy.get_item(np.arange(6).reshape(2, 3), 1)), [3, 4, 5]
    )
    assert callable(ops.image.ssim)


@pytest.mark.parametrize(
    "name", ["nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin", "nanmedian"]
)
@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, False), (0, True), (-1, True)])
def test_nan_reductions_match_numpy(name, axis, keepdims):
    expected = quiet(getattr(np, name), X, axis=axis, keepdims=keepdims)
    check(
        getattr(ops, name)(X, axis=axis, keepdims=keepdims),
        expected,
        "float32",
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize(
    "name", ["nansum", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin", "nanmedian", "nanprod"]
)
def test_nan_reductions_tuple_axis(name):
    expected = quiet(getattr(np, name), X3, axis=(0, 2))
    check(getattr(ops, name)(X3, axis=(0, 2)), expected, "float32", rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "name, dtype",
    [
        ("nansum", "int32"),
        ("nanprod", "int32"),
        ("nanmean", "float32"),
        ("nanvar", "float32"),
        ("nanstd", "float32"),
        ("nanmax", "int8"),
        ("nanmin", "int8"),
        ("nanmedian", "float32"),
    ],
)
def test_nan_reductions_of_ints_follow_keras_dtypes(name, dtype):
    x = RNG.integers(-5, 6, size=(3, 4)).astype("int8")
    check(getattr(ops, name)(x, axis=0), getattr(np, name)(x.astype("float64"), axis=0), dtype)


@pytest.mark.parametrize("name, np_name", [("nanargmax", "nanargmax"), ("nanargmin", "nanargmin")])
def test_nan_arg_reductions(name, np_name):
    rows = X[:3]  # NumPy raises on the all-NaN row; unikeras (like JAX) gives -1 there
    check(getattr(ops, name)(rows, axis=1), getattr(np, np_name)(rows, axis=1), "int32")
    check(getattr(ops, name)(X3), getattr(np, np_name)(X3), "int32")
    np.testing.assert_array_equal(np_out(getattr(ops, name)(X, axis=1))[3], -1)
    edge = np.array([np.nan, -np.inf, np.inf, np.nan], "float32")
    assert int(np_out(getattr(ops, name)(edge))) == getattr(np, np_name)(edge)


@pytest.mark.parametrize("name", ["nancumsum", "nancumprod"])
def test_nan_cumulative(name):
    check(getattr(ops, name)(X, axis=1), getattr(np, name)(X, axis=1), "float32", rtol=1e-5)
    check(getattr(ops, name)(X3), getattr(np, name)(X3), "float32", rtol=1e-5)
    check(
        getattr(ops, name)(np.array([True, False, True])),
        [1, 1, 2] if name == "nancumsum" else [1, 0, 0],
        "int32",
    )
    check(
        getattr(ops, name)(np.array([1, 2, 3], "int32"), dtype="float32"),
        getattr(np, name)(np.array([1.0, 2.0, 3.0])),
        "float32",
    )


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantiles_and_percentiles(method):
    q = np.array([0.0, 0.25, 0.5, 0.9, 1.0], "float32")
    expected = quiet(np.nanquantile, X, q, axis=1, method=method)
    check(ops.nanquantile(X, q, axis=1, method=method), expected, "float32", atol=1e-5)
    check(ops.nanpercentile(X, q * 100, axis=1, method=method), expected, "float32", atol=1e-5)
    dense = np.nan_to_num(X)
    check(
        ops.percentile(dense, 37.5, axis=0, method=method, keepdims=True),
        np.percentile(dense, 37.5, axis=0, method=method, keepdims=True),
        "float32",
        atol=1e-5,
    )
    check(
        ops.nanquantile(X3, 0.3, axis=(0, 2), method=method, keepdims=True),
        quiet(np.nanquantile, X3, 0.3, axis=(0, 2), method=method, keepdims=True),
        "float32",
        atol=1e-5,
    )


def test_percentile_of_ints_is_float():
    x = np.arange(10, dtype="int32")
    check(ops.percentile(x, [25, 75]), np.percentile(x, [25, 75]), "float32")
    check(ops.nanmedian(x), np.median(x), "float32")


def test_elementwise_extras():
    a = np.array([-7.5, 7.5, -3.0, 3.0, np.nan, 1.0], "float32")
    b = np.array([2.0, -2.0, np.nan, 2.5, np.nan, np.nan], "float32")
    check(ops.fmax(a, b), np.fmax(a, b), "float32")
    check(ops.fmin(a, b), np.fmin(a, b), "float32")
    check(
        ops.fmod(a[:4], np.array([2.0, -2.0, 2.0, 2.5], "float32")),
        np.fmod(a[:4], [2.0, -2.0, 2.0, 2.5]),
        "float32",
    )
    ints = np.array([-7, 7, -7, 7], "int32")
    check(ops.fmod(ints, np.array([3, 3, -3, -3], "int32")), np.fmod(ints, [3, 3, -3, -3]), "int32")
    check(ops.fmod(np.array([1, 2], "int8"), 3), [1, 2], "int8")
    check(ops.fmod(np.array([5, -5], "int32"), np.array([0, 0], "int32")), [0, 0], "int32")
    big = RNG.uniform(-1e4, 1e4, size=64).astype("float32")  # large quotients stay exact
    small = RNG.uniform(0.1, 3, size=64).astype("float32") * RNG.choice([-1, 1], size=64)
    check(
        ops.fmod(big, small.astype("float32")),
        np.fmod(big, small.astype("float32")),
        "float32",
        rtol=0,
        atol=1e-6,
    )
    check(ops.fabs(np.array([-3, 2], "int32")), [3.0, 2.0], "float32")
    t = np.linspace(-12, 12, 41).astype("float32")
    check(ops.i0(t), np.i0(t.astype("float64")), "float32", rtol=1e-5)
    check(ops.sinc(t), np.sinc(t.astype("float64")), "float32", atol=1e-6)
    check(ops.sinc(np.array([0, 1, 2], "int32")), [1.0, 0.0, 0.0], "float32", atol=1e-6)
    check(
        ops.ldexp(np.array([1.5, -2.0], "float32"), np.array([3, -1], "int32")),
        np.ldexp([1.5, -2.0], [3, -1]),
        "float32",
    )
    check(ops.ldexp(np.array([3, 5], "int32"), 2), [12.0, 20.0], "float32")


def test_nextafter_is_one_ulp():
    x1 = np.array([1.0, 1.0, -1.0, 2.0, 0.5, 3.0, 1e-3, 0.0], "float32")
    x2 = np.array([2.0, 0.0, 0.0, 2.0, -9.0, np.inf, -1.0, 1.0], "float32")
    expected = np.nextafter(x1, x2)
    result = np_out(ops.nextafter(x1, x2))
    assert dtype_of(ops.nextafter(x1, x2)) == "float32"
    # Subnormals: an engine may flush 0 -> smallest subnormal to 0; every other entry exact.
    np.testing.assert_array_equal(result[:-1], expected[:-1])
    assert dtype_of(ops.nextafter(np.array([1, 2], "int32"), 5)) == "float32"


def test_allclose_and_ptp():
    a = np.array([1.0, 2.0, np.nan], "float32")
    assert bool(np_out(ops.allclose(a, a, equal_nan=True)))
    assert not bool(np_out(ops.allclose(a, a)))
    assert not bool(np_out(ops.allclose(a[:2], a[:2] + 0.1)))
    assert bool(np_out(ops.allclose(a[:2], a[:2] + 0.1, atol=0.2)))
    assert dtype_of(ops.allclose(a, a)) == "bool" and np_out(ops.allclose(a, a)).shape == ()
    x = RNG.integers(-9, 10, size=(3, 4)).astype("int32")
    check(ops.ptp(x, axis=1), np.ptp(x, axis=1), "int32")
    check(
        ops.ptp(X3, axis=(0, 2), keepdims=True), np.ptp(X3, axis=(0, 2), keepdims=True), "float32"
    )
    with pytest.raises(TypeError, match="ptp"):
        ops.ptp(np.array([True, False]))


def test_slogdet():
    m = RNG.normal(size=(3, 4, 4)).astype("float32")
    sign, logabsdet = ops.slogdet(m)
    want_sign, want_log = np.linalg.slogdet(m.astype("float64"))
    check(sign, want_sign, "float32")
    check(logabsdet, want_log, "float32", rtol=1e-4, atol=1e-4)
    sign, logabsdet = ops.slogdet(np.array([[2, 1], [1, 3]], "int32"))
    check(sign, 1.0, "float32")
    check(logabsdet, math.log(5.0), "float32", rtol=1e-5)


def test_rearrange():
    x = RNG.normal(size=(2, 6, 4)).astype("float32")
    check(
        ops.rearrange(x, "b (h w) c -> (c w) b h", w=3),
        x.reshape(2, 2, 3, 4).transpose(3, 2, 0, 1).reshape(12, 2, 2),
        "float32",
    )
    check(ops.rearrange(x, "b n c -> c b n"), x.transpose(2, 0, 1), "float32")
    with pytest.raises(ValueError, match="rank 3"):
        ops.rearrange(x, "b c -> c b")
    with pytest.raises(ValueError, match="same axes"):
        ops.rearrange(x, "b n c -> b n")
    with pytest.raises(ValueError, match="divisible"):
        ops.rearrange(x, "b (h w) c -> b h w c", h=4)


def test_vectorize():
    def affine(a, b, scale):
        return a * scale + b

    f = ops.vectorize(affine, excluded={2})
    a, b = np.arange(6, dtype="float32").reshape(2, 3), np.array([1.0, 2.0, 3.0], "float32")
    check(f(a, b, 2.0), a * 2 + b, "float32")
    cross = ops.vectorize(lambda u, v: u[0] * v[1] - u[1] * v[0], signature="(n),(n)->()")
    u, v = RNG.normal(size=(5, 2)).astype("float32"), RNG.normal(size=(2,)).astype("float32")
    check(cross(u, v), u[:, 0] * v[1] - u[:, 1] * v[0], "float32", rtol=1e-5)


def test_ldexp_rejects_float_exponents():
    with pytest.raises(TypeError, match="integer"):
        ops.ldexp(np.ones(2, "float32"), np.ones(2, "float32"))


def _ssim_numpy(a, b, max_val, size=11, sigma=1.5, k1=0.01, k2=0.03):
    """SSIM of channels-last batches by direct summation over every window."""
    g = np.exp(-((np.arange(size) - (size - 1) / 2) ** 2) / (2 * sigma**2))
    w = np.outer(g, g) / np.outer(g, g).sum()
    a, b = a.astype("float64"), b.astype("float64")
    out_h, out_w = a.shape[1] - size + 1, a.shape[2] - size + 1
    values = np.zeros((a.shape[0],))
    for n in range(a.shape[0]):
        maps = []
        for c in range(a.shape[3]):
            for i in range(out_h):
                for j in range(out_w):
                    pa, pb = (
                        a[n, i : i + size, j : j + size, c],
                        b[n, i : i + size, j : j + size, c],
                    )
                    mu_a, mu_b = (w * pa).sum(), (w * pb).sum()
                    var_a = (w * pa * pa).sum() - mu_a**2
                    var_b = (w * pb * pb).sum() - mu_b**2
                    cov = (w * pa * pb).sum() - mu_a * mu_b
                    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
                    maps.append(
                        (2 * mu_a * mu_b + c1)
                        * (2 * cov + c2)
                        / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2))
                    )
        values[n] = np.mean(maps)
    return values


def test_ssim():
    a = RNG.random((2, 13, 14, 2)).astype("float32")
    b = np.clip(a + RNG.normal(scale=0.1, size=a.shape), 0, 1).astype("float32")
    expected = _ssim_numpy(a, b, 1.0)
    check(ops.image.ssim(a, b), expected, "float32", rtol=1e-4, atol=1e-5)
    check(ops.image.ssim(a[0], b[0]), expected[0], "float32", rtol=1e-4, atol=1e-5)
    check(
        ops.image.ssim(
            np.moveaxis(a, -1, 1) * 255,
            np.moveaxis(b, -1, 1) * 255,
            max_val=255.0,
            data_format="channels_first",
        ),
        expected,
        "float32",
        rtol=1e-4,
        atol=1e-4,
    )
    assert float(np_out(ops.image.ssim(a[0], a[0]))) == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(ValueError, match=r"ssim: `image1` must be 3-D or 4-D"):
        ops.image.ssim(a[0, 0], b[0, 0])


@pytest.mark.parametrize(
    "name, args, kwargs, shape, dtype",
    [
        ("nanmean", ((None, 5),), {"axis": 1}, (None,), "float32"),
        ("nansum", ((None, 5),), {"axis": 0, "keepdims": True}, (1, 5), "float32"),
        ("nanargmax", ((None, 5),), {"axis": -1}, (None,), "int32"),
        ("nancumsum", ((None, 5),), {"axis": 1}, (None, 5), "float32"),
        ("nanquantile", ((None, 5), 0.5), {"axis": 1}, (None,), "float32"),
        (
            "nanpercentile",
            ((3, None), np.array([10.0, 90.0], "float32")),
            {"axis": 1},
            (2, 3),
            "float32",
        ),
        ("percentile", ((3, None), 50.0), {"axis": 0}, (None,), "float32"),
        ("ptp", ((None, 5),), {"axis": 1}, (None,), "float32"),
        ("fmod", ((None, 5), (5,)), {}, (None, 5), "float32"),
        ("fmax", ((None, 5), (5,)), {}, (None, 5), "float32"),
        ("i0", ((None, 2),), {}, (None, 2), "float32"),
        ("sinc", ((None, 2),), {}, (None, 2), "float32"),
        ("slogdet", ((None, 3, 3),), {}, (None,), "float32"),
        ("rearrange", ((None, 6, 4), "b (h w) c -> b c h w"), {"h": 2}, (None, 4, 2, 3), "float32"),
    ],
)
def test_symbolic_shapes(name, args, kwargs, shape, dtype):
    args = [
        unikeras.KerasTensor(a, dtype="float32")
        if isinstance(a, tuple) and (not isinstance(a[0], str))
        else a
        for a in args
    ]
    result = getattr(ops, name)(*args, **kwargs)
    result = result[0] if isinstance(result, tuple) else result
    assert tuple(result.shape) == shape
    assert dtype_of(result) == dtype


def test_symbolic_vectorize():
    f = ops.vectorize(lambda u, v: u[0] * v[1] - u[1] * v[0], signature="(n),(n)->()")
    out = f(unikeras.KerasTensor((None, 2)), unikeras.KerasTensor((None, 2)))
    assert isinstance(out, unikeras.KerasTensor) and tuple(out.shape) == (None,)
    assert dtype_of(out) == "float32"


def test_symbolic_ssim_and_allclose():
    images = unikeras.KerasTensor((None, 16, 16, 3))
    assert tuple(ops.image.ssim(images, images).shape) == (None,)
    assert dtype_of(ops.allclose(unikeras.KerasTensor((None, 3)), 1.0)) == "bool"


# --------------------------------------------------------------------------------------------
# The core's default implementations (what a backend without its own kernel runs)
# --------------------------------------------------------------------------------------------


def _default_impls():
    impls = {}
    for module in defaults.unikeras_plugins:
        for attr, fn in vars(module).items():
            if getattr(fn, PROJECT_NAME + "_impl", None) is not None:
                impls[attr] = fn
    return impls


DEFAULTS = _default_impls()
DEFAULT_CASES = [
    pytest.param(name, case, id=f"{name}-{case.id or i}")
    for module in (numpy_cases, image_cases)
    for name, cases in sorted(module.CASES.items())
    if name in DEFAULTS
    for i, case in enumerate(cases)
]


def test_defaults_are_lowest_priority_hooks():
    assert set(NEW_OPS) | {"ssim"} <= set(DEFAULTS)
    for fn in DEFAULTS.values():
        assert getattr(fn, PROJECT_NAME + "_impl")["trylast"] is True
    # The numpy backend has its own kernels: they win over the defaults.
    if registry.backend() == "numpy":
        assert registry.table.nanmean is conformance.REFERENCE["nanmean"]


def test_an_addon_overrides_a_default():
    class Addon:
        @staticmethod
        @hookimpl(tryfirst=True)
        def ptp(x, axis=None, keepdims=False):
            return "addon"

    addon = Addon()
    registry.register_plugin(addon, name="ptp-addon")
    try:
        assert ops.ptp(np.ones(3)) == "addon"
    finally:
        registry.unregister_plugin(addon)
    assert not isinstance(ops.ptp(np.ones(3)), str)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's 0/0 on all-NaN slices
@pytest.mark.parametrize("name, case", DEFAULT_CASES)
def test_default_matches_reference(name, case):
    """Every conformance case, run through the default implementation on the active
    backend, against the numpy backend's own kernel. The numpy backend has its own kernel for
    every op, so this is where the defaults run on it (composed of its other ops); on the other
    backends the conformance kit (`--unikeras-conformance`, run in every tox env) already runs
    these cases through the dispatch table, which serves the default wherever the engine has
    no kernel of its own."""
    if registry.backend() != "numpy":
        pytest.skip("the conformance kit runs these cases through the dispatch table here")
    want = conformance.REFERENCE[name](*case.args, **case.kwargs)
    conformance._skip_undeclared(case, want)
    args, kwargs = tree.map_structure(conformance._to_backend, (case.args, case.kwargs))
    got = DEFAULTS[name](*args, **kwargs)
    if case.call_result is not None:
        want = want(*case.call_result)
        got = got(*tree.map_structure(conformance._to_backend, case.call_result))
    conformance._compare(got, want, case)
