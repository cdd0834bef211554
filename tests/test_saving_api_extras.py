"""`keras.saving` extras: custom object scopes, `get_custom_objects`, `get_registered_object`,
`save_weights`/`load_weights`, `KerasFileEditor`; `keras.models.save_model` and
`model_from_json`."""

import json

import numpy as np
import pytest

import unikeras as keras
from unikeras import ops
from unikeras.saving import serialization


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


class ScaledDense(keras.layers.Dense):
    """A custom layer, resolvable only through a scope, `custom_objects` or registration."""

    def __init__(self, units, scale=2.0, **kwargs):
        super().__init__(units, **kwargs)
        self.scale = scale

    def call(self, inputs):
        return super().call(inputs) * self.scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def _model():
    inputs = keras.Input((3,), name="x")
    outputs = ScaledDense(2, scale=3.0, name="scaled")(inputs)
    return keras.Model(inputs, outputs)


def test_names_present():
    for name in [
        "CustomObjectScope",
        "custom_object_scope",
        "get_custom_objects",
        "get_registered_object",
        "load_weights",
        "save_weights",
        "KerasFileEditor",
        "save_model",
        "load_model",
    ]:
        assert hasattr(keras.saving, name), name
    assert keras.saving.custom_object_scope is keras.saving.CustomObjectScope
    for name in ["save_model", "model_from_json", "clone_model", "load_model"]:
        assert hasattr(keras.models, name), name


def test_custom_object_scope_resolves_in_load_model(tmp_path):
    model = _model()
    path = str(tmp_path / "m.keras")
    keras.saving.save_model(model, path)
    with pytest.raises(ValueError, match="ScaledDense"):
        keras.models.load_model(path)
    with keras.saving.custom_object_scope({"ScaledDense": ScaledDense}):
        loaded = keras.models.load_model(path)
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(_np(loaded(x)), _np(model(x)), rtol=1e-6)
    layer = loaded.get_layer("scaled") if hasattr(loaded, "get_layer") else loaded.layers[-1]
    assert type(layer) is ScaledDense and layer.scale == 3.0
    # The scope is gone after the block; nested scopes replace the outer objects.
    assert keras.saving.get_registered_object("ScaledDense") is None
    with keras.saving.CustomObjectScope({"A": int}):
        with keras.saving.CustomObjectScope({"B": float}):
            assert keras.saving.get_registered_object("B") is float
            assert keras.saving.get_registered_object("A") is None
        assert keras.saving.get_registered_object("A") is int


def test_custom_object_scope_in_from_config_and_deserialize():
    config = serialization.serialize_keras_object(ScaledDense(4, scale=0.5))
    with keras.saving.CustomObjectScope({"ScaledDense": ScaledDense}):
        layer = keras.saving.deserialize_keras_object(config)
    assert type(layer) is ScaledDense and layer.units == 4 and layer.scale == 0.5


def test_get_custom_objects_is_live_registry(tmp_path):
    objects = keras.saving.get_custom_objects()
    assert objects is keras.saving.get_custom_objects()

    @keras.saving.register_keras_serializable(package="TestSavingExtras")
    def my_activation(x):
        return x * 2

    assert objects["TestSavingExtras>my_activation"] is my_activation
    objects["LiveScaled"] = ScaledDense
    try:
        assert keras.saving.get_registered_object("LiveScaled") is ScaledDense
        layer = keras.saving.deserialize_keras_object(
            {
                "class_name": "LiveScaled",
                "config": {"units": 2, "scale": 1.5},
                "module": None,
                "registered_name": None,
            }
        )
        assert type(layer) is ScaledDense and layer.scale == 1.5
    finally:
        del objects["LiveScaled"]
        del objects["TestSavingExtras>my_activation"]


def test_get_registered_object_lookup_order():
    get = keras.saving.get_registered_object
    assert get("nothing") is None
    assert get("X", custom_objects={"X": 1}) == 1
    assert get("X", module_objects={"X": 2}) == 2
    assert get("X", custom_objects={"X": 1}, module_objects={"X": 2}) == 1
    with keras.saving.custom_object_scope({"X": 3}):
        assert get("X", custom_objects={"X": 1}, module_objects={"X": 2}) == 3


def test_save_and_load_weights_functions(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = str(tmp_path / "w.weights.h5")
    keras.saving.save_weights(model, path)
    other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    keras.saving.load_weights(other, path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=".weights.h5"):
        keras.saving.save_weights(model, str(tmp_path / "w.h5"))


def test_save_model_and_model_from_json(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5), keras.layers.Softmax()])
    path = str(tmp_path / "s.keras")
    keras.models.save_model(model, path)
    loaded = keras.models.load_model(path)
    x = np.random.default_rng(1).normal(size=(2, 3)).astype("float32")
    np.testing.assert_allclose(_np(loaded(x)), _np(model(x)), rtol=1e-6)

    text = model.to_json()
    assert json.loads(text)["class_name"] == "Sequential"
    rebuilt = keras.models.model_from_json(text)
    assert [type(layer).__name__ for layer in rebuilt.layers] == ["Dense", "Softmax"]
    assert rebuilt.layers[0].kernel.shape == (3, 5)
    functional = _model()
    clone = keras.models.model_from_json(
        functional.to_json(), custom_objects={"ScaledDense": ScaledDense}
    )
    assert type(clone.layers[-1]) is ScaledDense
    with pytest.raises(ValueError):
        keras.models.model_from_json(functional.to_json())


