"""Post-training quantization (issue 18): `keras.quantizers`, `model.quantize("int8" |
"int4")` on `Dense`, `EinsumDense` and `Embedding`, quantized dtype policies, saving, LoRA on
top of int8, and `.keras` interoperability with Keras 3.15.1.

Every quantized output is checked against an independent NumPy quantize-dequantize and
against the float model. Runs on every backend; training tests skip on the inference-only
ones.
"""

import importlib.util
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops, quantizers
from unikeras.backend import table

TRAINS = bool(table.backend_info()["training"])
needs_training = pytest.mark.skipif(
    not TRAINS, reason="inference-only backend: fit raises by design"
)
EPS = 1e-7


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


# --- NumPy references -------------------------------------------------------------------


def _np_abs_max(w, axis, qmax=127):
    scale = (qmax / (np.max(np.abs(w), axis=axis, keepdims=True) + np.float32(EPS))).astype(
        "float32"
    )
    return np.clip(np.round(w * scale), -qmax - (qmax == 7), qmax), scale


def _np_grouped(w, block):
    """Asymmetric int4 in groups of `block` rows of `w` (rows, cols)."""
    rows = w.shape[0]
    groups = -(-rows // block)
    padded = np.zeros((groups * block, w.shape[1]), "float32")
    padded[:rows] = w
    g = padded.reshape(groups, block, -1)
    lo, hi = g.min(1, keepdims=True), g.max(1, keepdims=True)
    scale = (hi - lo + np.float32(EPS)) / 15
    zero = np.clip(np.round(-lo / scale) - 8, -8, 7)
    q = np.clip(np.round(g / scale) + zero, -8, 7)
    return ((q - zero) * scale).reshape(groups * block, -1)[:rows]


def _np_dense_int8(x, w, b):
    kq, ks = _np_abs_max(w, 0)
    xq, xs = _np_abs_max(x, -1)
    return (xq @ kq) / (xs * ks) + b


def _np_round_bits(x, mantissa, min_exp):
    """Nearest float with `mantissa` mantissa bits (float8 e4m3: 3, -6; bfloat16: 7, -126)."""
    x = np.asarray(x, "float64")
    _, e = np.frexp(np.where(x == 0, 1.0, x))
    step = np.exp2(np.maximum(e - 1, min_exp) - mantissa)
    return (np.round(x / step) * step).astype("float32")


# --- keras.quantizers -------------------------------------------------------------------


def test_abs_max_quantize_and_quantizer_match_numpy():
    x = np.random.default_rng(0).standard_normal((5, 7)).astype("float32")
    for to_numpy in (False, True):
        q, s = quantizers.abs_max_quantize(x, axis=0, to_numpy=to_numpy)
        ref_q, ref_s = _np_abs_max(x, 0)
        assert str(_np(q).dtype) == "int8" and _np(s).shape == (1, 7)
        np.testing.assert_array_equal(_np(q), ref_q)
        np.testing.assert_allclose(_np(s), ref_s, rtol=1e-6)
    q, s = quantizers.AbsMaxQuantizer(value_range=(-8, 7))(x)  # default axis -1
    np.testing.assert_array_equal(_np(q), _np_abs_max(x, -1, 7)[0])
    config = quantizers.serialize(quantizers.AbsMaxQuantizer(axis=0))
    assert config["class_name"] == "AbsMaxQuantizer"
    assert quantizers.deserialize(config).axis == (0,)
    assert isinstance(quantizers.get("abs_max_quantizer"), quantizers.AbsMaxQuantizer)
    with pytest.raises(ValueError, match="value_range"):
        quantizers.AbsMaxQuantizer(value_range=(-200, 200))


def test_pack_unpack_int4_keras_documented_values():
    a = np.array([[-3, 7], [2, -8], [1, 0]], "int8")
    packed, shape, n = quantizers.pack_int4(a, axis=0)
    np.testing.assert_array_equal(_np(packed), [[45, -121], [1, 0]])
    assert shape == (2, 2) and n == 3
    np.testing.assert_array_equal(_np(quantizers.unpack_int4(packed, n, axis=0)), a)
    b = np.array([[-3, 7, 2], [-8, 1, 0]], "int8")
    packed, _, n = quantizers.pack_int4(b, axis=1)
    np.testing.assert_array_equal(_np(packed), [[125, 2], [24, 0]])
    np.testing.assert_array_equal(_np(quantizers.unpack_int4(packed, n, axis=1)), b)
    u = np.arange(16, dtype="uint8").reshape(4, 4)
    packed, _, n = quantizers.pack_int4(u, axis=-1, dtype="uint8")
    np.testing.assert_array_equal(_np(quantizers.unpack_int4(packed, n, -1, "uint8")), u)
    with pytest.raises(TypeError, match="int8"):
        quantizers.pack_int4(np.zeros((2, 2), "int32"))


def test_grouped_quantize_float8_helpers_and_fake_quant_match_numpy():
    w = np.random.default_rng(1).standard_normal((10, 3)).astype("float32")
    q, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(w, block_size=4)
    assert _np(scale).shape == (3, 3) and str(_np(zero).dtype) == "int8"
    g = np.repeat(np.arange(3), 4)[:10]
    deq = (_np(q) - _np(zero)[g]) * _np(scale)[g]
    np.testing.assert_allclose(deq, _np_grouped(w, 4), rtol=1e-5, atol=1e-6)

    amax = np.array(8.0, "float32")
    np.testing.assert_allclose(_np(quantizers.compute_float8_scale(amax, 1.0, 448.0)), 8 / 448)
    np.testing.assert_allclose(_np(quantizers.compute_float8_scale(np.float32(0), 0.5, 448.0)), 0.5)
    hist = quantizers.compute_float8_amax_history(
        np.array([-3.0, 2.0], "float32"), np.array([1.0, 2.0, 0.0], "float32")
    )
    np.testing.assert_allclose(_np(hist), [3.0, 0.0, 1.0])

    x = np.array([-2.0, -0.5, 0.1, 0.33, 1.2], "float32")
    out = _np(quantizers.fake_quant_with_min_max_vars(x, -0.7, 1.3, num_bits=8))
    step = 2.0 / 255
    zp = np.round(0.7 / step)  # 89.25: the range is nudged so that 0 is exact
    lo, hi = -zp * step, (255 - zp) * step
    np.testing.assert_allclose(out, np.round(np.clip(x, lo, hi) / step) * step, atol=1e-6)


def test_quantize_and_dequantize_rounds_to_float8():
    rng = np.random.default_rng(11)
    x = (rng.standard_normal(500) * np.exp(rng.uniform(-10, 7, 500))).astype("float32")
    x = np.concatenate([x, [0.0, 448.0, -1000.0, 2.0**-9, 17.0, 19.0]]).astype("float32")
    out = _np(quantizers.quantize_and_dequantize(x, 2.0, "float8_e4m3fn", "float32"))
    np.testing.assert_array_equal(out, _np_round_bits(np.clip(x / 2, -448, 448), 3, -6) * 2)
    out = _np(quantizers.quantize_and_dequantize(x, 1.0, "float8_e5m2", "float32"))
    np.testing.assert_array_equal(out, _np_round_bits(x, 2, -14))


def test_quantization_configs_and_dtype_policies():
    assert quantizers.Int8QuantizationConfig().mode == "int8"
    c4 = quantizers.Int4QuantizationConfig(block_size=None)
    assert c4.activation_quantizer is None and c4.get_config()["block_size"] is None
    with pytest.raises(ValueError, match="block_size"):
        quantizers.Int4QuantizationConfig(block_size=0)
    gptq = quantizers.GPTQConfig(dataset=None, tokenizer=None, weight_bits=4, group_size=64)
    assert gptq.dtype_policy_string() == "gptq/4/64" and gptq.get_config()["dataset"] is None
    with pytest.raises(ValueError, match="4-bit"):
        quantizers.AWQConfig(dataset=None, tokenizer=None, weight_bits=8)

    dp = keras.dtype_policies
    for name, cls in (
        ("int8_from_float32", dp.QuantizedDTypePolicy),
        ("int4/128_from_mixed_bfloat16", dp.Int4DTypePolicy),
        ("float8_from_float32", dp.QuantizedFloat8DTypePolicy),
        ("gptq/4/-1_from_float32", dp.GPTQDTypePolicy),
        ("awq/4/128_from_float32", dp.AWQDTypePolicy),
    ):
        policy = dp.get(name)
        assert type(policy) is cls and policy.name == name
        assert dp.deserialize(dp.serialize(policy)) == policy
    assert dp.get("int4/128_from_mixed_bfloat16").compute_dtype == "bfloat16"
    assert dp.get("int4/128_from_mixed_bfloat16").variable_dtype == "float32"
    with pytest.raises(ValueError, match="float16"):
        dp.QuantizedDTypePolicy("int8", "float16")
    policy_map = dp.DTypePolicyMap("float32", {"enc/.*": "int8_from_float32"})
    assert policy_map["enc/dense"].quantization_mode == "int8"
    assert policy_map["dec"].name == "float32"
    restored = dp.deserialize(dp.serialize(policy_map))
    assert restored["enc/x"].name == "int8_from_float32"


# --- layers ---------------------------------------------------------------------------------


def _dense(rng, units=6, dim=8):
    layer = layers.Dense(units, bias_initializer="random_normal")
    layer.build((None, dim))
    w, b = _np(layer.kernel), _np(layer.bias)
    return layer, w, b


def test_dense_int8_matches_numpy_and_float():
    rng = np.random.default_rng(2)
    layer, w, b = _dense(rng)
    x = rng.standard_normal((4, 8)).astype("float32")
    layer.quantize("int8")
    assert [(v.name, str(v.dtype)) for v in layer.weights] == [
        ("bias", "float32"),
        ("kernel", "int8"),
        ("kernel_scale", "float32"),
    ]
    assert layer.dtype_policy.name == "int8_from_float32" and not layer.trainable_weights[1:]
    out = _np(layer(x))
    np.testing.assert_allclose(out, _np_dense_int8(x, w, b), rtol=1e-5, atol=1e-5)
    ref = x @ w + b
    assert np.abs(out - ref).max() < 0.02 * np.abs(ref).max()
    with pytest.raises(ValueError, match="already quantized"):
        layer.quantize("int8")
    with pytest.raises(ValueError, match="isn't yet built"):
        layers.Dense(2).quantize("int8")
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        _dense(rng)[0].quantize("int3")


@pytest.mark.parametrize("block_size", [None, 4])
def test_dense_int4_matches_numpy(block_size):
    rng = np.random.default_rng(3)
    layer, w, b = _dense(rng, units=5, dim=10)
    x = rng.standard_normal((3, 10)).astype("float32")
    layer.quantize(config=quantizers.Int4QuantizationConfig(block_size=block_size))
    assert tuple(layer._kernel.shape) == (10, 3) and str(layer._kernel.dtype) == "int8"
    assert layer.dtype_policy.name == f"int4/{block_size or -1}_from_float32"
    if block_size is None:
        kq, ks = _np_abs_max(w, 0, 7)
        deq = kq / ks
    else:
        deq = _np_grouped(w, block_size)
    out = _np(layer(x))
    np.testing.assert_allclose(out, x @ deq + b, rtol=1e-5, atol=1e-5)
    if block_size is None:
        ref = x @ w + b
        assert np.abs(out - ref).max() < 0.3 * np.abs(ref).max()


@pytest.mark.parametrize("mode,block_size", [("int8", None), ("int4", None), ("int4", 4)])
def test_embedding_matches_numpy(mode, block_size):
    rng = np.random.default_rng(4)
    layer = layers.Embedding(7, 10)
    layer.build()
    table_ = _np(layer.embeddings)
    config = quantizers.Int4QuantizationConfig(block_size=block_size) if mode == "int4" else None
    layer.quantize(mode, config=config)
    ids = rng.integers(0, 7, (2, 3)).astype("int32")
    if block_size:
        deq = _np_grouped(table_.T, block_size).T
    else:
        q, s = _np_abs_max(table_, -1, 127 if mode == "int8" else 7)
        deq = q / s
    out = _np(layer(ids))
    np.testing.assert_allclose(out, deq[ids], rtol=1e-6, atol=1e-7)
    if not block_size:  # per-channel abs-max: at most half a step per value
        step = np.abs(table_).max(-1, keepdims=True) / (127 if mode == "int8" else 7)
        assert np.all(np.abs(out - table_[ids]) <= step[ids] / 2 + 1e-7)


@pytest.mark.parametrize(
    "mode,block_size,tie",
    [("int8", None, True), ("int8", None, False), ("int4", None, True), ("int4", 2, False)]
    + [("int4", 2, True)],
)
def test_reversible_embedding_quantized_matches_numpy(mode, block_size, tie):
    rng = np.random.default_rng(17)
    layer = layers.ReversibleEmbedding(7, 5, tie_weights=tie, logit_soft_cap=None)
    layer.build()
    table_ = _np(layer.embeddings)
    rev = table_.T if tie else rng.uniform(-0.1, 0.1, (5, 7)).astype("float32")
    if not tie:
        layer.reverse_embeddings.assign(rev)
    config = quantizers.Int4QuantizationConfig(block_size=block_size) if mode == "int4" else None
    layer.quantize(mode, config=config)
    h = rng.standard_normal((3, 5)).astype("float32")
    qmax = 127 if mode == "int8" else 7
    if block_size:  # grouped along output_dim, weight-only
        deq = _np_grouped(rev, block_size)
        expected = h @ deq
    else:
        rq, rs = _np_abs_max(rev, 0, qmax)
        if mode == "int8":  # int8 inputs per row (Keras 3's default activation quantizer)
            hq, hs = _np_abs_max(h, -1)
            expected = (hq @ rq) / (hs * rs)
        else:
            expected = (h @ rq) / rs
    out = _np(layer(h, reverse=True))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    if not block_size:  # (Keras' grouped zero point is clipped for groups off zero)
        error, ref = np.abs(out - h @ rev).max(), np.abs(h @ rev).max()
        assert error < (0.05 if mode == "int8" else 0.5) * ref
    if not tie:
        rows = 5 if mode == "int8" else 3
        assert tuple(layer.reverse_embeddings.shape) == (rows, 7)
        assert str(layer.reverse_embeddings.dtype) == "int8"
    # Rebuilt quantized from its config, the stored variables load back.
    store = {}
    layer.save_own_variables(store)
    clone = layers.ReversibleEmbedding.from_config(layer.get_config())
    clone.build()
    clone.load_own_variables(store)
    ids = np.array([[1, 6, 0]], "int32")
    np.testing.assert_array_equal(_np(clone(h, reverse=True)), out)
    np.testing.assert_array_equal(_np(clone(ids)), _np(layer(ids)))


def test_einsum_dense_int8_matches_numpy():
    rng = np.random.default_rng(5)
    layer = layers.EinsumDense("btd,ndh->btnh", (3, 2, 4), bias_axes="nh")
    layer.build((None, 3, 5))
    w = _np(layer.kernel)
    b = rng.standard_normal((2, 4)).astype("float32")
    layer.bias.assign(b)
    x = rng.standard_normal((2, 3, 5)).astype("float32")
    layer.quantize("int8")
    assert tuple(layer.kernel_scale.shape) == (1, 1, 2, 4)  # broadcastable to the output
    kq, ks = _np_abs_max(w, 1)  # kernel (n, d, h): d is contracted
    xq, xs = _np_abs_max(x, -1)
    ref_q = np.einsum("btd,ndh->btnh", xq, kq) / (xs[..., None] * ks[:, 0][None, None]) + b
    out = _np(layer(x))
    np.testing.assert_allclose(out, ref_q, rtol=1e-5, atol=1e-5)
    ref = np.einsum("btd,ndh->btnh", x, w) + b
    assert np.abs(out - ref).max() < 0.02 * np.abs(ref).max()


def test_float8_dense_and_einsum_dense_inference_match_numpy(tmp_path):
    keras.utils.set_random_seed(12)
    rng = np.random.default_rng(12)
    x = rng.standard_normal((4, 8)).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((8,)),
            layers.Dense(6, bias_initializer="random_normal", name="d"),
            layers.EinsumDense("ab,bc->ac", 3, bias_axes="c", name="e"),
        ]
    )
    w1, b1, w2 = (
        _np(v) for v in (model.layers[0].kernel, model.layers[0].bias, model.layers[1].kernel)
    )
    model.quantize("float8")
    dense = model.get_layer("d")
    assert type(dense.dtype_policy).__name__ == "QuantizedFloat8DTypePolicy"
    assert [v.name for v in dense.weights] == [
        "kernel",
        "bias",
        "inputs_scale",
        "inputs_amax_history",
        "kernel_scale",
        "kernel_amax_history",
        "outputs_grad_scale",
        "outputs_grad_amax_history",
    ]
    assert tuple(dense.inputs_amax_history.shape) == (1024,)

    def f8(v):
        return _np_round_bits(v, 3, -6)

    h = f8(x) @ f8(w1) + _np_round_bits(b1, 7, -126)
    ref = f8(h) @ f8(w2) + _np_round_bits(_np(model.layers[1].bias), 7, -126)
    out = _np(model.predict(x, verbose=0))
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    float_ref = (x @ w1 + b1) @ w2
    # Four e4m3 roundings (3 mantissa bits, up to 6.25% each) on the path: a sanity bound; the
    # exact check is the NumPy float8 emulation above.
    assert np.abs(out - float_ref).max() < 0.25 * np.abs(float_ref).max()
    path = str(tmp_path / "float8.keras")
    model.save(path)
    np.testing.assert_array_equal(_np(keras.saving.load_model(path).predict(x, verbose=0)), out)


