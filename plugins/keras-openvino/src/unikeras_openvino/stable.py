"""Float32 graphs of the ops whose OpenVINO kernels lose precision in the tails.

The CPU plugin's compiled SoftPlus is off by ~1e-6 absolute (softplus(-20) is 2.06e-9; it
gives 1.9e-6), its Erf by ~3e-7 absolute (erf(1e-7) comes out with no correct digit), and
`log(1 + e)` or `(1 + e) - 1` are rewritten by its graph transformations (into SoftPlus, into
`e`), so the textbook stable forms do not survive compilation either. The graphs here use only
kernels that stay accurate compiled (Exp, Tanh, Sigmoid, Floor, the arithmetic, Erf away from
0) and no pattern those transformations rewrite; each is within a few float32 ulps of the true
value wherever that is a normal float32, compiled or constant-folded (measured by
`benchmarks/openvino_op_precision.py`). They are used for float32 values; the ops keep
OpenVINO's own kernels for the other dtypes.
"""

import numpy as np
import openvino.opset14 as ov_ops

from unikeras_openvino.graph import STATE, const, dtype_name

#: log(erfc(z) / t) + z**2 for t = 1 / (1 + z / 2), as a polynomial in s = (2t - A - B) /
#: (B - A) on z in [0.5, 10] (t in [A, B]): a Chebyshev least-squares fit (degree 8, error
#: 3.3e-8) to the `math.erfc` values, lowest power first.
_ERFC_T = (1 / 6, 0.8)
_ERFC_POLY = (
    -0.694161196520163,
    0.42391009157676396,
    0.020843248427281937,
    -0.011550155853257952,
    -0.0018197472149727974,
    0.0008426077692472512,
    0.0001481805601076845,
    -7.158647938371788e-05,
    -9.052757017273472e-06,
)
#: erf(x) / x = 2 / sqrt(pi) * sum((-x**2)**n / (n! (2n + 1))), enough terms for |x| < 0.5.
_ERF_SERIES = tuple(
    2 / np.sqrt(np.pi) * (-1) ** n / (float(np.prod(np.arange(1, n + 1))) * (2 * n + 1))
    for n in range(7)
)
#: 2 atanh(s) / s = sum(2 s**2n / (2n + 1)), enough terms for |s| <= 1/3.
_ATANH_SERIES = tuple(2 / (2 * n + 1) for n in range(8))
_ERF_SMALL = 0.5  # |x| below: erf's series; above: the Erf kernel (erf) or erfc's tail (erfc)
_ERFC_LIMIT = 10.0  # erfc(10) = 2e-45: 0 in float32 above


def is_float32(x):
    """Whether graph value `x` is float32 (the dtype these graphs are for)."""
    return dtype_name(x.get_element_type()) == "float32"


def in_model_trace():
    """Whether ops are being traced into a whole model (`predict`, `model(x)`, export).

    There the dimensions are dynamic (the batch) and the CPU plugin does not fuse the
    elementwise chains of the graphs here: the gelu of a 256-wide layer at batch 1024 ran in
    2.6 ms instead of 0.6 (a CNN with a gelu layer predicted 5x slower). So whole models
    keep OpenVINO's own Gelu, Erf-based and Exp-based forms (as Keras computes them, with an
    absolute error of ~1e-7: only their far tails lose relative precision) and take the
    accurate graphs only for softplus, log_sigmoid, erf, erfc and logaddexp, whose kernels
    are off by up to 2e-6 absolute (softplus(-10) off by 2%)."""
    return STATE.variables is not None


def precise(x):
    """Whether an op on graph value `x` takes its accurate graph here: float32 values
    outside whole-model traces (see `in_model_trace`)."""
    return is_float32(x) and not in_model_trace()


def _c(value):
    return const(value, "float32")


def keep_nan(x, y):
    """`y` with x's nans where x is nan (the CPU plugin's compiled Exp, Clamp, Minimum and
    Maximum turn nan into inf or a bound)."""
    return ov_ops.select(ov_ops.is_nan(x), x, y)


def exp(x):
    """exp(x), nan for nan (compiled Exp gives inf)."""
    return keep_nan(x, ov_ops.exp(x))


def _horner(coefficients, v):
    """sum(coefficients[i] * v**i), lowest power first."""
    acc = _c(coefficients[-1])
    for coefficient in coefficients[-2::-1]:
        acc = ov_ops.add(ov_ops.multiply(acc, v), _c(coefficient))
    return acc


def _log1p_series(u, s):
    """log1p(u) = 2 atanh(s) for s = u / (2 + u), |s| <= 1/3 (u in [-1/2, 1])."""
    return ov_ops.multiply(s, _horner(_ATANH_SERIES, ov_ops.multiply(s, s)))


def log1p_of_small(u):
    """log(1 + u) for u in [0, 1] (no `log(1 + u)` node for the CPU plugin to rewrite)."""
    return _log1p_series(u, ov_ops.divide(u, ov_ops.add(u, _c(2))))


def softplus(x):
    """log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|))."""
    tail = log1p_of_small(ov_ops.exp(ov_ops.negative(ov_ops.absolute(x))))
    return ov_ops.add(ov_ops.maximum(x, _c(0)), tail)


def log_sigmoid(x):
    """-softplus(-x) as min(x, 0) - log1p(exp(-|x|))."""
    tail = log1p_of_small(ov_ops.exp(ov_ops.negative(ov_ops.absolute(x))))
    return ov_ops.subtract(ov_ops.minimum(x, _c(0)), tail)


