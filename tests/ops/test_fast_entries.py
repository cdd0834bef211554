"""Fast entries (`unikeras.backend.api.fast_entry`): the public binary ops call the engine
function a backend declares for two eager tensors of one dtype, and give exactly what the
backend's implementation gives; everything else (Variables, KerasTensors, Python scalars,
mixed dtypes, add-ons, errors) goes through the implementation as before."""

import inspect
import sys

import numpy as np
import pytest

import unikeras
from unikeras import ops
from unikeras.backend import dtypes as dtype_names
from unikeras.backend import registry
from unikeras.backend.hookspec import FAST_ENTRY_ATTRIBUTE, fast_entry, hookimpl
from unikeras.backend.keras_tensor import KerasTensor

NUMPY_OPS = sys.modules["unikeras.ops.numpy"]
#: The binary ops of `keras.ops.numpy` whose implementation declares a fast entry here.
DECLARED = [
    name
    for name in NUMPY_OPS._FAST
    if getattr(getattr(registry.table, name), FAST_ENTRY_ATTRIBUTE, None) is not None
]


def _operands(name, dtype):
    """Two small engine tensors of `dtype` for op `name` (matmul: 2x2 matrices)."""
    if dtype == "bool":
        a, b = np.array([True, False, True]), np.array([True, True, True])
    else:
        a, b = np.array([3, 1, 2]), np.array([2, 2, 1])
    if name == "matmul":
        a, b = np.resize(a, (2, 2)), np.resize(b, (2, 2))
    return ops.convert_to_tensor(a, dtype=dtype), ops.convert_to_tensor(b, dtype=dtype)


class _Spy:
    """Replaces the module global `_fast_<name>` and counts the calls that reach it."""

    def __init__(self, monkeypatch, name):
        self.calls = 0
        engine_function = getattr(NUMPY_OPS, "_fast_" + name)

        def spy(x1, x2):
            self.calls += 1
            return engine_function(x1, x2)

        monkeypatch.setattr(NUMPY_OPS, "_fast_" + name, spy)


def _supported_dtypes():
    supported = registry.table.backend_info()["dtypes"]
    return [d for d in dtype_names.ALLOWED_DTYPES if d in supported and d != "string"]


@pytest.mark.parametrize("name", DECLARED)
def test_fast_entry_gives_what_the_implementation_gives(name, monkeypatch):
    entry = getattr(getattr(registry.table, name), FAST_ENTRY_ATTRIBUTE)
    public, implementation = getattr(ops, name), getattr(registry.table, name)
    spy = _Spy(monkeypatch, name)
    served = 0
    for dtype in _supported_dtypes():
        try:
            x1, x2 = _operands(name, dtype)
        except (TypeError, ValueError, RuntimeError):
            continue  # a dtype this engine cannot make tensors of
        fast = x1.__class__ is entry.tensor_type and x1.dtype in entry.dtypes
        try:
            want = implementation(x1, x2)
        except Exception as error:  # (e.g. no complex maximum): the public op raises it too
            assert not fast, (name, dtype, error)
            with pytest.raises(type(error)):
                public(x1, x2)
            continue
        before = spy.calls
        got = public(x1, x2)
        assert spy.calls == before + fast, (name, dtype)
        assert dtype_names.standardize_dtype(got.dtype) == dtype_names.standardize_dtype(
            want.dtype
        ), (name, dtype)
        np.testing.assert_array_equal(ops.convert_to_numpy(got), ops.convert_to_numpy(want))
        served += fast
    assert served >= 2, (name, "no dtype took the fast entry")


@pytest.mark.skipif(not DECLARED, reason="the active backend declares no fast entry")
def test_other_operands_take_the_implementation(monkeypatch):
    spy = _Spy(monkeypatch, "add")
    x = ops.convert_to_tensor(np.array([1.0, 2.0, 3.0], "float32"))
    # Mixed dtypes follow Keras 3 promotion through the implementation.
    y = ops.convert_to_tensor(np.array([1, 2, 3], "int8"))
    out = ops.add(x, y)
    assert dtype_names.standardize_dtype(out.dtype) == "float32"
    half = ops.convert_to_tensor(np.array([1, 2, 3], "float16"))
    assert dtype_names.standardize_dtype(ops.add(y, half).dtype) == "float16"
    # Python scalars are weak; a Python float with an int tensor gives floatx().
    assert dtype_names.standardize_dtype(ops.add(y, 1.5).dtype) == "float32"
    assert dtype_names.standardize_dtype(ops.add(x, 2).dtype) == "float32"
    if registry.table.backend_info()["training"]:
        variable = unikeras.Variable(np.ones(3, "float32"))
        np.testing.assert_allclose(ops.convert_to_numpy(ops.add(variable, x)), [2, 3, 4])
    symbolic = ops.add(KerasTensor((None, 3), dtype="float32"), x)
    assert isinstance(symbolic, KerasTensor) and symbolic.shape == (None, 3)
    assert spy.calls == 0
    ops.add(x, x)
    assert spy.calls == 1


