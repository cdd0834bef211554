"""Keras 3's correlation metrics (PearsonCorrelation, ConcordanceCorrelation and their
functions), the operating-point metrics (PrecisionAtRecall, RecallAtPrecision,
SensitivityAtSpecificity, SpecificityAtSensitivity with num_thresholds and class_id) and
`ignore_class` on `metrics.SparseCategoricalCrossentropy`: values against independent NumPy
computations (and Keras 3.15.1 where installed), configs, names, and use in `fit`."""

import os

import numpy as np
import pytest

import unikeras
from unikeras import metrics
from unikeras.backend import table

EPS = 1e-7
RNG = np.random.default_rng(11)


def np_(x):
    return np.asarray(unikeras.ops.convert_to_numpy(x))


def keras3():
    engine = unikeras.backend.backend()
    os.environ.setdefault(
        "KERAS_BACKEND", engine if engine in ("jax", "torch", "tensorflow") else "jax"
    )
    module = pytest.importorskip("keras")
    if not module.__version__.startswith("3."):  # pragma: no cover
        pytest.skip(f"keras {module.__version__} is not Keras 3")
    return module


# --- correlation -----------------------------------------------------------------------------

Y_TRUE = RNG.normal(size=(4, 6)).astype("float32")
Y_PRED = (Y_TRUE + RNG.normal(scale=0.5, size=(4, 6))).astype("float32")


def np_pearson(t, p, axis=-1):
    t = t - t.mean(axis, keepdims=True)
    p = p - p.mean(axis, keepdims=True)
    t = t / t.std(axis, keepdims=True)
    p = p / p.std(axis, keepdims=True)
    return (t * p).mean(axis)


def np_concordance(t, p, axis=-1):
    # Keras 3.15.1's formula (the numerator centres y_true on y_pred's mean).
    tm, pm = t.mean(axis, keepdims=True), p.mean(axis, keepdims=True)
    tv, pv = t.var(axis, keepdims=True), p.var(axis, keepdims=True)
    cov = (t - pm) * (p - pm)
    return (2 * cov / (tv + pv + (tm - pm) ** 2 + EPS)).mean(axis)


