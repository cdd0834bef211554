"""JAX backend: `image` ops (`keras.ops.image`)."""

import jax
import jax.numpy as jnp

from unikeras_jax import nn
from unikeras_jax.convert import convert_to_tensor, to_jnp_dtype
from unikeras_jax.random import prng_key
from unikeras.backend.common import resampling
from unikeras.backend.common.image_api import bind_image_ops
from unikeras.backend.api import hookimpl

# --------------------------------------------------------------------------------------------
# Helpers: every op works on a batch of channels_last images (batch, height, width, channels).
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Colour spaces
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Resampling
# --------------------------------------------------------------------------------------------


_KERNELS = resampling.kernels(jnp)


def _weights(in_size, out_size, scale, translation, kernel, antialias, dtype):
    """`(in_size, out_size)` resampling weights of one axis (half-pixel centres)."""
    sample = (jnp.arange(out_size, dtype=dtype) + 0.5 - translation) / scale - 0.5
    widen = jnp.maximum(1 / scale, 1.0) if antialias else 1.0
    w = kernel(jnp.abs(sample[None, :] - jnp.arange(in_size, dtype=dtype)[:, None]) / widen)
    total = jnp.sum(w, axis=0, keepdims=True)
    w = jnp.where(
        jnp.abs(total) > 1000 * jnp.finfo(jnp.float32).eps, w / jnp.where(total != 0, total, 1), 0
    )
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return jnp.where(inside[None, :], w, 0).astype(dtype)


def _scale_and_translate(x, output_shape, spatial_dims, scale, translation, kernel, antialias):
    compute = _shared._compute_dtype(x)
    out = x.astype(compute)
    for i, axis in enumerate(spatial_dims):
        axis = axis % x.ndim
        # Weights in float64 (as exact as the reference's), applied in the compute dtype.
        wide = to_jnp_dtype("float64")  # float32 without JAX's x64 mode
        w = _weights(
            x.shape[axis],
            output_shape[axis],
            jnp.asarray(scale[i], wide),
            jnp.asarray(translation[i], wide),
            kernel,
            antialias,
            wide,
        )
        w = w.astype(compute)
        out = jnp.moveaxis(jnp.tensordot(out, w, axes=(axis, 0)), -1, axis)
    return _shared._cast_like(out, x)


@hookimpl
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias):
    x = convert_to_tensor(images)
    compute = _shared._compute_dtype(x)
    scale = convert_to_tensor(scale, dtype=compute).reshape(-1)
    translation = convert_to_tensor(translation, dtype=compute).reshape(-1)
    return _scale_and_translate(
        x, tuple(output_shape), tuple(spatial_dims), scale, translation, _KERNELS[method], antialias
    )


# --------------------------------------------------------------------------------------------
# Filters, padding, patches
# --------------------------------------------------------------------------------------------


def _elastic_noise(seed, shape, dtype):
    """Standard normal noise of `elastic_transform` from a JAX key (see `_elastic_key`)."""
    return jax.random.normal(_elastic_key(seed), shape, dtype)


def _elastic_key(seed):
    """A PRNG key from an int seed, a `(2,)` seed tensor, or `None` (the global generator)."""
    if seed is None or hasattr(seed, "next"):
        from unikeras.backend.api import draw_seed

        seed = draw_seed(seed)
    if isinstance(seed, int):
        return jax.random.key(seed)
    return prng_key(seed)


def _correlate(x, taps, axis):
    """Correlates `x` with 3 taps along `axis`, edges extended by symmetric reflection."""
    pads = [(0, 0)] * x.ndim
    pads[axis] = (1, 1)
    p = jnp.pad(x, pads, mode="symmetric")
    n = x.shape[axis]
    return sum(t * jax.lax.slice_in_dim(p, i, i + n, axis=axis) for i, t in enumerate(taps) if t)


#: The ops whose code is the same for every NumPy-API namespace, written once in
#: `unikeras.backend.common.image_api` and bound here to `jnp` and this module's helpers.
_shared = bind_image_ops(
    jnp, globals(), to_dtype=to_jnp_dtype, depthwise_conv=nn.depthwise_conv, index_dtype=jnp.int32
)
