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
        layer["config"] = {
            "name": "hidden",
            "trainable": True,
            "function": {
                "class_name": "__lambda__",
                "config": {"code": code, "defaults": None, "closure": None, "module": "os"},
            },
            "arguments": {},
        }

    path = _with_config(good_file, tmp_path, edit)
    _refused(path, "bytecode|safe_mode", victim)


@pytest.mark.parametrize(
    "module,name",
    [
        ("os", "system"),
        ("subprocess", "Popen"),
        ("builtins", "eval"),
        ("builtins", "exec"),
        ("posix", "system"),
    ],
)
def test_config_naming_dangerous_class(good_file, tmp_path, sentinel, victim, module, name):
    def edit(config):
        layer = _dense_config(config)
        layer.update(module=module, class_name=name, registered_name=None)
        layer["config"] = {"command": f"touch {sentinel}"}

    _refused(_with_config(good_file, tmp_path, edit), f"{module}.{name}", victim)
    _refused(_with_config(good_file, tmp_path, edit), f"{module}.{name}", victim, safe_mode=False)


@pytest.mark.parametrize(
    "module,name", [("os", "system"), ("builtins", "eval"), ("keras.layers", "__builtins__")]
)
def test_config_naming_dangerous_function(good_file, tmp_path, sentinel, victim, module, name):
    def edit(config):
        _dense_config(config)["config"]["activation"] = {
            "module": module,
            "class_name": "function",
            "config": name,
            "registered_name": name,
        }

    _refused(_with_config(good_file, tmp_path, edit), name, victim)


def test_dangerous_names_in_compile_config(good_file, tmp_path, sentinel, victim):
    def edit(config):
        config["compile_config"]["loss"] = {
            "module": "os",
            "class_name": "function",
            "config": "system",
            "registered_name": None,
        }

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
    data[start + 100 : start + 300] = bytes(b ^ 0xFF for b in data[start + 100 : start + 300])
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
    _refused(
        _edit_weights(good_file, tmp_path, lambda f: f.__delitem__("layers/dense_1")),
        "no entry",
        victim,
    )


def test_non_numeric_weights(good_file, tmp_path, victim):
    def edit(f):
        del f["layers/dense/vars/1"]
        f["layers/dense/vars/1"] = np.array([b"a", b"b", b"c"])

    _refused(_edit_weights(good_file, tmp_path, edit), "vars/1.*string datatype", victim)


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


# --- HDF5 features that could read from outside the file -------------------------------------
# Each case edits the good file's weights so that the first Dense kernel (shape (4, 3)) would
# come from elsewhere: a secret file on disk holding MARKER, or a construct weights never use.
# All hostile files are loaded in ONE subprocess (through load_model, and load_weights on the
# `.keras` and on a `.weights.h5` file); each load must fail naming the entry and the feature,
# and MARKER must never reach the model.
MARKER = 31337.0
KERNEL = "layers/dense/vars/0"


def _checksummed_patch(data, name, offset_from_name, value):
    """Sets the byte `offset_from_name` before `name` to `value` in a version-2 HDF5 object
    header and recomputes the header's Jenkins lookup3 checksum (found by trying ends)."""
    start_name = data.index(name)
    start = data.rindex(b"OHDR", 0, start_name)
    end = next(
        e
        for e in range(start_name, min(len(data) - 3, start + 8192))
        if _lookup3(bytes(data[start:e])) == int.from_bytes(data[e : e + 4], "little")
    )
    data[start_name - offset_from_name] = value
    data[end : end + 4] = _lookup3(bytes(data[start:end])).to_bytes(4, "little")


