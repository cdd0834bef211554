"""Checks specific to the TensorFlow backend plugin (`unikeras-tf`); skipped on other backends."""

import numpy as np
import pytest

import unikeras
from unikeras import layers, ops
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    registry.backend() != "tensorflow",
    reason="needs UNIKERAS_BACKEND=tensorflow (unikeras-tf installed)",
)

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


def test_scan_python_int_carry_with_int64_rows_in_a_graph():
    # `0 + int64` is int64 (TensorFlow alone refuses int32 + int64); a Python-scalar carry
    # takes the dtype the step gives it, here with an unknown number of rows.
    @tf.function(input_signature=[tf.TensorSpec([None], tf.int64)])
    def running_sum(xs):
        return ops.scan(lambda c, x: (c + x, c), 0, xs)

    carry, ys = running_sum(tf.constant([1, 2, 3, 4], tf.int64))
    assert carry.dtype == tf.int64 and int(carry) == 10
    np.testing.assert_array_equal(ys.numpy(), [0, 1, 3, 6])


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
    np.testing.assert_allclose(
        ops.convert_to_numpy(warp(images, tf.constant(column))),
        ops.convert_to_numpy(eager),
        rtol=1e-6,
        atol=1e-6,
    )


# --- fused kernels the TensorFlow plugin lowers ops to (each against NumPy) -----------------


def _op_types(fn, *args):
    """The op types in the graph of `tf.function(fn)` traced on `args` (and its gradient,
    when `fn` computes one)."""
    graph = tf.function(fn).get_concrete_function(*args).graph
    types = {op.type for op in graph.get_operations()}
    for function in graph._functions.values():
        types.update(node.op for node in function.definition.node_def)
    return types


_EINSUM_MATMULS = [
    ("abc,cde->abde", (2, 3, 4), (4, 2, 5)),  # EinsumDense query projection
    ("abcd,cde->abe", (2, 3, 2, 5), (2, 5, 4)),  # EinsumDense output projection
    ("btnh,bsnh->bnts", (2, 3, 2, 4), (2, 5, 2, 4)),  # attention logits
    ("bnts,bsnh->btnh", (2, 2, 3, 5), (2, 5, 2, 4)),  # attention combination
    ("ij,kj->ik", (3, 4), (5, 4)),  # contraction last on both: transpose_b
    ("ji,jk->ik", (4, 3), (4, 5)),  # contraction first on both: transpose_a
    ("ij,jk->ki", (3, 4), (4, 5)),  # output transposed
    ("bij,bjk->bik", (2, 3, 4), (2, 4, 5)),
    ("ij,ij->i", (3, 4), (3, 4)),  # batch and contraction only
    ("i,j->ij", (3,), (4,)),  # outer product: nothing contracted
    ("i,i->", (4,), (4,)),
    ("abc,bd->dca", (2, 3, 4), (3, 5)),
]


@pytest.mark.parametrize("equation,shape_a,shape_b", _EINSUM_MATMULS)
def test_einsum_of_two_operands_runs_as_matmul(equation, shape_a, shape_b):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
    expected = np.einsum(equation, a, b)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.einsum(equation, a, b)), expected, rtol=1e-12, atol=1e-12
    )
    a32, b32 = a.astype("float32"), b.astype("float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.einsum(equation, a32, b32)), expected, rtol=1e-5, atol=1e-5
    )
    types = _op_types(lambda x, y: ops.einsum(equation, x, y), tf.constant(a32), tf.constant(b32))
    assert "Einsum" not in types and types & {"MatMul", "BatchMatMulV2"}, types


def test_einsum_as_matmul_with_unknown_batch_size_and_its_gradient():
    rng = np.random.default_rng(1)
    x, kernel = rng.normal(size=(3, 4, 5)), rng.normal(size=(5, 2, 6))

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, 4, 5], tf.float64),
            tf.TensorSpec([5, 2, 6], tf.float64),
        ]
    )
    def project(x, kernel):
        with tf.GradientTape() as tape:
            tape.watch(kernel)
            y = ops.einsum("abc,cde->abde", x, kernel)
            loss = tf.reduce_sum(y * y)
        return y, tape.gradient(loss, kernel)

    y, grad = project(tf.constant(x), tf.constant(kernel))
    expected = np.einsum("abc,cde->abde", x, kernel)
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(
        grad.numpy(), np.einsum("abc,abde->cde", x, 2 * expected), rtol=1e-12
    )


