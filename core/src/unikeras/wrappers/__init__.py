"""`keras.wrappers`: scikit-learn estimators around Keras models.

scikit-learn is imported when a wrapper is first accessed, not by `import unikeras`.
"""

_NAMES = ("SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer")


def __getattr__(name):
    if name in _NAMES:
        from unikeras.wrappers import sklearn_wrapper

        return getattr(sklearn_wrapper, name)
    raise AttributeError(f"module 'unikeras.wrappers' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_NAMES))
