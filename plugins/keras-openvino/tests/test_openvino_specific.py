"""Checks specific to the OpenVINO backend plugin (`unikeras-openvino`); skipped on other backends."""

import numpy as np
import pytest

import unikeras
from unikeras import layers, ops
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    registry.backend() != "openvino",
    reason="needs UNIKERAS_BACKEND=openvino (unikeras-openvino installed)",
)

if registry.backend() == "openvino":
    from unikeras_openvino import export_openvino
    from unikeras_openvino.graph import COMPILE_STATS, OpenVINOTensor


def _mlp():
    inputs = unikeras.Input((4,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    return unikeras.Model(inputs, layers.Dense(3, activation="softmax")(hidden))


def _reference(model, x):
    out = x
    for layer in model.layers[1:]:
        out = ops.convert_to_numpy(layer(out))
    return out


def test_backend_info_is_inference_only_with_exact_precision():
    info = registry.table.backend_info()
    assert info["name"] == "openvino" and info["training"] is False
    assert info["precision"] == "float32" and info["device"] == "CPU"


def test_eager_ops_compute_values():
    x = ops.convert_to_tensor(np.arange(6, dtype="float32").reshape(2, 3))
    assert isinstance(x, OpenVINOTensor)
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.matmul(x, ops.transpose(x))), [[5.0, 14.0], [14.0, 50.0]]
    )
    assert ops.dtype(ops.add(ops.ones((2,), "int32"), 1.5)) == "float32"


def test_predict_compiles_once_per_signature_with_dynamic_batch():
    model = _mlp()
    x = np.random.RandomState(0).rand(10, 4).astype("float32")
    before = COMPILE_STATS["compilations"]
    first = model.predict(x, batch_size=4, verbose=0)
    assert COMPILE_STATS["compilations"] == before + 1  # batches of 4 and 2 share one model
    model.predict(x, batch_size=5, verbose=0)
    assert COMPILE_STATS["compilations"] == before + 1
    np.testing.assert_allclose(first, _reference(model, x), rtol=1e-5, atol=1e-6)


def test_new_weights_are_served_and_compiled_in_once():
    # Weights are compiled in as constants: an assignment costs one recompilation at the
    # next predict, and a stale model is never served.
    model = _mlp()
    x = np.random.RandomState(1).rand(3, 4).astype("float32")
    model.predict(x, verbose=0)
    compiled = COMPILE_STATS["compilations"]
    model.predict(x, verbose=0)
    assert COMPILE_STATS["compilations"] == compiled
    model.set_weights([np.full(w.shape, 0.1, "float32") for w in model.get_weights()])
    after = model.predict(x, verbose=0)
    np.testing.assert_allclose(after, _reference(model, x), rtol=1e-5, atol=1e-6)
    model.layers[-1].bias.assign(np.array([5.0, 0.0, 0.0], "float32"))
    np.testing.assert_allclose(model.predict(x, verbose=0), _reference(model, x), rtol=1e-5)
    np.testing.assert_allclose(model.predict(x, verbose=0), _reference(model, x), rtol=1e-5)
    assert COMPILE_STATS["compilations"] == compiled + 2


def test_predict_after_load_weights_serves_the_loaded_model(tmp_path):
    source, target = _mlp(), _mlp()
    source.set_weights(
        [
            np.random.RandomState(i).normal(size=w.shape).astype("float32")
            for i, w in enumerate(source.get_weights())
        ]
    )
    source.save_weights(tmp_path / "source.weights.h5")
    x = np.random.RandomState(2).rand(5, 4).astype("float32")
    stale = target.predict(x, verbose=0)
    target.load_weights(tmp_path / "source.weights.h5")
    fresh = target.predict(x, verbose=0)
    np.testing.assert_allclose(fresh, source.predict(x, verbose=0), rtol=1e-6, atol=1e-7)
    assert not np.allclose(fresh, stale)


