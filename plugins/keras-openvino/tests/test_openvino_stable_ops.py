"""Float32 activations whose OpenVINO kernels lose precision in the tails (softplus, log_sigmoid,
gelu, erf, ...) are built from accurate kernels (`unikeras_openvino.stable`): on a dense grid
they are within float32 rounding of `math`-module float64 values, compiled (eager, shape-free)
and folded alike, and in `predict` where the accurate graph is cheap there; a compiled op
repeats its bits."""

import math

import numpy as np
import pytest

import unikeras as keras
from unikeras import ops
from unikeras_openvino import graph

TINY = float(np.finfo(np.float32).tiny)


def _vec(f):
    return np.vectorize(f, otypes=[np.float64])


_exp, _log1p, _expm1 = _vec(math.exp), _vec(math.log1p), _vec(math.expm1)
_erf, _erfc = _vec(math.erf), _vec(math.erfc)


def _softplus(a):
    return np.maximum(a, 0) + _log1p(_exp(-np.abs(a)))


def _sigmoid(a):
    e = _exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


#: op -> (eager call, float64 reference, whether the op is shape-free compiled)
CASES = {
    "softplus": (ops.softplus, _softplus, True),
    "log_sigmoid": (ops.log_sigmoid, lambda a: -_softplus(-a), True),
    "erf": (ops.erf, _erf, True),
    "erfc": (ops.erfc, _erfc, True),
    "gelu_exact": (
        lambda x: ops.gelu(x, approximate=False),
        lambda a: 0.5 * a * _erfc(-a / math.sqrt(2)),
        True,
    ),
    "gelu_tanh": (
        lambda x: ops.gelu(x, approximate=True),
        lambda a: a * _sigmoid(2 * math.sqrt(2 / math.pi) * (a + 0.044715 * a**3)),
        True,
    ),
    "expm1": (ops.expm1, _expm1, True),
    "log1p": (ops.log1p, lambda a: _log1p(np.maximum(a, -1)), False),
    "logaddexp": (lambda x: ops.logaddexp(x, ops.zeros_like(x)), _softplus, True),
    "elu": (ops.elu, lambda a: np.where(a > 0, a, _expm1(a)), False),
    "squareplus": (ops.squareplus, lambda a: (a + np.sqrt(a * a + 4)) / 2, False),
}


def _grid(name):
    # [-30, 30] densely, magnitudes 1e-37..30 of both signs, zeros.
    dense = np.linspace(-30, 30, 24001)
    mags = np.logspace(-37, np.log10(30), 400)
    x = np.concatenate([dense, mags, -mags, [0.0, -0.0]]).astype(np.float32)
    if name == "log1p":
        x = x[x > -1]
    if name == "gelu_tanh":
        # Below -9.8 its sigmoid factor nears the smallest normal float32 (the compiled
        # Sigmoid flushes it to 0; the product is < 1e-35): measured above that.
        x = x[x > -9.8]
    return x


def _gelu_tanh_condition(a):
    # gelu_tanh(x) = x sigmoid(w), w = 2 sqrt(2/pi) (x + 0.044715 x**3): float32 rounding of
    # w (relative 6e-8, absolute 6e-8 |w|) is a relative error of ~|w| 6e-8 in sigmoid(w) < 1/2.
    return np.maximum(1.0, np.abs(2 * math.sqrt(2 / math.pi) * (a + 0.044715 * a**3)))


def _max_relative_error(got, x, reference, condition=None):
    """The largest relative error where the true value is a normal float32 (divided by the
    op's condition number `condition(x)` when given); asserts that subnormal and zero true
    values are met to within the smallest normal float32."""
    a = x.astype(np.float64)
    true = reference(a)
    got = np.asarray(got, np.float64)
    normal = np.abs(true) >= TINY
    assert np.all(np.abs(got[~normal] - true[~normal]) <= TINY)  # subnormal or zero results
    rel = np.abs(got[normal] - true[normal]) / np.abs(true[normal])
    if condition is not None:
        rel = rel / condition(a[normal])
    return float(np.max(rel))


