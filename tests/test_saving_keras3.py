"""Keras 3 interoperability of `.keras` files.

Where Keras 3 (`keras` 3.x) is installed next to an engine it can run on, files are made by
the tests in both directions: Keras 3 saves models of standard layers (compiled, trained a
step) that unikeras loads with the same predictions and optimizer state, and unikeras saves
models that Keras 3 loads with the same predictions. Keras 3 runs in a subprocess.

Everywhere, a layout test checks unikeras' own file against Keras 3's documented layout with
`zipfile`, `json` and `h5py` alone (the expected entries below were read from files written by
Keras 3.15.1).
"""

import importlib.util
import inspect
import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import h5py
import numpy as np
import pytest

import unikeras as keras
from unikeras import ops
from unikeras.backend import table

ENGINES = ("jax", "torch", "tensorflow")
TRAINING = table.backend_info()["training"]


def _keras3_backend():
    """The engine Keras 3 should run on: the active one when it is a Keras 3 engine, else
    any installed one (None when Keras 3 or every engine is missing)."""
    if importlib.util.find_spec("keras") is None:
        return None
    active = keras.backend.backend()
    candidates = [active] if active in ENGINES else []
    candidates += [e for e in ENGINES if e != active]
    return next((e for e in candidates if importlib.util.find_spec(e) is not None), None)


KERAS3_BACKEND = _keras3_backend()
needs_keras3 = pytest.mark.skipif(
    KERAS3_BACKEND is None,
    reason="Keras 3 (`pip install keras`) and one of its engines are not installed here; "
    "test_unikeras_file_has_keras3_layout checks the layout without it",
)


# --- models, built from the same code by Keras 3 and by unikeras -----------------------------
def build_models(keras):
    """Models of standard layers, compiled: {name: (model, inputs, fit targets)}."""
    import importlib.util

    import numpy as np

    layers = keras.layers
    rng = np.random.default_rng(0)
    image = keras.Input((8, 8, 3), name="image")
    tokens = keras.Input((6,), dtype="int32", name="tokens")
    x = layers.Conv2D(4, 3, padding="same", activation="relu")(image)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(4, 3)(x)
    x = layers.GlobalAveragePooling2D()(x)
    e = layers.Embedding(20, 6)(tokens)
    s = layers.LSTM(5, return_sequences=True)(e)
    s = layers.GRU(4, return_sequences=True)(s)
    s = layers.MultiHeadAttention(num_heads=2, key_dim=3)(s, s)
    s = layers.LayerNormalization()(s)
    s = layers.GlobalMaxPooling1D()(s)
    s = layers.Dropout(0.2)(s)
    merged = layers.Concatenate()([x, s])
    out_a = layers.Dense(3, activation="softmax", name="label")(merged)
    out_b = layers.Dense(1, name="score")(layers.Dense(5, activation="tanh")(merged))
    functional = keras.Model([image, tokens], [out_a, out_b])
    functional.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss=["sparse_categorical_crossentropy", "mse"],
    )
    functional_inputs = [
        rng.normal(size=(4, 8, 8, 3)).astype("float32"),
        rng.integers(0, 20, size=(4, 6)).astype("int32"),
    ]
    functional_targets = [rng.integers(0, 3, size=(4,)), rng.normal(size=(4, 1))]

    sequential = keras.Sequential(
        [
            keras.Input((10, 3)),
            layers.Conv1D(4, 3, padding="causal"),
            layers.AveragePooling1D(2),
            layers.Flatten(),
            layers.Dense(6, activation="relu"),
            layers.Dense(2),
        ]
    )
    sequential.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
    sequential_inputs = rng.normal(size=(4, 10, 3)).astype("float32")
    sequential_targets = rng.normal(size=(4, 2))

    models = {
        "functional": (functional, functional_inputs, functional_targets),
        "sequential": (sequential, sequential_inputs, sequential_targets),
    }
    if importlib.util.find_spec("ml_dtypes") is not None:  # NumPy's bfloat16
        bfloat16 = keras.Sequential([keras.Input((4,)), layers.Dense(3, dtype="bfloat16")])
        models["bfloat16"] = (bfloat16, rng.normal(size=(2, 4)).astype("float32"), None)
    return models


