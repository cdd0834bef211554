"""`Variable.path` of variables created in nested layers includes the enclosing layers' names
as in Keras 3.15.1 (LayoutMap regexes, LoRA and quantization tooling match on paths): a
subclassed layer holding a Dense, a subclassed Model, Sequential (with or without an Input,
grown by `add`), Functional (no prefix: its layers are built before the model exists) and
MultiHeadAttention's inner EinsumDense layers.
"""

import os

import numpy as np
import pytest

import unikeras

_ENGINE = unikeras.backend.backend()


def _paths(keras):
    """{case: [variable paths]} built with `keras` (unikeras or Keras 3)."""

    class Outer(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = keras.layers.Dense(2, name="inner")

        def build(self, shape):
            self.inner.build(shape)

        def call(self, x):
            return self.inner(x)

    class Lazy(keras.layers.Layer):  # no build: the first call builds the Dense
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = keras.layers.Dense(2, name="inner")

        def call(self, x):
            return self.inner(x)

    class Sub(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(2, name="dd")

        def call(self, x):
            return self.d(x)

    x = np.zeros((1, 3), "float32")
    out = {}
    layer = Outer(name="outer")
    layer(x)
    out["subclassed"] = layer
    layer = Outer(name="outer_built")
    layer.build((1, 3))
    out["subclassed_build"] = layer
    layer = Lazy(name="lazy")
    layer(x)
    out["lazy"] = layer
    model = Sub(name="sub")
    model(x)
    out["model_subclass"] = model
    inputs = keras.Input((3,))
    out["functional"] = keras.Model(
        inputs, Outer(name="o5")(keras.layers.Dense(3, name="d1")(inputs)), name="func"
    )
    out["sequential"] = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, name="d2"), Outer(name="o3")], name="seq"
    )
    model = keras.Sequential([keras.layers.Dense(2, name="d3")], name="seq3")
    model(x)
    out["sequential_no_input"] = model
    model = keras.Sequential(name="seq4")
    model.add(keras.Input((3,)))
    model.add(keras.layers.Dense(2, name="d4"))
    model.add(keras.layers.Dense(1, name="d5"))
    out["sequential_add"] = model
    mha = keras.layers.MultiHeadAttention(2, 4, name="mha")
    q = np.zeros((1, 2, 4), "float32")
    mha(q, q)
    out["mha"] = mha
    return {name: [v.path for v in obj.weights] for name, obj in out.items()}


def _dense(prefix):
    return [f"{prefix}/kernel", f"{prefix}/bias"]


EXPECTED = {
    "subclassed": _dense("outer/inner"),
    "subclassed_build": _dense("outer_built/inner"),
    "lazy": _dense("lazy/inner"),
    "model_subclass": _dense("sub/dd"),
    "functional": _dense("d1") + _dense("o5/inner"),
    "sequential": _dense("seq/d2") + _dense("seq/o3/inner"),
    "sequential_no_input": _dense("seq3/d3"),
    "sequential_add": _dense("seq4/d4") + _dense("seq4/d5"),
    "mha": [
        f"mha/{part}/{w}"
        for part in ("query", "key", "value", "attention_output")
        for w in ("kernel", "bias")
    ],
}


def test_paths_include_the_enclosing_layers():
    assert _paths(unikeras) == EXPECTED


def test_paths_equal_keras3s():
    os.environ.setdefault(
        "KERAS_BACKEND", _ENGINE if _ENGINE in ("jax", "torch", "tensorflow") else "jax"
    )
    keras3 = pytest.importorskip(
        "keras", reason="Keras 3 is not installed here (the tox `jax` env installs it)"
    )
    assert _paths(keras3) == EXPECTED
