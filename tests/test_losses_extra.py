"""Keras 3's CTC, Dice, Tversky, Circle and CategoricalGeneralizedCrossEntropy losses,
`SparseCategoricalCrossentropy(axis=...)` and `losses.deserialize(name, custom_objects)`:
values against independent NumPy computations (and Keras 3.15.1 where installed), reductions,
masks, configs, names, and training through `fit` on the training backends."""

import inspect
import itertools
import os

import numpy as np
import pytest

import unikeras
from unikeras import losses
from unikeras.backend import table

EPS = 1e-7
RNG = np.random.default_rng(7)


def np_(x):
    return np.asarray(unikeras.ops.convert_to_numpy(x))


def keras3():
    """Keras 3.15.1 on an engine of this environment (skips where Keras is not installed)."""
    engine = unikeras.backend.backend()
    os.environ.setdefault(
        "KERAS_BACKEND", engine if engine in ("jax", "torch", "tensorflow") else "jax"
    )
    module = pytest.importorskip("keras")
    if not module.__version__.startswith("3."):  # pragma: no cover
        pytest.skip(f"keras {module.__version__} is not Keras 3")
    return module


# --- NumPy references -------------------------------------------------------------------------


def np_log_softmax(x):
    x = x - x.max(-1, keepdims=True)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def np_ctc_brute_force(labels, logits, blank=0):
    """-log P(labels | logits), summing the probability of every alignment (path over all
    time steps) that collapses to `labels` (merge repeats, then drop blanks)."""
    logp = np_log_softmax(logits.astype("float64"))
    steps, classes = logp.shape
    target = [int(c) for c in labels if c != blank]
    total = 0.0
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        if [c for c in collapsed if c != blank] == target:
            total += np.exp(sum(logp[t, c] for t, c in enumerate(path)))
    return -np.log(total)


def np_dice(t, p, axis=None):
    inter = np.sum(t * p, axis=axis)
    return 1 - 2 * inter / (np.sum(t, axis=axis) + np.sum(p, axis=axis) + EPS)


def np_tversky(t, p, alpha, beta, axis=None):
    tp = np.sum(t * p, axis=axis)
    fp = np.sum((1 - p) * t, axis=axis)
    fn = np.sum(p * (1 - t), axis=axis)
    return 1 - tp / (tp + alpha * fp + beta * fn + EPS)


def np_logsumexp_masked(values, mask):
    out = np.full(values.shape[0], -np.inf)
    for i in range(values.shape[0]):
        row = values[i][mask[i]]
        if row.size:
            m = row.max()
            out[i] = m + np.log(np.exp(row - m).sum())
    return out


def np_circle(labels, emb, gamma=80.0, margin=0.4, remove_diagonal=True):
    labels = labels.astype(int)
    dist = np.maximum(1 - emb @ emb.T, 0.0)
    pos = labels[:, None] == labels[None, :]
    neg = ~pos
    if remove_diagonal:
        pos = pos & ~np.eye(len(labels), dtype=bool)
    pos_w = np.maximum((margin + dist) * pos, 0.0)
    neg_w = np.maximum((1 + margin - dist) * neg, 0.0)
    p_terms = -gamma * pos_w * (margin - dist)
    n_terms = gamma * neg_w * ((1 - margin) - dist)
    s = np_logsumexp_masked(p_terms, pos) + np_logsumexp_masked(n_terms, neg)
    return np.logaddexp(0.0, s)  # softplus, with softplus(-inf) = 0


def np_gce(labels, probs, q):
    p = probs[np.arange(len(labels)), labels.astype(int)]
    return (1 - p**q) / q


# --- data ---------------------------------------------------------------------------------------

CTC_LABELS = np.array([[1, 2, 0], [2, 0, 0], [1, 1, 0]], dtype="int32")
CTC_LOGITS = RNG.normal(size=(3, 4, 3)).astype("float32")
SEG_TRUE = (RNG.uniform(size=(3, 4, 4, 1)) > 0.5).astype("float32")
SEG_PRED = RNG.uniform(size=(3, 4, 4, 1)).astype("float32")
EMB_LABELS = np.array([0, 1, 0, 2, 1, 3])
_EMB = RNG.normal(size=(6, 5)).astype("float32")
EMB = (_EMB / np.linalg.norm(_EMB, axis=-1, keepdims=True)).astype("float32")
GCE_LABELS = np.array([0, 1, 2, 1])
_P = RNG.uniform(0.05, 1.0, (4, 3)).astype("float32")
GCE_PROBS = (_P / _P.sum(-1, keepdims=True)).astype("float32")


# --- CTC ------------------------------------------------------------------------------------------


