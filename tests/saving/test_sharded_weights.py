"""Sharded weights files: `model.save_weights("m.weights.json", max_shard_size=...)` and
`model.load_weights("m.weights.json")`, in Keras 3.15.1's format (an index
`m.weights.json` and shards `m_00000.weights.h5`, ...).

Round trips are exact on every backend, shard sizes and the index are checked with `json`,
`h5py` and NumPy alone, hostile index files and shards are refused with clear errors and
leave the model as it was, and where Keras 3 is installed (the jax env) sets move both ways
between unikeras and Keras 3 (run in a subprocess) with the same weight map.
"""

import importlib.util
import inspect
import json
import os
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pytest

import unikeras as keras
from unikeras.saving import sharded

GB = 1024**3
MAX_BYTES = 200  # every variable of `build` fits; most shards hold one or two


def build(keras, seed, units=3):
    """A compiled functional model (dense, batch norm, dense of `units`) with an Adam
    optimizer, every variable set to values drawn from `seed` (optimizer state included)."""
    import numpy as np

    inputs = keras.Input((6,))
    x = keras.layers.Dense(8)(inputs)
    x = keras.layers.BatchNormalization()(x)
    outputs = keras.layers.Dense(units)(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    model.optimizer.build(model.trainable_variables)
    rng = np.random.default_rng(seed)
    # positive values: batch norm's moving variance must stay a variance
    model.set_weights(
        [rng.uniform(0.1, 1.0, size=w.shape).astype(w.dtype) for w in model.get_weights()]
    )
    for variable in model.optimizer.variables:
        dtype = keras.backend.standardize_dtype(variable.dtype)
        if "int" in dtype:
            variable.assign(np.array(int(rng.integers(1, 100)), dtype))
        else:
            variable.assign(rng.normal(size=variable.shape).astype(dtype))
    return model


def _state(model):
    return [np.asarray(v) for v in model.get_weights()] + [
        keras.ops.convert_to_numpy(v) for v in model.optimizer.variables
    ]


def _assert_state_equal(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert a.shape == e.shape and a.dtype == e.dtype
        np.testing.assert_array_equal(a, e)


def _shard_files(folder, base="m"):
    return sorted(
        f for f in os.listdir(folder) if f.startswith(f"{base}_") and f.endswith(".weights.h5")
    )


def _datasets(path):
    """{group path/key: NumPy value} of a shard file, read with h5py alone."""
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(
            lambda name, obj: (
                found.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None
            )
        )
    return found


@pytest.fixture
def saved(tmp_path):
    """A model saved in shards of at most `MAX_BYTES`: (model, its state, index path)."""
    model = build(keras, seed=0)
    index = tmp_path / "m.weights.json"
    model.save_weights(index, max_shard_size=MAX_BYTES / GB)
    return model, _state(model), index


def test_round_trip_is_exact_and_shards_respect_the_size(saved, tmp_path):
    model, state, index = saved
    files = _shard_files(tmp_path)
    # consecutive Keras 3 shard names, and nothing but the set in the folder
    assert files == [f"m_{i:05}.weights.h5" for i in range(len(files))]
    assert len(files) >= 5
    assert sorted(os.listdir(tmp_path)) == sorted(files + ["m.weights.json"])
    stored = {}
    for name in files:
        values = _datasets(tmp_path / name)
        assert sum(v.nbytes for v in values.values()) <= MAX_BYTES
        stored.update({(name, key): value for key, value in values.items()})
    config = json.loads(index.read_text())
    assert config["metadata"]["total_size"] == sum(s.nbytes for s in state)
    # every group maps to the shards holding its values (a list once it has two values)
    for group, names in config["weight_map"].items():
        names = [names] if isinstance(names, str) else names
        holders = sorted({n for (n, key) in stored if "/" + key.rsplit("/", 1)[0] == group})
        assert sorted(names) == holders
    assert any(isinstance(n, list) and len(n) > 1 for n in config["weight_map"].values())

    fresh = build(keras, seed=1)
    assert not all(np.array_equal(a, b) for a, b in zip(_state(fresh), state))
    fresh.load_weights(index)
    _assert_state_equal(_state(fresh), state)
    probe = np.random.default_rng(2).normal(size=(2, 6)).astype("float32")
    np.testing.assert_array_equal(fresh.predict(probe, verbose=0), model.predict(probe, verbose=0))


def test_loads_with_one_shard_open_at_a_time(saved, monkeypatch):
    # the optimizer's values span several shards: each is reopened (and audited) as needed
    _, state, index = saved
    monkeypatch.setattr(sharded, "_OPEN_SHARDS", 1)
    fresh = build(keras, seed=1)
    fresh.load_weights(index)
    _assert_state_equal(_state(fresh), state)


def test_skip_mismatch_loads_the_matching_layers(saved):
    model, _, index = saved
    other = build(keras, seed=1, units=4)
    last_before = [w.copy() for w in other.layers[-1].get_weights()]
    with pytest.warns(UserWarning, match=r"the file holds shape \(8, 3\)"):
        other.load_weights(index, skip_mismatch=True)
    for layer in (1, 2):
        for a, e in zip(other.layers[layer].get_weights(), model.layers[layer].get_weights()):
            np.testing.assert_array_equal(a, e)
    for a, e in zip(other.layers[-1].get_weights(), last_before):
        np.testing.assert_array_equal(a, e)
    with pytest.raises(ValueError, match=r"the file holds shape \(8, 3\)"):
        build(keras, seed=1, units=4).load_weights(index)


def test_saving_functions_and_h5_path_renamed_with_a_warning(tmp_path):
    model = build(keras, seed=0)
    with pytest.warns(UserWarning, match=r"renamed to .*w\.weights\.json"):
        keras.saving.save_weights(model, tmp_path / "w.weights.h5", max_shard_size=MAX_BYTES / GB)
    assert not (tmp_path / "w.weights.h5").exists()
    assert (tmp_path / "w.weights.json").is_file() and len(_shard_files(tmp_path, "w")) > 1
    fresh = build(keras, seed=1)
    keras.saving.load_weights(fresh, tmp_path / "w.weights.json")
    _assert_state_equal(_state(fresh), _state(model))


@pytest.mark.parametrize(
    "filename, size, match",
    [
        ("m.keras", 1.0, "must end in `.weights.json`"),
        ("m.weights.json", None, "must end in `.weights.h5`"),
        ("m.weights.json", 0, "positive number of GB"),
        ("m.weights.json", -1.0, "positive number of GB"),
        ("m.weights.json", "1", "positive number of GB"),
        ("m.weights.json", True, "positive number of GB"),
        ("m.weights.json", float("nan"), "positive number of GB"),
    ],
)
def test_invalid_arguments_are_refused(tmp_path, filename, size, match):
    model = build(keras, seed=0)
    with pytest.raises(ValueError, match=match):
        model.save_weights(tmp_path / filename, max_shard_size=size)
    assert os.listdir(tmp_path) == []


def test_too_large_variable_and_failed_save_leave_old_set(saved, tmp_path):
    model, state, index = saved
    before = {f: (tmp_path / f).read_bytes() for f in os.listdir(tmp_path)}
    with pytest.raises(ValueError, match=r"layers/dense/vars/0 is 192\.00B which exceeds"):
        build(keras, seed=3).save_weights(index, max_shard_size=100 / GB)
    other = build(keras, seed=4)
    layer = other.layers[-1]
    layer.save_own_variables = lambda store: (_ for _ in ()).throw(RuntimeError("disk full"))
    with pytest.raises(RuntimeError, match="disk full"):
        other.save_weights(index, max_shard_size=MAX_BYTES / GB)
    # no temporary file left, the old set byte for byte
    assert {f: (tmp_path / f).read_bytes() for f in os.listdir(tmp_path)} == before
    fresh = build(keras, seed=1)
    fresh.load_weights(index)
    _assert_state_equal(_state(fresh), state)


def test_overwrite_false_asks_and_a_new_save_replaces_the_set(saved, tmp_path, monkeypatch):
    _, _, index = saved
    second = build(keras, seed=5)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    second.save_weights(index, overwrite=False, max_shard_size=MAX_BYTES / GB)
    fresh = build(keras, seed=1)
    fresh.load_weights(index)
    assert not np.array_equal(fresh.get_weights()[0], second.get_weights()[0])
    second.save_weights(index, max_shard_size=1.0)  # one shard now; m_00001... are stale
    fresh.load_weights(index)
    _assert_state_equal(_state(fresh), _state(second))
    weight_map = json.loads(index.read_text())["weight_map"]
    assert {n for v in weight_map.values() for n in ([v] if isinstance(v, str) else v)} == {
        "m_00000.weights.h5"
    }


# --- hostile index files and shards ---------------------------------------------------------
def _edit_index(index, edit):
    config = json.loads(index.read_text())
    edit(config["weight_map"], config)
    index.write_text(json.dumps(config))


def _first_group(weight_map, group="/layers/dense_1/vars"):
    names = weight_map[group]
    return [names] if isinstance(names, str) else names


def _retarget(name):
    def edit(weight_map, config):
        weight_map["/layers/dense_1/vars"] = name

    return edit


def _link_outside(index):
    outside = index.parent / "outside"
    outside.mkdir()
    target = outside / "m_00000.weights.h5"
    os.replace(index.parent / "m_00000.weights.h5", target)
    os.symlink(target, index.parent / "m_00000.weights.h5")


def _wrong_shape(index):
    weight_map = json.loads(index.read_text())["weight_map"]
    shard = index.parent / _first_group(weight_map)[-1]
    with h5py.File(shard, "r+") as f:
        group = f["layers/dense_1/vars"]
        key = sorted(group)[-1]
        del group[key]
        group[key] = np.zeros((5, 5), "float32")


def _foreign_shard(index):
    other = index.parent / "other"
    other.mkdir()
    build(keras, seed=6).save_weights(other / "m.weights.json", max_shard_size=MAX_BYTES / GB)
    name = _first_group(json.loads(index.read_text())["weight_map"])[-1]
    os.replace(other / name, index.parent / name)


def _twice_in_shards(index):
    weight_map = json.loads(index.read_text())["weight_map"]
    shard = _first_group(weight_map)[-1]
    holder = _first_group(weight_map, "/layers/dense/vars")[0]
    with h5py.File(index.parent / shard, "r") as f:
        key = sorted(f["layers/dense_1/vars"])[0]
        value = f["layers/dense_1/vars"][key][()]
    with h5py.File(index.parent / holder, "r+") as f:
        f.require_group("layers/dense_1/vars")[key] = np.zeros_like(value)

    def edit(weight_map, config):
        weight_map["/layers/dense_1/vars"] = [holder, shard]

    _edit_index(index, edit)


def _external_link(index):
    shard = _first_group(json.loads(index.read_text())["weight_map"])[-1]
    with h5py.File(index.parent / shard, "r+") as f:
        f["layers/dense_1/vars/extra"] = h5py.ExternalLink("/etc/passwd", "/")


HOSTILE = {
    "traversal": (
        lambda i: _edit_index(i, _retarget("../m_00000.weights.h5")),
        "not a plain file name",
    ),
    "absolute": (
        lambda i: _edit_index(i, _retarget("/tmp/m_00000.weights.h5")),
        "not a plain file name",
    ),
    "backslash": (
        lambda i: _edit_index(i, _retarget("..\\m_00000.weights.h5")),
        "not a plain file name",
    ),
    "not a shard name": (lambda i: _edit_index(i, _retarget("m.weights.json")), "does not end in"),
    "listed twice": (
        lambda i: _edit_index(i, _retarget(["m_00000.weights.h5", "m_00000.weights.h5"])),
        "lists a shard twice",
    ),
    "missing shard": (
        lambda i: _edit_index(i, _retarget("m_00099.weights.h5")),
        "'m_00099.weights.h5' listed in its weight_map is missing",
    ),
    "duplicate key": (
        lambda i: i.write_text(
            '{"weight_map": {"/vars": "m_00000.weights.h5", "/vars": "m_00001.weights.h5"}}'
        ),
        r"names \['/vars'\] more than once",
    ),
    "not json": (lambda i: i.write_text("{weight_map"), "not valid JSON"),
    "no weight_map": (lambda i: i.write_text('{"metadata": {}}'), "'weight_map' object"),
    "bad group path": (
        lambda i: _edit_index(i, lambda w, c: w.update({"layers/x/vars": "m_00000.weights.h5"})),
        "not a weights group path",
    ),
    "bad total_size": (
        lambda i: _edit_index(i, lambda w, c: c["metadata"].update(total_size="big")),
        "total_size 'big' is not a size",
    ),
    "link outside": (_link_outside, "link to a file outside the index's folder"),
    "not hdf5": (
        lambda i: (i.parent / "m_00000.weights.h5").write_bytes(b"not an hdf5 file" * 8),
        "not an HDF5 weights file",
    ),
    "wrong shape": (_wrong_shape, r"shape \(5, 5\)"),
    "foreign shard": (_foreign_shard, "belongs to another save than the index"),
    "key in two shards": (_twice_in_shards, "is in two shards"),
    "external link": (_external_link, "external link"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_sets_are_refused_and_the_model_is_unchanged(saved, case):
    _, _, index = saved
    damage, match = HOSTILE[case]
    damage(index)
    victim = build(keras, seed=7)
    before = _state(victim)
    with pytest.raises(ValueError, match=match):
        victim.load_weights(index)
    _assert_state_equal(_state(victim), before)


def test_oversized_index_is_refused_before_parsing(saved, monkeypatch):
    _, _, index = saved
    monkeypatch.setattr(sharded, "MAX_INDEX_BYTES", 64)
    with pytest.raises(ValueError, match=r"the index is \d+ bytes \(at most 64\)"):
        build(keras, seed=7).load_weights(index)


def _mutate_index(text, rng):
    """A seeded random mutation of an index: a byte flipped, a value replaced by one of
    another type or a hostile name, an entry dropped, or two entries' shards swapped."""
    kind = int(rng.integers(4))
    if kind == 0:
        data = bytearray(text.encode())
        data[int(rng.integers(len(data)))] = int(rng.integers(256))
        return bytes(data)
    config = json.loads(text)
    weight_map = config["weight_map"]
    keys = sorted(weight_map)
    key = keys[int(rng.integers(len(keys)))]
    if kind == 1:
        values = [0, None, {}, [], "", "x" * 300, [1, "m_00000.weights.h5"], "..", "/etc/passwd"]
        values += [f"m_{int(rng.integers(50)):05}.weights.h5", [["m_00000.weights.h5"]]]
        weight_map[key] = values[int(rng.integers(len(values)))]
    elif kind == 2:
        del weight_map[key]
    else:
        other = keys[int(rng.integers(len(keys)))]
        weight_map[key], weight_map[other] = weight_map[other], weight_map[key]
    return json.dumps(config).encode()


def test_fuzzed_index_files_load_exactly_or_fail_cleanly(saved):
    model, state, index = saved
    text = index.read_text()
    victim = build(keras, seed=7)
    before = _state(victim)
    rng = np.random.default_rng(20261207)
    failures = 0
    for _ in range(60):
        index.write_bytes(_mutate_index(text, rng))
        try:
            victim.load_weights(index)
        except ValueError as error:
            failures += 1
            # names the index, a shard or the layer that could not be filled
            assert any(w in str(error) for w in ("m.weights.json", "shard", "Layer '")), error
            _assert_state_equal(_state(victim), before)
            continue
        # a load that succeeds (e.g. a swap of two identical entries) loads the saved layers
        _assert_state_equal(victim.get_weights(), model.get_weights())
        victim = build(keras, seed=7)
    assert failures > 40


# --- Keras 3 interoperability ---------------------------------------------------------------
def _keras3_backend():
    """The engine for Keras 3: unikeras' own when Keras 3 has it, else JAX when installed
    (the jax env's), else any other; None when Keras 3 or every engine is missing. (The
    optimizer's iteration counter is int64 on TensorFlow, int32 elsewhere, in Keras 3 and
    unikeras alike: across those engines the states and shard sizes would differ.)"""
    if importlib.util.find_spec("keras") is None:
        return None
    engines = ("jax", "torch", "tensorflow")
    if keras.backend.backend() in engines:
        engines = (keras.backend.backend(),) + engines
    return next((e for e in engines if importlib.util.find_spec(e) is not None), None)


KERAS3_BACKEND = _keras3_backend()


def _keras3_side(keras, folder, max_bytes):
    """In Keras 3: loads unikeras' set, saves its own; both states go to `.npz` files."""
    import os

    import numpy as np

    def state(model):
        return [keras.ops.convert_to_numpy(v) for v in model.weights] + [
            keras.ops.convert_to_numpy(v) for v in model.optimizer.variables
        ]

    model = build(keras, seed=1)
    model.load_weights(os.path.join(folder, "ours.weights.json"))
    np.savez(os.path.join(folder, "ours_in_keras3.npz"), *state(model))
    model = build(keras, seed=8)
    model.save_weights(
        os.path.join(folder, "theirs.weights.json"), max_shard_size=max_bytes / 2**30
    )
    np.savez(os.path.join(folder, "theirs.npz"), *state(model))


@pytest.mark.skipif(
    KERAS3_BACKEND is None,
    reason="Keras 3 (`pip install keras`) and one of its engines are not installed here "
    "(the jax env has them); the other tests check the format without it",
)
def test_sharded_sets_move_both_ways_with_keras3(tmp_path):
    ours = build(keras, seed=0)
    ours.save_weights(tmp_path / "ours.weights.json", max_shard_size=MAX_BYTES / GB)
    source = "\n\n".join(textwrap.dedent(inspect.getsource(f)) for f in (build, _keras3_side))
    script = (
        f"import sys\nimport keras\n\n{source}\n\n_keras3_side(keras, sys.argv[1], {MAX_BYTES})\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND=KERAS3_BACKEND, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]

    def stored(name):
        with np.load(tmp_path / name) as f:
            return [f[f"arr_{i}"] for i in range(len(f.files))]

    # Keras 3 read every value of unikeras' set exactly
    _assert_state_equal(stored("ours_in_keras3.npz"), _state(ours))
    # unikeras reads Keras 3's set exactly
    theirs = build(keras, seed=1)
    theirs.load_weights(tmp_path / "theirs.weights.json")
    _assert_state_equal(_state(theirs), stored("theirs.npz"))
    # same shards, same weight map, same total size
    ours_index = json.loads((tmp_path / "ours.weights.json").read_text())
    theirs_index = json.loads((tmp_path / "theirs.weights.json").read_text())
    assert ours_index["weight_map"] == {
        k: [v.replace("theirs_", "ours_") for v in names]
        if isinstance(names, list)
        else names.replace("theirs_", "ours_")
        for k, names in theirs_index["weight_map"].items()
    }
    assert ours_index["metadata"]["total_size"] == theirs_index["metadata"]["total_size"]
    assert len(_shard_files(tmp_path, "ours")) == len(_shard_files(tmp_path, "theirs"))
