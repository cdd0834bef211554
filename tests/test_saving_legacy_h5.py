"""Legacy Keras 2 / Keras 3 `.h5` model files: `model.save("m.h5")` and
`keras.models.load_model("m.h5")`.

On every backend, unikeras' own `.h5` files round-trip (config, weights, compile arguments,
optimizer state), hand-written Keras 2 configs are upgraded, and loading keeps every safety
rule of `.keras` files (safe mode for `Lambda` bytecode, the HDF5 audit). Where Keras 3 is
installed with an engine, files written by Keras 3.15.1 (in a subprocess) load with equal
predictions and optimizer state, and one holding a `Lambda` is refused in safe mode.
"""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops
from unikeras.backend import table

TRAINING = table.backend_info()["training"]
RNG = np.random.default_rng(7)
IMAGES = RNG.normal(size=(3, 8, 8, 3)).astype("float32")
TOKENS = RNG.integers(0, 10, size=(3, 5)).astype("int32")
VECTORS = RNG.normal(size=(3, 4)).astype("float32")


def _predict(model, inputs):
    out = model(inputs)
    return [np.asarray(ops.convert_to_numpy(o)) for o in (out if isinstance(out, list) else [out])]


def _sequential():
    return keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(6, activation="relu", name="hidden"),
            layers.BatchNormalization(),
            layers.Dropout(0.2),
            layers.Dense(2),
        ]
    )


def _functional():
    image, tokens = keras.Input((8, 8, 3)), keras.Input((5,), dtype="int32")
    x = layers.Conv2D(2, 3, activation="relu")(image)
    x = layers.BatchNormalization()(x)
    x = layers.Flatten()(x)
    e = layers.Embedding(10, 4)(tokens)
    s = layers.LSTM(3, return_sequences=True)(e)
    s = layers.GRU(2)(s)
    out = layers.Dense(2)(layers.Concatenate()([x, s]))
    return keras.Model([image, tokens], out)


def _save_h5(model, path):
    with pytest.warns(UserWarning, match="legacy"):
        model.save(path)


def _assert_same(model, loaded, inputs):
    for a, b in zip(_predict(model, inputs), _predict(loaded, inputs)):
        assert np.all(np.isfinite(a))
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


# --- unikeras' own .h5 files, every backend --------------------------------------------------
@pytest.mark.parametrize("build,inputs", [(_sequential, VECTORS), (_functional, [IMAGES, TOKENS])])
def test_round_trip(tmp_path, build, inputs):
    model = build()
    for variable in model.weights:  # non-default values everywhere (BatchNorm stats too)
        variable.assign(
            RNG.uniform(0.5, 1.5, size=variable.shape).astype(variable.dtype)
            if "float" in str(variable.dtype)
            else variable.numpy()
        )
    path = tmp_path / "m.h5"
    _save_h5(model, path)
    with h5py.File(path, "r") as f:  # the legacy layout
        assert json.loads(f.attrs["model_config"])["class_name"] == type(model).__name__
        names = [n.decode() for n in f["model_weights"].attrs["layer_names"]]
        assert names == [layer.name for layer in model.layers]
    with pytest.warns(UserWarning, match="not\\* compiled"):
        loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    _assert_same(model, loaded, inputs)
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_round_trip_compiled_with_optimizer_state(tmp_path):
    model = _sequential()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae"])
    if TRAINING:
        model.fit(VECTORS, VECTORS[:, :2], epochs=2, verbose=0)
    else:
        model.optimizer.build(model.trainable_variables)
        for variable in model.optimizer.variables:
            if "learning_rate" not in variable.path:
                variable.assign(np.full(variable.shape, 3, variable.dtype))
    path = tmp_path / "compiled.hdf5"
    _save_h5(model, path)
    loaded = keras.models.load_model(path)
    _assert_same(model, loaded, VECTORS)
    assert loaded.compiled and loaded.optimizer.name == model.optimizer.name
    np.testing.assert_allclose(float(loaded.optimizer.learning_rate.numpy()), 0.01, rtol=1e-6)
    assert len(loaded.optimizer.variables) == len(model.optimizer.variables)
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # without the optimizer, and without compiling
    with pytest.warns(UserWarning, match="legacy"):
        keras.saving.save_model(model, tmp_path / "light.h5", include_optimizer=False)
    with h5py.File(tmp_path / "light.h5", "r") as f:
        assert "optimizer_weights" not in f and "training_config" not in f.attrs
    uncompiled = keras.models.load_model(path, compile=False)
    assert not uncompiled.compiled


