"""Python operators on `keras.Variable` that Keras 3.15.1's variables define: `round()`
(`round(model.optimizer.learning_rate, 5)` in `keras.callbacks.LearningRateScheduler`'s
docstring), `//`, `%`, unary `+`/`~` and the logical `&`, `|`, `^` (both operand orders)."""

import numpy as np

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
