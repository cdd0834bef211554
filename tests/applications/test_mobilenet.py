"""MobileNet, MobileNetV2 and MobileNetV3Small (keras.applications.mobilenet, mobilenet_v2,
mobilenet_v3)."""

import numpy as np

import unikeras
from classic_checks import check_family, check_preprocess


def test_mobilenet_matches_keras():
    model = check_family("MobileNet", 32, alpha=0.25)
    assert model.name == "mobilenet_0.25_32"  # the default name Keras gives


def test_mobilenet_v2_matches_keras():
    check_family("MobileNetV2", 32, alpha=0.35)


def test_mobilenet_v3_small_matches_keras():
    check_family("MobileNetV3Small", 32)


def test_mobilenet_v3_without_top_pools():
    images = np.random.default_rng(2).uniform(0, 255, (2, 64, 64, 3)).astype("float32")
    features = unikeras.applications.MobileNetV3Small(weights=None, include_top=False)
    assert tuple(features.input_shape) == (None, None, None, 3)
    feature_map = np.asarray(features.predict(images, verbose=0))
    assert feature_map.shape == (2, 2, 2, 576)
    for pooling, reduce in (("avg", np.mean), ("max", np.max)):
        pooled = unikeras.applications.MobileNetV3Small(
            weights=None, include_top=False, pooling=pooling
        )
        pooled.set_weights(features.get_weights())
        expected = reduce(feature_map, axis=(1, 2))
        np.testing.assert_allclose(
            pooled.predict(images, verbose=0),
            expected,
            rtol=1e-4,
            atol=1e-5 * np.abs(expected).max(),
        )


def test_mobilenet_preprocess_input():
    check_preprocess("mobilenet", "tf")
    check_preprocess("mobilenet_v2", "tf")
    check_preprocess("mobilenet_v3", None)  # the models rescale inputs themselves
