"""LoRA on `Dense`, `EinsumDense` and `Embedding` (issue 18): `enable_lora`, the
`lora_rank` / `lora_alpha` constructor arguments, the merged `kernel` / `embeddings`, what
trains, saving (merged weights, as Keras 3) and `.keras` interoperability with Keras 3.15.1.

Runs on every backend; the fine-tuning test skips on the inference-only ones.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops
from unikeras.backend import table

TRAINS = bool(table.backend_info()["training"])
needs_training = pytest.mark.skipif(
    not TRAINS, reason="inference-only backend: fit raises by design"
)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x), dtype="float64")


# name: (make layer, build shape, base weight attribute, LoRA variable prefix, input maker)
CASES = {
    "dense": (
        lambda **kw: layers.Dense(5, **kw),
        (None, 4),
        "kernel",
        "lora_kernel",
        lambda rng: rng.standard_normal((3, 4)).astype("float32"),
    ),
    "dense_no_bias": (
        lambda **kw: layers.Dense(5, use_bias=False, **kw),
        (None, 4),
        "kernel",
        "lora_kernel",
        lambda rng: rng.standard_normal((3, 4)).astype("float32"),
    ),
    "einsum_dense": (
        lambda **kw: layers.EinsumDense("abc,cde->abde", (6, 3, 2), bias_axes="de", **kw),
        (None, 6, 4),
        "kernel",
        "lora_kernel",
        lambda rng: rng.standard_normal((2, 6, 4)).astype("float32"),
    ),
    "einsum_dense_elided": (
        lambda **kw: layers.EinsumDense("...b,bc->...c", 3, **kw),
        (None, 2, 4),
        "kernel",
        "lora_kernel",
        lambda rng: rng.standard_normal((2, 2, 4)).astype("float32"),
    ),
    "embedding": (
        lambda **kw: layers.Embedding(7, 4, **kw),
        None,
        "embeddings",
        "lora_embeddings",
        lambda rng: rng.integers(0, 7, (3, 5)).astype("int32"),
    ),
}


def _make(case, **kwargs):
    make, shape, *_ = CASES[case]
    layer = make(**kwargs)
    layer.build(shape)
    return layer


def _base(layer, case):
    attr = CASES[case][2]
    return getattr(layer, "_" + attr)


def _factors(layer, case):
    prefix = CASES[case][3]
    return getattr(layer, prefix + "_a"), getattr(layer, prefix + "_b")


def _randomize_factors(layer, case, rng):
    for factor in _factors(layer, case):
        factor.assign(rng.standard_normal(tuple(factor.shape)).astype("float32"))


def _reference_output(case, layer, weight, x):
    """The layer's output computed by NumPy from `weight` (the merged kernel/embeddings)."""
    if case == "embedding":
        return weight[x]
    if case.startswith("dense"):
        out = x.astype("float64") @ weight
    else:
        out = np.einsum(layer.equation, x.astype("float64"), weight)
    if layer.bias is not None:
        out = out + _np(layer.bias)
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_only_lora_factors_train_after_enable_lora(case):
    layer = _make(case)
    before = {v.path for v in layer.trainable_weights}
    layer.enable_lora(3)
    base = _base(layer, case)
    a, b = _factors(layer, case)
    assert layer.lora_enabled and layer.lora_rank == 3 and layer.lora_alpha == 3
    assert not base.trainable and base in layer.non_trainable_weights
    expected = (before - {base.path}) | {a.path, b.path}
    assert {v.path for v in layer.trainable_weights} == expected
    assert sorted(expected) == sorted(
        [p for p in expected if p.endswith(("_a", "_b"))]
        + ([layer.bias.path] if getattr(layer, "bias", None) is not None else [])
    )
    weight = tuple(base.shape)
    assert tuple(a.shape) == weight[:-1] + (3,) and tuple(b.shape) == (3, weight[-1])
    assert a.dtype == "float32" and b.dtype == "float32"
    # The default initializers: he_uniform A (non-zero), zeros B: outputs are unchanged.
    assert np.any(_np(a) != 0) and np.all(_np(b) == 0)
    np.testing.assert_array_equal(_np(getattr(layer, CASES[case][2])), _np(base))


@pytest.mark.parametrize("alpha", [None, 8.0])
@pytest.mark.parametrize("case", sorted(CASES))
def test_merged_weight_and_output_equal_numpy(case, alpha):
    rng = np.random.default_rng(1)
    layer = _make(case)
    layer.enable_lora(2, lora_alpha=alpha)
    _randomize_factors(layer, case, rng)
    a, b = (_np(f) for f in _factors(layer, case))
    scale = (alpha if alpha is not None else 2) / 2
    expected = _np(_base(layer, case)) + scale * np.matmul(a, b)
    merged = getattr(layer, CASES[case][2])
    np.testing.assert_allclose(_np(merged), expected, rtol=1e-5, atol=1e-5)
    x = CASES[case][4](rng)
    np.testing.assert_allclose(
        _np(layer(x)), _reference_output(case, layer, expected, x), rtol=1e-4, atol=1e-4
    )