def _lookup3(data):
    """HDF5's metadata checksum (Bob Jenkins' lookup3 `hashlittle`, initial value 0)."""
    mask = 0xFFFFFFFF

    def rot(x, k):
        return ((x << k) | (x >> (32 - k))) & mask

    a = b = c = (0xDEADBEEF + len(data)) & mask
    words = [
        int.from_bytes(data[i : i + 4].ljust(4, b"\0"), "little") for i in range(0, len(data), 4)
    ]
    full = (len(data) - 1) // 12 if data else 0
    for block in range(full):
        a, b, c = [(x + w) & mask for x, w in zip((a, b, c), words[3 * block : 3 * block + 3])]
        a = (a - c) & mask
        a ^= rot(c, 4)
        c = (c + b) & mask  # noqa: E702
        b = (b - a) & mask
        b ^= rot(a, 6)
        a = (a + c) & mask  # noqa: E702
        c = (c - b) & mask
        c ^= rot(b, 8)
        b = (b + a) & mask  # noqa: E702
        a = (a - c) & mask
        a ^= rot(c, 16)
        c = (c + b) & mask  # noqa: E702
        b = (b - a) & mask
        b ^= rot(a, 19)
        a = (a + c) & mask  # noqa: E702
        c = (c - b) & mask
        c ^= rot(b, 4)
        b = (b + a) & mask  # noqa: E702
    if not data:
        return c
    tail = (words[3 * full :] + [0, 0, 0])[:3]
    a, b, c = [(x + w) & mask for x, w in zip((a, b, c), tail)]
    c ^= b
    c = (c - rot(b, 14)) & mask  # noqa: E702
    a ^= c
    a = (a - rot(c, 11)) & mask  # noqa: E702
    b ^= a
    b = (b - rot(a, 25)) & mask  # noqa: E702
    c ^= b
    c = (c - rot(b, 16)) & mask  # noqa: E702
    a ^= c
    a = (a - rot(c, 4)) & mask  # noqa: E702
    b ^= a
    b = (b - rot(a, 14)) & mask  # noqa: E702
    c ^= b
    c = (c - rot(b, 24)) & mask  # noqa: E702
    return c


def _replace_kernel(f, **kwargs):
    del f[KERNEL]
    return f["layers/dense/vars"].create_dataset("0", **kwargs)


def _external_storage(f, secret):
    _replace_kernel(f, shape=(4, 3), dtype="float32", external=[(secret["bin"], 0, 48)])


def _virtual_dataset(f, secret):
    layout = h5py.VirtualLayout(shape=(4, 3), dtype="float32")
    layout[:] = h5py.VirtualSource(secret["h5"], KERNEL, shape=(4, 3))
    del f[KERNEL]
    f["layers/dense/vars"].create_virtual_dataset("0", layout)


def _external_link_dataset(f, secret):
    del f[KERNEL]
    f[KERNEL] = h5py.ExternalLink(secret["h5"], KERNEL)


def _external_link_group(f, secret):
    del f["layers/dense"]
    f["layers/dense"] = h5py.ExternalLink(secret["h5"], "layers/dense")


def _soft_link(f, secret):
    f["stash"] = np.full((4, 3), MARKER, "float32")
    del f[KERNEL]
    f[KERNEL] = h5py.SoftLink("/stash")


def _second_hard_link(f, secret):
    f["stash"] = np.full((4, 3), MARKER, "float32")
    del f[KERNEL]
    f[KERNEL] = f["stash"]


def _object_reference(f, secret):
    f["stash"] = np.full((4, 3), MARKER, "float32")
    _replace_kernel(f, shape=(4, 3), dtype=h5py.ref_dtype)[0, 0] = f["stash"].ref


def _region_reference(f, secret):
    f["stash"] = np.full((4, 3), MARKER, "float32")
    dataset = _replace_kernel(f, shape=(4, 3), dtype=h5py.regionref_dtype)
    dataset[0, 0] = f["stash"].regionref[0:1]


def _reference_attribute(f, secret):
    f["stash"] = np.full((4, 3), MARKER, "float32")
    f[KERNEL].attrs.create("source", f["stash"].ref, dtype=h5py.ref_dtype)


def _committed_datatype(f, secret):
    f["layers/dense/vars/kind"] = np.dtype("float32")


def _unknown_filter(f, secret):
    _replace_kernel(f, data=np.full((4, 3), MARKER, "float32"), chunks=(4, 3), scaleoffset=2)


def _oversized_chunk(f, secret):
    _replace_kernel(
        f, data=np.full((4, 3), MARKER, "float32"), maxshape=(None, 3), chunks=(2**17, 3)
    )


def _null_dataspace(f, secret):
    _replace_kernel(f, data=h5py.Empty("float32"))


def _dtype_case(dtype, data):
    def edit(f, secret):
        if data is None:
            _replace_kernel(f, shape=(4, 3), dtype=dtype)
        else:
            _replace_kernel(f, data=np.asarray(data, dtype=dtype), dtype=dtype)

    return edit


