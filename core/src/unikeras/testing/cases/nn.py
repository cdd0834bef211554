"""Conformance cases for the `nn` op hooks."""

import numpy as np

from unikeras.testing.case import Case, rand

CASES = {}


def _activation_cases(**kwargs):
    """Shapes, dtypes, a scalar, an empty array and an integer input for an element-wise op."""
    return [
        Case(rand((3, 4), low=-4, high=4), id="f32", **kwargs),
        Case(rand((2, 1, 5), "float64", low=-8, high=8), id="f64", **kwargs),
        Case(rand((6,), "float16", low=-3, high=3), id="f16", rtol=2e-3, atol=2e-3, **kwargs),
        Case(np.float32(0.7), id="scalar", **kwargs),
        Case(np.zeros((0, 3), "float32"), id="empty", **kwargs),
        Case(rand((4,), "int32", low=-3, high=3), id="int", **kwargs),
        Case(np.array([-1.0, -0.5, 0.0, 0.5, 1.0, 6.0], "float32"), id="kinks", **kwargs),
    ]


for _name in (
    "relu",
    "relu6",
    "sigmoid",
    "sparse_sigmoid",
    "softplus",
    "softsign",
    "sparse_plus",
    "silu",
    "log_sigmoid",
    "hard_sigmoid",
    "hard_silu",
    "selu",
    "tanh_shrink",
    "hard_tanh",
):
    CASES[_name] = _activation_cases()

CASES["soft_shrink"] = _activation_cases() + _activation_cases(threshold=1.0)[:1]
CASES["hard_shrink"] = _activation_cases() + _activation_cases(threshold=1.0)[:1]
CASES["squareplus"] = _activation_cases() + _activation_cases(b=1)[:1]
CASES["leaky_relu"] = _activation_cases() + _activation_cases(negative_slope=0.05)[:1]
CASES["elu"] = _activation_cases() + _activation_cases(alpha=0.5)[:1]
CASES["celu"] = _activation_cases() + _activation_cases(alpha=2.0)[:1]
CASES["gelu"] = _activation_cases() + _activation_cases(approximate=False)[:2]
CASES["threshold"] = [
    Case(rand((3, 4), low=-2, high=2), 0.5, -1.0),
    Case(rand((5,), "float64"), 0.0, 0.0),
]
CASES["glu"] = [
    Case(rand((3, 4))),
    Case(rand((4, 3), "float64"), axis=0),
    Case(rand((2, 2, 6)), axis=-1),
]

_AXIS_CASES = [
    Case(rand((3, 5), low=-3, high=3)),
    Case(rand((2, 3, 4)), axis=1),
    Case(rand((2, 3, 4), "float64"), axis=0),
    Case(rand((4,), "int32", low=-2, high=2)),
    Case(rand((2, 3, 4)), axis=(1, 2), id="tuple-axis"),
]
CASES["softmax"] = _AXIS_CASES
CASES["log_softmax"] = _AXIS_CASES
CASES["sparsemax"] = _AXIS_CASES[:4]

# ------------------------------------------------------------------------------- pooling

_POOL_CASES = [
    Case(rand((2, 7, 3)), 2, id="1d"),
    Case(rand((2, 7, 3)), 3, strides=2, padding="same", id="1d-same"),
    Case(rand((1, 5, 6, 2)), (2, 3), strides=(1, 2), id="2d"),
    Case(rand((1, 5, 6, 2)), 2, padding="same", id="2d-same"),
    Case(
        rand((1, 2, 5, 6)), 2, strides=1, padding="same", data_format="channels_first", id="2d-cf"
    ),
    Case(rand((1, 4, 3, 5, 2)), 2, strides=1, padding="same", id="3d"),
    Case(
        rand((1, 2, 4, 4, 4), "float64"),
        (2, 2, 3),
        strides=2,
        data_format="channels_first",
        id="3d-cf",
    ),
]
CASES["max_pool"] = _POOL_CASES + [
    Case(rand((1, 5, 5, 2), "int32", low=-9, high=9), 2, padding="same", id="int")
]
CASES["average_pool"] = _POOL_CASES
CASES["adaptive_max_pool"] = [
    Case(rand((2, 7, 3)), 3),
    Case(rand((1, 7, 5, 2)), (3, 2)),
    Case(rand((1, 2, 7, 5)), 4, data_format="channels_first"),
    Case(rand((1, 4, 5, 6, 1)), (2, 3, 4)),
]
CASES["adaptive_average_pool"] = CASES["adaptive_max_pool"]

