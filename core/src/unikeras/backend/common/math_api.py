"""FFT helpers, `cdist`, `logdet` and `view_as_real` (`keras.ops.math`) whose code is the same for
every array namespace that follows the NumPy API, written once.

`bind_math_ops` defines them against `xp` (`numpy` for the built-in backend, `jax.numpy` for
JAX) and the backend's own helpers, and returns the hook implementations as a namespace that
the backend's `math` module adds to its globals (closures: no extra call per op).
"""

import types

from unikeras.backend import dtypes
from unikeras.backend.hookspec import hookimpl


def bind_math_ops(xp, namespace, to_dtype):
    """Binds the shared `math` hook implementations to one array namespace and adds them to
    a backend's `math` module.

    Args:
        xp: The array module (`numpy` or `jax.numpy`).
        namespace: The `globals()` of the backend's `math` module. It must define the
            helpers the shared ops call, by these names:
            - `convert_to_tensor(x, dtype=None)`;
            - `to_float(x)`: `x` as an array, ints and bools as `floatx()`;
            - `to_complex(x, op_name)`: the complex array of `x = (real, imag)`
              and its dtype;
            The ops (and the helpers they share) are added to it.
        to_dtype: The backend's dtype conversion from a Keras dtype name.

    Returns:
        A `types.SimpleNamespace` of what was added, by name.
    """
    convert_to_tensor = namespace["convert_to_tensor"]
    to_float = namespace["to_float"]
    to_complex = namespace["to_complex"]
    ops = types.SimpleNamespace()

    def _hook(fn, name=None):
        impl = hookimpl(fn)
        setattr(ops, name or fn.__name__, impl)
        return impl

    def _helper(fn):
        setattr(ops, fn.__name__, fn)
        return fn

    @_hook
    def cdist(x, y):
        x, y = convert_to_tensor(x), convert_to_tensor(y)
        dtype = to_dtype(dtypes.result_type(x.dtype, y.dtype, float))
        if x.ndim < 2 or y.ndim < 2 or x.shape[-1] != y.shape[-1]:
            raise ValueError(
                "cdist: expected inputs of rank >= 2 with the same last dimension. "
                f"Received: x.shape={x.shape}, y.shape={y.shape}"
            )
        diff = x.astype(dtype)[..., :, None, :] - y.astype(dtype)[..., None, :, :]
        return xp.sqrt(xp.sum(diff * diff, axis=-1))

    @_helper
    def _split(z, dtype):
        return xp.real(z).astype(dtype), xp.imag(z).astype(dtype)

    @_hook
    def fft(x):
        z, dtype = to_complex(x, "fft")
        return _split(xp.fft.fft(z, axis=-1), dtype)

    @_hook
    def fft2(x):
        z, dtype = to_complex(x, "fft2")
        return _split(xp.fft.fft2(z, axes=(-2, -1)), dtype)

    @_hook
    def ifft2(x):
        z, dtype = to_complex(x, "ifft2")
        return _split(xp.fft.ifft2(z, axes=(-2, -1)), dtype)

    @_hook
    def irfft(x, fft_length=None):
        z, dtype = to_complex(x, "irfft")
        return xp.fft.irfft(z, n=fft_length, axis=-1).astype(dtype)

    @_hook
    def logdet(x):
        x = to_float(x)
        if x.size == 0:
            return xp.zeros(x.shape[:-2], dtype=x.dtype)
        return xp.linalg.slogdet(x)[1].astype(x.dtype)

    @_hook
    def view_as_real(x):
        x = convert_to_tensor(x)
        dtype = xp.float64 if x.dtype == xp.complex128 else xp.float32
        return xp.stack([xp.real(x), xp.imag(x)], axis=-1).astype(dtype)

    namespace.update(vars(ops))
    return ops
