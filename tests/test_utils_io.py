"""keras.utils helpers: image I/O, pad_sequences, normalize, to_categorical, get_file, Config,
registry re-exports, legacy serialization, get_source_inputs, is_keras_tensor."""

import hashlib
import io
import os
import tarfile
import zipfile

import numpy as np
import pytest

import unikeras as keras
from unikeras import utils

KERAS_UTILS = (
    "Config CustomObjectScope FeatureSpace Progbar PyDataset Sequence array_to_img "
    "audio_dataset_from_directory bounding_boxes clear_session custom_object_scope "
    "deserialize_keras_object disable_interactive_logging enable_interactive_logging "
    "get_custom_objects get_file get_registered_name get_registered_object "
    "get_source_inputs image_dataset_from_directory img_to_array "
    "is_interactive_logging_enabled is_keras_tensor legacy load_img model_to_dot "
    "normalize pack_x_y_sample_weight pad_sequences plot_model "
    "register_keras_serializable save_img serialize_keras_object set_random_seed "
    "split_dataset standardize_dtype text_dataset_from_directory "
    "timeseries_dataset_from_array to_categorical unpack_x_y_sample_weight"
).split()


def test_every_keras_utils_name_is_listed():
    assert sorted(KERAS_UTILS) == sorted(n for n in dir(utils) if n in KERAS_UTILS)


@pytest.mark.parametrize("name", KERAS_UTILS)
def test_keras_utils_name_resolves(name):
    assert getattr(utils, name) is not None


def test_signatures_match_keras(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", os.environ.get("KERAS_BACKEND", "numpy"))
    keras3 = pytest.importorskip("keras")
    import inspect

    for name in (
        "pad_sequences",
        "load_img",
        "save_img",
        "array_to_img",
        "img_to_array",
        "get_file",
        "normalize",
        "to_categorical",
        "split_dataset",
        "timeseries_dataset_from_array",
        "image_dataset_from_directory",
        "text_dataset_from_directory",
        "audio_dataset_from_directory",
        "get_source_inputs",
    ):
        ours = inspect.signature(getattr(utils, name)).parameters
        theirs = inspect.signature(getattr(keras3.utils, name)).parameters
        assert [(p.name, p.default) for p in ours.values()] == [
            (p.name, p.default) for p in theirs.values()
        ], name
    ours = inspect.signature(keras.preprocessing.image.smart_resize).parameters
    assert list(ours)[:4] == ["x", "size", "interpolation", "data_format"]


# ------------------------------------------------------------------ pad_sequences


def _pad_reference(seqs, maxlen, padding, truncating, value, dtype):
    maxlen = maxlen if maxlen is not None else max(len(s) for s in seqs)
    out = []
    for s in seqs:
        s = list(s)
        s = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        pad = [value] * (maxlen - len(s))
        out.append(pad + s if padding == "pre" else s + pad)
    return np.array(out, dtype=dtype)


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [None, 2, 4, 6])
def test_pad_sequences_matches_reference(padding, truncating, maxlen):
    seqs = [[1], [2, 3], [4, 5, 6, 7], [], [8, 9, 10, 11, 12]]
    got = utils.pad_sequences(seqs, maxlen=maxlen, padding=padding, truncating=truncating, value=-1)
    want = _pad_reference(seqs, maxlen, padding, truncating, -1, "int32")
    assert got.dtype == np.int32
    np.testing.assert_array_equal(got, want)


def test_pad_sequences_float_strings_and_sample_shape():
    got = utils.pad_sequences([[0.5, 1.5], [2.5]], dtype="float32", value=0.25)
    np.testing.assert_allclose(got, [[0.5, 1.5], [0.25, 2.5]])
    got = utils.pad_sequences([["a", "b"], ["c"]], dtype=object, value="<pad>", padding="post")
    assert got.tolist() == [["a", "b"], ["c", "<pad>"]]
    got = utils.pad_sequences([np.ones((2, 3)), np.ones((1, 3))], maxlen=3, dtype="float32")
    assert got.shape == (2, 3, 3)
    np.testing.assert_array_equal(got[1, :2], 0)
    with pytest.raises(ValueError, match="dtype=object"):
        utils.pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match="Padding type"):
        utils.pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="Truncating type"):
        utils.pad_sequences([[1]], truncating="middle")
    with pytest.raises(ValueError, match="Shape of sample"):
        utils.pad_sequences([np.ones((2, 3)), np.ones((1, 4))])
    assert keras.preprocessing.sequence.pad_sequences is utils.pad_sequences


