"""The serving path: `predict_on_batch`, `model(x)` and one-batch `predict` reuse one compiled
predict function per input signature, give the values of the ordinary path and never serve
stale weights.

Every test runs on the active backend and checks against NumPy computations of the same
network from `model.get_weights()`.
"""

import functools

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend.registry import table
from unikeras.layers import layer as layer_module

TRAINS = table.backend_info()["training"]


def _mlp():
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, activation="relu"),
            keras.layers.Dense(3),
        ]
    )
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    return model


def _reference(weights, x):
    k1, b1, k2, b2 = [np.asarray(w, np.float64) for w in weights]
    return np.maximum(x @ k1 + b1, 0.0) @ k2 + b2


def _paths(model, x):
    """The outputs of every inference path on `x`, by name."""
    return {
        "predict_on_batch": model.predict_on_batch(x),
        "model(x)": np.asarray(keras.ops.convert_to_numpy(model(x))),
        "model(x, training=False)": keras.ops.convert_to_numpy(model(x, training=False)),
        "predict one batch": model.predict(x, verbose=0),
        "predict in batches": model.predict(x, batch_size=2, verbose=0),
    }


def _assert_paths_match(model, x):
    expected = _reference(model.get_weights(), x)
    for name, value in _paths(model, x).items():
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-5, err_msg=name)


def test_every_inference_path_gives_the_reference_values():
    model = _mlp()
    x = np.random.default_rng(1).random((4, 6), dtype=np.float32)
    _assert_paths_match(model, x)
    # `model(x)` returns the backend's tensors, `predict*` NumPy arrays.
    assert table.is_tensor(model(x))
    assert isinstance(model.predict(x, verbose=0), np.ndarray)


def test_read_only_inputs():
    # e.g. arrays from np.broadcast_to or tf.numpy_function (keras.io's FeatureSpace model):
    # OpenVINO shared the input's buffer and refused a read-only one.
    model = _mlp()
    x = np.random.default_rng(2).random((4, 6), dtype=np.float32)
    x.flags.writeable = False
    _assert_paths_match(model, x)


def test_multi_input_dict_model_on_one_batch():
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    dense = keras.layers.Dense(2)
    out = dense(keras.layers.Concatenate()([a, b]))
    model = keras.Model({"a": a, "b": b}, out)
    rng = np.random.default_rng(2)
    data = {"a": rng.random((3, 3), dtype=np.float32), "b": rng.random((3, 2), dtype=np.float32)}
    kernel, bias = model.get_weights()
    expected = np.concatenate([data["a"], data["b"]], axis=1) @ kernel + bias
    for value in (
        model.predict_on_batch(data),
        model.predict(data, verbose=0),
        keras.ops.convert_to_numpy(model(data)),
    ):
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6)


def test_changed_weights_are_seen_by_the_cached_function():
    model = _mlp()
    x = np.random.default_rng(3).random((2, 6), dtype=np.float32)
    _assert_paths_match(model, x)  # the cached functions exist now
    rng = np.random.default_rng(4)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    _assert_paths_match(model, x)
    model.layers[1].bias.assign(np.full((3,), 7.0, np.float32))
    _assert_paths_match(model, x)
    assert np.allclose(model.get_weights()[3], 7.0)


@pytest.mark.skipif(not TRAINS, reason="inference-only backend: no training step")
def test_a_training_step_is_seen_by_the_cached_function():
    model = _mlp()
    x = np.random.default_rng(5).random((4, 6), dtype=np.float32)
    before = model.predict_on_batch(x)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    model.train_on_batch(x, np.ones((4, 3), np.float32))
    after = model.predict_on_batch(x)
    assert not np.allclose(before, after)
    _assert_paths_match(model, x)


def _count_dense_calls(monkeypatch):
    calls = []
    original = keras.layers.Dense.call

    @functools.wraps(original)  # the call signature `Layer.__call__` reads stays Dense's
    def counting(self, *args, **kwargs):
        calls.append(self.name)
        return original(self, *args, **kwargs)

    # The per-class call-signature cache is restored afterwards, so no signature computed
    # while patched outlives the test.
    monkeypatch.setattr(layer_module, "_CALL_SIGNATURES", dict(layer_module._CALL_SIGNATURES))
    monkeypatch.setattr(keras.layers.Dense, "call", counting)
    return calls


def test_traces_once_per_input_signature(monkeypatch):
    model = _mlp()
    compiled = type(model)._serves_calls
    x = np.random.default_rng(6).random((2, 6), dtype=np.float32)
    calls = _count_dense_calls(monkeypatch)
    model.predict_on_batch(x)
    first = len(calls)
    assert first == 2  # one trace (or, eagerly, one run) of each Dense layer
    for _ in range(3):
        model.predict_on_batch(x)
        model(x)
        model.predict(x, verbose=0)
    if compiled:
        # The three paths share the function traced for this signature.
        assert len(calls) == first, calls
    else:  # eager backend (torch, numpy): each call runs each layer once
        assert len(calls) == first + 9 * 2, calls
    # A new batch size is traced at most once more (OpenVINO's batch dimension is dynamic).
    y = np.random.default_rng(7).random((3, 6), dtype=np.float32)
    before = len(calls)
    for _ in range(3):
        np.testing.assert_allclose(
            model.predict_on_batch(y), _reference(model.get_weights(), y), rtol=1e-5, atol=1e-5
        )
    assert len(calls) - before <= (2 if compiled else 6)