def build_op_models(keras):
    """A functional model using `keras.ops` (operators, slicing, reductions) between layers;
    Keras 3 stores those as op nodes (`keras.src.ops.*`)."""
    import numpy as np

    inputs = keras.Input((4,))
    x = keras.layers.Dense(4)(inputs)
    x = inputs + x * 2.0
    mean = keras.ops.mean(x, axis=-1, keepdims=True)
    total = keras.ops.expand_dims(keras.ops.sum(x, axis=1), -1)
    x = keras.ops.concatenate([x[:, :2], mean, total], axis=-1)
    outputs = keras.ops.cast(keras.ops.relu(x), "float32")
    data = np.random.default_rng(1).normal(size=(3, 4)).astype("float32")
    return {"ops": (keras.Model(inputs, outputs), data, None)}


def _fit_and_save(keras, folder, prefix, train, with_ops=False):
    """Trains each model one step (when `train`), saves it and its predictions."""
    import numpy as np

    models = {**build_models(keras), **(build_op_models(keras) if with_ops else {})}
    for name, (model, inputs, targets) in models.items():
        if train and targets is not None:
            model.fit(inputs, targets, batch_size=4, epochs=1, verbose=0)
        model.save(os.path.join(folder, f"{prefix}_{name}.keras"))
        predictions = model.predict(inputs, verbose=0)
        predictions = predictions if isinstance(predictions, list) else [predictions]
        np.savez(
            os.path.join(folder, f"{prefix}_{name}.npz"),
            *[np.asarray(p, dtype="float32") for p in predictions],
        )


def _load_and_predict(keras, folder, prefix):
    """Loads the files `_fit_and_save` wrote and saves the loaded models' predictions."""
    import numpy as np

    for name, (_, inputs, _) in build_models(keras).items():
        model = keras.saving.load_model(os.path.join(folder, f"{prefix}_{name}.keras"))
        predictions = model.predict(inputs, verbose=0)
        predictions = predictions if isinstance(predictions, list) else [predictions]
        np.savez(
            os.path.join(folder, f"{prefix}_{name}.loaded.npz"),
            *[np.asarray(p, dtype="float32") for p in predictions],
        )


def run_keras3(folder, action):
    """Runs `action(keras, folder, "keras3")` under Keras 3 in a subprocess."""
    source = "\n\n".join(
        textwrap.dedent(inspect.getsource(f))
        for f in (build_models, build_op_models, _fit_and_save, _load_and_predict)
    )
    call = {
        "save": "_fit_and_save(keras, folder, 'keras3', True, with_ops=True)",
        "load": "_load_and_predict(keras, folder, 'unikeras')",
    }[action]
    script = f"import os, sys\nimport keras\n\n{source}\n\nfolder = sys.argv[1]\n{call}\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND=KERAS3_BACKEND, TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]


def _predict(model, inputs):
    out = model.predict(inputs, verbose=0)
    return [ops.convert_to_numpy(o) for o in (out if isinstance(out, list) else [out])]


def _assert_same_predictions(actual, npz_path):
    with np.load(npz_path) as stored:
        expected = [stored[f"arr_{i}"] for i in range(len(stored.files))]
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        tol = 1e-6
        if keras.backend.backend() == "openvino" and a.dtype.name == "bfloat16":
            # OpenVINO's CPU plugin multiplies by constant (compiled-in) bfloat16 weights
            # with its own rounding: within one bfloat16 step (2**-8 relative) of Keras 3.
            tol = 2**-7
        np.testing.assert_allclose(np.asarray(a, "float32"), e, rtol=tol, atol=tol)


def _h5_entries(h5_bytes_or_path):
    """{dataset path: (shape, dtype name, dtype attribute)} and {group path: name attr}."""
    datasets, names = {}, {}

    def visit(path, obj):
        if isinstance(obj, h5py.Dataset):
            datasets[path] = (obj.shape, obj.dtype.str, obj.attrs.get("dtype"))
        elif "name" in obj.attrs:
            names[path] = obj.attrs["name"]

    with h5py.File(h5_bytes_or_path, "r") as f:
        f.visititems(visit)
        if "name" in f["vars"].attrs:
            names["vars"] = f["vars"].attrs["name"]
    return datasets, names


