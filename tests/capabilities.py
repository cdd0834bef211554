"""Skip markers for what a backend declares it cannot represent (its `backend_info`).

A test that needs complex tensors or exact float64 arithmetic skips, with the reason, on a
backend that declares it lacks them (OpenVINO: no complex element type; its CPU plugin
computes float64 at float32 precision). The reason names the declaration, so a backend that
claims a dtype and then fails is never skipped.
"""

import pytest

from unikeras.backend import table


def needs_dtype(name):
    """Skips unless the active backend lists dtype `name` in `backend_info()["dtypes"]`."""
    info = table.backend_info()
    return pytest.mark.skipif(
        name not in info.get("dtypes", [name]),
        reason=f"backend {info['name']!r} declares no {name} tensors (backend_info dtypes)",
    )


def needs_exact_float64():
    """Skips where `backend_info()["float64_precision"]` says float64 runs at float32 precision."""
    info = table.backend_info()
    return pytest.mark.skipif(
        info.get("float64_precision", "float64") != "float64",
        reason=f"backend {info['name']!r} computes float64 at "
        f"{info.get('float64_precision')} precision (backend_info float64_precision)",
    )


_NARROW_64 = {"float64": "float32", "int64": "int32", "uint64": "uint32", "complex128": "complex64"}


def backend_dtype(name):
    """The dtype the active backend gives where Keras' rule says `name` (None passes through).

    A backend that declares no 64-bit tensors (JAX without x64 mode, as Keras 3 on JAX by
    default: `backend_info()["x64"]` false) gives the 32-bit counterpart of a 64-bit dtype,
    as `jax.numpy` canonicalizes it; every other backend gives `name` itself.
    """
    if name is None:
        return None
    name = str(name)
    if name in _NARROW_64 and name not in table.backend_info().get("dtypes", [name]):
        return _NARROW_64[name]
    return name


def tolerance_for(dtype, rtol, atol):
    """`(rtol, atol)` for values expected in `dtype`, widened to float32/complex64 precision
    where the backend narrows a 64-bit float dtype (values computed in 32 bits)."""
    if dtype is not None and backend_dtype(dtype) != str(dtype):
        return max(rtol, 1e-5), max(atol, 1e-6)
    return rtol, atol
