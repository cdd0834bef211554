"""`unikeras.metrics` against independent NumPy computations (sample weights, masks,
thresholds, resets, stateless use, configs and string names)."""

import numpy as np
import pytest

import unikeras
from unikeras import metrics

RNG = np.random.default_rng(1)
BINARY = (RNG.uniform(size=(6, 3)) > 0.5).astype("float32")
SCORES = RNG.uniform(size=(6, 3)).astype("float32")
LABELS = np.array([0, 2, 1, 2, 0, 1])
ONE_HOT = np.eye(3, dtype="float32")[LABELS]
WEIGHTS = np.array([1.0, 0.5, 2.0, 0.0, 1.5, 1.0], "float32")
Y_TRUE = RNG.normal(size=(6, 2)).astype("float32")
Y_PRED = RNG.normal(size=(6, 2)).astype("float32")


def np_(x):
    return unikeras.ops.convert_to_numpy(x)


def close(actual, expected, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np_(actual), expected, rtol=rtol, atol=atol)


def weighted_mean(values, weights=None):
    weights = np.ones_like(values) if weights is None else weights
    return np.sum(values * weights) / np.sum(weights)


# --- reduction metrics --------------------------------------------------------------------


def test_mean_and_sum_accumulate_with_weights_and_reset():
    m, s = metrics.Mean(), metrics.Sum()
    values = np.array([1.0, 3.0, 5.0, 7.0], "float32")
    w = np.array([1.0, 0.0, 2.0, 0.5], "float32")
    for metric in (m, s):
        metric.update_state(values[:2], sample_weight=w[:2])
        metric.update_state(values[2:], sample_weight=w[2:])
        metric.update_state(2.0)
    close(m.result(), (np.sum(values * w) + 2.0) / (w.sum() + 1))
    close(s.result(), np.sum(values * w) + 2.0)
    m.reset_state()
    close(m.result(), 0.0)
    assert [v.name for v in m.variables] == ["total", "count"]


def test_mean_reduces_higher_rank_values_per_sample():
    values = RNG.uniform(size=(3, 4, 2)).astype("float32")
    w = np.array([[1.0, 0.0, 2.0, 1.0]] * 3, "float32")
    m = metrics.Mean()
    m.update_state(values, sample_weight=w)
    per_step = values.mean(-1) * w
    close(m.result(), per_step.mean(-1).sum() / w.mean(-1).sum())
    m = metrics.Mean()
    m.update_state(values)
    close(m.result(), values.mean())


def test_mean_metric_wrapper_with_mask():
    class Masked(np.ndarray):
        pass

    t = RNG.uniform(size=(2, 4, 3)).astype("float32")
    p = RNG.uniform(size=(2, 4, 3)).astype("float32").view(Masked)
    p._keras_mask = np.array([[1, 1, 0, 0], [1, 1, 1, 0]], bool)
    m = metrics.MeanSquaredError()
    m.update_state(t, p)
    per_step = np.mean((t - np.asarray(p)) ** 2, -1)
    mask = p._keras_mask
    expected = np.sum(per_step * mask, 1).sum() / mask.mean(1).sum() / 4
    close(m.result(), expected)


# --- accuracy metrics ---------------------------------------------------------------------


def test_accuracy_metrics():
    close(metrics.Accuracy()([1, 2, 3, 4], [0, 2, 3, 4]), 0.75)
    close(metrics.Accuracy()([[1], [2]], [[1], [3]], sample_weight=[3.0, 1.0]), 0.75)
    bin_acc = (BINARY == (SCORES > 0.5)).mean(-1)
    close(
        metrics.BinaryAccuracy()(BINARY, SCORES, sample_weight=WEIGHTS),
        weighted_mean(bin_acc, WEIGHTS),
    )
    close(metrics.BinaryAccuracy(threshold=0.7)(BINARY, SCORES), (BINARY == (SCORES > 0.7)).mean())
    hits = (SCORES.argmax(-1) == LABELS).astype("float32")
    close(
        metrics.CategoricalAccuracy()(ONE_HOT, SCORES, sample_weight=WEIGHTS),
        weighted_mean(hits, WEIGHTS),
    )
    close(
        metrics.SparseCategoricalAccuracy()(LABELS, SCORES, sample_weight=WEIGHTS),
        weighted_mean(hits, WEIGHTS),
    )
    close(metrics.SparseCategoricalAccuracy()(LABELS[:, None], SCORES), hits.mean())
    close(metrics.sparse_categorical_accuracy(LABELS[:, None].astype("float32"), SCORES), hits)