@pytest.fixture(scope="module")
def keras3_files(tmp_path_factory):
    """A folder with the files Keras 3 saved for `build_models` (trained a step)."""
    folder = tmp_path_factory.mktemp("keras3")
    run_keras3(folder, "save")
    return folder


# --- Keras 3 -> unikeras ----------------------------------------------------------------------
@needs_keras3
def test_keras3_files_load_with_identical_predictions(keras3_files, tmp_path):
    for name, (reference, inputs, _) in build_models(keras).items():
        path = keras3_files / f"keras3_{name}.keras"
        model = keras.models.load_model(path)
        assert type(model) is type(reference)
        _assert_same_predictions(_predict(model, inputs), keras3_files / f"keras3_{name}.npz")
        with zipfile.ZipFile(path) as archive:
            h5_path = tmp_path / f"{name}.h5"
            h5_path.write_bytes(archive.read("model.weights.h5"))
        if name == "bfloat16":
            assert model.layers[-1].kernel.dtype == "bfloat16"
            with h5py.File(h5_path, "r") as f:
                stored = f["layers/dense/vars/0"][()]
            assert stored.tobytes() == model.layers[-1].kernel.numpy().tobytes()
            continue
        # The optimizer state Keras 3 trained is restored exactly, slot by slot.
        assert (
            model.compiled and type(model.optimizer).__name__ == type(reference.optimizer).__name__
        )
        with h5py.File(h5_path, "r") as f:
            stored = [f["optimizer/vars"][str(i)][()] for i in range(len(f["optimizer/vars"]))]
        loaded = [v.numpy() for v in model.optimizer.variables]
        assert len(stored) == len(loaded)
        for s, v in zip(stored, loaded):
            np.testing.assert_array_equal(np.asarray(v), s)
        assert int(loaded[0]) == 1


@needs_keras3
def test_keras3_op_nodes_load_with_identical_predictions(keras3_files):
    _, inputs, _ = build_op_models(keras)["ops"]
    with zipfile.ZipFile(keras3_files / "keras3_ops.keras") as archive:
        config = json.loads(archive.read("config.json"))
    modules = {c["module"] for c in config["config"]["layers"]}
    assert {"keras.src.ops.numpy", "keras.src.ops.nn", "keras.src.ops.core"} <= modules
    model = keras.models.load_model(keras3_files / "keras3_ops.keras")
    _assert_same_predictions(_predict(model, inputs), keras3_files / "keras3_ops.npz")


# --- unikeras -> Keras 3 ----------------------------------------------------------------------
@needs_keras3
@pytest.mark.skipif(not TRAINING, reason="inference-only backend: the files are trained a step")
def test_unikeras_files_load_into_keras3_with_identical_predictions(tmp_path):
    _fit_and_save(keras, str(tmp_path), "unikeras", True)
    run_keras3(tmp_path, "load")
    for name in build_models(keras):
        with np.load(tmp_path / f"unikeras_{name}.npz") as ours:
            _assert_same_predictions(
                [ours[f] for f in ours.files], tmp_path / f"unikeras_{name}.loaded.npz"
            )


@needs_keras3
def test_both_write_the_same_weights_layout(keras3_files, tmp_path):
    _fit_and_save(keras, str(tmp_path), "unikeras", TRAINING)
    for name in build_models(keras):
        layouts = []
        for folder, prefix in ((keras3_files, "keras3"), (tmp_path, "unikeras")):
            with zipfile.ZipFile(folder / f"{prefix}_{name}.keras") as archive:
                h5_path = tmp_path / f"{prefix}_{name}.h5"
                h5_path.write_bytes(archive.read("model.weights.h5"))
            datasets, _ = _h5_entries(h5_path)
            # The iteration counter's integer width is the engine's choice.
            layouts.append({k: v[0] if k == "optimizer/vars/0" else v for k, v in datasets.items()})
        if not TRAINING:  # our file is saved untrained: no optimizer state to compare
            layouts[0] = {k: v for k, v in layouts[0].items() if not k.startswith("optimizer/")}
        assert layouts[0] == layouts[1]


