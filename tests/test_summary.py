"""`model.summary()`: Keras 3's boxed layout, its arguments and its parameter totals.

The layout is compared with Keras 3.15.1's own output where Keras is installed (the jax env:
the same models built with both, every layer named so the texts must be identical); the
other tests check the table against independent computations on every backend.
"""

import math
import os
import re

import numpy as np
import pytest

import unikeras
from unikeras import layers
from unikeras.backend import table
from unikeras.models import summary as summary_module

TRAINS = bool(table.backend_info()["training"])


@pytest.fixture(autouse=True)
def _terminal_80_columns(monkeypatch):
    # Keras sizes and crops the table by the terminal: pin it for reproducible text.
    monkeypatch.setenv("COLUMNS", "80")


def _text(model, **kwargs):
    calls = []
    model.summary(print_fn=calls.append, **kwargs)
    assert len(calls) == 1 and calls[0].endswith("\n")  # one call with the whole text
    return calls[0]


# --- models built the same way with unikeras and with Keras 3 -------------------------------


def _nested(keras):
    # The op node below is named by the global name counter: start both libraries from zero.
    keras.backend.clear_session()
    inner = keras.Sequential(
        [
            keras.Input((4,), name="in_inner"),
            keras.layers.Dense(3, name="d_in"),
            keras.layers.Dropout(0.1, name="drop"),
        ],
        name="inner",
    )
    x = keras.Input((4,), name="x")
    y = inner(x)
    return keras.Model(x, [keras.ops.add(y, 1.0), y], name="outer")


def _chain(keras):
    L = keras.layers
    i = keras.Input((8, 8, 3), name="img")
    h = L.Conv2D(4, 3, name="conv")(i)
    h = L.BatchNormalization(name="bn")(h)
    h = L.GlobalAveragePooling2D(name="gap")(h)
    model = keras.Model(i, L.Dense(2, name="head")(h), name="chain")
    model.get_layer("bn").trainable = False
    return model


def _siamese(keras):
    a, b = keras.Input((5,), name="a"), keras.Input((5,), name="b")
    shared = keras.layers.Dense(2, name="shared")
    merged = keras.layers.Concatenate(name="cat")([shared(a), shared(b)])
    return keras.Model([a, b], merged, name="siamese")


def _branches(keras):
    L = keras.layers
    x = keras.Input((8,), name="x")
    a, b = L.Dense(4, name="left")(x), L.Dense(4, name="right")(x)
    s = L.Add(name="sum")([a, b])
    n = L.BatchNormalization(name="batch_normalization_long_name")(s)
    return keras.Model(x, [n, a], name="branches")


def _sequence(keras):
    L = keras.layers
    return keras.Sequential(
        [
            keras.Input((6,), dtype="int32", name="tok"),
            L.Embedding(20, 4, name="emb"),
            L.GlobalAveragePooling1D(name="pool"),
            L.Dense(1, name="out"),
        ],
        name="seqmodel",
    )


def _unbuilt(keras):
    return keras.Sequential([keras.layers.Dense(2, name="lazy")], name="unbuilt")


CASES = [
    (_nested, {}),
    (_nested, {"expand_nested": True}),
    (_nested, {"show_trainable": True, "expand_nested": True}),
    (_chain, {}),
    (_chain, {"show_trainable": True}),
    (_chain, {"line_length": 60}),
    (_chain, {"layer_range": ["conv", "gap"]}),
    (_chain, {"line_length": 100, "positions": [0.5, 0.7, 1.0]}),
    (_siamese, {}),
    (_siamese, {"show_trainable": True}),
    (_branches, {}),
    (_branches, {"line_length": 70}),
    (_sequence, {}),
    (_unbuilt, {}),
]


def _keras3():
    if unikeras.backend.backend() != "jax":
        pytest.skip("compared with Keras 3 in the jax env")
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras3 = pytest.importorskip("keras", reason="Keras 3 is installed in the jax env")
    if not keras3.__version__.startswith("3."):  # pragma: no cover
        pytest.skip("not Keras 3")
    return keras3


