"""Gradients on the active backend equal an analytic NumPy gradient and finite differences."""

import numpy as np
import pytest

from gradient_probe import batch, initial_weights, loss_and_gradients, numpy_loss
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    not registry.table.backend_info()["training"],
    reason="inference-only backend: no gradients by design",
)


def analytic_gradients(weights, x, y):
    k1, b1, k2, b2 = [np.asarray(w, "float64") for w in weights]
    hidden = np.tanh(x @ k1 + b1)
    out = hidden @ k2 + b2
    d_out = 2 * (out - y) / out.size
    d_hidden = (d_out @ k2.T) * (1 - hidden**2)
    return [x.T @ d_hidden, d_hidden.sum(0), hidden.T @ d_out, d_out.sum(0)]


def finite_differences(weights, x, y, eps=1e-6):
    weights = [np.asarray(w, "float64") for w in weights]
    gradients = []
    for w in weights:
        g = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            original = w[index]
            w[index] = original + eps
            up = numpy_loss(weights, x, y)
            w[index] = original - eps
            down = numpy_loss(weights, x, y)
            w[index] = original
            g[index] = (up - down) / (2 * eps)
        gradients.append(g)
    return gradients


def test_loss_and_gradients_match_numpy_and_finite_differences():
    x, y = batch()
    loss, gradients = loss_and_gradients()
    np.testing.assert_allclose(loss, numpy_loss(initial_weights(), x, y), rtol=1e-5)
    for got, exact, numeric in zip(
        gradients,
        analytic_gradients(initial_weights(), x, y),
        finite_differences(initial_weights(), x, y),
    ):
        np.testing.assert_allclose(exact, numeric, rtol=1e-5, atol=1e-8)  # the reference
        np.testing.assert_allclose(got, exact, rtol=1e-4, atol=1e-6)