def test_ctc_function_matches_brute_force_alignment_sum():
    expected = [np_ctc_brute_force(CTC_LABELS[i], CTC_LOGITS[i]) for i in range(3)]
    got = np_(losses.ctc(CTC_LABELS, CTC_LOGITS))
    assert got.shape == (3,)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_ctc_class_reductions_and_sample_weight():
    per_sample = np.array([np_ctc_brute_force(CTC_LABELS[i], CTC_LOGITS[i]) for i in range(3)])
    np.testing.assert_allclose(
        np_(losses.CTC()(CTC_LABELS, CTC_LOGITS)), per_sample.mean(), rtol=1e-4
    )
    np.testing.assert_allclose(
        np_(losses.CTC(reduction="sum")(CTC_LABELS, CTC_LOGITS)), per_sample.sum(), rtol=1e-4
    )
    np.testing.assert_allclose(
        np_(losses.CTC(reduction=None)(CTC_LABELS, CTC_LOGITS)), per_sample, rtol=1e-4, atol=1e-4
    )
    weights = np.array([1.0, 0.0, 2.0], "float32")
    np.testing.assert_allclose(
        np_(losses.CTC()(CTC_LABELS, CTC_LOGITS, sample_weight=weights)),
        (per_sample * weights).mean(),
        rtol=1e-4,
    )


def test_ctc_rejects_wrong_ranks():
    with pytest.raises(ValueError, match="y_true"):
        losses.ctc(CTC_LABELS[0], CTC_LOGITS)
    with pytest.raises(ValueError, match="y_pred"):
        losses.ctc(CTC_LABELS, CTC_LOGITS[0])


# --- Dice / Tversky ----------------------------------------------------------------------------


@pytest.mark.parametrize("axis", [None, (1, 2, 3), (1, 2)])
def test_dice_function_and_class(axis):
    expected = np_dice(SEG_TRUE, SEG_PRED, axis)
    np.testing.assert_allclose(
        np_(losses.dice(SEG_TRUE, SEG_PRED, axis=axis)), expected, rtol=1e-5, atol=1e-6
    )
    got = np_(losses.Dice(axis=axis, reduction=None)(SEG_TRUE, SEG_PRED))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        np_(losses.Dice(axis=axis)(SEG_TRUE, SEG_PRED)), np.mean(expected), rtol=1e-5
    )


def test_dice_keras_docstring_values():
    y_true = [[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]]
    y_pred = [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]]
    t, p = np.array(y_true, "float32"), np.array(y_pred, "float32")
    np.testing.assert_allclose(
        np_(losses.Dice(axis=(1, 2, 3), reduction=None)(t, p)), np_dice(t, p, (1, 2, 3)), rtol=1e-6
    )
    np.testing.assert_allclose(np_(losses.Dice()(y_true, y_pred)), np_dice(t, p), rtol=1e-6)


@pytest.mark.parametrize(
    "alpha,beta,axis", [(0.5, 0.5, None), (0.3, 0.7, (1, 2, 3)), (0.9, 0.1, (1, 2))]
)
def test_tversky_function_and_class(alpha, beta, axis):
    expected = np_tversky(SEG_TRUE, SEG_PRED, alpha, beta, axis)
    np.testing.assert_allclose(
        np_(losses.tversky(SEG_TRUE, SEG_PRED, alpha=alpha, beta=beta, axis=axis)),
        expected,
        rtol=1e-5,
        atol=1e-6,
    )
    got = losses.Tversky(alpha=alpha, beta=beta, axis=axis, reduction="sum")(SEG_TRUE, SEG_PRED)
    np.testing.assert_allclose(np_(got), np.sum(expected), rtol=1e-5)


def test_tversky_with_equal_weights_is_dice():
    np.testing.assert_allclose(
        np_(losses.tversky(SEG_TRUE, SEG_PRED, axis=(1, 2, 3))),
        np_(losses.dice(SEG_TRUE, SEG_PRED, axis=(1, 2, 3))),
        rtol=1e-5,
    )


# --- Circle -------------------------------------------------------------------------------------


@pytest.mark.parametrize("remove_diagonal", [True, False])
def test_circle_function_matches_numpy(remove_diagonal):
    expected = np_circle(EMB_LABELS, EMB, remove_diagonal=remove_diagonal)
    got = np_(losses.circle(EMB_LABELS, EMB, remove_diagonal=remove_diagonal))
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_circle_class_averages_over_nonzero_losses():
    # Label 2 and 3 occur once: with the diagonal removed they have no positive pair, so
    # their loss is 0 and they are masked out of the mean.
    per_sample = np_circle(EMB_LABELS, EMB, gamma=2.0, margin=0.25)
    assert (per_sample == 0).sum() == 2
    got = np_(losses.Circle(gamma=2.0, margin=0.25)(EMB_LABELS, EMB))
    np.testing.assert_allclose(got, per_sample[per_sample > 0].mean(), rtol=1e-4)
    got_sum = np_(losses.Circle(gamma=2.0, margin=0.25, reduction="sum")(EMB_LABELS, EMB))
    np.testing.assert_allclose(got_sum, per_sample.sum(), rtol=1e-4)


