"""Fixtures of the `keras.applications` tests."""

import pytest


@pytest.fixture
def keras_cache(tmp_path, monkeypatch):
    """An empty Keras cache (`KERAS_HOME`) in a temp folder; returns its `models` folder."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    models = tmp_path / "keras_home" / "models"
    models.mkdir(parents=True)
    return models
