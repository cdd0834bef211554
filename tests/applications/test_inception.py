"""InceptionV3 and InceptionResNetV2 (keras.applications.inception_v3,
inception_resnet_v2)."""

from classic_checks import check_family, check_preprocess


def test_inception_v3_matches_keras():
    check_family("InceptionV3", 75)


def test_inception_resnet_v2_matches_keras():
    check_family("InceptionResNetV2", 75)


def test_inception_preprocess_input():
    check_preprocess("inception_v3", "tf")
    check_preprocess("inception_resnet_v2", "tf")
