"""`unikeras.ops.nn` against independent NumPy computations (values, dtypes, symbolic shapes)."""

import itertools
import math

import numpy as np
import pytest

import unikeras
from unikeras import ops
from capabilities import backend_dtype, needs_dtype, needs_exact_float64, tolerance_for


def np_out(x):
    return unikeras.backend.convert_to_numpy(x)


def check(result, expected, dtype=None, rtol=1e-5, atol=1e-6):
    result = np_out(result)
    expected = np.asarray(expected)
    assert result.shape == expected.shape, (result.shape, expected.shape)
    if dtype is not None:
        assert unikeras.backend.standardize_dtype(result.dtype) == backend_dtype(dtype)
    rtol, atol = tolerance_for(dtype, rtol, atol)
    wide = "complex128" if np.iscomplexobj(result) or np.iscomplexobj(expected) else "float64"
    np.testing.assert_allclose(result.astype(wide), expected.astype(wide), rtol=rtol, atol=atol)


X = np.linspace(-3.0, 3.0, 13, dtype="float32").reshape(1, 13)


def _sig(x):
    return 1 / (1 + np.exp(-x))


ELEMENTWISE = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": _sig,
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
    "softplus": lambda x: np.log1p(np.exp(x)),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "soft_shrink": lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x)),
    "silu": lambda x: x * _sig(x),
    "swish": lambda x: x * _sig(x),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "log_sigmoid": lambda x: np.log(_sig(x)),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_swish": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1)),
    "gelu": lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))),
    "celu": lambda x: np.where(x > 0, x, np.exp(x) - 1),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_activation(name):
    fn = getattr(ops, name)
    check(fn(X), ELEMENTWISE[name](X.astype("float64")), "float32")
    check(fn(X.astype("float64")), ELEMENTWISE[name](X.astype("float64")), "float64")
    check(fn(np.float32(0.5)), ELEMENTWISE[name](np.float64(0.5)), "float32")
    out = fn(unikeras.KerasTensor((None, 3)))
    assert out.shape == (None, 3) and out.dtype == "float32"


@pytest.mark.parametrize("name", ["relu", "relu6"])
def test_relu_keeps_integers(name):
    x = np.array([-7, 0, 3, 9], dtype="int32")
    check(getattr(ops, name)(x), ELEMENTWISE[name](x), "int32")


@pytest.mark.parametrize("name", ["sigmoid", "gelu", "elu", "softmax"])
def test_integer_activation_gives_floatx(name):
    assert (
        unikeras.backend.standardize_dtype(np_out(getattr(ops, name)(np.arange(4))).dtype)
        == "float32"
    )


def test_activation_arguments():
    check(ops.leaky_relu(X, negative_slope=0.1), np.where(X > 0, X, 0.1 * X))
    check(ops.elu(X, alpha=2.0), np.where(X > 0, X, 2 * np.expm1(X)))
    check(ops.celu(X, alpha=2.0), np.where(X > 0, X, 2 * np.expm1(X / 2)))
    check(ops.squareplus(X, b=1), (X + np.sqrt(X * X + 1)) / 2)
    check(ops.soft_shrink(X, threshold=1.0), np.sign(X) * np.maximum(np.abs(X) - 1, 0))
    check(ops.hard_shrink(X, threshold=1.0), np.where(np.abs(X) > 1, X, 0))
    check(ops.threshold(X, 0.5, -9.0), np.where(X > 0.5, X, -9.0), "float32")


def test_exact_gelu_float32():
    erf = np.vectorize(math.erf)
    x = np.linspace(-6, 6, 25)
    check(
        ops.gelu(x.astype("float32"), approximate=False),
        x * 0.5 * (1 + erf(x / np.sqrt(2))),
        "float32",
        rtol=1e-5,
        atol=1e-6,
    )


@needs_exact_float64()
def test_exact_gelu():
    erf = np.vectorize(math.erf)
    x = np.linspace(-6, 6, 25)
    check(
        ops.gelu(x, approximate=False),
        x * 0.5 * (1 + erf(x / np.sqrt(2))),
        "float64",
        rtol=1e-12,
        atol=1e-14,
    )


