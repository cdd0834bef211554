"""ResNet50 and ResNet50V2 (keras.applications.resnet, resnet50, resnet_v2)."""

from classic_checks import check_family, check_preprocess


def test_resnet50_matches_keras():
    check_family("ResNet50", 32)


def test_resnet50v2_matches_keras():
    check_family("ResNet50V2", 32)


def test_resnet_preprocess_input():
    check_preprocess("resnet", "caffe")
    check_preprocess("resnet50", "caffe")
    check_preprocess("resnet_v2", "tf")