def test_enable_lora_signature_matches_keras():
    import inspect

    for cls in (layers.Dense, layers.EinsumDense, layers.Embedding):
        params = inspect.signature(cls.enable_lora).parameters
        assert list(params) == ["self", "rank", "lora_alpha", "a_initializer", "b_initializer"]
        assert [params[n].default for n in list(params)[2:]] == [None, "he_uniform", "zeros"]
        ctor = inspect.signature(cls.__init__).parameters
        assert ctor["lora_rank"].default is None and ctor["lora_alpha"].default is None


def test_custom_initializers_are_used():
    layer = _make("dense")
    layer.enable_lora(2, a_initializer="ones", b_initializer=keras.initializers.Constant(0.5))
    np.testing.assert_array_equal(_np(layer.lora_kernel_a), np.ones((4, 2)))
    np.testing.assert_array_equal(_np(layer.lora_kernel_b), np.full((2, 5), 0.5))
    np.testing.assert_allclose(_np(layer.kernel), _np(layer._kernel) + 1.0 * 2 * 0.5, rtol=1e-6)


def test_mixed_precision_keeps_float32_factors_and_computes_in_float16():
    rng = np.random.default_rng(5)
    layer = layers.Dense(3, dtype="mixed_float16")
    layer.build((None, 4))
    layer.enable_lora(2)
    _randomize_factors(layer, "dense", rng)
    assert layer.lora_kernel_a.dtype == "float32" and layer._kernel.dtype == "float32"
    assert ops.convert_to_numpy(layer.kernel).dtype == np.float16
    x = rng.standard_normal((2, 4)).astype("float32")
    out = ops.convert_to_numpy(layer(x))
    assert out.dtype == np.float16
    merged = _np(layer._kernel) + _np(layer.lora_kernel_a) @ _np(layer.lora_kernel_b)
    np.testing.assert_allclose(out, x @ merged + _np(layer.bias), rtol=2e-2, atol=2e-2)


def test_reversible_embedding_uses_the_merged_matrix_both_ways():
    rng = np.random.default_rng(6)
    layer = layers.ReversibleEmbedding(10, 4, lora_rank=2, lora_alpha=4)
    layer.build()
    assert layer.lora_enabled and layer.get_config()["lora_rank"] == 2
    _randomize_factors(layer, "embedding", rng)
    merged = _np(layer._embeddings) + 2.0 * _np(layer.lora_embeddings_a) @ _np(
        layer.lora_embeddings_b
    )
    ids = rng.integers(0, 10, (2, 3)).astype("int32")
    np.testing.assert_allclose(_np(layer(ids)), merged[ids], rtol=1e-5, atol=1e-5)
    hidden = rng.standard_normal((2, 4)).astype("float32")
    np.testing.assert_allclose(
        _np(layer(hidden, reverse=True)), hidden @ merged.T, rtol=1e-4, atol=1e-4
    )


@pytest.mark.parametrize("case", ["dense", "einsum_dense", "embedding"])
def test_enable_lora_errors(case):
    make, shape, *_ = CASES[case]
    unbuilt = make()
    with pytest.raises(ValueError, match="isn't yet built"):
        unbuilt.enable_lora(2)
    layer = _make(case)
    for rank in (0, -1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="rank"):
            layer.enable_lora(rank)
    with pytest.raises(ValueError, match="lora_alpha"):
        layer.enable_lora(2, lora_alpha=0)
    assert not layer.lora_enabled and len(layer.weights) == len(_make(case).weights)
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    constraint = "embeddings_constraint" if case == "embedding" else "kernel_constraint"
    constrained = make(**{constraint: "non_neg"})
    constrained.build(shape)
    with pytest.raises(ValueError, match=constraint):
        constrained.enable_lora(2)
    with pytest.raises(ValueError, match=r'Layer "bad_rank".*lora_rank=-2'):
        make(lora_rank=-2, name="bad_rank")
    with pytest.raises(ValueError, match="lora_alpha"):
        make(lora_rank=2, lora_alpha="big")
    # (On torch, `nn.Module.__getattr__` replaces the message with its own.)
    with pytest.raises(
        AttributeError, match="build" if keras.backend.backend() != "torch" else CASES[case][2]
    ):
        getattr(make(), CASES[case][2])