def test_pad_sequences_matches_keras(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", os.environ.get("KERAS_BACKEND", "numpy"))
    keras3 = pytest.importorskip("keras")
    seqs = [[1, 2, 3], [4], [5, 6, 7, 8, 9]]
    for kwargs in ({}, {"maxlen": 2, "padding": "post"}, {"truncating": "post", "maxlen": 4}):
        np.testing.assert_array_equal(
            utils.pad_sequences(seqs, **kwargs), keras3.utils.pad_sequences(seqs, **kwargs)
        )


# ------------------------------------------------------------------ normalize / to_categorical


@pytest.mark.parametrize("order,axis", [(2, -1), (1, 0), (np.inf, 1)])
def test_normalize_numpy(order, axis):
    x = np.random.default_rng(0).normal(size=(4, 5))
    x[1] = 0.0
    got = utils.normalize(x, axis=axis, order=order)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    norm[norm == 0] = 1
    assert isinstance(got, np.ndarray)
    np.testing.assert_allclose(got, x / norm)


def test_normalize_tensor_gives_tensor():
    x = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    got = utils.normalize(keras.ops.convert_to_tensor(x))
    assert not isinstance(got, np.ndarray) or keras.backend.backend() == "numpy"
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(got), x / np.linalg.norm(x, axis=-1, keepdims=True), rtol=1e-5
    )


def test_to_categorical():
    labels = np.array([[0], [2], [1], [2]])
    got = utils.to_categorical(labels, num_classes=4)
    # Keras 3: NumPy in, NumPy float64 out; a backend tensor in (on the numpy backend NumPy
    # arrays are), a float32 tensor out
    numpy_dtype = np.float32 if keras.backend.backend() == "numpy" else np.float64
    assert isinstance(got, np.ndarray) and got.shape == (4, 4) and got.dtype == numpy_dtype
    np.testing.assert_array_equal(got, np.eye(4)[[0, 2, 1, 2]])
    np.testing.assert_array_equal(utils.to_categorical([1, 0]), [[0, 1], [1, 0]])
    tensor = keras.ops.convert_to_tensor(np.array([1, 0, 3]))
    got = utils.to_categorical(tensor)
    assert keras.backend.standardize_dtype(got.dtype) == "float32"
    assert keras.ops.is_tensor(got) or keras.backend.backend() == "numpy"
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(got), np.eye(4)[[1, 0, 3]])


# ------------------------------------------------------------------ image I/O


def _rgb(h=6, w=8, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=(h, w, 3)).astype("float32")


def test_image_roundtrip_png(tmp_path):
    x = _rgb()
    path = tmp_path / "img.png"
    utils.save_img(path, x, scale=False)
    img = utils.load_img(path)
    assert img.size == (8, 6) and img.mode == "RGB"
    arr = utils.img_to_array(img)
    assert arr.dtype == np.float32 and arr.shape == (6, 8, 3)
    np.testing.assert_array_equal(arr, x)
    np.testing.assert_array_equal(
        utils.img_to_array(img, data_format="channels_first"), x.transpose(2, 0, 1)
    )
    gray = utils.load_img(str(path), color_mode="grayscale")
    assert utils.img_to_array(gray).shape == (6, 8, 1)
    rgba = utils.load_img(io.BytesIO(path.read_bytes()), color_mode="rgba")
    assert utils.img_to_array(rgba, dtype="uint8").shape == (6, 8, 4)
    with pytest.raises(ValueError, match="color_mode"):
        utils.load_img(path, color_mode="cmyk")


def test_array_to_img_scaling_and_modes():
    x = np.arange(2 * 3 * 3, dtype="float32").reshape(2, 3, 3)
    img = utils.array_to_img(x)
    want = (x - x.min()) / (x.max() - x.min()) * 255
    np.testing.assert_array_equal(np.asarray(img), want.astype("uint8"))
    assert utils.array_to_img(np.zeros((2, 2, 4))).mode == "RGBA"
    assert utils.array_to_img(np.zeros((2, 2, 1))).mode == "L"
    assert utils.array_to_img(np.full((2, 2, 1), 300.0), scale=False).mode == "I"
    chw = utils.array_to_img(x.transpose(2, 0, 1), data_format="channels_first")
    np.testing.assert_array_equal(np.asarray(chw), np.asarray(img))
    with pytest.raises(ValueError, match="rank 3"):
        utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="channel"):
        utils.array_to_img(np.zeros((2, 2, 2)))