def test_lambda_needs_unsafe_mode(tmp_path):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.Lambda(lambda x: x * 2.0 + 1.0)(inputs))
    path = tmp_path / "lambda.h5"
    _save_h5(model, path)
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(path)
    loaded = keras.models.load_model(path, safe_mode=False, compile=False)
    np.testing.assert_allclose(_predict(loaded, VECTORS)[0], VECTORS * 2.0 + 1.0, rtol=1e-6)


def _keras2_file(path, config, weights):
    """A file in the Keras 2 layout with `config` and {layer: [(name, value), ...]}."""
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config)
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = np.array([n.encode() for n in weights], dtype="S")
        for layer, values in weights.items():
            sub = group.create_group(layer)
            sub.attrs["weight_names"] = np.array([n.encode() for n, _ in values], dtype="S")
            for name, value in values:
                sub[name] = value


def test_keras2_functional_and_sequential_configs(tmp_path):
    kernel = RNG.normal(size=(4, 3)).astype("float32")
    bias = RNG.normal(size=(3,)).astype("float32")
    dense = {
        "class_name": "Dense",
        "config": {"name": "dense_1", "units": 3, "activation": "tanh", "dtype": "float32"},
    }
    functional = {
        "class_name": "Functional",
        "config": {
            "name": "model_1",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "name": "input_1",
                    "inbound_nodes": [],
                    "config": {
                        "batch_input_shape": [None, 4],
                        "dtype": "float32",
                        "name": "input_1",
                    },
                },
                dict(dense, name="dense_1", inbound_nodes=[[["input_1", 0, 0, {}]]]),
            ],
            "input_layers": [["input_1", 0, 0]],
            "output_layers": [["dense_1", 0, 0]],
        },
    }
    sequential = {
        "class_name": "Sequential",
        "config": {
            "name": "sequential_1",
            "layers": [
                {
                    "class_name": "Dense",
                    "config": dict(dense["config"], batch_input_shape=[None, 4]),
                }
            ],
        },
    }
    weights = {"dense_1": [("dense_1/kernel:0", kernel), ("dense_1/bias:0", bias)]}
    expected = np.tanh(VECTORS @ kernel + bias)
    for name, config in (("functional", functional), ("sequential", sequential)):
        path = tmp_path / f"{name}.h5"
        _keras2_file(
            path, config, dict(weights, **({"input_1": []} if name == "functional" else {}))
        )
        loaded = keras.models.load_model(path, compile=False)
        np.testing.assert_allclose(_predict(loaded, VECTORS)[0], expected, rtol=1e-5, atol=1e-6)


def test_keras2_lambda_bytecode_refused(tmp_path):
    import base64
    import marshal

    code = base64.b64encode(marshal.dumps((lambda x: x).__code__)).decode()
    config = {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4]}},
                {
                    "class_name": "Lambda",
                    "config": {
                        "name": "lambda",
                        "function": [code, None, None],
                        "function_type": "lambda",
                        "module": "os",
                        "output_shape": None,
                        "arguments": {},
                    },
                },
            ],
        },
    }
    _keras2_file(tmp_path / "l.h5", config, {})
    with pytest.raises(ValueError, match="bytecode"):
        keras.models.load_model(tmp_path / "l.h5")


def test_legacy_file_is_audited(tmp_path):
    model = _sequential()
    path = tmp_path / "m.h5"
    _save_h5(model, path)
    secret = tmp_path / "secret.bin"
    np.full((4, 6), 31337.0, "float32").tofile(secret)
    with h5py.File(path, "a") as f:
        group = f["model_weights/hidden"]
        name = group.attrs["weight_names"][0].decode()
        del group[name]
        group.create_dataset(name, shape=(4, 6), dtype="float32", external=[(str(secret), 0, 96)])
    with pytest.raises(ValueError, match="external storage"):
        keras.models.load_model(path)


