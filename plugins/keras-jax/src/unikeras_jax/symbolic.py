"""JAX backend: symbolic shape inference (hook `compute_output_spec`) with `jax.eval_shape`,
unknown dimensions probed at two sizes (`unikeras.backend.common.shape_probe`)."""

import jax
import jax.numpy as jnp

from unikeras.backend.common import shape_probe
from unikeras.backend.api import hookimpl
from unikeras_jax.convert import to_jnp_dtype

# What tracing raises when the function needs values: it then runs on zeros.
_NEEDS_VALUES = (
    jax.errors.ConcretizationTypeError,
    jax.errors.TracerIntegerConversionError,
    jax.errors.TracerBoolConversionError,
    jax.errors.TracerArrayConversionError,
    jax.errors.NonConcreteBooleanIndexError,
    TypeError,
)


def _run(fn, args, kwargs, size):
    """The output of `fn` as ShapeDtypeStructs, traced without computing anything; run on
    zeros when the output shape depends on values."""
    try:
        specs, call = shape_probe.positional(fn, args, kwargs)
        structs = [
            jax.ShapeDtypeStruct(shape_probe.probe_shape(s, size), to_jnp_dtype(s.dtype))
            for s in specs
        ]
        return jax.eval_shape(call, *structs)
    except _NEEDS_VALUES:
        return shape_probe.call_on_zeros(fn, args, kwargs, size, _zeros)


def _zeros(shape, dtype):
    return jnp.zeros(shape, to_jnp_dtype(dtype))


@hookimpl
def compute_output_spec(fn, args, kwargs):
    return shape_probe.output_spec(fn, args, kwargs, _run)
