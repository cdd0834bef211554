"""`.keras` model files and `.weights.h5` files: round trips on the active backend (exact
predictions), Keras 3's file layout, compile state and exact training resumption, atomic
writes (even under SIGKILL), and the cross-backend matrix (each backend installed in this
environment saves, each loads), run in subprocesses."""

import importlib.metadata
import importlib.util
import json
import os
import signal
import subprocess
import sys
import textwrap
import zipfile

import h5py
import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops
from unikeras.backend import table

TRAINING = table.backend_info()["training"]
needs_training = pytest.mark.skipif(not TRAINING, reason="inference-only backend: no fit")


@keras.saving.register_keras_serializable(package="SavingTests")
class Scale(layers.Layer):
    """Multiplies by a trained per-feature vector and adds a non-trainable offset."""

    def __init__(self, offset=0.5, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def build(self, input_shape):
        self.scale = self.add_weight(
            shape=(input_shape[-1],), initializer="random_normal", name="scale"
        )
        self.shift = self.add_weight(shape=(), initializer="ones", trainable=False, name="shift")

    def call(self, x):
        return x * self.scale + self.shift * self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


@keras.saving.register_keras_serializable(package="SavingTests")
class TwoTower(keras.Model):
    """A subclassed model with attribute sublayers and a list of blocks."""

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.first = layers.Dense(units, activation="tanh")
        self.blocks = [layers.Dense(units), Scale()]
        self.head = layers.Dense(1)

    def call(self, x):
        x = self.first(x)
        for block in self.blocks:
            x = block(x)
        return self.head(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class Unregistered(layers.Layer):
    def call(self, x):
        return x + 1.0


def data(rows=12, features=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(rows, features)).astype("float32")


def functional_model():
    inputs = keras.Input((5,))
    x = layers.Dense(8, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    x = Scale(offset=0.25)(x)
    outputs = layers.Dense(3, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def sequential_model():
    return keras.Sequential([keras.Input((5,)), layers.Dense(6), layers.Dense(6), layers.Dense(2)])


def subclassed_model():
    model = TwoTower()
    model(data())
    return model


MODELS = {
    "functional": functional_model,
    "sequential": sequential_model,
    "subclassed": subclassed_model,
}


def assert_same_weights(a, b):
    assert len(a.weights) == len(b.weights)
    for va, vb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(va, vb)


# --- round trips -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(MODELS))
def test_keras_file_round_trip_is_exact(tmp_path, kind):
    model = MODELS[kind]()
    x = data()
    expected = ops.convert_to_numpy(model(x))
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    assert_same_weights(model, loaded)
    np.testing.assert_array_equal(ops.convert_to_numpy(loaded(x)), expected)


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_weights_file_round_trip(tmp_path, kind):
    model, other = MODELS[kind](), MODELS[kind]()
    path = str(tmp_path / "w.weights.h5")
    model.save_weights(path)
    other.load_weights(path)
    assert_same_weights(model, other)
    fresh = MODELS[kind]()
    fresh.load_weights(path)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(fresh(data())), ops.convert_to_numpy(model(data()))
    )


def test_load_weights_from_keras_file(tmp_path):
    model = functional_model()
    model.save(tmp_path / "m.keras")
    other = functional_model()
    other.load_weights(str(tmp_path / "m.keras"))
    assert_same_weights(model, other)


def test_saving_api_functions(tmp_path):
    model = sequential_model()
    keras.saving.save_model(model, str(tmp_path / "s.keras"))
    loaded = keras.saving.load_model(str(tmp_path / "s.keras"))
    assert_same_weights(model, loaded)


def test_file_name_checks(tmp_path):
    model = sequential_model()
    with pytest.raises(ValueError, match=r"\.keras"):
        model.save(tmp_path / "m.zip")
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(str(tmp_path / "m.h5"))
    with pytest.raises(ValueError, match="File not found"):  # legacy .h5: see test_saving_legacy_h5
        keras.models.load_model(str(tmp_path / "m.h5"))
    with pytest.raises(ValueError, match="File format not supported"):
        keras.models.load_model(str(tmp_path / "m.zip"))
    with pytest.raises(FileNotFoundError):
        model.load_weights(str(tmp_path / "missing.weights.h5"))


def test_overwrite_false_keeps_the_file_when_declined(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    path.write_bytes(b"previous")
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    sequential_model().save(path, overwrite=False)
    assert path.read_bytes() == b"previous"


# --- custom objects --------------------------------------------------------------------------
def test_custom_objects_argument(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, Unregistered()(inputs))
    model.save(tmp_path / "u.keras")
    with pytest.raises(ValueError, match="Unregistered"):
        keras.models.load_model(tmp_path / "u.keras")
    loaded = keras.models.load_model(
        tmp_path / "u.keras", custom_objects={"Unregistered": Unregistered}
    )
    np.testing.assert_array_equal(
        ops.convert_to_numpy(loaded(np.zeros((1, 3), "float32"))), np.ones((1, 3), "float32")
    )


def test_registered_objects_are_stored_by_registered_name(tmp_path):
    model = subclassed_model()
    model.save(tmp_path / "t.keras")
    with zipfile.ZipFile(tmp_path / "t.keras") as archive:
        config = json.loads(archive.read("config.json"))
    assert config["registered_name"] == "SavingTests>TwoTower"


# --- file layout -----------------------------------------------------------------------------
def test_archive_layout_and_metadata(tmp_path):
    model = functional_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert set(archive.namelist()) == {"config.json", "metadata.json", "model.weights.h5"}
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
    assert metadata["backend"] == keras.backend.backend()
    assert metadata["unikeras_version"] == keras.__version__ and metadata["date_saved"]
    assert config["class_name"] == "Functional"
    assert config["compile_config"]["loss"] == "categorical_crossentropy"
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"


def test_weights_file_uses_keras_3_paths(tmp_path):
    model = functional_model()
    model.compile(optimizer="sgd", loss="mse")
    model.optimizer.build(model.trainable_variables)
    path = str(tmp_path / "w.weights.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        names = set()
        f.visit(names.add)
        assert {
            "layers/dense/vars/0",
            "layers/dense/vars/1",
            "layers/dense_1/vars/0",
            "layers/batch_normalization/vars/3",
            "layers/scale/vars/1",
            "optimizer/vars/0",
        } <= names
        np.testing.assert_array_equal(f["layers/dense/vars/0"][()], model.layers[1].kernel.numpy())
        assert len(f["optimizer/vars"]) == len(model.optimizer.variables)


def test_subclassed_paths_follow_attribute_names(tmp_path):
    path = str(tmp_path / "t.weights.h5")
    subclassed_model().save_weights(path)
    with h5py.File(path, "r") as f:
        names = set()
        f.visit(names.add)
    assert {"first/vars/0", "blocks/dense/vars/0", "blocks/scale/vars/1", "head/vars/1"} <= names


# --- compile state and resumed training -------------------------------------------------------
def test_loaded_model_is_compiled_like_the_saved_one(tmp_path):
    model = sequential_model()
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.125, momentum=0.5),
        loss="mse",
        metrics=["mae"],
    )
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.compiled and isinstance(loaded.optimizer, keras.optimizers.SGD)
    assert loaded.optimizer.momentum == 0.5
    assert float(ops.convert_to_numpy(loaded.optimizer.learning_rate)) == 0.125
    assert not keras.models.load_model(tmp_path / "m.keras", compile=False).compiled


def _regression(rows=32, seed=1):
    x = data(rows, 5, seed)
    return x, (x @ np.arange(10, dtype="float32").reshape(5, 2) / 10).astype("float32")


@needs_training
@pytest.mark.parametrize("optimizer", ["adam", "rmsprop"])
def test_training_resumes_exactly(tmp_path, optimizer):
    x, y = _regression()
    reference = sequential_model()
    initial = reference.get_weights()
    reference.compile(optimizer=optimizer, loss="mse")
    reference.fit(x, y, batch_size=8, epochs=4, shuffle=False, verbose=0)

    model = sequential_model()
    model.set_weights(initial)
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    model.save(tmp_path / "half.keras")
    resumed = keras.models.load_model(tmp_path / "half.keras")
    resumed.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert_same_weights(reference, resumed)
    for a, b in zip(reference.optimizer.variables, resumed.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@needs_training
def test_load_weights_restores_optimizer_state(tmp_path):
    x, y = _regression()
    model = sequential_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save_weights(str(tmp_path / "w.weights.h5"))
    other = sequential_model()
    other.compile(optimizer="adam", loss="mse")
    other.load_weights(str(tmp_path / "w.weights.h5"))
    assert int(other.optimizer.iterations.numpy()) == 4
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    other.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert_same_weights(model, other)


# --- atomicity -------------------------------------------------------------------------------
def test_failed_save_leaves_previous_file(tmp_path, monkeypatch):
    from unikeras.saving import object_tree

    path = tmp_path / "m.keras"
    model = sequential_model()
    model.save(path)
    before = path.read_bytes()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(object_tree, "save_state", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save(path)
    with pytest.raises(RuntimeError, match="disk full"):
        model.save_weights(str(tmp_path / "w.weights.h5"))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.keras"]  # no temporary file left behind


_KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import unikeras as keras
    from unikeras.saving import archive

    path = sys.argv[1]
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(512),
                              keras.layers.Dense(512)])

    def killed_before_rename(src, dst):
        os.kill(os.getpid(), signal.SIGKILL)

    archive.os.replace = killed_before_rename
    model.save(path)
""")


def test_save_killed_mid_write_leaves_previous_file_loadable(tmp_path):
    path = tmp_path / "m.keras"
    model = sequential_model()
    model.save(path)
    result = subprocess.run(
        [sys.executable, "-c", _KILL_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert any(name.startswith(".tmp-") for name in os.listdir(tmp_path))
    assert_same_weights(model, keras.models.load_model(path))


# --- callbacks -------------------------------------------------------------------------------
@needs_training
def test_model_checkpoint_files_load(tmp_path):
    x, y = _regression()
    model = sequential_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(
        x,
        y,
        epochs=1,
        verbose=0,
        callbacks=[
            keras.callbacks.ModelCheckpoint(str(tmp_path / "m.keras")),
            keras.callbacks.ModelCheckpoint(str(tmp_path / "w.weights.h5"), save_weights_only=True),
        ],
    )
    assert_same_weights(model, keras.models.load_model(tmp_path / "m.keras"))
    other = sequential_model()
    other.load_weights(str(tmp_path / "w.weights.h5"))
    assert_same_weights(model, other)


def test_model_checkpoint_file_name_checks():
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        keras.callbacks.ModelCheckpoint("w.npz", save_weights_only=True)
    with pytest.raises(ValueError, match=r"\.keras"):
        keras.callbacks.ModelCheckpoint("m.txt")
    keras.callbacks.ModelCheckpoint("m.h5")  # the legacy HDF5 format, as Keras 3 accepts


# --- cross-backend matrix ------------------------------------------------------------------
BACKENDS = ("numpy", "jax", "torch", "tensorflow")
# Inference-only openvino loads what the others saved (it is a deployment target).
TARGETS = BACKENDS + ("openvino",)
_ENGINES = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "openvino": "openvino"}


def _installed(name):
    names = {e.name for e in importlib.metadata.entry_points(group="unikeras.backends")}
    if name not in names:
        return False
    engine = _ENGINES.get(name)
    if engine is None:
        return True
    # The import package, not the distribution: tensorflow comes as `tensorflow-cpu` too.
    return importlib.util.find_spec(engine) is not None


_SAVE_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    sys.path.insert(0, {tests!r})
    import unikeras as keras
    import test_saving as t

    folder = sys.argv[1]
    x = t.data()
    for kind, make in sorted(t.MODELS.items()):
        model = make()
        model.compile(optimizer="adam", loss="mse")
        model.optimizer.build(model.trainable_variables)
        model.save(f"{{folder}}/{{kind}}.keras")
        np.save(f"{{folder}}/{{kind}}.npy", keras.ops.convert_to_numpy(model(x)))
        np.savez(f"{{folder}}/{{kind}}-weights.npz", *model.get_weights())
""")

_LOAD_SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    sys.path.insert(0, {tests!r})
    import unikeras as keras
    import test_saving as t

    folder = sys.argv[1]
    x = t.data()
    for kind in sorted(t.MODELS):
        model = keras.models.load_model(f"{{folder}}/{{kind}}.keras")
        assert model.compiled and model.optimizer.built
        saved = np.load(f"{{folder}}/{{kind}}-weights.npz")
        for i, w in enumerate(model.get_weights()):
            np.testing.assert_array_equal(w, saved[f"arr_{{i}}"])
        np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)),
                                   np.load(f"{{folder}}/{{kind}}.npy"), rtol=1e-6, atol=1e-6)
    print("ok")