# --------------------------------------------------------------------------- convolutions

_TOL = {"rtol": 1e-4, "atol": 1e-4}
CASES["conv"] = [
    Case(rand((2, 9, 3)), rand((3, 3, 4), seed=1), id="1d", **_TOL),
    Case(rand((2, 9, 3)), rand((3, 3, 4), seed=1), strides=2, padding="same", id="1d-same", **_TOL),
    Case(
        rand((1, 10, 2)),
        rand((2, 2, 3), seed=1),
        padding="same",
        dilation_rate=3,
        id="1d-dilated",
        **_TOL,
    ),
    Case(rand((1, 6, 7, 4)), rand((3, 2, 4, 5), seed=1), strides=(2, 1), id="2d", **_TOL),
    Case(
        rand((1, 6, 7, 4)),
        rand((3, 3, 2, 6), seed=1),
        padding="same",
        dilation_rate=(2, 1),
        id="2d-groups",
        **_TOL,
    ),
    Case(
        rand((2, 3, 5, 5)),
        rand((2, 2, 3, 2), seed=1),
        strides=2,
        padding="same",
        data_format="channels_first",
        id="2d-cf",
        **_TOL,
    ),
    Case(rand((1, 4, 5, 6, 2)), rand((2, 3, 2, 2, 3), seed=1), padding="same", id="3d", **_TOL),
    Case(
        rand((1, 2, 5, 5, 5), "float64"),
        rand((3, 3, 3, 2, 2), "float64", seed=1),
        strides=2,
        data_format="channels_first",
        id="3d-cf",
        **_TOL,
    ),
    Case(
        rand((1, 5, 5, 2), "int32", low=-3, high=3),
        rand((2, 2, 2, 2), "int32", low=-3, high=3, seed=1),
        id="int",
    ),
]
CASES["depthwise_conv"] = [
    Case(rand((2, 8, 3)), rand((3, 3, 2), seed=1), padding="same", id="1d", **_TOL),
    Case(rand((1, 6, 7, 2)), rand((3, 2, 2, 3), seed=1), strides=2, id="2d", **_TOL),
    Case(
        rand((1, 2, 6, 7)),
        rand((3, 3, 2, 1), seed=1),
        padding="same",
        dilation_rate=2,
        data_format="channels_first",
        id="2d-cf",
        **_TOL,
    ),
    Case(rand((1, 4, 4, 4, 2)), rand((2, 2, 2, 2, 1), seed=1), padding="same", id="3d", **_TOL),
]
CASES["separable_conv"] = [
    Case(
        rand((2, 8, 3)),
        rand((3, 3, 2), seed=1),
        rand((1, 6, 4), seed=2),
        padding="same",
        id="1d",
        **_TOL,
    ),
    Case(
        rand((1, 6, 7, 2)),
        rand((3, 2, 2, 3), seed=1),
        rand((1, 1, 6, 5), seed=2),
        strides=2,
        id="2d",
        **_TOL,
    ),
    Case(
        rand((1, 2, 6, 7)),
        rand((3, 3, 2, 1), seed=1),
        rand((1, 1, 2, 3), seed=2),
        data_format="channels_first",
        id="2d-cf",
        **_TOL,
    ),
]
CASES["conv_transpose"] = [
    Case(rand((2, 5, 3)), rand((3, 4, 3), seed=1), strides=2, id="1d-valid", **_TOL),
    Case(rand((2, 5, 3)), rand((3, 4, 3), seed=1), strides=2, padding="same", id="1d-same", **_TOL),
    Case(rand((1, 4, 2)), rand((2, 3, 2), seed=1), strides=3, id="1d-stride>kernel", **_TOL),
    Case(
        rand((1, 6, 2)),
        rand((3, 2, 2), seed=1),
        padding="same",
        dilation_rate=2,
        id="1d-dilated",
        **_TOL,
    ),
    Case(
        rand((1, 3, 4, 2)), rand((3, 3, 5, 2), seed=1), strides=2, padding="same", id="2d", **_TOL
    ),
    Case(
        rand((1, 3, 4, 2)),
        rand((3, 2, 2, 2), seed=1),
        strides=(2, 3),
        output_padding=(1, 2),
        id="2d-output-padding",
        **_TOL,
    ),
    Case(
        rand((1, 2, 3, 3)),
        rand((3, 3, 2, 2), seed=1),
        strides=2,
        padding="same",
        output_padding=1,
        data_format="channels_first",
        id="2d-cf",
        **_TOL,
    ),
    Case(
        rand((1, 2, 3, 2, 2)),
        rand((2, 2, 2, 3, 2), seed=1),
        strides=2,
        padding="same",
        id="3d",
        **_TOL,
    ),
]

