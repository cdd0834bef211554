"""NumPy 64-bit data and dtype requests give the dtypes of the backend's declared mode.

Torch and TensorFlow keep 64 bits, as Keras 3 does there. On JAX it depends on JAX's x64
mode, which `backend_info()["x64"]`/`["dtypes"]` report: the plugin leaves it as JAX sets
it, off by default as in Keras 3, where there are no 64-bit tensors: `float64`/`int64` NumPy data (what `np.random.random` and
`np.array([1, 2])` make) and `float64` requests give `float32`/`int32`, and the dtypes match
Keras 3.15.1 on JAX (checked in subprocesses).
"""

import json
import textwrap

import numpy as np
import pytest

import unikeras as keras
from unikeras import ops
from unikeras.backend import standardize_dtype, table

BACKEND = keras.backend.backend()
_NARROW = {"float64": "float32", "int64": "int32", "uint64": "uint32", "complex128": "complex64"}


def _no_64_bit():
    """Whether the active backend declares no 64-bit tensors (JAX without x64)."""
    return "float64" not in table.backend_info()["dtypes"]


def expected(dtype):
    """The dtype a NumPy value / request of `dtype` gets on the active backend."""
    return _NARROW.get(dtype, dtype) if _no_64_bit() else dtype


def dt(x):
    return standardize_dtype(x.dtype)


def test_backend_info_declares_the_x64_mode():
    if BACKEND != "jax":
        pytest.skip("JAX's x64 switch only exists on the jax backend")
    import jax

    info = table.backend_info()
    assert info["x64"] is bool(jax.config.jax_enable_x64)
    for name in _NARROW:
        assert (name in info["dtypes"]) is info["x64"]
    assert {"float32", "int32", "uint32", "complex64"} <= set(info["dtypes"])


@pytest.mark.parametrize("dtype", ["float64", "int64", "uint64", "complex128"])
def test_convert_to_tensor_of_64_bit_numpy(dtype):
    if expected(dtype) not in table.backend_info()["dtypes"]:
        pytest.skip(f"{BACKEND} declares no {expected(dtype)} tensors (backend_info dtypes)")
    value = np.array([1, 2, 3]).astype(dtype)
    tensor = ops.convert_to_tensor(value)
    assert dt(tensor) == expected(dtype)
    np.testing.assert_array_equal(ops.convert_to_numpy(tensor), value)
    assert dt(ops.convert_to_tensor(value, dtype=dtype)) == expected(dtype)
    assert dt(ops.cast(np.array([1.0, 2.0], "float32"), dtype)) == expected(dtype)


def test_ops_on_64_bit_numpy_data():
    rng = np.random.default_rng(0)
    floats, ints = rng.random((3, 4)), np.array([[1, 2], [3, 4]])
    assert floats.dtype == np.float64 and ints.dtype == np.int64
    got = ops.add(floats, floats)
    assert dt(got) == expected("float64")
    np.testing.assert_allclose(ops.convert_to_numpy(got), floats + floats, rtol=1e-6)
    assert dt(ops.sum(floats)) == expected("float64")
    assert dt(ops.matmul(ints, ints)) == expected("int64")
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.matmul(ints, ints)), ints @ ints)
    assert dt(ops.mean(ints)) == "float32"  # Keras: the mean of ints is floatx everywhere
    assert dt(ops.ones((2,), dtype="float64")) == expected("float64")
    assert dt(ops.zeros((2,), dtype="int64")) == expected("int64")
    assert dt(keras.random.normal((2,), dtype="float64")) == expected("float64")
    # Python values and unikeras' own defaults are 32-bit on every backend.
    assert dt(ops.convert_to_tensor([1, 2])) == "int32"
    assert dt(ops.convert_to_tensor(1.5)) == "float32"
    assert dt(ops.arange(3)) == "int32"


def test_layers_losses_and_metrics_on_64_bit_numpy_data():
    rng = np.random.default_rng(1)
    x = rng.random((4, 3))
    dense = keras.layers.Dense(2)
    out = dense(x)
    assert dt(out) == "float32"  # layers cast floating inputs to their compute dtype
    np.testing.assert_allclose(
        ops.convert_to_numpy(out), x @ dense.kernel.numpy() + dense.bias.numpy(), rtol=1e-5
    )
    y_true, y_pred = rng.random((4, 3)), rng.random((4, 3))
    loss = keras.losses.mean_squared_error(y_true, y_pred)
    assert dt(loss) == expected("float64")
    np.testing.assert_allclose(
        ops.convert_to_numpy(loss), np.mean((y_true - y_pred) ** 2, axis=-1), rtol=1e-5
    )
    assert dt(keras.losses.MeanSquaredError()(y_true, y_pred)) == "float32"
    labels = np.array([0, 2, 1, 2])
    sparse = keras.losses.sparse_categorical_crossentropy(labels, y_pred)
    assert dt(sparse) == expected("float64")
    metric = keras.metrics.MeanSquaredError()
    metric.update_state(y_true, y_pred)
    assert dt(metric.result()) == "float32"


