"""Attention layers and `EinsumDense` against step-by-step NumPy computations."""

import numpy as np
import pytest

import unikeras as keras
from layer_checks import check_config_roundtrip, check_symbolic_shape, rand, to_numpy

RTOL, ATOL = 1e-4, 1e-5


def randomize(layer, seed=1):
    """Gives `layer` random weights (biases too) and returns them as NumPy arrays."""
    weights = [rand(w.shape, seed=seed + i) for i, w in enumerate(layer.get_weights())]
    layer.set_weights(weights)
    return weights


def np_softmax(x, mask=None, axis=-1):
    if mask is not None:
        x = np.where(mask, x, -1e9)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    out = e / e.sum(axis=axis, keepdims=True)
    return out if mask is None else out * mask


def close(actual, expected):
    np.testing.assert_allclose(to_numpy(actual), expected, rtol=RTOL, atol=ATOL)


# --- EinsumDense -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "equation,output_shape,bias_axes,input_shape,kernel_shape",
    [
        ("ab,bc->ac", 4, "c", (2, 3), (3, 4)),
        ("abc,cd->abd", (5, 4), "d", (2, 5, 3), (3, 4)),
        ("abc,cde->abde", (None, 2, 4), "de", (2, 5, 3), (3, 2, 4)),
        ("...b,bc->...c", 4, None, (2, 3, 5, 3), (3, 4)),
        ("ab...,bc->ac...", 4, "c", (2, 3, 5), (3, 4)),
    ],
)
def test_einsum_dense_matches_np_einsum(
    equation, output_shape, bias_axes, input_shape, kernel_shape
):
    layer = keras.layers.EinsumDense(equation, output_shape, bias_axes=bias_axes)
    x = rand(input_shape)
    layer(x)
    weights = randomize(layer)
    assert weights[0].shape == kernel_shape
    expected = np.einsum(equation, x, weights[0])
    if bias_axes is not None:
        bias = weights[1]
        expected = expected + (
            bias.reshape(bias.shape + (1,) * (expected.ndim - 1 - bias.ndim))
            if equation.endswith("...")
            else bias
        )
    close(layer(x), expected)
    check_symbolic_shape(layer, input_shape[1:], x)
    check_config_roundtrip(layer, x)


def test_einsum_dense_errors():
    with pytest.raises(ValueError, match="einsum equation"):
        keras.layers.EinsumDense("ab->c", 3)(rand((2, 3)))
    with pytest.raises(ValueError, match="bias dimension"):
        keras.layers.EinsumDense("ab,bc->ac", 3, bias_axes="x")(rand((2, 3)))


# --- MultiHeadAttention ------------------------------------------------------------------------


def np_mha(weights, query, value, key=None, mask=None, use_bias=True):
    """Step-by-step multi-head attention with the layer's weights."""
    key = value if key is None else key
    if use_bias:
        wq, bq, wk, bk, wv, bv, wo, bo = weights
    else:
        (wq, wk, wv, wo), bq = weights, 0
        bk = bv = bo = 0
    q = np.einsum("btd,dnh->btnh", query, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", key, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", value, wv) + bv
    logits = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(q.shape[-1])
    probs = np_softmax(logits, None if mask is None else mask[:, None])
    heads = np.einsum("bnts,bsnh->btnh", probs, v)
    return np.einsum("btnh,nho->bto", heads, wo) + bo, probs


def make_mha(query, value, key=None, **kwargs):
    layer = keras.layers.MultiHeadAttention(**kwargs)
    layer(query, value, key)
    return layer, randomize(layer)


def test_mha_weight_layout():
    query, value = rand((2, 4, 6)), rand((2, 5, 3), seed=2)
    layer, _ = make_mha(query, value, num_heads=2, key_dim=3, value_dim=5, output_shape=7)
    shapes = [tuple(w.shape) for w in layer.weights]
    assert shapes == [(6, 2, 3), (2, 3), (3, 2, 3), (2, 3), (3, 2, 5), (2, 5), (2, 5, 7), (7,)]
    assert [w.path.split("/")[-2:] for w in layer.weights][::2] == [
        ["query", "kernel"],
        ["key", "kernel"],
        ["value", "kernel"],
        ["attention_output", "kernel"],
    ]
    assert to_numpy(layer(query, value)).shape == (2, 4, 7)


