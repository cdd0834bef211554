"""The calls a program makes at every step leave no reference cycle behind: an output caught
in one (a torch output holds its autograd graph, with every activation saved for backward)
stays in memory until Python's cyclic collector runs, so repeated `model(x)` calls on torch
grew the process by the activations of each call (a self-referencing closure in
`pack_sequence_as`)."""

import gc

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table
from unikeras.backend import tree as backend_tree

TRAINS = table.backend_info()["training"]

X = np.random.default_rng(0).random((8, 6, 6, 1), dtype=np.float32)
Y = np.arange(8) % 3


def _models():
    keras.utils.set_random_seed(0)
    sequential = keras.Sequential(
        [
            keras.Input((6, 6, 1)),
            layers.Conv2D(2, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.1),
            layers.Dense(3, activation="softmax"),
        ]
    )
    sequential.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    inputs = keras.Input((6, 6, 1))
    hidden = layers.Dense(2)(layers.Flatten()(inputs))
    functional = keras.Model(inputs, {"a": hidden, "b": layers.Dense(3)(hidden)})
    functional.compile("sgd", {"a": "mse", "b": "sparse_categorical_crossentropy"})
    return sequential, functional


def _cycles_per_call(fn, calls=3):
    for _ in range(2):  # warm up: plans, compiled functions, metric variables
        fn()
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(calls):
            fn()
        return gc.collect()
    finally:
        if enabled:
            gc.enable()


STEPS = {
    "call": lambda s, f: s(X),
    "call training": lambda s, f: s(X, training=True),
    "functional dict call": lambda s, f: f(X),
    "predict_on_batch": lambda s, f: s.predict_on_batch(X),
    "predict": lambda s, f: s.predict(X, verbose=0),
    "evaluate": lambda s, f: s.evaluate(X, Y, verbose=0),
    "test_on_batch": lambda s, f: f.test_on_batch(X, {"a": np.ones((8, 2)), "b": Y}),
}
TRAINING_STEPS = {
    "train_on_batch": lambda s, f: s.train_on_batch(X, Y),
    "functional dict train_on_batch": lambda s, f: f.train_on_batch(
        X, {"a": np.ones((8, 2)), "b": Y}
    ),
    "fit": lambda s, f: s.fit(X, Y, batch_size=4, epochs=1, verbose=0),
}


@pytest.mark.parametrize("step", sorted(STEPS) + sorted(TRAINING_STEPS))
def test_repeated_steps_leave_no_reference_cycle(step):
    if step in TRAINING_STEPS and not TRAINS:
        pytest.skip("inference-only backend: training raises by design")
    sequential, functional = _models()
    fn = {**STEPS, **TRAINING_STEPS}[step]
    assert _cycles_per_call(lambda: fn(sequential, functional)) == 0


def test_pack_sequence_as_keeps_no_cycle_and_checks_counts():
    gc.collect()
    value = np.ones(3)
    packed = backend_tree.pack_sequence_as({"b": [0, (0,)], "a": 0}, [1, value, 3])
    assert list(packed) == ["b", "a"] and packed["a"] == 1 and packed["b"][1] == (3,)
    assert packed["b"][0] is value
    assert gc.collect() == 0
    with pytest.raises(ValueError, match="structure has 3 leaves but 2 values given"):
        backend_tree.pack_sequence_as({"b": [0, (0,)], "a": 0}, [1, 2])
    with pytest.raises(ValueError, match="structure has 3 leaves but 4 values given"):
        backend_tree.pack_sequence_as({"b": [0, (0,)], "a": 0}, [1, 2, 3, 4])
