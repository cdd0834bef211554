"""Python operators on `keras.Variable` that Keras 3.15.1's variables define: `round()`
(`round(model.optimizer.learning_rate, 5)` in `keras.callbacks.LearningRateScheduler`'s
docstring), `//`, `%`, unary `+`/`~` and the logical `&`, `|`, `^` (both operand orders)."""

import numpy as np
import pytest

import unikeras as keras


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_round_floordiv_mod_and_unary_plus():
    v = keras.Variable(np.array([1.23456, -2.5, 7.0], "float32"))
    np.testing.assert_allclose(_np(round(v, 2)), [1.23, -2.5, 7.0], rtol=1e-6)
    np.testing.assert_allclose(_np(round(keras.Variable(0.012345), 3)), 0.012, rtol=1e-6)
    np.testing.assert_array_equal(_np(round(v)), np.round([1.23456, -2.5, 7.0]))
    np.testing.assert_array_equal(_np(v // 2), np.floor_divide([1.23456, -2.5, 7.0], 2))
    np.testing.assert_array_equal(_np(10.0 // v), np.floor_divide(10.0, _np(v)))
    np.testing.assert_allclose(_np(v % 2), np.mod(_np(v), 2), rtol=1e-6)
    np.testing.assert_allclose(_np(10.0 % v), np.mod(10.0, _np(v)), rtol=1e-6)
    np.testing.assert_array_equal(_np(+v), _np(v))


def test_logical_and_invert():
    a = keras.Variable(np.array([True, True, False, False]), dtype="bool", trainable=False)
    b = np.array([True, False, True, False])
    np.testing.assert_array_equal(_np(a & b), [True, False, False, False])
    np.testing.assert_array_equal(_np(b & a), [True, False, False, False])
    np.testing.assert_array_equal(_np(a | b), [True, True, True, False])
    np.testing.assert_array_equal(_np(b | a), [True, True, True, False])
    np.testing.assert_array_equal(_np(a ^ b), [False, True, True, False])
    np.testing.assert_array_equal(_np(b ^ a), [False, True, True, False])
    np.testing.assert_array_equal(_np(~a), [False, False, True, True])


@pytest.mark.parametrize("dtype", ["int32", "float32", "bool"])
def test_eq_ne_are_elementwise_tensors(dtype):
    # Keras 3's variables compare elementwise (ops.equal / ops.not_equal of the value), with
    # tensors, arrays and Python scalars alike; None compares by identity.
    base = np.array([0, 1, 2, 1]).astype(dtype)
    other = np.array([0, 2, 2, 0]).astype(dtype)
    v = keras.Variable(base, dtype=dtype, trainable=False)
    for operand in (other, keras.ops.convert_to_tensor(other), base.dtype.type(1)):
        eq, ne = v == operand, v != operand
        assert not isinstance(eq, bool) and not isinstance(ne, bool)
        np.testing.assert_array_equal(_np(eq), np.equal(base, operand))
        np.testing.assert_array_equal(_np(ne), np.not_equal(base, operand))
        assert keras.backend.standardize_dtype(eq.dtype) == "bool"
    np.testing.assert_array_equal(_np(v == v), np.ones(4, bool))
    assert (v == None) is False  # noqa: E711
    assert (v != None) is True  # noqa: E711
    assert {v: 1}[v] == 1  # still hashable (by identity)


def test_optimizer_learning_rate_swap_removes_its_variable_by_identity():
    # The optimizer's variable list drops the old learning-rate variable without `==`
    # (elementwise on variables) when a schedule replaces it.
    opt = keras.optimizers.SGD(learning_rate=0.1)
    opt.build([keras.Variable(np.ones((2,), "float32"))])
    before = len(opt.variables)
    opt.learning_rate = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
    assert len(opt.variables) == before - 1