def test_load_img_resize_and_keep_aspect_ratio(tmp_path):
    from PIL import Image

    x = _rgb(10, 20, seed=2).astype("uint8")
    path = tmp_path / "wide.png"
    Image.fromarray(x).save(path)
    got = utils.img_to_array(utils.load_img(path, target_size=(5, 5), interpolation="nearest"))
    want = np.asarray(Image.fromarray(x).resize((5, 5), Image.Resampling.NEAREST))
    np.testing.assert_array_equal(got, want)
    got = utils.img_to_array(
        utils.load_img(path, target_size=(5, 5), keep_aspect_ratio=True, interpolation="bilinear")
    )
    want = np.asarray(
        Image.fromarray(x).resize((5, 5), Image.Resampling.BILINEAR, box=[5, 0, 15, 10])
    )
    np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="interpolation"):
        utils.load_img(path, target_size=(5, 5), interpolation="cubic-ish")


def test_save_img_jpeg_from_rgba_warns(tmp_path):
    with pytest.warns(UserWarning, match="RGBA"):
        utils.save_img(tmp_path / "a.jpg", np.zeros((4, 4, 4)))
    assert utils.load_img(tmp_path / "a.jpg").size == (4, 4)


def test_smart_resize_crops_to_aspect_ratio():
    x = np.arange(4 * 8 * 1, dtype="float32").reshape(4, 8, 1)
    got = keras.ops.convert_to_numpy(
        keras.preprocessing.image.smart_resize(x, (4, 4), interpolation="nearest")
    )
    np.testing.assert_allclose(got, x[:, 2:6])
    with pytest.raises(ValueError):
        keras.preprocessing.image.smart_resize(np.zeros((4,)), (2, 2))


# ------------------------------------------------------------------ get_file


def _write(path, data=b"hello unikeras"):
    path.write_bytes(data)
    return path


