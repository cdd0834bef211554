"""keras.wrappers: scikit-learn estimators around Keras models (training backends)."""

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import table

sklearn = pytest.importorskip(
    "sklearn", reason="scikit-learn is a test dependency of the wrappers (pip install scikit-learn)"
)
if not table.backend_info()["training"]:
    pytest.skip("inference-only backend: fit raises by design", allow_module_level=True)

from sklearn.base import clone  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from unikeras.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer  # noqa: E402,E501


def classifier_model(X, y, hidden=16):
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(y.shape[1], activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="categorical_crossentropy")
    return model


def regressor_model(X, y):
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def transformer_model(X, y):
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def _data(seed=0, n=64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)).astype("float32")
    return X, rng


def test_signatures_match_keras():
    import inspect

    for cls in (SKLearnClassifier, SKLearnRegressor, SKLearnTransformer):
        params = inspect.signature(cls.__init__).parameters
        assert [(p.name, p.default) for p in list(params.values())[1:]] == [
            ("model", inspect.Parameter.empty),
            ("warm_start", False),
            ("model_kwargs", None),
            ("fit_kwargs", None),
        ]


def test_classifier_fit_predict_proba_score():
    X, _ = _data()
    y = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    clf = SKLearnClassifier(
        classifier_model, model_kwargs={"hidden": 8}, fit_kwargs={"epochs": 30, "batch_size": 16}
    )
    assert clf.fit(X, y) is clf
    np.testing.assert_array_equal(clf.classes_, ["no", "yes"])
    proba = clf.predict_proba(X)
    assert proba.shape == (64, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    predicted = clf.predict(X)
    np.testing.assert_array_equal(predicted, clf.classes_[proba.argmax(axis=1)])
    assert clf.score(X, y) == pytest.approx(np.mean(predicted == y))
    assert clf.score(X, y) > 0.8
    assert clf.model_.layers[0].units == 8
    assert clf.epoch_ == 30
    with pytest.raises(ValueError, match="one class"):
        SKLearnClassifier(classifier_model).fit(X, np.zeros(64))


def test_regressor_and_r2_score():
    X, rng = _data(1)
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3
    reg = SKLearnRegressor(regressor_model, fit_kwargs={"epochs": 40, "batch_size": 16})
    reg.fit(X, y)
    pred = reg.predict(X)
    assert pred.shape == (64,)
    r2 = 1 - np.sum((y - pred) ** 2) / np.sum((y - y.mean()) ** 2)
    assert reg.score(X, y) == pytest.approx(r2, rel=1e-5)
    assert r2 > 0.9


def test_transformer_and_pipeline():
    X, _ = _data(2)
    y = X[:, 0] * 2.0
    pipe = make_pipeline(
        StandardScaler(), SKLearnTransformer(transformer_model, fit_kwargs={"epochs": 2})
    )
    out = pipe.fit(X, y).transform(X)
    assert out.shape == (64, 2)
    want = pipe[-1].model_.predict(pipe[0].transform(X), verbose=0)
    np.testing.assert_allclose(out, want, rtol=1e-5)
    y_cls = (X[:, 0] > 0).astype(int)
    clf_pipe = make_pipeline(
        StandardScaler(), SKLearnClassifier(classifier_model, fit_kwargs={"epochs": 5})
    )
    assert clf_pipe.fit(X, y_cls).predict(X).shape == (64,)


def test_clone_and_get_params():
    clf = SKLearnClassifier(
        classifier_model, warm_start=True, model_kwargs={"hidden": 4}, fit_kwargs={"epochs": 1}
    )
    params = clf.get_params()
    assert params["model"] is classifier_model and params["model_kwargs"] == {"hidden": 4}
    copy = clone(clf)
    assert copy is not clf and copy.get_params()["warm_start"] is True
    assert copy.get_params()["fit_kwargs"] == {"epochs": 1}
    assert not hasattr(copy, "model_")


def test_model_instance_is_cloned_and_uncompiled_model_rejected():
    X, _ = _data(3)
    y = X[:, 0] * 3
    model = regressor_model(X, None)
    before = [w.copy() for w in model.get_weights()]
    reg = SKLearnRegressor(model, fit_kwargs={"epochs": 2}).fit(X, y)
    assert reg.model_ is not model
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)  # the given model itself is not trained

    def uncompiled(X, y):
        return keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])

    with pytest.raises(RuntimeError, match="compiled"):
        SKLearnRegressor(uncompiled).fit(X, y)


def test_warm_start_keeps_training_the_same_model():
    X, _ = _data(4)
    y = X[:, 1]
    reg = SKLearnRegressor(regressor_model, warm_start=True, fit_kwargs={"epochs": 1})
    reg.fit(X, y)
    first = reg.model_
    reg.fit(X, y)
    assert reg.model_ is first
    cold = SKLearnRegressor(regressor_model, fit_kwargs={"epochs": 1})
    cold.fit(X, y)
    first = cold.model_
    cold.fit(X, y)
    assert cold.model_ is not first
