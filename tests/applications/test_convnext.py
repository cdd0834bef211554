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


# ConvNeXtTiny's own builder at a fraction of its size, with stochastic depth on, so that
# both of the module's layers (LayerScale, StochasticDepth) are in the file.
SMALL_CONVNEXT = dict(
    depths=[1, 1, 1, 1],
    projection_dims=[8, 8, 8, 8],
    drop_path_rate=0.1,
    name="convnext_tiny",
    include_top=False,
    input_shape=(32, 32, 3),
)


def _small_convnext():
    return convnext.ConvNeXt(**SMALL_CONVNEXT)


def test_saved_model_round_trip_without_custom_objects(tmp_path):
    """LayerScale and StochasticDepth load from a `.keras` file with no custom_objects, with
    exactly equal outputs: Keras 3 leaves them unregistered (get_registered_name is the
    class name) and names them by module, `keras.src.applications.convnext`, as our files
    do. (A small ConvNeXt: a ConvNeXtTiny file is 110 MB.)"""
    assert unikeras.saving.get_registered_name(convnext.LayerScale) == "LayerScale"
    assert unikeras.saving.get_registered_name(convnext.StochasticDepth) == "StochasticDepth"
    model = _small_convnext()
    config = unikeras.saving.serialize_keras_object(model)["config"]["layers"]
    written = {
        (c["module"], c["class_name"], c["registered_name"])
        for c in config
        if c["class_name"] in ("LayerScale", "StochasticDepth")
    }
    assert written == {
        ("keras.src.applications.convnext", "LayerScale", "LayerScale"),
        ("keras.src.applications.convnext", "StochasticDepth", "StochasticDepth"),
    }
    path = str(tmp_path / "convnext.keras")
    model.save(path)
    loaded = unikeras.models.load_model(path)
    x = images(2, 32)
    np.testing.assert_array_equal(
        unikeras.ops.convert_to_numpy(loaded(x)), unikeras.ops.convert_to_numpy(model(x))
    )
    assert isinstance(
        loaded.get_layer("convnext_tiny_stage_0_block_0_layer_scale"), convnext.LayerScale
    )


def test_keras_file_loads_here(tmp_path):
    """A ConvNeXt saved by Keras 3.15.1 (LayerScale and StochasticDepth named by Keras'
    module) loads here with no custom_objects and predicts the same."""
    from modern_checks import keras3

    keras3()
    from keras.src.applications import convnext as keras_convnext

    theirs = keras_convnext.ConvNeXt(**SMALL_CONVNEXT, weights=None)
    path = str(tmp_path / "theirs.keras")
    theirs.save(path)
    here = unikeras.models.load_model(path)
    assert isinstance(
        here.get_layer("convnext_tiny_stage_0_block_0_layer_scale"), convnext.LayerScale
    )
    x = images(2, 32)
    np.testing.assert_allclose(
        unikeras.ops.convert_to_numpy(here(x)),
        np.asarray(theirs(x)),
        rtol=1e-5,
        atol=1e-5,
    )
