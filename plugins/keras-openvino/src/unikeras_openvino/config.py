"""Run-time settings of the OpenVINO backend, read from the environment when it loads.

- `UNIKERAS_OPENVINO_PRECISION`: `f32` (default, exact), `bf16` or `f16` — the
  `INFERENCE_PRECISION_HINT` compiled models run with. Lower precisions are faster on
  hardware that has them and give results within that precision's rounding.
- `UNIKERAS_OPENVINO_DEVICE`: the OpenVINO device compiled models run on (default `CPU`).
"""

import os

PRECISIONS = ("f32", "bf16", "f16")


def precision():
    """Returns the inference precision hint in force (`"f32"` unless the user opted out)."""
    value = os.environ.get("UNIKERAS_OPENVINO_PRECISION", "f32").strip().lower() or "f32"
    if value not in PRECISIONS:
        raise ValueError(
            f"UNIKERAS_OPENVINO_PRECISION must be one of {PRECISIONS}. Received: {value!r}"
        )
    return value


def device():
    """Returns the OpenVINO device name compiled models run on (default `"CPU"`)."""
    return os.environ.get("UNIKERAS_OPENVINO_DEVICE", "CPU").strip() or "CPU"


def compile_config():
    """The properties passed to `openvino.Core().compile_model`."""
    return {"INFERENCE_PRECISION_HINT": precision()}
