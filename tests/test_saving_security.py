"""Loading hostile files: each gives a clear `ValueError`, executes nothing (a sentinel file
is never created), fails fast, and leaves the process and an already-built model intact.

The hostile files are built here from a good `.keras` file by editing its config, its
weights or the zip itself.
"""

import base64
import json
import marshal
import os
import time
import zipfile

import h5py
import numpy as np
import pytest

import unikeras as keras
from unikeras import layers


@pytest.fixture
def sentinel(tmp_path):
    """Path that hostile code would create; asserted absent after each test."""
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "code from a file was executed"


@pytest.fixture
def good_file(tmp_path):
    inputs = keras.Input((4,))
    x = layers.Dense(3, name="hidden")(inputs)
    outputs = layers.Dense(2, name="out")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    path = tmp_path / "good.keras"
    model.save(path)
    return path


@pytest.fixture
def victim():
    """An already-built model whose weights must survive every failed load."""
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    return model, [w.copy() for w in model.get_weights()]


def _read(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path, entries, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _with_config(good_file, tmp_path, edit):
    entries = _read(good_file)
    config = json.loads(entries["config.json"])
    edit(config)
    entries["config.json"] = json.dumps(config)
    return _write(tmp_path / "hostile.keras", entries)


def _dense_config(config):
    return config["config"]["layers"][1]


def _refused(path, match, victim, **kwargs):
    model, weights = victim
    start = time.perf_counter()
    with pytest.raises(ValueError, match=match):
        keras.models.load_model(path, **kwargs)
    assert time.perf_counter() - start < 10, "a hostile file must fail fast"
    for before, after in zip(weights, model.get_weights()):
        np.testing.assert_array_equal(before, after)


# --- code in the config ----------------------------------------------------------------------
def test_lambda_with_marshalled_code(good_file, tmp_path, sentinel, victim):
    def payload(x):
        open(PATH, "w").close()  # noqa: F821 - PATH comes from the forged globals
        return x

    code = base64.b64encode(marshal.dumps(payload.__code__)).decode("ascii")

    def edit(config):
        layer = _dense_config(config)
        layer.update(class_name="Lambda", module="keras.layers", registered_name=None)
        layer["config"] = {"name": "hidden", "trainable": True,
                           "function": {"class_name": "__lambda__",
                                        "config": {"code": code, "defaults": None,
                                                   "closure": None, "module": "os"}},
                           "arguments": {}}

    path = _with_config(good_file, tmp_path, edit)
    _refused(path, "bytecode|safe_mode", victim)


@pytest.mark.parametrize("module,name", [("os", "system"), ("subprocess", "Popen"),
                                         ("builtins", "eval"), ("builtins", "exec"),
                                         ("posix", "system")])
def test_config_naming_dangerous_class(good_file, tmp_path, sentinel, victim, module, name):
    def edit(config):
        layer = _dense_config(config)
        layer.update(module=module, class_name=name, registered_name=None)
        layer["config"] = {"command": f"touch {sentinel}"}

    _refused(_with_config(good_file, tmp_path, edit), f"{module}.{name}", victim)
    _refused(_with_config(good_file, tmp_path, edit), f"{module}.{name}", victim,
             safe_mode=False)


@pytest.mark.parametrize("module,name", [("os", "system"), ("builtins", "eval"),
                                         ("keras.layers", "__builtins__")])
def test_config_naming_dangerous_function(good_file, tmp_path, sentinel, victim, module,
                                          name):
    def edit(config):
        _dense_config(config)["config"]["activation"] = {
            "module": module, "class_name": "function", "config": name,
            "registered_name": name}

    _refused(_with_config(good_file, tmp_path, edit), name, victim)


def test_dangerous_names_in_compile_config(good_file, tmp_path, sentinel, victim):
    def edit(config):
        config["compile_config"]["loss"] = {"module": "os", "class_name": "function",
                                            "config": "system", "registered_name": None}

    _refused(_with_config(good_file, tmp_path, edit), "os.system", victim)


def test_vocabulary_file_outside_the_archive(good_file, tmp_path, sentinel, victim):
    def edit(config):
        _dense_config(config)["config"]["vocabulary"] = "/etc/passwd"

    _refused(_with_config(good_file, tmp_path, edit), "/etc/passwd", victim)


# --- the zip itself --------------------------------------------------------------------------
def test_zip_slip_entry(good_file, tmp_path, victim):
    entries = _read(good_file)
    entries["../../x"] = b"escaped"
    _refused(_write(tmp_path / "slip.keras", entries), "escape", victim)
    assert not (tmp_path.parent / "x").exists()


def test_truncated_zip(good_file, tmp_path, victim):
    data = good_file.read_bytes()
    path = tmp_path / "truncated.keras"
    path.write_bytes(data[: len(data) // 2])
    _refused(path, "truncated", victim)


def test_corrupted_entry(good_file, tmp_path, victim):
    data = bytearray(good_file.read_bytes())
    start = data.index(b"\x89HDF")  # the stored weights file
    data[start + 100: start + 300] = bytes(b ^ 0xFF for b in data[start + 100: start + 300])
    path = tmp_path / "corrupt.keras"
    path.write_bytes(bytes(data))
    _refused(path, "damaged|CRC", victim)


def test_zip_bomb(good_file, tmp_path, victim):
    entries = _read(good_file)
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("metadata.json", "config.json"):
            archive.writestr(name, entries[name])
        chunk = b"\x00" * 2**20
        with archive.open("model.weights.h5", "w", force_zip64=True) as f:
            for _ in range(32):
                f.write(chunk)
    assert path.stat().st_size < 2**20
    _refused(path, "zip bomb", victim)


def test_oversized_config(good_file, tmp_path, victim, monkeypatch):
    monkeypatch.setattr("unikeras.saving.archive.MAX_JSON_BYTES", 2**20)
    entries = _read(good_file)
    entries["config.json"] = b" " * (2**20 + 1)
    _refused(_write(tmp_path / "big.keras", entries), "config.json.*bytes", victim)


def test_not_a_zip(tmp_path, victim):
    path = tmp_path / "plain.keras"
    path.write_text("print('hello')")
    _refused(path, "not a zip", victim)


def test_missing_entry(good_file, tmp_path, victim):
    entries = _read(good_file)
    del entries["model.weights.h5"]
    _refused(_write(tmp_path / "partial.keras", entries), "missing", victim)


# --- the weights -----------------------------------------------------------------------------
def _edit_weights(good_file, tmp_path, edit):
    entries = _read(good_file)
    h5_path = tmp_path / "weights.h5"
    h5_path.write_bytes(entries["model.weights.h5"])
    with h5py.File(h5_path, "a") as f:
        edit(f)
    entries["model.weights.h5"] = h5_path.read_bytes()
    return _write(tmp_path / "edited.keras", entries)


def test_wrong_shape_weights(good_file, tmp_path, victim):
    def edit(f):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = np.zeros((5, 3), "float32")

    _refused(_edit_weights(good_file, tmp_path, edit), r"shape \(4, 3\).*\(5, 3\)", victim)


def test_missing_weights_entry(good_file, tmp_path, victim):
    _refused(_edit_weights(good_file, tmp_path, lambda f: f.__delitem__("layers/dense_1")),
             "no entry", victim)


def test_non_numeric_weights(good_file, tmp_path, victim):
    def edit(f):
        del f["layers/dense/vars/1"]
        f["layers/dense/vars/1"] = np.array([b"a", b"b", b"c"])

    _refused(_edit_weights(good_file, tmp_path, edit), "shape|non-numeric", victim)


# --- load_weights is all or nothing ----------------------------------------------------------
def _weights_file(tmp_path, model):
    path = str(tmp_path / "w.weights.h5")
    model.save_weights(path)
    return path


@pytest.mark.parametrize("damage", ["shape", "missing", "truncated", "not_h5"])
def test_failed_load_weights_leaves_model_unchanged(tmp_path, victim, damage):
    model, before = victim
    donor = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    path = _weights_file(tmp_path, donor)
    if damage in ("shape", "missing"):
        with h5py.File(path, "a") as f:
            del f["layers/dense_1/vars/1"]
            if damage == "shape":
                f["layers/dense_1/vars/1"] = np.zeros((7,), "float32")
    elif damage == "truncated":
        data = open(path, "rb").read()
        open(path, "wb").write(data[: len(data) // 2])
    else:
        open(path, "w").write("not an hdf5 file")
    with pytest.raises(ValueError):
        model.load_weights(path)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_load_weights_skip_mismatch(tmp_path, victim):
    model, before = victim
    donor = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(5)])
    with pytest.warns(UserWarning, match="Skipping"):
        model.load_weights(_weights_file(tmp_path, donor), skip_mismatch=True)
    np.testing.assert_array_equal(model.get_weights()[0], donor.get_weights()[0])
    np.testing.assert_array_equal(model.get_weights()[2], before[2])


def test_unsafe_mode_runs_trusted_lambda(tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, layers.Lambda(lambda x: x * 3.0)(inputs))
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(tmp_path / "lambda.keras")
    loaded = keras.models.load_model(tmp_path / "lambda.keras", safe_mode=False)
    out = keras.ops.convert_to_numpy(loaded(np.ones((1, 2), "float32")))
    np.testing.assert_array_equal(out, np.full((1, 2), 3.0, "float32"))
    assert os.getcwd()  # the process is intact
