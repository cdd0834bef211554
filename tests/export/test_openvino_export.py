"""`model.export(path, format="openvino")` from a model on the active backend: the IR, run by
OpenVINO, gives `predict`'s outputs (within 1e-5) at two batch sizes (dynamic batch), with
inputs named after the model's inputs and outputs after the layers producing them."""

import importlib.util

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    "openvino" not in registry.installed_backends() or importlib.util.find_spec("openvino") is None,
    reason="the OpenVINO exporter comes with unikeras-openvino (tox envs openvino and all)",
)


def test_ir_runs_in_openvino_like_predict(tmp_path, capsys):
    import openvino as ov

    keras.utils.set_random_seed(6)
    image, side = keras.Input((5, 5, 2), name="image"), keras.Input((3,), name="side")
    h = keras.layers.Conv2D(3, 3, activation="relu")(image)
    h = keras.layers.Concatenate()([keras.layers.Flatten()(h), side])
    h = keras.layers.BatchNormalization()(keras.layers.Dense(6, activation="tanh")(h))
    model = keras.Model(
        [image, side],
        [keras.layers.Dense(2, name="logits")(h), keras.layers.Dense(1, name="gate")(h)],
    )
    path = model.export(tmp_path / "model", format="openvino")
    assert path.endswith("model.xml") and "Saved artifact at" in capsys.readouterr().out
    core = ov.Core()
    ir = core.read_model(path)
    assert [i.get_any_name() for i in ir.inputs] == ["image", "side"]
    assert [o.get_any_name() for o in ir.outputs] == ["logits", "gate"]
    assert all(i.get_partial_shape()[0].is_dynamic for i in ir.inputs)
    compiled = core.compile_model(ir, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    rng = np.random.default_rng(7)
    for rows in (4, 1):
        x = [
            rng.normal(size=(rows, 5, 5, 2)).astype("float32"),
            rng.normal(size=(rows, 3)).astype("float32"),
        ]
        result = compiled(x)
        expected = model.predict(x, verbose=0)
        for i, e in enumerate(expected):
            np.testing.assert_allclose(result[i], np.asarray(e), rtol=1e-5, atol=1e-5)
