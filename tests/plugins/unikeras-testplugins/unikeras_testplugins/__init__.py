"""Test-only plugins exercising unikeras' plugin system (installed by tox, never shipped).

- `testbackend`: a backend made of the numpy backend's modules plus one of its own.
- `brokenbackend`: a backend whose `add` has the wrong parameter names; loading it must fail.
- `testbackend_addon`: an entry-point add-on overriding `add`, for `testbackend` only.
- `addon`: a run-time add-on that tests pass to `unikeras.backend.register_plugin`.
"""
