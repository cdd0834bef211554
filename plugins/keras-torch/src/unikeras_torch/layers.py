"""Hook `engine_layer`: the PyTorch backend implements `keras.layers.TorchModuleWrapper`."""

from unikeras.backend import hookimpl


@hookimpl
def engine_layer(name):
    if name != "TorchModuleWrapper":
        return None
    from unikeras_torch import engine_layers  # needs `unikeras.layers`: imported on first use

    return engine_layers.TorchModuleWrapper