# --- the layout, checked without Keras 3 ----------------------------------------------------
# Dataset path -> shape, from the file Keras 3.15.1 writes for `build_models()["functional"]`
# after a step of `fit`; every layer's group (weights or not) carries its name.
KERAS3_FUNCTIONAL_WEIGHTS = {
    "layers/batch_normalization/vars/0": (4,),
    "layers/batch_normalization/vars/1": (4,),
    "layers/batch_normalization/vars/2": (4,),
    "layers/batch_normalization/vars/3": (4,),
    "layers/conv2d/vars/0": (3, 3, 3, 4),
    "layers/conv2d/vars/1": (4,),
    "layers/conv2d_1/vars/0": (3, 3, 4, 4),
    "layers/conv2d_1/vars/1": (4,),
    "layers/dense/vars/0": (8, 5),
    "layers/dense/vars/1": (5,),
    "layers/dense_1/vars/0": (8, 3),
    "layers/dense_1/vars/1": (3,),
    "layers/dense_2/vars/0": (5, 1),
    "layers/dense_2/vars/1": (1,),
    "layers/embedding/vars/0": (20, 6),
    "layers/gru/cell/vars/0": (5, 12),
    "layers/gru/cell/vars/1": (4, 12),
    "layers/gru/cell/vars/2": (2, 12),
    "layers/layer_normalization/vars/0": (4,),
    "layers/layer_normalization/vars/1": (4,),
    "layers/lstm/cell/vars/0": (6, 20),
    "layers/lstm/cell/vars/1": (5, 20),
    "layers/lstm/cell/vars/2": (20,),
    "layers/multi_head_attention/key_dense/vars/0": (4, 2, 3),
    "layers/multi_head_attention/key_dense/vars/1": (2, 3),
    "layers/multi_head_attention/output_dense/vars/0": (2, 3, 4),
    "layers/multi_head_attention/output_dense/vars/1": (4,),
    "layers/multi_head_attention/query_dense/vars/0": (4, 2, 3),
    "layers/multi_head_attention/query_dense/vars/1": (2, 3),
    "layers/multi_head_attention/value_dense/vars/0": (4, 2, 3),
    "layers/multi_head_attention/value_dense/vars/1": (2, 3),
}
# Keras 3 orders `model.layers` deepest first (then by first visit from the outputs); the
# weights paths and the optimizer's slots follow that order.
KERAS3_FUNCTIONAL_LAYER_ORDER = [
    "InputLayer",
    "Embedding",
    "InputLayer",
    "LSTM",
    "Conv2D",
    "GRU",
    "BatchNormalization",
    "MultiHeadAttention",
    "MaxPooling2D",
    "LayerNormalization",
    "Conv2D",
    "GlobalMaxPooling1D",
    "GlobalAveragePooling2D",
    "Dropout",
    "Concatenate",
    "Dense",
    "Dense",
    "Dense",
]
KERAS3_OPTIMIZER_SLOT_SHAPES = [  # Adam: iteration, learning rate, then (m, v) per variable
    (20, 6),
    (6, 20),
    (5, 20),
    (20,),
    (3, 3, 3, 4),
    (4,),
    (5, 12),
    (4, 12),
    (2, 12),
    (4,),
    (4,),
    (4, 2, 3),
    (2, 3),
    (4, 2, 3),
    (2, 3),
    (4, 2, 3),
    (2, 3),
    (2, 3, 4),
    (4,),
    (4,),
    (4,),
    (3, 3, 4, 4),
    (4,),
    (8, 5),
    (5,),
    (8, 3),
    (3,),
    (5, 1),
    (1,),
]