@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("shapes", [((2, 4, 6), (2, 4, 6)), ((3, 2, 6), (3, 5, 4))])
def test_mha_matches_numpy(use_bias, shapes):
    query, value = rand(shapes[0]), rand(shapes[1], seed=3)
    layer, weights = make_mha(query, value, num_heads=3, key_dim=2, use_bias=use_bias)
    expected, probs = np_mha(weights, query, value, use_bias=use_bias)
    close(layer(query, value), expected)
    out, scores = layer(query, value, return_attention_scores=True)
    close(out, expected)
    close(scores, probs)


def test_mha_separate_key():
    query, value, key = rand((2, 3, 4)), rand((2, 5, 6), seed=2), rand((2, 5, 2), seed=3)
    layer, weights = make_mha(query, value, key, num_heads=2, key_dim=3, value_dim=4)
    close(layer(query, value, key), np_mha(weights, query, value, key)[0])


def test_mha_masks():
    query, value = rand((2, 4, 6)), rand((2, 5, 6), seed=2)
    layer, weights = make_mha(query, value, num_heads=2, key_dim=3)
    attention_mask = np.random.default_rng(0).random((2, 4, 5)) > 0.4
    attention_mask[..., 0] = True  # no fully masked row
    close(
        layer(query, value, attention_mask=attention_mask),
        np_mha(weights, query, value, mask=attention_mask)[0],
    )
    value_mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    expected = np_mha(weights, query, value, mask=np.broadcast_to(value_mask[:, None], (2, 4, 5)))[
        0
    ]
    close(layer(query, value, value_mask=value_mask), expected)
    # With return_attention_scores the non-fused path runs: same result.
    close(layer(query, value, value_mask=value_mask, return_attention_scores=True)[0], expected)


def test_mha_causal_and_query_mask():
    x = rand((2, 5, 4))
    layer, weights = make_mha(x, x, num_heads=2, key_dim=2)
    causal = np.tril(np.ones((5, 5), bool))[None].repeat(2, 0)
    close(layer(x, x, use_causal_mask=True), np_mha(weights, x, x, mask=causal)[0])
    query_mask = np.array([[1, 1, 1, 1, 0], [1, 1, 0, 0, 0]], bool)
    out, scores = layer(
        x, x, query_mask=query_mask, use_causal_mask=True, return_attention_scores=True
    )
    expected, probs = np_mha(weights, x, x, mask=causal & query_mask[:, :, None])
    keep = query_mask.astype(bool)
    close(to_numpy(out)[keep], expected[keep])
    close(scores, probs)


def test_mha_attention_axes_2d():
    query = rand((2, 3, 4, 5))
    layer, weights = make_mha(query, query, num_heads=2, key_dim=3, attention_axes=(1, 2))
    wq, bq, wk, bk, wv, bv, wo, bo = weights
    q = np.einsum("bxyd,dnh->bxynh", query, wq) + bq
    k = np.einsum("bxyd,dnh->bxynh", query, wk) + bk
    v = np.einsum("bxyd,dnh->bxynh", query, wv) + bv
    logits = np.einsum("bxynh,bijnh->bnxyij", q, k) / np.sqrt(3)
    probs = np.exp(logits - logits.max(axis=(-2, -1), keepdims=True))
    probs /= probs.sum(axis=(-2, -1), keepdims=True)
    heads = np.einsum("bnxyij,bijnh->bxynh", probs, v)
    expected = np.einsum("bxynh,nho->bxyo", heads, wo) + bo
    close(layer(query, query), expected)
    assert tuple(layer(keras.Input((3, 4, 5)), keras.Input((3, 4, 5))).shape) == (None, 3, 4, 5)


def test_mha_config_and_symbolic():
    query, value = rand((2, 4, 6)), rand((2, 5, 3), seed=2)
    layer, _ = make_mha(
        query, value, num_heads=2, key_dim=3, output_shape=(2, 4), dropout=0.1, seed=3
    )
    config = layer.get_config()
    clone = keras.layers.MultiHeadAttention.from_config(config)
    assert clone.get_config() == config
    clone(query, value)
    clone.set_weights(layer.get_weights())
    close(clone(query, value), to_numpy(layer(query, value)))
    q_in, v_in = keras.Input((None, 6)), keras.Input((5, 3))
    out, scores = layer(q_in, v_in, return_attention_scores=True)
    assert tuple(out.shape) == (None, None, 2, 4)
    assert tuple(scores.shape) == (None, 2, None, 5)
    model = keras.Model([q_in, v_in], out)
    close(model([query, value]), to_numpy(layer(query, value)))


def test_mha_errors():
    with pytest.raises(ValueError, match="must be equal"):
        keras.layers.MultiHeadAttention(2, 3)(rand((2, 4, 6)), rand((2, 5, 6)), rand((2, 6, 6)))
    with pytest.raises(ValueError, match="num_heads"):
        keras.layers.MultiHeadAttention(0, 3)


