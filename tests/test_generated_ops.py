"""The public ops are ordinary source written by `core/tools/gen_ops.py` from the op specs."""

import importlib
import importlib.util
import inspect
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import unikeras
from unikeras.backend import registry
from unikeras.backend.keras_tensor import KerasTensor

ROOT = pathlib.Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "core" / "tools" / "gen_ops.py"
NAMESPACES = ("core", "image", "linalg", "math", "nn", "numpy")


def _generator():
    spec = importlib.util.spec_from_file_location("gen_ops_under_test", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_ops_modules_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_mode_reports_a_stale_module(tmp_path, monkeypatch):
    gen = _generator()
    # A copy of the source tree with one spec docstring changed: its ops module is stale.
    copy = tmp_path / "unikeras"
    for sub in ("backend/specs", "ops"):
        (copy / sub).mkdir(parents=True)
        for path in (gen.ROOT / sub).glob("*.py"):
            (copy / sub / path.name).write_text(path.read_text())
    spec = copy / "backend" / "specs" / "nn.py"
    text = spec.read_text()
    assert '"""Rectified linear unit' in text
    spec.write_text(text.replace('"""Rectified linear unit', '"""Changed: rectified linear unit'))
    monkeypatch.setattr(gen, "SPECS", copy / "backend" / "specs")
    monkeypatch.setattr(gen, "OPS", copy / "ops")
    assert gen.main(["--check"]) == 1
    assert [pathlib.Path(p).name for p in gen.stale_modules()] == ["nn.py"]
    assert gen.main([]) == 0  # rewrites the block...
    assert gen.stale_modules() == []  # ...after which the copy is up to date
    assert "Changed: rectified linear unit" in (copy / "ops" / "nn.py").read_text()
    # The hand-written part around the block is kept as it was.
    original = (gen.ROOT / "ops" / "nn.py").read_text()
    rewritten = (copy / "ops" / "nn.py").read_text()
    assert rewritten.split(gen.BEGIN)[0] == original.split(gen.BEGIN)[0]
    assert rewritten.split(gen.END)[1] == original.split(gen.END)[1]


def test_every_spec_op_is_an_ordinary_function_with_source():
    spec_functions = registry.spec_functions()
    for namespace in NAMESPACES:
        module = importlib.import_module(f"unikeras.ops.{namespace}")
        spec_module = importlib.import_module(f"unikeras.backend.specs.{namespace}")
        for name, spec in vars(spec_module).items():
            if spec_functions.get(name) is not spec:
                continue
            op = getattr(module, name)
            assert name in module.__all__
            assert inspect.isfunction(op), (namespace, name)
            # A real module holds it under its name; its source is the module's file.
            assert getattr(sys.modules[op.__module__], name) is op, (namespace, name)
            assert inspect.getsourcefile(op) == inspect.getsourcefile(module), (namespace, name)
            assert f"def {name}(" in inspect.getsource(op)
            # The spec's parameters (names, kinds, defaults) and docstring.
            got = [(p.name, p.kind, p.default) for p in inspect.signature(op).parameters.values()]
            want = [
                (p.name, p.kind, p.default) for p in inspect.signature(spec).parameters.values()
            ]
            assert got == want, (namespace, name)
            if op.__module__ == module.__name__ and name in module._GENERATED:
                assert op.__doc__ == spec.__doc__, (namespace, name)


def test_add_has_source_and_a_real_module():
    add = unikeras.ops.add
    assert add.__module__ == "unikeras.ops.numpy"
    assert importlib.import_module(add.__module__).add is add
    source = inspect.getsource(add)
    assert source.startswith("def add(x1, x2):")
    assert "_impl_add(x1, x2)" in source
    assert add.__code__.co_filename.endswith(str(pathlib.Path("unikeras", "ops", "numpy.py")))


def test_generated_ops_call_the_active_backend_and_branch_on_keras_tensors():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(unikeras.ops.convert_to_numpy(unikeras.ops.add(x, x)), x + x)
    # Each generated op is bound to the implementation the dispatch table holds now.
    numpy_module = sys.modules["unikeras.ops.numpy"]
    for name in numpy_module._GENERATED:
        assert getattr(numpy_module, "_impl_" + name) is getattr(registry.table, name), name
    # Symbolic branch: a KerasTensor in any tensor argument gives a KerasTensor.
    symbolic = KerasTensor((None, 3), dtype="float32")
    for args in ((symbolic, x[0]), (x[0], symbolic)):
        out = unikeras.ops.add(*args)
        assert isinstance(out, KerasTensor) and out.shape == (None, 3)
    # Variadic `*x: Tensors` and keyword-only arguments.
    grids = unikeras.ops.meshgrid(KerasTensor((2,)), KerasTensor((3,)), indexing="ij")
    assert [tuple(g.shape) for g in grids] == [(2, 3), (2, 3)]


def test_rebinding_follows_a_table_rebuild():
    calls = []

    class Addon:
        @unikeras.backend.hookimpl(tryfirst=True)
        def add(self, x1, x2):
            calls.append((x1, x2))
            return "from the add-on"

    addon = Addon()
    registry.register_plugin(addon, name="test-generated-ops-addon")
    try:
        assert unikeras.ops.add(1, 2) == "from the add-on"
        assert calls == [(1, 2)]
    finally:
        registry.unregister_plugin(addon)
    assert unikeras.ops.convert_to_numpy(unikeras.ops.add(1, 2)) == 3
    assert calls == [(1, 2)]


def test_shared_argument_check_runs_before_the_symbolic_branch():
    with pytest.raises(ValueError, match=r"inv: expected square matrices \(\.\.\., M, M\)"):
        unikeras.ops.inv(KerasTensor((None, 2, 3)))
    with pytest.raises(ValueError, match=r"inv: expected square matrices"):
        unikeras.ops.inv(np.ones((2, 3), "float32"))
    assert unikeras.ops.inv(KerasTensor((None, 3, 3))).shape == (None, 3, 3)


def test_autograph_reads_the_ops_as_source():
    # TensorFlow's AutoGraph converts Python functions from their source: the generated ops
    # have one, so a user's `tf.function` over them needs no AutoGraph rule for unikeras.
    if registry.backend() != "tensorflow":
        pytest.skip("AutoGraph is TensorFlow's: checked on the tensorflow backend")
    import tensorflow as tf

    code = tf.autograph.to_code(unikeras.ops.add)
    assert "def tf__add(x1, x2):" in code and "_impl_add" in code
    traced = tf.function(lambda x: unikeras.ops.multiply(unikeras.ops.add(x, 1.0), 2.0))
    x = np.arange(4, dtype="float32")
    np.testing.assert_allclose(traced(tf.constant(x)).numpy(), (x + 1.0) * 2.0)
