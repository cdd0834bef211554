"""Hook `engine_layer`: the JAX backend implements `keras.layers.JaxLayer` and `FlaxLayer`."""

from unikeras.backend.api import hookimpl


@hookimpl
def engine_layer(name):
    if name not in ("JaxLayer", "FlaxLayer"):
        return None
    from unikeras_jax import engine_layers  # needs `unikeras.layers`: imported on first use

    return engine_layers.CLASSES[name]
