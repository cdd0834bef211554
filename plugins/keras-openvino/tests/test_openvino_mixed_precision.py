"""Mixed precision on OpenVINO: a Conv1D -> LSTM -> Dense model under `"mixed_bfloat16"`
and `"mixed_float16"` (global policy or layer dtype) is served by `predict`,
`predict_on_batch` and `model(x)` in its compute dtype, within that dtype's rounding of a
float32 NumPy computation of the same weights.

OpenVINO hands bfloat16 memory to Python as float16 arrays (same width, other format); the
backend reads those bits as ml_dtypes' bfloat16, so bfloat16 results are neither errors nor
float16 garbage.
"""

import ml_dtypes
import numpy as np
import pytest

import unikeras as keras
from unikeras import layers, ops

COMPUTE = {"mixed_bfloat16": "bfloat16", "mixed_float16": "float16"}
# Largest difference from float32, relative to the largest output: bfloat16 keeps 8
# significant bits, float16 11.
TOLERANCE = {"mixed_bfloat16": 4e-2, "mixed_float16": 5e-3}


@pytest.fixture(autouse=True)
def float32_policy():
    keras.mixed_precision.set_global_policy("float32")
    yield
    keras.mixed_precision.set_global_policy("float32")


def _model(policy, how="layers"):
    if how == "global":
        keras.mixed_precision.set_global_policy(policy)
        dtype = {}
    else:
        dtype = {"dtype": policy}
    model = keras.Sequential(
        [
            keras.Input((5, 4)),
            layers.Conv1D(6, 3, padding="same", activation="relu", **dtype),
            layers.LSTM(5, return_sequences=True, **dtype),
            layers.Dense(3, **dtype),
        ]
    )
    keras.mixed_precision.set_global_policy("float32")
    return model


def _weights():
    rng = np.random.default_rng(0)
    shapes = [(3, 4, 6), (6,), (6, 20), (5, 20), (20,), (5, 3), (3,)]
    return [rng.normal(scale=0.5, size=s).astype("float32") for s in shapes]


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _reference(weights, x):
    """The model in float64 NumPy: same-padded Conv1D + relu, LSTM (gates i, f, c, o),
    Dense."""
    kernel, bias, w, u, b, dense_k, dense_b = [np.asarray(v, np.float64) for v in weights]
    padded = np.pad(x.astype(np.float64), ((0, 0), (1, 1), (0, 0)))
    conv = sum(padded[:, t : t + x.shape[1]] @ kernel[t] for t in range(3)) + bias
    conv = np.maximum(conv, 0.0)
    h = np.zeros((x.shape[0], 5))
    c = np.zeros((x.shape[0], 5))
    steps = []
    for t in range(x.shape[1]):
        z = conv[:, t] @ w + h @ u + b
        i, f, g, o = np.split(z, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        steps.append(h)
    return np.stack(steps, axis=1) @ dense_k + dense_b


@pytest.mark.parametrize("how", ["layers", "global"])
@pytest.mark.parametrize("policy", list(COMPUTE))
def test_mixed_model_served_in_compute_dtype_close_to_float32(policy, how):
    model = _model(policy, how)
    assert [layer.dtype_policy.name for layer in model.layers] == [policy] * 3
    model.set_weights(_weights())
    assert {w.dtype for w in model.get_weights()} == {np.dtype("float32")}
    x = np.random.default_rng(1).normal(size=(4, 5, 4)).astype("float32")
    expected = _reference(model.get_weights(), x)
    outputs = {
        "predict": model.predict(x, verbose=0),
        "predict_on_batch": model.predict_on_batch(x),
        "call": ops.convert_to_numpy(model(x)),
    }
    scale = np.abs(expected).max()
    for name, out in outputs.items():
        assert keras.backend.standardize_dtype(out.dtype) == COMPUTE[policy], name
        error = np.abs(out.astype(np.float64) - expected).max()
        assert error <= TOLERANCE[policy] * scale, (name, error, scale)
        assert error > 0, name  # computed in 16 bits, not float32
    np.testing.assert_array_equal(outputs["predict"], outputs["call"])


def test_bfloat16_values_in_and_out_keep_their_bits():
    """Eager casts, folded and compiled ops, and bfloat16 data fed to `predict` carry
    bfloat16 values exactly (not their bits read as float16); the backend declares the
    dtype."""
    from unikeras.backend import table

    assert "bfloat16" in table.backend_info()["dtypes"]
    x = np.random.default_rng(2).normal(size=(3, 4)).astype("float32") * 10
    as_bf16 = x.astype(ml_dtypes.bfloat16)
    for _ in range(3):  # folded, then compiled by the op cache, then from the cache
        y = ops.cast(x, "bfloat16")
        assert y.dtype == "bfloat16"
        np.testing.assert_array_equal(ops.convert_to_numpy(y), as_bf16)
    back = ops.convert_to_numpy(ops.cast(ops.add(y, y), "float32"))
    np.testing.assert_array_equal(back, (2 * as_bf16).astype(np.float32))
    model = keras.Sequential(
        [keras.Input((4,), dtype="bfloat16"), layers.Identity(dtype="bfloat16")]
    )
    out = model.predict(as_bf16, verbose=0)
    assert out.dtype == ml_dtypes.bfloat16
    np.testing.assert_array_equal(out, as_bf16)


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "bfloat16"])
def test_bfloat16_model_exports_as_ir(policy, tmp_path):
    """`model.export(format="openvino")` of a model computing in bfloat16 (float32 weights
    read as bfloat16, or bfloat16 weights) writes an IR whose bfloat16 output OpenVINO
    alone computes as `predict` does."""
    import openvino as ov

    model = _model(policy)
    model.set_weights(_weights())
    x = np.random.default_rng(3).normal(size=(2, 5, 4)).astype("float32")
    path = model.export(str(tmp_path / "model.xml"), format="openvino", verbose=False)
    compiled = ov.Core().compile_model(path, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    assert compiled.outputs[0].get_element_type() == ov.Type.bf16
    # OpenVINO's Python API returns bfloat16 memory as a float16 array: read its bits.
    served = np.asarray(compiled([x])[0]).view(np.uint16).view(ml_dtypes.bfloat16)
    expected = model.predict(x, verbose=0)
    np.testing.assert_array_equal(served, expected)
    reference = _reference(model.get_weights(), x)
    assert np.abs(served - reference).max() <= TOLERANCE["mixed_bfloat16"] * np.abs(reference).max()
