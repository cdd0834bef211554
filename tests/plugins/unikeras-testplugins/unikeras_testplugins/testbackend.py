"""`testbackend`: the numpy backend's implementations under another name.

Its one own hook is `backend_info`; registered after the numpy modules, it is the one used.
"""

import sys

from unikeras.backend import hookimpl
from unikeras.backend import numpy as numpy_backend


@hookimpl
def backend_info():
    info = dict(numpy_backend.core.backend_info())
    info.update(name="testbackend", notes="test-only plugin reusing the numpy backend")
    return info


unikeras_plugins = numpy_backend.unikeras_plugins + (sys.modules[__name__],)

#: Test-only: `python -m unikeras info` hides it.
unikeras_plugin_info = {"test_only": True}