@pytest.mark.parametrize("axis", [-1, 0])
def test_pearson_correlation_function_and_metric(axis):
    expected = np_pearson(Y_TRUE.astype("float64"), Y_PRED.astype("float64"), axis)
    np.testing.assert_allclose(
        np_(metrics.pearson_correlation(Y_TRUE, Y_PRED, axis=axis)), expected, rtol=1e-4
    )
    metric = metrics.PearsonCorrelation(axis=axis)
    metric.update_state(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(np_(metric.result()), expected.mean(), rtol=1e-4)
    if axis == -1:  # per-row coefficients accumulate over batches
        split = metrics.PearsonCorrelation()
        split.update_state(Y_TRUE[:1], Y_PRED[:1])
        split.update_state(Y_TRUE[1:], Y_PRED[1:])
        np.testing.assert_allclose(np_(split.result()), expected.mean(), rtol=1e-4)


@pytest.mark.parametrize("axis", [-1, 0])
def test_concordance_correlation_function_and_metric(axis):
    expected = np_concordance(Y_TRUE.astype("float64"), Y_PRED.astype("float64"), axis)
    np.testing.assert_allclose(
        np_(metrics.concordance_correlation(Y_TRUE, Y_PRED, axis=axis)), expected, rtol=1e-4
    )
    metric = metrics.ConcordanceCorrelation(axis=axis)
    metric.update_state(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(np_(metric.result()), expected.mean(), rtol=1e-4)


def test_correlation_metrics_sample_weight_and_reset():
    weights = np.array([1.0, 0.0, 2.0, 1.0], "float32")
    per_row = np_pearson(Y_TRUE.astype("float64"), Y_PRED.astype("float64"))
    metric = metrics.PearsonCorrelation()
    metric.update_state(Y_TRUE, Y_PRED, sample_weight=weights)
    np.testing.assert_allclose(
        np_(metric.result()), (per_row * weights).sum() / weights.sum(), rtol=1e-4
    )
    metric.reset_state()
    assert float(np_(metric.result())) == 0.0


@pytest.mark.parametrize("cls", [metrics.PearsonCorrelation, metrics.ConcordanceCorrelation])
def test_correlation_configs(cls):
    metric = cls(name="corr", axis=0)
    config = metric.get_config()
    assert config == {"name": "corr", "dtype": "float32", "axis": 0}
    assert cls.from_config(config).get_config() == config
    assert isinstance(metrics.get(cls.__name__), cls)
    assert metrics.get(metrics.serialize(metric)).get_config() == config


def test_correlation_function_names_resolve():
    assert isinstance(metrics.get("pearson_correlation"), metrics.PearsonCorrelation)
    assert isinstance(metrics.get("concordance_correlation"), metrics.ConcordanceCorrelation)
    assert (
        metrics.deserialize(
            {
                "module": "keras.metrics",
                "class_name": "function",
                "config": "concordance_correlation",
                "registered_name": None,
            }
        )
        is metrics.concordance_correlation
    )


# --- operating-point metrics ---------------------------------------------------------------------

LABELS = (RNG.uniform(size=40) > 0.5).astype("float32")
SCORES = np.clip(LABELS * 0.3 + RNG.uniform(size=40) * 0.7, 0, 1).astype("float32")


def np_counts(labels, scores, thresholds, weights=None):
    weights = np.ones_like(scores) if weights is None else weights
    scores = np.clip(scores, 0, 1) if len(thresholds) > 1 else scores
    pred = scores[None, :] > np.asarray(thresholds)[:, None]
    pos = labels[None, :] != 0
    w = weights[None, :]
    return (
        (w * (pred & pos)).sum(1),
        (w * (pred & ~pos)).sum(1),
        (w * (~pred & ~pos)).sum(1),
        (w * (~pred & pos)).sum(1),
    )


def np_thresholds(n):
    if n == 1:
        return [0.5]
    return [0.0] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0]


def np_div(a, b):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))


def np_operating_point(kind, value, labels, scores, n, weights=None):
    tp, fp, tn, fn = np_counts(labels, scores, np_thresholds(n), weights)
    rates = {
        "sensitivity": np_div(tp, tp + fn),
        "specificity": np_div(tn, tn + fp),
        "precision": np_div(tp, tp + fp),
    }
    constrained, dependent = {
        "SensitivityAtSpecificity": ("specificity", "sensitivity"),
        "SpecificityAtSensitivity": ("sensitivity", "specificity"),
        "PrecisionAtRecall": ("sensitivity", "precision"),
        "RecallAtPrecision": ("precision", "sensitivity"),
    }[kind]
    feasible = rates[constrained] >= value
    return max(0.0, np.max(np.where(feasible, rates[dependent], 0.0)))


OPERATING = [
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "PrecisionAtRecall",
    "RecallAtPrecision",
]


