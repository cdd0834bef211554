"""Checks specific to the JAX backend plugin (`keras-jax`); skipped on other backends."""

import numpy as np
import pytest

import unikeras
from unikeras import ops
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(registry.backend() != "jax",
                                reason="needs UNIKERAS_BACKEND=jax (keras-jax installed)")

if registry.backend() == "jax":
    import jax
    import jax.numpy as jnp


def test_backend_info_declares_training_and_jit():
    info = registry.table.backend_info()
    assert info["name"] == "jax" and info["training"] and info["jit"]


def test_variables_hold_jax_arrays_and_assign_replaces_them():
    v = unikeras.Variable(np.array([1.0, 2.0], "float32"))
    assert isinstance(v.value, jax.Array)
    before = v.value
    v.assign([3.0, 4.0])
    assert isinstance(v.value, jax.Array) and v.value is not before
    np.testing.assert_array_equal(np.asarray(before), [1.0, 2.0])  # the old array is intact
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])


def test_variables_convert_to_jax_arrays_without_a_host_copy():
    # `__jax_array__`: jnp.asarray takes the device array (recent JAX versions no longer call
    # it when a Variable is passed straight into other jnp functions).
    v = unikeras.Variable(np.array([1.0, 4.0], "float32"))
    assert jnp.asarray(v) is v.value
    np.testing.assert_allclose(np.asarray(jnp.sqrt(jnp.asarray(v))), [1.0, 2.0])
    np.testing.assert_allclose(np.asarray(ops.sqrt(v)), [1.0, 2.0])


def test_default_dtypes_follow_floatx_and_int32_despite_x64():
    assert jax.config.jax_enable_x64
    assert ops.dtype(ops.convert_to_tensor(1.5)) == "float32"
    assert ops.dtype(ops.convert_to_tensor(1)) == "int32"
    assert ops.dtype(ops.add(ops.ones((2,), "int32"), 1.5)) == "float32"
    assert ops.dtype(ops.mean(ops.ones((2,), "int32"))) == "float32"
    assert ops.dtype(ops.arange(3)) == "int32"
    assert ops.dtype(ops.convert_to_tensor(np.zeros(2, "float64"))) == "float64"


def test_ops_trace_under_jit():
    @jax.jit
    def step(x, w):
        return ops.sum(ops.relu(ops.matmul(x, w)), axis=-1)

    x, w = np.ones((2, 3), "float32"), np.full((3, 4), 0.5, "float32")
    np.testing.assert_allclose(np.asarray(step(x, w)), [6.0, 6.0])


def test_gradients_flow_through_ops():
    grad = jax.grad(lambda x: ops.sum(ops.square(ops.sin(x))))(jnp.asarray([0.3, 1.0]))
    np.testing.assert_allclose(np.asarray(grad), np.sin(2 * np.array([0.3, 1.0])), rtol=1e-6)


def test_compute_output_spec_keeps_unknown_dims():
    x = unikeras.KerasTensor((None, 3))
    y = ops.matmul(x, np.ones((3, 5), "float32"))
    assert y.shape == (None, 5) and y.dtype == "float32"
    z = ops.reshape(unikeras.KerasTensor((None, 2, 3)), (-1, 6))
    assert z.shape == (None, 6)


def test_compute_output_spec_falls_back_for_value_dependent_shapes():
    spec = registry.table.compute_output_spec(
        lambda x: ops.nonzero(x)[0], (unikeras.KerasTensor((4,)),), {})
    assert spec.dtype == "int32" and spec.shape == (0,)


def test_random_ops_are_pure_functions_of_the_seed():
    a = unikeras.random.normal((3,), seed=7)
    b = unikeras.random.normal((3,), seed=7)
    assert isinstance(a, jax.Array)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    jitted = jax.jit(lambda seed: registry.table.random_uniform((2,), 0.0, 1.0, "float32", seed))
    seed = ops.convert_to_tensor([7, 0], "uint32")
    np.testing.assert_array_equal(np.asarray(jitted(seed)), np.asarray(jitted(seed)))


def test_control_flow_compiles_with_lax():
    @jax.jit
    def count(n):
        return ops.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), (0, 0))

    i, s = count(jnp.int32(5))
    assert int(i) == 5 and int(s) == 10
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.arange(4, dtype="float32"))
    assert float(carry) == 6.0 and ys.shape == (4,)
    out = ops.cond(jnp.asarray(True), lambda: jnp.ones(2), lambda: jnp.zeros(2))
    np.testing.assert_array_equal(np.asarray(out), [1.0, 1.0])
    doubled = ops.vectorized_map(lambda v: v * 2, np.ones((3, 2), "float32"))
    assert doubled.shape == (3, 2)
