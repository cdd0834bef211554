"""A run-time add-on: `register_plugin(addon)` makes `unikeras.ops.add` return `MARK`."""

from unikeras.backend import hookimpl

MARK = "added by unikeras_testplugins.addon"


@hookimpl(tryfirst=True)
def add(x1, x2):
    return MARK