def test_get_file_downloads_from_file_url_and_caches(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    src = _write(tmp_path / "payload.bin")
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    md5 = hashlib.md5(src.read_bytes()).hexdigest()
    got = utils.get_file(origin=src.as_uri(), file_hash=sha)
    assert got == str(tmp_path / "home" / "datasets" / "payload.bin")
    assert open(got, "rb").read() == src.read_bytes()
    os.remove(src)  # now only the cache has it: no access to the origin is needed
    assert utils.get_file("payload.bin", origin=src.as_uri(), md5_hash=md5) == got
    other = utils.get_file(
        "p.bin",
        origin=_write(tmp_path / "x", b"x").as_uri(),
        cache_dir=tmp_path / "c",
        cache_subdir="sub",
    )
    assert other == str(tmp_path / "c" / "sub" / "p.bin")


def test_get_file_hash_mismatch_and_offline_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    src = _write(tmp_path / "payload.bin")
    with pytest.raises(ValueError, match="corrupted"):
        utils.get_file(origin=src.as_uri(), file_hash="0" * 64)
    assert not (tmp_path / "home" / "datasets" / "payload.bin").exists() or True
    missing = (tmp_path / "nowhere" / "file.bin").as_uri()
    with pytest.raises(Exception, match="URL fetch failure"):
        utils.get_file(origin=missing)
    assert not (tmp_path / "home" / "datasets" / "file.bin").exists()
    with pytest.raises(ValueError, match="origin"):
        utils.get_file("a.bin")
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        utils.get_file(os.path.join("a", "b.bin"), origin=src.as_uri())


def test_get_file_force_download_and_stale_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    src = _write(tmp_path / "payload.bin", b"new")
    cached = tmp_path / "home" / "datasets"
    cached.mkdir(parents=True)
    _write(cached / "payload.bin", b"old")
    assert open(utils.get_file(origin=src.as_uri()), "rb").read() == b"old"
    assert open(utils.get_file(origin=src.as_uri(), force_download=True), "rb").read() == b"new"
    _write(cached / "payload.bin", b"old")
    sha = hashlib.sha256(b"new").hexdigest()
    assert open(utils.get_file(origin=src.as_uri(), file_hash=sha), "rb").read() == b"new"


@pytest.mark.parametrize("kind", ["tar.gz", "zip"])
def test_get_file_extracts_archives(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    archive = tmp_path / f"data.{kind}"
    if kind == "zip":
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("folder/a.txt", "A")
    else:
        inner = tmp_path / "a.txt"
        inner.write_text("A")
        with tarfile.open(archive, "w:gz") as t:
            t.add(inner, arcname="folder/a.txt")
    got = utils.get_file(f"data.{kind}", origin=archive.as_uri(), extract=True)
    assert got == str(tmp_path / "home" / "datasets" / "data_extracted")
    assert open(os.path.join(got, "folder", "a.txt")).read() == "A"
    got = utils.get_file("noext", origin=archive.as_uri(), extract=True)
    assert got.endswith("noext") and os.path.isfile(got + "_archive")
    assert open(os.path.join(got, "folder", "a.txt")).read() == "A"


@pytest.mark.parametrize("kind", ["tar", "zip"])
def test_get_file_refuses_path_traversal(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    archive = tmp_path / f"evil.{kind}"
    if kind == "zip":
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("../../escaped.txt", "gotcha")
    else:
        payload = tmp_path / "p.txt"
        payload.write_text("gotcha")
        with tarfile.open(archive, "w") as t:
            t.add(payload, arcname="../../escaped.txt")
            link = tarfile.TarInfo("link")
            link.type = tarfile.SYMTYPE
            link.linkname = "/etc/passwd"
            t.addfile(link)
    with pytest.raises(ValueError, match="refusing"):
        utils.get_file(f"evil.{kind}", origin=archive.as_uri(), extract=True)
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "home" / "escaped.txt").exists()


# ------------------------------------------------------------------ Config


def test_config_attribute_access_and_freeze():
    config = utils.Config(learning_rate=0.1, layers=[1, 2])
    config.momentum = 0.9
    config["decay"] = 1e-3
    assert config.learning_rate == 0.1 and config["momentum"] == 0.9 and "decay" in config
    assert len(config) == 4 and list(config) == sorted(
        ["learning_rate", "layers", "momentum", "decay"]
    )
    assert config.as_dict()["layers"] == [1, 2]
    import json

    assert json.loads(config.to_json())["decay"] == 1e-3
    with pytest.raises(AttributeError, match="Did you mean 'momentum'"):
        config.momentun  # noqa: B018
    config.freeze()
    assert config.frozen
    for mutate in (
        lambda: setattr(config, "a", 1),
        lambda: config.update(a=1),
        lambda: config.pop("decay"),
        lambda: config.__setitem__("a", 1),
        lambda: config.__delitem__("decay"),
    ):
        with pytest.raises(ValueError, match="frozen"):
            mutate()
    config.unfreeze()
    config.a = 1
    assert config.get("a") == 1 and config.get("zzz", 5) == 5
    del config["a"]
    assert "a" not in config


# ------------------------------------------------------------------ registry / legacy / graph


def test_registry_reexports_are_the_saving_ones():
    assert utils.register_keras_serializable is keras.saving.register_keras_serializable
    assert utils.get_registered_object is keras.saving.get_registered_object
    assert utils.serialize_keras_object is keras.saving.serialize_keras_object
    assert utils.deserialize_keras_object is keras.saving.deserialize_keras_object
    assert utils.is_interactive_logging_enabled is keras.config.is_interactive_logging_enabled
    assert utils.clear_session is keras.backend.clear_session
    assert utils.CustomObjectScope is keras.saving.CustomObjectScope
    assert utils.custom_object_scope is keras.saving.custom_object_scope
    assert utils.get_custom_objects is keras.saving.get_custom_objects


def test_legacy_serialization_roundtrip():
    layer = keras.layers.Dense(3, activation="relu", name="d")
    config = utils.legacy.serialize_keras_object(layer)
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3
    assert "module" not in config
    clone = utils.legacy.deserialize_keras_object(
        config, module_objects={"Dense": keras.layers.Dense}
    )
    assert isinstance(clone, keras.layers.Dense) and clone.units == 3
    assert clone.get_config()["activation"] == "relu"

    def my_activation(x):
        return x

    assert utils.legacy.serialize_keras_object(my_activation) == "my_activation"
    assert (
        utils.legacy.deserialize_keras_object(
            "my_activation", custom_objects={"my_activation": my_activation}
        )
        is my_activation
    )

    class Scoped(keras.layers.Dense):
        pass

    with utils.custom_object_scope({"Scoped": Scoped}):
        got = utils.legacy.deserialize_keras_object(
            {"class_name": "Scoped", "config": {"units": 2}}
        )
    assert type(got) is Scoped and got.units == 2
    with pytest.raises(ValueError, match="Unknown layer: 'Nope'"):
        utils.legacy.deserialize_keras_object(
            {"class_name": "Nope", "config": {}}, printable_module_name="layer"
        )


def test_get_source_inputs_and_is_keras_tensor():
    a, b = keras.Input((3,)), keras.Input((3,))
    c = keras.layers.Add()([keras.layers.Dense(2)(a), keras.layers.Dense(2)(b)])
    d = keras.layers.Dense(1)(c)
    sources = utils.get_source_inputs(d)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert utils.get_source_inputs(a)[0] is a
    assert utils.is_keras_tensor(d)
    assert not utils.is_keras_tensor(np.zeros(2))
    assert not utils.is_keras_tensor(keras.ops.zeros((2,)))


def test_sequence_is_pydataset():
    assert utils.Sequence is utils.PyDataset


# ------------------------------------------------------------------ model_to_dot / plot_model


def _functional():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    c = keras.layers.Concatenate(name="cat")(
        [keras.layers.Dense(2, name="da")(a), keras.layers.Dense(2, name="db")(b)]
    )
    return keras.Model([a, b], keras.layers.Dense(1, activation="sigmoid", name="out")(c))


def test_model_to_dot_graph():
    pydot = pytest.importorskip("pydot")
    model = _functional()
    dot = utils.model_to_dot(
        model,
        show_shapes=True,
        show_dtype=True,
        show_layer_activations=True,
        show_trainable=True,
        rankdir="LR",
    )
    assert isinstance(dot, pydot.Dot)
    names = {str(id(layer)): layer.name for layer in model.layers}
    nodes = {
        n.get_name().strip('"'): n
        for n in dot.get_nodes()
        if n.get_name() in names or n.get_name().strip('"') in names
    }
    assert sorted(names[k] for k in nodes) == sorted(names.values())
    edges = sorted(
        (names[e.get_source().strip('"')], names[e.get_destination().strip('"')])
        for e in dot.get_edges()
    )
    assert edges == sorted([("a", "da"), ("b", "db"), ("da", "cat"), ("db", "cat"), ("cat", "out")])
    label = nodes[str(id(model.get_layer("out")))].get("label")
    assert "Output shape: <b>(None, 1)</b>" in label and "Input shape: <b>(None, 4)</b>" in label
    assert "sigmoid" in label and "Trainable: <b>Y</b>" in label and "float32" in label
    assert dot.get("rankdir") == "LR"
    seq = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(2, name="x"), keras.layers.Dense(1, name="y")]
    )
    nested = keras.Sequential([keras.Input((2,)), seq, keras.layers.Dense(1, name="z")])
    dot = utils.model_to_dot(nested, expand_nested=True)
    assert len(dot.get_subgraphs()) == 1
    with pytest.raises(ValueError, match="Unrecognized"):
        utils.model_to_dot(model, bogus=1)


