"""The JAX backend plugin of unikeras (`UNIKERAS_BACKEND=jax`).

Every op of the unikeras contract is written with `jax.numpy`, `jax.lax`, `jax.nn` and
`jax.scipy`, so ops trace under `jax.jit`, `jax.grad` and `jax.vmap`.

Like Keras 3 on JAX, the plugin leaves JAX's configuration alone: with JAX's default
(`jax_enable_x64` off) there are no 64-bit tensors, so `float64`/`int64`/`uint64`/
`complex128` values and dtype requests give their 32-bit counterparts (NumPy `float64` data
converts to `float32`). To compute in 64 bits, turn JAX's x64 mode on yourself, before creating
any tensor: `jax.config.update("jax_enable_x64", True)` or the environment variable
`JAX_ENABLE_X64=1`; `backend_info()["dtypes"]` lists what the current mode offers.
"""

from keras_jax import (core, distribution, image, layers, linalg, math, nn,  # noqa: E402
                       numpy, random, rnn, tensorboard)

unikeras_plugins = (core, numpy, nn, math, linalg, image, random, rnn, tensorboard, layers,
                    distribution)
