"""Default implementations of the ops that can be written with other ops.

Every backend gets them: the registry registers these modules with each backend, and their
`@hookimpl(trylast=True)` marks give them the lowest priority, so a backend (or an add-on)
that implements the same op with a faster engine kernel wins. They call the active backend's
implementations through the dispatch table, so on any engine they build that engine's
tensors (or graph nodes, on OpenVINO).
"""

from unikeras.backend.defaults import core, image, nn, numpy

unikeras_plugins = (core, numpy, nn, image)
