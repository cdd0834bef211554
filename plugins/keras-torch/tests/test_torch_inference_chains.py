"""The torch `fuse_inference_layers` hook (issue 19): runs of channels-last convolutions,
max poolings and elementwise activations in a graph model's inference plan move the channels
axis once in and once out, and give the layers' own outputs bit for bit."""

import numpy as np
import pytest
import torch

import unikeras as keras
from unikeras.models import functional as functional_module

pytestmark = pytest.mark.skipif(keras.backend.backend() != "torch", reason="torch plugin tests")


def _seeded(model):
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype(w.dtype) for w in model.get_weights()])
    return model


def _model(inputs, *layers):
    x = inputs
    for layer in layers:
        x = layer(x)
    return _seeded(keras.Model(inputs, x))


def _general(model, x):
    out = model._run(x, lambda op, args, kwargs: op(*args, **kwargs))
    return out.detach().numpy()


def _plan_kinds(model):
    return [type(step[0]).__name__ for step in model.__dict__["_inference_plan"]]


def _count_movedims(monkeypatch):
    calls = []
    original = torch.movedim

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(torch, "movedim", spy)
    return calls


L = keras.layers


@pytest.mark.parametrize(
    "shape, layers",
    [
        (
            (12, 12, 2),
            lambda: [
                L.Conv2D(4, 3, activation="relu"),
                L.MaxPooling2D(2),
                L.Conv2D(3, 2, strides=2, activation="relu6"),
                L.Activation("relu"),
            ],
        ),
        (
            (16, 3),
            lambda: [
                L.Conv1D(4, 3, activation="relu"),
                L.MaxPooling1D(2, strides=1),
                L.Conv1D(2, 3, padding="same", dilation_rate=2),
            ],
        ),
        ((6, 6, 6, 1), lambda: [L.Conv3D(2, 2, activation="linear"), L.MaxPooling3D(2)]),
    ],
    ids=["2d", "1d", "3d"],
)
def test_chain_is_fused_and_equals_the_layers_bit_for_bit(shape, layers, monkeypatch):
    model = _model(keras.Input(shape), *layers(), L.Flatten(), L.Dense(3))
    x = np.random.default_rng(1).standard_normal((2,) + shape).astype("float32")
    expected = _general(model, x)
    np.testing.assert_array_equal(model.predict_on_batch(x), expected)
    assert _plan_kinds(model)[0] == "_FusedLayers"
    movedims = _count_movedims(monkeypatch)
    np.testing.assert_array_equal(model.predict_on_batch(x), expected)
    np.testing.assert_array_equal(model(x).detach().numpy(), expected)
    assert len(movedims) == 4  # one in, one out per call
    # With gradients recorded, model(x) keeps them through the chain.
    tensor = torch.from_numpy(x).requires_grad_(True)
    out = model(tensor)
    out.sum().backward()
    assert tensor.grad is not None and tensor.grad.abs().sum() > 0


def test_layers_outside_the_rules_are_not_fused():
    inputs = keras.Input((10, 10, 2))

    class MyConv(L.Conv2D):
        pass

    cases = {
        "no bias": [L.Conv2D(3, 3, use_bias=False), L.MaxPooling2D(2)],
        "softmax": [L.Conv2D(3, 3, activation="softmax"), L.MaxPooling2D(2)],
        # (rounding-dependent elementwise activations: not fused, see nn._ELEMENTWISE_NAMES)
        "gelu": [L.Conv2D(3, 3, activation="gelu"), L.MaxPooling2D(2)],
        "tanh": [L.Conv2D(3, 3), L.Activation("tanh"), L.MaxPooling2D(2)],
        "subclass": [MyConv(3, 3), L.MaxPooling2D(2)],
        "channels_first": [
            L.Conv2D(3, 3, data_format="channels_first"),
            L.MaxPooling2D(2, data_format="channels_first"),
        ],
        "one layer": [L.Conv2D(3, 3), L.GlobalMaxPooling2D()],
    }
    x = np.random.default_rng(2).standard_normal((2, 10, 10, 2)).astype("float32")
    for name, layers in cases.items():
        first = name == "channels_first"
        model = _model(keras.Input((2, 10, 10)) if first else inputs, *layers)
        data = x.transpose(0, 3, 1, 2).copy() if first else x
        np.testing.assert_array_equal(model.predict_on_batch(data), _general(model, data), name)
        assert "_FusedLayers" not in _plan_kinds(model), name