@pytest.mark.parametrize("case", ["dense", "einsum_dense", "embedding"])
def test_config_round_trip(case):
    plain = _make(case)
    assert "lora_rank" not in plain.get_config() and not plain.lora_enabled
    layer = CASES[case][0](lora_rank=4, lora_alpha=8)
    assert layer.lora_rank == 4 and layer.lora_alpha == 8 and not layer.lora_enabled
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (4, 8)
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(clone) is type(layer)
    assert (clone.lora_rank, clone.lora_alpha) == (4, 8)
    clone.build(CASES[case][1])
    assert clone.lora_enabled and clone.lora_alpha == 8
    assert not _base(clone, case).trainable
    # enable_lora after construction writes its rank/alpha into the config.
    enabled = _make(case)
    enabled.enable_lora(3, lora_alpha=6)
    assert (enabled.get_config()["lora_rank"], enabled.get_config()["lora_alpha"]) == (3, 6)


def _lora_model(rng):
    inputs = keras.Input((6,), dtype="int32")
    x = layers.Embedding(20, 8, name="emb")(inputs)
    x = layers.EinsumDense("abc,cd->abd", (6, 5), bias_axes="d", name="ein")(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(3, name="out")(x)
    model = keras.Model(inputs, outputs)
    for layer in model.layers[1:]:
        if hasattr(layer, "enable_lora"):
            layer.enable_lora(2, lora_alpha=6)
    for v in model.weights:
        v.assign(rng.standard_normal(tuple(v.shape)).astype("float32") * 0.3)
    return model


def test_save_load_merges_lora_and_predicts_equal(tmp_path):
    rng = np.random.default_rng(2)
    model = _lora_model(rng)
    x = rng.integers(0, 20, (4, 6)).astype("int32")
    expected = _np(model.predict(x, verbose=0))
    merged = {
        layer.name: _np(getattr(layer, "embeddings", None) if layer.name == "emb" else layer.kernel)
        for layer in model.layers
        if layer.name in ("emb", "ein", "out")
    }
    path = str(tmp_path / "lora.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(_np(loaded.predict(x, verbose=0)), expected, rtol=1e-5, atol=1e-5)
    for name, weight in merged.items():
        layer = loaded.get_layer(name)
        assert layer.lora_enabled and (layer.lora_rank, layer.lora_alpha) == (2, 6)
        base = layer._embeddings if name == "emb" else layer._kernel
        # Keras 3 semantics: the merged weight goes into the frozen base, factors are zeros.
        np.testing.assert_allclose(_np(base), weight, rtol=1e-6, atol=1e-6)
        prefix = "lora_embeddings" if name == "emb" else "lora_kernel"
        for factor in (getattr(layer, prefix + "_a"), getattr(layer, prefix + "_b")):
            assert not np.any(_np(factor))
            assert factor.trainable
        assert not base.trainable
    # Weights-only files hold the merged weights too: they load into a model without LoRA.
    weights_path = str(tmp_path / "lora.weights.h5")
    model.save_weights(weights_path)
    inputs = keras.Input((6,), dtype="int32")
    h = layers.Embedding(20, 8, name="emb")(inputs)
    h = layers.EinsumDense("abc,cd->abd", (6, 5), bias_axes="d", name="ein")(h)
    plain = keras.Model(inputs, layers.Dense(3, name="out")(layers.Flatten()(h)))
    plain.load_weights(weights_path)
    np.testing.assert_allclose(_np(plain.predict(x, verbose=0)), expected, rtol=1e-5, atol=1e-5)


@needs_training
def test_fine_tune_reduces_loss_and_keeps_base_frozen():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((64, 4)).astype("float32")
    y = (x @ rng.standard_normal((4, 1))).astype("float32")
    tokens = rng.integers(0, 10, (64, 3)).astype("int32")
    ids = keras.Input((3,), dtype="int32")
    feats = keras.Input((4,))
    emb = layers.Embedding(10, 4, name="emb")
    ein = layers.EinsumDense("ab,bc->ac", 8, bias_axes="c", activation="tanh", name="ein")
    out = layers.Dense(1, name="out")
    h = layers.Concatenate()([ein(feats), layers.Flatten()(emb(ids))])
    model = keras.Model([ids, feats], out(h))
    for layer in (emb, ein, out):
        layer.enable_lora(2)
    bases = [emb._embeddings, ein._kernel, out._kernel]
    before = [_np(v) for v in bases]
    b_before = _np(out.lora_kernel_b)
    assert {v.path for v in model.trainable_weights} == {
        "emb/lora_embeddings_a",
        "emb/lora_embeddings_b",
        "ein/lora_kernel_a",
        "ein/lora_kernel_b",
        "ein/bias",
        "out/lora_kernel_a",
        "out/lora_kernel_b",
        "out/bias",
    }
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    history = model.fit([tokens, x], y, epochs=8, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.7 * losses[0], losses
    for variable, value in zip(bases, before):
        np.testing.assert_array_equal(_np(variable), value)
    assert np.any(_np(out.lora_kernel_b) != b_before)


# --- Keras 3.15.1 on the same weights, and `.keras` files in both directions -------------------
KERAS3_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import keras

    folder = sys.argv[1]
    w = np.load(f"{folder}/weights.npz")
    x = np.load(f"{folder}/inputs.npy")
    inputs = keras.Input((6,), dtype="int32")
    h = keras.layers.Embedding(20, 8, name="emb")(inputs)
    h = keras.layers.EinsumDense("abc,cd->abd", (6, 5), bias_axes="d", name="ein")(h)
    model = keras.Model(inputs, keras.layers.Dense(3, name="out")(keras.layers.Flatten()(h)))
    for name in ("emb", "ein", "out"):
        model.get_layer(name).enable_lora(2, lora_alpha=6)
    assert sorted(v.path for v in model.weights) == sorted(w.files), \\
        (sorted(v.path for v in model.weights), sorted(w.files))
    for v in model.weights:
        v.assign(w[v.path])
    np.save(f"{folder}/keras3_direct.npy", np.asarray(model.predict(x, verbose=0)))
    model.save(f"{folder}/keras3.keras")
    theirs = keras.saving.load_model(f"{folder}/unikeras.keras")
    np.save(f"{folder}/keras3_on_unikeras.npy", np.asarray(theirs.predict(x, verbose=0)))
    trainable = sorted(v.path for v in model.trainable_weights)
    print("TRAINABLE", ",".join(trainable))
""")


def _keras3_runnable():
    return (
        importlib.util.find_spec("keras") is not None
        and importlib.util.find_spec("jax") is not None
    )


@pytest.mark.skipif(
    not _keras3_runnable(), reason="Keras 3 with JAX is not installed here (the jax env has it)"
)
def test_keras3_same_weights_and_files_both_ways(tmp_path):
    pytest.importorskip("keras")  # Keras 3.15.1 (jax env)
    if keras.backend.backend() != "jax":
        pytest.skip("compared once, in the jax env (Keras 3 runs there on jax)")
    rng = np.random.default_rng(4)
    model = _lora_model(rng)
    x = rng.integers(0, 20, (4, 6)).astype("int32")
    expected = _np(model.predict(x, verbose=0))
    np.savez(tmp_path / "weights.npz", **{v.path: _np(v).astype("float32") for v in model.weights})
    np.save(tmp_path / "inputs.npy", x)
    model.save(str(tmp_path / "unikeras.keras"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", KERAS3_SCRIPT, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    trainable = (
        next(line for line in result.stdout.splitlines() if line.startswith("TRAINABLE"))
        .split(" ", 1)[1]
        .split(",")
    )
    assert sorted(trainable) == sorted(v.path for v in model.trainable_weights)
    # Keras 3 on the same base weights and LoRA factors computes the same outputs.
    np.testing.assert_allclose(
        np.load(tmp_path / "keras3_direct.npy"), expected, rtol=1e-5, atol=1e-5
    )
    # Keras 3 loads unikeras' LoRA file, and unikeras loads Keras 3's, with equal outputs.
    np.testing.assert_allclose(
        np.load(tmp_path / "keras3_on_unikeras.npy"), expected, rtol=1e-5, atol=1e-5
    )
    loaded = keras.saving.load_model(str(tmp_path / "keras3.keras"))
    np.testing.assert_allclose(_np(loaded.predict(x, verbose=0)), expected, rtol=1e-5, atol=1e-5)
    assert all(loaded.get_layer(n).lora_enabled for n in ("emb", "ein", "out"))


def test_weights_keep_creation_order_when_a_variable_is_frozen_later():
    """Keras 3 lists a layer's weights by their trainable flag at creation, so freezing the
    base kernel (LoRA) or one variable by hand leaves `get_weights`/`set_weights` order as it
    was: files and weight lists exchanged with Keras line up."""
    dense = layers.Dense(3)
    dense.build((None, 4))
    before = [w.path for w in dense.weights]
    dense.enable_lora(2)
    paths = [w.path for w in dense.weights]
    assert paths[:2] == before
    assert [p.rsplit("/", 1)[-1] for p in paths[2:]] == ["lora_kernel_a", "lora_kernel_b"]
    assert [w.path for w in dense.trainable_weights][-2:] == paths[2:]

    norm = layers.BatchNormalization()
    norm.build((None, 4))
    order = [w.path for w in norm.weights]
    norm.gamma.trainable = False
    assert [w.path for w in norm.weights] == order
    values = [np.full(w.shape, i, "float32") for i, w in enumerate(norm.weights)]
    norm.set_weights(values)
    for got, want in zip(norm.get_weights(), values):
        np.testing.assert_array_equal(got, want)
    # trainable_weights follows the current flags
    assert [w.path for w in norm.trainable_weights] == [order[1]]