def _folded(call, x, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(graph, "SHAPE_FREE_OPS", frozenset())
        graph.OP_CACHE.clear()  # the first sighting of an op signature constant-folds
        return np.asarray(call(x))


#: Ops whose whole-model graphs (predict) keep OpenVINO's own forms for speed (see
#: `stable.in_model_trace`): accurate to ~1e-7 absolute there, not relative in the far tails.
KERNEL_IN_MODELS = {"gelu_exact", "gelu_tanh", "expm1", "log1p", "elu"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_tails_are_accurate_eager_folded_and_in_predict(name, monkeypatch):
    call, reference, shape_free = CASES[name]
    x = _grid(name)
    graph.OP_CACHE.clear()
    eager = np.asarray(call(ops.convert_to_tensor(x)))
    if shape_free:  # it ran compiled (the CPU plugin's kernels), from its first call
        op = "gelu" if name.startswith("gelu") else name
        entries = [k for k, v in graph.OP_CACHE.items() if k[0].__name__ == op]
        assert entries and all(
            isinstance(graph.OP_CACHE[k], graph._CompiledOp) and k[1] == "free" for k in entries
        )
    model = keras.Sequential([keras.Input((1,)), keras.layers.Lambda(call)])
    predicted = model.predict(x[:, None], batch_size=len(x), verbose=0)[:, 0]
    paths = {"eager": eager, "folded": _folded(call, x, monkeypatch)}
    if name in KERNEL_IN_MODELS:
        true = reference(x.astype(np.float64))
        np.testing.assert_allclose(predicted, true, rtol=2e-6, atol=1e-6)
    else:
        paths["predict"] = predicted
    condition = _gelu_tanh_condition if name == "gelu_tanh" else None
    for path, got in paths.items():
        # float32 rounding of the true values is 6e-8; a few ulps are allowed
        assert _max_relative_error(got, x, reference, condition) <= 1e-6, path


@pytest.mark.parametrize("name", ["softplus", "log_sigmoid", "erf", "erfc", "gelu_exact", "expm1"])
def test_special_values(name):
    call, reference, _ = CASES[name]
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-40], np.float32)
    got = np.asarray(call(ops.convert_to_tensor(x)))
    assert np.isnan(got[0])
    with np.errstate(invalid="ignore"):
        true = reference(x[1:].astype(np.float64))
    finite = np.isfinite(true)
    np.testing.assert_array_equal(got[1:][~finite], true[~finite])
    np.testing.assert_allclose(got[1:][finite], true[finite], rtol=1e-6, atol=TINY)


def test_tail_values():
    # The values the CPU plugin's own kernels got wrong (softplus(-20) came out as 1.9e-6).
    x = ops.convert_to_tensor(np.array([-20.0, -80.0, 20.0], np.float32))
    np.testing.assert_allclose(ops.softplus(x), [2.0611537e-9, 1.8048513e-35, 20.0], rtol=1e-6)
    small = np.array([1e-7, -3e-30], np.float32)
    tiny = ops.convert_to_tensor(small)
    exact = small.astype(np.float64)
    np.testing.assert_allclose(ops.erf(tiny), exact * 2 / math.sqrt(math.pi), rtol=2e-7)
    np.testing.assert_allclose(ops.expm1(tiny), exact + exact**2 / 2, rtol=2e-7)
    gelu = ops.gelu(ops.convert_to_tensor(np.array([-10.0], np.float32)), approximate=False)
    np.testing.assert_allclose(gelu, [-7.6198530e-23], rtol=1e-6)


@pytest.mark.parametrize("name", ["softplus", "log_sigmoid", "erf", "gelu_exact", "gelu_tanh"])
def test_compiled_op_repeats_its_bits(name):
    call = CASES[name][0]
    graph.OP_CACHE.clear()
    rng = np.random.default_rng(0)
    inputs = [rng.normal(scale=6, size=s).astype(np.float32) for s in [(7,), (3, 5), (64,)]]
    first = [np.asarray(call(ops.convert_to_tensor(a))) for a in inputs]
    for _ in range(2):
        for a, value in zip(inputs[::-1], first[::-1]):
            np.testing.assert_array_equal(np.asarray(call(ops.convert_to_tensor(a))), value)
            np.testing.assert_array_equal(np.asarray(call(a)), value)
    compiled = [v for v in graph.OP_CACHE.values() if isinstance(v, graph._CompiledOp)]
    assert len(compiled) == 2  # one per rank, shared by the shapes of that rank
