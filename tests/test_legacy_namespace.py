"""keras.legacy.saving: the Keras 2 serialization form, names resolved only where told."""

import pytest

import unikeras as keras


def test_legacy_saving_round_trip_with_module_objects():
    dense = keras.layers.Dense(3, activation="relu", name="d")
    config = keras.legacy.saving.serialize_keras_object(dense)
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3
    with pytest.raises(ValueError, match="Dense"):
        keras.legacy.saving.deserialize_keras_object(config)
    clone = keras.legacy.saving.deserialize_keras_object(
        config, module_objects={"Dense": keras.layers.Dense}
    )
    assert isinstance(clone, keras.layers.Dense)
    assert clone.get_config() == dense.get_config()