def test_unikeras_file_has_keras3_layout(tmp_path):
    model, inputs, _ = build_models(keras)["functional"]
    model.optimizer.build(model.trainable_variables)
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assert {"config.json", "metadata.json", "model.weights.h5"} <= set(archive.namelist())
        config = json.loads(archive.read("config.json"))
        metadata = json.loads(archive.read("metadata.json"))
        (tmp_path / "w.h5").write_bytes(archive.read("model.weights.h5"))
    assert metadata["keras_version"] and metadata["date_saved"]

    # config.json: Keras 3's object format, module names Keras 3 resolves.
    assert {k: config[k] for k in ("module", "class_name", "registered_name")} == {
        "module": "keras.src.models.functional",
        "class_name": "Functional",
        "registered_name": "Functional",
    }
    assert set(config["config"]) == {"name", "trainable", "layers", "input_layers", "output_layers"}
    assert config["config"]["input_layers"] == [["image", 0, 0], ["tokens", 0, 0]]
    assert config["config"]["output_layers"] == [["label", 0, 0], ["score", 0, 0]]
    layer_configs = config["config"]["layers"]
    assert [c["class_name"] for c in layer_configs] == KERAS3_FUNCTIONAL_LAYER_ORDER
    assert [layer_configs[i]["name"] for i in (0, 2, 16, 17)] == [
        "tokens",
        "image",
        "label",
        "score",
    ]
    for layer_config in layer_configs:
        assert {
            "module",
            "class_name",
            "config",
            "registered_name",
            "name",
            "inbound_nodes",
        } <= set(layer_config)
        assert layer_config["module"] == "keras.layers"
        assert layer_config["registered_name"] is None
        if layer_config["class_name"] != "InputLayer":
            assert layer_config["config"]["dtype"] == {
                "module": "keras",
                "class_name": "DTypePolicy",
                "config": {"name": "float32"},
                "registered_name": None,
            }
    mha = next(c for c in layer_configs if c["class_name"] == "MultiHeadAttention")
    assert mha["build_config"] == {
        "shapes_dict": {"query_shape": [None, 6, 4], "value_shape": [None, 6, 4]}
    }
    dense = next(c for c in layer_configs if c["name"] == "label")
    assert dense["build_config"] == {"input_shape": [None, 8]}
    initializer = dense["config"]["kernel_initializer"]
    assert {k: initializer[k] for k in ("module", "class_name", "registered_name")} == {
        "module": "keras.initializers",
        "class_name": "GlorotUniform",
        "registered_name": None,
    }
    assert initializer["config"]["seed"] is None
    compiled = config["compile_config"]
    assert set(compiled) == {
        "optimizer",
        "loss",
        "loss_weights",
        "metrics",
        "weighted_metrics",
        "run_eagerly",
        "steps_per_execution",
        "jit_compile",
    }
    assert {k: compiled["optimizer"][k] for k in ("module", "class_name")} == {
        "module": "keras.optimizers",
        "class_name": "Adam",
    }

    # model.weights.h5: Keras 3's paths, shapes, order and group names.
    datasets, names = _h5_entries(tmp_path / "w.h5")
    layer_datasets = {k: v[0] for k, v in datasets.items() if not k.startswith("optimizer/")}
    assert layer_datasets == KERAS3_FUNCTIONAL_WEIGHTS
    assert names["vars"] == model.name
    assert names["layers/dense_1/vars"] == "label"
    assert names["layers/lstm/cell/vars"] == model.layers[3].cell.name
    assert {
        "layers/input_layer/vars",
        "layers/input_layer_1/vars",
        "layers/concatenate/vars",
        "optimizer/vars",
    } <= set(names)
    slots = [datasets[f"optimizer/vars/{i}"][0] for i in range(2 + 2 * 29)]
    assert slots[:2] == [(), ()]
    assert slots[2::2] == slots[3::2] == KERAS3_OPTIMIZER_SLOT_SHAPES
    with h5py.File(tmp_path / "w.h5", "r") as f:
        np.testing.assert_array_equal(
            f["layers/lstm/cell/vars/1"][()], model.layers[3].cell.recurrent_kernel.numpy()
        )


@pytest.mark.skipif(
    importlib.util.find_spec("ml_dtypes") is None,
    reason="bfloat16 on the numpy backend needs `pip install ml-dtypes`",
)
def test_bfloat16_weights_use_keras3_encoding_and_round_trip_exactly(tmp_path):
    model, inputs, _ = build_models(keras)["bfloat16"]
    kernel = model.layers[-1].kernel
    path = tmp_path / "b.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        (tmp_path / "w.h5").write_bytes(archive.read("model.weights.h5"))
    with h5py.File(tmp_path / "w.h5", "r") as f:
        dataset = f["layers/dense/vars/0"]
        assert dataset.attrs["dtype"] == "bfloat16" and dataset.dtype.itemsize == 2
        assert dataset[()].tobytes() == kernel.numpy().tobytes()
    loaded = keras.models.load_model(path)
    assert loaded.layers[-1].kernel.dtype == "bfloat16"
    assert loaded.layers[-1].kernel.numpy().tobytes() == kernel.numpy().tobytes()
    np.testing.assert_array_equal(_predict(loaded, inputs)[0], _predict(model, inputs)[0])


