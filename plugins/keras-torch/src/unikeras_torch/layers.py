"""Layer hooks of the PyTorch backend: `engine_layer` (`keras.layers.TorchModuleWrapper`) and
`variable_snapshot` (variables are written in place, so `stateless_call` keeps copies)."""

from unikeras.backend.api import hookimpl


@hookimpl
def engine_layer(name):
    if name != "TorchModuleWrapper":
        return None
    from unikeras_torch import engine_layers  # needs `unikeras.layers`: imported on first use

    return engine_layers.TorchModuleWrapper


@hookimpl
def variable_snapshot(value):
    # `_direct_assign` writes into the stored tensor (`copy_`), so the old value is cloned.
    return value.clone()