def test_circle_with_reference_embeddings():
    ref = EMB[::-1].copy()
    ref_labels = EMB_LABELS[::-1].copy()
    dist = np.maximum(1 - EMB @ ref.T, 0.0)
    pos = EMB_LABELS[:, None] == ref_labels[None, :]
    pos = pos & ~np.eye(6, dtype=bool)
    neg = ~(EMB_LABELS[:, None] == ref_labels[None, :])
    gamma, margin = 80.0, 0.4
    p_terms = -gamma * np.maximum((margin + dist) * pos, 0) * (margin - dist)
    n_terms = gamma * np.maximum((1 + margin - dist) * neg, 0) * ((1 - margin) - dist)
    expected = np.logaddexp(
        0.0, np_logsumexp_masked(p_terms, pos) + np_logsumexp_masked(n_terms, neg)
    )
    got = np_(losses.circle(EMB_LABELS, EMB, ref_labels=ref_labels, ref_embeddings=ref))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


# --- Generalized cross entropy ---------------------------------------------------------------


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_categorical_generalized_cross_entropy(q):
    expected = np_gce(GCE_LABELS, GCE_PROBS, q)
    np.testing.assert_allclose(
        np_(losses.categorical_generalized_cross_entropy(GCE_LABELS, GCE_PROBS, q)),
        expected,
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        np_(losses.CategoricalGeneralizedCrossEntropy(q=q)(GCE_LABELS, GCE_PROBS)),
        expected.mean(),
        rtol=1e-5,
    )
    # Labels of shape (batch, 1) are the same labels.
    np.testing.assert_allclose(
        np_(
            losses.CategoricalGeneralizedCrossEntropy(q=q, reduction=None)(
                GCE_LABELS[:, None], GCE_PROBS
            )
        ),
        expected,
        rtol=1e-5,
    )


@pytest.mark.parametrize("q", [0.0, 1.0, -0.5, 2.0])
def test_categorical_generalized_cross_entropy_rejects_q(q):
    with pytest.raises(ValueError, match="q must be in the interval"):
        losses.CategoricalGeneralizedCrossEntropy(q=q)


# --- SparseCategoricalCrossentropy(axis) --------------------------------------------------------


@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_categorical_crossentropy_axis(from_logits):
    scores = RNG.uniform(0.05, 1.0, (2, 4, 5)).astype("float32")  # classes on axis 1
    if not from_logits:
        scores = scores / scores.sum(1, keepdims=True)
    labels = RNG.integers(0, 4, size=(2, 5))
    probs = (
        np.exp(np_log_softmax(np.moveaxis(scores, 1, -1)))
        if from_logits
        else np.clip(np.moveaxis(scores, 1, -1), EPS, 1 - EPS)
    )
    picked = np.take_along_axis(probs, labels[..., None], -1)[..., 0]
    expected = -np.log(picked)
    loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits, axis=1, reduction=None)
    np.testing.assert_allclose(np_(loss(labels, scores)), expected, rtol=1e-4)
    # Labels with a size-1 class axis are squeezed on that axis.
    np.testing.assert_allclose(np_(loss(labels[:, None, :], scores)), expected, rtol=1e-4)
    weighted = losses.SparseCategoricalCrossentropy(from_logits=from_logits, axis=1, ignore_class=0)
    kept = labels != 0
    np.testing.assert_allclose(np_(weighted(labels, scores)), expected[kept].mean(), rtol=1e-4)
    assert loss.get_config()["axis"] == 1
    assert (
        losses.SparseCategoricalCrossentropy.from_config(loss.get_config()).get_config()
        == loss.get_config()
    )


# --- configs, names, deserialize --------------------------------------------------------------


@pytest.mark.parametrize(
    "loss",
    [
        losses.CTC(),
        losses.Dice(axis=(1, 2)),
        losses.Tversky(alpha=0.3, beta=0.7, axis=(1,)),
        losses.Circle(gamma=64.0, margin=0.25, remove_diagonal=False),
        losses.CategoricalGeneralizedCrossEntropy(q=0.7, reduction="sum"),
    ],
    ids=lambda loss: type(loss).__name__,
)
def test_configs_round_trip_and_deserialize(loss):
    config = loss.get_config()
    clone = type(loss).from_config(config)
    assert clone.get_config() == config
    rebuilt = losses.deserialize(losses.serialize(loss))
    assert type(rebuilt) is type(loss) and rebuilt.get_config() == config