@pytest.mark.parametrize(
    "edit,match",
    [
        (lambda f: f.attrs.__delitem__("model_config"), "no model config"),
        (lambda f: f.attrs.__setitem__("model_config", "{nope"), "not valid JSON"),
        (
            lambda f: f.attrs.__setitem__(
                "model_config", json.dumps({"class_name": "os.system", "config": {}})
            ),
            "os.system",
        ),
        (lambda f: f.__delitem__("model_weights/hidden"), "no group|count"),
        (
            lambda f: f["model_weights/hidden"].attrs.__setitem__("weight_names", [b"x", b"y"]),
            "missing",
        ),
    ],
)
def test_damaged_legacy_files(tmp_path, edit, match):
    path = tmp_path / "m.h5"
    _save_h5(_sequential(), path)
    with h5py.File(path, "a") as f:
        edit(f)
    with pytest.raises(ValueError, match=match):
        keras.models.load_model(path, compile=False)


# --- files written by Keras 3.15.1 -----------------------------------------------------------
def _keras3_engine():
    if importlib.util.find_spec("keras") is None:
        return None
    order = ["jax", "torch", "tensorflow"]
    active = keras.backend.backend()
    order.sort(key=lambda engine: engine != active)
    return next((e for e in order if importlib.util.find_spec(e) is not None), None)