@pytest.mark.skipif("matmul" not in DECLARED, reason="no fast matmul on this backend")
def test_an_engine_error_gives_the_implementations_error():
    scalar = ops.convert_to_tensor(np.float32(2.0))
    with pytest.raises(Exception) as from_public:
        ops.matmul(scalar, scalar)
    with pytest.raises(Exception) as from_implementation:
        registry.table.matmul(scalar, scalar)
    assert type(from_public.value) is type(from_implementation.value)
    assert str(from_public.value) == str(from_implementation.value)
    a, b = (ops.convert_to_tensor(np.ones(shape, "float32")) for shape in ((2, 3), (2, 3)))
    with pytest.raises(Exception) as from_public:
        ops.matmul(a, b)
    with pytest.raises(type(from_public.value)):
        registry.table.matmul(a, b)


class _FastAddon:
    """An add-on whose `add` declares a fast entry for NumPy arrays of float32 (counted)."""

    def __init__(self, fail=False):
        self.fast_calls, self.impl_calls = 0, 0

        def engine_add(x1, x2):
            self.fast_calls += 1
            if fail:
                raise RuntimeError("engine refused")
            return np.add(x1, x2)

        @hookimpl(tryfirst=True)
        @fast_entry(np.ndarray, [np.dtype("float32")], engine_add)
        def add(x1, x2):
            self.impl_calls += 1
            return "from the implementation"

        self.add = add


def test_the_winning_implementation_brings_its_fast_entry_and_takes_it_along():
    x = np.ones(3, "float32")
    addon = _FastAddon()
    registry.register_plugin(addon, name="test-fast-entry-addon")
    try:
        np.testing.assert_array_equal(ops.add(x, x), [2, 2, 2])
        assert (addon.fast_calls, addon.impl_calls) == (1, 0)
        # float64 is not declared; mixed dtypes and scalars take the implementation.
        assert ops.add(x.astype("float64"), x.astype("float64")) == "from the implementation"
        assert ops.add(x, x.astype("float64")) == "from the implementation"
        assert ops.add(x, 1.0) == "from the implementation"
        assert (addon.fast_calls, addon.impl_calls) == (1, 3)
    finally:
        registry.unregister_plugin(addon)
    # The backend's own implementation (and fast entry, if any) is back.
    assert NUMPY_OPS._fast_add is getattr(
        getattr(registry.table.add, FAST_ENTRY_ATTRIBUTE, None), "function", None
    )
    assert ops.convert_to_numpy(ops.add(1, 2)) == 3


def test_a_failing_fast_entry_falls_back_to_the_implementation():
    addon = _FastAddon(fail=True)
    registry.register_plugin(addon, name="test-fast-entry-failing")
    try:
        x = np.ones(3, "float32")
        assert ops.add(x, x) == "from the implementation"
        assert (addon.fast_calls, addon.impl_calls) == (1, 1)
    finally:
        registry.unregister_plugin(addon)


def test_an_add_on_without_fast_entry_disables_the_backends():
    class Plain:
        @hookimpl(tryfirst=True)
        def add(self, x1, x2):
            return "plain"

    addon = Plain()
    registry.register_plugin(addon, name="test-fast-entry-plain")
    try:
        assert NUMPY_OPS._fast_add is None
        x = ops.convert_to_tensor(np.ones(3, "float32"))
        assert ops.add(x, x) == "plain"
    finally:
        registry.unregister_plugin(addon)


def test_only_binary_tensor_ops_may_declare_a_fast_entry():
    class Wrong:
        @hookimpl(tryfirst=True)
        @fast_entry(np.ndarray, [np.dtype("float32")], np.reshape)
        def reshape(self, x, newshape):
            return "never"

    with pytest.raises(registry.PluginValidationError, match="reshape.*fast entry"):
        registry.register_plugin(Wrong(), name="test-fast-entry-wrong")
    assert ops.convert_to_numpy(ops.reshape(np.arange(4), (2, 2))).shape == (2, 2)


def test_every_generated_binary_op_tests_for_a_fast_entry():
    import importlib

    from unikeras.backend.hookspec import takes_fast_entry

    specs = registry.spec_functions()
    for namespace in ("core", "image", "linalg", "math", "nn", "numpy"):
        module = importlib.import_module(f"unikeras.ops.{namespace}")
        binary = [name for name in module._GENERATED if takes_fast_entry(specs[name])]
        assert list(module._FAST) == binary, namespace
        for name in binary:
            assert f"return _fast_{name}(" in inspect.getsource(getattr(module, name)), name
    assert {"add", "subtract", "multiply", "matmul"} <= set(NUMPY_OPS._FAST)