def test_config_keys_match_keras():
    assert set(losses.CTC().get_config()) == {"name", "reduction"}
    assert set(losses.Dice().get_config()) == {"name", "reduction", "axis"}
    assert set(losses.Tversky().get_config()) == {"name", "reduction", "alpha", "beta", "axis"}
    assert set(losses.Circle().get_config()) == {
        "name",
        "reduction",
        "gamma",
        "margin",
        "remove_diagonal",
    }
    assert set(losses.CategoricalGeneralizedCrossEntropy().get_config()) == {
        "name",
        "reduction",
        "q",
    }


@pytest.mark.parametrize(
    "name,expected",
    [
        ("ctc", losses.ctc),
        ("dice", losses.dice),
        ("tversky", losses.tversky),
        ("circle", losses.circle),
        ("categorical_generalized_cross_entropy", losses.categorical_generalized_cross_entropy),
    ],
)
def test_function_names_resolve(name, expected):
    assert losses.get(name) is expected
    assert losses.deserialize(name) is expected


@pytest.mark.parametrize(
    "name,cls",
    [
        ("CTC", losses.CTC),
        ("Dice", losses.Dice),
        ("Tversky", losses.Tversky),
        ("Circle", losses.Circle),
    ],
)
def test_class_names_resolve(name, cls):
    assert isinstance(losses.get(name), cls)


def test_deserialize_signature_matches_keras():
    params = list(inspect.signature(losses.deserialize).parameters)
    assert params == ["name", "custom_objects"]

    def my_loss(y_true, y_pred):
        return y_pred - y_true

    assert losses.deserialize("my_loss", custom_objects={"my_loss": my_loss}) is my_loss
    assert losses.deserialize(name="dice") is losses.dice


# --- against Keras 3.15.1 ---------------------------------------------------------------------


def test_values_match_keras3():
    keras = keras3()
    k = keras.losses
    cases = [
        (losses.CTC(), k.CTC(), CTC_LABELS, CTC_LOGITS),
        (
            losses.Dice(axis=(1, 2, 3), reduction=None),
            k.Dice(axis=(1, 2, 3), reduction=None),
            SEG_TRUE,
            SEG_PRED,
        ),
        (losses.Dice(), k.Dice(), SEG_TRUE, SEG_PRED),
        (losses.Tversky(alpha=0.2, beta=0.8), k.Tversky(alpha=0.2, beta=0.8), SEG_TRUE, SEG_PRED),
        (losses.Circle(), k.Circle(), EMB_LABELS, EMB),
        (
            losses.Circle(gamma=2.0, margin=0.25, reduction=None),
            k.Circle(gamma=2.0, margin=0.25, reduction=None),
            EMB_LABELS,
            EMB,
        ),
        (
            losses.CategoricalGeneralizedCrossEntropy(q=0.3),
            k.CategoricalGeneralizedCrossEntropy(q=0.3),
            GCE_LABELS,
            GCE_PROBS,
        ),
    ]
    for ours, theirs, y_true, y_pred in cases:
        expected = keras.ops.convert_to_numpy(theirs(y_true, y_pred))
        np.testing.assert_allclose(
            np_(ours(y_true, y_pred)), expected, rtol=1e-4, atol=1e-5, err_msg=type(ours).__name__
        )
        assert ours.get_config() == theirs.get_config(), type(ours).__name__


# --- training ---------------------------------------------------------------------------------

needs_training = pytest.mark.skipif(
    not table.backend_info()["training"], reason="inference-only backend: fit raises by design"
)


@needs_training
def test_fit_with_ctc_loss_reduces_it():
    unikeras.utils.set_random_seed(0)
    x = RNG.normal(size=(8, 6, 4)).astype("float32")
    y = np.tile(np.array([[1, 2, 0]], "int32"), (8, 1))
    model = unikeras.Sequential([unikeras.Input((6, 4)), unikeras.layers.Dense(3)])
    model.compile(optimizer=unikeras.optimizers.Adam(0.05), loss=losses.CTC())
    before = float(model.evaluate(x, y, verbose=0))
    history = model.fit(x, y, epochs=5, batch_size=4, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert float(model.evaluate(x, y, verbose=0)) < before


@needs_training
@pytest.mark.parametrize(
    "loss", [losses.Dice(), losses.Tversky(alpha=0.3, beta=0.7)], ids=["dice", "tversky"]
)
def test_fit_with_segmentation_losses(loss):
    unikeras.utils.set_random_seed(0)
    x = RNG.normal(size=(8, 5)).astype("float32")
    y = (x[:, :3] > 0).astype("float32")
    model = unikeras.Sequential(
        [unikeras.Input((5,)), unikeras.layers.Dense(3, activation="sigmoid")]
    )
    model.compile(optimizer=unikeras.optimizers.Adam(0.05), loss=loss)
    before = float(model.evaluate(x, y, verbose=0))
    model.fit(x, y, epochs=5, batch_size=4, verbose=0)
    assert float(model.evaluate(x, y, verbose=0)) < before