def test_sigmoid_extremes_are_finite():
    out = np_out(ops.sigmoid(np.array([-1000.0, 1000.0], "float32")))
    np.testing.assert_array_equal(out, [0.0, 1.0])


def test_glu():
    x = np.arange(12, dtype="float32").reshape(3, 4) / 5
    check(ops.glu(x), x[:, :2] * _sig(x[:, 2:]))
    check(ops.glu(x.T, axis=0), (x[:, :2] * _sig(x[:, 2:])).T)
    with pytest.raises(ValueError, match="glu"):
        ops.glu(np.ones((2, 3)))


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 0, 1, (1, 2)])
def test_softmax_and_log_softmax(axis):
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")
    check(ops.softmax(x, axis=axis), _softmax(x, axis), "float32")
    check(ops.log_softmax(x, axis=axis), np.log(_softmax(x, axis)), "float32", atol=1e-5)
    assert ops.softmax(unikeras.KerasTensor((None, 3, 4)), axis=axis).shape == (None, 3, 4)


def _sparsemax_1d(z):
    # Martins & Astudillo (2016), Algorithm 1, one vector at a time.
    s = np.sort(z)[::-1]
    k = np.arange(1, len(z) + 1)
    support = 1 + k * s > np.cumsum(s)
    k_max = k[support][-1]
    tau = (np.cumsum(s)[k_max - 1] - 1) / k_max
    return np.maximum(z - tau, 0)


@pytest.mark.parametrize("axis", [-1, 0])
def test_sparsemax(axis):
    x = np.random.default_rng(1).normal(size=(4, 5)).astype("float32")
    expected = np.apply_along_axis(_sparsemax_1d, axis, x.astype("float64"))
    check(ops.sparsemax(x, axis=axis), expected, "float32")
    np.testing.assert_allclose(np_out(ops.sparsemax(x, axis=axis)).sum(axis=axis), 1, rtol=1e-5)


# ------------------------------------------------------------------------------- pooling