# ------------------------------------------------------------------------ encodings/losses

_LABELS = np.array([[0, 2, 1], [3, -1, 2]], "int32")
CASES["one_hot"] = [
    Case(_LABELS, 4),
    Case(_LABELS, 4, axis=0),
    Case(_LABELS, 3, axis=1, dtype="int32"),
    Case(np.int32(2), 3, id="scalar"),
    Case(np.zeros((0,), "int32"), 3, id="empty"),
    Case(np.array([1, 0], "int64"), 2, dtype="bool"),
]
CASES["multi_hot"] = [
    Case(np.array([[0, 2, 2], [1, 1, 3]], "int32"), 4),
    Case(np.array([1, 3], "int32"), 5, dtype="int32"),
    Case(np.array([[0, 1], [2, 2]], "int32"), 3, axis=0),
]

_PROBS = rand((3, 4), low=0.05, high=0.95, seed=3)
_TARGETS = (rand((3, 4), seed=4) > 0).astype("float32")
CASES["binary_crossentropy"] = [
    Case(_TARGETS, _PROBS),
    Case(_TARGETS, rand((3, 4), low=-4, high=4), from_logits=True),
    Case(_TARGETS.astype("float64"), _PROBS.astype("float64")),
    Case(np.array([0.0, 1.0], "float32"), np.array([0.0, 1.0], "float32"), id="clipped"),
]
_ONE_HOT = np.eye(4, dtype="float32")[[0, 3, 1]]
CASES["categorical_crossentropy"] = [
    Case(_ONE_HOT, _PROBS),
    Case(_ONE_HOT, rand((3, 4), low=-3, high=3), from_logits=True),
    Case(_ONE_HOT.T, rand((4, 3), low=-3, high=3), from_logits=True, axis=0),
    Case(rand((2, 3, 4), low=0, high=1, seed=5), rand((2, 3, 4), low=0.1, high=1), id="soft"),
]
CASES["sparse_categorical_crossentropy"] = [
    Case(np.array([0, 3, 1], "int32"), _PROBS),
    Case(np.array([0, 3, 1], "int32"), rand((3, 4), low=-3, high=3), from_logits=True),
    Case(
        np.array([[0], [3], [1]], "int32"),
        rand((3, 4), low=-3, high=3),
        from_logits=True,
        id="trailing-1",
    ),
    Case(
        np.array([[1, 2], [0, 0]], "int32"),
        rand((2, 2, 3), "float64", low=-2, high=2),
        from_logits=True,
    ),
]

# ------------------------------------------------------------------------- normalisation