""")


def _run_under(backend, script, folder):
    tests = os.path.dirname(os.path.abspath(__file__))
    env = {**os.environ, "UNIKERAS_BACKEND": backend, "OMP_NUM_THREADS": "1"}
    env.pop("KERAS_BACKEND", None)
    return subprocess.run(
        [sys.executable, "-c", script.format(tests=tests), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def saved_by(tmp_path_factory):
    """`saved_by(backend)` -> folder of models saved under `backend` (saved once)."""
    folders = {}

    def get(backend):
        if backend not in folders:
            folder = tmp_path_factory.mktemp(f"saved-{backend}")
            result = _run_under(backend, _SAVE_SCRIPT, folder)
            assert result.returncode == 0, result.stderr[-3000:]
            folders[backend] = folder
        return folders[backend]

    return get


@pytest.mark.parametrize("source", BACKENDS)
@pytest.mark.parametrize("target", TARGETS)
def test_cross_backend_matrix(saved_by, source, target):
    missing = [b for b in (source, target) if not _installed(b)]
    if missing:
        pytest.skip(
            f"backend(s) {missing} not installed in this environment (tox runs one "
            "env per backend; the full matrix runs where several are installed)"
        )
    result = _run_under(target, _LOAD_SCRIPT, saved_by(source))
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-3000:]