@needs_training
def test_float8_training_updates_scales_from_amax_history():
    rng = np.random.default_rng(13)
    x = rng.standard_normal((8, 4)).astype("float32") * 3
    y = rng.standard_normal((8, 2)).astype("float32")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    model.quantize("float8")
    dense = model.layers[0]
    w0, b0 = _np(dense.kernel).copy(), _np(dense.bias).copy()
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    model.train_on_batch(x, y)
    # The histories record the step's absolute maxima; the scales (from the empty
    # histories) stay 1 ...
    np.testing.assert_allclose(_np(dense.inputs_amax_history)[0], np.abs(x).max(), rtol=1e-6)
    np.testing.assert_allclose(_np(dense.kernel_amax_history)[0], np.abs(w0).max(), rtol=1e-6)
    assert _np(dense.outputs_grad_amax_history)[0] > 0
    assert float(_np(dense.inputs_scale)) == 1.0
    model.train_on_batch(x, y)
    # ... and the next step sets them from the history: amax / dtype max.
    np.testing.assert_allclose(_np(dense.inputs_scale), np.abs(x).max() / 448, rtol=1e-5)
    np.testing.assert_allclose(_np(dense.kernel_scale), np.abs(w0).max() / 448, rtol=1e-5)
    assert not np.array_equal(_np(dense.kernel), w0)
    assert not np.array_equal(_np(dense.bias), b0)


