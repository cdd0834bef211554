"""keras.utils.FeatureSpace: every feature type against NumPy, crosses, output modes, adapt
sources, config and `.keras` round trips, symbolic inputs for a Functional model."""

import importlib.util

import numpy as np
import pytest

import unikeras as keras
from unikeras.utils import FeatureSpace


def _np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def _data():
    return {
        "price": np.array([1.0, 2.0, 4.0, 9.0, 4.0, 10.0], dtype="float32"),
        "raw": np.array([0.5, -1.0, 2.0, 3.0, 0.0, 1.0], dtype="float32"),
        "size": np.array([0.1, 0.4, 0.6, 0.9, 0.3, 0.7], dtype="float32"),
        "rooms": np.array([3, 3, 3, 2, 2, 1], dtype="int32"),
        "city": np.array(["a", "a", "a", "b", "b", "c"]),
        "zip": np.array([101, 102, 103, 101, 102, 104], dtype="int32"),
        "tag": np.array(["x", "y", "x", "z", "y", "x"]),
    }


def _space(output_mode="concat", **kwargs):
    return FeatureSpace(
        features={
            "price": "float_normalized",
            "raw": "float",
            "size": FeatureSpace.float_discretized(num_bins=None, bin_boundaries=[0.25, 0.5]),
            "rooms": "integer_categorical",
            "city": FeatureSpace.string_categorical(num_oov_indices=1),
            "zip": FeatureSpace.integer_hashed(num_bins=4),
            "tag": FeatureSpace.string_hashed(num_bins=5, output_mode="int")
            if output_mode == "dict"
            else FeatureSpace.string_hashed(num_bins=5),
            "scaled": FeatureSpace.float_rescaled(scale=2.0, offset=1.0),
        },
        output_mode=output_mode,
        **kwargs,
    )


def _with_scaled(data):
    data = dict(data)
    data["scaled"] = data["raw"] * 3
    return data


def _expected(data):
    """Independent NumPy encoding of `_space()` (features in sorted-name order)."""
    price = data["price"]
    rows = {}
    rows["price"] = ((price - price.mean()) / np.sqrt(price.var()))[:, None]
    rows["raw"] = data["raw"][:, None]
    rows["size"] = np.eye(3)[np.digitize(data["size"], [0.25, 0.5])]
    rooms_vocab = [3, 2, 1]  # by decreasing frequency, after the OOV index 0
    rows["rooms"] = np.eye(4)[[rooms_vocab.index(v) + 1 for v in data["rooms"]]]
    city_vocab = ["a", "b", "c"]
    rows["city"] = np.eye(4)[[city_vocab.index(v) + 1 for v in data["city"]]]
    rows["scaled"] = (data["scaled"] * 2.0 + 1.0)[:, None]
    return rows


def test_concat_matches_numpy_per_feature():
    data = _with_scaled(_data())
    space = _space()
    space.adapt(data)
    out = _np(space(data))
    rows = _expected(data)
    hashed_zip = _np(keras.layers.Hashing(num_bins=4)(data["zip"][:, None]))[:, 0]
    hashed_tag = _np(keras.layers.Hashing(num_bins=5)(data["tag"][:, None]))[:, 0]
    rows["zip"] = np.eye(4)[hashed_zip]
    rows["tag"] = np.eye(5)[hashed_tag]
    want = np.concatenate([rows[k] for k in sorted(rows)], axis=-1)
    assert out.shape == want.shape == (6, 1 + 1 + 3 + 4 + 4 + 1 + 5 + 4)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)
    # One sample as scalars: the batch axis is dropped, as in Keras.
    single = _np(space({k: v[2] for k, v in data.items()}))
    np.testing.assert_allclose(single, want[2], rtol=1e-5, atol=1e-6)


def test_dict_mode_and_int_outputs():
    data = _with_scaled(_data())
    space = _space(output_mode="dict")
    space.adapt(data)
    out = space(data)
    assert sorted(out) == sorted(_space().features)
    tag = _np(out["tag"])
    assert tag.shape == (6, 1) and tag.dtype.kind == "i" and tag.max() < 5
    np.testing.assert_array_equal(tag, _np(keras.layers.Hashing(num_bins=5)(data["tag"][:, None])))
    rows = _expected(data)
    for name in ("price", "raw", "size", "rooms", "city", "scaled"):
        np.testing.assert_allclose(_np(out[name]), rows[name], rtol=1e-5, atol=1e-6)


def test_crosses():
    data = _data()
    space = FeatureSpace(
        {"city": "string_categorical", "rooms": "integer_categorical"},
        crosses=[
            ("city", "rooms"),
            FeatureSpace.cross(("rooms", "city"), crossing_dim=3, output_mode="int"),
        ],
        crossing_dim=7,
        output_mode="dict",
    )
    space.adapt(data)
    out = space(data)
    assert sorted(out) == ["city", "city_X_rooms", "rooms", "rooms_X_city"]
    city = keras.layers.StringLookup()
    city.adapt(data["city"][:, None])
    rooms = keras.layers.IntegerLookup()
    rooms.adapt(data["rooms"][:, None])
    c, r = city(data["city"][:, None]), rooms(data["rooms"][:, None])
    cross = _np(keras.layers.HashedCrossing(7)([c, r]))
    np.testing.assert_array_equal(_np(out["city_X_rooms"]), np.eye(7)[cross.reshape(-1)])
    np.testing.assert_array_equal(
        _np(out["rooms_X_city"]).reshape(-1),
        _np(keras.layers.HashedCrossing(3)([r, c])).reshape(-1),
    )