def test_cnn_predict_matches_layer_by_layer():
    inputs = unikeras.Input((8, 8, 3))
    h = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    h = layers.MaxPooling2D(2)(h)
    h = layers.GlobalAveragePooling2D()(h)
    model = unikeras.Model(inputs, layers.Dense(2)(h))
    x = np.random.RandomState(2).rand(5, 8, 8, 3).astype("float32")
    np.testing.assert_allclose(
        model.predict(x, verbose=0), _reference(model, x), rtol=1e-4, atol=1e-5
    )


def test_fit_names_a_training_backend():
    model = _mlp()
    model.compile(loss="mse")
    with pytest.raises((RuntimeError, ValueError), match="unikeras-jax|training backend"):
        model.fit(np.zeros((2, 4), "float32"), np.zeros((2, 3), "float32"), verbose=0)


# Runs in a child process: calls each named op of the dispatch table and reports one line
# per op, so that a crash (a signal) is pinned on the op that was running.
_CALL_EACH = """
import sys
from unikeras.backend import registry
for name, args in {calls!r}:
    print("start", name, flush=True)
    try:
        getattr(registry.table, name)(*args)
    except NotImplementedError as error:
        print("raised", name, repr(str(error)), flush=True)
    except Exception as error:
        print("other", name, type(error).__name__, flush=True)
    else:
        print("returned", name, flush=True)
"""


def _call_each_in_subprocesses(run_python, calls):
    """Calls `(op name, args)` pairs in fresh interpreters; returns `{name: outcome}`.

    Each outcome is `("raised", message)`, `("other", error type)`, `("returned",)` or
    `("crashed", returncode)`. After a crash the remaining calls run in a new process.
    """
    outcomes, remaining = {}, list(calls)
    while remaining:
        result = run_python(_CALL_EACH.format(calls=remaining), UNIKERAS_BACKEND="openvino")
        running = None
        for line in result.stdout.splitlines():
            kind, name, *rest = line.split(" ", 2)
            if kind == "start":
                running = name
            else:
                outcomes[name] = (kind,) + tuple(rest)
                running = None
        if result.returncode == 0:
            break
        assert running is not None, result.stderr[-2000:]
        outcomes[running] = ("crashed", result.returncode)
        done = [name for name, _ in remaining].index(running) + 1
        remaining = remaining[done:]
    return outcomes


def test_every_unclaimed_op_raises_not_implemented_without_crashing(run_python):
    from unikeras.info import coverage

    missing = coverage()["missing"]
    assert missing, "the plugin claims every op: nothing to check"
    outcomes = _call_each_in_subprocesses(run_python, [(name, ()) for name in missing])
    for name in missing:
        outcome = outcomes.get(name)
        assert outcome is not None and outcome[0] == "raised", (name, outcome)
        assert name in outcome[1] and "'openvino'" in outcome[1], (name, outcome)


def test_claimed_ops_reject_what_openvino_cannot_express_cleanly(run_python):
    calls = [
        ("ctc_decode", ([[[0.2, 0.8]]], [1], "beam_search")),
        ("get_item", ([1.0, 2.0], [True, False])),
    ]
    outcomes = _call_each_in_subprocesses(run_python, calls)
    for name, _ in calls:
        assert outcomes[name][0] == "raised", (name, outcomes[name])
        assert name in outcomes[name][1] and "'openvino'" in outcomes[name][1]