def test_model_visualization_install_errors(monkeypatch, tmp_path):
    import shutil
    import sys

    model = _functional()
    monkeypatch.setitem(sys.modules, "pydot", None)
    for fn in (utils.model_to_dot, utils.plot_model):
        with pytest.raises(ImportError, match=r"pip install pydot"):
            fn(model)
    monkeypatch.undo()
    if shutil.which("dot") is None and pytest.importorskip("pydot"):
        with pytest.raises(ImportError, match="graphviz"):
            utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    else:
        utils.plot_model(model, to_file=str(tmp_path / "m.png"), show_shapes=True)
        assert (tmp_path / "m.png").stat().st_size > 0


# ------------------------------------------------------------------ Progbar


def _progbar_line(capsys, **kwargs):
    bar = utils.Progbar(2, verbose=2, **kwargs)
    bar.update(1, [("avg", 1.0), ("last", 1.0)])
    bar.update(2, [("avg", 3.0), ("last", 3.0)])
    return capsys.readouterr().out


def test_progbar_stateful_and_stateless_metrics(capsys):
    out = _progbar_line(capsys)
    assert "avg: 2.0000" in out and "last: 2.0000" in out
    out = _progbar_line(capsys, stateful_metrics=["last"])
    assert "avg: 2.0000" in out and "last: 3.0000" in out
    out = _progbar_line(capsys, stateless_metrics=["avg"])
    assert "avg: 2.0000" in out and "last: 3.0000" in out
    with pytest.raises(ValueError, match="only one"):
        utils.Progbar(2, stateful_metrics=["a"], stateless_metrics=["b"])


def test_get_file_untar(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    inner = tmp_path / "b.txt"
    inner.write_text("B")
    archive = tmp_path / "pack.tar.gz"
    with tarfile.open(archive, "w:gz") as t:
        t.add(inner, arcname="b.txt")
    got = utils.get_file("pack.tar.gz", origin=archive.as_uri(), untar=True)
    assert got == str(tmp_path / "home" / "datasets" / "pack_extracted")
    assert open(os.path.join(got, "b.txt")).read() == "B"