def test_top_k_accuracy():
    ranks = (SCORES > SCORES[np.arange(6), LABELS][:, None]).sum(-1)
    for k in (1, 2):
        hits = (ranks < k).astype("float32")
        close(
            metrics.TopKCategoricalAccuracy(k=k)(ONE_HOT, SCORES, sample_weight=WEIGHTS),
            weighted_mean(hits, WEIGHTS),
        )
        close(metrics.SparseTopKCategoricalAccuracy(k=k)(LABELS, SCORES), hits.mean())
    sorted_ids = np.argsort(-SCORES, -1)
    close(
        metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)(LABELS, sorted_ids),
        (ranks < 2).mean(),
    )
    seq_scores = RNG.uniform(size=(2, 3, 4)).astype("float32")
    seq_labels = np.array([[0, 1, 3], [2, 2, 1]])
    hits = (np.argsort(-seq_scores, -1)[..., :2] == seq_labels[..., None]).any(-1)
    close(metrics.sparse_top_k_categorical_accuracy(seq_labels, seq_scores, k=2), hits)


# --- confusion metrics --------------------------------------------------------------------


def np_counts(y_true, y_pred, thresholds, w=None):
    w = np.ones_like(y_pred) if w is None else np.broadcast_to(w, y_pred.shape)
    out = {}
    for key, want_pred, want_true in (("tp", 1, 1), ("fp", 1, 0), ("tn", 0, 0), ("fn", 0, 1)):
        out[key] = np.array(
            [
                np.sum(w * (((y_pred > t) == want_pred) & ((y_true != 0) == want_true)))
                for t in thresholds
            ]
        )
    return out


@pytest.mark.parametrize(
    "cls,key",
    [
        (metrics.TruePositives, "tp"),
        (metrics.FalsePositives, "fp"),
        (metrics.TrueNegatives, "tn"),
        (metrics.FalseNegatives, "fn"),
    ],
)
def test_confusion_counts(cls, key):
    w = WEIGHTS[:, None]
    close(cls()(BINARY, SCORES, sample_weight=w), np_counts(BINARY, SCORES, [0.5], w)[key][0])
    thresholds = [0.2, 0.5, 0.9]
    m = cls(thresholds=thresholds)
    m.update_state(BINARY[:3], SCORES[:3])
    m.update_state(BINARY[3:], SCORES[3:])
    close(m.result(), np_counts(BINARY, SCORES, thresholds)[key])


def test_precision_recall_thresholds_weights_top_k_class_id():
    c = np_counts(BINARY, SCORES, [0.5], WEIGHTS[:, None])
    close(
        metrics.Precision()(BINARY, SCORES, sample_weight=WEIGHTS[:, None]),
        c["tp"][0] / (c["tp"][0] + c["fp"][0]),
    )
    close(
        metrics.Recall()(BINARY, SCORES, sample_weight=WEIGHTS[:, None]),
        c["tp"][0] / (c["tp"][0] + c["fn"][0]),
    )
    thresholds = [0.1, 0.6]
    c = np_counts(BINARY, SCORES, thresholds)
    close(metrics.Precision(thresholds=thresholds)(BINARY, SCORES), c["tp"] / (c["tp"] + c["fp"]))
    c = np_counts(BINARY[:, 1], SCORES[:, 1], [0.5])
    close(metrics.Recall(class_id=1)(BINARY, SCORES), c["tp"][0] / (c["tp"][0] + c["fn"][0]))
    top1 = SCORES == SCORES.max(-1, keepdims=True)
    tp = np.sum(top1 & (BINARY == 1))
    close(metrics.Precision(top_k=1)(BINARY, SCORES), tp / top1.sum())
    close(metrics.Recall(top_k=1)(BINARY, SCORES), tp / BINARY.sum())
    close(metrics.Precision()([0, 0], [0.1, 0.2]), 0.0)  # no positives: 0, not NaN