@pytest.mark.parametrize(
    "equation,shapes",
    [
        ("...ij,...jk->...ik", [(2, 3, 4), (2, 4, 5)]),  # ellipsis
        ("ijk,jl->il", [(2, 3, 4), (3, 5)]),  # k summed out of one operand
        ("iij,jk->ik", [(3, 3, 4), (4, 2)]),  # repeated label (a diagonal)
        ("ij,jk", [(2, 3), (3, 4)]),  # implicit output
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),  # three operands
    ],
)
def test_einsum_outside_matmul_form_keeps_tf_einsum(equation, shapes):
    rng = np.random.default_rng(2)
    operands = [rng.normal(size=s).astype("float32") for s in shapes]
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.einsum(equation, *operands)),
        np.einsum(equation, *operands),
        rtol=1e-5,
        atol=1e-5,
    )


def _np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 0, 1, (0, 2)])
def test_softmax_and_log_softmax_on_one_axis_use_the_fused_kernels(axis):
    x = np.random.default_rng(3).normal(size=(3, 4, 5)) * 4
    x[0, 0, :2] = -np.inf  # masked logits
    expected = _np_softmax(x, axis)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.softmax(x.astype("float32"), axis)), expected, rtol=1e-5, atol=1e-7
    )
    shifted = x - x.max(axis=axis, keepdims=True)
    log_expected = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.log_softmax(x, axis)), log_expected, rtol=1e-12
    )
    types = _op_types(
        lambda v: (ops.softmax(v, axis), ops.log_softmax(v, axis)), tf.constant(x, tf.float32)
    )
    assert ({"Softmax", "LogSoftmax"} <= types) == isinstance(axis, int), types


def test_sparse_categorical_crossentropy_from_logits_fused_with_out_of_range_labels():
    rng = np.random.default_rng(4)
    logits = rng.normal(size=(6, 4)).astype("float32")
    labels = np.array([0, 3, 2, -1, 4, 1], "int32")  # -1 and 4 are outside [0, 4)
    log_p = np.log(_np_softmax(logits.astype("float64"), -1))
    valid = (labels >= 0) & (labels < 4)
    expected = np.where(valid, -log_p[np.arange(6), np.clip(labels, 0, 3)], 0.0)
    hot = np.eye(4)[np.clip(labels, 0, 3)] * valid[:, None]
    expected_grad = (np.exp(log_p) - hot) * valid[:, None]  # no gradient where out of range

    @tf.function
    def loss_and_grad(logits):
        with tf.GradientTape() as tape:
            tape.watch(logits)
            loss = ops.sparse_categorical_crossentropy(labels, logits, from_logits=True)
        return loss, tape.gradient(loss, logits)

    loss, grad = loss_and_grad(tf.constant(logits))
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad.numpy(), expected_grad, rtol=1e-5, atol=1e-6)
    assert "SparseSoftmaxCrossEntropyWithLogits" in _op_types(
        lambda v: ops.sparse_categorical_crossentropy(labels, v, from_logits=True),
        tf.constant(logits),
    )
    # The class axis first is the one-hot formula's (no fused kernel for it).
    np.testing.assert_allclose(
        ops.convert_to_numpy(
            ops.sparse_categorical_crossentropy(
                labels[valid], logits[valid].T, from_logits=True, axis=0
            )
        ),
        expected[valid],
        rtol=1e-5,
    )


def test_dot_product_attention_runs_as_batched_matmuls():
    rng = np.random.default_rng(5)
    q, k, v = (rng.normal(size=(2, s, 4, 8)).astype("float32") for s in (3, 5, 5))
    logits = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(8)
    expected = np.einsum("bnts,bsnh->btnh", _np_softmax(logits, -1), v)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.dot_product_attention(q, k, v)), expected, rtol=1e-5, atol=1e-6
    )
    types = _op_types(lambda *t: ops.dot_product_attention(*t), *map(tf.constant, (q, k, v)))
    assert "Einsum" not in types and "SelectV2" not in types, types
    assert {"BatchMatMulV2", "Softmax"} <= types, types


def test_relu_gradient_is_zero_at_zero_and_nan_propagates():
    x = tf.constant([-1.0, 0.0, 2.0, np.nan])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = ops.relu(x)
        total = tf.reduce_sum(y[:3])
    np.testing.assert_array_equal(y.numpy(), [0.0, 0.0, 2.0, np.nan])
    np.testing.assert_array_equal(tape.gradient(total, x).numpy(), [0.0, 0.0, 1.0, 0.0])
    np.testing.assert_array_equal(
        ops.convert_to_numpy(ops.relu(np.array([-2, 3], "int32"))), [0, 3]
    )


