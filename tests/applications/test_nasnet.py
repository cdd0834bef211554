"""NASNetMobile (keras.applications.nasnet)."""

from classic_checks import check_family, check_preprocess


def test_nasnet_mobile_matches_keras():
    check_family("NASNetMobile", 32)


def test_nasnet_preprocess_input():
    check_preprocess("nasnet", "tf")
