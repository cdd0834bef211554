"""Hook implementations may leave their default values to the spec (the registry gives them the
spec's when it registers them); the parameter names and kinds are still checked exactly."""

import inspect
import types

import numpy as np
import pytest

import unikeras
from unikeras.backend import registry
from unikeras.backend.api import hookimpl


def _spec_defaults(name):
    return {
        p.name: p.default
        for p in inspect.signature(registry.spec_functions()[name]).parameters.values()
        if p.default is not inspect.Parameter.empty
    }


def test_active_backend_unique_takes_the_spec_defaults():
    # Every backend's `unique` declares no defaults; direct table calls still work.
    x = np.array([3, 1, 3, 2], "int32")
    np.testing.assert_array_equal(
        unikeras.ops.convert_to_numpy(registry.table.unique(x)), [1, 2, 3]
    )
    fn = inspect.unwrap(registry.table.unique)
    got = {
        p.name: p.default
        for p in inspect.signature(fn).parameters.values()
        if p.default is not inspect.Parameter.empty
    }
    assert got == _spec_defaults("unique")


def test_backend_modules_have_the_spec_defaults_from_import():
    # registry.plugin_modules gives them at import, before any registration (the conformance
    # kit calls the numpy backend's functions directly whatever the active backend).
    from unikeras.backend.numpy import nn as numpy_nn

    params = inspect.signature(numpy_nn.dot_product_attention).parameters
    assert params["is_causal"].default is False
    assert params["scale"].default is None


def _addon(fn):
    module = types.ModuleType("spec_defaults_addon")
    module.unique = hookimpl(tryfirst=True)(fn)
    return module


def test_runtime_addon_without_defaults_gets_the_specs():
    def unique(x, sorted, return_index, return_inverse, return_counts, axis, size, fill_value):
        return (sorted, return_index, return_inverse, return_counts, axis, size, fill_value)

    addon = _addon(unique)
    unikeras.backend.register_plugin(addon)
    try:
        assert registry.table.unique("x") == (True, False, False, False, None, None, None)
    finally:
        unikeras.backend.unregister_plugin(addon)


def test_own_defaults_are_kept_and_names_still_checked():
    def unique(x, sorted=False, return_index=False, return_inverse=False, return_counts=False,
               axis=None, size=None, fill_value=None):  # fmt: skip
        return sorted

    assert unique.__defaults__[0] is False
    addon = _addon(unique)
    unikeras.backend.register_plugin(addon)
    try:
        assert registry.table.unique("x") is False
    finally:
        unikeras.backend.unregister_plugin(addon)

    def wrong(x, sorted, return_index, return_inverse, return_counts, axis, size, fill):
        return x

    wrong.__name__ = "unique"
    with pytest.raises(registry.PluginValidationError, match="unique"):
        unikeras.backend.register_plugin(_addon(wrong))