def np_auc(y_true, y_pred, curve="ROC", method="interpolation", num_thresholds=200, w=None):
    eps = 1e-7
    thresholds = (
        [-eps] + [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1 + eps]
    )
    c = np_counts(y_true, y_pred, thresholds, w)
    tp, fp, tn, fn = (c[k].astype("float64") for k in ("tp", "fp", "tn", "fn"))
    div = lambda a, b: np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))  # noqa: E731
    recall = div(tp, tp + fn)
    if curve == "PR" and method == "interpolation":
        total = 0.0
        for i in range(len(thresholds) - 1):
            p0, p1 = tp[i] + fp[i], tp[i + 1] + fp[i + 1]
            dtp, dp = tp[i] - tp[i + 1], p0 - p1
            slope = dtp / dp if dp > 0 else 0.0
            intercept = tp[i + 1] - slope * p1
            ratio = p0 / p1 if p0 > 0 and p1 > 0 else 1.0
            pos = tp[i + 1] + fn[i + 1]
            if pos > 0:
                total += slope * (dtp + intercept * np.log(ratio)) / pos
        return total
    x, y = (div(fp, fp + tn), recall) if curve == "ROC" else (recall, div(tp, tp + fp))
    pairs = np.stack([y[:-1], y[1:]])
    heights = {"interpolation": pairs.mean(0), "minoring": pairs.min(0), "majoring": pairs.max(0)}[
        method
    ]
    return np.sum((x[:-1] - x[1:]) * heights)


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("method", ["interpolation", "minoring", "majoring"])
def test_auc_matches_numpy(curve, method):
    y_true = (RNG.uniform(size=40) > 0.5).astype("float32")
    y_pred = np.clip(y_true * 0.3 + RNG.uniform(size=40) * 0.7, 0, 1).astype("float32")
    w = RNG.uniform(size=40).astype("float32")
    m = metrics.AUC(curve=curve, summation_method=method)
    m.update_state(y_true[:20], y_pred[:20], sample_weight=w[:20])
    m.update_state(y_true[20:], y_pred[20:], sample_weight=w[20:])
    close(m.result(), np_auc(y_true, y_pred, curve, method, w=w), rtol=1e-4)
    m = metrics.AUC(num_thresholds=7, curve=curve, summation_method=method)
    close(m(y_true, y_pred), np_auc(y_true, y_pred, curve, method, num_thresholds=7), rtol=1e-4)


def test_auc_roc_equals_rank_statistic_and_keras_example():
    close(metrics.AUC()([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]), 0.75)
    y_true = np.array([0, 1, 0, 1, 1, 0, 1, 0], "float32")
    y_pred = np.array([0.1, 0.3, 0.5, 0.5, 0.7, 0.2, 0.9, 0.3], "float32")
    pos, neg = y_pred[y_true == 1], y_pred[y_true == 0]
    rank_auc = np.mean([(p > q) + 0.5 * (p == q) for p in pos for q in neg])
    close(metrics.AUC(num_thresholds=1000)(y_true, y_pred), rank_auc, rtol=1e-3)


def test_auc_multi_label_label_weights_and_logits():
    y_true = (RNG.uniform(size=(30, 2)) > 0.5).astype("float32")
    logits = (y_true - 0.5 + RNG.normal(size=(30, 2))).astype("float32")
    probs = 1 / (1 + np.exp(-logits))
    per_label = [np_auc(y_true[:, i], probs[:, i]) for i in range(2)]
    close(
        metrics.AUC(multi_label=True, from_logits=True)(y_true, logits),
        np.mean(per_label),
        rtol=1e-4,
    )
    close(
        metrics.AUC(multi_label=True, num_labels=2, label_weights=[1.0, 3.0])(y_true, probs),
        (per_label[0] + 3 * per_label[1]) / 4,
        rtol=1e-4,
    )
    close(
        metrics.AUC(label_weights=[1.0, 3.0])(y_true, probs),
        np_auc(y_true, probs, w=np.array([1.0, 3.0])),
        rtol=1e-4,
    )


