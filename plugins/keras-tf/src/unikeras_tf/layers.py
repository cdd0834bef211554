"""Hook `engine_layer`: the TensorFlow backend implements `keras.layers.TFSMLayer`."""

from unikeras.backend.api import hookimpl


@hookimpl
def engine_layer(name):
    if name != "TFSMLayer":
        return None
    from unikeras_tf import engine_layers  # needs `unikeras.layers`: imported on first use

    return engine_layers.TFSMLayer