# --- Keras 3's saving protocol: save_own_variables / load_own_variables, assets ---------------
@keras.saving.register_keras_serializable(package="Keras3ProtocolTests")
class Vocabulary(keras.layers.Layer):
    """Maps ids to a stored word list (an asset) and scales by a weight saved in a custom
    layout (`save_own_variables` override: one array holding the scale doubled)."""

    def __init__(self, words=(), **kwargs):
        super().__init__(**kwargs)
        self.words = list(words)
        self.scale = self.add_weight(shape=(3,), initializer="random_normal", name="scale")

    def call(self, x):
        return x * self.scale * len(self.words)

    def save_own_variables(self, store):
        store["doubled"] = self.scale.numpy() * 2

    def load_own_variables(self, store):
        if set(store.keys()) != {"doubled"}:
            raise ValueError(f"Vocabulary {self.name!r}: unexpected entries {store.keys()}")
        self.scale.assign(store["doubled"] / 2)

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocabulary.txt"), "w") as f:
            f.write("\n".join(self.words))

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocabulary.txt")) as f:
            self.words = f.read().split("\n")

    def get_config(self):
        return {**super().get_config(), "words": []}  # the words travel as an asset


def _vocabulary_model():
    inputs = keras.Input((3,))
    return keras.Model(inputs, Vocabulary(["a", "b", "c", "d"])(inputs))


def test_save_own_variables_and_assets_overrides_are_used(tmp_path):
    model = _vocabulary_model()
    x = np.ones((2, 3), "float32")
    path = tmp_path / "v.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.read("assets/layers/vocabulary/vocabulary.txt") == b"a\nb\nc\nd"
        (tmp_path / "w.h5").write_bytes(archive.read("model.weights.h5"))
    with h5py.File(tmp_path / "w.h5", "r") as f:
        assert list(f["layers/vocabulary/vars"]) == ["doubled"]
        np.testing.assert_array_equal(
            f["layers/vocabulary/vars/doubled"][()], model.layers[1].scale.numpy() * 2
        )
    loaded = keras.models.load_model(path)
    assert loaded.layers[1].words == ["a", "b", "c", "d"]
    np.testing.assert_array_equal(ops.convert_to_numpy(loaded(x)), ops.convert_to_numpy(model(x)))


def test_default_protocol_stores_own_variables_in_order(tmp_path):
    layer = keras.layers.BatchNormalization()
    layer.build((None, 3))
    store = {}
    layer.save_own_variables(store)
    assert list(store) == ["0", "1", "2", "3"]
    for value, variable in zip(
        store.values(), [layer.gamma, layer.beta, layer.moving_mean, layer.moving_variance]
    ):
        assert value is variable
    other = keras.layers.BatchNormalization()
    other.build((None, 3))
    values = {str(i): np.full((3,), i + 1.0, "float32") for i in range(4)}
    other.load_own_variables(values)
    np.testing.assert_array_equal(other.moving_variance.numpy(), values["3"])
    with pytest.raises(ValueError, match="expected 4 variables, but received 3"):
        other.load_own_variables({str(i): values[str(i)] for i in range(3)})
    with pytest.raises(ValueError, match=r"shape \(3,\), the file holds shape \(2,\)"):
        other.load_own_variables({**values, "2": np.zeros((2,), "float32")})
    np.testing.assert_array_equal(other.moving_mean.numpy(), values["2"])