# --- regression metrics -------------------------------------------------------------------


def test_regression_metrics():
    err = Y_TRUE - Y_PRED
    w = WEIGHTS
    cases = {
        metrics.MeanSquaredError: np.mean(err**2, -1),
        metrics.MeanAbsoluteError: np.mean(np.abs(err), -1),
        metrics.MeanAbsolutePercentageError: 100 * np.mean(np.abs(err / Y_TRUE), -1),
        metrics.MeanSquaredLogarithmicError: np.mean(
            (np.log(np.maximum(Y_PRED, 1e-7) + 1) - np.log(np.maximum(Y_TRUE, 1e-7) + 1)) ** 2, -1
        ),
        metrics.LogCoshError: np.mean(np.log(np.cosh(err)), -1),
        metrics.CosineSimilarity: np.sum(Y_TRUE * Y_PRED, -1)
        / (np.linalg.norm(Y_TRUE, axis=-1) * np.linalg.norm(Y_PRED, axis=-1)),
    }
    for cls, per_sample in cases.items():
        close(cls()(Y_TRUE, Y_PRED, sample_weight=w), weighted_mean(per_sample, w), rtol=1e-4)
    m = metrics.RootMeanSquaredError()
    m.update_state(Y_TRUE[:3], Y_PRED[:3], sample_weight=w[:3])
    m.update_state(Y_TRUE[3:], Y_PRED[3:], sample_weight=w[3:])
    close(m.result(), np.sqrt(weighted_mean(np.mean(err**2, -1), w)))


def np_r2(t, p, w, aggregation, num_regressors=0):
    w = np.broadcast_to(w[:, None], t.shape)
    mean = np.sum(w * t, 0) / np.sum(w, 0)
    ss_tot = np.sum(w * (t - mean) ** 2, 0)
    scores = 1 - np.sum(w * (t - p) ** 2, 0) / ss_tot
    if aggregation == "uniform_average":
        score = scores.mean()
    elif aggregation == "variance_weighted_average":
        score = np.sum(ss_tot * scores) / np.sum(ss_tot)
    else:
        score = scores
    if num_regressors:
        n = len(t)
        score = 1 - (1 - score) * (n - 1) / (n - num_regressors - 1)
    return score


@pytest.mark.parametrize("aggregation", ["uniform_average", "variance_weighted_average", None])
def test_r2_score(aggregation):
    m = metrics.R2Score(class_aggregation=aggregation)
    m.update_state(Y_TRUE[:4], Y_PRED[:4], sample_weight=WEIGHTS[:4])
    m.update_state(Y_TRUE[4:], Y_PRED[4:], sample_weight=WEIGHTS[4:])
    close(m.result(), np_r2(Y_TRUE, Y_PRED, WEIGHTS, aggregation), rtol=1e-4)
    adjusted = metrics.R2Score(class_aggregation=aggregation, num_regressors=2)
    close(adjusted(Y_TRUE, Y_PRED), np_r2(Y_TRUE, Y_PRED, np.ones(6), aggregation, 2), rtol=1e-4)
    close(metrics.R2Score()(np.array([[1], [4], [3]]), np.array([[2], [4], [4]])), 0.5714285)
    with pytest.raises(ValueError, match="2D"):
        metrics.R2Score()(Y_TRUE[:, 0], Y_PRED[:, 0])


# --- F-scores -----------------------------------------------------------------------------


