"""keras.applications.convnext: ConvNeXtTiny builds and predicts on every backend, loads
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
from unikeras.applications import convnext


@pytest.fixture(scope="module")
def models():
    # Static 64x64 features: with None dims the numpy backend infers the shape of each
    # residual `+` by adding 83x83x83xC probe arrays (minutes per model).
    return FamilyModels(convnext.ConvNeXtTiny, dynamic=False)


def test_top(models):
    check_top(models)


def test_no_top_and_pooling(models):
    check_pooling(models, "avg", 768, pooled_is_layer_normed=True)


def test_preprocessing_is_in_the_model():
    model = convnext.ConvNeXtTiny(weights=None, include_top=False, input_shape=(32, 32, 3))
    normalization = model.get_layer("convnext_tiny_prestem_normalization")
    x = images(1)
    mean = np.array([0.485, 0.456, 0.406]) * 255
    std = np.array([0.229, 0.224, 0.225]) * 255
    np.testing.assert_allclose(np.asarray(normalization(x)), (x - mean) / std, rtol=1e-5, atol=1e-5)
    assert convnext.preprocess_input(x) is x
    bare = convnext.ConvNeXtTiny(
        weights=None, include_top=False, include_preprocessing=False, input_shape=(32, 32, 3)
    )
    assert "convnext_tiny_prestem_normalization" not in [layer.name for layer in bare.layers]


def test_every_variant_is_exported():
    for name in (
        "ConvNeXtTiny",
        "ConvNeXtSmall",
        "ConvNeXtBase",
        "ConvNeXtLarge",
        "ConvNeXtXLarge",
    ):
        assert getattr(unikeras.applications, name) is getattr(convnext, name)
    assert unikeras.applications.convnext is convnext


def test_argument_errors():
    check_errors(convnext.ConvNeXtTiny)


def test_imagenet_weights_from_the_keras_cache(monkeypatch, tmp_path, models):
    def set_hash(digest):
        monkeypatch.setitem(convnext.WEIGHTS_HASHES, "convnext_tiny", (digest, digest))

    check_imagenet_from_cache(
        monkeypatch,
        tmp_path,
        models,
        "convnext",
        "convnext_tiny_notop.h5",
        set_hash,
        convnext.WEIGHTS_HASHES["convnext_tiny"][1],
    )


def test_matches_keras(models):
    check_matches_keras(models, "ConvNeXtTiny")


def test_preprocess_input_matches_keras():
    check_preprocess_matches_keras("convnext")


def test_keras_file_round_trip_with_layer_scale_and_stochastic_depth(tmp_path):
    # LayerScale and StochasticDepth are written as Keras 3.15.1 writes them (module
    # keras.src.applications.convnext, unregistered), and such files load.
    model = convnext.ConvNeXtTiny(weights=None, include_top=False, input_shape=(32, 32, 3))
    config = unikeras.saving.serialize_keras_object(model)["config"]["layers"]
    scale = next(c for c in config if c["class_name"] == "LayerScale")
    assert (scale["module"], scale["registered_name"]) == (
        "keras.src.applications.convnext",
        "LayerScale",
    )
    path = str(tmp_path / "convnext_tiny.keras")
    model.save(path)
    loaded = unikeras.saving.load_model(path)
    assert isinstance(loaded.get_layer(scale["config"]["name"]), convnext.LayerScale)
    x = images(1, size=32)
    np.testing.assert_allclose(
        np.asarray(loaded.predict(x, verbose=0)),
        np.asarray(model.predict(x, verbose=0)),
        rtol=1e-5,
        atol=1e-5,
    )
    # (StochasticDepth only appears with drop_path_rate > 0.)
    depth = unikeras.saving.serialize_keras_object(convnext.StochasticDepth(0.25))
    assert depth["module"] == "keras.src.applications.convnext"
    rebuilt = unikeras.saving.deserialize_keras_object(depth)
    assert isinstance(rebuilt, convnext.StochasticDepth) and rebuilt.drop_path_rate == 0.25
