"""keras.applications.efficientnet_v2: EfficientNetV2B0 builds and predicts on every
backend, loads "imagenet" weights from Keras' cache file, and equals Keras 3.15.1 (jax env)."""

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
from unikeras.applications import efficientnet_v2


@pytest.fixture(scope="module")
def models():
    return FamilyModels(efficientnet_v2.EfficientNetV2B0)


NAMES = ("B0", "B1", "B2", "B3", "S", "M", "L")


def test_top(models):
    check_top(models)


def test_no_top_and_pooling(models):
    check_pooling(models, "max", 1280)


def test_preprocessing_is_in_the_model():
    """B variants: Rescaling by 1/255 and Normalization with the ImageNet statistics;
    `include_preprocessing=False` leaves the pixels alone."""
    model = efficientnet_v2.EfficientNetV2B0(
        weights=None, include_top=False, input_shape=(32, 32, 3)
    )
    x = images(1)
    rescaled = np.asarray(model.layers[1](x))
    normalized = np.asarray(model.layers[2](rescaled))
    mean = np.array([0.485, 0.456, 0.406])
    std = np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(normalized, (x / 255.0 - mean) / std, rtol=1e-5, atol=1e-5)
    bare = efficientnet_v2.EfficientNetV2B0(
        weights=None, include_top=False, include_preprocessing=False, input_shape=(32, 32, 3)
    )
    assert bare.layers[1].name == "stem_conv"
    assert efficientnet_v2.preprocess_input(x) is x


def test_every_variant_is_exported():
    for suffix in NAMES:
        name = f"EfficientNetV2{suffix}"
        assert getattr(unikeras.applications, name) is getattr(efficientnet_v2, name)
    assert unikeras.applications.efficientnet_v2 is efficientnet_v2


def test_argument_errors():
    check_errors(efficientnet_v2.EfficientNetV2B0)


def test_imagenet_weights_from_the_keras_cache(monkeypatch, tmp_path, models):
    def set_hash(digest):
        monkeypatch.setitem(efficientnet_v2.WEIGHTS_HASHES, "b0", (digest, digest))

    check_imagenet_from_cache(
        monkeypatch,
        tmp_path,
        models,
        "efficientnet_v2",
        "efficientnetv2-b0_notop.h5",
        set_hash,
        efficientnet_v2.WEIGHTS_HASHES["b0"][1],
    )


def test_matches_keras(models):
    check_matches_keras(models, "EfficientNetV2B0")


def test_preprocess_input_matches_keras():
    check_preprocess_matches_keras("efficientnet_v2")


def test_custom_name(monkeypatch):
    """`name` names the model only (Keras 3 documents it as "the name of the model"; its
    3.15.1 code looks the stages up by it and raises KeyError for any other name): the
    stages are EfficientNetV2B0's, and `weights="imagenet"` still takes Keras'
    `efficientnetv2-b0` file. (One build: OpenVINO takes ~30 s per EfficientNetV2B0.)"""
    from unikeras.applications import imagenet_utils

    requested = []
    monkeypatch.setattr(
        imagenet_utils,
        "load_model_weights",
        lambda model, weights, file_name, origin, file_hash: requested.append(
            (file_name, origin, file_hash)
        ),
    )
    model = efficientnet_v2.EfficientNetV2B0(
        include_top=False, input_shape=(32, 32, 3), name="my_backbone"
    )
    assert model.name == "my_backbone"
    assert requested == [
        (
            "efficientnetv2-b0_notop.h5",
            efficientnet_v2.BASE_WEIGHTS_PATH + "efficientnetv2-b0_notop.h5",
            efficientnet_v2.WEIGHTS_HASHES["b0"][1],
        )
    ]
    blocks = sorted({layer.name[:7] for layer in model.layers if layer.name.startswith("block")})
    assert blocks == [
        "block1a",
        "block2a",
        "block2b",
        "block3a",
        "block3b",
        "block4a",
        "block4b",
        "block4c",
        "block5a",
        "block5b",
        "block5c",
        "block5d",
        "block5e",
        "block6a",
        "block6b",
        "block6c",
        "block6d",
        "block6e",
        "block6f",
        "block6g",
        "block6h",
    ]