@pytest.mark.parametrize("block_size", [None, 2])
def test_einsum_dense_int4_matches_numpy(block_size):
    rng = np.random.default_rng(16)
    layer = layers.EinsumDense("btd,ndh->btnh", (3, 2, 4), bias_axes="nh")
    layer.build((None, 3, 5))
    w = _np(layer.kernel)
    b = rng.standard_normal((2, 4)).astype("float32")
    layer.bias.assign(b)
    x = rng.standard_normal((2, 3, 5)).astype("float32")
    layer.quantize(config=quantizers.Int4QuantizationConfig(block_size=block_size))
    # Keras 3's layout: the kernel reshaped (not transposed) to (contracted, others) = (5, 8),
    # packed two per byte along the columns.
    names = [(v.name, tuple(v.shape), str(v.dtype)) for v in layer.weights]
    expected = [("bias", (2, 4), "float32"), ("kernel", (5, 4), "int8")]
    if block_size is None:
        expected += [("kernel_scale", (8,), "float32")]
    else:
        expected += [("kernel_scale", (3, 8), "float32"), ("kernel_zero", (3, 8), "int8")]
        expected += [("g_idx", (5,), "float32")]
    assert names == expected
    assert layer.dtype_policy.name == f"int4/{block_size or -1}_from_float32"
    flat = w.reshape(5, 8)
    if block_size is None:
        kq, ks = _np_abs_max(flat, 0, 7)
        deq = (kq / ks).reshape(w.shape)
        np.testing.assert_array_equal(_np(layer.kernel), kq.reshape(w.shape))
    else:
        deq = _np_grouped(flat, block_size).reshape(w.shape)
    out = _np(layer(x))
    np.testing.assert_allclose(out, np.einsum("btd,ndh->btnh", x, deq) + b, rtol=1e-5, atol=1e-5)
    layer.enable_lora(2, b_initializer="random_normal")
    delta = _np(layer.lora_kernel_a) @ _np(layer.lora_kernel_b)
    assert delta.shape == w.shape
    np.testing.assert_allclose(
        _np(layer(x)), out + np.einsum("btd,ndh->btnh", x, delta), rtol=1e-5, atol=1e-5
    )
    store = {}
    layer.save_own_variables(store)  # the merged kernel, re-quantized (as Keras 3)
    assert [tuple(np.shape(store[k])) for k in store][:2] == [(5, 4), (2, 4)]
    if block_size is None:
        kq, ks = _np_abs_max((deq + delta).reshape(5, 8), 0, 7)
        np.testing.assert_allclose(np.asarray(store["2"]), ks[0], rtol=1e-6)


