"""GPTQ/AWQ calibration as Keras 3.15.1 does it (issue 18): text datasets with a tokenizer
(token windows cut from the joined token stream) and `GPTQConfig(per_channel=False)` (one
scale and zero point per group of input rows, shared by all output units).

The per-tensor parameters are checked against an independent NumPy round-to-nearest on
calibration inputs whose Hessian is diagonal (GPTQ then has no error to propagate), and in
the jax env against Keras 3.15.1 itself: its token windows, and its quantized variables and
outputs for the same weights and texts.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops, quantizers
from unikeras.quantizers.gptq import token_calibration_samples

WORDS = "the cat sat on a mat and dog ran to it by".split()
TEXTS = [
    "the cat sat on the mat",
    "a dog ran to the cat and it sat",
    "by the mat a cat ran",
    "the dog sat by it and the cat ran to a mat",
]


class WordTokenizer:
    """A toy tokenizer: one id per known word (KerasHub tokenizers have `tokenize`)."""

    def tokenize(self, text):
        return np.array([WORDS.index(w) for w in text.split()], "int32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _token_model(seq, rng):
    ids = keras.Input((seq,), dtype="int32")
    h = layers.Embedding(len(WORDS), 8, name="emb")(ids)
    h = layers.Dense(6, activation="relu", name="d1")(h)
    model = keras.Model(ids, layers.Dense(4, name="d2")(h))
    model.set_weights([rng.standard_normal(v.shape).astype("float32") for v in model.weights])
    return model


def _quantized(model):
    return {v.path: _np(v) for v in model.weights}


def test_text_calibration_equals_calibrating_on_the_token_windows():
    seq, n = 5, 6
    stream = np.concatenate([WordTokenizer().tokenize(t) for t in TEXTS])  # 33 tokens
    samples = token_calibration_samples(TEXTS, WordTokenizer(), seq, n)
    assert samples.shape == (n, seq) and samples.dtype == np.int32
    # Each sample is a run of consecutive tokens of the joined texts (nothing padded), the
    # starts evenly strided: stride (33 - 5 + 1) // 6 = 4, wrapping over the 29 starts.
    windows = [stream[i : i + seq].tolist() for i in range(len(stream) - seq + 1)]
    starts = [windows.index(row) for row in samples.tolist()]
    assert [(s - starts[0]) % 29 for s in starts] == [0, 4, 8, 12, 16, 20]
    # Too few tokens: the stream is repeated whole (4 samples of 10 from 6 tokens: 42).
    tiled = token_calibration_samples(TEXTS[:1], WordTokenizer(), 10, 4)
    one = np.tile(WordTokenizer().tokenize(TEXTS[0]), 7)
    assert all(any((one[i : i + 10] == row).all() for i in range(33)) for row in tiled)

    rng = np.random.default_rng(30)
    weights = _token_model(seq, rng).get_weights()
    results = {}
    for name, dataset, tokenizer in (
        ("texts", TEXTS, WordTokenizer()),
        ("callable tokenizer", (t for t in TEXTS), WordTokenizer().tokenize),
        ("token ids", [WordTokenizer().tokenize(t) for t in TEXTS], WordTokenizer()),
        ("windows as model inputs", samples, None),
    ):
        model = _token_model(seq, rng)
        model.set_weights(weights)
        config = quantizers.GPTQConfig(
            dataset, tokenizer, num_samples=n, sequence_length=seq, group_size=4
        )
        model.quantize("gptq", config=config)
        results[name] = _quantized(model)
    assert results["texts"]["d1/kernel_scale"].shape == (6, 2)
    for name, values in results.items():
        for path, value in values.items():
            np.testing.assert_array_equal(value, results["texts"][path], err_msg=f"{name} {path}")
    awq = {}
    for name, dataset, tokenizer in (("texts", TEXTS, WordTokenizer()), ("ids", samples, None)):
        model = _token_model(seq, rng)
        model.set_weights(weights)
        config = quantizers.AWQConfig(
            dataset, tokenizer, num_samples=n, sequence_length=seq, group_size=4
        )
        model.quantize("awq", config=config)
        awq[name] = _quantized(model)
    for path, value in awq["texts"].items():
        np.testing.assert_array_equal(value, awq["ids"][path], err_msg=path)


def test_text_calibration_errors():
    model = _token_model(5, np.random.default_rng(31))
    with pytest.raises(ValueError, match="AWQ quantization needs calibration data"):
        model.quantize("awq", config=quantizers.AWQConfig(None, WordTokenizer()))
    with pytest.raises(TypeError, match="one-element list"):
        model.quantize("gptq", config=quantizers.GPTQConfig(TEXTS[0], WordTokenizer()))
    with pytest.raises(ValueError, match="needs a `tokenizer`"):
        model.quantize("awq", config=quantizers.AWQConfig(TEXTS, None))
    with pytest.raises(TypeError, match="`tokenize` method or be callable"):
        model.quantize("gptq", config=quantizers.GPTQConfig(TEXTS, object()))
    with pytest.raises(ValueError, match="0 tokens are not enough for one sample"):
        model.quantize("gptq", config=quantizers.GPTQConfig([""], WordTokenizer()))


def _np_per_tensor_rtn(w, group, bits, symmetric):
    """Round-to-nearest of `w` (in, units) with one scale and zero point per group of
    `group` input rows (all units together): `(q (units, in), scale, zero)`."""
    rows, units = w.shape
    maxq = 2**bits - 1
    group = rows if group == -1 else group
    q = np.zeros((units, rows))
    scales, zeros = [], []
    for start in range(0, rows, group):
        block = w[start : start + group].astype("float64")
        lo, hi = block.min(), block.max()
        if symmetric:
            hi = max(-lo, hi)
            lo = -hi if lo < 0 else lo
        scale = (hi - lo) / maxq
        zero = (maxq + 1) / 2 if symmetric else np.round(-lo / scale)
        q[:, start : start + group] = np.clip(np.round(block / scale) + zero, 0, maxq).T
        scales.append(scale)
        zeros.append(zero)
    return q, np.array(scales), np.array(zeros)


@pytest.mark.parametrize(
    "bits, group, symmetric", [(4, -1, False), (4, 5, False), (8, 5, True), (3, 4, False)]
)
def test_gptq_per_channel_false_shares_scales_over_units_and_matches_numpy(bits, group, symmetric):
    rng = np.random.default_rng(32)
    w = rng.standard_normal((12, 6)).astype("float32")
    model = keras.Sequential([keras.Input((12,)), layers.Dense(6)])
    model.set_weights([w, rng.standard_normal(6).astype("float32")])
    # One nonzero input per row: a diagonal Hessian, so no rounding error is propagated and
    # GPTQ is exactly round-to-nearest with its parameters.
    x = np.diag(rng.uniform(0.5, 2.0, 12)).astype("float32")
    config = quantizers.GPTQConfig(
        x, None, weight_bits=bits, group_size=group, symmetric=symmetric, per_channel=False,
        num_samples=12,
    )  # fmt: skip
    model.quantize("gptq", config=config)
    dense = model.layers[0]
    groups = 1 if group == -1 else 3
    scale, zero = _np(dense.kernel_scale), _np(dense.kernel_zero)
    assert scale.shape == zero.shape == (6, groups)
    q_ref, scale_ref, zero_ref = _np_per_tensor_rtn(w, group, bits, symmetric)
    np.testing.assert_allclose(scale, np.tile(scale_ref, (6, 1)), rtol=1e-6)
    np.testing.assert_array_equal(zero, np.tile(zero_ref, (6, 1)))
    np.testing.assert_array_equal(_np(dense.kernel), q_ref)  # (units, input_dim) values
    g = np.arange(12) // (12 if group == -1 else group)
    kernel = ((q_ref - zero_ref[g]) * scale_ref[g]).T
    inputs = rng.standard_normal((3, 12)).astype("float32")
    np.testing.assert_allclose(
        _np(model.predict(inputs, verbose=0)),
        inputs @ kernel + _np(dense.bias),
        rtol=1e-5,
        atol=1e-5,
    )


KERAS3_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import keras
    from keras.src.quantizers.gptq_core import get_dataloader
    from unikeras.quantizers.gptq import token_calibration_samples

    folder = sys.argv[1]
    words = "a b c d e f g h".split()

    class WordTokenizer:
        def tokenize(self, text):
            return np.array([words.index(w) for w in text.split()], "int32")

    # The token windows, under this process' string hash (the strided start offset).
    texts = ["a b c", "d e f g h a", "b c d e", "f g h a b c d e f"]
    for data, seq, n in ((texts, 4, 5), (texts, 7, 6), ([np.arange(9), np.arange(4)], 3, 8)):
        theirs = get_dataloader(WordTokenizer(), seq, data, num_samples=n)[:, 0, :]
        ours = token_calibration_samples(data, WordTokenizer(), seq, n)
        assert np.array_equal(theirs, ours), (data, seq, n, theirs, ours)
    print("WINDOWS_EQUAL")

    w = np.load(f"{folder}/weights.npz")
    cycle = " ".join(words)  # every window of 16 tokens holds each token twice
    for case in ("tensor_-1_sym", "tensor_3_asym", "channel_-1_asym"):
        per, group, sym = case.split("_")
        ids = keras.Input((16,), dtype="int32")
        emb = keras.layers.Embedding(8, 8, name="emb")
        d1 = keras.layers.Dense(6, name="d1")
        model = keras.Model(ids, d1(emb(ids)))
        for v in model.weights:
            v.assign(w[v.path])
        config = keras.quantizers.GPTQConfig(
            dataset=[cycle] * 3, tokenizer=WordTokenizer(), weight_bits=4, num_samples=4,
            sequence_length=16, group_size=int(group), symmetric=sym == "sym",
            per_channel=per == "channel",
            quantization_layer_structure={"pre_block_layers": [emb], "sequential_blocks": [d1]},
        )
        model.quantize("gptq", config=config, filters=["d1"])
        np.savez(
            f"{folder}/keras3_{case}.npz",
            kernel=np.asarray(d1.quantized_kernel), scale=np.asarray(d1.kernel_scale),
            zero=np.asarray(d1.kernel_zero), g_idx=np.asarray(d1.g_idx),
            out=np.asarray(model.predict(np.load(f"{folder}/inputs.npy"), verbose=0)),
        )
""")


