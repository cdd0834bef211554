"""VGG16 and VGG19 (keras.applications.vgg16, vgg19)."""

from classic_checks import check_family, check_preprocess


def test_vgg16_matches_keras():
    check_family("VGG16", 32, pooled_channels=512)


def test_vgg_preprocess_input():
    check_preprocess("vgg16", "caffe")
    check_preprocess("vgg19", "caffe")