def test_dtype_policy_map_as_layer_dtype_and_quantized_config_round_trip(tmp_path):
    rng = np.random.default_rng(19)
    policy_map = keras.dtype_policies.DTypePolicyMap(default_policy="float32")
    policy_map["seq/q"] = "int8_from_float32"
    policy_map["seq/h.*"] = "float16"
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(3, name="q", dtype=policy_map),
            layers.Dense(2, name="h1", dtype=policy_map),
            layers.Dense(2, name="f", dtype=policy_map),
        ],
        name="seq",
    )
    q, h1, f = model.layers
    assert (q.path, h1.path, f.path) == ("seq/q", "seq/h1", "seq/f")
    # The layer keeps the map as its dtype_policy and uses the entry for its path.
    assert q.dtype_policy is policy_map and q.quantization_mode == "int8"
    assert [(v.name, str(v.dtype)) for v in q.weights][1:] == [
        ("kernel", "int8"),
        ("kernel_scale", "float32"),
    ]
    assert (h1.compute_dtype, h1.quantization_mode, str(h1.kernel.dtype)) == (
        "float16",
        None,
        "float16",
    )
    assert (f.compute_dtype, f.quantization_mode) == ("float32", None)
    config = q.get_config()["dtype"]
    assert config["class_name"] == "DTypePolicyMap"
    assert sorted(config["config"]["policy_map"]) == ["seq/h.*", "seq/q"]

    # Quantizing a layer whose dtype is a map writes its policy into the map at its path;
    # the saved config rebuilds the quantized variables from the map.
    shared = keras.dtype_policies.DTypePolicyMap()
    inputs = keras.Input((4,))
    hidden = layers.Dense(3, name="a", dtype=shared)(inputs)
    functional = keras.Model(inputs, layers.Dense(2, name="b", dtype=shared)(hidden))
    x = rng.standard_normal((3, 4)).astype("float32")
    functional.quantize("int8")
    assert {k: v.name for k, v in shared.items()} == {
        "a": "int8_from_float32",
        "b": "int8_from_float32",
    }
    expected = _np(functional.predict(x, verbose=0))
    clone = keras.Model.from_config(functional.get_config())
    assert [str(v.dtype) for v in clone.get_layer("a").weights] == ["float32", "int8", "float32"]
    path = str(tmp_path / "map.keras")
    functional.save(path)
    loaded = keras.saving.load_model(path)
    layer = loaded.get_layer("b")
    assert isinstance(layer.dtype_policy, keras.dtype_policies.DTypePolicyMap)
    assert layer.quantization_mode == "int8"
    np.testing.assert_array_equal(_np(loaded.predict(x, verbose=0)), expected)


def _model(rng):
    ids = keras.Input((6,), dtype="int32")
    h = layers.Embedding(20, 8, name="emb")(ids)
    h = layers.EinsumDense("abc,cd->abd", (6, 5), bias_axes="d", name="ein")(h)
    h = layers.Flatten()(h)
    h = layers.Dense(16, activation="relu", name="d1", bias_initializer="random_normal")(h)
    return keras.Model(ids, layers.Dense(3, name="out")(h))