def log1p(x):
    """log(1 + x): the atanh series for |x| < 1/2, log(1 + x) beyond."""
    s = ov_ops.divide(x, ov_ops.add(x, _c(2)))
    near = ov_ops.less(ov_ops.absolute(x), _c(0.5))
    return ov_ops.select(near, _log1p_series(x, s), ov_ops.log(ov_ops.add(x, _c(1))))


def expm1(x):
    """exp(x) - 1: x for |x| < 2**-24 (x / 2 may be subnormal), 2 tanh(x/2) / (1 - tanh(x/2))
    for |x| < 1/2, exp(x) - 1 beyond."""
    ax = ov_ops.absolute(x)
    t = ov_ops.tanh(ov_ops.multiply(x, _c(0.5)))
    near_value = ov_ops.divide(ov_ops.multiply(t, _c(2)), ov_ops.subtract(_c(1), t))
    near_value = ov_ops.select(ov_ops.less(ax, _c(2.0**-24)), x, near_value)
    near = ov_ops.less(ax, _c(0.5))
    return ov_ops.select(near, near_value, ov_ops.subtract(exp(x), _c(1)))


def erfc_of_positive(v, halve=False):
    """erfc(v) for v >= 1/2 (erfc(v / sqrt(2)) with `halve`), relative error ~3e-7 down to
    the smallest normal float32: t exp(-z**2 + P(t)), t = 1 / (1 + z / 2), with exp(-z**2)
    split as exp(-h**2) exp(-(v - h)(v + h)) for h = v rounded to 12 bits (h**2 is exact),
    since z**2 rounded to float32 would cost ~1e-5 relative at z = 9."""
    unit = np.sqrt(2) if halve else 1.0
    limit = _ERFC_LIMIT * unit
    vc = ov_ops.minimum(ov_ops.maximum(v, _c(0.5 * unit)), _c(limit))
    z = ov_ops.multiply(vc, _c(1 / np.sqrt(2))) if halve else vc
    t = ov_ops.divide(_c(1), ov_ops.add(ov_ops.multiply(z, _c(0.5)), _c(1)))
    low, high = _ERFC_T
    s = ov_ops.subtract(ov_ops.multiply(t, _c(2 / (high - low))), _c((high + low) / (high - low)))
    h = ov_ops.multiply(ov_ops.floor(ov_ops.multiply(vc, _c(256))), _c(1 / 256))
    head = ov_ops.negative(ov_ops.multiply(h, h))
    rest = ov_ops.multiply(ov_ops.subtract(vc, h), ov_ops.add(vc, h))
    if halve:
        head, rest = ov_ops.multiply(head, _c(0.5)), ov_ops.multiply(rest, _c(0.5))
    scale = ov_ops.multiply(t, ov_ops.exp(ov_ops.subtract(_horner(_ERFC_POLY, s), rest)))
    value = ov_ops.multiply(ov_ops.exp(head), scale)
    return ov_ops.select(ov_ops.greater(v, _c(limit)), _c(0), value)


def _erf_series(x):
    return ov_ops.multiply(x, _horner(_ERF_SERIES, ov_ops.multiply(x, x)))


def erf(x):
    """erf(x): its series for |x| < 1/2, OpenVINO's Erf beyond (its ~3e-7 absolute error is
    at most 6e-7 relative there, and a dynamic-shape graph of 12 nodes runs in half the time
    of sign(x) (1 - erfc(|x|)))."""
    ax = ov_ops.absolute(x)
    return ov_ops.select(ov_ops.less(ax, _c(_ERF_SMALL)), _erf_series(x), ov_ops.erf(x))


def erfc(x):
    """erfc(x): erfc(x) for x >= 1/2, 2 - erfc(-x) for x <= -1/2, 1 - erf(x) between."""
    ax = ov_ops.absolute(x)
    tail = erfc_of_positive(ax)
    outer = ov_ops.select(ov_ops.less(x, _c(0)), ov_ops.subtract(_c(2), tail), tail)
    middle = ov_ops.subtract(_c(1), _erf_series(x))
    return keep_nan(x, ov_ops.select(ov_ops.less(ax, _c(_ERF_SMALL)), middle, outer))


def gelu(x, approximate):
    """x P(X <= x) for a standard normal X. Exact: x erfc(-x / sqrt(2)) / 2, as x (1 +
    erf(x / sqrt(2))) / 2 with OpenVINO's Erf for x > -1/sqrt(2) (1 + erf is at least 0.48
    there, so Erf's 3e-7 absolute error stays below 6e-7 relative) and with erfc below (no
    cancellation for negative x). With `approximate`, Keras' tanh form 0.5 x (1 + tanh(u))
    written as x sigmoid(2u), which does not cancel for negative x."""
    if approximate:
        cube = ov_ops.multiply(ov_ops.multiply(x, x), x)
        u = ov_ops.add(x, ov_ops.multiply(cube, _c(0.044715)))
        return ov_ops.multiply(x, ov_ops.sigmoid(ov_ops.multiply(u, _c(2 * np.sqrt(2 / np.pi)))))
    lower = erfc_of_positive(ov_ops.negative(x), halve=True)
    upper = ov_ops.add(_c(1), ov_ops.erf(ov_ops.multiply(x, _c(1 / np.sqrt(2)))))
    cut = ov_ops.less(x, _c(-_ERF_SMALL * np.sqrt(2)))
    return ov_ops.multiply(ov_ops.multiply(x, _c(0.5)), ov_ops.select(cut, lower, upper))
