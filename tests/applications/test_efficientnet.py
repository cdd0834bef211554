"""keras.applications.efficientnet: EfficientNetB0 builds and predicts on every backend,
loads "imagenet" weights from Keras' cache file, and equals Keras 3.15.1 (jax env)."""

import numpy as np
import pytest

import unikeras
from modern_checks import (
    FamilyModels,
    check_errors,
    check_imagenet_from_cache,
    check_matches_keras,
    check_pooling,
    check_preprocess_matches_keras,
    check_top,
    images,
)
from unikeras.applications import efficientnet


@pytest.fixture(scope="module")
def models():
    return FamilyModels(efficientnet.EfficientNetB0)


def test_top(models):
    check_top(models)


def test_no_top_and_pooling(models):
    check_pooling(models, "avg", 1280)


def test_preprocessing_is_in_the_model():
    """Rescaling by 1/255 then a Normalization whose statistics are weights (Keras' files
    carry them); with "imagenet" weights a further Rescaling by 1/sqrt(std) follows."""
    model = efficientnet.EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3))
    kinds = [type(layer).__name__ for layer in model.layers[1:4]]
    assert kinds == ["Rescaling", "Normalization", "ZeroPadding2D"]
    normalization = model.layers[2]
    mean = np.array([0.1, 0.2, 0.3], "float32")
    variance = np.array([0.5, 1.5, 2.0], "float32")
    normalization.set_weights([mean, variance, np.array(0)][: len(normalization.weights)])
    x = images(1, 8) / 255.0
    np.testing.assert_allclose(
        np.asarray(normalization(x)), (x - mean) / np.sqrt(variance), rtol=1e-5, atol=1e-5
    )
    x = images(1)
    assert efficientnet.preprocess_input(x) is x


def test_every_variant_is_exported():
    for i in range(8):
        name = f"EfficientNetB{i}"
        assert getattr(unikeras.applications, name) is getattr(efficientnet, name)
    assert unikeras.applications.efficientnet is efficientnet


def test_argument_errors():
    check_errors(efficientnet.EfficientNetB0)


def test_imagenet_weights_from_the_keras_cache(monkeypatch, tmp_path, models):
    def set_hash(digest):
        monkeypatch.setitem(efficientnet.WEIGHTS_HASHES, "b0", (digest, digest))

    check_imagenet_from_cache(
        monkeypatch,
        tmp_path,
        models,
        "efficientnet",
        "efficientnetb0_notop.h5",
        set_hash,
        efficientnet.WEIGHTS_HASHES["b0"][1],
    )


def test_matches_keras(models):
    check_matches_keras(models, "EfficientNetB0")


def test_preprocess_input_matches_keras():
    check_preprocess_matches_keras("efficientnet")