def test_calls_that_are_not_served_run_the_layers():
    """Symbolic calls, calls inside another model and `training=True` run the ordinary call."""
    inner = _mlp()
    x = np.random.default_rng(8).random((2, 6), dtype=np.float32)
    symbolic = inner(keras.Input((6,)))
    assert tuple(symbolic.shape) == (None, 3)
    outer = keras.Sequential([keras.Input((6,)), inner, keras.layers.Dense(1)])
    expected = _reference(inner.get_weights(), x) @ outer.get_weights()[-2]
    expected = expected + outer.get_weights()[-1]
    np.testing.assert_allclose(outer.predict_on_batch(x), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(outer(x)), expected, rtol=1e-5, atol=1e-5)
    dropout = keras.Sequential([keras.Input((64,)), keras.layers.Dropout(0.5)])
    ones = np.ones((2, 64), np.float32)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(dropout(ones)), ones)
    if TRAINS:
        dropped = keras.ops.convert_to_numpy(dropout(ones, training=True))
        assert (dropped == 0).any() and set(np.unique(dropped)) <= {0.0, 2.0}


def test_sequential_add_after_predict_serves_the_new_stack():
    model = _mlp()
    x = np.random.default_rng(9).random((2, 6), dtype=np.float32)
    model.predict_on_batch(x)
    model.add(keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros"))
    expected = _reference(model.get_weights()[:4], x).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict_on_batch(x), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), expected, rtol=1e-5, atol=1e-5)


def test_merge_layers_are_served_and_output_masks_are_kept(monkeypatch):
    """A residual graph (Add, Multiply: layers that merge masks when there are any) takes the
    serving path; a graph whose output carries a mask runs the ordinary call, which keeps it."""
    inputs = keras.Input((6,))
    h = keras.layers.Dense(6, activation="relu")(inputs)
    outputs = keras.layers.Add()([inputs, keras.layers.Multiply()([h, inputs])])
    model = keras.Model(inputs, keras.layers.Dense(2)(outputs))
    x = np.random.default_rng(10).random((3, 6), dtype=np.float32)
    k1, b1, k2, b2 = model.get_weights()
    expected = (x + np.maximum(x @ k1 + b1, 0.0) * x) @ k2 + b2
    calls = _count_dense_calls(monkeypatch)
    model.predict_on_batch(x)
    first = len(calls)
    for _ in range(2):
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(model(x)), expected, rtol=1e-5, atol=1e-5
        )
    assert len(calls) == first if type(model)._serves_calls else first + 4, calls

    tokens = keras.Input((4,), dtype="int32")
    masked = keras.Model(tokens, keras.layers.Embedding(5, 2, mask_zero=True)(tokens))
    ids = np.array([[1, 2, 0, 0]], np.int32)
    out = masked(ids)
    try:
        keras.ops.zeros((1,))._keras_mask = None
    except AttributeError:
        return  # this backend's eager tensors (NumPy arrays) carry no mask, as in Keras 3
    mask = keras.ops.convert_to_numpy(out._keras_mask)
    np.testing.assert_array_equal(mask, [[True, True, False, False]])


def test_graph_models_are_served_and_subclasses_overriding_call_are_not(monkeypatch):
    """Functional and Sequential models take the serving path (where the backend serves
    calls); a Functional subclass that overrides `call` runs its own `call`, every time."""

    class Doubled(keras.Model):
        def call(self, inputs, training=None, mask=None):
            return super().call(inputs, training=training, mask=mask) * 2.0

    x = np.random.default_rng(11).random((2, 6), dtype=np.float32)
    sequential = _mlp()
    inputs = keras.Input((6,))
    functional = keras.Model(inputs, sequential(inputs))
    inputs = keras.Input((6,))
    doubled = Doubled(inputs, sequential(inputs))
    assert type(functional).__name__ == "Functional"
    assert "call" in type(doubled).__dict__ and "Functional" in str(type(doubled).__mro__)
    served = type(sequential)._serves_calls
    assert sequential._servable() and functional._servable()
    assert not doubled._servable()
    expected = _reference(sequential.get_weights(), x)
    calls = _count_dense_calls(monkeypatch)
    for model, factor in ((sequential, 1.0), (functional, 1.0), (doubled, 2.0)):
        for _ in range(2):
            np.testing.assert_allclose(
                keras.ops.convert_to_numpy(model(x)), expected * factor, rtol=1e-5, atol=1e-5
            )
        ran = len(calls)
        del calls[:]
        # A served call runs no layer after the first trace; an eager call runs both Dense.
        assert ran == (2 if served and model is not doubled else 4), (model.name, ran)


def _mixed_mlp(policy):
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, activation="relu", dtype=policy),
            keras.layers.Dense(3, dtype=policy),
        ]
    )
    rng = np.random.default_rng(12)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    assert [w.dtype for w in model.get_weights()] == [np.float32] * 4
    return model


def test_mixed_float16_model_is_served_in_its_compute_dtype():
    """Every inference path of a mixed_float16 model (float32 weights read as float16) gives
    the NumPy values at float16 precision, in float16."""
    model = _mixed_mlp("mixed_float16")
    assert model._servable()
    x = np.random.default_rng(13).random((4, 6), dtype=np.float32)
    expected = _reference(model.get_weights(), x)
    for name, value in _paths(model, x).items():
        assert keras.backend.standardize_dtype(value.dtype) == "float16", name
        np.testing.assert_allclose(
            np.asarray(value, np.float32), expected, rtol=1e-2, atol=1e-2, err_msg=name
        )
