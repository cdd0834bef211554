"""The JAX backend plugin of unikeras (`UNIKERAS_BACKEND=jax`).

Every op of the unikeras contract is written with `jax.numpy`, `jax.lax`, `jax.nn` and
`jax.scipy`, so ops trace under `jax.jit`, `jax.grad` and `jax.vmap`.

64-bit types: unless the environment variable `JAX_ENABLE_X64` is set, the plugin turns
JAX's x64 mode on at import (so `int64`/`float64` tensors exist, as on the other backends);
unikeras' own defaults stay `floatx()` and `int32`. Keras 3 leaves JAX's default (x64 off),
where `float64`/`int64`/`uint64`/`complex128` NumPy data and dtype requests give their 32-bit
counterparts: set `JAX_ENABLE_X64=0` for exactly that behaviour (`JAX_ENABLE_X64=1` to ask
for 64 bits explicitly). `backend_info()["x64"]` and `["dtypes"]` report the mode in use.
"""

import os

import jax

if os.environ.get("JAX_ENABLE_X64") is None:  # the user has not chosen: 64-bit types on
    jax.config.update("jax_enable_x64", True)

from unikeras_jax import (convert, core, distribution, image, layer, layers, linalg,  # noqa: E402
                          math, nn, numpy, random, rnn, symbolic, tensorboard,
                          variable)
from unikeras_jax import export  # noqa: E402

#: Read by the unikeras registry without importing this package (keep it a dict literal).
unikeras_plugin_info = {
    "pip_name": "unikeras-jax",
    "priority": 40,
    "training": True,
    "jit": True,
    "export_formats": ["tf_saved_model"],
    "required_hooks": ["trainer_mixin"],
}

unikeras_plugins = (convert, variable, layer, symbolic, core, numpy, nn, math, linalg, image,
                    random, rnn, tensorboard, layers, distribution, export)