def np_fbeta(t, pred, beta, average, w=None):
    w = np.ones(len(t)) if w is None else w
    axis = None if average == "micro" else 0
    tp = np.sum(w[:, None] * pred * t, axis)
    fp = np.sum(w[:, None] * pred * (1 - t), axis)
    fn = np.sum(w[:, None] * (1 - pred) * t, axis)
    precision, recall = tp / (tp + fp + 1e-7), tp / (tp + fn + 1e-7)
    f = (1 + beta**2) * precision * recall / (beta**2 * precision + recall + 1e-7)
    if average == "weighted":
        support = np.sum(w[:, None] * t, 0)
        return np.sum(f * support / support.sum())
    return f if average is None else np.mean(f)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_f_scores(average):
    pred = (SCORES > 0.4).astype("float32")
    close(
        metrics.F1Score(average=average, threshold=0.4)(BINARY, SCORES, sample_weight=WEIGHTS),
        np_fbeta(BINARY, pred, 1.0, average, WEIGHTS),
        rtol=1e-4,
    )
    close(
        metrics.FBetaScore(average=average, beta=2.0, threshold=0.4)(BINARY, SCORES),
        np_fbeta(BINARY, pred, 2.0, average),
        rtol=1e-4,
    )
    argmax_pred = (SCORES == SCORES.max(-1, keepdims=True)).astype("float32")
    close(
        metrics.F1Score(average=average)(ONE_HOT, SCORES),
        np_fbeta(ONE_HOT, argmax_pred, 1.0, average),
        rtol=1e-4,
    )


# --- IoU ----------------------------------------------------------------------------------


def np_iou(t, p, num_classes, ids, w=None):
    w = np.ones(len(t)) if w is None else w
    cm = np.zeros((num_classes, num_classes))
    for a, b, weight in zip(t, p, w):
        cm[int(a), int(b)] += weight
    tp = np.diag(cm)
    union = cm.sum(0) + cm.sum(1) - tp
    ids = [i for i in ids if union[i] > 0]
    return np.mean(tp[ids] / union[ids])


def test_iou_metrics():
    t = RNG.integers(0, 4, size=30)
    p = RNG.integers(0, 4, size=30)
    w = RNG.uniform(size=30).astype("float32")
    # Float weights need a float dtype: the default ("int", as Keras 3) truncates them.
    close(
        metrics.MeanIoU(num_classes=4, dtype="float32")(t, p, sample_weight=w),
        np_iou(t, p, 4, range(4), w),
    )
    close(metrics.IoU(num_classes=4, target_class_ids=[0, 2])(t, p), np_iou(t, p, 4, [0, 2]))
    keep = t != 3
    close(
        metrics.MeanIoU(num_classes=4, ignore_class=3)(t, p), np_iou(t[keep], p[keep], 4, range(4))
    )
    close(metrics.MeanIoU(num_classes=2)([0, 0, 1, 1], [0, 1, 0, 1]), 1 / 3)
    scores = RNG.uniform(size=(30, 4)).astype("float32")
    close(
        metrics.OneHotMeanIoU(num_classes=4)(np.eye(4)[t], scores),
        np_iou(t, scores.argmax(-1), 4, range(4)),
    )
    close(
        metrics.OneHotIoU(num_classes=4, target_class_ids=[1])(np.eye(4)[t], scores),
        np_iou(t, scores.argmax(-1), 4, [1]),
    )
    y_true = RNG.integers(0, 2, size=(5, 3))
    y_pred = RNG.uniform(size=(5, 3)).astype("float32")
    close(
        metrics.BinaryIoU(threshold=0.3)(y_true, y_pred),
        np_iou(y_true.ravel(), (y_pred.ravel() >= 0.3), 2, [0, 1]),
    )
    # 2-D segmentation maps are flattened.
    close(
        metrics.MeanIoU(num_classes=4)(t.reshape(5, 6), p.reshape(5, 6)), np_iou(t, p, 4, range(4))
    )


# --- probabilistic and hinge metrics ------------------------------------------------------


def test_probabilistic_and_hinge_metrics_average_their_losses():
    probs = SCORES / SCORES.sum(-1, keepdims=True)
    for cls, fn, t, p in [
        (metrics.BinaryCrossentropy, unikeras.losses.binary_crossentropy, BINARY, SCORES),
        (metrics.CategoricalCrossentropy, unikeras.losses.categorical_crossentropy, ONE_HOT, probs),
        (
            metrics.SparseCategoricalCrossentropy,
            unikeras.losses.sparse_categorical_crossentropy,
            LABELS,
            probs,
        ),
        (metrics.KLDivergence, unikeras.losses.kl_divergence, ONE_HOT, probs),
        (metrics.Poisson, unikeras.losses.poisson, BINARY, SCORES),
        (metrics.Hinge, unikeras.losses.hinge, BINARY, Y_PRED[:, :1]),
        (metrics.SquaredHinge, unikeras.losses.squared_hinge, BINARY, SCORES),
        (metrics.CategoricalHinge, unikeras.losses.categorical_hinge, ONE_HOT, SCORES),
    ]:
        close(cls()(t, p, sample_weight=WEIGHTS), weighted_mean(np_(fn(t, p)), WEIGHTS), rtol=1e-5)


