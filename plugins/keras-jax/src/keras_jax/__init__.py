"""The JAX backend plugin of unikeras (`UNIKERAS_BACKEND=jax`).

Every op of the unikeras contract is written with `jax.numpy`, `jax.lax`, `jax.nn` and
`jax.scipy`, so ops trace under `jax.jit`, `jax.grad` and `jax.vmap`. 64-bit types are
enabled at import (so `int64`/`float64` exist) while the default dtypes stay `floatx()` and
`int32`, as on every unikeras backend.
"""

import jax

jax.config.update("jax_enable_x64", True)

from keras_jax import (core, image, layers, linalg, math, nn, numpy, random,  # noqa: E402
                       rnn, tensorboard)

unikeras_plugins = (core, numpy, nn, math, linalg, image, random, rnn, tensorboard, layers)
