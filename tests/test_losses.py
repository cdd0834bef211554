"""`unikeras.losses` against independent NumPy formulas (values, reductions, sample weights,
masks, from_logits, label smoothing, configs, string names)."""

import numpy as np
import pytest

import unikeras
from unikeras import losses

EPS = 1e-7
RNG = np.random.default_rng(0)
Y_TRUE = RNG.uniform(0.0, 1.0, (4, 3)).astype("float32")
Y_PRED = RNG.uniform(0.05, 0.95, (4, 3)).astype("float32")
SIGNED = np.where(RNG.uniform(size=(4, 3)) > 0.5, 1.0, -1.0).astype("float32")
BINARY = (RNG.uniform(size=(4, 3)) > 0.5).astype("float32")
ONE_HOT = np.eye(3, dtype="float32")[[0, 2, 1, 2]]
LABELS = np.array([0, 2, 1, 2])
PROBS = RNG.uniform(0.05, 1.0, (4, 3)).astype("float32")
PROBS /= PROBS.sum(-1, keepdims=True)
LOGITS = RNG.normal(size=(4, 3)).astype("float32")


def np_(x):
    return unikeras.ops.convert_to_numpy(x)


def np_clip(p):
    return np.clip(p, EPS, 1 - EPS)


def np_bce(t, p):
    p = np_clip(p)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def np_normalize(x):
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), EPS)


def np_huber(t, p, delta=1.0):
    e = np.abs(p - t)
    return np.mean(np.where(e <= delta, 0.5 * e**2, delta * e - 0.5 * delta**2), -1)


def np_softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_cce(t, p):
    return -np.sum(t * np.log(np_clip(p / p.sum(-1, keepdims=True))), -1)


def np_focal_bce(t, p, gamma=2.0, alpha=0.25, balance=False):
    p_t = t * p + (1 - t) * (1 - p)
    out = (1 - p_t) ** gamma * np_bce(t, p)
    if balance:
        out = out * (t * alpha + (1 - t) * (1 - alpha))
    return out.mean(-1)


def np_focal_cce(t, p, gamma=2.0, alpha=0.25):
    p = np_clip(p / p.sum(-1, keepdims=True))
    return np.sum(alpha * (1 - p) ** gamma * -t * np.log(p), -1)


def np_kld(t, p):
    t, p = np.clip(t, EPS, 1), np.clip(p, EPS, 1)
    return np.sum(t * np.log(t / p), -1)