# --- KerasFileEditor -----------------------------------------------------------------------
def _two_layer_model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_file_editor_reads_weights(tmp_path, suffix, capsys):
    model = _two_layer_model()
    path = str(tmp_path / f"m{suffix}")
    if suffix == ".keras":
        model.save(path)
    else:
        model.save_weights(path)
    editor = keras.saving.KerasFileEditor(path)
    layers = editor.weights_dict["layers"]
    assert sorted(layers) == ["dense", "dense_1"]
    np.testing.assert_array_equal(layers["dense"]["0"], model.layers[0].kernel.numpy())
    np.testing.assert_array_equal(layers["dense_1"]["1"], model.layers[1].bias.numpy())
    assert (editor.config is not None) == (suffix == ".keras")
    editor.summary()
    out = capsys.readouterr().out
    assert "shape=(4, 3)" in out and "dense_1" in out
    result = editor.compare(model)
    assert result == {"status": "success", "error_count": 0, "match_count": 4}


def test_file_editor_edits_and_resaves(tmp_path):
    model = _two_layer_model()
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    editor = keras.saving.KerasFileEditor(path)

    editor.rename_object("dense", "renamed")
    assert editor.compare(model) == {"status": "error", "error_count": 2, "match_count": 2}
    editor.rename_object("layers/renamed", "dense")
    editor.delete_weight("dense_1", "1")
    assert editor.compare(model)["error_count"] == 1
    new_bias = np.array([5.0, -5.0], "float32")
    editor.add_weights("layers/dense_1", {"1": new_bias})
    editor.add_object("layers/extra", {"0": np.zeros((2, 2), "float32")})
    assert editor.compare(model)["error_count"] == 1
    editor.delete_object("extra")
    assert editor.compare(model)["status"] == "success"

    out = str(tmp_path / "edited.weights.h5")
    editor.save(out)
    fresh = _two_layer_model()
    fresh.load_weights(out)
    np.testing.assert_array_equal(fresh.layers[1].bias.numpy(), new_bias)
    np.testing.assert_array_equal(fresh.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())
    reread = keras.saving.KerasFileEditor(out)
    np.testing.assert_array_equal(reread.weights_dict["layers"]["dense_1"]["1"], new_bias)


def test_file_editor_errors(tmp_path):
    model = _two_layer_model()
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    editor = keras.saving.KerasFileEditor(path)
    with pytest.raises(ValueError, match="does not appear"):
        editor.delete_object("missing")
    with pytest.raises(ValueError, match="not found"):
        editor.delete_object("layers/missing")
    with pytest.raises(ValueError, match="leaf name"):
        editor.rename_object("dense", "a/b")
    with pytest.raises(ValueError, match="Weight 7 not found"):
        editor.delete_weight("dense", "7")
    with pytest.raises(ValueError, match="should be a dict"):
        editor.add_weights("dense", [np.zeros(2)])
    with pytest.raises(ValueError, match=".weights.h5"):
        editor.save(str(tmp_path / "x.keras"))
    with pytest.raises(ValueError, match="extension"):
        keras.saving.KerasFileEditor(str(tmp_path / "x.h5"))
    nested = keras.Sequential(
        [keras.Input((2,)), keras.Sequential([keras.layers.Dense(2)]), keras.layers.Dense(2)]
    )
    nested_path = str(tmp_path / "n.weights.h5")
    nested.save_weights(nested_path)
    nested_editor = keras.saving.KerasFileEditor(nested_path)
    with pytest.raises(ValueError, match="more than once"):
        nested_editor.delete_object("dense")


def test_file_editor_refuses_damaged_files(tmp_path):
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"not an hdf5 file at all")
    with pytest.raises(ValueError):
        keras.saving.KerasFileEditor(str(bad))
    bad_zip = tmp_path / "bad.keras"
    bad_zip.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ValueError):
        keras.saving.KerasFileEditor(str(bad_zip))


def _shapes(weights_dict, prefix=""):
    out = {}
    for key, value in weights_dict.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_shapes(value, path))
        else:
            out[path] = list(np.shape(value))
    return out


def test_file_editor_matches_keras3(tmp_path, run_python):
    """Keras 3's own KerasFileEditor and ours see the same weights in a Keras 3 file, and
    Keras 3 loads a weights file our editor resaved."""
    import importlib.util

    if importlib.util.find_spec("keras") is None:
        pytest.skip("Keras 3 is not installed here (the jax tox env has it)")
    ours = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    ours_path = str(tmp_path / "ours.weights.h5")
    ours.save_weights(ours_path)
    editor = keras.saving.KerasFileEditor(ours_path)
    bias = np.array([1.5, -2.5], "float32")
    editor.delete_weight("dense_1", "1")
    editor.add_weights("dense_1", {"1": bias})
    edited = str(tmp_path / "edited.weights.h5")
    editor.save(edited)
    theirs = str(tmp_path / "theirs.keras")
    code = f"""
import json, numpy as np, keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
model.load_weights({edited!r})
model.save({theirs!r})
editor = keras.saving.KerasFileEditor({theirs!r})
def shapes(d, prefix=""):
    out = {{}}
    for k, v in d.items():
        p = prefix + "/" + k if prefix else k
        out.update(shapes(v, p) if isinstance(v, dict) else {{p: list(v.shape)}})
    return out
print(json.dumps({{"shapes": shapes(editor.weights_dict),
                  "bias": model.layers[1].bias.numpy().tolist()}}))
"""
    result = run_python(code, KERAS_BACKEND="numpy")
    if result.returncode != 0:
        pytest.skip(f"Keras 3 could not run on its numpy backend here: {result.stderr[-300:]}")
    import json

    report = json.loads(result.stdout.strip().splitlines()[-1])
    np.testing.assert_array_equal(report["bias"], bias)  # Keras 3 read our resaved file
    assert _shapes(keras.saving.KerasFileEditor(theirs).weights_dict) == report["shapes"]