CASES["moments"] = [
    Case(rand((3, 4, 5)), [0]),
    Case(rand((3, 4, 5)), (0, 2), keepdims=True),
    Case(rand((3, 4, 5), "float64"), [-1]),
    Case(rand((8, 3), "float16"), [0], rtol=2e-3, atol=2e-3),
    Case(rand((4, 3), "int32", low=-5, high=5), [0], id="int"),
]
CASES["batch_normalization"] = [
    Case(
        rand((2, 3, 4)),
        rand((3,), seed=1),
        rand((3,), low=0.5, high=2, seed=2),
        1,
        offset=rand((3,), seed=3),
        scale=rand((3,), seed=4),
    ),
    Case(rand((2, 3, 4)), rand((4,), seed=1), rand((4,), low=0.5, high=2, seed=2), -1, epsilon=0.1),
]
CASES["normalize"] = [
    Case(rand((3, 4))),
    Case(rand((3, 4)), axis=0, order=1),
    Case(rand((2, 3, 4), "float64"), axis=(1, 2), order=3),
    Case(np.zeros((2, 2), "float32"), id="zeros"),
    Case(np.float32(-2.0), id="scalar"),
]
CASES["psnr"] = [
    Case(rand((4, 4), low=0, high=1), rand((4, 4), low=0, high=1, seed=1), 1.0),
    Case(
        rand((2, 3, 3), "float64", low=0, high=255),
        rand((2, 3, 3), "float64", low=0, high=255, seed=1),
        255.0,
    ),
]
CASES["rms_normalization"] = [
    Case(rand((2, 3, 4))),
    Case(rand((2, 3, 4)), rand((4,), seed=1)),
    Case(rand((2, 3, 4), "float16"), axis=(1, 2), epsilon=1e-3, rtol=2e-3, atol=2e-3),
]
CASES["layer_normalization"] = [
    Case(rand((2, 3, 4))),
    Case(rand((2, 3, 4)), rand((4,), seed=1), rand((4,), seed=2)),
    Case(rand((2, 3, 4), "float64"), rand((3, 4), "float64", seed=1), axis=(1, 2), epsilon=1e-3),
    Case(rand((2, 3, 4)), rand((4,), seed=1), rms_scaling=True),
]

# ------------------------------------------------------------------- sequences/attention

CASES["ctc_loss"] = [
    Case(
        np.array([[1, 2, 0], [2, 2, 0]], "int32"),
        rand((2, 5, 3), low=-2, high=2),
        np.array([2, 2], "int32"),
        np.array([5, 4], "int32"),
        rtol=1e-4,
        atol=1e-4,
    ),
    Case(
        np.array([[3, 1, 1, 2]], "int32"),
        rand((1, 9, 4), low=-2, high=2),
        np.array([4], "int32"),
        np.array([9], "int32"),
        rtol=1e-4,
        atol=1e-4,
    ),
]
CASES["ctc_decode"] = [
    Case(rand((2, 6, 4), low=-3, high=3), np.array([6, 4], "int32")),
    Case(
        rand((2, 6, 4), low=-3, high=3),
        np.array([6, 4], "int32"),
        merge_repeated=False,
        mask_index=3,
    ),
]

_Q, _K, _V = rand((2, 3, 4, 8)), rand((2, 5, 4, 8), seed=1), rand((2, 5, 4, 8), seed=2)
_ATT_TOL = {"rtol": 1e-4, "atol": 1e-5}
CASES["dot_product_attention"] = [
    Case(_Q, _K, _V, **_ATT_TOL),
    Case(_Q, _K, _V, bias=rand((1, 4, 3, 5), seed=3), scale=0.5, **_ATT_TOL),
    Case(
        _Q,
        _K,
        _V,
        mask=np.tile(np.array([True, False, True, True, False]), (2, 1, 3, 1)),
        **_ATT_TOL,
    ),
    Case(_Q, _K[:, :3], _V[:, :3], is_causal=True, **_ATT_TOL),
    Case(_Q, _K[:, :, :2], _V[:, :, :2], id="grouped-query", **_ATT_TOL),
    Case(_Q, _K, _V, attn_logits_soft_cap=0.5, **_ATT_TOL),
]
CASES["polar"] = [
    Case(rand((3, 4), low=0, high=2), rand((3, 4), low=-3, high=3)),
    Case(rand((5,), "float64"), rand((5,), "float64", seed=1)),
]

# ------------------------------------------------------------------------ rearrangements

CASES["unfold"] = [
    Case(rand((2, 3, 4, 5)), 2),
    Case(rand((1, 2, 5, 6)), (2, 3), dilation=(1, 2), padding=1, stride=(1, 2)),
]
CASES["fold"] = [
    Case(rand((2, 12, 12)), (4, 5), 2),
    Case(rand((1, 12, 18)), (5, 6), (2, 3), padding=1, stride=(1, 2)),
]
CASES["depth_to_space"] = [
    Case(rand((2, 3, 4, 8)), 2),
    Case(rand((1, 8, 2, 3)), 2, data_format="channels_first"),
]
CASES["space_to_depth"] = [
    Case(rand((2, 4, 6, 3)), 2),
    Case(rand((1, 3, 4, 6)), 2, data_format="channels_first"),
]
