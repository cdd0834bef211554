"""A layer's own weights come in the order the layer started tracking them, as Keras 3.15.1
orders them (`add_weight` and attribute assignment; a variable tracked again keeps its first
place, and a replaced attribute variable stays tracked). The expected orders are what Keras
3.15.1 gives for the same classes (checked side by side where Keras 3 is installed)."""

import copy

import numpy as np
import pytest

import unikeras
from unikeras.backend import table


def _classes(keras):
    class AssignedInOtherOrder(keras.layers.Layer):
        def build(self, shape):
            k = self.add_weight(shape=(1,), name="k")
            b = self.add_weight(shape=(2,), name="b")
            self.b = b
            self.k = k

    class Reassigned(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.a = keras.Variable(1.0, name="a")
            self.b = keras.Variable(1.0, name="b")
            self.a = self.a
            self.c = keras.Variable(1.0, name="c")
            self.b = keras.Variable(1.0, name="b2")

        def build(self, shape):
            self.w = self.add_weight(shape=(1,), name="w", trainable=False)
            self.v = self.add_weight(shape=(1,), name="v")

    return {"AssignedInOtherOrder": AssignedInOtherOrder, "Reassigned": Reassigned}


EXPECTED = {  # Keras 3.15.1 (jax, torch and tensorflow alike)
    "AssignedInOtherOrder": ["k", "b"],
    "Reassigned": ["a", "b", "c", "b2", "v", "w"],
}


def _names(layer):
    layer.build((1,))
    return [v.name for v in layer.weights]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_own_weights_keep_their_first_tracking_place(name):
    layer = _classes(unikeras)[name]()
    assert _names(layer) == EXPECTED[name]
    # A deep copy (clone_model, copy.deepcopy) keeps the order with its own variables.
    clone = copy.deepcopy(layer)
    assert [v.name for v in clone.weights] == EXPECTED[name]
    assert all(c is not v for c, v in zip(clone.weights, layer.weights))
    values = [
        np.arange(np.prod(v.shape), dtype="float32").reshape(v.shape) + i
        for i, v in enumerate(layer.weights)
    ]
    layer.set_weights(values)
    for got, want in zip(layer.get_weights(), values):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_order_matches_keras_3(name):
    keras = pytest.importorskip("keras")
    if keras.__version__ != "3.15.1":
        pytest.skip(f"compared with Keras 3.15.1, found {keras.__version__}")
    assert _names(_classes(keras)[name]()) == EXPECTED[name]


def test_variable_appended_directly_stays_after_its_predecessor():
    # An engine's wrapper (TorchModuleWrapper) appends its variables to `_own_variables`
    # without `add_weight`: they keep their place among the layer's own variables.
    class Wrapper(unikeras.layers.Layer):
        def build(self, shape):
            self.first = self.add_weight(shape=(1,), name="first")
            self._own_variables.append(unikeras.Variable(np.zeros(2), name="direct"))
            self.last = self.add_weight(shape=(3,), name="last")

    layer = Wrapper()
    assert _names(layer) == ["first", "direct", "last"]


def test_containers_filled_after_assignment_are_tracked():
    # `self.blocks = []` then `append`: Keras 3's tracked containers give the layer those
    # sublayers and variables (their weights train and save); paths as Keras 3.15.1 gives.
    keras = unikeras

    class Stack(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.blocks = []
            for i in range(2):
                self.blocks.append(keras.layers.Dense(3, name=f"block{i}"))
            self.heads = {}
            self.heads["out"] = keras.layers.Dense(1, name="out")
            self.scales = []

        def build(self, shape):
            self.scales.append(self.add_weight(shape=(1,), initializer="ones", name="s"))

        def call(self, x):
            self.seen = []  # re-assigned at every call: not tracked again and again
            for block in self.blocks:
                x = block(x)
            return self.heads["out"](x) * self.scales[0]

    model = keras.Sequential([keras.Input((4,)), Stack(name="stack")], name="seq")
    assert [w.path for w in model.weights] == [
        f"seq/stack/{name}"
        for name in ["s", "block0/kernel", "block0/bias", "block1/kernel", "block1/bias"]
        + ["out/kernel", "out/bias"]
    ]
    stack = model.layers[0]
    assert [layer.name for layer in stack.layers] == ["block0", "block1", "out"]
    tracked = len(stack._tracked)
    x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    stack(x)
    stack(x)
    assert len(stack._tracked) == tracked
    if not table.backend_info()["training"]:
        return  # an inference-only backend: the weights are listed, nothing trains
    before = model.get_weights()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    assert all(not np.array_equal(b, a) for b, a in zip(before, model.get_weights()))


def _late_append_class(keras):
    class LateAppends(keras.layers.Layer):
        def __init__(self):
            super().__init__(name="late")
            self.blocks = []
            self.first = keras.layers.Dense(2, name="first")
            self.table = {}
            self.last = keras.layers.Dense(2, name="last")

        def build(self, shape):
            self.blocks.append(keras.layers.Dense(3, name="b0"))
            self.table["t"] = keras.layers.Dense(3, name="t0")
            self.own = self.add_weight(shape=(1,), name="own")
            self.blocks.append(keras.layers.Dense(3, name="b1"))
            self.later = keras.layers.Dense(2, name="later")
            for layer in [self.first, self.last, self.later, *self.blocks, self.table["t"]]:
                layer.build(shape)

        def call(self, x):
            return x

    return LateAppends


# Keras 3.15.1 (jax): a sublayer appended to a list/dict assigned earlier takes its place when
# it is appended, after the attributes set before then, not the list's place.
LATE_APPEND_ORDER = ["own"] + [
    f"{layer}/{weight}"
    for layer in ("first", "last", "b0", "t0", "b1", "later")
    for weight in ("kernel", "bias")
]


def _late_paths(layer):
    layer.build((None, 4))
    return [w.path.split("/", 1)[1] for w in layer.weights]


def test_late_appended_sublayers_take_their_tracking_place():
    layer = _late_append_class(unikeras)()
    assert _late_paths(layer) == LATE_APPEND_ORDER
    assert [sub.name for sub in layer.layers] == ["first", "last", "b0", "t0", "b1", "later"]
    clone = copy.deepcopy(layer)
    assert [w.path.split("/", 1)[1] for w in clone.weights] == LATE_APPEND_ORDER
    layer.blocks.pop()  # removed from its list: no longer a sublayer
    assert [sub.name for sub in layer.layers] == ["first", "last", "b0", "t0", "later"]


def test_late_append_order_matches_keras_3():
    keras = pytest.importorskip("keras")
    if keras.__version__ != "3.15.1":
        pytest.skip(f"compared with Keras 3.15.1, found {keras.__version__}")
    assert _late_paths(_late_append_class(keras)()) == LATE_APPEND_ORDER
