"""The eager op cache: a repeated eager op on one signature runs one compiled OpenVINO model,
gives the exact values for new data each call and never writes into its inputs."""

import sys
import threading

import numpy as np
import pytest

import unikeras as keras
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


def _matmul_entries():
    return [k for k in graph.OP_CACHE if isinstance(k, tuple) and k[0].__name__ == "matmul"]


def test_float32_matmul_runs_compiled_from_its_first_call():
    graph.OP_CACHE.clear()  # so this test's first call is the signature's first call
    rng = np.random.default_rng(1)
    shapes = [((5, 9), (9, 4)), ((3, 7), (7, 2)), ((1, 1), (1, 1)), ((16, 32), (32, 8))]
    pairs = [tuple(rng.normal(size=s).astype("float32") for s in pair) for pair in shapes]
    tensors = [tuple(ops.convert_to_tensor(v) for v in pair) for pair in pairs]
    first = [np.asarray(ops.matmul(x, y)) for x, y in tensors]
    # One compiled model serves every shape of rank 2 (its dimensions are dynamic).
    entries = [graph.OP_CACHE[k] for k in _matmul_entries()]
    assert len(entries) == 1 and isinstance(entries[0], graph._CompiledOp)
    for (a, b), value in zip(pairs, first):
        np.testing.assert_allclose(value, a.astype("float64") @ b, rtol=1e-5, atol=1e-5)
    # Same inputs, same bits: later calls (shapes interleaved), NumPy arrays and Variables
    # give the first call's value exactly, from the same compiled model.
    for _ in range(2):
        for (a, b), (x, _), value in zip(pairs, tensors, first):
            np.testing.assert_array_equal(np.asarray(ops.matmul(a, b)), value)
            np.testing.assert_array_equal(np.asarray(ops.matmul(x, keras.Variable(b))), value)
    assert [graph.OP_CACHE[k] for k in _matmul_entries()] == entries


def test_matmul_of_wrong_shapes_raises_and_later_calls_stay_exact():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(5, 9)).astype("float32")
    b = rng.normal(size=(9, 4)).astype("float32")
    expected = np.asarray(ops.matmul(a, b))
    with pytest.raises(ValueError, match="`matmul`.*dimension"):
        ops.matmul(a, a)
    # (After a failed run on shapes it cannot take, the CPU plugin's dynamic-shape model
    # returned garbage: the op compiles again instead.)
    for _ in range(3):
        np.testing.assert_array_equal(np.asarray(ops.matmul(a, b)), expected)


def test_eager_and_traced_matmul_agree_to_float32_rounding():
    rng = np.random.default_rng(3)
    w = rng.normal(size=(12, 6)).astype("float32")
    bias = rng.normal(size=(6,)).astype("float32")
    x = rng.normal(size=(4, 12)).astype("float32")
    expected = x.astype("float64") @ w + bias
    eager = np.asarray(ops.add(ops.matmul(x, w), bias))
    model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(6)])
    model.set_weights([w, bias])
    lam = keras.Sequential([keras.Input((12,)), keras.layers.Lambda(lambda t: ops.matmul(t, w))])
    traced = {
        "predict": model.predict(x, verbose=0),
        "predict_on_batch": model.predict_on_batch(x),
        "model(x)": np.asarray(model(x)),
        "Dense eager": np.asarray(model.layers[0](ops.convert_to_tensor(x))),
        "Lambda predict": lam.predict(x, verbose=0) + bias,
    }
    np.testing.assert_allclose(eager, expected, rtol=1e-5, atol=1e-5)
    for path, value in traced.items():
        np.testing.assert_allclose(value, eager, rtol=1e-5, atol=1e-5, err_msg=path)


def test_threads_share_a_compiled_op_safely():
    rng = np.random.default_rng(4)
    pairs = [tuple(rng.normal(size=(6, 6)).astype("float32") for _ in range(2)) for _ in range(4)]
    expected = [np.asarray(ops.matmul(a, b)) for a, b in pairs]
    failures = []

    def work(i):
        a, b = pairs[i]
        for _ in range(200):
            if not np.array_equal(np.asarray(ops.matmul(a, b)), expected[i]):
                failures.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(pairs))]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch between the request's set/infer/get calls
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not failures


