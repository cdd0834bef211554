"""Functional models calling `keras.ops` on KerasTensors save those calls as Keras 3's own op
nodes (`{"module": "keras.src.ops.numpy", "class_name": "Add", ...}`), so Keras 3 loads them;
ops without an exact Keras 3 form keep unikeras' `OpCall` node. Both load back in unikeras."""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import unikeras as keras
from unikeras import ops
from unikeras.ops.operation import KERAS3_OP_CLASSES

needs_keras3 = pytest.mark.skipif(
    importlib.util.find_spec("keras") is None or importlib.util.find_spec("jax") is None,
    reason="Keras 3 and JAX are not installed here (the jax tox env has them); the "
    "round trip and JSON tests below run everywhere",
)


def _ops_model():
    """A model with one output per op of `KERAS3_OP_CLASSES` (and the operators)."""
    x, y = keras.Input((3, 4)), keras.Input((3, 4))
    labels = keras.Input((3,), dtype="int32")
    outputs = [
        x + y,
        2.0 + x,
        x - y,
        2.0 - x,
        x * 3.0,
        x / y,
        ops.divide(x, y),
        x**y,
        x @ ops.transpose(y, (0, 2, 1)),
        ops.matmul(x, ops.transpose(y, (0, 2, 1))),
        x < y,
        x <= y,
        x > y,
        x >= y,
        ops.equal(x, y),
        ops.not_equal(x, y),
        ops.maximum(x, y),
        ops.minimum(x, y),
        -x,
        abs(x - 1.0),
        ops.abs(x - 1.0),
        ops.exp(x),
        ops.log(x),
        ops.sqrt(x),
        ops.square(x),
        ops.tanh(x),
        ops.reshape(x, (-1, 12)),
        ops.concatenate([x, y], axis=-1),
        ops.stack([x, y], axis=1),
        ops.mean(x, axis=1, keepdims=True),
        ops.sum(x, axis=(1, 2)),
        ops.max(x, axis=1),
        ops.min(x, axis=-1, keepdims=True),
        ops.squeeze(ops.expand_dims(x, 1), axis=1),
        ops.clip(x, 0.7, 1.5),
        ops.where(x > y, x, y),
        ops.cast(x, "float16"),
        ops.erf(x - 1.0),
        ops.relu(x - 1.0),
        ops.sigmoid(x),
        ops.silu(x),
        ops.softmax(x, axis=1),
        ops.gelu(x, approximate=False),
        ops.gelu(x),
        ops.one_hot(labels, 5),
        x[:, 1:, ::2],
        x[..., 0],
    ]
    rng = np.random.default_rng(0)
    data = [
        rng.uniform(0.5, 2.0, size=(2, 3, 4)).astype("float32"),
        rng.uniform(0.5, 2.0, size=(2, 3, 4)).astype("float32"),
        rng.integers(0, 5, size=(2, 3)).astype("int32"),
    ]
    return keras.Model([x, y, labels], outputs), data


def _outputs(model, data):
    return [np.asarray(ops.convert_to_numpy(o)) for o in model(data)]


def _assert_close(actual, expected):
    assert len(actual) == len(expected)
    for i, (a, e) in enumerate(zip(actual, expected)):
        assert a.shape == e.shape and a.dtype == e.dtype, (i, a.shape, e.shape, a.dtype, e.dtype)
        tol = 1e-3 if a.dtype == np.float16 else 1e-5
        np.testing.assert_allclose(a, e, rtol=tol, atol=tol, err_msg=f"output {i}")


def test_op_nodes_are_written_in_keras3_form_and_round_trip(tmp_path):
    model, data = _ops_model()
    layers = model.get_config()["layers"]
    op_layers = [c for c in layers if c["class_name"] != "InputLayer"]
    assert all(c["module"].startswith("keras.src.ops.") for c in op_layers), [
        c["class_name"] for c in op_layers if not c.get("module", "").startswith("keras.src.ops.")
    ]
    # Every mapped op appears in the model.
    written = {(c["module"], c["class_name"]) for c in op_layers}
    assert written == set(KERAS3_OP_CLASSES.values())
    path = tmp_path / "ops.keras"
    model.save(path)
    _assert_close(_outputs(keras.models.load_model(path), data), _outputs(model, data))