# --- GroupedQueryAttention ---------------------------------------------------------------------


def test_gqa_matches_numpy():
    query, value = rand((2, 4, 6)), rand((2, 5, 6), seed=2)
    layer = keras.layers.GroupedQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    layer(query, value)
    wq, bq, wk, bk, wv, bv, wo, bo = randomize(layer)
    assert wk.shape == (6, 2, 3) and wo.shape == (4, 3, 6)
    q = np.einsum("btd,dnh->btnh", query, wq) + bq
    k = np.repeat(np.einsum("bsd,dnh->bsnh", value, wk) + bk, 2, axis=2)
    v = np.repeat(np.einsum("bsd,dnh->bsnh", value, wv) + bv, 2, axis=2)
    causal = np.tril(np.ones((4, 5), bool))
    for mask, kwargs in ((None, {}), (causal, {"use_causal_mask": True})):
        logits = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(3)
        probs = np_softmax(logits, mask)
        expected = np.einsum("btnh,nho->bto", np.einsum("bnts,bsnh->btnh", probs, v), wo) + bo
        close(layer(query, value, **kwargs), expected)
        out, scores = layer(query, value, return_attention_scores=True, **kwargs)
        close(out, expected)
        close(scores, probs)
    clone = keras.layers.GroupedQueryAttention.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    out = layer(keras.Input((None, 6)), keras.Input((5, 6)))
    assert tuple(out.shape) == (None, None, 6)
    with pytest.raises(ValueError, match="divisible"):
        keras.layers.GroupedQueryAttention(2, 3, 2)


# --- Attention, AdditiveAttention --------------------------------------------------------------


def np_luong(query, value, key, scores, value_mask=None, query_mask=None, causal=False):
    if value_mask is not None:
        scores = scores - 1e9 * (~value_mask[:, None, :])
    if causal:
        scores = scores - 1e9 * ~np.tril(np.ones(scores.shape[-2:], bool))
    weights = np_softmax(scores)
    out = weights @ value
    if query_mask is not None:
        out = out * query_mask[..., None]
    return out, weights


@pytest.mark.parametrize("score_mode", ["dot", "concat"])
@pytest.mark.parametrize("use_scale", [False, True])
def test_attention_matches_numpy(score_mode, use_scale):
    query, value, key = rand((2, 3, 4)), rand((2, 5, 4), seed=2), rand((2, 5, 4), seed=3)
    layer = keras.layers.Attention(use_scale=use_scale, score_mode=score_mode)
    layer([query, value, key])
    weights = randomize(layer)
    scale = weights[0] if use_scale else 1.0
    if score_mode == "dot":
        scores = scale * np.einsum("btd,bsd->bts", query, key)
    else:
        summed = np.tanh(scale * (query[:, :, None] + key[:, None]))
        scores = weights[-1] * summed.sum(-1)
    close(layer([query, value, key]), np_luong(query, value, key, scores)[0])
    value_mask = np.array([[1, 1, 0, 1, 0], [1, 1, 1, 1, 1]], bool)
    query_mask = np.array([[1, 0, 1], [1, 1, 1]], bool)
    out, probs = layer(
        [query, value, key],
        mask=[query_mask, value_mask],
        return_attention_scores=True,
        use_causal_mask=True,
    )
    exp_out, exp_probs = np_luong(query, value, key, scores, value_mask, query_mask, True)
    close(out, exp_out)
    close(probs, exp_probs)
    check_config_roundtrip(layer, [query, value, key])
    check_symbolic_shape(layer, [(3, 4), (5, 4)], [query, value])


def test_additive_attention_matches_numpy():
    query, value = rand((2, 3, 4)), rand((2, 5, 4), seed=2)
    layer = keras.layers.AdditiveAttention()
    layer([query, value])
    (scale,) = randomize(layer)
    assert scale.shape == (4,)
    scores = (scale * np.tanh(query[:, :, None] + value[:, None])).sum(-1)
    close(layer([query, value]), np_luong(query, value, value, scores)[0])
    assert "score_mode" not in layer.get_config()
    check_config_roundtrip(layer, [query, value])
    check_symbolic_shape(layer, [(3, 4), (5, 4)], [query, value])


def test_attention_errors():
    with pytest.raises(ValueError, match="score_mode"):
        keras.layers.Attention(score_mode="bad")
    with pytest.raises(ValueError, match="list of inputs"):
        keras.layers.Attention()(rand((2, 3, 4)))
