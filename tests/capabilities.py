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
        reason=f"backend {info['name']!r} declares no {name} tensors (backend_info dtypes)")


def needs_exact_float64():
    """Skips where `backend_info()["float64_precision"]` says float64 runs at float32 precision."""
    info = table.backend_info()
    return pytest.mark.skipif(
        info.get("float64_precision", "float64") != "float64",
        reason=f"backend {info['name']!r} computes float64 at "
               f"{info.get('float64_precision')} precision (backend_info float64_precision)")
