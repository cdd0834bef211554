"""Checks specific to the TensorFlow backend plugin (`keras-tf`); skipped on other backends."""


import numpy as np
import pytest

import unikeras
from unikeras import layers, ops
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(registry.backend() != "tensorflow",
                                reason="needs UNIKERAS_BACKEND=tensorflow (keras-tf installed)")

if registry.backend() == "tensorflow":
    import tensorflow as tf


def _model():
    inputs = unikeras.Input((4,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    hidden = layers.Dropout(0.5)(hidden)
    return unikeras.Model(inputs, layers.Dense(2)(hidden))


def test_backend_info_declares_training_and_jit():
    info = registry.table.backend_info()
    assert info["name"] == "tensorflow" and info["training"] and info["jit"]


def test_variables_are_tf_variables_assigned_in_place():
    v = unikeras.Variable(np.array([1.0, 2.0], "float32"))
    native = v.native
    assert isinstance(native, tf.Variable)
    v.assign([3.0, 4.0])
    assert v.native is native  # tf.Variable.assign, not a new variable
    np.testing.assert_array_equal(native.numpy(), [3.0, 4.0])
    assert all(isinstance(w.native, tf.Variable) for w in _model().weights)


def test_tf_ops_accept_variables_and_tapes_watch_them():
    v = unikeras.Variable(np.array([1.0, 2.0], "float32"))
    np.testing.assert_array_equal(tf.add(v, 1.0).numpy(), [2.0, 3.0])
    np.testing.assert_array_equal(tf.convert_to_tensor(v).numpy(), [1.0, 2.0])
    with tf.GradientTape() as tape:
        loss = ops.sum(ops.square(v))
    np.testing.assert_allclose(tape.gradient(loss, v.native).numpy(), [2.0, 4.0])


def test_default_dtypes_follow_floatx_and_int32():
    assert ops.dtype(ops.convert_to_tensor(1.5)) == "float32"
    assert ops.dtype(ops.convert_to_tensor(1)) == "int32"
    assert ops.dtype(ops.add(ops.ones((2,), "int8"), ops.ones((2,), "uint8"))) == "int16"
    assert ops.dtype(ops.add(ops.ones((2,), "int32"), 1.5)) == "float32"
    assert ops.dtype(ops.mean(ops.ones((2,), "int32"))) == "float32"


def test_checkpoint_round_trip_restores_model_weights(tmp_path):
    model = _model()
    saved = [w.numpy().copy() for w in model.weights]
    path = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
    for w in model.weights:
        w.assign(np.zeros(w.shape, "float32"))
    tf.train.Checkpoint(model=model).restore(path).assert_existing_objects_matched()
    for before, w in zip(saved, model.weights):
        np.testing.assert_array_equal(w.numpy(), before)
    fresh = _model()  # the same architecture restores the same weights
    tf.train.Checkpoint(model=fresh).restore(path).assert_existing_objects_matched()
    for before, w in zip(saved, fresh.weights):
        np.testing.assert_array_equal(w.numpy(), before)


def test_tf_function_over_model_call_matches_eager():
    model = _model()
    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    eager = ops.convert_to_numpy(model(x))
    traced = tf.function(model, input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    np.testing.assert_allclose(traced(tf.constant(x)).numpy(), eager, rtol=1e-6)
    np.testing.assert_allclose(traced(tf.constant(x[:2])).numpy(), eager[:2], rtol=1e-6)


def test_training_step_with_gradient_tape_in_tf_function():
    model = _model()
    x = np.ones((4, 4), "float32")
    natives = [w.native for w in model.trainable_weights]

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            # A target of 1 keeps the output bias gradient non-zero even when dropout
            # and ReLU zero every hidden unit.
            loss = ops.mean(ops.square(model(x, training=True) - 1.0))
        grads = tape.gradient(loss, natives)
        for variable, grad in zip(natives, grads):
            variable.assign_sub(0.1 * grad)
        return loss

    before = [w.numpy().copy() for w in model.trainable_weights]
    step(tf.constant(x))
    assert any(not np.array_equal(b, w.numpy()) for b, w in zip(before, model.trainable_weights))


def test_control_flow_traces_with_unknown_lengths():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def cumulative(xs):
        carry, ys = ops.scan(lambda c, x: (c + x, c), tf.constant(0.0), xs)
        doubled = ops.map(lambda x: x * 2.0, xs)
        count = ops.while_loop(lambda i: i < 3, lambda i: i + 1, tf.constant(0))
        return carry, ys, doubled, count

    carry, ys, doubled, count = cumulative(tf.constant([1.0, 2.0, 3.0]))
    assert float(carry) == 6.0 and int(count) == 3
    np.testing.assert_allclose(ys.numpy(), [0.0, 1.0, 3.0])
    np.testing.assert_allclose(doubled.numpy(), [2.0, 4.0, 6.0])


def test_symbolic_shapes_keep_unknown_dimensions():
    x = unikeras.KerasTensor((None, 3))
    assert ops.matmul(x, np.ones((3, 5), "float32")).shape == (None, 5)
    assert ops.concatenate([x, x], axis=0).shape == (None, 3)
    assert ops.nonzero(x)[0].shape == (None,)


def test_seeded_random_is_reproducible_eagerly_and_in_tf_function():
    first = unikeras.random.normal((3,), seed=7)
    np.testing.assert_array_equal(first.numpy(), unikeras.random.normal((3,), seed=7).numpy())
    traced = tf.function(lambda: unikeras.random.normal((3,), seed=7))
    np.testing.assert_array_equal(traced().numpy(), first.numpy())
    generator = unikeras.random.SeedGenerator(1)
    a, b = (unikeras.random.uniform((2,), seed=generator) for _ in range(2))
    assert not np.array_equal(a.numpy(), b.numpy())


def test_affine_transform_in_tf_function_with_stacked_transforms():
    # One column stacked 8 times inside a graph once broke the per-coefficient slicing.
    images = np.random.default_rng(0).random((4, 8, 8, 1)).astype("float32")
    column = np.array([0.1, 0.2, 0.05, 0.0], "float32")

    @tf.function
    def warp(x, c):
        return ops.image.affine_transform(x, tf.stack([c] * 8, axis=1))

    eager = ops.image.affine_transform(images, np.stack([column] * 8, axis=1))
    np.testing.assert_allclose(ops.convert_to_numpy(warp(images, tf.constant(column))),
                               ops.convert_to_numpy(eager), rtol=1e-6, atol=1e-6)
