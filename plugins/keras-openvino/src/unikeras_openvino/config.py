"""Run-time settings of the OpenVINO backend, read from the environment when it loads.

- `UNIKERAS_OPENVINO_PRECISION`: `f32` (default, exact), `bf16` or `f16` — the
  `INFERENCE_PRECISION_HINT` compiled models run with. Lower precisions are faster on
  hardware that has them and give results within that precision's rounding.
  `set_model_precision(model, "bf16")` chooses it for one model (its predict paths).
- `UNIKERAS_OPENVINO_DEVICE`: the OpenVINO device compiled models run on (default `CPU`).
"""

import os

PRECISIONS = ("f32", "bf16", "f16")


def _checked(value, where):
    value = str(value).strip().lower() or "f32"
    value = {"float32": "f32", "bfloat16": "bf16", "float16": "f16"}.get(value, value)
    if value not in PRECISIONS:
        raise ValueError(f"{where} must be one of {PRECISIONS}. Received: {value!r}")
    return value


def precision(model=None):
    """Returns the inference precision hint in force: `model`'s own (`set_model_precision`),
    else `UNIKERAS_OPENVINO_PRECISION`, else `"f32"`."""
    own = None if model is None else model.__dict__.get("_openvino_precision")
    if own is not None:
        return own
    return _checked(
        os.environ.get("UNIKERAS_OPENVINO_PRECISION", "f32"), "UNIKERAS_OPENVINO_PRECISION"
    )


def set_model_precision(model, precision=None):
    """Sets the inference precision `model`'s `predict`, `predict_on_batch` and `model(x)`
    compile with on this backend.

    Args:
        model: A unikeras `Model`.
        precision: `"f32"` (exact, the default), `"bf16"` or `"f16"` (faster on hardware
            that has them, results within that precision's rounding; also accepted as
            `"float32"`, `"bfloat16"`, `"float16"`), or `None` to follow
            `UNIKERAS_OPENVINO_PRECISION` again.

    Returns:
        The precision now in force for `model`.
    """
    value = None if precision is None else _checked(precision, "precision")
    model.__dict__["_openvino_precision"] = value
    return globals()["precision"](model)


def device():
    """Returns the OpenVINO device name compiled models run on (default `"CPU"`)."""
    return os.environ.get("UNIKERAS_OPENVINO_DEVICE", "CPU").strip() or "CPU"


def compile_config(model=None):
    """The properties passed to `openvino.Core().compile_model` (for `model`, if given)."""
    return {"INFERENCE_PRECISION_HINT": precision(model)}
