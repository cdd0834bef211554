"""The OpenVINO backend plugin of unikeras (`UNIKERAS_BACKEND=openvino`): inference only.

Ops build OpenVINO graphs (`openvino.opset14` nodes). Eager calls on arrays are computed at
once; `Model.predict` traces the model's call into one OpenVINO model per input signature
(batch dimension dynamic), compiles it with `openvino.Core().compile_model` and reuses it.
Settings: `UNIKERAS_OPENVINO_PRECISION` (`f32` default, `bf16`, `f16`) and
`UNIKERAS_OPENVINO_DEVICE` (`CPU` default); see `unikeras_openvino.config`.
"""

from unikeras_openvino import (
    convert,
    core,
    image,
    layer,
    linalg,
    math,
    nn,
    numpy,
    random,
    symbolic,
    variable,
)
from unikeras_openvino.export import export_openvino

#: Read by the unikeras registry without importing this package (keep it a dict literal).
unikeras_plugin_info = {
    "pip_name": "unikeras-openvino",
    "priority": 10,
    "training": False,
    "jit": True,
    "export_formats": ["openvino"],
    "required_hooks": [],
}

unikeras_plugins = (
    convert,
    variable,
    layer,
    symbolic,
    core,
    numpy,
    nn,
    math,
    linalg,
    image,
    random,
)

__all__ = ["export_openvino", "unikeras_plugins"]