@pytest.mark.parametrize("kind", OPERATING)
@pytest.mark.parametrize("value,num_thresholds", [(0.5, 200), (0.8, 7), (0.3, 1), (1.0, 50)])
def test_operating_point_metrics_match_numpy(kind, value, num_thresholds):
    metric = getattr(metrics, kind)(value, num_thresholds=num_thresholds)
    metric.update_state(LABELS[:25], SCORES[:25])
    metric.update_state(LABELS[25:], SCORES[25:])
    expected = np_operating_point(kind, value, LABELS, SCORES, num_thresholds)
    np.testing.assert_allclose(np_(metric.result()), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", OPERATING)
def test_operating_point_metrics_sample_weight_and_class_id(kind):
    weights = RNG.uniform(0, 2, size=40).astype("float32")
    metric = getattr(metrics, kind)(0.6, num_thresholds=20)
    metric.update_state(LABELS, SCORES, sample_weight=weights)
    np.testing.assert_allclose(
        np_(metric.result()),
        np_operating_point(kind, 0.6, LABELS, SCORES, 20, weights),
        rtol=1e-5,
        atol=1e-6,
    )
    # class_id picks one column of (batch, classes) labels and predictions.
    labels_2d = np.stack([1 - LABELS, LABELS], -1)
    scores_2d = np.stack([RNG.uniform(size=40).astype("float32"), SCORES], -1)
    by_class = getattr(metrics, kind)(0.6, num_thresholds=20, class_id=1)
    by_class.update_state(labels_2d, scores_2d, sample_weight=weights)
    np.testing.assert_allclose(np_(by_class.result()), np_(metric.result()), rtol=1e-6)
    by_class.reset_state()
    assert float(np_(by_class.result())) == 0.0


def test_scores_outside_unit_interval_are_clipped():
    scores = SCORES * 1.6 - 0.3
    metric = metrics.SensitivityAtSpecificity(0.5, num_thresholds=11)
    metric.update_state(LABELS, scores)
    np.testing.assert_allclose(
        np_(metric.result()),
        np_operating_point("SensitivityAtSpecificity", 0.5, LABELS, scores, 11),
        rtol=1e-6,
    )


@pytest.mark.parametrize(
    "kind,arg",
    [
        ("SensitivityAtSpecificity", "specificity"),
        ("SpecificityAtSensitivity", "sensitivity"),
        ("PrecisionAtRecall", "recall"),
        ("RecallAtPrecision", "precision"),
    ],
)
def test_operating_point_arguments_and_configs(kind, arg):
    cls = getattr(metrics, kind)
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match=f"`{arg}` must be in the range"):
            cls(bad)
    with pytest.raises(ValueError, match="num_thresholds"):
        cls(0.5, num_thresholds=0)
    metric = cls(0.4, num_thresholds=30, class_id=2, name="op")
    config = metric.get_config()
    assert config == {
        "name": "op",
        "dtype": "float32",
        "class_id": 2,
        "num_thresholds": 30,
        arg: 0.4,
    }
    assert cls.from_config(config).get_config() == config
    assert metrics.deserialize(metrics.serialize(metric)).get_config() == config
    assert [v.path.split("/")[-1] for v in metric.variables] == [
        "true_positives",
        "false_positives",
        "true_negatives",
        "false_negatives",
    ]


# --- SparseCategoricalCrossentropy(ignore_class) -------------------------------------------------


def test_sparse_categorical_crossentropy_metric_ignore_class():
    labels = np.array([0, 2, 1, 2, 0])
    probs = RNG.uniform(0.05, 1.0, (5, 3)).astype("float32")
    probs /= probs.sum(-1, keepdims=True)
    per_sample = -np.log(np.clip(probs[np.arange(5), labels], EPS, 1 - EPS))
    kept = labels != 2
    # With sample weights the mask of ignored entries takes them out of the count.
    weights = np.array([1.0, 1.0, 2.0, 1.0, 0.5], "float32")
    metric = metrics.SparseCategoricalCrossentropy(ignore_class=2)
    metric.update_state(labels, probs, sample_weight=weights)
    expected = (per_sample * weights * kept).sum() / (weights * kept).sum()
    np.testing.assert_allclose(np_(metric.result()), expected, rtol=1e-5)
    config = metric.get_config()
    assert config["ignore_class"] == 2
    assert metrics.SparseCategoricalCrossentropy.from_config(config).get_config() == config
    # Without sample weights the ignored entries count as zeros (as in Keras 3).
    plain = metrics.SparseCategoricalCrossentropy(ignore_class=2)
    plain.update_state(labels, probs)
    np.testing.assert_allclose(np_(plain.result()), (per_sample * kept).sum() / 5, rtol=1e-5)


# --- against Keras 3.15.1 ------------------------------------------------------------------------