# --- state, stateless use, configs, names -------------------------------------------------


def test_reset_state_zeroes_every_variable():
    for m in (
        metrics.AUC(),
        metrics.Precision(),
        metrics.MeanIoU(num_classes=3),
        metrics.F1Score(),
        metrics.R2Score(),
    ):
        m.update_state(ONE_HOT, SCORES)
        m.reset_state()
        for v in m.variables:
            assert not np.any(np_(v.value))


def test_stateless_methods_leave_the_metric_untouched():
    m = metrics.Mean()
    m.update_state([10.0])
    state = [np.zeros((), "float32"), np.zeros((), "float32")]
    state = m.stateless_update_state(state, [1.0, 2.0, 3.0])
    state = m.stateless_update_state(state, [4.0])
    close(m.stateless_result(state), 2.5)
    close(m.result(), 10.0)
    reset = m.stateless_reset_state()
    close(reset[0], 0.0)
    close(m.result(), 10.0)
    auc = metrics.AUC(num_thresholds=5)
    state = auc.stateless_update_state([np.zeros(5, "float32")] * 4, [0, 1], [0.2, 0.8])
    close(auc.stateless_result(state), 1.0)
    with pytest.raises(ValueError, match="variable values"):
        m.stateless_update_state([0.0], [1.0])


CONFIG_CASES = [
    metrics.Mean(name="m"),
    metrics.Sum(),
    metrics.Accuracy(),
    metrics.BinaryAccuracy(threshold=0.3),
    metrics.CategoricalAccuracy(),
    metrics.SparseCategoricalAccuracy(),
    metrics.TopKCategoricalAccuracy(k=2),
    metrics.SparseTopKCategoricalAccuracy(k=3),
    metrics.AUC(num_thresholds=50, curve="PR", multi_label=True, num_labels=3),
    metrics.AUC(thresholds=[0.3, 0.6]),
    metrics.Precision(thresholds=[0.2, 0.7], class_id=1),
    metrics.Recall(top_k=2),
    metrics.TruePositives(thresholds=0.3),
    metrics.FalseNegatives(),
    metrics.MeanSquaredError(),
    metrics.RootMeanSquaredError(),
    metrics.MeanAbsoluteError(),
    metrics.R2Score(class_aggregation=None, num_regressors=1),
    metrics.F1Score(average="macro"),
    metrics.FBetaScore(beta=2.0, threshold=0.5),
    metrics.MeanIoU(num_classes=3, ignore_class=0),
    metrics.IoU(num_classes=3, target_class_ids=[1]),
    metrics.BinaryIoU(threshold=0.4),
    metrics.OneHotMeanIoU(num_classes=3),
    metrics.BinaryCrossentropy(from_logits=True),
    metrics.CosineSimilarity(axis=0),
]


@pytest.mark.parametrize("metric", CONFIG_CASES, ids=lambda m: type(m).__name__)
def test_get_config_round_trip(metric):
    config = metric.get_config()
    clone = type(metric).from_config(config)
    assert clone.get_config() == config
    restored = metrics.deserialize(metrics.serialize(metric))
    assert type(restored) is type(metric) and restored.get_config() == config


def test_mean_metric_wrapper_of_a_function_round_trips():
    m = metrics.MeanMetricWrapper(unikeras.losses.huber, name="h", delta=0.5)
    restored = metrics.deserialize(metrics.serialize(m))
    close(restored(Y_TRUE, Y_PRED), np_(unikeras.losses.huber(Y_TRUE, Y_PRED, 0.5)).mean())


