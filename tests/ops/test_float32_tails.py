"""float32 activations and elementwise ops keep their relative precision in the tails, where
the textbook formulas cancel (log(1 + exp(x)) for x = -20, exp(x) - 1 for x = 1e-7): the values
are those of the `math` module in float64, to a few float32 ulps, on every backend."""

import math

import numpy as np
import pytest

from unikeras import ops


def _softplus(v):
    return max(v, 0.0) + math.log1p(math.exp(-abs(v)))


# op -> (call, float64 reference of one value, float32 inputs)
CASES = {
    "softplus": (ops.softplus, _softplus, [-80.0, -30.0, -20.0, -5.0, -1e-3, 0.0, 2.0, 20.0]),
    "log_sigmoid": (
        ops.log_sigmoid,
        lambda v: -_softplus(-v),
        [-20.0, -1e-3, 0.0, 3.0, 17.0, 20.0, 30.0, 80.0],
    ),
    "erf": (ops.erf, math.erf, [-3.0, -0.7, -1e-3, -1e-20, 1e-7, 0.4, 0.6, 2.5]),
    "expm1": (ops.expm1, math.expm1, [-20.0, -0.6, -0.3, -1e-7, 1e-20, 1e-3, 0.45, 3.0]),
    "log1p": (ops.log1p, math.log1p, [-0.9, -0.4, -1e-7, 1e-20, 1e-5, 0.3, 2.0, 1e10]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_relative_error_in_the_tails(name):
    call, reference, values = CASES[name]
    x = np.array(values, np.float32)
    expected = np.array([reference(float(v)) for v in x])
    got = np.asarray(call(ops.convert_to_tensor(x)), np.float64)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=0)
