"""`objects_to_skip` of `keras.saving.save_weights` / `load_weights` / `Model.load_weights`
(Keras 3.15.1): the listed layers (and the layers reached only through them) are neither
written nor loaded; every other variable round-trips exactly. Single `.weights.h5` files and
sharded `.weights.json` sets."""

import json

import h5py
import numpy as np
import pytest

import unikeras as keras
from unikeras import ops


def _model(seed):
    keras.utils.set_random_seed(seed)
    inner = keras.Sequential([keras.layers.Dense(3, name="inner_dense")], name="block")
    return keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(5, name="first"), inner, keras.layers.Dense(2)]
    )


def _values(layer):
    return [np.asarray(ops.convert_to_numpy(w)) for w in layer.weights]


def _h5_datasets(path):
    names = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            names.append(name)

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return names


@pytest.mark.parametrize("sharded", [False, True])
def test_objects_to_skip_save_and_load(tmp_path, sharded):
    source, target = _model(1), _model(2)
    path = tmp_path / ("w.weights.json" if sharded else "w.weights.h5")
    kwargs = {"max_shard_size": 1.0} if sharded else {}
    # Skipping the nested model leaves out its Dense too; the others are saved.
    keras.saving.save_weights(source, path, objects_to_skip=[source.layers[1]], **kwargs)
    if sharded:
        shards = json.loads(path.read_text())["weight_map"]
        assert sorted(shards) == ["/layers/dense/vars", "/layers/dense_1/vars"], shards
        files = {name for names in shards.values() for name in names}
        stored = [n for f in sorted(files) for n in _h5_datasets(tmp_path / f)]
    else:
        stored = _h5_datasets(path)
    assert sorted(stored) == [
        "layers/dense/vars/0",
        "layers/dense/vars/1",
        "layers/dense_1/vars/0",
        "layers/dense_1/vars/1",
    ], stored
    # Loading that file into a model: the skipped block keeps its own values.
    before_block = _values(target.layers[1])
    target.load_weights(path, objects_to_skip=[target.layers[1]])
    for layer in (0, 2):
        for got, want in zip(_values(target.layers[layer]), _values(source.layers[layer])):
            np.testing.assert_array_equal(got, want)
    for got, want in zip(_values(target.layers[1]), before_block):
        np.testing.assert_array_equal(got, want)
    # Without the skip, the file lacks the block's weights: an error, the model unchanged.
    with pytest.raises(ValueError):
        keras.saving.load_weights(target, path)


def test_objects_to_skip_load_keeps_skipped_layer(tmp_path):
    source, target = _model(3), _model(4)
    path = tmp_path / "all.weights.h5"
    source.save_weights(path)
    kept = _values(target.layers[0])
    keras.saving.load_weights(target, path, objects_to_skip=[target.layers[0]])
    for got, want in zip(_values(target.layers[0]), kept):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(
        target.layers[1].weights + target.layers[2].weights,
        source.layers[1].weights + source.layers[2].weights,
    ):
        np.testing.assert_array_equal(ops.convert_to_numpy(got), ops.convert_to_numpy(want))
    # `objects_to_skip=[]` loads everything.
    target.load_weights(path, objects_to_skip=[])
    for got, want in zip(target.weights, source.weights):
        np.testing.assert_array_equal(ops.convert_to_numpy(got), ops.convert_to_numpy(want))


def test_objects_to_skip_refused_for_keras_and_legacy_files(tmp_path):
    model = _model(5)
    for name in ("m.keras", "m.h5"):
        with pytest.raises(ValueError, match="objects_to_skip"):
            model.load_weights(tmp_path / name, objects_to_skip=[])
    with pytest.raises(TypeError, match="unexpected_arg"):
        keras.saving.save_weights(model, tmp_path / "x.weights.h5", unexpected_arg=1)
