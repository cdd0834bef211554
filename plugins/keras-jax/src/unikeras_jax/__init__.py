"""The JAX backend plugin of unikeras (`UNIKERAS_BACKEND=jax`).

Every op of the unikeras contract is written with `jax.numpy`, `jax.lax`, `jax.nn` and
`jax.scipy`, so ops trace under `jax.jit`, `jax.grad` and `jax.vmap`.

64-bit types: the plugin leaves JAX's x64 mode as JAX sets it, as Keras 3 does: off by
default, where `float64`/`int64`/`uint64`/`complex128` NumPy data and dtype requests give their
32-bit counterparts (what Keras 3 on JAX returns). Ask for 64-bit tensors with the environment
variable `JAX_ENABLE_X64=1` or `jax.config.update("jax_enable_x64", True)` before the first
op. `backend_info()["x64"]` and `["dtypes"]` report the mode in use.
"""

from unikeras.backend.api import plugin_modules

#: Read by the unikeras registry without importing this package (keep it a dict literal).
unikeras_plugin_info = {
    "pip_name": "unikeras-jax",
    "priority": 40,
    "training": True,
    "jit": True,
    "export_formats": ["tf_saved_model"],
    "required_hooks": ["trainer_mixin"],
}

unikeras_plugins = plugin_modules(__name__)
