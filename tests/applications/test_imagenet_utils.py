"""keras.applications.imagenet_utils and the shared weights loading: preprocessing modes,
`decode_predictions` with the class index from the Keras cache, input-shape and `weights`
validation, ImageNet weights from a prepared cache file without network, and the clear
error when the file is neither cached nor downloadable."""

import hashlib
import json

import numpy as np
import pytest

import unikeras
from classic_checks import check_preprocess, reference_preprocess, write_keras_weights_file
from unikeras.applications import imagenet_utils, mobilenet, mobilenet_v3

NOWHERE = "file:///nonexistent-unikeras-test-dir/"


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_input_modes(mode):
    module = imagenet_utils
    x = np.random.default_rng(3).uniform(0, 255, (2, 3, 4, 4)).astype("float32")
    out = module.preprocess_input(x.copy(), data_format="channels_first", mode=mode)
    np.testing.assert_allclose(out, reference_preprocess(x, mode, "channels_first"), atol=1e-4)
    last = np.moveaxis(x, 1, -1).copy()
    expected = reference_preprocess(last, mode)
    # (On the numpy backend a tensor is a NumPy array, preprocessed in place as in Keras.)
    tensor = module.preprocess_input(unikeras.ops.convert_to_tensor(last), mode=mode)
    np.testing.assert_allclose(unikeras.ops.convert_to_numpy(tensor), expected, atol=1e-4)


def test_preprocess_input_default_mode_and_errors():
    check_preprocess("imagenet_utils", "caffe")
    x = np.zeros((1, 2, 2, 3), "float32")
    with pytest.raises(ValueError, match="mode"):
        imagenet_utils.preprocess_input(x, mode="pytorch")
    with pytest.raises(ValueError, match="data_format"):
        imagenet_utils.preprocess_input(x, data_format="NHWC")


def _class_index(path):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    path.write_text(json.dumps(index))
    return path


def test_decode_predictions_from_cached_index(keras_cache, monkeypatch):
    path = _class_index(keras_cache / "imagenet_class_index.json")
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", _md5(path))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_PATH", NOWHERE + "index.json")
    preds = np.random.default_rng(4).random((2, 1000)).astype("float32")
    decoded = unikeras.applications.resnet50.decode_predictions(preds, top=3)
    assert len(decoded) == 2
    for row, result in zip(preds, decoded):
        best = np.argsort(row)[::-1][:3]
        assert [r[0] for r in result] == [f"n{i:08d}" for i in best]
        assert [r[1] for r in result] == [f"class_{i}" for i in best]
        np.testing.assert_allclose([r[2] for r in result], row[best])
    with pytest.raises(ValueError, match=r"\(samples, 1000\).*\(2, 10\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


def test_decode_predictions_offline_without_cache(keras_cache, monkeypatch):
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_PATH", NOWHERE + "index.json")
    with pytest.raises(OSError, match="imagenet_class_index.json") as info:
        imagenet_utils.decode_predictions(np.zeros((1, 1000)))
    assert str(keras_cache / "imagenet_class_index.json") in str(info.value)


def test_input_shape_and_weights_validation():
    obtain = imagenet_utils.obtain_input_shape
    assert obtain(None, 224, 32, "channels_last", True) == (224, 224, 3)
    assert obtain(None, 224, 32, "channels_last", False) == (None, None, 3)
    assert obtain(None, 224, 32, "channels_first", True) == (3, 224, 224)
    with pytest.raises(ValueError, match="at least 71x71"):
        obtain((64, 64, 3), 299, 71, "channels_last", False)
    with pytest.raises(ValueError, match=r"should be \(224, 224, 3\)"):
        obtain((128, 128, 3), 224, 32, "channels_last", True, weights="imagenet")
    with pytest.raises(ValueError, match="3 channels"):
        obtain((64, 64, 1), 224, 32, "channels_last", False, weights="imagenet")
    with pytest.raises(ValueError, match="static"):
        obtain((None, None, 3), 224, 32, "channels_last", True)
    with pytest.raises(ValueError, match="ResNet50|resnet50.*weights"):
        unikeras.applications.ResNet50(weights="imagenet21k")
    with pytest.raises(ValueError, match="classes` should be 1000"):
        unikeras.applications.VGG16(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="classifier_activation"):
        imagenet_utils.validate_activation("relu", "imagenet")
    imagenet_utils.validate_activation("relu", None)  # any activation without weights


def _small(**kwargs):
    return unikeras.applications.MobileNetV3Small(
        input_shape=(32, 32, 3), include_top=False, pooling="avg", **kwargs
    )


def test_imagenet_weights_from_the_cache_without_network(keras_cache, monkeypatch):
    source = _small(weights=None)
    images = np.random.default_rng(5).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    # Keras' file name for these weights, in the Keras cache.
    path = keras_cache / "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5"
    write_keras_weights_file(source, path)
    monkeypatch.setattr(mobilenet_v3, "BASE_WEIGHT_PATH", NOWHERE)
    monkeypatch.setitem(mobilenet_v3.WEIGHTS_HASHES, "small_224_1.0_float", ("unused", _md5(path)))
    with pytest.warns(UserWarning, match="224"):
        loaded = _small(weights="imagenet")
    np.testing.assert_allclose(
        loaded.predict(images, verbose=0), source.predict(images, verbose=0), rtol=1e-5
    )
    # A weights file path loads the same way.
    by_path = _small(weights=str(path))
    np.testing.assert_allclose(
        by_path.predict(images, verbose=0), source.predict(images, verbose=0), rtol=1e-5
    )


def test_imagenet_weights_offline_without_cache_is_a_clear_error(keras_cache, monkeypatch):
    monkeypatch.setattr(mobilenet, "BASE_WEIGHT_PATH", NOWHERE)
    with pytest.raises(OSError) as info:
        unikeras.applications.MobileNet(
            input_shape=(128, 128, 3), alpha=0.25, include_top=False, weights="imagenet"
        )
    message = str(info.value)
    assert "mobilenet_2_5_128_tf_no_top.h5" in message
    assert str(keras_cache / "mobilenet_2_5_128_tf_no_top.h5") in message
    assert "ImageNet weights" in message
