"""`unikeras.ops` core ops: casting, slicing, scatter, control flow (values, dtypes, symbolic)."""

import numpy as np
import pytest

import unikeras
from unikeras import ops

X = np.arange(12, dtype="float32").reshape(3, 4)


def np_out(x):
    return unikeras.backend.convert_to_numpy(x)


def check(result, expected, dtype=None):
    result = np_out(result)
    assert result.shape == np.shape(expected), (result.shape, np.shape(expected))
    if dtype is not None:
        assert unikeras.backend.standardize_dtype(result.dtype) == dtype
    np.testing.assert_allclose(result, expected, rtol=1e-6)


def test_shape_dtype_conversion():
    assert tuple(ops.shape(X)) == (3, 4)
    assert ops.shape(unikeras.KerasTensor((None, 3))) == (None, 3)
    assert ops.dtype(ops.convert_to_tensor([1, 2])) == "int32"
    assert ops.is_tensor(ops.convert_to_tensor(X)) and not ops.is_tensor([1.0])
    assert isinstance(ops.convert_to_numpy(ops.convert_to_tensor(X)), np.ndarray)
    assert ops.convert_to_tensor(unikeras.KerasTensor((None, 2)), "int32").dtype == "int32"


def test_cast_and_saturate_cast():
    check(ops.cast(X, "int8"), X.astype("int8"), "int8")
    values = np.array([-1.0, 100.0, 300.0], "float32")
    check(ops.saturate_cast(values, "uint8"), [0, 100, 255], "uint8")
    check(ops.saturate_cast(np.array([5e9, -1.0], "float32"), "uint32"), [4294967040, 0], "uint32")
    assert ops.saturate_cast(unikeras.KerasTensor((None,)), "int8").dtype == "int8"


def test_slice_and_slice_update():
    check(ops.slice(X, (1, 1), (2, 2)), X[1:3, 1:3], "float32")
    updated = X.copy()
    updated[0:2, 2:4] = -1
    check(ops.slice_update(X, (0, 2), -np.ones((2, 2), "float32")), updated, "float32")
    assert ops.slice(unikeras.KerasTensor((None, 4)), (0, 1), (2, 2)).shape == (2, 2)


def test_scatter_and_scatter_update():
    check(
        ops.scatter([[0, 1], [1, 1], [0, 1]], np.array([1.0, 2.0, 3.0], "float32"), (2, 2)),
        [[0, 4], [0, 2]],
        "float32",
    )
    expected = X.copy()
    expected[[0, 2], [1, 3]] = [7, 8]
    check(ops.scatter_update(X, [[0, 1], [2, 3]], np.array([7.0, 8.0], "float32")), expected)
    expected = X.copy()
    expected[1] += 1
    check(ops.scatter_update(X, [[1]], np.ones((1, 4), "float32"), reduction="add"), expected)
    with pytest.raises(ValueError, match="reduction"):
        ops.scatter_update(X, [[1]], np.ones((1, 4)), reduction="bad")


def test_control_flow():
    assert int(np_out(ops.cond(np.array(True), lambda: 1, lambda: 2))) == 1
    check(ops.switch(5, [lambda x: x + 1, lambda x: x * 2], X), X * 2)
    check(ops.while_loop(lambda i: i < 10, lambda i: i + 3, np.array(0)), 12)
    i, total = ops.while_loop(
        lambda i, t: i < 100,
        lambda i, t: (i + 1, t + i),
        (np.array(0), np.array(0)),
        maximum_iterations=4,
    )
    check(i, 4)
    check(total, 6)
    check(ops.fori_loop(0, 5, lambda i, v: v + i, np.array(0)), 10)
    check(ops.stop_gradient(X), X, "float32")


def test_scan():
    xs = np.arange(1.0, 5.0, dtype="float32")
    carry, ys = ops.scan(lambda c, x: (c + x, c * 2), np.array(0.0, "float32"), xs)
    check(carry, 10.0)
    check(ys, [0, 2, 6, 12], "float32")
    carry, ys = ops.scan(lambda c, x: (c + x, c), np.array(0.0, "float32"), xs, reverse=True)
    check(ys, [9, 7, 4, 0])
    carry, ys = ops.scan(lambda c, x: (c * 2, c), np.array(1.0, "float32"), None, length=3)
    check(ys, [1, 2, 4])


def test_associative_scan_map_vectorized_map_unstack():
    check(ops.associative_scan(lambda a, b: a + b, X, axis=1), np.cumsum(X, axis=1))
    check(
        ops.associative_scan(lambda a, b: a * b, X[0] + 1, reverse=True),
        np.cumprod((X[0] + 1)[::-1])[::-1],
    )
    check(ops.map(lambda row: ops.sum(row), X), X.sum(axis=1))
    check(ops.vectorized_map(lambda pair: pair[0] * pair[1], (X, X)), X * X)
    parts = ops.unstack(X, axis=1)
    assert len(parts) == 4
    check(parts[2], X[:, 2])


def test_custom_gradient_forward():
    @ops.custom_gradient
    def double(x):
        return x * 2, lambda upstream: upstream * 2

    check(double(X), X * 2)