def _ref_pool(x, size, strides, padding, reduce):
    """Channels_last pooling by explicit loops over output positions."""
    n = x.ndim - 2
    spatial = x.shape[1:-1]
    if padding == "same":
        outs = [-(-s // st) for s, st in zip(spatial, strides)]
        pads = [
            max((o - 1) * st + k - s, 0) // 2 for o, st, k, s in zip(outs, strides, size, spatial)
        ]
    else:
        outs = [(s - k) // st + 1 for s, k, st in zip(spatial, size, strides)]
        pads = [0] * n
    out = np.zeros((x.shape[0], *outs, x.shape[-1]))
    for pos in itertools.product(*[range(o) for o in outs]):
        sl = tuple(
            slice(max(p * st - pd, 0), p * st - pd + k)
            for p, st, pd, k in zip(pos, strides, pads, size)
        )
        window = x[(slice(None),) + sl + (slice(None),)]
        out[(slice(None),) + pos + (slice(None),)] = reduce(window, axis=tuple(range(1, n + 1)))
    return out


POOL_CASES = [
    ((2, 7, 3), 2, None, "valid"),
    ((2, 7, 3), 3, 2, "same"),
    ((1, 5, 6, 2), (2, 3), (1, 2), "valid"),
    ((1, 5, 6, 2), 2, None, "same"),
    ((1, 4, 3, 5, 2), 2, 1, "same"),
    ((1, 4, 4, 4, 1), (2, 2, 3), 2, "valid"),
]


@pytest.mark.parametrize("shape,size,strides,padding", POOL_CASES)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_pools(shape, size, strides, padding, data_format):
    x = np.random.default_rng(2).normal(size=shape).astype("float32")
    n = len(shape) - 2
    size_t = (size,) * n if isinstance(size, int) else size
    strides_t = (
        size_t if strides is None else ((strides,) * n if isinstance(strides, int) else strides)
    )
    to_first = (
        (lambda a: np.moveaxis(a, -1, 1)) if data_format == "channels_first" else (lambda a: a)
    )
    for op, reduce in ((ops.max_pool, np.max), (ops.average_pool, np.mean)):
        out = op(to_first(x), size, strides=strides, padding=padding, data_format=data_format)
        check(out, to_first(_ref_pool(x, size_t, strides_t, padding, reduce)), "float32")


def test_pool_symbolic():
    out = ops.max_pool(unikeras.KerasTensor((None, 8, 8, 3)), 2, padding="same")
    assert out.shape == (None, 4, 4, 3)


@pytest.mark.parametrize(
    "op,reduce", [("adaptive_max_pool", np.max), ("adaptive_average_pool", np.mean)]
)
def test_adaptive_pools(op, reduce):
    x = np.random.default_rng(3).normal(size=(2, 7, 5, 3)).astype("float32")
    out_h, out_w = 3, 2
    expected = np.zeros((2, out_h, out_w, 3))
    for i in range(out_h):
        for j in range(out_w):
            r = slice(i * 7 // out_h, -(-(i + 1) * 7 // out_h))
            c = slice(j * 5 // out_w, -(-(j + 1) * 5 // out_w))
            expected[:, i, j] = reduce(x[:, r, c], axis=(1, 2))
    check(getattr(ops, op)(x, (out_h, out_w)), expected, "float32")
    check(
        getattr(ops, op)(np.moveaxis(x, -1, 1), (out_h, out_w), data_format="channels_first"),
        np.moveaxis(expected, -1, 1),
    )


# --------------------------------------------------------------------------- convolutions


def _ref_conv(x, kernel, strides, padding, dilation, groups=1):
    """Channels_last grouped convolution by loops over output positions and kernel taps."""
    n = x.ndim - 2
    window = kernel.shape[:n]
    span = [(k - 1) * d + 1 for k, d in zip(window, dilation)]
    if padding == "same":
        pads = []
        for s, sp, st in zip(x.shape[1:-1], span, strides):
            total = max((-(-s // st) - 1) * st + sp - s, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    outs = [(s - sp) // st + 1 for s, sp, st in zip(x.shape[1:-1], span, strides)]
    cin, cout = x.shape[-1], kernel.shape[-1]
    out = np.zeros((x.shape[0], *outs, cout))
    for pos in itertools.product(*[range(o) for o in outs]):
        for tap in itertools.product(*[range(k) for k in window]):
            idx = tuple(p * st + t * d for p, st, t, d in zip(pos, strides, tap, dilation))
            v = x[(slice(None),) + idx]
            for g in range(groups):
                ci = slice(g * cin // groups, (g + 1) * cin // groups)
                co = slice(g * cout // groups, (g + 1) * cout // groups)
                out[(slice(None),) + pos + (co,)] += v[:, ci] @ kernel[tap][:, co]
    return out


CONV_CASES = [
    ((2, 9, 3), (3, 3, 4), 1, "valid", 1),
    ((2, 9, 3), (3, 3, 4), 2, "same", 1),
    ((1, 10, 2), (2, 2, 3), 1, "same", 3),
    ((1, 6, 7, 4), (3, 2, 4, 5), (2, 1), "valid", 1),
    ((1, 6, 7, 4), (3, 3, 2, 6), 1, "same", (2, 1)),
    ((2, 5, 5, 3), (2, 2, 3, 2), 2, "same", 1),
    ((1, 4, 5, 6, 2), (2, 3, 2, 2, 3), 1, "same", 1),
    ((1, 5, 5, 5, 2), (3, 3, 3, 2, 2), 2, "valid", 1),
]


@pytest.mark.parametrize("x_shape,k_shape,strides,padding,dilation", CONV_CASES)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv(x_shape, k_shape, strides, padding, dilation, data_format):
    rng = np.random.default_rng(4)
    x, k = rng.normal(size=x_shape).astype("float32"), rng.normal(size=k_shape).astype("float32")
    n = len(x_shape) - 2
    tup = lambda v: (v,) * n if isinstance(v, int) else v  # noqa: E731
    expected = _ref_conv(
        x.astype("float64"),
        k.astype("float64"),
        tup(strides),
        padding,
        tup(dilation),
        groups=x_shape[-1] // k_shape[-2],
    )
    if data_format == "channels_first":
        x, expected = np.moveaxis(x, -1, 1), np.moveaxis(expected, -1, 1)
    out = ops.conv(
        x, k, strides=strides, padding=padding, data_format=data_format, dilation_rate=dilation
    )
    check(out, expected, "float32", rtol=1e-4, atol=1e-4)


def test_conv_symbolic_and_errors():
    out = ops.conv(
        unikeras.KerasTensor((None, 8, 8, 3)),
        np.ones((3, 3, 3, 5), "float32"),
        strides=2,
        padding="same",
    )
    assert out.shape == (None, 4, 4, 5) and out.dtype == "float32"
    with pytest.raises(ValueError, match="conv"):
        ops.conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="conv"):
        ops.conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 3)))


@pytest.mark.parametrize(
    "x_shape,k_shape,strides,padding",
    [
        ((2, 8, 3), (3, 3, 2), 1, "same"),
        ((1, 6, 7, 2), (3, 2, 2, 3), 2, "valid"),
        ((1, 4, 4, 4, 2), (2, 2, 2, 2, 1), 1, "same"),
    ],
)
def test_depthwise_and_separable_conv(x_shape, k_shape, strides, padding):
    rng = np.random.default_rng(5)
    x, k = rng.normal(size=x_shape).astype("float32"), rng.normal(size=k_shape).astype("float32")
    n, c, m = len(x_shape) - 2, k_shape[-2], k_shape[-1]
    # depthwise = grouped conv with one group per input channel and kernel (*, 1, c * m)
    grouped_kernel = k.reshape(k_shape[:n] + (1, c * m))
    tup = (strides,) * n
    expected = _ref_conv(
        x.astype("float64"), grouped_kernel.astype("float64"), tup, padding, (1,) * n, groups=c
    )
    check(
        ops.depthwise_conv(x, k, strides=strides, padding=padding),
        expected,
        "float32",
        rtol=1e-4,
        atol=1e-4,
    )
    pointwise = rng.normal(size=(1,) * n + (c * m, 4)).astype("float32")
    check(
        ops.separable_conv(x, k, pointwise, strides=strides, padding=padding),
        expected @ pointwise.reshape(c * m, 4).astype("float64"),
        "float32",
        rtol=1e-4,
        atol=1e-4,
    )


def _ref_conv_transpose(x, kernel, strides, padding, output_padding, dilation):
    """Channels_last transposed convolution by scattering each input pixel's contribution."""
    n = x.ndim - 2
    window = kernel.shape[:n]
    span = [(k - 1) * d + 1 for k, d in zip(window, dilation)]
    full = [(s - 1) * st + sp for s, st, sp in zip(x.shape[1:-1], strides, span)]
    big = np.zeros((x.shape[0], *[f + st + 4 for f, st in zip(full, strides)], kernel.shape[-2]))
    for pos in itertools.product(*[range(s) for s in x.shape[1:-1]]):
        for tap in itertools.product(*[range(k) for k in window]):
            idx = tuple(p * st + t * d for p, st, t, d in zip(pos, strides, tap, dilation))
            big[(slice(None),) + idx] += x[(slice(None),) + pos] @ kernel[tap].T
    slices = []
    for i in range(n):
        st, sp, size = strides[i], span[i], x.shape[i + 1]
        op = None if output_padding is None else output_padding[i]
        if padding == "valid":
            length = (size - 1) * st + sp + (max(sp, st) - sp if op is None else op)
            start = 0
        else:
            length = size * st if op is None else (size - 1) * st + sp % 2 + op
            total = st + sp - 2 if op is None else sp + sp % 2 - 2 + op
            start = sp - 1 - min(total // 2 + total % 2, sp - 1)
        slices.append(slice(start, start + length))
    return big[(slice(None),) + tuple(slices)]


@pytest.mark.parametrize(
    "x_shape,k_shape,strides,padding,output_padding,dilation",
    [
        ((2, 5, 3), (3, 4, 3), 2, "valid", None, 1),
        ((2, 5, 3), (3, 4, 3), 2, "same", None, 1),
        ((1, 4, 2), (2, 3, 2), 3, "valid", None, 1),
        ((1, 6, 2), (3, 2, 2), 1, "same", None, 2),
        ((1, 3, 4, 2), (3, 3, 5, 2), 2, "same", None, 1),
        ((1, 3, 4, 2), (3, 2, 2, 2), (2, 3), "valid", (1, 2), 1),
        ((1, 3, 3, 2), (3, 3, 2, 2), 2, "same", 1, 1),
        ((1, 2, 3, 2, 2), (2, 2, 2, 3, 2), 2, "same", None, 1),
    ],
)
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_conv_transpose(x_shape, k_shape, strides, padding, output_padding, dilation, data_format):
    rng = np.random.default_rng(6)
    x, k = rng.normal(size=x_shape).astype("float32"), rng.normal(size=k_shape).astype("float32")
    n = len(x_shape) - 2
    tup = lambda v: v if v is None or not isinstance(v, int) else (v,) * n  # noqa: E731
    expected = _ref_conv_transpose(
        x.astype("float64"),
        k.astype("float64"),
        tup(strides),
        padding,
        tup(output_padding),
        tup(dilation),
    )
    if data_format == "channels_first":
        x, expected = np.moveaxis(x, -1, 1), np.moveaxis(expected, -1, 1)
    out = ops.conv_transpose(
        x,
        k,
        strides=strides,
        padding=padding,
        output_padding=output_padding,
        data_format=data_format,
        dilation_rate=dilation,
    )
    check(out, expected, "float32", rtol=1e-4, atol=1e-4)


def test_conv_transpose_symbolic():
    out = ops.conv_transpose(
        unikeras.KerasTensor((None, 4, 5, 3)),
        np.ones((3, 3, 7, 3), "float32"),
        strides=2,
        padding="same",
    )
    assert out.shape == (None, 8, 10, 7)


# ------------------------------------------------------------------------ encodings/losses


def test_one_hot():
    x = np.array([[0, 2], [1, -1]])
    expected = np.eye(3)[np.where(x < 0, 3, x) % 4 if False else x.clip(0)]
    expected[x < 0] = 0
    check(ops.one_hot(x, 3), expected, "float32")
    check(ops.one_hot(x, 3, axis=0), np.moveaxis(expected, -1, 0), "float32")
    check(ops.one_hot(x, 3, axis=1, dtype="int32"), np.moveaxis(expected, -1, 1), "int32")
    check(ops.one_hot(np.int32(1), 3), [0, 1, 0])
    assert ops.one_hot(unikeras.KerasTensor((None, 4), "int32"), 5).shape == (None, 4, 5)


def test_multi_hot():
    check(
        ops.multi_hot(np.array([[0, 2, 2], [1, 1, 3]]), 4), [[1, 0, 1, 0], [0, 1, 0, 1]], "float32"
    )
    check(ops.multi_hot(np.array([1, 3]), 5, dtype="int32"), [0, 1, 0, 1, 0], "int32")


def test_binary_crossentropy():
    rng = np.random.default_rng(7)
    t = (rng.random((3, 4)) > 0.5).astype("float32")
    p = rng.uniform(0.05, 0.95, (3, 4)).astype("float32")
    ref = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    check(ops.binary_crossentropy(t, p), ref, "float32", rtol=1e-5)
    logits = np.log(p / (1 - p))
    check(ops.binary_crossentropy(t, logits, from_logits=True), ref, "float32", rtol=1e-4)
    with pytest.raises(ValueError, match=r"binary_crossentropy.*\(3, 4\).*\(3, 5\)"):
        ops.binary_crossentropy(t, np.ones((3, 5)))


@pytest.mark.parametrize("axis", [-1, 0])
def test_categorical_crossentropies(axis):
    rng = np.random.default_rng(8)
    logits = rng.normal(size=(3, 4)).astype("float32")
    labels = rng.integers(0, logits.shape[axis], size=logits.shape[1 - axis % 2])
    target = np.moveaxis(np.eye(logits.shape[axis])[labels], -1, axis).astype("float32")
    probs = _softmax(logits.astype("float64"), axis)
    ref = -np.sum(target * np.log(probs), axis=axis)
    check(
        ops.categorical_crossentropy(target, logits, from_logits=True, axis=axis),
        ref,
        "float32",
        rtol=1e-5,
    )
    check(
        ops.categorical_crossentropy(target, probs.astype("float32") * 3, axis=axis),
        ref,
        "float32",
        rtol=1e-5,
    )
    check(
        ops.sparse_categorical_crossentropy(labels, logits, from_logits=True, axis=axis),
        ref,
        "float32",
        rtol=1e-5,
    )


def test_sparse_categorical_crossentropy_trailing_axis():
    logits = np.random.default_rng(9).normal(size=(5, 3)).astype("float32")
    labels = np.array([[0], [2], [1], [1], [0]])
    ref = -np.log(_softmax(logits.astype("float64"), -1))[np.arange(5), labels[:, 0]]
    check(ops.sparse_categorical_crossentropy(labels, logits, from_logits=True), ref, rtol=1e-5)
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        ops.sparse_categorical_crossentropy(np.zeros((4,)), logits)


# ------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize("axes,keepdims", [([0], False), ((0, 2), True), ([-1], False)])
def test_moments(axes, keepdims):
    x = np.random.default_rng(10).normal(size=(3, 4, 5)).astype("float32")
    mean, var = ops.moments(x, axes, keepdims=keepdims)
    check(mean, x.astype("float64").mean(axis=tuple(axes), keepdims=keepdims), "float32")
    check(var, x.astype("float64").var(axis=tuple(axes), keepdims=keepdims), "float32", rtol=1e-5)
    m, v = ops.moments(unikeras.KerasTensor((None, 4, 5)), axes=[1])
    assert m.shape == (None, 5) and v.shape == (None, 5)
    mean16, _ = ops.moments(x.astype("float16"), axes)
    assert np_out(mean16).dtype == np.float16


def test_batch_normalization():
    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    mean, var = rng.normal(size=3).astype("float32"), rng.uniform(0.5, 2, 3).astype("float32")
    offset, scale = rng.normal(size=3).astype("float32"), rng.normal(size=3).astype("float32")
    sh = (1, 3, 1)
    ref = (x - mean.reshape(sh)) / np.sqrt(var.reshape(sh) + 1e-3) * scale.reshape(
        sh
    ) + offset.reshape(sh)
    check(
        ops.batch_normalization(x, mean, var, axis=1, offset=offset, scale=scale),
        ref,
        "float32",
        rtol=1e-5,
    )
    ref = (x - mean.reshape(sh)) / np.sqrt(var.reshape(sh) + 0.1)
    check(ops.batch_normalization(x, mean, var, axis=1, epsilon=0.1), ref, rtol=1e-5)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_normalize(order):
    x = np.random.default_rng(12).normal(size=(3, 4)).astype("float32")
    for axis in (-1, 0):
        norm = np.sum(np.abs(x.astype("float64")) ** order, axis=axis, keepdims=True) ** (1 / order)
        check(ops.normalize(x, axis=axis, order=order), x / norm, "float32", rtol=1e-5)
    check(ops.normalize(np.zeros((2, 2), "float32")), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="order"):
        ops.normalize(x, order=0)


def test_psnr():
    rng = np.random.default_rng(13)
    a, b = rng.random((4, 4)).astype("float32"), rng.random((4, 4)).astype("float32")
    mse = np.mean((a.astype("float64") - b) ** 2)
    check(ops.psnr(a, b, 1.0), 20 * np.log10(1.0) - 10 * np.log10(mse), "float32", rtol=1e-5)
    with pytest.raises(ValueError, match="psnr"):
        ops.psnr(a, b[:2], 1.0)


def test_rms_and_layer_normalization():
    rng = np.random.default_rng(14)
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    g, b = rng.normal(size=4).astype("float32"), rng.normal(size=4).astype("float32")
    x64 = x.astype("float64")
    rms = x64 / np.sqrt(np.mean(x64**2, axis=-1, keepdims=True) + 1e-7) * g
    check(ops.rms_normalization(x, scale=g), rms, "float32", rtol=1e-5)
    mu, var = x64.mean(-1, keepdims=True), x64.var(-1, keepdims=True)
    check(
        ops.layer_normalization(x, g, b),
        (x64 - mu) / np.sqrt(var + 1e-7) * g + b,
        "float32",
        rtol=1e-4,
        atol=1e-5,
    )
    mu, var = x64.mean((1, 2), keepdims=True), x64.var((1, 2), keepdims=True)
    g2 = rng.normal(size=(3, 4)).astype("float32")
    check(
        ops.layer_normalization(x, g2, axis=(1, 2), epsilon=1e-3),
        (x64 - mu) / np.sqrt(var + 1e-3) * g2,
        rtol=1e-4,
        atol=1e-5,
    )
    out = ops.layer_normalization(x.astype("float16"))
    assert np_out(out).dtype == np.float16
    assert ops.layer_normalization(unikeras.KerasTensor((None, 4))).shape == (None, 4)


# ------------------------------------------------------------------- sequences/attention


def _ctc_brute_force(logits, labels, blank):
    """-log of the summed probability of every alignment that collapses to `labels`."""
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    total = 0.0
    for path in itertools.product(range(logits.shape[1]), repeat=logits.shape[0]):
        collapsed = [p for i, p in enumerate(path) if p != blank and (i == 0 or p != path[i - 1])]
        if collapsed == list(labels):
            total += np.exp(sum(logp[t, p] for t, p in enumerate(path)))
    return -np.log(total)


def test_ctc_loss():
    rng = np.random.default_rng(15)
    logits = rng.normal(size=(2, 5, 3)).astype("float32")
    target = np.array([[1, 2, 0], [2, 2, 0]])
    target_length, output_length = np.array([2, 2]), np.array([5, 4])
    expected = [
        _ctc_brute_force(logits[0].astype("float64"), [1, 2], 0),
        _ctc_brute_force(logits[1, :4].astype("float64"), [2, 2], 0),
    ]
    check(
        ops.ctc_loss(target, logits, target_length, output_length), expected, "float32", rtol=1e-5
    )


def test_ctc_decode_greedy():
    # argmax path per batch: [1, 1, 0, 2, 2] -> [1, 2]; [2, 0, 2, 1, ...] length 4 -> [2, 2, 1]
    paths = np.array([[1, 1, 0, 2, 2], [2, 0, 2, 1, 1]])
    probs = np.full((2, 5, 3), 0.1, "float32")
    np.put_along_axis(probs, paths[..., None], 0.8, axis=-1)
    logp = np.log(probs)
    decoded, scores = ops.ctc_decode(logp, np.array([5, 4]))
    check(decoded, [[[1, 2, -1, -1, -1], [2, 2, 1, -1, -1]]], "int32")
    check(scores, [[-5 * np.log(0.8)], [-4 * np.log(0.8)]], "float32", rtol=1e-5)


def _attention(q, k, v, bias=None, mask=None, causal=False, scale=None):
    logits = np.einsum("btnh,bsnh->bnts", q, k) * (scale or 1 / np.sqrt(q.shape[-1]))
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, bool)
    if mask is not None:
        keep &= mask
    if causal:
        keep &= np.tril(np.ones(logits.shape[-2:], bool))
    logits = np.where(keep, logits, -1e30)
    return np.einsum("bnts,bsnh->btnh", _softmax(logits, -1), v)


def test_dot_product_attention():
    rng = np.random.default_rng(16)
    q = rng.normal(size=(2, 3, 4, 8)).astype("float32")
    k = rng.normal(size=(2, 5, 4, 8)).astype("float32")
    v = rng.normal(size=(2, 5, 4, 8)).astype("float32")
    bias = rng.normal(size=(1, 4, 3, 5)).astype("float32")
    mask = rng.random((2, 1, 3, 5)) > 0.3
    mask[..., 0] = True
    f64 = [a.astype("float64") for a in (q, k, v)]
    check(ops.dot_product_attention(q, k, v), _attention(*f64), "float32", rtol=1e-4, atol=1e-5)
    check(
        ops.dot_product_attention(q, k, v, bias=bias, mask=mask, scale=0.5),
        _attention(*f64, bias=bias, mask=mask, scale=0.5),
        rtol=1e-4,
        atol=1e-5,
    )
    check(
        ops.dot_product_attention(q, k[:, :3], v[:, :3], is_causal=True),
        _attention(f64[0], f64[1][:, :3], f64[2][:, :3], causal=True),
        rtol=1e-4,
        atol=1e-5,
    )
    # grouped-query attention: 4 query heads share 2 key/value heads
    kg, vg = k[:, :, :2], v[:, :, :2]
    check(
        ops.dot_product_attention(q, kg, vg),
        _attention(
            f64[0], np.repeat(kg, 2, 2).astype("float64"), np.repeat(vg, 2, 2).astype("float64")
        ),
        rtol=1e-4,
        atol=1e-5,
    )
    out = ops.dot_product_attention(unikeras.KerasTensor((2, None, 4, 8)), k, v)
    assert out.shape == (2, None, 4, 8)


@needs_dtype("complex64")
def test_polar():
    r, theta = np.array([1.0, 2.0], "float32"), np.array([0.0, np.pi / 2], "float32")
    check(ops.polar(r, theta), r * np.exp(1j * theta.astype("float64")), "complex64", atol=1e-6)


def test_unfold_and_fold():
    x = np.arange(2 * 3 * 4 * 5, dtype="float32").reshape(2, 3, 4, 5)
    out = np_out(ops.unfold(x, kernel_size=(2, 3), padding=1, stride=(1, 2)))
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = []
    for i in range(0, padded.shape[2] - 1):
        for j in range(0, padded.shape[3] - 2, 2):
            cols.append(padded[:, :, i : i + 2, j : j + 3].reshape(2, -1))
    check(out, np.stack(cols, -1))
    folded = ops.fold(out, (4, 5), kernel_size=(2, 3), padding=1, stride=(1, 2))
    counts = ops.fold(
        ops.unfold(np.ones_like(x), (2, 3), padding=1, stride=(1, 2)),
        (4, 5),
        (2, 3),
        padding=1,
        stride=(1, 2),
    )
    check(folded, x * np_out(counts))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_depth_space_round_trip(data_format):
    x = np.arange(2 * 4 * 6 * 8, dtype="float32").reshape(2, 4, 6, 8)
    if data_format == "channels_last":
        out = ops.depth_to_space(x, 2)
        assert np_out(out).shape == (2, 8, 12, 2)
        # channel c of output pixel (2i + a, 2j + b) is input channel (a * 2 + b) * 2 + c
        check(np_out(out)[:, 1::2, 0::2, 1], x[:, :, :, (1 * 2 + 0) * 2 + 1])
    else:
        out = ops.depth_to_space(x, 2, data_format=data_format)
        assert np_out(out).shape == (2, 1, 12, 16)
        check(np_out(out)[:, 0, 1::2, 0::2], x[:, 2])
    check(ops.space_to_depth(out, 2, data_format=data_format), x)