@pytest.mark.parametrize("mode", ["int8", "int4"])
def test_model_quantize_save_load_round_trip(tmp_path, mode):
    rng = np.random.default_rng(6)
    model = _model(rng)
    x = rng.integers(0, 20, (4, 6)).astype("int32")
    ref = _np(model.predict(x, verbose=0))
    model.quantize(mode)
    modes = {lay.name: lay.quantization_mode for lay in model.layers if hasattr(lay, "quantize")}
    assert modes == {"emb": mode, "ein": mode, "d1": mode, "out": mode}
    out = _np(model.predict(x, verbose=0))
    assert np.abs(out - ref).max() < (0.05 if mode == "int8" else 0.5) * np.abs(ref).max()
    path = str(tmp_path / f"{mode}.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(_np(loaded.predict(x, verbose=0)), out)
    assert loaded.get_layer("d1").dtype_policy == model.get_layer("d1").dtype_policy


def test_int8_file_is_at_most_30_percent_of_float32(tmp_path):
    model = keras.Sequential([keras.Input((256,)), layers.Dense(256), layers.Dense(256)])
    model.save(str(tmp_path / "float.keras"))
    model.quantize("int8")
    model.save(str(tmp_path / "int8.keras"))
    ratio = os.path.getsize(tmp_path / "int8.keras") / os.path.getsize(tmp_path / "float.keras")
    assert ratio <= 0.30, ratio


def test_lora_on_int8_dense_output_and_save(tmp_path):
    rng = np.random.default_rng(7)
    layer, w, b = _dense(rng)
    layer.quantize("int8")
    layer.enable_lora(2, b_initializer="random_normal")
    assert [v.name for v in layer.trainable_weights] == ["bias", "lora_kernel_a", "lora_kernel_b"]
    x = rng.standard_normal((4, 8)).astype("float32")
    delta = _np(layer.lora_kernel_a) @ _np(layer.lora_kernel_b)
    np.testing.assert_allclose(
        _np(layer(x)), _np_dense_int8(x, w, b) + x @ delta, rtol=1e-5, atol=1e-5
    )
    model = keras.Sequential([keras.Input((8,)), layer])
    path = str(tmp_path / "lora_int8.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    # The file holds the merged kernel re-quantized to int8 (Keras 3 does the same).
    merged = _np(layer.kernel).astype("float32") / _np(layer.kernel_scale) + delta
    np.testing.assert_allclose(
        _np(loaded.predict(x, verbose=0)), _np_dense_int8(x, merged, b), rtol=1e-5, atol=1e-5
    )


@needs_training
def test_training_through_int8_layer_with_lora():
    rng = np.random.default_rng(8)
    model = keras.Sequential(
        [keras.Input((8,)), layers.Dense(8, name="f"), layers.Dense(4, name="q")]
    )
    model.quantize("int8", filters="q")
    assert model.get_layer("f").quantization_mode is None
    q = model.get_layer("q")
    q.enable_lora(2)
    before_q = _np(q._kernel).copy()
    before_f = _np(model.get_layer("f").kernel).copy()
    x = rng.standard_normal((32, 8)).astype("float32")
    y = rng.standard_normal((32, 4)).astype("float32")
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    first = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    assert model.evaluate(x, y, verbose=0) < first
    np.testing.assert_array_equal(_np(q._kernel), before_q)
    # The inputs' gradient goes through the dequantized kernel to the float layer below.
    assert np.abs(_np(model.get_layer("f").kernel) - before_f).max() > 0


# --- Keras 3.15.1: the same float weights quantize alike, and files load both ways --------------
KERAS3_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import keras

    folder = sys.argv[1]
    x = np.load(f"{folder}/inputs.npy")
    for mode in ("int8", "int4", "float8"):
        w = np.load(f"{folder}/weights_{mode}.npz")
        ids = keras.Input((6,), dtype="int32")
        h = keras.layers.Embedding(20, 8, name="emb")(ids)
        h = keras.layers.EinsumDense("abc,cd->abd", (6, 5), bias_axes="d", name="ein")(h)
        h = keras.layers.Flatten()(h)
        h = keras.layers.Dense(16, activation="relu", name="d1")(h)
        model = keras.Model(ids, keras.layers.Dense(3, name="out")(h))
        for v in model.weights:
            v.assign(w[v.path])
        model.quantize(mode)
        np.save(f"{folder}/keras3_direct_{mode}.npy", np.asarray(model.predict(x, verbose=0)))
        model.save(f"{folder}/keras3_{mode}.keras")
        theirs = keras.saving.load_model(f"{folder}/unikeras_{mode}.keras")
        np.save(f"{folder}/keras3_on_unikeras_{mode}.npy", np.asarray(theirs.predict(x, verbose=0)))
""")


@pytest.mark.skipif(
    importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None,
    reason="Keras 3 with JAX is not installed here (the jax env has it)",
)
def test_keras3_quantizes_alike_and_files_load_both_ways(tmp_path):
    if keras.backend.backend() != "jax":
        pytest.skip("compared once, in the jax env (Keras 3 runs there on jax)")
    rng = np.random.default_rng(9)
    x = rng.integers(0, 20, (4, 6)).astype("int32")
    np.save(tmp_path / "inputs.npy", x)
    expected = {}
    for mode in ("int8", "int4", "float8"):
        model = _model(rng)
        np.savez(tmp_path / f"weights_{mode}.npz", **{v.path: _np(v) for v in model.weights})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Embedding has no float8
            model.quantize(mode)
        expected[mode] = _np(model.predict(x, verbose=0))
        model.save(str(tmp_path / f"unikeras_{mode}.keras"))
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
    for mode in ("int8", "int4", "float8"):
        # Keras quantizes the same float weights to the same outputs ...
        direct = np.load(tmp_path / f"keras3_direct_{mode}.npy")
        np.testing.assert_allclose(direct, expected[mode], atol=1e-5)
        # ... loads unikeras' file, and unikeras loads Keras' file, with equal outputs.
        on_ours = np.load(tmp_path / f"keras3_on_unikeras_{mode}.npy")
        np.testing.assert_allclose(on_ours, expected[mode], atol=1e-5)
        loaded = keras.saving.load_model(str(tmp_path / f"keras3_{mode}.keras"))
        np.testing.assert_allclose(_np(loaded.predict(x, verbose=0)), expected[mode], atol=1e-5)
        assert loaded.get_layer("d1").quantization_mode == mode


KERAS3_REVERSIBLE_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import keras

    folder = sys.argv[1]
    x = np.load(f"{folder}/inputs.npy")
    for case, block in (("int8", None), ("int4_channel", None), ("int4_block", 4)):
        w = np.load(f"{folder}/weights_{case}.npz")
        ids = keras.Input((6,), dtype="int32")
        rev = keras.layers.ReversibleEmbedding(20, 8, tie_weights=False, name="rev")
        tied = keras.layers.ReversibleEmbedding(20, 8, name="tied")
        h = keras.layers.Add()([rev(ids), tied(ids)])
        h = keras.layers.EinsumDense("btd,ndh->btnh", (6, 2, 4), name="att")(h)
        h = keras.layers.Reshape((6, 8))(h)
        model = keras.Model(ids, [rev(h, reverse=True), tied(h, reverse=True)])
        for v in model.weights:
            v.assign(w[v.path])
        if case == "int8":
            model.quantize("int8")
        else:
            model.quantize(config=keras.quantizers.Int4QuantizationConfig(block_size=block))
        out = model.predict(x, verbose=0)
        np.savez(f"{folder}/keras3_direct_{case}.npz", *out)
        model.save(f"{folder}/keras3_{case}.keras")
        theirs = keras.saving.load_model(f"{folder}/unikeras_{case}.keras")
        np.savez(f"{folder}/keras3_on_unikeras_{case}.npz", *theirs.predict(x, verbose=0))
""")


def _reversible_model():
    ids = keras.Input((6,), dtype="int32")
    rev = layers.ReversibleEmbedding(20, 8, tie_weights=False, name="rev")
    tied = layers.ReversibleEmbedding(20, 8, name="tied")
    h = layers.Add()([rev(ids), tied(ids)])
    h = layers.EinsumDense("btd,ndh->btnh", (6, 2, 4), name="att")(h)
    h = layers.Reshape((6, 8))(h)
    return keras.Model(ids, [rev(h, reverse=True), tied(h, reverse=True)])


@pytest.mark.skipif(
    importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None,
    reason="Keras 3 with JAX is not installed here (the jax env has it)",
)
def test_keras3_einsum_int4_and_reversible_embedding_files_load_both_ways(tmp_path):
    if keras.backend.backend() != "jax":
        pytest.skip("compared once, in the jax env (Keras 3 runs there on jax)")
    rng = np.random.default_rng(18)
    x = rng.integers(0, 20, (2, 6)).astype("int32")
    np.save(tmp_path / "inputs.npy", x)
    expected = {}
    for case, block in (("int8", None), ("int4_channel", None), ("int4_block", 4)):
        model = _reversible_model()
        for v in model.weights:  # embeddings large enough for the int8 inputs' scales
            v.assign(rng.standard_normal(tuple(v.shape)).astype("float32"))
        np.savez(tmp_path / f"weights_{case}.npz", **{v.path: _np(v) for v in model.weights})
        if case == "int8":
            model.quantize("int8")
        else:
            model.quantize(config=quantizers.Int4QuantizationConfig(block_size=block))
        expected[case] = [_np(o) for o in model.predict(x, verbose=0)]
        model.save(str(tmp_path / f"unikeras_{case}.keras"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", KERAS3_REVERSIBLE_SCRIPT, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    for case in expected:
        direct = np.load(tmp_path / f"keras3_direct_{case}.npz")
        on_ours = np.load(tmp_path / f"keras3_on_unikeras_{case}.npz")
        loaded = keras.saving.load_model(str(tmp_path / f"keras3_{case}.keras"))
        mine = [_np(o) for o in loaded.predict(x, verbose=0)]
        for i, ref in enumerate(expected[case]):
            tol = 1e-4 * max(1.0, np.abs(ref).max())
            np.testing.assert_allclose(direct[f"arr_{i}"], ref, atol=tol, err_msg=case)
            np.testing.assert_allclose(on_ours[f"arr_{i}"], ref, atol=tol, err_msg=case)
            np.testing.assert_allclose(mine[i], ref, atol=tol, err_msg=case)
        assert loaded.get_layer("att").quantization_mode == case[:4]


KERAS3_GPTQ_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import keras

    folder = sys.argv[1]
    x = np.load(f"{folder}/inputs.npy")
    w = np.load(f"{folder}/weights.npz")
    ids = keras.Input((6,), dtype="int32")
    emb = keras.layers.Embedding(20, 8, name="emb")
    d1 = keras.layers.Dense(8, activation="relu", name="d1")
    d2 = keras.layers.Dense(8, name="d2")
    model = keras.Model(ids, d2(d1(emb(ids))))
    for v in model.weights:
        v.assign(w[v.path])
    config = keras.quantizers.GPTQConfig(
        dataset=list(x), tokenizer=object(), weight_bits=4, group_size=4, num_samples=4,
        sequence_length=6, symmetric=True,
        quantization_layer_structure={"pre_block_layers": [emb], "sequential_blocks": [d1, d2]},
    )
    model.quantize("gptq", config=config, filters=["d1", "d2"])
    np.save(f"{folder}/keras3_direct.npy", np.asarray(model.predict(x, verbose=0)))
    config.quantization_layer_structure = None  # (Keras 3.15.1 recurses saving its layers)
    model.save(f"{folder}/keras3_gptq.keras")
    theirs = keras.saving.load_model(f"{folder}/unikeras_gptq.keras")
    np.save(f"{folder}/keras3_on_unikeras.npy", np.asarray(theirs.predict(x, verbose=0)))
    print(theirs.get_layer("d1").dtype_policy.name)
    awq = keras.saving.load_model(f"{folder}/unikeras_awq.keras")
    np.save(f"{folder}/keras3_on_unikeras_awq.npy", np.asarray(awq.predict(x, verbose=0)))
    print(awq.get_layer("d1").dtype_policy.name)
""")


def _gptq_token_model():
    ids = keras.Input((6,), dtype="int32")
    emb = layers.Embedding(20, 8, name="emb")
    d1 = layers.Dense(8, activation="relu", name="d1")
    d2 = layers.Dense(8, name="d2")
    return keras.Model(ids, d2(d1(emb(ids)))), emb, d1, d2


def test_gptq_options_and_errors():
    rng = np.random.default_rng(20)
    x = rng.standard_normal((64, 12)).astype("float32")

    def mlp():
        keras.utils.set_random_seed(3)
        return keras.Sequential(
            [keras.Input((12,)), layers.Dense(8, activation="relu"), layers.Dense(5)]
        )

    reference = _np(mlp().predict(x, verbose=0))
    errors = {}
    for bits, group in ((8, -1), (4, 4), (2, -1)):
        model = mlp()
        config = quantizers.GPTQConfig(
            x, None, weight_bits=bits, group_size=group, num_samples=64, activation_order=True
        )
        model.quantize("gptq", config=config)
        dense = model.layers[0]
        assert dense.dtype_policy.name == f"gptq/{bits}/{group}_from_float32"
        groups = 1 if group == -1 else 3
        assert [(v.name, tuple(v.shape), str(v.dtype)) for v in dense.weights] == [
            ("bias", (8,), "float32"),
            ("kernel", (4 if bits == 4 else 8, 12), "uint8"),
            ("kernel_scale", (8, groups), "float32"),
            ("kernel_zero", (8, groups), "uint8"),
            ("g_idx", (12,), "float32"),
        ]
        q = _np(dense.kernel).astype("float32")  # (units, input_dim) integers
        assert q.max() <= 2**bits - 1
        g = _np(dense.g_idx).astype("int32")
        deq = ((q - _np(dense.kernel_zero)[:, g]) * _np(dense.kernel_scale)[:, g]).T
        hidden = np.maximum(x @ deq + _np(dense.bias), 0)
        np.testing.assert_allclose(_np(model.layers[0](x)), hidden, rtol=1e-5, atol=1e-5)
        errors[bits] = np.mean((_np(model.predict(x, verbose=0)) - reference) ** 2)
    assert errors[8] < errors[4] < errors[2]
    # Only the Dense layers inside quantization_layer_structure's blocks are quantized.
    model, emb, d1, d2 = _gptq_token_model()
    ids = rng.integers(0, 20, (8, 6)).astype("int32")
    structure = {"pre_block_layers": [emb], "sequential_blocks": [d2]}
    model.quantize(
        "gptq",
        config=quantizers.GPTQConfig(
            ids, None, group_size=4, num_samples=8, quantization_layer_structure=structure
        ),
    )
    assert (d1.quantization_mode, d2.quantization_mode) == (None, "gptq")
    # A Keras 3.15.1 GPTQ Dense file (no kernel_zero) of an asymmetric config is refused.
    store = {}
    d2.save_own_variables(store)
    keras_like = {str(i): store[k] for i, k in enumerate(("0", "1", "2", "4"))}
    with pytest.raises(ValueError, match="kernel_zero"):
        d2.load_own_variables(keras_like)


@pytest.mark.skipif(
    importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None,
    reason="Keras 3 with JAX is not installed here (the jax env has it)",
)
def test_keras3_gptq_files_load_both_ways_and_keras_loads_our_awq(tmp_path):
    if keras.backend.backend() != "jax":
        pytest.skip("compared once, in the jax env (Keras 3 runs there on jax)")
    rng = np.random.default_rng(21)
    x = rng.integers(0, 20, (4, 6)).astype("int32")
    np.save(tmp_path / "inputs.npy", x)
    model, emb, d1, d2 = _gptq_token_model()
    np.savez(tmp_path / "weights.npz", **{v.path: _np(v) for v in model.weights})
    structure = {"pre_block_layers": [emb], "sequential_blocks": [d1, d2]}
    config = quantizers.GPTQConfig(
        x, None, group_size=4, num_samples=4, quantization_layer_structure=structure
    )  # asymmetric here; Keras' file below is symmetric (its files lack kernel_zero)
    model.quantize("gptq", config=config)
    expected = _np(model.predict(x, verbose=0))
    model.save(str(tmp_path / "unikeras_gptq.keras"))
    awq, emb, d1, d2 = _gptq_token_model()
    awq.set_weights([np.load(tmp_path / "weights.npz")[v.path] for v in awq.weights])
    structure = {"pre_block_layers": [emb], "sequential_blocks": [d1, d2]}
    config = quantizers.AWQConfig(
        x, None, group_size=4, num_samples=4, quantization_layer_structure=structure
    )
    awq.quantize("awq", config=config)
    expected_awq = _np(awq.predict(x, verbose=0))
    awq.save(str(tmp_path / "unikeras_awq.keras"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", KERAS3_GPTQ_SCRIPT, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "gptq/4/4_from_float32" in result.stdout and "awq/4/4_from_float32" in result.stdout
    np.testing.assert_allclose(
        np.load(tmp_path / "keras3_on_unikeras_awq.npy"), expected_awq, atol=1e-5
    )
    # Keras reads unikeras' GPTQ variables alike, and unikeras reads Keras' GPTQ file.
    np.testing.assert_allclose(np.load(tmp_path / "keras3_on_unikeras.npy"), expected, atol=1e-5)
    loaded = keras.saving.load_model(str(tmp_path / "keras3_gptq.keras"))
    assert loaded.get_layer("d2").dtype_policy.name == "gptq/4/4_from_float32"
    np.testing.assert_allclose(
        _np(loaded.predict(x, verbose=0)), np.load(tmp_path / "keras3_direct.npy"), atol=1e-5
    )


def _outlier_mlp_and_data(rng):
    # A few input channels with 30x larger activations (the outliers AWQ protects).
    x = rng.standard_normal((256, 16)).astype("float32")
    x[:, [2, 9]] *= 30.0

    def mlp():
        keras.utils.set_random_seed(4)
        return keras.Sequential(
            [keras.Input((16,)), layers.Dense(16, activation="relu"), layers.Dense(4)]
        )

    return mlp, x[:128], x[128:]


def test_awq_beats_round_to_nearest_int4_on_outlier_channels(tmp_path):
    rng = np.random.default_rng(22)
    mlp, calibration, held_out = _outlier_mlp_and_data(rng)
    reference = _np(mlp().predict(held_out, verbose=0))
    rtn = mlp()
    rtn.quantize(config=quantizers.Int4QuantizationConfig(block_size=8))
    awq = mlp()
    awq.quantize(
        "awq", config=quantizers.AWQConfig(calibration, None, group_size=8, num_samples=128)
    )
    dense = awq.layers[0]
    assert dense.dtype_policy.name == "awq/4/8_from_float32"
    assert [(v.name, tuple(v.shape), str(v.dtype)) for v in dense.weights] == [
        ("bias", (16,), "float32"),
        ("kernel", (8, 16), "uint8"),
        ("kernel_scale", (16, 2), "float32"),
        ("kernel_zero", (16, 2), "uint8"),
        ("awq_scales", (16,), "float32"),
        ("g_idx", (16,), "float32"),
    ]
    s = _np(dense.awq_scales)
    assert s[[2, 9]].min() > np.delete(s, [2, 9]).max()  # outlier channels scaled up
    # The forward pass is W = ((q - zero) * scale).T / awq_scales (Keras 3's AWQ layout).
    q, g = _np(dense.kernel).astype("float32"), _np(dense.g_idx).astype("int32")
    kernel = ((q - _np(dense.kernel_zero)[:, g]) * _np(dense.kernel_scale)[:, g]).T / s[:, None]
    np.testing.assert_allclose(
        _np(dense(held_out)),
        np.maximum(held_out @ kernel + _np(dense.bias), 0),
        rtol=1e-4,
        atol=1e-4,
    )
    err_rtn = np.mean((_np(rtn.predict(held_out, verbose=0)) - reference) ** 2)
    err_awq = np.mean((_np(awq.predict(held_out, verbose=0)) - reference) ** 2)
    assert err_awq < err_rtn, (err_awq, err_rtn)
    path = str(tmp_path / "awq.keras")
    awq.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.layers[0].quantization_mode == "awq"
    np.testing.assert_array_equal(
        _np(loaded.predict(held_out, verbose=0)), _np(awq.predict(held_out, verbose=0))
    )


@pytest.mark.skipif(
    "openvino" not in keras.backend.registry.installed_backends()
    or importlib.util.find_spec("openvino") is None,
    reason="the OpenVINO exporter comes with unikeras-openvino (tox envs openvino and all)",
)
def test_openvino_export_keeps_int8_weights(tmp_path):
    import openvino as ov

    rng = np.random.default_rng(14)
    model = keras.Sequential([keras.Input((64,)), layers.Dense(64), layers.Dense(8)])
    model.export(tmp_path / "float", format="openvino", verbose=False)
    model.quantize("int8")
    x = rng.standard_normal((3, 64)).astype("float32")
    expected = _np(model.predict(x, verbose=0))
    path = model.export(tmp_path / "int8", format="openvino", verbose=False)
    ir = ov.Core().read_model(path)
    kernels = {
        tuple(op.get_output_shape(0)): op.get_output_element_type(0).get_type_name()
        for op in ir.get_ops()
        if op.get_type_name() == "Constant" and len(op.get_output_shape(0)) == 2
    }
    assert kernels[(64, 64)] == "i8" and kernels[(64, 8)] == "i8", kernels
    compiled = ov.Core().compile_model(ir, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    np.testing.assert_allclose(compiled(x)[0], expected, rtol=1e-5, atol=1e-5)
    ratio = os.path.getsize(tmp_path / "int8.bin") / os.path.getsize(tmp_path / "float.bin")
    assert ratio <= 0.30, ratio


def test_gptq_beats_round_to_nearest_int4_on_a_small_mlp(tmp_path):
    rng = np.random.default_rng(15)
    # Correlated inputs (low-rank plus noise), where error feedback through H pays off.
    x = rng.standard_normal((384, 6)) @ rng.standard_normal((6, 24))
    x = (x + 0.1 * rng.standard_normal((384, 24))).astype("float32")
    calibration, held_out = x[:256], x[256:]

    def mlp():
        keras.utils.set_random_seed(3)
        return keras.Sequential(
            [keras.Input((24,)), layers.Dense(32, activation="relu"), layers.Dense(8)]
        )

    reference = _np(mlp().predict(held_out, verbose=0))
    rtn = mlp()
    rtn.quantize(config=quantizers.Int4QuantizationConfig(block_size=8))
    gptq = mlp()
    config = quantizers.GPTQConfig(calibration, None, group_size=8, num_samples=256)
    gptq.quantize("gptq", config=config)
    assert gptq.layers[0].dtype_policy.name == "gptq/4/8_from_float32"
    err_rtn = np.mean((_np(rtn.predict(held_out, verbose=0)) - reference) ** 2)
    err_gptq = np.mean((_np(gptq.predict(held_out, verbose=0)) - reference) ** 2)
    assert err_gptq < 0.6 * err_rtn, (err_gptq, err_rtn)
    path = str(tmp_path / "gptq.keras")
    gptq.save(path)
    np.testing.assert_array_equal(
        _np(keras.saving.load_model(path).predict(held_out, verbose=0)),
        _np(gptq.predict(held_out, verbose=0)),
    )


# --- GPTQ / AWQ on EinsumDense -----------------------------------------------------------
def _attention_like():
    """Two EinsumDense layers shaped as an attention block's QKV (kernel (24, 4, 8)) and
    output (kernel (4, 8, 24)) projections, with fixed NumPy weights (the same on every
    backend)."""
    inputs = keras.Input((5, 24))
    qkv = layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de", name="qkv")
    out = layers.EinsumDense("abde,dec->abc", output_shape=(None, 24), name="out")
    model = keras.Model(inputs, out(qkv(inputs)))
    rng = np.random.default_rng(7)
    model.set_weights([0.3 * rng.standard_normal(v.shape).astype("float32") for v in model.weights])
    return model


def _np_gptq_matrix(layer):
    """A GPTQ/AWQ layer's dequantized `(rows, columns)` matrix from its stored variables."""
    q = _np(layer.kernel).astype("float32")  # (columns, rows) integers, as Keras 3
    g = _np(layer.g_idx).astype("int32")
    w = ((q - _np(layer.kernel_zero)[:, g]) * _np(layer.kernel_scale)[:, g]).T
    if layer.quantization_mode == "awq":
        w = w / _np(layer.awq_scales)[:, None]
    return w


@pytest.mark.parametrize("mode", ["gptq", "awq"])
def test_gptq_and_awq_on_einsum_dense_match_numpy_and_beat_rtn(tmp_path, mode):
    rng = np.random.default_rng(30)
    if mode == "gptq":  # correlated inputs (low rank plus noise): error feedback pays off
        x = rng.standard_normal((160, 5, 6)) @ rng.standard_normal((6, 24))
        x = x + 0.1 * rng.standard_normal((160, 5, 24))
    else:  # three outlier channels: what AWQ's scales protect
        x = rng.standard_normal((160, 5, 24))
        x[..., [1, 6, 20]] *= 30.0
    x = x.astype("float32")
    calibration, held_out = x[:128], x[128:]
    reference = _np(_attention_like().predict(held_out, verbose=0))
    rtn = _attention_like()
    rtn.quantize(config=quantizers.Int4QuantizationConfig(block_size=8))
    quantized = _attention_like()
    config_class = quantizers.GPTQConfig if mode == "gptq" else quantizers.AWQConfig
    config = config_class(calibration, None, group_size=8, num_samples=128)
    quantized.quantize(mode, config=config)
    qkv, out = quantized.get_layer("qkv"), quantized.get_layer("out")
    extra = [("awq_scales", (24,), "float32")] if mode == "awq" else []
    assert qkv.dtype_policy.name == f"{mode}/4/8_from_float32"
    # QKV: rows = d_model = 24, columns = heads * head_dim = 32.
    assert [(v.name, tuple(v.shape), str(v.dtype)) for v in qkv.weights] == [
        ("bias", (4, 8), "float32"),
        ("kernel", (16, 24), "uint8"),  # (ceil(32 / 2), rows): 4 bits packed along columns
        ("kernel_scale", (32, 3), "float32"),
        ("zero_point", (32, 3), "uint8"),  # Keras 3's EinsumDense name of kernel_zero
        *extra,
        ("g_idx", (24,), "float32"),
    ]
    # Output projection: rows = heads * head_dim = 32, columns = d_model = 24.
    assert [tuple(v.shape) for v in out.weights] == [(12, 32), (24, 4), (24, 4)] + (
        [(32,)] if mode == "awq" else []
    ) + [(32,)]
    assert tuple(out.kernel.shape) == (24, 32)  # unpacked (columns, rows) integers
    # The forward pass against a NumPy einsum of the dequantized, reshaped kernels.
    h = np.einsum("abc,cde->abde", held_out, _np_gptq_matrix(qkv).reshape(24, 4, 8))
    h = h + _np(qkv.bias)
    expected = np.einsum("abde,dec->abc", h, _np_gptq_matrix(out).reshape(4, 8, 24))
    got = _np(quantized.predict(held_out, verbose=0))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-3)
    err = np.mean((got - reference) ** 2)
    err_rtn = np.mean((_np(rtn.predict(held_out, verbose=0)) - reference) ** 2)
    assert err < (0.5 if mode == "gptq" else 0.9) * err_rtn, (err, err_rtn)
    with pytest.raises(NotImplementedError, match="LoRA"):
        qkv.enable_lora(2)
    path = str(tmp_path / f"{mode}.keras")
    quantized.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.get_layer("out").quantization_mode == mode
    np.testing.assert_array_equal(_np(loaded.predict(held_out, verbose=0)), got)
    # A kernel whose contracted dims are not first cannot use Keras' 2-D split.
    inputs = keras.Input((8,))
    odd = keras.Model(inputs, layers.EinsumDense("ab,cb->ac", output_shape=3)(inputs))
    with pytest.raises(ValueError, match="contracted"):
        odd.quantize(mode, config=config_class(calibration[:, 0, :8], None, group_size=4))


def test_gptq_calibrates_einsum_dense_inside_multi_head_attention():
    # The projections inside a MultiHeadAttention are not nodes of the model's graph: their
    # inputs are recorded while the model runs (the query projection's are the model's).
    from unikeras.quantizers.gptq import gptq_quantize

    rng = np.random.default_rng(32)
    x = rng.standard_normal((16, 5, 8)).astype("float32")
    inputs = keras.Input((5, 8))
    mha = layers.MultiHeadAttention(2, 4, name="mha")
    model = keras.Model(inputs, layers.Dense(3, name="d")(mha(inputs, inputs)))
    query = mha.query_dense
    kernel = _np(query.kernel).reshape(8, 8)  # (8, 2, 4) -> (d_model, heads * head_dim)
    reference = _np(model.predict(x, verbose=0))
    config = quantizers.GPTQConfig(x, None, group_size=4, num_samples=16)
    model.quantize("gptq", config=config)
    projections = [mha.query_dense, mha.key_dense, mha.value_dense, mha.output_dense]
    assert [p.quantization_mode for p in projections] == ["gptq"] * 4
    assert model.get_layer("d").quantization_mode == "gptq"
    q, scale, zero, _ = gptq_quantize(kernel, x.reshape(-1, 8), group_size=4)
    np.testing.assert_array_equal(_np(query.kernel), q)
    np.testing.assert_allclose(_np(query.kernel_scale), scale, rtol=1e-6)
    np.testing.assert_array_equal(_np(query.kernel_zero), zero)
    got = _np(model.predict(x, verbose=0))
    assert np.mean((got - reference) ** 2) < 0.2 * np.mean(reference**2)  # int4, 5 layers


KERAS3_EINSUM_GPTQ_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    import keras

    folder = sys.argv[1]
    x = np.load(f"{folder}/inputs.npy")
    w = np.load(f"{folder}/weights.npz")
    ids = keras.Input((5,), dtype="int32")
    emb = keras.layers.Embedding(20, 8, name="emb")
    qkv = keras.layers.EinsumDense(
        "abc,cde->abde", output_shape=(None, 4, 3), bias_axes="de", name="qkv"
    )
    out = keras.layers.EinsumDense("abde,dec->abc", output_shape=(None, 8), name="out")
    model = keras.Model(ids, out(qkv(emb(ids))))
    for v in model.weights:
        v.assign(w[v.path])
    # Keras 3.15.1 drops the batch axis between blocks and cannot chain blocks with 4-D
    # outputs, so each projection is quantized in its own pass.
    for pre, block in (([emb], qkv), ([emb, qkv], out)):
        config = keras.quantizers.GPTQConfig(
            dataset=list(x), tokenizer=object(), weight_bits=4, group_size=4, num_samples=4,
            sequence_length=5, symmetric=True,
            quantization_layer_structure={"pre_block_layers": pre, "sequential_blocks": [block]},
        )
        model.quantize("gptq", config=config, filters=[block.name])
        config.quantization_layer_structure = None  # (Keras 3.15.1 recurses saving it)
    np.save(f"{folder}/keras3_direct.npy", np.asarray(model.predict(x, verbose=0)))
    model.save(f"{folder}/keras3_gptq.keras")
    for mode in ("gptq", "awq"):
        theirs = keras.saving.load_model(f"{folder}/unikeras_{mode}.keras")
        np.save(f"{folder}/keras3_on_{mode}.npy", np.asarray(theirs.predict(x, verbose=0)))
        print(theirs.get_layer("qkv").dtype_policy.name, theirs.get_layer("out").dtype_policy.name)
""")


def _einsum_token_model():
    ids = keras.Input((5,), dtype="int32")
    emb = layers.Embedding(20, 8, name="emb")
    qkv = layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 3), bias_axes="de", name="qkv")
    out = layers.EinsumDense("abde,dec->abc", output_shape=(None, 8), name="out")
    return keras.Model(ids, out(qkv(emb(ids)))), emb, qkv, out


@pytest.mark.skipif(
    importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None,
    reason="Keras 3 with JAX is not installed here (the jax env has it)",
)
def test_keras3_einsum_dense_gptq_and_awq_files_load_both_ways(tmp_path):
    if keras.backend.backend() != "jax":
        pytest.skip("compared once, in the jax env (Keras 3 runs there on jax)")
    rng = np.random.default_rng(31)
    x = rng.integers(0, 20, (4, 5)).astype("int32")
    np.save(tmp_path / "inputs.npy", x)
    model = _einsum_token_model()[0]
    weights = {v.path: _np(v) for v in model.weights}
    np.savez(tmp_path / "weights.npz", **weights)
    expected = {}
    for mode, config_class in (("gptq", quantizers.GPTQConfig), ("awq", quantizers.AWQConfig)):
        model, emb, qkv, out = _einsum_token_model()
        model.set_weights([weights[v.path] for v in model.weights])
        structure = {"pre_block_layers": [emb], "sequential_blocks": [qkv, out]}
        config = config_class(
            x, None, group_size=4, num_samples=4, quantization_layer_structure=structure
        )
        model.quantize(mode, config=config)
        expected[mode] = _np(model.predict(x, verbose=0))
        model.save(str(tmp_path / f"unikeras_{mode}.keras"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", KERAS3_EINSUM_GPTQ_SCRIPT, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "gptq/4/4_from_float32 gptq/4/4_from_float32" in result.stdout
    assert "awq/4/4_from_float32 awq/4/4_from_float32" in result.stdout
    # Keras reads unikeras' EinsumDense GPTQ and AWQ variables alike.
    for mode in ("gptq", "awq"):
        np.testing.assert_allclose(
            np.load(tmp_path / f"keras3_on_{mode}.npy"), expected[mode], atol=1e-5
        )
    # unikeras reads Keras' file (symmetric: Keras 3.15.1 leaves kernel_zero out of it).
    loaded = keras.saving.load_model(str(tmp_path / "keras3_gptq.keras"))
    assert [tuple(v.shape) for v in loaded.get_layer("out").weights] == [
        (4, 12),
        (8, 3),
        (8, 3),
        (12,),
    ]
    np.testing.assert_allclose(
        _np(loaded.predict(x, verbose=0)), np.load(tmp_path / "keras3_direct.npy"), atol=1e-5
    )
