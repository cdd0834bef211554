"""The torch plugin's ONNX exporter (`onnx_exporter` hook): without onnxscript (or when the
dynamo exporter fails) it falls back on the TorchScript exporter, with the model's parameters
as initializers, dynamic batch and the model's input/output names."""

import importlib.util

import numpy as np
import pytest

import unikeras as keras

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("onnx") is None or importlib.util.find_spec("onnxruntime") is None,
    reason="needs onnx and onnxruntime (installed by the tox env torch)",
)


def test_torchscript_fallback_without_onnxscript(tmp_path, monkeypatch):
    import onnxruntime as ort

    from unikeras_torch import export

    real = importlib.util.find_spec
    monkeypatch.setattr(
        export.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "onnxscript" else real(name, *a),
    )
    dynamo_calls = []
    original = export.torch.onnx.export
    monkeypatch.setattr(
        export.torch.onnx,
        "export",
        lambda *a, **k: dynamo_calls.append(k.get("dynamo")) or original(*a, **k),
    )
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((5,), name="pixels"),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dense(2, name="logits"),
        ]
    )
    path = tmp_path / "ts.onnx"
    model.export(path, format="onnx", verbose=False)
    assert dynamo_calls == [False]  # the TorchScript exporter only
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["pixels"]
    assert [o.name for o in session.get_outputs()] == ["logits"]
    rng = np.random.default_rng(1)
    for rows in (3, 1):
        x = rng.normal(size=(rows, 5)).astype("float32")
        np.testing.assert_allclose(
            session.run(None, {"pixels": x})[0],
            np.asarray(model.predict(x, verbose=0)),
            rtol=1e-5,
            atol=1e-5,
        )
