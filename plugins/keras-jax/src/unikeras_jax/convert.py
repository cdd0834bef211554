"""JAX backend: dtypes and tensor conversion (hooks `convert_to_tensor`, `convert_to_numpy`,
`is_tensor`, `standardize_native_dtype`)."""

import jax
import jax.numpy as jnp
import numpy as np

from unikeras.backend.api import Variable as BaseVariable, dtypes, hookimpl, tree
from unikeras.backend.common import conversion

_ARRAY = jax.Array
_SCALARS = (bool, int, float, complex)
_JNP_DTYPES = {False: {}, True: {}}  # per state of JAX's x64 mode

try:  # JAX's x64 switch, read on every dtype lookup: the state object is the fast way
    from jax._src.config import enable_x64 as _ENABLE_X64

    def x64_enabled():
        """Whether JAX's 64-bit mode (`jax_enable_x64`) is on."""
        return bool(_ENABLE_X64.value)
except ImportError:  # pragma: no cover - another JAX layout: the public (slower) flag

    def x64_enabled():
        """Whether JAX's 64-bit mode (`jax_enable_x64`) is on."""
        return bool(jax.config.jax_enable_x64)


BITS_64 = ("float64", "int64", "uint64", "complex128")


def to_jnp_dtype(dtype):
    """Returns the JAX (NumPy-compatible) dtype for a unikeras dtype name.

    Without JAX's x64 mode, 64-bit names give their 32-bit counterparts (as JAX itself
    truncates them), so `float64` requests compute in `float32` like Keras 3 on JAX.
    """
    cache = _JNP_DTYPES[x64_enabled()]
    found = cache.get(dtype)
    if found is None:
        name = dtypes.standardize_dtype(dtype)
        if name == "string":
            raise ValueError("The jax backend has no string tensors.")
        found = jnp.dtype(jnp.bfloat16) if name == "bfloat16" else jnp.dtype(name)
        found = jax.dtypes.canonicalize_dtype(found)
        if isinstance(dtype, str):
            cache[dtype] = found
    return found


def dtype_of(x):
    """The dtype to promote with: tensors give theirs, Python scalars stay weak types."""
    dtype = getattr(x, "dtype", None)
    return dtype if dtype is not None else type(x)


def _default_dtype(x):
    """The dtype `convert_to_tensor` gives a value without one (Python scalars, lists)."""
    name = conversion.default_dtype(x)
    return None if name is None else to_jnp_dtype(name)


@hookimpl
def convert_to_tensor(x, dtype=None, sparse=None):
    if dtype is None:
        if isinstance(x, _ARRAY):  # the most common call first: an array, no dtype
            return x
    else:
        dtype = to_jnp_dtype(dtype)
    if isinstance(x, BaseVariable):
        x = x.value
    if isinstance(x, _ARRAY):
        return x if dtype is None or x.dtype == dtype else x.astype(dtype)
    if dtype is None:
        dtype = _default_dtype(x)
    if isinstance(x, str):
        raise TypeError("convert_to_tensor: the jax backend has no string tensors.")
    if isinstance(x, (list, tuple)) and any(isinstance(v, _ARRAY) for v in tree.flatten(x)):
        return jnp.stack([convert_to_tensor(v, dtype) for v in x]) if x else jnp.zeros((0,), dtype)
    return jnp.asarray(x, dtype=dtype)


@hookimpl
def convert_to_numpy(x):
    return np.asarray(conversion.unwrap(x))


@hookimpl
def is_tensor(x):
    return isinstance(x, _ARRAY)


@hookimpl
def standardize_native_dtype(dtype):
    return to_jnp_dtype(dtype)
