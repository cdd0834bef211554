"""OpenVINO backend: the classes the core composes `Layer` and `Model` from (hooks
`layer_mixin`, `trainer_mixin`)."""

from unikeras.backend.api import hookimpl


@hookimpl
def layer_mixin():
    return object


@hookimpl
def trainer_mixin():
    from unikeras_openvino.trainer import OpenVINOTrainer  # imports unikeras.utils: load lazily

    return OpenVINOTrainer