def test_float32_dot_is_compiled_per_rank_and_repeats_exactly():
    rng = np.random.default_rng(5)
    cases = [((5, 9), (9, 4)), ((9,), (9,)), ((2, 3, 4), (5, 4, 6)), ((7,), (7, 3))]
    pairs = [
        (rng.normal(size=s1).astype("float32"), rng.normal(size=s2).astype("float32"))
        for s1, s2 in cases
    ]
    first = [np.asarray(ops.dot(a, b)) for a, b in pairs]
    for (a, b), value in zip(pairs, first):
        np.testing.assert_allclose(value, np.dot(a.astype("float64"), b), rtol=1e-5, atol=1e-5)
    for (a, b), value in zip(pairs * 2, first * 2):
        np.testing.assert_array_equal(np.asarray(ops.dot(ops.convert_to_tensor(a), b)), value)
    compiled = [
        k
        for k, v in graph.OP_CACHE.items()
        if k[0].__name__ == "dot" and isinstance(v, graph._CompiledOp)
    ]
    assert {k[2] for k in compiled} >= {(tuple, (("f", a.ndim), ("f", b.ndim))) for a, b in pairs}


def _softmax64(a):
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# float32 ops whose compiled kernel rounds differently from constant folding: name -> (op(x, y),
# float64 reference(a, b)); y (positive) is used by the binary ops only.
_FREE_CASES = {
    "exp": (lambda x, y: ops.exp(x), lambda a, b: np.exp(a)),
    "tanh": (lambda x, y: ops.tanh(x), lambda a, b: np.tanh(a)),
    "sigmoid": (lambda x, y: ops.sigmoid(x), lambda a, b: 1 / (1 + np.exp(-a))),
    "softmax": (lambda x, y: ops.softmax(x), lambda a, b: _softmax64(a)),
    "log_softmax": (lambda x, y: ops.log_softmax(x), lambda a, b: np.log(_softmax64(a))),
    "silu": (lambda x, y: ops.silu(x), lambda a, b: a / (1 + np.exp(-a))),
    "sum": (lambda x, y: ops.sum(x, axis=-1), lambda a, b: a.sum(axis=-1)),
    "divide": (ops.divide, lambda a, b: a / b),
    "logaddexp": (ops.logaddexp, np.logaddexp),
}


@pytest.mark.parametrize("name", sorted(_FREE_CASES))
def test_float32_elementwise_ops_run_compiled_from_their_first_call(name):
    call, reference = _FREE_CASES[name]
    graph.OP_CACHE.clear()
    rng = np.random.default_rng(2)
    inputs = [
        (rng.normal(size=s).astype("float32"), rng.uniform(0.5, 2, size=s).astype("float32"))
        for s in [(8,), (3,), (5,), (8, 8), (2, 6)]
    ]
    first = []
    for a, b in inputs:
        got = np.asarray(call(ops.convert_to_tensor(a), ops.convert_to_tensor(b)))
        expected = reference(a.astype("float64"), b.astype("float64"))
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
        first.append(got)
    entries = [
        k
        for k, v in graph.OP_CACHE.items()
        if isinstance(v, graph._CompiledOp) and k[1] == "free" and k[0].__name__ == name
    ]
    assert len(entries) == 2  # one per rank signature (1 and 2), from the first call
    # Repeats (shapes interleaved, NumPy-array arguments too) give the first call's bits.
    for (a, b), got in zip(inputs[::-1], first[::-1]):
        np.testing.assert_array_equal(np.asarray(call(ops.convert_to_tensor(a), b)), got)
        np.testing.assert_array_equal(np.asarray(call(a, b)), got)
    # The traced op in predict agrees with the eager one to float32 rounding.
    x_in, y_in = keras.Input((8,)), keras.Input((8,))
    model = keras.Model([x_in, y_in], keras.layers.Lambda(lambda t: call(*t))([x_in, y_in]))
    a, b = rng.normal(size=(4, 8)).astype("float32"), rng.uniform(0.5, 2, (4, 8)).astype("float32")
    eager = np.asarray(call(ops.convert_to_tensor(a), ops.convert_to_tensor(b)))
    np.testing.assert_allclose(model.predict([a, b], verbose=0), eager, rtol=1e-5, atol=1e-7)


def test_divide_by_a_python_number_keeps_the_per_shape_cache():
    graph.OP_CACHE.clear()
    a = np.random.default_rng(3).normal(size=(6,)).astype("float32")
    for scale in (2.0, 3.0, 7.0):
        got = np.asarray(ops.divide(ops.convert_to_tensor(a), scale))
        np.testing.assert_allclose(got, a / np.float64(scale), rtol=1e-6)
    assert not any(k[1] == "free" for k in graph.OP_CACHE if isinstance(k, tuple))
