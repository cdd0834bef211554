"""Checks shared by the ConvNeXt, DenseNet, EfficientNet and EfficientNetV2 tests
(`test_convnext.py`, `test_densenet.py`, `test_efficientnet.py`, `test_efficientnet_v2.py`).

Every check builds the smallest variant of a family at the smallest input Keras accepts
(32x32), so the tests stay cheap on every backend.
"""

import hashlib
import importlib
import os
import re

import numpy as np
import pytest

import unikeras

SIZE = 32
RNG = np.random.default_rng(7)


def images(batch=2, size=SIZE):
    """A batch of random RGB images with pixels in [0, 255]."""
    return RNG.uniform(0, 255, (batch, size, size, 3)).astype("float32")


def module(name):
    """`unikeras.applications.<name>`."""
    return importlib.import_module(f"unikeras.applications.{name}")


class FamilyModels:
    """The models a family's tests share (built once per test module: on jax every new
    model compiles its `predict`): `top`, the smallest variant at 32x32 with a 5-class
    logits top, and `features`, the variant without top on any image size."""

    def __init__(self, constructor, dynamic=True):
        self.constructor = constructor
        # `features` takes any image size (None dims) unless `dynamic=False` (64x64 only).
        self.dynamic = dynamic
        self._top = self._features = None

    @property
    def top(self):
        if self._top is None:
            self._top = self.constructor(
                weights=None, input_shape=(SIZE, SIZE, 3), classes=5, classifier_activation=None
            )
        return self._top

    @property
    def features(self):
        if self._features is None:
            shape = None if self.dynamic else (64, 64, 3)
            self._features = self.constructor(weights=None, include_top=False, input_shape=shape)
        return self._features


def check_top(models):
    """The top predicts one row of logits per image; the default classifier is a softmax
    over `classes`."""
    logits = np.asarray(models.top.predict(images(), verbose=0))
    assert logits.shape == (2, 5)
    assert np.isfinite(logits).all() and np.ptp(logits) > 0
    default = models.constructor(weights=None, input_shape=(SIZE, SIZE, 3), classes=3)
    assert tuple(default.output_shape) == (None, 3)
    assert default.layers[-1].get_config()["activation"] == "softmax"


def check_pooling(models, pooling, channels, pooled_is_layer_normed=False):
    """Without top the spatial size may vary (None dims) and the output is the last feature
    map; `pooling` (`"avg"`/`"max"`) gives its spatial mean/max with the same weights.
    ConvNeXt layer-normalizes after pooling (`pooled_is_layer_normed`)."""
    features = models.features
    spatial = (None, None) if models.dynamic else (64, 64)
    assert tuple(features.input_shape) == (None, *spatial, 3)
    x = images(2, 64)  # a 2x2 last feature map: the networks downsample by 32
    feature_map = np.asarray(features.predict(x, verbose=0))
    assert feature_map.shape == (2, 2, 2, channels)
    pooled_model = models.constructor(
        weights=None, include_top=False, pooling=pooling, input_shape=features.input_shape[1:]
    )
    pooled_model.set_weights(features.get_weights())
    pooled = np.asarray(pooled_model.predict(x, verbose=0))
    assert pooled.shape == (2, channels)
    if pooled_is_layer_normed:
        # LayerNormalization (gamma 1, beta 0) over the pooled channels.
        np.testing.assert_allclose(pooled.mean(axis=-1), 0.0, atol=1e-4)
        np.testing.assert_allclose(pooled.std(axis=-1), 1.0, atol=1e-2)
    else:
        reduce = np.mean if pooling == "avg" else np.max
        np.testing.assert_allclose(pooled, reduce(feature_map, axis=(1, 2)), atol=1e-5)


def check_errors(constructor):
    """Keras' argument errors, naming the model."""
    with pytest.raises(ValueError, match="weights"):
        constructor(weights="no/such/file.h5")
    with pytest.raises(ValueError, match="classes"):
        constructor(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="at least 32x32"):
        constructor(weights=None, include_top=False, input_shape=(16, 16, 3))


def _digest(path, like):
    algorithm = hashlib.sha256 if len(like) == 64 else hashlib.md5
    with open(path, "rb") as f:
        return algorithm(f.read()).hexdigest()


