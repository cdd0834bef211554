"""`model.export(path, format="onnx")` on the active backend: the file runs in onnxruntime
with `predict`'s outputs (within 1e-5) at two batch sizes (dynamic batch), inputs named after
the model's inputs and outputs after the layers producing them, the opset asked for; where
the backend cannot export ONNX (no converter installed) the error names the pip install."""

import importlib.util
import sys

import numpy as np
import pytest

import unikeras as keras
from unikeras.backend import registry

BACKEND = keras.backend.backend()
INSTALLED = set(registry.installed_backends())


def _has(*modules):
    return all(importlib.util.find_spec(m) is not None for m in modules)


# The routes of unikeras.export.onnx: torch.onnx on torch, tf2onnx on tensorflow, else a
# subprocess on an installed backend that declares "onnx" (tensorflow first, then torch).
TF_ROUTE = "tensorflow" in INSTALLED and _has("tensorflow", "onnx", "tf2onnx")
TORCH_ROUTE = "torch" in INSTALLED and _has("torch", "onnx")
if BACKEND == "torch":
    CAN_EXPORT = TORCH_ROUTE
elif BACKEND == "tensorflow":
    CAN_EXPORT = TF_ROUTE
else:
    CAN_EXPORT = TF_ROUTE or TORCH_ROUTE
CAN_RUN = CAN_EXPORT and _has("onnxruntime")
needs_onnx = pytest.mark.skipif(
    not CAN_RUN,
    reason=f"no ONNX route on the {BACKEND} backend in this env (the error is tested) or "
    "onnxruntime missing",
)

RNG = np.random.default_rng(3)


def _two_in_two_out():
    keras.utils.set_random_seed(2)
    a, b = keras.Input((4,), name="tokens"), keras.Input((2,), name="extra")
    h = keras.layers.Dense(5, activation="tanh")(a)
    h = keras.layers.BatchNormalization()(keras.layers.Concatenate()([h, b]))
    return keras.Model(
        [a, b],
        [
            keras.layers.Dense(3, activation="softmax", name="probs")(h),
            keras.layers.Dense(1, name="value")(h),
        ],
    )


def _session(path):
    import onnxruntime as ort

    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


@needs_onnx
def test_onnx_runs_in_onnxruntime_like_predict(tmp_path, capsys):
    model = _two_in_two_out()
    path = tmp_path / "model.onnx"
    assert model.export(path, format="onnx") == path
    assert "Saved artifact at" in capsys.readouterr().out
    session = _session(path)
    assert [i.name for i in session.get_inputs()] == ["tokens", "extra"]
    assert [o.name for o in session.get_outputs()] == ["probs", "value"]
    assert session.get_inputs()[0].shape[1:] == [4]
    for rows in (5, 1):  # the batch size stays dynamic
        x = [RNG.normal(size=(rows, 4)).astype("float32"), RNG.normal(size=(rows, 2))]
        x[1] = x[1].astype("float32")
        got = session.run(None, {"tokens": x[0], "extra": x[1]})
        expected = model.predict(x, verbose=0)
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g, np.asarray(e), rtol=1e-5, atol=1e-5)


class _Residual(keras.Model):
    def __init__(self):
        super().__init__()
        self.inner = keras.layers.Dense(3, activation="relu")
        self.head = keras.layers.Dense(3)

    def call(self, x):
        return x + self.head(self.inner(x))


@needs_onnx
@pytest.mark.skipif(
    BACKEND not in ("torch", "tensorflow"),
    reason="other backends export ONNX in a subprocess from a `.keras` file, which can "
    "rebuild only classes importable and registered there (a test module's class is not)",
)
def test_subclassed_model_with_input_signature_and_opset(tmp_path):
    import onnx

    keras.utils.set_random_seed(4)
    model = _Residual()
    x = RNG.normal(size=(4, 3)).astype("float32")
    expected = np.asarray(model.predict(x, verbose=0))
    path = tmp_path / "sub.onnx"
    model.export(
        path,
        format="onnx",
        verbose=False,
        input_signature=[keras.InputSpec(shape=(None, 3), dtype="float32", name="x")],
        opset_version=18,
    )
    opsets = {o.domain: o.version for o in onnx.load(str(path)).opset_import}
    assert opsets[""] == 18
    session = _session(path)
    assert [i.name for i in session.get_inputs()] == ["x"]
    assert [o.name for o in session.get_outputs()] == ["output_0"]
    np.testing.assert_allclose(session.run(None, {"x": x})[0], expected, rtol=1e-5, atol=1e-5)


@pytest.mark.skipif(
    BACKEND in ("torch", "tensorflow"), reason="torch and tensorflow export ONNX themselves"
)
def test_no_onnx_route_names_the_pip_install(tmp_path, monkeypatch):
    model = _two_in_two_out()
    if CAN_EXPORT:  # hide the installed routes (this env has them)
        monkeypatch.setattr(registry, "backends_exporting", lambda format: [])
    with pytest.raises(ImportError, match=r"pip install unikeras-tf.*pip install unikeras-torch"):
        model.export(tmp_path / "m.onnx", format="onnx", verbose=False)


@pytest.mark.skipif(
    BACKEND not in ("torch", "tensorflow") or not CAN_EXPORT,
    reason="the in-process ONNX routes (torch, tensorflow) import onnx here",
)
def test_missing_onnx_names_the_pip_install(tmp_path, monkeypatch):
    model = _two_in_two_out()
    monkeypatch.setitem(sys.modules, "onnx", None)  # `import onnx` now fails
    with pytest.raises(ImportError, match="pip install onnx"):
        model.export(tmp_path / "m.onnx", format="onnx", verbose=False)