def test_a_branch_point_ends_the_chain():
    inputs = keras.Input((10, 10, 2))
    a = L.Conv2D(3, 3, activation="relu")(inputs)
    b = L.MaxPooling2D(2)(a)
    c = L.Conv2D(3, 1)(b)
    side = L.GlobalMaxPooling2D()(a)  # reads the first conv's output too
    model = _seeded(keras.Model(inputs, [L.Flatten()(c), side]))
    x = np.random.default_rng(3).standard_normal((2, 10, 10, 2)).astype("float32")
    expected = model._run(x, lambda op, args, kwargs: op(*args, **kwargs))
    for got, want in zip(model.predict_on_batch(x), expected):
        np.testing.assert_array_equal(got, want.detach().numpy())
    plan = model.__dict__["_inference_plan"]
    fused = [step[0] for step in plan if type(step[0]).__name__ == "_FusedLayers"]
    # The first conv stays alone (its output has two readers); pool, conv and flatten fuse.
    members = [[type(member[0]).__name__ for member in f.members] for f in fused]
    assert members == [["MaxPooling2D", "Conv2D", "Flatten"]]


def test_plans_that_do_not_fit_fall_back_and_changes_are_seen():
    model = _model(
        keras.Input((9, 9, 2)),
        L.Conv2D(3, 3, strides=2, padding="same", activation="relu"),  # no engine plan
        L.MaxPooling2D(2, padding="same"),
        L.Flatten(),
    )
    x = np.random.default_rng(4).standard_normal((2, 9, 9, 2)).astype("float32")
    np.testing.assert_array_equal(model.predict_on_batch(x), _general(model, x))
    np.testing.assert_array_equal(model.predict_on_batch(x), _general(model, x))

    model = _model(keras.Input((9, 9, 2)), L.Conv2D(3, 3, activation="relu"), L.MaxPooling2D(2))
    model.predict_on_batch(x)
    model.layers[1].activation = keras.activations.linear
    np.testing.assert_array_equal(model.predict_on_batch(x), _general(model, x))
    assert (_general(model, x) < 0).any()  # the relu is gone
    model.set_weights([w + 1.0 for w in model.get_weights()])
    np.testing.assert_array_equal(model.predict_on_batch(x), _general(model, x))
    # another input shape is planned on its own
    x2 = np.random.default_rng(5).standard_normal((3, 9, 9, 2)).astype("float32")
    np.testing.assert_array_equal(model.predict_on_batch(x2), _general(model, x2))


def test_an_invalid_segment_from_the_hook_is_a_clear_error(monkeypatch):
    model = _model(keras.Input((9, 9, 2)), L.Conv2D(3, 3), L.MaxPooling2D(2))
    monkeypatch.setattr(
        functional_module, "optional_hook", lambda name: lambda layers: [(0, 5, None)]
    )
    with pytest.raises(ValueError, match=r"fuse_inference_layers returned the segment \(0, 5\)"):
        model(np.ones((1, 9, 9, 2), "float32"))


def test_dense_chains_are_fused_and_follow_lora_and_activation_changes():
    model = _model(
        keras.Input((6,)),
        L.Dense(5, activation="relu"),
        L.Activation("relu6"),
        L.Dense(4),
        L.Dense(3, activation="softmax"),  # not exact elementwise: ends the run
    )
    x = np.random.default_rng(6).standard_normal((2, 6)).astype("float32")
    np.testing.assert_array_equal(model.predict_on_batch(x), _general(model, x))
    assert _plan_kinds(model) == ["_FusedLayers", "Dense"]
    model.layers[3].enable_lora(2)
    model.layers[3].lora_kernel_b.assign(np.ones((2, 4), "float32"))
    np.testing.assert_array_equal(model.predict_on_batch(x), _general(model, x))
    model.layers[1].activation = keras.activations.linear
    np.testing.assert_array_equal(model.predict_on_batch(x), _general(model, x))
    # A Dense on a rank-3 input (F.linear, not addmm) runs the layers one by one.
    model = _model(keras.Input((3, 6)), L.Dense(5, activation="relu"), L.Dense(2))
    x3 = np.random.default_rng(7).standard_normal((2, 3, 6)).astype("float32")
    np.testing.assert_array_equal(model.predict_on_batch(x3), _general(model, x3))


def test_a_call_patched_after_planning_is_honoured(monkeypatch):
    model = _model(keras.Input((6,)), L.Dense(5, activation="relu"), L.Dense(3))
    x = np.ones((2, 6), "float32")
    plain = model.predict_on_batch(x)
    assert _plan_kinds(model) == ["_FusedLayers"]
    original = L.Dense.call
    monkeypatch.setattr(
        L.Dense, "call", lambda self, inputs, training=None: original(self, inputs) + 1.0
    )
    # (the first Dense adds 1 before the relu, the second adds 1 after its matmul)
    expected = _general(model, x)
    np.testing.assert_array_equal(model.predict_on_batch(x), expected)
    assert not np.array_equal(expected, plain)
    assert "_FusedLayers" not in _plan_kinds(model)
