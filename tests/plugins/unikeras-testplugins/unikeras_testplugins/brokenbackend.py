"""`brokenbackend`: its `add` does not match the contract's `add(x1, x2)`, so loading fails."""

from unikeras.backend import hookimpl


@hookimpl
def add(a, b):
    return a + b


#: Test-only: `python -m unikeras info` hides it.
unikeras_plugin_info = {"test_only": True}