def _np_adam_steps(w, grads, lr=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        m += (g - m) * (1 - beta_1)
        v += (g * g - v) * (1 - beta_2)
        w = w - lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (np.sqrt(v) + epsilon)
    return w


@pytest.mark.parametrize("dtypes", [("float32", "float32"), ("float32", "float16")])
def test_adam_in_tf_function_matches_numpy(dtypes):
    # One dtype: the fused ResourceApplyAdam kernel; mixed dtypes: the per-variable update.
    rng = np.random.default_rng(6)
    inits = [rng.normal(size=(3, 4)), rng.normal(size=(5,))]
    grads = [[rng.normal(size=w.shape) for w in inits] for _ in range(3)]
    variables = [unikeras.Variable(w.astype(d)) for w, d in zip(inits, dtypes)]
    optimizer = unikeras.optimizers.Adam(learning_rate=0.01)
    optimizer.build(variables)
    step = tf.function(lambda gs: optimizer.apply(gs, variables))
    for gs in grads:
        step([tf.constant(g.astype(d)) for g, d in zip(gs, dtypes)])
    for i, (w, d) in enumerate(zip(inits, dtypes)):
        expected = _np_adam_steps(w, [gs[i] for gs in grads])
        np.testing.assert_allclose(
            ops.convert_to_numpy(variables[i]).astype("float64"),
            expected,
            rtol=2e-3 if d == "float16" else 1e-5,
            atol=2e-3 if d == "float16" else 1e-6,
        )
    assert int(optimizer.iterations) == 3
    fused = "ResourceApplyAdam" in _op_types(
        lambda gs: optimizer.apply(gs, variables),
        [tf.constant(g.astype(d)) for g, d in zip(grads[0], dtypes)],
    )
    assert fused == (dtypes[0] == dtypes[1])


def test_lstm_fits_alike_eagerly_in_graphs_and_with_xla():
    # Eagerly the fused BlockLSTM kernel; in graphs the generic tf.while_loop (XLA has no
    # BlockLSTM kernel, and its loop needs a known trip count to compile the gradient).
    rng = np.random.default_rng(7)
    x, y = rng.random((8, 5, 3)).astype("float32"), rng.random((8, 2)).astype("float32")

    def trained(**compile_options):
        unikeras.utils.set_random_seed(0)
        model = unikeras.Sequential([unikeras.Input((5, 3)), layers.LSTM(4), layers.Dense(2)])
        model.compile(optimizer="sgd", loss="mse", **compile_options)
        model.fit(x, y, batch_size=8, epochs=2, verbose=0)
        return model.get_weights()

    eager = trained(run_eagerly=True)
    for options in ({}, {"jit_compile": True}):
        for traced, expected in zip(trained(**options), eager):
            np.testing.assert_allclose(traced, expected, rtol=1e-5, atol=1e-6)
    layer = layers.LSTM(4)
    assert not {"BlockLSTM", "BlockLSTMV2"} & _op_types(layer, tf.constant(x))


def test_loss_scale_update_is_a_branch_in_a_tf_function():
    """Inside a `tf.function`, `LossScaleOptimizer` runs the inner update in a `tf.cond`
    branch (hook `conditional_update`) instead of computing it and where-selecting every
    variable: skipped on non-finite gradients, applied on finite ones."""
    w = unikeras.Variable(np.array([1.0, 2.0], "float32"))
    optimizer = unikeras.optimizers.LossScaleOptimizer(
        unikeras.optimizers.SGD(learning_rate=0.5), initial_scale=4.0
    )
    optimizer.build([w])

    @tf.function
    def step(grad):
        optimizer.apply([grad], [w])

    graph = step.get_concrete_function(tf.TensorSpec([2], tf.float32)).graph
    assert {op.type for op in graph.get_operations()} & {"If", "StatelessIf"}
    step(tf.constant([np.nan, 1.0]))
    np.testing.assert_array_equal(w.numpy(), [1.0, 2.0])
    assert float(optimizer.dynamic_scale.numpy()) == 2.0
    assert int(optimizer.iterations.numpy()) == 0
    step(tf.constant([4.0, 8.0]))  # unscaled by 2: [2, 4]
    np.testing.assert_array_equal(w.numpy(), [0.0, 0.0])
    assert int(optimizer.iterations.numpy()) == 1