def check_imagenet_from_cache(
    monkeypatch, tmp_path, models, family, file_name, set_hash, keras_hash
):
    """`weights="imagenet"` takes Keras' file (here our own weights saved in Keras' legacy
    `.h5` layout under Keras' file name) from `$KERAS_HOME/models` without network access;
    with an empty cache (and no reachable origin) the error names the file and the cache
    path to place it at."""
    # No download ever: the origin is a missing local file.
    monkeypatch.setattr(module(family), "BASE_WEIGHTS_PATH", (tmp_path / "offline").as_uri() + "/")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty_home"))
    with pytest.raises(OSError) as error:
        models.constructor(weights="imagenet", include_top=False, input_shape=(SIZE, SIZE, 3))
    message = str(error.value)
    assert file_name in message
    assert os.path.join(str(tmp_path / "empty_home"), "models", file_name) in message

    home = tmp_path / "keras_home"
    (home / "models").mkdir(parents=True)
    source = models.features
    cached = home / "models" / file_name
    with pytest.warns(UserWarning):  # the legacy .h5 format's deprecation warning
        source.save(str(cached))
    set_hash(_digest(cached, keras_hash))
    monkeypatch.setenv("KERAS_HOME", str(home))
    loaded = models.constructor(weights="imagenet", include_top=False, input_shape=(SIZE, SIZE, 3))
    ours, theirs = loaded.get_weights(), source.get_weights()
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def keras3():
    """Keras 3.15.1 (the tox `jax` env installs it), else the test skips."""
    engine = unikeras.backend.backend()
    os.environ.setdefault(
        "KERAS_BACKEND", engine if engine in ("jax", "torch", "tensorflow") else "jax"
    )
    keras = pytest.importorskip(
        "keras", reason="Keras 3 is not installed here (the tox `jax` env installs it)"
    )
    if not keras.__version__.startswith("3."):  # pragma: no cover
        pytest.skip(f"keras {keras.__version__} is not Keras 3")
    return keras


def _random_weights(model):
    """Random values for every weight of a Keras model (positive for variances), so that
    no output is trivially constant."""
    rng = np.random.default_rng(3)
    values = []
    for w in model.weights:
        shape = tuple(w.shape)
        if "variance" in w.path:
            values.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
        else:
            values.append(rng.normal(0.0, 0.2, shape).astype("float32"))
    return values


def _layer_name(layer):
    """The layer's name, with the counter of automatic names (`input_layer_3`,
    `layer_normalization_2`) dropped: those depend on what was built before."""
    stem = re.sub(r"_\d+$", "", layer.name)
    if stem.replace("_", "") == type(layer).__name__.lower():
        return stem
    return layer.name


def check_matches_keras(models, name):
    """Keras 3.15.1's model and ours built alike (`weights=None`, 32x32, a 5-class logits
    top) have the same layer names, weight shapes and parameter count, and after
    `set_weights` with the same random weights the same logits within 1e-4."""
    keras = keras3()
    ours = models.top
    theirs = getattr(keras.applications, name)(
        weights=None, input_shape=(SIZE, SIZE, 3), classes=5, classifier_activation=None
    )
    assert [_layer_name(layer) for layer in ours.layers] == [
        _layer_name(layer) for layer in theirs.layers
    ]
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    assert ours.count_params() == theirs.count_params()
    values = _random_weights(theirs)
    theirs.set_weights(values)
    ours.set_weights(values)
    x = images()
    expected = np.asarray(theirs.predict(x, verbose=0))
    got = np.asarray(ours.predict(x, verbose=0))
    assert np.abs(expected).max() > 1e-2  # not a trivially constant output
    np.testing.assert_allclose(got, expected, atol=1e-4, rtol=1e-4)


def check_preprocess_matches_keras(family):
    """`<family>.preprocess_input` equals Keras' on a batch and on one image."""
    keras = keras3()
    theirs = getattr(keras.applications, family).preprocess_input
    ours = module(family).preprocess_input
    for x in (images(), images(1)[0]):
        np.testing.assert_allclose(
            np.asarray(ours(x.copy())), np.asarray(theirs(x.copy())), rtol=1e-6, atol=1e-5
        )
