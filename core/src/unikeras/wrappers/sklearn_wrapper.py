"""`SKLearnClassifier`, `SKLearnRegressor`, `SKLearnTransformer`: Keras models as
scikit-learn estimators (usable in `Pipeline`, `GridSearchCV`, `clone`, ...)."""

import copy

import numpy as np

from unikeras.models import Model, clone_model

try:
    import sklearn
    import sklearn.pipeline
    import sklearn.preprocessing
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError:  # the wrappers raise a clear error when instantiated
    sklearn = None

    class BaseEstimator:
        pass

    class ClassifierMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass


def _require_sklearn(name):
    if sklearn is None:
        raise ImportError(
            f"{name} requires `scikit-learn` to be installed. Run "
            "`pip install scikit-learn` to install it."
        )


def _validate_data(estimator, *args, **kwargs):
    from sklearn.utils.validation import validate_data

    return validate_data(estimator, *args, **kwargs)


def _type_of_target(y):
    from sklearn.utils.multiclass import type_of_target

    kind = type_of_target(y)
    if kind == "unknown":
        raise ValueError(f"Unknown label type for data: {y!r}")
    return kind


class TargetReshaper(TransformerMixin, BaseEstimator):
    """Turns 1-D targets into a column (for encoders needing 2-D input) and back."""

    def fit(self, y):
        self.ndim_ = y.ndim
        return self

    def transform(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        if self.ndim_ == 1 and y.ndim == 2:
            return np.squeeze(y, axis=1)
        return y


def _check_model(model):
    if (
        not getattr(model, "compiled", False)
        or not getattr(model, "loss", None)
        or not getattr(model, "optimizer", None)
    ):
        raise RuntimeError("Given model needs to be compiled, and have a loss and an optimizer.")


class SKLBase(BaseEstimator):
    """Shared base of the wrappers.

    Args:
        model: A compiled Keras `Model` (cloned, then fitted, at every `fit` unless
            `warm_start=True`), or a callable `model(X, y, **model_kwargs)` returning a
            compiled model.
        warm_start: Whether repeated `fit` calls keep training the same model.
        model_kwargs: Keyword arguments for the `model` callable.
        fit_kwargs: Keyword arguments for `model.fit` (e.g. `epochs`, `batch_size`).

    Attributes:
        model_: The fitted Keras model.
        history_: The `History` of the last fit.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        _require_sklearn(type(self).__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self):
        return {"non_deterministic": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        model = self.model if not isinstance(self.model, Model) else copy.deepcopy(self.model)
        return type(self)(
            model=model,
            warm_start=self.warm_start,
            model_kwargs=self.model_kwargs,
            fit_kwargs=self.fit_kwargs,
        )

    @property
    def epoch_(self):
        """Number of epochs the model was trained for."""
        history = getattr(self, "history_", None)
        return len(history.epoch) if history is not None else 0

    def _get_model(self, X, y):
        if isinstance(self.model, Model):
            # A fresh copy (new weights) each fit, compiled like the given model.
            clone = clone_model(self.model)
            if getattr(self.model, "compiled", False) and self.model.optimizer is not None:
                optimizer = type(self.model.optimizer).from_config(
                    self.model.optimizer.get_config()
                )
                clone.compile(optimizer=optimizer, loss=self.model.loss)
            return clone
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Fits the model on `X` (n_samples, n_features) and `y`.

        Args:
            X: Input samples.
            y: Targets.
            **kwargs: Passed to `model.fit` (over `fit_kwargs`).

        Returns:
            self
        """
        X, y = _validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        if self.warm_start and getattr(self, "model_", None) is not None:
            model = self.model_
        else:
            model = self._get_model(X, y)
        _check_model(model)
        fit_kwargs = dict(self.fit_kwargs or {})
        fit_kwargs.update(kwargs)
        fit_kwargs.setdefault("verbose", 0)
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def predict(self, X):
        """Predicts with the fitted model (classes for the classifier)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return self._reverse_process_target(np.asarray(self.model_.predict(X, verbose=0)))

    def _process_target(self, y, reset=False):
        _type_of_target(y)
        if reset:
            self._target_encoder = TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A scikit-learn classifier around a Keras model.

    Targets are one-hot encoded (`sklearn.preprocessing.OneHotEncoder`) before `fit`, so the
    model should end with one unit per class (softmax) and use a categorical loss; `predict`
    returns the class of the largest output.

    Args:
        model: A compiled Keras `Model`, or a callable `model(X, y, **model_kwargs)`
            returning one.
        warm_start: Whether repeated `fit` calls keep training the same model.
        model_kwargs: Keyword arguments for the `model` callable.
        fit_kwargs: Keyword arguments for `model.fit`.

    Attributes:
        model_: The fitted model.
        history_: The `History` of the last fit.
        classes_: The class labels seen in `fit`.
    """

    def decision_function(self, X):
        """The raw model outputs for `X`."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return np.asarray(self.model_.predict(X, verbose=0))

    def predict_proba(self, X):
        """Class probabilities: the model outputs, one column per class of `classes_`."""
        return self.decision_function(X)

    def _process_target(self, y, reset=False):
        kind = _type_of_target(y)
        if kind not in ("binary", "multiclass"):
            raise ValueError(
                f"Only binary and multiclass target types are supported. Target type: {kind}"
            )
        if reset:
            self._target_encoder = sklearn.pipeline.make_pipeline(
                TargetReshaper(), sklearn.preprocessing.OneHotEncoder(sparse_output=False)
            ).fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._target_encoder.transform(y)

    def _more_tags(self):
        return {"poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A scikit-learn regressor around a Keras model (`score` is R²).

    Args:
        model: A compiled Keras `Model`, or a callable `model(X, y, **model_kwargs)`
            returning one.
        warm_start: Whether repeated `fit` calls keep training the same model.
        model_kwargs: Keyword arguments for the `model` callable.
        fit_kwargs: Keyword arguments for `model.fit`.
    """

    def _more_tags(self):
        return {"poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A scikit-learn transformer around a Keras model: `transform(X)` is `model.predict(X)`.

    Args:
        model: A compiled Keras `Model`, or a callable `model(X, y, **model_kwargs)`
            returning one.
        warm_start: Whether repeated `fit` calls keep training the same model.
        model_kwargs: Keyword arguments for the `model` callable.
        fit_kwargs: Keyword arguments for `model.fit`.
    """

    def transform(self, X):
        """The model's outputs for `X`."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = _validate_data(self, X, reset=False)
        return np.asarray(self.model_.predict(X, verbose=0))

    def _more_tags(self):
        return {"preserves_dtype": []}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