def test_values_match_keras3():
    keras = keras3()
    weights = RNG.uniform(0, 2, size=40).astype("float32")
    labels_2d = np.stack([1 - LABELS, LABELS], -1)
    scores_2d = np.stack([1 - SCORES, SCORES], -1)
    pairs = [
        (metrics.PearsonCorrelation(), keras.metrics.PearsonCorrelation(), (Y_TRUE, Y_PRED), {}),
        (
            metrics.ConcordanceCorrelation(),
            keras.metrics.ConcordanceCorrelation(),
            (Y_TRUE, Y_PRED),
            {},
        ),
    ]
    for kind, value in zip(OPERATING, (0.5, 0.7, 0.6, 0.8)):
        for n in (200, 9):
            pairs.append(
                (
                    getattr(metrics, kind)(value, num_thresholds=n),
                    getattr(keras.metrics, kind)(value, num_thresholds=n),
                    (LABELS, SCORES),
                    {"sample_weight": weights},
                )
            )
        pairs.append(
            (
                getattr(metrics, kind)(value, class_id=1),
                getattr(keras.metrics, kind)(value, class_id=1),
                (labels_2d, scores_2d),
                {},
            )
        )
    labels = np.array([0, 2, 1, 2, 0])
    probs = np.full((5, 3), 1 / 3, "float32") + RNG.uniform(0, 0.1, (5, 3)).astype("float32")
    pairs.append(
        (
            metrics.SparseCategoricalCrossentropy(ignore_class=2),
            keras.metrics.SparseCategoricalCrossentropy(ignore_class=2),
            (labels, probs),
            {"sample_weight": np.ones(5, "float32")},
        )
    )
    for ours, theirs, args, kwargs in pairs:
        ours.update_state(*args, **kwargs)
        theirs.update_state(*args, **kwargs)
        np.testing.assert_allclose(
            np_(ours.result()),
            keras.ops.convert_to_numpy(theirs.result()),
            rtol=1e-4,
            atol=1e-5,
            err_msg=type(ours).__name__,
        )
        ours_config, theirs_config = ours.get_config(), theirs.get_config()
        # Default names are uniquified differently per process; the rest must agree.
        ours_config.pop("name"), theirs_config.pop("name")
        assert ours_config == theirs_config, type(ours).__name__


# --- in fit ------------------------------------------------------------------------------------


@pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)
def test_metrics_in_fit_and_evaluate():
    unikeras.utils.set_random_seed(0)
    x = RNG.normal(size=(32, 4)).astype("float32")
    y = (x[:, :1] + 0.3 * x[:, 1:2] > 0).astype("float32")
    model = unikeras.Sequential(
        [unikeras.Input((4,)), unikeras.layers.Dense(1, activation="sigmoid")]
    )
    chosen = [
        metrics.PrecisionAtRecall(0.5, num_thresholds=50),
        metrics.RecallAtPrecision(0.5, num_thresholds=50),
        metrics.SensitivityAtSpecificity(0.5, num_thresholds=50),
        metrics.SpecificityAtSensitivity(0.5, num_thresholds=50),
        metrics.PearsonCorrelation(axis=0),
        metrics.ConcordanceCorrelation(axis=0),
    ]
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=chosen)
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    results = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    pred = np_(model.predict(x, verbose=0))[:, 0]
    labels = y[:, 0]
    kinds = [
        "PrecisionAtRecall",
        "RecallAtPrecision",
        "SensitivityAtSpecificity",
        "SpecificityAtSensitivity",
    ]
    for kind, metric in zip(kinds, chosen):
        np.testing.assert_allclose(
            results[metric.name],
            np_operating_point(kind, 0.5, labels, pred, 50),
            rtol=1e-4,
            atol=1e-5,
        )
    np.testing.assert_allclose(
        results["pearson_correlation"],
        np_pearson(y.astype("float64"), pred[:, None].astype("float64"), axis=0)[0],
        rtol=1e-3,
    )