def test_add_node_json_matches_keras3():
    x, y = keras.Input((4,)), keras.Input((4,))
    z = ops.reshape(x + y, (-1, 2, 2))
    config = json.loads(json.dumps(keras.Model([x, y], z).get_config()))
    add, reshape = config["layers"][2:]
    assert {k: add[k] for k in ("module", "class_name", "registered_name")} == {
        "module": "keras.src.ops.numpy",
        "class_name": "Add",
        "registered_name": "Add",
    }
    assert add["config"] == {"name": add["name"]}
    assert [a["config"]["keras_history"][0] for a in add["inbound_nodes"][0]["args"]] == [
        config["layers"][0]["name"],
        config["layers"][1]["name"],
    ]
    # Non-tensor arguments are the op class's config, as Keras 3 writes them.
    assert reshape["class_name"] == "Reshape"
    assert reshape["config"] == {"name": reshape["name"], "newshape": [-1, 2, 2]}
    assert len(reshape["inbound_nodes"][0]["args"]) == 1
    assert reshape["inbound_nodes"][0]["kwargs"] == {}


def test_ops_without_keras3_form_keep_opcall_and_round_trip(tmp_path):
    x = keras.Input((4,))
    model = keras.Model(x, ops.cumsum(x, axis=-1) + 1.0)
    classes = [c["class_name"] for c in model.get_config()["layers"]]
    assert classes == ["InputLayer", "OpCall", "Add"]
    path = tmp_path / "cumsum.keras"
    model.save(path)
    data = np.arange(8, dtype="float32").reshape(2, 4)
    np.testing.assert_allclose(
        ops.convert_to_numpy(keras.models.load_model(path)(data)),
        np.cumsum(data, axis=-1) + 1.0,
    )


_KERAS3_SCRIPT = """
import inspect, json, sys
import numpy as np
import keras
from keras.src.saving import serialization_lib

folder, table = sys.argv[1], json.loads(sys.argv[2])
model = keras.saving.load_model(folder + "/ops.keras")
data = np.load(folder + "/inputs.npz")
outputs = model([data["arr_0"], data["arr_1"], data["arr_2"]])
np.savez(folder + "/keras3.npz", *[np.asarray(o) for o in outputs])
params = {}
for op_name, (module, class_name) in table.items():
    cls = serialization_lib._retrieve_class_or_fn(class_name, "function", module, None, {})
    names = inspect.signature(cls.__init__).parameters
    params[op_name] = sorted(n for n in names if n not in ("self", "name", "args", "kwargs"))
json.dump(params, open(folder + "/params.json", "w"))
"""


@needs_keras3
def test_keras3_loads_unikeras_op_nodes_with_equal_outputs(tmp_path):
    model, data = _ops_model()
    model.save(tmp_path / "ops.keras")
    np.savez(tmp_path / "inputs.npz", *data)
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIKERAS_")}
    env.update(KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_KERAS3_SCRIPT), str(tmp_path)]
        + [json.dumps(KERAS3_OP_CLASSES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    with np.load(tmp_path / "keras3.npz") as stored:
        expected = [stored[f"arr_{i}"] for i in range(len(stored.files))]
    _assert_close(_outputs(model, data), expected)
    # Each Keras 3 op class takes exactly the op's non-tensor parameters as its config.
    keras3_params = json.loads((tmp_path / "params.json").read_text())
    from unikeras.ops.operation import _TENSOR_PARAMETERS, _op_signature

    for op_name in KERAS3_OP_CLASSES:
        ours = sorted(n for n in _op_signature(op_name).parameters if n not in _TENSOR_PARAMETERS)
        assert keras3_params[op_name] == ours, (op_name, keras3_params[op_name], ours)
    with zipfile.ZipFile(tmp_path / "ops.keras") as archive:
        assert "OpCall" not in archive.read("config.json").decode()
