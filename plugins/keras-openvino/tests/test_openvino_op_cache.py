"""The eager op cache: a repeated eager op on one signature runs one compiled OpenVINO model,
gives the exact values for new data each call and never writes into its inputs."""

import numpy as np

from unikeras import ops
from unikeras_openvino import graph


def test_repeated_op_compiles_once_and_stays_exact():
    rng = np.random.default_rng(0)
    shape = (3, 7)  # a shape no other test uses, so the first calls fill the cache here
    before = graph.COMPILE_STATS["op_compilations"]
    for i in range(6):
        a = rng.normal(size=shape).astype("float32")
        b = rng.normal(size=shape).astype("float32")
        x, y = ops.convert_to_tensor(a), ops.convert_to_tensor(b)
        np.testing.assert_array_equal(np.asarray(ops.subtract(x, y)), a - b)
        np.testing.assert_allclose(np.asarray(ops.matmul(x, ops.transpose(y))), a @ b.T, rtol=1e-5)
        # Inputs are untouched (the compiled op must not compute in their memory).
        np.testing.assert_array_equal(np.asarray(x), a)
        np.testing.assert_array_equal(np.asarray(y), b)
    compiled = graph.COMPILE_STATS["op_compilations"] - before
    assert 1 <= compiled <= 3  # subtract, transpose and matmul: once each
    keys = [k for k, v in graph.OP_CACHE.items() if isinstance(v, graph._CompiledOp)]
    assert any(k[0].__name__ == "subtract" for k in keys)


def test_new_signature_and_python_arguments_are_keyed():
    a = np.arange(6, dtype="float32").reshape(2, 3)
    x = ops.convert_to_tensor(a)
    for _ in range(3):
        np.testing.assert_array_equal(np.asarray(ops.sum(x, axis=0)), a.sum(axis=0))
        np.testing.assert_array_equal(np.asarray(ops.sum(x, axis=1)), a.sum(axis=1))
    wide = ops.convert_to_tensor(np.ones((2, 5), "float32"))
    for _ in range(3):
        np.testing.assert_array_equal(np.asarray(ops.sum(wide, axis=1)), [5.0, 5.0])


def test_value_dependent_ops_are_not_cached():
    x = ops.convert_to_tensor(np.array([[1.0, np.nan, 3.0]], "float32"))
    for _ in range(3):
        np.testing.assert_allclose(np.asarray(ops.nanmedian(x)), 2.0)
    assert not any(k[0].__name__ == "nanmedian" for k in graph.OP_CACHE if isinstance(k, tuple))
