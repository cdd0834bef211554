"""`import unikeras` imports no engine other than the selected backend's."""

import importlib.util
import os

import pytest

ENGINES = (
    "jax",
    "jaxlib",
    "torch",
    "tensorflow",
    "openvino",
    "unikeras_jax",
    "unikeras_torch",
    "unikeras_tf",
    "unikeras_openvino",
)

CHECK = f"""
import sys
import unikeras
unikeras.backend.installed_backends()
unikeras.ops.add(1.0, 2.0)
print(sorted(m for m in {ENGINES!r} if m in sys.modules))
"""


def test_import_unikeras_imports_no_engine(run_python):
    result = run_python(CHECK, UNIKERAS_BACKEND="numpy")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


LAZY = """
import importlib.util
import sys
import numpy as np
import unikeras
model = unikeras.Sequential([unikeras.Input((2,)), unikeras.layers.Dense(1)])
model.predict(np.ones((1, 2), "float32"), verbose=0)
print(sorted(m for m in ("h5py", "ml_dtypes") if m in sys.modules))
path = sys.argv[1]
model.save_weights(path)
model.load_weights(path)
print("h5py" in sys.modules)
if importlib.util.find_spec("ml_dtypes") is None:  # bfloat16 needs it: not a core dependency
    print("absent")
else:
    x = unikeras.ops.cast(unikeras.ops.ones((2,)), "bfloat16")
    unikeras.ops.convert_to_numpy(x)
    print("ml_dtypes" in sys.modules)
"""

#: Backends whose engine does not load ml_dtypes itself (JAX and TensorFlow do), with the
#: module that says the backend is installed.
_LAZY_BACKENDS = [
    name
    for name, module in (
        ("numpy", "unikeras"),
        ("torch", "unikeras_torch"),
        ("openvino", "unikeras_openvino"),
    )
    if importlib.util.find_spec(module) is not None
]


@pytest.mark.parametrize("backend", _LAZY_BACKENDS)
def test_h5py_and_ml_dtypes_load_when_first_needed(run_python, tmp_path, backend):
    """`import unikeras` and a predict load neither h5py nor ml_dtypes (slow imports; the
    torch plugin's bfloat16 conversion imports it at the first bfloat16 value read back);
    saving weights loads h5py, a bfloat16 cast ml_dtypes."""
    path = str(tmp_path / "m.weights.h5")
    result = run_python(LAZY.replace("sys.argv[1]", repr(path)), UNIKERAS_BACKEND=backend)
    assert result.returncode == 0, result.stderr
    last = "True" if importlib.util.find_spec("ml_dtypes") else "absent"
    assert result.stdout.split() == ["[]", "True", last], result.stdout


def _pytest_in(run_python, directory):
    argv = ["-q", "-p", "no:cacheprovider", str(directory)]
    code = f"import sys, pytest; sys.exit(pytest.main({argv!r}))"
    return run_python(code, UNIKERAS_BACKEND="numpy")


def test_pytest_plugin_adds_nothing_without_its_option(run_python, tmp_path):
    (tmp_path / "test_probe.py").write_text("def test_probe():\n    pass\n")
    result = _pytest_in(run_python, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "unikeras conformance" not in result.stdout


def test_pytest_plugin_does_not_import_unikeras(run_python, tmp_path):
    (tmp_path / "test_probe.py").write_text(
        "import sys\n\ndef test_probe():\n    assert 'unikeras' not in sys.modules\n"
    )
    result = _pytest_in(run_python, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    not os.environ.get("UNIKERAS_ISOLATED_ENV"),
    reason="only meaningful in tox's one-backend envs (UNIKERAS_ISOLATED_ENV=1)",
)
def test_only_the_active_backends_engine_is_installed():
    """`pip install unikeras keras-<x>` pulls that engine and no other."""
    from unikeras.backend import registry

    engines = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "openvino": "openvino"}
    present = sorted(
        module
        for backend, module in engines.items()
        if backend != registry.backend() and importlib.util.find_spec(module)
    )
    assert not present, f"engines installed besides {registry.backend()!r}: {present}"
