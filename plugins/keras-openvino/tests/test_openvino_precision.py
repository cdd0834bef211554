"""Inference precision per model: float32 stays the default, `set_model_precision` chooses
another for one model, and the choice reaches OpenVINO's compile as the precision hint."""

import os

import numpy as np
import pytest

import unikeras as keras
from unikeras_openvino import graph
from unikeras_openvino.config import set_model_precision


class _RecordingCore:
    """Stands in for `graph.CORE`, recording the properties of every compile."""

    def __init__(self, core):
        self.core = core
        self.properties = []

    def compile_model(self, model, device, properties):
        self.properties.append(dict(properties))
        return self.core.compile_model(model, device, properties)


@pytest.fixture
def compiles(monkeypatch):
    monkeypatch.delenv("UNIKERAS_OPENVINO_PRECISION", raising=False)
    recorder = _RecordingCore(graph.CORE)
    monkeypatch.setattr(graph, "CORE", recorder)
    return recorder.properties


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    rng = np.random.default_rng(0)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    return model


def test_float32_is_the_default(compiles):
    model = _model()
    x = np.random.default_rng(1).random((2, 4), dtype=np.float32)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(model.predict_on_batch(x), x @ kernel + bias, rtol=1e-6)
    assert compiles and all(p["INFERENCE_PRECISION_HINT"] == "f32" for p in compiles)


def test_a_model_chooses_its_precision(compiles):
    model, other = _model(), _model()
    x = np.random.default_rng(2).random((2, 4), dtype=np.float32)
    kernel, bias = model.get_weights()
    model.predict_on_batch(x)
    assert set_model_precision(model, "bfloat16") == "bf16"
    out = model.predict_on_batch(x)  # compiled again with the new hint
    assert compiles[-1]["INFERENCE_PRECISION_HINT"] == "bf16"
    np.testing.assert_allclose(out, x @ kernel + bias, rtol=2e-2, atol=2e-2)
    other.predict_on_batch(x)  # the other model keeps float32
    assert compiles[-1]["INFERENCE_PRECISION_HINT"] == "f32"
    count = len(compiles)
    model.predict_on_batch(x)
    model(x)
    assert len(compiles) == count  # no recompile while nothing changed
    assert set_model_precision(model, None) == "f32"
    model.predict_on_batch(x)
    assert compiles[-1]["INFERENCE_PRECISION_HINT"] == "f32"


def test_invalid_precision_is_rejected():
    with pytest.raises(ValueError, match="precision must be one of"):
        set_model_precision(_model(), "int3")


@pytest.mark.parametrize(
    "precision, weight_bytes, tolerance", [("f32", 4, 1e-5), ("f16", 2, 1e-2), ("bf16", 2, 4e-2)]
)
def test_export_stores_the_chosen_precision(tmp_path, precision, weight_bytes, tolerance):
    """`model.export(format="openvino", precision=...)` stores the float32 weights in that
    precision and records it as the IR's precision hint; the IR compiled with that hint gives
    the NumPy values within that precision's rounding."""
    import openvino as ov

    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(64)])
    rng = np.random.default_rng(1)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    path = model.export(tmp_path / "m", format="openvino", precision=precision, verbose=False)
    core = ov.Core()
    ir = core.read_model(path)
    hint = ir.get_rt_info(["runtime_options", "INFERENCE_PRECISION_HINT"])
    assert str(hint.astype(str)) == precision
    weights = (64 * 64 + 64) * weight_bytes
    assert weights <= os.path.getsize(path[: -len(".xml")] + ".bin") < weights + 1024
    x = rng.random((8, 64), dtype=np.float32)
    kernel, bias = [np.asarray(w, np.float64) for w in model.get_weights()]
    compiled = core.compile_model(ir, "CPU", {"INFERENCE_PRECISION_HINT": precision})
    value = compiled(x)[0]
    expected = x @ kernel + bias
    np.testing.assert_allclose(value, expected, rtol=tolerance, atol=tolerance * 8)


def test_export_rejects_an_unknown_precision(tmp_path):
    with pytest.raises(ValueError, match="precision must be one of"):
        _model().export(tmp_path / "m", format="openvino", precision="int8", verbose=False)