def test_lstm_and_gru_predict_and_export_through_openvino_loops(tmp_path):
    import openvino as ov

    inputs = unikeras.Input((6, 3))
    h = layers.LSTM(5, return_sequences=True)(inputs)
    h = layers.GRU(4, go_backwards=True)(h)
    model = unikeras.Model(inputs, layers.Dense(2)(h))
    x = np.random.RandomState(4).rand(3, 6, 3).astype("float32")
    eager = ops.convert_to_numpy(model(x))
    np.testing.assert_allclose(model.predict(x, verbose=0), eager, rtol=1e-5, atol=1e-6)
    # The recurrent layers' zero initial states need a static batch size: export batch 3.
    path = export_openvino(model, tmp_path / "rnn", [unikeras.KerasTensor((3, 6, 3))])
    ir = ov.Core().read_model(path)
    assert any(op.get_type_name() == "Loop" for op in ir.get_ops())
    compiled = ov.Core().compile_model(ir, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    np.testing.assert_allclose(compiled([x])[0], eager, rtol=1e-5, atol=1e-6)


def _numpy_scan(x):
    carry, ys = np.zeros(x.shape[1:], x.dtype), []
    for row in x:
        carry = carry * 0.5 + row
        ys.append(carry.sum())
    return carry, np.array(ys)


def test_control_flow_on_traced_values_builds_loop_and_if_nodes():
    x = np.random.RandomState(5).rand(4, 3).astype("float32")

    class Model(unikeras.Model):
        def call(self, inputs):
            carry, ys = ops.scan(
                lambda c, row: (c * 0.5 + row, ops.sum(c * 0.5 + row)),
                ops.zeros_like(inputs[0]),
                inputs,
            )
            doubled = ops.cond(ops.sum(carry) > 1.0, lambda: carry * 2.0, lambda: carry - 1.0)
            count = ops.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v + 1.0), (0, doubled))[
                1
            ]
            return count, ys

    carry, ys = _numpy_scan(x)
    expected = (carry * 2.0 if carry.sum() > 1.0 else carry - 1.0) + 3.0
    from unikeras_openvino.trainer import trace

    model, _, _ = trace(Model(), x, batch_dynamic=False)
    kinds = {op.get_type_name() for op in model.get_ops()}
    assert {"Loop", "If"} <= kinds
    out = Model()(x)
    np.testing.assert_allclose(ops.convert_to_numpy(out[0]), expected, rtol=1e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(out[1]), ys, rtol=1e-5)


def test_export_writes_openvino_ir(tmp_path):
    import openvino as ov

    model = _mlp()
    path = export_openvino(model, tmp_path / "mlp")
    assert path.endswith(".xml") and (tmp_path / "mlp.bin").exists()
    x = np.random.RandomState(3).rand(2, 4).astype("float32")
    compiled = ov.Core().compile_model(
        ov.Core().read_model(path), "CPU", {"INFERENCE_PRECISION_HINT": "f32"}
    )
    np.testing.assert_allclose(compiled([x])[0], model.predict(x, verbose=0), rtol=1e-5)


def test_random_ops_are_seeded_openvino_draws():
    from unikeras.backend import registry as reg

    table = reg.table
    seeds = [np.array([3, i], "uint32") for i in range(6)]
    scalars = [
        float(ops.convert_to_numpy(table.random_uniform((), 0.0, 1.0, "float32", s))) for s in seeds
    ]
    assert len(set(scalars)) == len(scalars)  # 0-d draws depend on the seed too
    normal = ops.convert_to_numpy(table.random_normal((4000,), 1.0, 2.0, "float32", seeds[0]))
    again = ops.convert_to_numpy(table.random_normal((4000,), 1.0, 2.0, "float32", seeds[0]))
    np.testing.assert_array_equal(normal, again)
    assert abs(normal.mean() - 1.0) < 0.15 and abs(normal.std() - 2.0) < 0.15
    gamma = ops.convert_to_numpy(table.random_gamma((4000,), 0.5, "float32", seeds[1]))
    assert gamma.min() >= 0 and abs(gamma.mean() - 0.5) < 0.08
    truncated = ops.convert_to_numpy(
        table.random_truncated_normal((4000,), 0.0, 1.0, "float32", seeds[2])
    )
    assert np.abs(truncated).max() <= 2.0 and abs(truncated.std() - 0.88) < 0.05
