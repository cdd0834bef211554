"""`Model.compile(jit_compile=...)`: what "auto" resolves to on each backend, and a loaded file
never switching compilation on (its saved `jit_compile` is not applied)."""

import json
import zipfile

import numpy as np
import pytest

import unikeras
from unikeras import layers
from unikeras.backend import registry

BACKEND = registry.backend()
TRAINING = registry.table.backend_info()["training"]


def _auto_expected():
    """What "auto" must resolve to here (the README's jit_compile table)."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))  # XLA only with a GPU
    return {"jax": True, "torch": False, "numpy": False, "openvino": True}.get(BACKEND)


def _model(**compile_kwargs):
    model = unikeras.Sequential(
        [unikeras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(2)]
    )
    model.compile(optimizer="adam", loss="mse", **compile_kwargs)
    return model


def test_auto_resolves_to_the_backends_declared_choice():
    expected = _auto_expected()
    if expected is None:
        pytest.skip(f"no jit_compile table entry for third-party backend {BACKEND!r}")
    assert registry.table.backend_info().get("jit_compile_auto", expected) == expected
    for kwargs in ({}, {"jit_compile": "auto"}):
        assert _model(**kwargs).jit_compile is expected
    assert _model(jit_compile=False).jit_compile is False
    assert _model(jit_compile=True).jit_compile is True
    # run_eagerly wins over any jit_compile, as in Keras 3.
    for value in ("auto", True):
        assert _model(jit_compile=value, run_eagerly=True).jit_compile is False


def _save_with_jit_compile_true(model, path):
    """Saves `model` to `path`, then rewrites its `compile_config` to `"jit_compile": true`,
    as Keras 3 on JAX writes it."""
    source = path.with_name("source.keras")
    model.save(source)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "config.json":
                config = json.loads(data)
                assert "jit_compile" in config["compile_config"]
                config["compile_config"]["jit_compile"] = True
                data = json.dumps(config).encode()
            zout.writestr(item, data)


def test_loaded_file_with_jit_compile_true_compiles_with_auto(tmp_path):
    path = tmp_path / "jit.keras"
    _save_with_jit_compile_true(_model(), path)
    with zipfile.ZipFile(path) as z:
        assert json.loads(z.read("config.json"))["compile_config"]["jit_compile"] is True

    loaded = unikeras.models.load_model(path)
    assert loaded.compiled
    assert loaded._jit_compile == "auto"
    expected = _auto_expected()
    if expected is not None:
        assert loaded.jit_compile is expected
    # The user can still ask for it after loading.
    loaded.jit_compile = True
    assert loaded.jit_compile is True


@pytest.mark.skipif(BACKEND != "torch", reason="torch.compile is the torch backend's")
def test_loaded_file_with_jit_compile_true_trains_eagerly_on_torch(tmp_path):
    from torch._dynamo.utils import counters

    path = tmp_path / "jit.keras"
    _save_with_jit_compile_true(_model(), path)
    loaded = unikeras.models.load_model(path)
    assert loaded.jit_compile is False
    frames = counters["frames"]["total"]
    x = np.random.default_rng(0).random((16, 4)).astype("float32")
    loaded.fit(x, np.zeros((16, 2), "float32"), batch_size=8, epochs=1, verbose=0)
    assert counters["frames"]["total"] == frames  # nothing went through torch.compile


@pytest.mark.skipif(not TRAINING, reason=f"backend {BACKEND!r} is inference only")
def test_loaded_model_trains_like_the_saved_one(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.random((32, 4)).astype("float32"), rng.random((32, 2)).astype("float32")
    model = _model()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    path = tmp_path / "jit.keras"
    _save_with_jit_compile_true(model, path)
    loaded = unikeras.models.load_model(path)
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    loaded.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    for got, want in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
