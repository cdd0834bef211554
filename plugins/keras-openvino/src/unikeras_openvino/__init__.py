"""The OpenVINO backend plugin of unikeras (`UNIKERAS_BACKEND=openvino`): inference only.

Ops build OpenVINO graphs (`openvino.opset14` nodes). Eager calls on arrays are computed at
once; `Model.predict` traces the model's call into one OpenVINO model per input signature
(batch dimension dynamic), compiles it with `openvino.Core().compile_model` and reuses it.
Settings: `UNIKERAS_OPENVINO_PRECISION` (`f32` default, `bf16`, `f16`) and
`UNIKERAS_OPENVINO_DEVICE` (`CPU` default); see `unikeras_openvino.config`.
"""

from unikeras.backend.api import plugin_modules

from unikeras_openvino.export import export_openvino

#: Read by the unikeras registry without importing this package (keep it a dict literal).
unikeras_plugin_info = {
    "pip_name": "unikeras-openvino",
    "priority": 10,
    "jit": True,
    "export_formats": ["openvino"],
}

unikeras_plugins = plugin_modules(__name__)

__all__ = ["export_openvino", "unikeras_plugins"]
