"""`keras.utils.set_random_seed` sets TensorFlow's global seed whatever the backend when
TensorFlow is installed, as Keras 3 documents ("import tensorflow as tf  # Only if TF is
installed; tf.random.set_seed(seed)"), without importing it: at once when it is imported,
else right when it is imported later. Without TensorFlow it seeds the rest and no hook stays."""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

import unikeras as keras
from unikeras import utils

_SCRIPT = """
import sys
import unikeras as keras
keras.utils.set_random_seed(812)
backend_imports_tf = keras.backend.backend() == "tensorflow"
print("imported-by-seeding", "tensorflow" in sys.modules and not backend_imports_tf)
import tensorflow as tf
print("seeded", list(tf.data.Dataset.range(16).shuffle(16).as_numpy_iterator()))
print("uniform", float(tf.random.uniform(())))
tf.random.set_seed(812)
print("seeded", list(tf.data.Dataset.range(16).shuffle(16).as_numpy_iterator()))
print("uniform", float(tf.random.uniform(())))
"""


def test_tensorflow_seeded_without_being_imported():
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("TensorFlow is not installed: nothing to seed there (see the next test)")
    if "tensorflow" in sys.modules:  # imported already (the tensorflow backend): seeded at once
        import tensorflow as tf

        draws = []
        for seed in (812, 812):
            keras.utils.set_random_seed(seed)
            draws.append(list(tf.data.Dataset.range(16).shuffle(16).as_numpy_iterator()))
            draws.append(float(tf.random.uniform(())))
        tf.random.set_seed(812)
        expected = list(tf.data.Dataset.range(16).shuffle(16).as_numpy_iterator())
        assert draws[0] == draws[2] == expected and draws[1] == draws[3]
        return
    # A fresh process, where TensorFlow is not imported yet.
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [line for line in out.stdout.splitlines() if line.split(" ")[0] in _KEYS]
    assert lines[0] == "imported-by-seeding False"
    # The draws after set_random_seed equal those after tf.random.set_seed in a fresh state.
    assert lines[1:3] == lines[3:5]


_KEYS = ("imported-by-seeding", "seeded", "uniform")


def test_without_tensorflow_seeding_leaves_no_hook(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "tensorflow" else real_find_spec(name, *a),
    )
    before = list(sys.meta_path)
    keras.utils.set_random_seed(5)
    a = np.random.rand(3)
    keras.utils.set_random_seed(5)
    np.testing.assert_array_equal(a, np.random.rand(3))
    assert sys.meta_path == before
    assert not any(isinstance(h, utils._SeedTensorFlowOnImport) for h in sys.meta_path)