def test_failed_custom_load_restores_every_variable(tmp_path):
    """A layer's `load_own_variables` failing after earlier layers were assigned leaves the
    whole model as it was."""
    inputs = keras.Input((3,))
    x = keras.layers.Dense(3)(inputs)
    model = keras.Model(inputs, Vocabulary(["a"])(x))
    donor = keras.Model(inputs, Vocabulary(["a"])(keras.layers.Dense(3)(inputs)))
    path = str(tmp_path / "w.weights.h5")
    donor.save_weights(path)
    with h5py.File(path, "a") as f:
        f["layers/vocabulary/vars/extra"] = np.zeros((1,), "float32")
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="unexpected entries"):
        model.load_weights(path)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_asset_paths_cannot_escape(tmp_path):
    from unikeras.saving import object_tree

    assert object_tree.asset_folder(str(tmp_path), "layers/dense") == os.path.realpath(
        tmp_path / "layers" / "dense"
    )
    for path in ("../outside", "layers/../../outside", "/etc"):
        with pytest.raises(ValueError, match="escapes the assets folder"):
            object_tree.asset_folder(str(tmp_path), path)
    # An archive whose assets entry climbs out is refused before anything is written.
    model = _vocabulary_model()
    model.save(tmp_path / "v.keras")
    with zipfile.ZipFile(tmp_path / "v.keras") as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    entries["assets/../../escaped.txt"] = b"x"
    with zipfile.ZipFile(tmp_path / "hostile.keras", "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match="escape"):
        keras.models.load_model(tmp_path / "hostile.keras")
    assert not (tmp_path.parent / "escaped.txt").exists()


# --- a Dense subclass that adds a variable ----------------------------------------------------
EXTRA_VARIABLE_LAYER = """
@keras.saving.register_keras_serializable(package="extra_variable")
class ScaledDense(keras.layers.Dense):
    def build(self, input_shape):
        super().build(input_shape)
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale")

    def call(self, inputs):
        return super().call(inputs) * self.scale


def scaled_model():
    model = keras.Sequential([keras.Input((3,)), ScaledDense(2, name="scaled")])
    model.layers[0].scale.assign(3.0)
    return model
"""
_extra = {"keras": keras}
exec(EXTRA_VARIABLE_LAYER, _extra)  # the same source Keras 3 runs in its subprocess
# What Keras 3.15.1 writes for it: kernel and bias only (its Dense saves its
# `variable_serialization_spec`), and what its loading then says.
KERAS3_SCALED_VARS = {"layers/scaled_dense/vars/0": (3, 2), "layers/scaled_dense/vars/1": (2,)}
KERAS3_SCALED_ERROR = r"'scaled' expected 3 variables, but received 2 variables"


def _scaled_vars(path):
    with (
        zipfile.ZipFile(path) as archive,
        h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as f,
    ):
        return {
            f"layers/scaled_dense/vars/{k}": v.shape
            for k, v in f["layers/scaled_dense/vars"].items()
        }


def test_dense_subclass_saves_kernel_and_bias_only_as_keras3(tmp_path):
    model = _extra["scaled_model"]()
    path = tmp_path / "u.keras"
    with pytest.warns(UserWarning, match=r"\['scale'\] are not saved: a Dense saves only"):
        model.save(path)
    assert _scaled_vars(path) == KERAS3_SCALED_VARS
    with pytest.raises(ValueError, match=KERAS3_SCALED_ERROR):
        keras.saving.load_model(path)
    # A file with an entry for every variable (an override's, or an older unikeras file):
    # kernel and bias come from its first entries, as Keras 3 reads them.
    layer = _extra["scaled_model"]().layers[0]
    kernel = np.arange(6, dtype="float32").reshape(3, 2)
    layer.load_own_variables(
        {"0": kernel, "1": np.ones(2, "float32"), "2": np.asarray(5.0, "float32")}
    )
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.kernel), kernel)
    assert float(ops.convert_to_numpy(layer.scale)) == 3.0


@needs_keras3
def test_dense_subclass_files_exchange_with_keras3(tmp_path):
    ours = tmp_path / "unikeras.keras"
    with pytest.warns(UserWarning, match="not saved"):
        _extra["scaled_model"]().save(ours)
    script = (
        "import sys\nimport keras\n"
        + EXTRA_VARIABLE_LAYER
        + textwrap.dedent(
            """
            scaled_model().save(sys.argv[1] + "/keras3.keras")
            try:
                keras.saving.load_model(sys.argv[1] + "/unikeras.keras")
            except ValueError as error:
                print("LOAD ERROR", error)
            """
        )
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
    # Keras 3 refuses unikeras' file as it refuses its own; both files hold the same entries.
    assert "LOAD ERROR" in result.stdout
    assert "expected 3 variables, but received 2 variables" in result.stdout
    assert _scaled_vars(tmp_path / "keras3.keras") == _scaled_vars(ours) == KERAS3_SCALED_VARS
    with pytest.raises(ValueError, match=KERAS3_SCALED_ERROR):
        keras.saving.load_model(tmp_path / "keras3.keras")