@pytest.mark.parametrize(
    "factory, kwargs", CASES, ids=[f"{f.__name__}-{'-'.join(k) or 'default'}" for f, k in CASES]
)
def test_summary_text_is_keras3s(factory, kwargs):
    keras3 = _keras3()
    assert _text(factory(unikeras), **kwargs) == _text(factory(keras3), **kwargs)


def test_summary_after_training_shows_optimizer_params_as_keras3():
    keras3 = _keras3()
    texts = []
    for keras in (unikeras, keras3):
        model = _sequence(keras)
        model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
        model.fit(np.ones((2, 6), "int32"), np.ones((2, 1), "float32"), verbose=0)
        texts.append(_text(model))
    assert texts[0] == texts[1]
    assert "Optimizer params" in texts[0]


def test_summary_of_a_subclassed_model_as_keras3():
    keras3 = _keras3()
    texts = []
    for keras in (unikeras, keras3):

        class Two(keras.Model):
            def __init__(self):
                super().__init__(name="two")
                self.hidden = keras.layers.Dense(5, name="hidden")
                self.head = keras.layers.Dense(1, name="head")

            def call(self, x):
                return self.head(self.hidden(x))

        model = Two()
        model(np.ones((2, 3), "float32"))
        texts.append(_text(model))
    assert texts[0] == texts[1]


# --- checks against independent computations (every backend) -------------------------------


def _table_rows(text):
    return [line for line in text.splitlines() if line.startswith("│")]


def test_totals_and_sizes_match_the_weights():
    model = _chain(unikeras)
    text = _text(model)
    weights = {id(w): w for w in model.weights}.values()
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    frozen = sum(math.prod(w.shape) for w in weights) - trainable
    assert f" Total params: {trainable + frozen:,} ({(trainable + frozen) * 4:.2f} B)" in text
    assert f" Trainable params: {trainable:,} ({trainable * 4:.2f} B)" in text
    assert f" Non-trainable params: {frozen:,} ({frozen * 4:.2f} B)" in text
    assert "Optimizer params" not in text
    for layer in model.layers:
        expected = sum(math.prod(w.shape) for w in layer.weights)
        row = next(r for r in _table_rows(text) if f" {layer.name} (" in r)
        assert row.split("│")[3].strip() == f"{expected:,}"


@pytest.mark.parametrize(
    "size, expected",
    [
        (0, "0.00 B"),
        (352, "352.00 B"),
        (1023, "1023.00 B"),
        (1024, "1.00 KB"),
        (1536, "1.50 KB"),
        (5 * 1024**2, "5.00 MB"),
        (3 * 1024**3, "3.00 GB"),
    ],
)
def test_memory_sizes_in_binary_units(size, expected):
    assert summary_module.readable_memory_size(size) == expected


def test_bool_and_half_weights_count_their_bits():
    class W:
        def __init__(self, shape, dtype):
            self.shape, self.dtype = shape, dtype

    assert summary_module.weight_memory_size([W((8,), "bool")]) == 1
    assert summary_module.weight_memory_size([W((3, 2), "float16")]) == 12
    assert summary_module.weight_memory_size([W((2,), "int64"), W((1,), "bfloat16")]) == 18


def test_table_geometry_follows_line_length_and_positions():
    model = _chain(unikeras)
    text = _text(model, line_length=70, positions=[0.5, 0.75, 1.0])
    lines = text.splitlines()
    assert lines[0] == 'Model: "chain"'
    table_lines = [line for line in lines if line[:1] in "┏┃┡│├└"]
    assert {len(line) for line in table_lines} == {70}
    assert lines[1].startswith("┏") and lines[1].endswith("┓") and lines[1].count("┳") == 2
    assert lines[3].startswith("┡") and lines[3].count("╇") == 2
    assert table_lines[-1].startswith("└") and table_lines[-1].count("┴") == 2
    # Column cuts: 3 columns of int(0.5*70)=35, 17, 18 plus 2 of padding, the excess 10
    # taken evenly (round(10/3), round(7/2), 3: rich's layout) to fit the 66 cells
    # inside the 4 borders.
    cuts = [i for i, ch in enumerate(lines[1]) if ch in "┳┓"]
    widths = np.diff([0] + cuts) - 1
    assert widths.sum() == 70 - 4
    assert list(widths) == [34, 15, 17]  # 37-3, 19-4 (3.5 rounds to 4), 20-3


