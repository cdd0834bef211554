"""Linear algebra ops (`keras.ops.linalg`: `cholesky`, `inv`, `qr`, `lstsq`, `matrix_power`) whose
code is the same for every array namespace that follows the NumPy API, written once.

`bind_linalg_ops` defines them against `xp` (`numpy` for the built-in backend, `jax.numpy` for
JAX) and the backend's own helpers, and returns the hook implementations as a namespace that
the backend's `linalg` module adds to its globals (closures: no extra call per op).
"""

import types

from unikeras.backend.common.array_args import check_qr_mode
from unikeras.backend.common.dtype_rules import float_pair_dtype
from unikeras.backend.hookspec import hookimpl


def bind_linalg_ops(xp, namespace, to_dtype):
    """Binds the shared `linalg` hook implementations to one array namespace and adds them to
    a backend's `linalg` module.

    Args:
        xp: The array module (`numpy` or `jax.numpy`).
        namespace: The `globals()` of the backend's `linalg` module. It must define the
            helpers the shared ops call, by these names:
            - `convert_to_tensor(x, dtype=None)`;
            - `to_float(x)`: `x` as an array, ints and bools as `floatx()`;
            The ops (and the helpers they share) are added to it.
        to_dtype: The backend's dtype conversion from a Keras dtype name.

    Returns:
        A `types.SimpleNamespace` of what was added, by name.
    """
    convert_to_tensor = namespace["convert_to_tensor"]
    to_float = namespace["to_float"]
    ops = types.SimpleNamespace()

    def _hook(fn, name=None):
        impl = hookimpl(fn)
        setattr(ops, name or fn.__name__, impl)
        return impl

    def _helper(fn):
        setattr(ops, fn.__name__, fn)
        return fn

    @_helper
    def _promote_float(a, b):
        a, b = convert_to_tensor(a), convert_to_tensor(b)
        dtype = float_pair_dtype(a.dtype, b.dtype)
        return a.astype(to_dtype(dtype)), b.astype(to_dtype(dtype))

    @_helper
    def _adjoint(x):
        return xp.conj(xp.swapaxes(x, -1, -2))

    @_hook
    def cholesky(x, upper=False):
        x = to_float(x)
        lower = xp.linalg.cholesky(x)
        return _adjoint(lower) if upper else lower

    @_hook
    def inv(x):
        x = to_float(x)
        return xp.linalg.inv(x).astype(x.dtype)

    @_hook
    def qr(x, mode="reduced"):
        check_qr_mode(mode)
        x = to_float(x)
        q, r = xp.linalg.qr(x, mode=mode)
        return q.astype(x.dtype), r.astype(x.dtype)

    @_helper
    def _as_matrix(a, b):
        """`b` as a matrix: a vector right-hand side (rank `a.ndim - 1`) gets a trailing axis."""
        vector = b.ndim == a.ndim - 1
        return (b[..., None] if vector else b), vector

    @_helper
    def _solve_operands(a, b):
        """`a` and `b` of `solve`: float, `b` as a matrix, both broadcast to one batch shape.

        Returns:
            `(a, rhs, vector)`: `vector` says whether `b` was a vector (drop the last axis).
        """
        a, b = _promote_float(a, b)
        rhs, vector = _as_matrix(a, b)
        batch = xp.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
        return (
            xp.broadcast_to(a, batch + a.shape[-2:]),
            xp.broadcast_to(rhs, batch + rhs.shape[-2:]),
            vector,
        )

    @_hook
    def solve(a, b):
        a, rhs, vector = _solve_operands(a, b)
        out = xp.linalg.solve(a, rhs)
        return (out[..., 0] if vector else out).astype(a.dtype)

    @_hook
    def lstsq(a, b, rcond=None):
        a, b = _promote_float(a, b)
        return xp.linalg.lstsq(a, b, rcond=rcond)[0].astype(a.dtype)

    @_hook
    def matrix_power(x, n):
        x = convert_to_tensor(x)
        if n < 0:
            x = to_float(x)
        return xp.linalg.matrix_power(x, n).astype(x.dtype)

    namespace.update(vars(ops))
    return ops