def _keras3_script(folder):
    """Runs under Keras 3: saves .h5 models and their predictions into `folder`."""
    import numpy as np

    import keras

    layers = keras.layers
    rng = np.random.default_rng(7)
    images = rng.normal(size=(3, 8, 8, 3)).astype("float32")
    tokens = rng.integers(0, 10, size=(3, 5)).astype("int32")
    vectors = rng.normal(size=(3, 4)).astype("float32")
    sequential = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(6, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(2),
        ]
    )
    image, token = keras.Input((8, 8, 3)), keras.Input((5,), dtype="int32")
    x = layers.Conv2D(2, 3, activation="relu")(image)
    x = layers.BatchNormalization()(x)
    x = layers.Flatten()(x)
    s = layers.LSTM(3)(layers.Embedding(10, 4)(token))
    functional = keras.Model([image, token], layers.Dense(2)(layers.Concatenate()([x, s])))
    functional.compile(optimizer="sgd", loss="mse")
    functional.fit([images, tokens], rng.normal(size=(3, 2)), epochs=2, verbose=0)
    compiled = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(5, activation="tanh"),
            layers.BatchNormalization(),
            layers.Dense(2),
        ]
    )
    compiled.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02), loss="mse")
    compiled.fit(vectors, rng.normal(size=(3, 2)), epochs=3, verbose=0)
    inputs = keras.Input((4,))
    lam = keras.Model(inputs, layers.Lambda(lambda t: t * 3.0 - 1.0)(inputs))
    cases = {
        "sequential": (sequential, vectors),
        "functional": (functional, [images, tokens]),
        "compiled": (compiled, vectors),
        "lambda": (lam, vectors),
    }
    for name, (model, data) in cases.items():
        model.save(f"{folder}/{name}.h5")
        np.save(f"{folder}/{name}.npy", np.asarray(model.predict(data, verbose=0)))
    np.savez(
        f"{folder}/compiled_optimizer.npz", *[np.asarray(v) for v in compiled.optimizer.variables]
    )
    # Keras 3's public `save_weights` refuses any suffix but `.weights.h5`; its legacy
    # weights-only writer is still there (private), the one Keras 2 used for "w.h5".
    import h5py
    from keras.src.legacy.saving import legacy_h5_format

    try:
        model.save_weights(f"{folder}/refused.h5")
    except ValueError as e:
        with open(f"{folder}/save_weights_message.txt", "w") as f:
            f.write(str(e))
    with h5py.File(f"{folder}/functional_weights.h5", "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, functional)


@pytest.fixture(scope="module")
def keras3_h5(tmp_path_factory):
    pytest.importorskip("keras")
    engine = _keras3_engine()
    if engine is None:
        pytest.skip("Keras 3 needs one of jax, torch, tensorflow; none is installed here")
    folder = tmp_path_factory.mktemp("keras3_h5")
    script = (
        textwrap.dedent(__import__("inspect").getsource(_keras3_script))
        + "\nimport sys\n_keras3_script(sys.argv[1])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND=engine, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return folder


@pytest.mark.parametrize(
    "name,inputs",
    [("sequential", VECTORS), ("functional", [IMAGES, TOKENS]), ("compiled", VECTORS)],
)
def test_keras3_h5_files_load_with_equal_predictions(keras3_h5, name, inputs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not compiled" for the uncompiled ones
        model = keras.models.load_model(keras3_h5 / f"{name}.h5")
    np.testing.assert_allclose(
        _predict(model, inputs)[0], np.load(keras3_h5 / f"{name}.npy"), rtol=1e-5, atol=1e-5
    )
    if name == "compiled":
        assert model.compiled
        with np.load(keras3_h5 / "compiled_optimizer.npz") as stored:
            expected = [stored[f"arr_{i}"] for i in range(len(stored.files))]
        assert len(expected) == len(model.optimizer.variables)
        for variable, value in zip(model.optimizer.variables, expected):
            np.testing.assert_allclose(variable.numpy(), value, rtol=1e-6)


def test_keras3_h5_lambda_refused_in_safe_mode(keras3_h5):
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(keras3_h5 / "lambda.h5")
    model = keras.models.load_model(keras3_h5 / "lambda.h5", safe_mode=False, compile=False)
    np.testing.assert_allclose(
        _predict(model, VECTORS)[0], np.load(keras3_h5 / "lambda.npy"), rtol=1e-6
    )


# --- legacy weights-only files: `model.load_weights("w.h5")` ---------------------------------
def _randomize(model, seed):
    rng = np.random.default_rng(seed)
    for variable in model.weights:  # non-default values everywhere (BatchNorm stats too)
        if "float" in str(variable.dtype):
            variable.assign(rng.uniform(0.5, 1.5, size=variable.shape).astype(variable.dtype))
    return model


def _keras2_weights_file(path, model, layers_filter=None):
    """What `model.save_weights("w.h5")` wrote in Keras 2: root attributes `layer_names`,
    `backend`, `keras_version`; a group per layer with `weight_names` (trainable first)."""
    chosen = [layer for layer in model.layers if layers_filter is None or layers_filter(layer)]
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([layer.name.encode() for layer in chosen], dtype="S")
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.15.0"
        for layer in chosen:
            group = f.create_group(layer.name)
            variables = list(layer.trainable_weights) + list(layer.non_trainable_weights)
            names = [f"{layer.name}/{v.name}:0" for v in variables]
            group.attrs["weight_names"] = np.array([n.encode() for n in names], dtype="S")
            for name, variable in zip(names, variables):
                group.create_dataset(name, data=np.asarray(ops.convert_to_numpy(variable)))


def _weights_of(model):
    return [np.array(w) for w in model.get_weights()]


@pytest.mark.parametrize("build,inputs", [(_sequential, VECTORS), (_functional, [IMAGES, TOKENS])])
def test_keras2_weights_file_loads(tmp_path, build, inputs):
    source = _randomize(build(), 1)
    path = tmp_path / "w.h5"
    _keras2_weights_file(path, source)
    target = build()
    target.load_weights(path)
    _assert_same(source, target, inputs)
    target = build()  # `.hdf5` too, and a legacy full-model file's `model_weights` group
    os.replace(path, tmp_path / "w.hdf5")
    keras.saving.load_weights(target, tmp_path / "w.hdf5")
    _assert_same(source, target, inputs)
    _save_h5(source, tmp_path / "m.h5")
    target = build()
    target.load_weights(tmp_path / "m.h5")
    _assert_same(source, target, inputs)


def test_keras2_weights_file_with_chunked_name_attributes(tmp_path):
    # Keras 2 split long name lists into `layer_names0`, `layer_names1`, ... attributes.
    source = _randomize(_sequential(), 6)
    path = tmp_path / "w.h5"
    _keras2_weights_file(path, source)
    with h5py.File(path, "a") as f:
        names = list(f.attrs["layer_names"])
        del f.attrs["layer_names"]
        f.attrs["layer_names0"] = np.array(names[:2], dtype="S")
        f.attrs["layer_names1"] = np.array(names[2:], dtype="S")
        group = f["hidden"]
        weight_names = list(group.attrs["weight_names"])
        del group.attrs["weight_names"]
        group.attrs["weight_names0"] = np.array(weight_names[:1], dtype="S")
        group.attrs["weight_names1"] = np.array(weight_names[1:], dtype="S")
    target = _sequential()
    target.load_weights(path)
    _assert_same(source, target, VECTORS)


def _named_pair():
    return keras.Sequential(
        [keras.Input((4,)), layers.Dense(3, name="first"), layers.Dense(2, name="second")]
    )


def test_keras2_weights_file_by_name(tmp_path):
    source = _randomize(
        keras.Sequential(
            [keras.Input((4,)), layers.Dense(5, name="other"), layers.Dense(3, name="first")]
        ),
        2,
    )
    # by order this file does not fit (`other` is 4x5, the model's first layer 4x3) ...
    path = tmp_path / "w.h5"
    _keras2_weights_file(path, source)
    target = _named_pair()
    before = _weights_of(target)
    with pytest.raises(ValueError, match=r"first.*\(4, 3\).*\(4, 5\)"):
        target.load_weights(path)
    for a, b in zip(before, _weights_of(target)):
        np.testing.assert_array_equal(a, b)
    # ... by name, the file's `first` loads, `unused` is ignored, `second` is untouched.
    source = _randomize(
        keras.Sequential(
            [keras.Input((4,)), layers.Dense(3, name="first"), layers.Dense(7, name="unused")]
        ),
        3,
    )
    _keras2_weights_file(path, source)
    target.load_weights(path, by_name=True)
    for a, b in zip(_weights_of(source.get_layer("first")), _weights_of(target.get_layer("first"))):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(before[2:], _weights_of(target.get_layer("second"))):
        np.testing.assert_array_equal(a, b)
    x = VECTORS
    kernel, bias = _weights_of(target.get_layer("first"))
    k2, b2 = _weights_of(target.get_layer("second"))
    np.testing.assert_allclose(
        _predict(target, x)[0], (x @ kernel + bias) @ k2 + b2, rtol=1e-5, atol=1e-5
    )
    # by name with a shape mismatch: raises (model unchanged), or skips with skip_mismatch
    wrong = _randomize(
        keras.Sequential(
            [keras.Input((4,)), layers.Dense(3, name="first"), layers.Dense(6, name="second")]
        ),
        4,
    )
    _keras2_weights_file(path, wrong)
    before = _weights_of(target)
    with pytest.raises(ValueError, match=r"second.*\(3, 2\).*\(3, 6\)"):
        target.load_weights(path, by_name=True)
    for a, b in zip(before, _weights_of(target)):
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="second"):
        target.load_weights(path, by_name=True, skip_mismatch=True)
    for a, b in zip(_weights_of(wrong.get_layer("first")), _weights_of(target.get_layer("first"))):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(before[2:], _weights_of(target.get_layer("second"))):
        np.testing.assert_array_equal(a, b)


def test_keras2_weights_file_mismatch_leaves_model_unchanged(tmp_path):
    source = _randomize(
        keras.Sequential(
            [keras.Input((4,)), layers.Dense(3, name="first"), layers.Dense(5, name="second")]
        ),
        5,
    )
    path = tmp_path / "w.h5"
    _keras2_weights_file(path, source)
    target = _named_pair()
    before = _weights_of(target)
    with pytest.raises(
        ValueError,
        match=r"layer #1 \(named 'second'.*expects shape "
        r"\(3, 2\).*shape \(3, 5\)",
    ):
        target.load_weights(path)
    for a, b in zip(before, _weights_of(target)):  # `first` was not assigned either
        np.testing.assert_array_equal(a, b)
    with pytest.warns(UserWarning, match="second"):
        target.load_weights(path, skip_mismatch=True)
    for a, b in zip(_weights_of(source.get_layer("first")), _weights_of(target.get_layer("first"))):
        np.testing.assert_array_equal(a, b)
    # a layer count mismatch by order raises even with skip_mismatch (as Keras)
    _keras2_weights_file(path, source, lambda layer: layer.name == "first")
    with pytest.raises(ValueError, match="layer count mismatch"):
        target.load_weights(path, skip_mismatch=True)
    # a non-numeric dataset is refused before anything is read
    _keras2_weights_file(path, _named_pair())
    with h5py.File(path, "a") as f:
        name = f["second"].attrs["weight_names"][1].decode()
        del f["second"][name]
        f["second"][name] = np.array([b"a", b"b"])
    before = _weights_of(target)
    with pytest.raises(ValueError, match="string"):
        target.load_weights(path)
    for a, b in zip(before, _weights_of(target)):
        np.testing.assert_array_equal(a, b)


def test_keras2_weights_file_is_audited(tmp_path):
    path = tmp_path / "w.h5"
    _keras2_weights_file(path, _named_pair())
    secret = tmp_path / "secret.bin"
    np.full((4, 3), 31337.0, "float32").tofile(secret)
    with h5py.File(path, "a") as f:
        group = f["first"]
        name = group.attrs["weight_names"][0].decode()
        del group[name]
        group.create_dataset(name, shape=(4, 3), dtype="float32", external=[(str(secret), 0, 48)])
    target = _named_pair()
    before = _weights_of(target)
    with pytest.raises(ValueError, match="external storage"):
        target.load_weights(path)
    with pytest.raises(ValueError, match="external storage"):
        target.load_weights(path, by_name=True)
    for a, b in zip(before, _weights_of(target)):
        np.testing.assert_array_equal(a, b)
    assert not np.any(np.concatenate([w.ravel() for w in _weights_of(target)]) == 31337.0)


def test_weights_file_names_and_arguments(tmp_path):
    model = _named_pair()
    with pytest.raises(
        ValueError,
        match=r"^The filename must end in `\.weights\.h5`\. "
        r"Received: filepath=.*w\.h5$",
    ):
        model.save_weights(str(tmp_path / "w.h5"))
    model.save_weights(tmp_path / "w.weights.h5")
    with pytest.raises(ValueError, match="`by_name` only supports loading legacy"):
        model.load_weights(tmp_path / "w.weights.h5", by_name=True)
    os.replace(tmp_path / "w.weights.h5", tmp_path / "renamed.h5")
    with pytest.raises(ValueError, match="not a legacy Keras `.h5` weights file"):
        model.load_weights(tmp_path / "renamed.h5")
    with pytest.raises(ValueError, match="Invalid keyword arguments"):
        model.load_weights(tmp_path / "renamed.h5", by_nam=True)
    with pytest.raises(FileNotFoundError):
        model.load_weights(tmp_path / "missing.h5")


def _keras3_like_functional():
    """The architecture of `functional` in `_keras3_script`."""
    image, token = keras.Input((8, 8, 3)), keras.Input((5,), dtype="int32")
    x = layers.Conv2D(2, 3, activation="relu")(image)
    x = layers.BatchNormalization()(x)
    x = layers.Flatten()(x)
    s = layers.LSTM(3)(layers.Embedding(10, 4)(token))
    return keras.Model([image, token], layers.Dense(2)(layers.Concatenate()([x, s])))


def test_keras3_legacy_weights_load_with_equal_predictions(keras3_h5):
    message = (keras3_h5 / "save_weights_message.txt").read_text()
    model = _keras3_like_functional()
    with pytest.raises(ValueError) as info:
        model.save_weights("refused.h5")
    assert str(info.value).replace("refused.h5", "") == message.replace(
        str(keras3_h5 / "refused.h5"), ""
    )
    expected = np.load(keras3_h5 / "functional.npy")
    for name in ("functional_weights.h5", "functional.h5"):
        model = _keras3_like_functional()
        model.load_weights(keras3_h5 / name)
        np.testing.assert_allclose(
            _predict(model, [IMAGES, TOKENS])[0], expected, rtol=1e-5, atol=1e-5
        )
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(6, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(2),
        ]
    )
    model.load_weights(keras3_h5 / "sequential.h5", by_name=False)
    np.testing.assert_allclose(
        _predict(model, VECTORS)[0], np.load(keras3_h5 / "sequential.npy"), rtol=1e-5, atol=1e-5
    )