_FEATURES = {
    "external_storage": (_external_storage, "external storage"),
    "virtual_dataset": (_virtual_dataset, "virtual"),
    "external_link_dataset": (_external_link_dataset, "external link"),
    "external_link_group": (_external_link_group, "external link"),
    "soft_link": (_soft_link, "soft link"),
    "user_defined_link": (None, "user-defined link"),
    "second_hard_link": (_second_hard_link, "more than one hard link"),
    "object_reference": (_object_reference, "reference datatype"),
    "region_reference": (_region_reference, "reference datatype"),
    "reference_attribute": (_reference_attribute, "reference attribute"),
    "committed_datatype": (_committed_datatype, "committed"),
    "unknown_filter": (_unknown_filter, "filter"),
    "oversized_chunk": (_oversized_chunk, "chunks of"),
    "null_dataspace": (_null_dataspace, "null dataspace"),
    "string": (_dtype_case(h5py.string_dtype(), [["a"] * 3] * 4), "string datatype"),
    "bytes": (_dtype_case("S4", [[b"abcd"] * 3] * 4), "string datatype"),
    "compound": (
        _dtype_case([("a", "f4"), ("b", "i4")], np.zeros((4, 3), "f4,i4")),
        "compound datatype",
    ),
    "vlen": (_dtype_case(h5py.vlen_dtype("float32"), None), "variable-length datatype"),
    "enum": (
        _dtype_case(h5py.enum_dtype({"A": 0, "B": 1}, basetype="i1"), np.zeros((4, 3), "i1")),
        "enum datatype",
    ),
    "opaque": (_dtype_case("V4", None), "opaque datatype"),
    "array": (_dtype_case(np.dtype(("f4", (2,))), None), "array datatype"),
}


def _user_defined_link(good_h5, tmp_path):
    """A link of user-defined class 65: h5py cannot write one, so a soft link in a
    creation-ordered group (version-2 header) is rewritten byte-wise."""
    path = tmp_path / "ud.h5"
    path.write_bytes(good_h5)
    with h5py.File(path, "a") as f:
        f["stash"] = np.full((4, 3), MARKER, "float32")
        del f["layers/dense"]
        group = f.create_group("layers/dense", track_order=True)
        group.create_group("vars", track_order=True)
        group["vars"]["0"] = np.zeros((4, 3), "float32")
        group["vars"]["1"] = np.zeros((3,), "float32")
        group["vars"]["2udlink"] = h5py.SoftLink("/stash")
    data = bytearray(path.read_bytes())
    # link message: version 1, flags 0x0c, link type, creation order (8), name length, name
    name_at = data.index(b"2udlink")
    assert data[name_at - 11] == 0x0C and data[name_at - 10] == 1
    _checksummed_patch(data, b"2udlink", 10, 65)
    return bytes(data)


_LOADER = r"""
import json, sys
import numpy as np
import unikeras as keras
from unikeras import layers

def victim():
    inputs = keras.Input((4,))
    x = layers.Dense(3, name="hidden")(inputs)
    return keras.Model(inputs, layers.Dense(2, name="out")(x))

results = {}
for name, keras_path, weights_path in json.loads(sys.argv[1]):
    outcome = {}
    for mode in ("load_model", "load_weights_keras", "load_weights_h5"):
        model = victim()
        try:
            if mode == "load_model":
                model = keras.models.load_model(keras_path)
            else:
                model.load_weights(keras_path if mode == "load_weights_keras"
                                   else weights_path)
            outcome[mode] = {"values": [float(v) for w in model.get_weights()
                                        for v in np.ravel(w)]}
        except Exception as e:
            outcome[mode] = {"error": f"{type(e).__name__}: {e}"}
    results[name] = outcome
print("RESULTS" + json.dumps(results))
"""