def test_variables_from_64_bit_numpy():
    assert keras.Variable(np.zeros(2)).dtype == expected("float64")
    assert keras.Variable(np.array([1, 2])).dtype == expected("int64")
    assert dt(keras.Variable(np.zeros(2)).value) == expected("float64")
    # An explicit dtype is kept as the variable's dtype name (as Keras does).
    assert keras.Variable(np.zeros(2), dtype="float64").dtype == "float64"
    assert dt(keras.Variable(np.zeros(2), dtype="float64").value) == expected("float64")
    assert keras.Variable(3).dtype == "int32"
    assert keras.Variable(3.0).dtype == "float32"


_PROBE = textwrap.dedent("""
    import json, warnings
    import numpy as np
    warnings.simplefilter("ignore")
    import {module} as keras
    ops = keras.ops
    def dt(x):
        return keras.backend.standardize_dtype(x.dtype)
    f, i = np.random.random((3,)), np.array([1, 2, 3])
    print(json.dumps({{
        "ctt_f64": dt(ops.convert_to_tensor(f)),
        "ctt_i64": dt(ops.convert_to_tensor(i)),
        "ask_f64": dt(ops.convert_to_tensor(f, dtype="float64")),
        "add_f64": dt(ops.add(f, f)),
        "add_i64": dt(ops.add(i, i)),
        "sum_f64": dt(ops.sum(f)),
        "ones_f64": dt(ops.ones((2,), dtype="float64")),
        "dense": dt(keras.layers.Dense(2)(f.reshape(1, 3))),
        "mse_fn": dt(keras.losses.mean_squared_error(f, f)),
        "mse": dt(keras.losses.MeanSquaredError()(f, f)),
        "var": keras.Variable(np.zeros(2)).dtype,
    }}))
""")


def _probe(run_python, module, **env):
    env.setdefault("OMP_NUM_THREADS", "1")
    result = run_python(_PROBE.format(module=module), **env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(BACKEND != "jax", reason="JAX's x64 switch only exists on the jax backend")
@pytest.mark.parametrize("env", [{}, {"JAX_ENABLE_X64": "0"}], ids=["default", "x64-off"])
def test_jax_default_matches_keras_3(run_python, env):
    """Out of the box (no JAX_ENABLE_X64) unikeras on JAX gives Keras 3's 32-bit dtypes."""
    pytest.importorskip("keras")
    base = {"JAX_ENABLE_X64": None} if not env else env
    ours = _probe(run_python, "unikeras", UNIKERAS_BACKEND="jax", **base)
    assert ours["ctt_f64"] == "float32" and ours["ctt_i64"] == "int32"
    theirs = _probe(run_python, "keras", KERAS_BACKEND="jax", **base)
    assert ours == theirs


@pytest.mark.skipif(BACKEND != "jax", reason="JAX's x64 switch only exists on the jax backend")
@pytest.mark.parametrize("how", ["env", "config"])
def test_jax_x64_on_request_gives_64_bit(run_python, how):
    """64-bit tensors when the user asks: JAX_ENABLE_X64=1 or jax.config before the first op."""
    switch = 'import jax; jax.config.update("jax_enable_x64", True)' if how == "config" else ""
    code = textwrap.dedent("""
        import numpy as np
        {switch}
        import unikeras as keras
        ops = keras.ops
        f = np.random.random((3,))
        info = keras.backend.table.backend_info()
        assert info["x64"] is True and "float64" in info["dtypes"], info
        out = ops.add(f, f)
        assert str(out.dtype) == "float64", out.dtype
        np.testing.assert_array_equal(np.asarray(out), f + f)  # exact: 64-bit arithmetic
        assert str(ops.convert_to_tensor(np.array([1, 2])).dtype) == "int64"
        assert str(ops.ones((2,), dtype="float64").dtype) == "float64"
        assert str(ops.arange(3).dtype) == "int32"  # unikeras' defaults stay 32-bit
        print("ok")
    """).format(switch=switch)
    env = {"JAX_ENABLE_X64": "1"} if how == "env" else {"JAX_ENABLE_X64": None}
    result = run_python(code, UNIKERAS_BACKEND="jax", **env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