def test_connected_to_column_for_branching_graphs_only():
    branching = _text(_branches(unikeras))
    assert "Connected to" in branching
    rows = _table_rows(branching)
    assert any("left[0][0]," in row for row in rows)
    assert any("right[0][0]" in row for row in rows)
    assert "Connected to" not in _text(_chain(unikeras))
    shared = _text(_siamese(unikeras))  # a shared layer makes it non-sequential
    assert "shared[0][0]" in shared and "shared[1][0]" in shared


def test_long_words_are_cut_with_an_ellipsis_and_text_wraps():
    text = _text(_branches(unikeras), line_length=70)
    assert "…" in text
    rows = _table_rows(text)
    widths = {len(row) for row in rows}
    assert widths == {70}


def test_layer_range_selects_an_inclusive_span_and_rejects_bad_ranges():
    model = _chain(unikeras)
    rows = _table_rows(_text(model, layer_range=["bn", "gap"]))
    names = [re.match(r"│ (\S+)", row).group(1) for row in rows]
    assert names == ["bn", "gap"]
    with pytest.raises(ValueError, match="do not match"):
        model.summary(print_fn=lambda s: None, layer_range=["nope", "gap"])
    with pytest.raises(ValueError, match="length 2"):
        model.summary(print_fn=lambda s: None, layer_range=["conv"])
    with pytest.raises(ValueError, match="string"):
        model.summary(print_fn=lambda s: None, layer_range=[0, 1])


def test_show_trainable_and_expand_nested():
    text = _text(_nested(unikeras), show_trainable=True, expand_nested=True)
    rows = _table_rows(text)
    assert any("└ d_in (Dense)" in row and row.rstrip("│ ").endswith("Y") for row in rows)
    assert any(
        row.startswith("│ x (InputLayer)") and row.split("│")[-2].strip() == "-" for row in rows
    )
    frozen = _chain(unikeras)
    rows = _table_rows(_text(frozen, show_trainable=True))
    assert next(r for r in rows if " bn (" in r).split("│")[-2].strip() == "N"


def test_unbuilt_layers_and_printing_to_stdout(capsys):
    model = _unbuilt(unikeras)
    model.summary()
    out = capsys.readouterr().out
    assert "0 (unbuilt)" in out and "│ lazy (Dense)" in out
    assert out.splitlines()[0] == 'Model: "unbuilt"'


@pytest.mark.skipif(not TRAINS, reason="inference-only backend: fit raises by design")
def test_optimizer_params_after_training():
    model = _sequence(unikeras)
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((2, 6), "int32"), np.ones((2, 1), "float32"), verbose=0)
    text = _text(model)
    count = sum(math.prod(v.shape) for v in model.optimizer.variables)
    assert f" Optimizer params: {count:,}" in text
    weights = sum(math.prod(w.shape) for w in model.weights)
    assert f" Total params: {weights + count:,}" in text


def test_positions_must_match_the_columns():
    with pytest.raises(ValueError, match="positions"):
        _chain(unikeras).summary(print_fn=lambda s: None, positions=[0.5, 1.0])
    with pytest.raises(ValueError, match="Insufficient console width"):
        _chain(unikeras).summary(print_fn=lambda s: None, line_length=10)


def test_functions_that_build_the_layout_are_layers_agnostic():
    # A layer seen only through eager calls (no graph node) shows the shape it was built for.
    dense = layers.Dense(3, name="eager_dense")
    dense(np.ones((2, 5), "float32"))
    assert summary_module._layer_shape(dense) == "(2, 3)"
    assert summary_module._layer_shape(layers.Dense(3)) == "?"
