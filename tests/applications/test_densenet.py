"""keras.applications.densenet: DenseNet121 builds and predicts on every backend, loads
"imagenet" weights from Keras' cache file, and equals Keras 3.15.1 (jax env)."""

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
from unikeras import ops
from unikeras.applications import densenet


@pytest.fixture(scope="module")
def models():
    return FamilyModels(densenet.DenseNet121)


def test_top(models):
    check_top(models)


def test_no_top_and_pooling(models):
    check_pooling(models, "max", 1024)


def test_preprocess_input_is_torch_mode():
    """Pixels scaled to [0, 1], minus the ImageNet mean, over its standard deviation, for
    arrays and tensors, channels last and first."""
    x = images(2, 8)
    first = np.transpose(x, (0, 3, 1, 2)).copy()
    mean = np.array([0.485, 0.456, 0.406])
    std = np.array([0.229, 0.224, 0.225])
    expected = (x / 255.0 - mean) / std
    np.testing.assert_allclose(densenet.preprocess_input(x.copy()), expected, rtol=1e-5, atol=1e-6)
    tensor = densenet.preprocess_input(ops.convert_to_tensor(x.copy()))
    np.testing.assert_allclose(ops.convert_to_numpy(tensor), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        densenet.preprocess_input(first, data_format="channels_first"),
        np.transpose(expected, (0, 3, 1, 2)),
        rtol=1e-5,
        atol=1e-6,
    )


def test_every_variant_is_exported():
    for name in ("DenseNet121", "DenseNet169", "DenseNet201"):
        assert getattr(unikeras.applications, name) is getattr(densenet, name)
    assert unikeras.applications.densenet is densenet


def test_argument_errors():
    check_errors(densenet.DenseNet121)


def test_imagenet_weights_from_the_keras_cache(monkeypatch, tmp_path, models):
    blocks = (6, 12, 24, 16)

    def set_hash(digest):
        monkeypatch.setitem(densenet._WEIGHTS, blocks, ("densenet121", digest, digest))

    check_imagenet_from_cache(
        monkeypatch,
        tmp_path,
        models,
        "densenet",
        "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5",
        set_hash,
        densenet._WEIGHTS[blocks][2],
    )


def test_matches_keras(models):
    check_matches_keras(models, "DenseNet121")


def test_preprocess_input_matches_keras():
    check_preprocess_matches_keras("densenet")