def test_string_shortcuts_resolve_like_keras():
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("MAE"), metrics.MeanAbsoluteError)
    assert isinstance(metrics.get("mape"), metrics.MeanAbsolutePercentageError)
    assert isinstance(metrics.get("msle"), metrics.MeanSquaredLogarithmicError)
    assert isinstance(metrics.get("bce"), metrics.BinaryCrossentropy)
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    assert isinstance(metrics.get("auc"), metrics.AUC)
    assert isinstance(metrics.get("binary_accuracy"), metrics.BinaryAccuracy)
    assert isinstance(metrics.get("precision"), metrics.Precision)
    assert isinstance(metrics.get("root_mean_squared_error"), metrics.RootMeanSquaredError)
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert metrics.get(None) is None
    with pytest.raises(ValueError, match="metric identifier"):
        metrics.get("not_a_metric")


@pytest.mark.parametrize(
    "y_true_shape,y_pred_shape,expected",
    [
        ((8, 1), (8, 1), "binary_accuracy"),
        ((8,), (8, 1), "binary_accuracy"),
        ((8,), (8, 5), "sparse_categorical_accuracy"),
        ((8, 1), (8, 5), "sparse_categorical_accuracy"),
        ((8, 5), (8, 5), "categorical_accuracy"),
    ],
)
def test_accuracy_resolves_from_shapes(y_true_shape, y_pred_shape, expected):
    for name in ("accuracy", "acc"):
        m = metrics._get_metric(name, np.zeros(y_true_shape), np.zeros(y_pred_shape))
        assert m.name == name and m._fn.__name__ == expected
        m = metrics._get_metric_for_loss(name, "mse", y_true_shape, y_pred_shape)
        assert m._fn.__name__ == expected
    m = metrics._get_metric("ce", y_true_shape, y_pred_shape)
    assert m._fn.__name__ == expected.replace("accuracy", "crossentropy")


@pytest.mark.parametrize(
    "loss,expected",
    [
        ("binary_crossentropy", "binary_accuracy"),
        (unikeras.losses.BinaryFocalCrossentropy(), "binary_accuracy"),
        ("sparse_categorical_crossentropy", "sparse_categorical_accuracy"),
        (unikeras.losses.SparseCategoricalCrossentropy(), "sparse_categorical_accuracy"),
        (unikeras.losses.categorical_crossentropy, "categorical_accuracy"),
    ],
)
def test_accuracy_resolves_from_loss(loss, expected):
    m = metrics._get_metric_for_loss("accuracy", loss)
    assert m.name == "accuracy" and m._fn.__name__ == expected


def test_get_metric_wraps_functions_and_keeps_metrics():
    m = metrics._get_metric("mse", None, None)
    assert isinstance(m, metrics.MeanSquaredError)
    m = metrics._get_metric(metrics.binary_accuracy, None, None)
    assert isinstance(m, metrics.MeanMetricWrapper) and m.name == "binary_accuracy"


def test_confusion_metrics_take_per_sample_weights_with_class_scores():
    # (batch,) weights with (batch, classes) scores weigh every class of a sample, as Keras.
    rng = np.random.default_rng(7)
    y_true = (rng.random((6, 3)) > 0.5).astype("float32")
    y_pred = rng.random((6, 3)).astype("float32")
    weights = rng.random(6).astype("float32") + 0.5
    precision = metrics.Precision(class_id=1)
    precision.update_state(y_true, y_pred, sample_weight=weights)
    hit = (y_pred[:, 1] > 0.5).astype("float32")
    tp = (weights * hit * y_true[:, 1]).sum()
    fp = (weights * hit * (1 - y_true[:, 1])).sum()
    np.testing.assert_allclose(np_(precision.result()), tp / (tp + fp), rtol=1e-5)
    recall = metrics.Recall()
    recall.update_state(y_true, y_pred, sample_weight=weights)
    w = np.broadcast_to(weights[:, None], y_pred.shape)
    hit = (y_pred > 0.5).astype("float32")
    tp, fn = (w * hit * y_true).sum(), (w * (1 - hit) * y_true).sum()
    np.testing.assert_allclose(np_(recall.result()), tp / (tp + fn), rtol=1e-5)
