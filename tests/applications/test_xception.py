"""Xception (keras.applications.xception)."""

from classic_checks import check_family, check_preprocess


def test_xception_matches_keras():
    check_family("Xception", 71)


def test_xception_preprocess_input():
    check_preprocess("xception", "tf")