@pytest.mark.skipif(
    importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None,
    reason="Keras 3 with JAX is not installed here (the jax env has it)",
)
def test_keras3_text_calibration_and_per_channel_false_quantize_alike(tmp_path):
    if keras.backend.backend() != "jax":
        pytest.skip("compared once, in the jax env (Keras 3 runs there on jax)")
    rng = np.random.default_rng(33)
    x = rng.integers(0, 8, (3, 16)).astype("int32")
    np.save(tmp_path / "inputs.npy", x)

    def model():
        ids = keras.Input((16,), dtype="int32")
        emb, d1 = layers.Embedding(8, 8, name="emb"), layers.Dense(6, name="d1")
        return keras.Model(ids, d1(emb(ids))), emb, d1

    # One-hot embeddings times a per-token factor: d1's Hessian is diagonal, so Keras
    # 3.15.1's dense-inverse error feedback and our Cholesky one (as keras-team/keras#23481
    # later does) both propagate nothing, and the two must agree exactly.
    float_model, _, _ = model()
    float_model.set_weights(
        [
            np.diag(rng.uniform(0.5, 2.0, 8)).astype("float32"),
            rng.standard_normal((8, 6)).astype("float32"),
            rng.standard_normal(6).astype("float32"),
        ]
    )
    # Every unit's weights straddle 0: Keras 3.15.1 casts a negative asymmetric zero point
    # (a group of all-positive weights) to uint8, wrapping it (we clip it to 0).
    kernel = float_model.get_weights()[1]
    assert (kernel.min(axis=0) < 0).all() and (kernel.max(axis=0) > 0).all()
    np.savez(tmp_path / "weights.npz", **{v.path: _np(v) for v in float_model.weights})
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="2", UNIKERAS_BACKEND="numpy")
    result = subprocess.run(
        [sys.executable, "-c", KERAS3_SCRIPT, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "WINDOWS_EQUAL" in result.stdout
    cycle = " ".join("a b c d e f g h".split())

    class WordTokenizer:
        def tokenize(self, text):
            return np.array(["abcdefgh".index(w) for w in text.split()], "int32")

    for case in ("tensor_-1_sym", "tensor_3_asym", "channel_-1_asym"):
        per, group, sym = case.split("_")
        ours, emb, d1 = model()
        ours.set_weights(float_model.get_weights())
        config = quantizers.GPTQConfig(
            [cycle] * 3, WordTokenizer(), num_samples=4, sequence_length=16,
            group_size=int(group), symmetric=sym == "sym", per_channel=per == "channel",
            quantization_layer_structure={"pre_block_layers": [emb], "sequential_blocks": [d1]},
        )  # fmt: skip
        ours.quantize("gptq", config=config)
        theirs = np.load(tmp_path / f"keras3_{case}.npz")
        np.testing.assert_array_equal(_np(d1.quantized_kernel), theirs["kernel"], err_msg=case)
        np.testing.assert_allclose(_np(d1.kernel_scale), theirs["scale"], rtol=1e-6, err_msg=case)
        np.testing.assert_array_equal(_np(d1.kernel_zero), theirs["zero"], err_msg=case)
        # (Keras' g_idx is i / group as XLA divides: within an ulp; used cast to int32)
        np.testing.assert_allclose(_np(d1.g_idx), theirs["g_idx"], rtol=1e-6, err_msg=case)
        np.testing.assert_allclose(
            _np(ours.predict(x, verbose=0)), theirs["out"], rtol=1e-5, atol=1e-5, err_msg=case
        )
        if per == "tensor":
            scale = _np(d1.kernel_scale)
            assert (scale == scale[:1]).all(), case  # one scale per group for all units