@pytest.fixture(scope="module")
def hdf5_feature_results(tmp_path_factory):
    """Builds one hostile `.keras` and `.weights.h5` per HDF5 feature and loads them all in
    one subprocess; returns {feature: {mode: {"error": ...} or {"values": [...]}}}."""
    import subprocess
    import sys

    tmp_path = tmp_path_factory.mktemp("hdf5_features")
    inputs = keras.Input((4,))
    x = layers.Dense(3, name="hidden")(inputs)
    model = keras.Model(inputs, layers.Dense(2, name="out")(x))
    good = tmp_path / "good.keras"
    model.save(good)
    entries = _read(good)
    secret = {"bin": str(tmp_path / "secret.bin"), "h5": str(tmp_path / "secret.h5")}
    np.full((4, 3), MARKER, "float32").tofile(secret["bin"])
    with h5py.File(secret["h5"], "w") as f:
        f[KERNEL] = np.full((4, 3), MARKER, "float32")
        f["layers/dense/vars/1"] = np.full((3,), MARKER, "float32")
    jobs = []
    for name, (edit, _) in _FEATURES.items():
        h5_path = tmp_path / f"{name}.weights.h5"
        if edit is None:
            h5_path.write_bytes(_user_defined_link(entries["model.weights.h5"], tmp_path))
        else:
            h5_path.write_bytes(entries["model.weights.h5"])
            with h5py.File(h5_path, "a") as f:
                edit(f, secret)
        keras_path = _write(
            tmp_path / f"{name}.keras", dict(entries, **{"model.weights.h5": h5_path.read_bytes()})
        )
        jobs.append((name, str(keras_path), str(h5_path)))
    result = subprocess.run(
        [sys.executable, "-c", _LOADER, json.dumps(jobs)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULTS"))
    return json.loads(line[len("RESULTS") :]), secret


def test_secret_is_readable_through_plain_h5py(hdf5_feature_results, tmp_path):
    """The hole is real: without the audit, h5py hands the secret's bytes to a reader."""
    _, secret = hdf5_feature_results
    for edit in (_external_storage, _virtual_dataset, _external_link_dataset):
        path = tmp_path / "probe.h5"
        with h5py.File(path, "w") as f:
            f.create_group("layers/dense/vars")
            f[KERNEL] = np.zeros((4, 3), "float32")
            edit(f, secret)
        with h5py.File(path, "r") as f:
            np.testing.assert_array_equal(f[KERNEL][()], np.full((4, 3), MARKER))


@pytest.mark.parametrize("feature", sorted(_FEATURES))
def test_hdf5_feature_refused(hdf5_feature_results, feature):
    results, _ = hdf5_feature_results
    expected = _FEATURES[feature][1]
    for mode, outcome in results[feature].items():
        assert "values" not in outcome or MARKER not in outcome["values"], (
            f"{mode}: the secret reached the model"
        )
        assert "error" in outcome, f"{mode}: loaded a file using {feature}"
        message = outcome["error"]
        assert message.startswith("ValueError"), message
        assert expected in message, message
        assert "layers/dense" in message or "/stash" in message, message


def test_backup_and_restore_refuses_external_storage(tmp_path, victim):
    """BackupAndRestore resumes through the same audited reader."""
    model, before = victim
    backup = tmp_path / "backup"
    callback = keras.callbacks.BackupAndRestore(backup)
    callback.set_model(model)
    callback._backup(3)
    secret = tmp_path / "secret.bin"
    np.full((4, 3), MARKER, "float32").tofile(secret)
    with h5py.File(backup / "latest.weights.h5", "a") as f:
        _external_storage(f, {"bin": str(secret)})
    with pytest.raises(ValueError, match="external storage"):
        callback.on_train_begin()
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


# --- saved files follow the umask ------------------------------------------------------------
@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_file_mode_follows_umask(tmp_path, victim, umask, mode):
    model, _ = victim
    previous = os.umask(umask)
    try:
        model.save(tmp_path / "m.keras")
        model.save_weights(tmp_path / "m.weights.h5")
        model.save(tmp_path / "m.keras")  # overwriting keeps the umask's mode too
    finally:
        os.umask(previous)
    for name in ("m.keras", "m.weights.h5"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.keras", "m.weights.h5"], (
        "a temporary file was left behind"
    )


def test_duplicated_zip_entry(good_file, tmp_path, victim):
    entries = list(_read(good_file).items())
    path = tmp_path / "twice.keras"
    with pytest.warns(UserWarning, match="Duplicate"), zipfile.ZipFile(path, "w") as archive:
        for name, data in entries + [("config.json", b'{"class_name": "Sequential"}')]:
            archive.writestr(name, data)
    _refused(path, "config.json.*more than once", victim)