def test_string_feature_types_and_defaults():
    space = FeatureSpace(
        {
            "a": "float_discretized",
            "b": "integer_hashed",
            "c": "string_hashed",
            "d": "float_rescaled",
        },
        hashing_dim=6,
        num_discretization_bins=4,
    )
    assert space.features["a"].preprocessor.num_bins == 4
    assert space.features["b"].preprocessor.num_bins == 6
    assert space.features["c"].dtype == "string" and space.features["b"].dtype == "int32"
    assert space.features["d"].output_mode == "float"
    data = {
        "a": np.linspace(0, 1, 20),
        "b": np.arange(20),
        "c": np.array(["q"] * 20),
        "d": np.ones(20),
    }
    space.adapt(data)
    assert _np(space(data)).shape == (20, 4 + 6 + 6 + 1)


def test_errors():
    with pytest.raises(ValueError, match="cannot be None or empty"):
        FeatureSpace({})
    with pytest.raises(ValueError, match="Invalid feature type"):
        FeatureSpace({"a": "floaty"})
    with pytest.raises(ValueError, match="output_mode"):
        FeatureSpace({"a": "float"}, output_mode="list")
    with pytest.raises(ValueError, match="unknown features"):
        FeatureSpace({"a": "float"}, crosses=[("a", "b")])
    with pytest.raises(ValueError, match="crossing_dim"):
        FeatureSpace({"a": "float", "b": "float"}, crosses=[("a", "b")], crossing_dim=None)
    space = FeatureSpace({"a": "float_normalized"})
    with pytest.raises(ValueError, match="adapt"):
        space({"a": np.ones(3)})
    space = FeatureSpace({"a": "float"})  # nothing to adapt: usable at once
    np.testing.assert_allclose(_np(space({"a": np.array([1.0, 2.0])})), [[1.0], [2.0]])
    with pytest.raises(ValueError, match="with a dict"):
        space(np.ones(3))
    with pytest.raises(ValueError, match="not been encoded"):
        FeatureSpace({"a": FeatureSpace.integer_hashed(3, output_mode="int")})({"a": [1]})


def test_adapt_from_datasets(monkeypatch):
    from unikeras.utils import dataset_utils

    data = _with_scaled(_data())
    reference = _space()
    reference.adapt({k: v[:5] for k, v in data.items()})
    want = _np(reference(data))
    monkeypatch.setattr(dataset_utils, "tf_available", lambda: False)
    neutral, _ = keras.utils.split_dataset(data, left_size=5)
    space = _space()
    space.adapt(neutral.batch(2))
    np.testing.assert_allclose(_np(space(data)), want, rtol=1e-5, atol=1e-6)
    reference = _space()
    reference.adapt(data)
    want = _np(reference(data))
    if importlib.util.find_spec("tensorflow") is not None:
        import tensorflow as tf

        space = _space()
        space.adapt(tf.data.Dataset.from_tensor_slices(data).batch(4))
        np.testing.assert_allclose(_np(space(data)), want, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="adapt"):
        _space().adapt(np.ones(3))


def test_config_roundtrip_and_save_load(tmp_path):
    data = _with_scaled(_data())
    space = _space(crosses=[("city", "rooms")], crossing_dim=5)
    config = space.get_config()
    clone = FeatureSpace.from_config(config)
    assert clone.get_config()["features"].keys() == config["features"].keys()
    assert [c.name for c in clone.crosses] == ["city_X_rooms"]
    space.adapt(data)
    want = _np(space(data))
    path = str(tmp_path / "space.keras")
    space.save(path)
    loaded = keras.models.load_model(path)
    assert isinstance(loaded, FeatureSpace)
    np.testing.assert_allclose(_np(loaded(data)), want, rtol=1e-5, atol=1e-6)


def test_symbolic_inputs_build_a_functional_model():
    data = {
        "price": np.array([1.0, 2.0, 3.0], dtype="float32"),
        "rooms": np.array([1, 2, 2], dtype="int32"),
    }
    space = FeatureSpace({"price": "float_normalized", "rooms": "integer_categorical"})
    space.adapt(data)
    inputs = space.get_inputs()
    assert sorted(inputs) == ["price", "rooms"] and inputs["rooms"].shape == (None, 1)
    encoded = space.get_encoded_features()
    assert encoded.shape == (None, 1 + 3)
    model = keras.Model(inputs, encoded)
    np.testing.assert_allclose(
        _np(model.predict({k: v[:, None] for k, v in data.items()}, verbose=0)),
        _np(space(data)),
        rtol=1e-5,
        atol=1e-6,
    )