# (function, class, y_true, y_pred, NumPy reference per sample)
CASES = {
    "mean_squared_error": (
        losses.MeanSquaredError,
        Y_TRUE,
        Y_PRED,
        lambda t, p: np.mean((t - p) ** 2, -1),
    ),
    "mean_absolute_error": (
        losses.MeanAbsoluteError,
        Y_TRUE,
        Y_PRED,
        lambda t, p: np.mean(np.abs(t - p), -1),
    ),
    "mean_absolute_percentage_error": (
        losses.MeanAbsolutePercentageError,
        Y_TRUE,
        Y_PRED,
        lambda t, p: 100 * np.mean(np.abs((t - p) / np.maximum(np.abs(t), EPS)), -1),
    ),
    "mean_squared_logarithmic_error": (
        losses.MeanSquaredLogarithmicError,
        Y_TRUE,
        Y_PRED,
        lambda t, p: np.mean(
            (np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2, -1
        ),
    ),
    "cosine_similarity": (
        losses.CosineSimilarity,
        SIGNED,
        LOGITS,
        lambda t, p: -np.sum(np_normalize(t) * np_normalize(p), -1),
    ),
    "huber": (losses.Huber, Y_TRUE * 3, LOGITS * 2, np_huber),
    "log_cosh": (losses.LogCosh, Y_TRUE, LOGITS, lambda t, p: np.mean(np.log(np.cosh(p - t)), -1)),
    "binary_crossentropy": (
        losses.BinaryCrossentropy,
        BINARY,
        Y_PRED,
        lambda t, p: np_bce(t, p).mean(-1),
    ),
    "binary_focal_crossentropy": (losses.BinaryFocalCrossentropy, BINARY, Y_PRED, np_focal_bce),
    "categorical_crossentropy": (losses.CategoricalCrossentropy, ONE_HOT, PROBS, np_cce),
    "categorical_focal_crossentropy": (
        losses.CategoricalFocalCrossentropy,
        ONE_HOT,
        PROBS,
        np_focal_cce,
    ),
    "sparse_categorical_crossentropy": (
        losses.SparseCategoricalCrossentropy,
        LABELS,
        PROBS,
        lambda t, p: -np.log(np_clip(p[np.arange(len(t)), t.astype(int)])),
    ),
    "kl_divergence": (losses.KLDivergence, PROBS[::-1].copy(), PROBS, np_kld),
    "poisson": (losses.Poisson, Y_TRUE, Y_PRED, lambda t, p: np.mean(p - t * np.log(p + EPS), -1)),
    "hinge": (losses.Hinge, SIGNED, LOGITS, lambda t, p: np.mean(np.maximum(1 - t * p, 0), -1)),
    "squared_hinge": (
        losses.SquaredHinge,
        SIGNED,
        LOGITS,
        lambda t, p: np.mean(np.maximum(1 - t * p, 0) ** 2, -1),
    ),
    "categorical_hinge": (
        losses.CategoricalHinge,
        ONE_HOT,
        LOGITS,
        lambda t, p: np.maximum(np.max((1 - t) * p, -1) - np.sum(t * p, -1) + 1, 0),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_function_matches_numpy(name):
    _, y_true, y_pred, reference = CASES[name]
    out = getattr(losses, name)(y_true, y_pred)
    np.testing.assert_allclose(np_(out), reference(y_true, y_pred), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_class_reductions_and_sample_weight(name):
    cls, y_true, y_pred, reference = CASES[name]
    per_sample = reference(y_true, y_pred)
    weight = np.array([0.5, 2.0, 0.0, 1.0], "float32")
    weighted = per_sample * weight
    expected = {
        "sum_over_batch_size": weighted.sum() / weighted.size,
        "sum": weighted.sum(),
        "mean": weighted.sum() / weighted.size,
        "mean_with_sample_weight": weighted.sum() / weight.sum(),
        "none": weighted,
        None: weighted,
    }
    for reduction, value in expected.items():
        out = cls(reduction=reduction)(y_true, y_pred, sample_weight=weight)
        np.testing.assert_allclose(
            np_(out), value, rtol=1e-5, atol=1e-6, err_msg=f"reduction={reduction}"
        )
    default = cls()(y_true, y_pred)
    np.testing.assert_allclose(np_(default), per_sample.mean(), rtol=1e-5, atol=1e-6)


def test_sample_weight_of_rank_2_and_trailing_unit_axes():
    t = RNG.uniform(size=(4, 5, 1)).astype("float32")
    p = RNG.uniform(size=(4, 5, 1)).astype("float32")
    w = RNG.uniform(size=(4, 5)).astype("float32")
    per_sample = np.mean((t - p) ** 2, -1)
    out = losses.MeanSquaredError()(t, p, sample_weight=w)
    np.testing.assert_allclose(np_(out), (per_sample * w).mean(), rtol=1e-5)
    # y_true (4,) against y_pred (4, 1): y_true gains the unit axis.
    out = losses.mean_squared_error(Y_TRUE[:, 0], Y_PRED[:, :1])
    np.testing.assert_allclose(np_(out), (Y_TRUE[:, 0] - Y_PRED[:, 0]) ** 2, rtol=1e-5)


def test_scalar_sample_weight():
    out = losses.MeanAbsoluteError()(Y_TRUE, Y_PRED, sample_weight=2.5)
    np.testing.assert_allclose(np_(out), 2.5 * np.abs(Y_TRUE - Y_PRED).mean(), rtol=1e-5)


class _Masked(np.ndarray):
    """A NumPy array carrying a `_keras_mask`, as a masking layer leaves on its outputs."""


def _with_mask(x, mask):
    out = np.asarray(x).view(_Masked)
    out._keras_mask = np.asarray(mask)
    return out


def test_mask_on_y_pred():
    t = RNG.uniform(size=(2, 5, 3)).astype("float32")
    p = RNG.uniform(size=(2, 5, 3)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)
    per_step = np.mean((t - p) ** 2, -1)
    out = losses.MeanSquaredError()(t, _with_mask(p, mask))
    np.testing.assert_allclose(np_(out), per_step[mask].mean(), rtol=1e-5)
    out = losses.MeanSquaredError(reduction="sum")(t, _with_mask(p, mask))
    np.testing.assert_allclose(np_(out), per_step[mask].sum(), rtol=1e-5)
    w = np.array([2.0, 0.5], "float32")
    out = losses.MeanSquaredError(reduction="sum")(t, _with_mask(p, mask), sample_weight=w)
    np.testing.assert_allclose(np_(out), (per_step * mask * w[:, None]).sum(), rtol=1e-5)


def test_binary_crossentropy_from_logits_and_label_smoothing():
    s = 0.2
    smoothed = BINARY * (1 - s) + 0.5 * s
    out = losses.binary_crossentropy(BINARY, LOGITS, from_logits=True, label_smoothing=s)
    logits_ref = np.mean(
        np.maximum(LOGITS, 0) - LOGITS * smoothed + np.log1p(np.exp(-np.abs(LOGITS))), -1
    )
    np.testing.assert_allclose(np_(out), logits_ref, rtol=1e-4, atol=1e-6)
    loss = losses.BinaryCrossentropy(label_smoothing=s)
    np.testing.assert_allclose(
        np_(loss(BINARY, Y_PRED)), np_bce(smoothed, Y_PRED).mean(), rtol=1e-5
    )


def test_categorical_crossentropy_from_logits_and_label_smoothing():
    s = 0.1
    smoothed = ONE_HOT * (1 - s) + s / 3
    out = losses.categorical_crossentropy(ONE_HOT, LOGITS, from_logits=True, label_smoothing=s)
    log_probs = LOGITS - np.log(np.exp(LOGITS).sum(-1, keepdims=True))
    np.testing.assert_allclose(np_(out), -np.sum(smoothed * log_probs, -1), rtol=1e-5)
    loss = losses.CategoricalCrossentropy(label_smoothing=s)
    np.testing.assert_allclose(np_(loss(ONE_HOT, PROBS)), np_cce(smoothed, PROBS).mean(), rtol=1e-5)
    with pytest.raises(ValueError, match="axis"):
        losses.categorical_crossentropy(ONE_HOT, PROBS, axis=True)


def test_focal_losses_options():
    out = losses.binary_focal_crossentropy(
        BINARY, LOGITS, apply_class_balancing=True, alpha=0.4, gamma=1.5, from_logits=True
    )
    np.testing.assert_allclose(
        np_(out), np_focal_bce(BINARY, np_sigmoid(LOGITS), 1.5, 0.4, balance=True), rtol=1e-4
    )
    out = losses.categorical_focal_crossentropy(
        ONE_HOT, LOGITS, alpha=0.5, gamma=3.0, from_logits=True
    )
    np.testing.assert_allclose(
        np_(out), np_focal_cce(ONE_HOT, np_softmax(LOGITS), 3.0, 0.5), rtol=1e-4
    )


def test_sparse_categorical_crossentropy_logits_ignore_class_and_column_labels():
    log_probs = LOGITS - np.log(np.exp(LOGITS).sum(-1, keepdims=True))
    per_sample = -log_probs[np.arange(4), LABELS]
    out = losses.sparse_categorical_crossentropy(LABELS[:, None], LOGITS, from_logits=True)
    np.testing.assert_allclose(np_(out), per_sample, rtol=1e-5)
    keep = LABELS != 2
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2)
    np.testing.assert_allclose(np_(loss(LABELS, LOGITS)), per_sample[keep].mean(), rtol=1e-5)
    out = losses.sparse_categorical_crossentropy(LABELS, LOGITS, from_logits=True, ignore_class=2)
    np.testing.assert_allclose(np_(out), np.where(keep, per_sample, 0.0), rtol=1e-5)


def test_hinge_converts_binary_labels():
    out = losses.hinge(BINARY, LOGITS)
    expected = np.mean(np.maximum(1 - (2 * BINARY - 1) * LOGITS, 0), -1)
    np.testing.assert_allclose(np_(out), expected, rtol=1e-5)


def test_huber_delta_and_cosine_axis():
    out = losses.Huber(delta=0.3, reduction="none")(Y_TRUE, LOGITS)
    np.testing.assert_allclose(np_(out), np_huber(Y_TRUE, LOGITS, 0.3), rtol=1e-5)
    out = losses.cosine_similarity(SIGNED, LOGITS, axis=0)
    expected = -np.sum(
        SIGNED / np.linalg.norm(SIGNED, axis=0) * LOGITS / np.linalg.norm(LOGITS, axis=0), 0
    )
    np.testing.assert_allclose(np_(out), expected, rtol=1e-5)


def test_loss_dtype_and_invalid_reduction():
    out = losses.MeanSquaredError(dtype="float64")(Y_TRUE, Y_PRED)
    # float64 where the backend has it (JAX without x64 mode, as Keras 3: float32).
    has_f64 = "float64" in unikeras.backend.table.backend_info()["dtypes"]
    assert unikeras.ops.dtype(out) == ("float64" if has_f64 else "float32")
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")


@pytest.mark.parametrize("name", sorted(CASES))
def test_get_config_round_trip(name):
    cls = CASES[name][0]
    loss = cls(reduction="sum", name="custom")
    config = loss.get_config()
    assert config["name"] == "custom" and config["reduction"] == "sum"
    clone = cls.from_config(config)
    assert clone.get_config() == config
    restored = losses.deserialize(losses.serialize(loss))
    assert type(restored) is cls and restored.get_config() == config


def test_options_survive_config():
    loss = losses.BinaryFocalCrossentropy(
        apply_class_balancing=True, alpha=0.3, gamma=1.0, from_logits=True, label_smoothing=0.1
    )
    clone = losses.deserialize(losses.serialize(loss))
    np.testing.assert_allclose(np_(clone(BINARY, LOGITS)), np_(loss(BINARY, LOGITS)))
    assert clone.get_config()["alpha"] == 0.3


def test_loss_function_wrapper_config_round_trip():
    loss = losses.LossFunctionWrapper(losses.huber, name="h", delta=0.5)
    restored = losses.deserialize(losses.serialize(loss))
    assert restored.fn is losses.huber
    np.testing.assert_allclose(
        np_(restored(Y_TRUE, LOGITS)), np_huber(Y_TRUE, LOGITS, 0.5).mean(), rtol=1e-5
    )


def test_get_resolves_names_like_keras():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MAE") is losses.mean_absolute_error
    assert losses.get("bce") is losses.binary_crossentropy
    assert losses.get("kld") is losses.kl_divergence
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert isinstance(losses.get("Huber"), losses.Huber)
    assert isinstance(losses.get({"class_name": "Hinge", "config": {}}), losses.Hinge)
    fn = losses.get(losses.poisson)
    assert fn is losses.poisson
    assert losses.get(None) is None
    assert losses.get("MSLE") is losses.mean_squared_logarithmic_error
    # As in Keras 3.15.1, the short names are names for `get`, not attributes.
    assert not hasattr(losses, "mse") and not hasattr(losses, "MSLE")
    with pytest.raises(ValueError, match="loss identifier"):
        losses.get("not_a_loss")
