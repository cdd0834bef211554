"""Checks shared by the layer tests: config round-trip and symbolic-vs-eager shapes.

Backend-agnostic: inputs are NumPy arrays, outputs are compared after
`keras.ops.convert_to_numpy`.
"""

import json

import numpy as np

import unikeras as keras


def to_numpy(x):
    """Converts a (nested) layer output to NumPy."""
    if isinstance(x, (list, tuple)):
        return [to_numpy(v) for v in x]
    if isinstance(x, dict):
        return {k: to_numpy(v) for k, v in x.items()}
    return keras.ops.convert_to_numpy(x)


def rand(shape, seed=0, dtype="float32"):
    """Random normal NumPy array of `shape` (reproducible by `seed`)."""
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def assert_outputs_close(actual, expected, rtol=1e-5, atol=1e-6):
    """Asserts that two (nested) outputs have equal structure and close values."""
    actual, expected = to_numpy(actual), to_numpy(expected)
    if isinstance(expected, list):
        assert len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_outputs_close(a, e, rtol, atol)
        return
    if isinstance(expected, dict):
        assert set(actual) == set(expected)
        for k in expected:
            assert_outputs_close(actual[k], expected[k], rtol, atol)
        return
    assert tuple(actual.shape) == tuple(expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def check_config_roundtrip(layer, x, call_kwargs=None):
    """Checks `from_config(get_config())`: equal, JSON-able config and equal outputs.

    `layer` must already be called (built) on `x` or is called here. Returns the new layer.
    """
    call_kwargs = call_kwargs or {}
    expected = layer(x, **call_kwargs)
    config = layer.get_config()
    json.dumps(config)
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    clone(x, **call_kwargs)
    clone.set_weights(layer.get_weights())
    assert_outputs_close(clone(x, **call_kwargs), expected)
    return clone


def _symbolic_input(shape):
    if isinstance(shape, dict):
        return {k: keras.Input(shape=s) for k, s in shape.items()}
    if shape and isinstance(shape[0], (list, tuple)):
        return [keras.Input(shape=s) for s in shape]
    return keras.Input(shape=shape)


def check_symbolic_shape(layer, input_shape, x, call_kwargs=None):
    """Checks that calling `layer` on `keras.Input(input_shape)` (batch `None`) gives the
    eager output's shape (batch dimension replaced by `None`).

    `input_shape` is a shape without batch, or a list/dict of them for multi-input layers,
    and `x` the matching eager input(s).
    """
    call_kwargs = call_kwargs or {}
    symbolic = layer(_symbolic_input(input_shape), **call_kwargs)
    eager = to_numpy(layer(x, **call_kwargs))
    sym_list = symbolic if isinstance(symbolic, (list, tuple)) else [symbolic]
    eager_list = eager if isinstance(eager, list) else [eager]
    assert len(sym_list) == len(eager_list)
    for s, e in zip(sym_list, eager_list):
        assert tuple(s.shape) == (None,) + tuple(e.shape[1:]), (s.shape, e.shape)
    return symbolic
