"""The code examples of Keras 3.15.1's own docstrings for `keras.config`, `keras.backend`,
`keras.saving`, `keras.models`, `keras.export`, `keras.dtype_policies` (`mixed_precision`'s
names are the same objects), `keras.quantizers`, `keras.distribution` and
`keras.preprocessing`, and the 27 fastest of `keras.layers` (`LAYERS`), run on unikeras and
give Keras' values (`keras.visualization`, `keras.applications` and `keras.wrappers` have no
examples; `ops`, `activations`, `random`, `tree` and `utils` are
`test_keras_docstring_examples.py`'s, `losses` to `constraints`
`test_keras_docstring_examples_api.py`'s). The other `keras.layers` and the `keras.callbacks`
examples (up to a minute each) are run by hand: `run_keras_docstring_examples.py --namespace
layers --namespace callbacks` (on every backend: all pass but EinsumDense's, where Keras
contradicts its own docstring; on numpy and OpenVINO the 3 callbacks examples that `fit` raise
unikeras' inference-only error, as Keras' own backends of those names raise theirs).

`keras_docstring_examples_more.json` holds the examples and Keras 3.15.1's values on each of
its five backends, written by `core/tools/run_keras_docstring_examples.py --keras-only
--examples FILE --keras-backend B` with `NAMESPACES` and `FILTER`, once per backend. Here the
tool's worker runs them on the active backend in one subprocess, and each value must match
Keras' on the same backend (shape, dtype, allclose), or Keras' on jax (values only) where
Keras fails on this backend. Examples that fail under Keras itself (most of these docstrings name a `model`
or `x` they never define) are skipped with Keras' error, after the statements before the
failure were compared; examples that train skip on the inference-only backends with
unikeras' documented error. Left out of the data file: `keras.datasets` (every example
downloads) and `Model.save_weights`' example (a 454 MB EfficientNetV2L, past the tool's
120 s per example under Keras).
"""

import importlib.util
import json
import os

import pytest

import unikeras
from unikeras.backend import registry, table

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, "core", "tools", "run_keras_docstring_examples.py")
DATA = os.path.join(HERE, "keras_docstring_examples_more.json")
# The tool's --namespace order (an object is extracted once, under its first public name).
NAMESPACES = (
    "config",
    "backend",
    "saving",
    "models",
    "export",
    "dtype_policies",
    "mixed_precision",
    "quantizers",
    "distribution",
    "visualization",
    "applications",
    "preprocessing",
    "wrappers",
    "layers",
)
# The `keras.layers` examples that unikeras runs in under 0.5 s on every backend (the others,
# up to a minute each, run by hand with the tool: see the module docstring).
LAYERS = """AdaptiveMaxPooling1D AdaptiveMaxPooling2D AveragePooling3D Cropping1D Cropping2D
Cropping3D Flatten GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D
GlobalMaxPool1D GlobalMaxPool2D GlobalMaxPool3D Hashing InputSpec Layer.add_loss
LayerNormalization MaxPool3D Permute RepeatVector Reshape TextVectorization add average
maximum minimum subtract""".split()
# The tool's --filter: the examples of the data file (see the module docstring).
FILTER = r"^(?!models\.Model\.save_weights|layers\.)|^layers\.(?:%s)$" % "|".join(
    name.replace(".", r"\.") for name in LAYERS
)

_spec = importlib.util.spec_from_file_location("run_keras_docstring_examples", TOOL)
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

BACKEND = unikeras.backend.backend()
TRAINS = bool(table.backend_info()["training"])
# `keras.config.set_backend`'s example selects jax (the tool's worker switches back after it):
# tox's one-backend envs other than jax's have no unikeras-jax to switch to.
SWITCHES_TO_JAX = {"config.set_backend#doctest"}
_HAS_JAX = "jax" in registry.installed_backends()
# bfloat16 on the numpy backend comes from ml-dtypes, an optional install (tox env `core` has
# none): there an example that makes a bfloat16 array must fail with the install hint.
_NEEDS_ML_DTYPES = BACKEND == "numpy" and importlib.util.find_spec("ml_dtypes") is None
EXAMPLES, KERAS, STRICT_DTYPE = tool.load_examples(DATA, BACKEND)

# OpenVINO has no complex element types (README); Keras 3.15.1 on OpenVINO fails at the same
# statement (KeyError: 'complex64'): example id -> the start of unikeras' error.
UNSUPPORTED = {
    "openvino": {
        "backend.result_type#doctest": "ValueError: `ones`: OpenVINO rejected the graph for "
        "these arguments (unikeras backend 'openvino'): Unsupported data type: complex64",
    }
}.get(BACKEND, {})

_INT64 = (
    "Keras 3.15.1 on numpy returns int32 hash bins / token ids (as on jax, where int64 is off); "
    "on torch, tensorflow and OpenVINO int64, as unikeras on numpy does (its docstring shows "
    "arrays without a dtype: NumPy's default int64)"
)
# Examples where unikeras deliberately differs from Keras 3.15.1 on a backend:
# (backend, example id) -> (the start of the tool's reason, why). Each must still differ
# exactly so (a change shows up as a failure).
KNOWN_DIFFERENCES = {
    ("numpy", "layers.Hashing#doctest"): (
        "statement 2 (layer(inp)): value: dtype int64, Keras int32",
        _INT64,
    ),
    ("numpy", "layers.TextVectorization#doctest"): (
        "statement 5 (vectorize_layer(input_data)): value: dtype int64, Keras int32",
        _INT64,
    ),
}


@pytest.fixture(scope="module")
def unikeras_results(tmp_path_factory):
    """Runs every comparable example once on the active backend, in one subprocess."""
    tmp = tmp_path_factory.mktemp("docstring_examples_more")
    examples = [e for e in EXAMPLES if tool.comparable(KERAS[e["id"]])]
    if not _HAS_JAX:
        examples = [e for e in examples if e["id"] not in SWITCHES_TO_JAX]
    return tool.run_unikeras_examples(examples, BACKEND, str(tmp))


def test_the_data_file_covers_the_namespaces_and_backends():
    with_examples = {"config", "backend", "saving", "models", "export", "dtype_policies"}
    with_examples |= {"quantizers", "distribution", "preprocessing", "layers"}
    assert {e["name"].split(".")[0] for e in EXAMPLES} == with_examples
    with open(DATA) as f:
        assert set(json.load(f)["keras_backends"]) == set(tool.RUN_KEYS)
    assert sum(tool.comparable(KERAS[e["id"]]) for e in EXAMPLES) >= 60


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_docstring_example(example, unikeras_results):
    keras_result = KERAS[example["id"]]
    if not tool.comparable(keras_result):
        pytest.skip(f"fails under Keras 3.15.1 on {BACKEND}: {(keras_result or {}).get('error')}")
    if example["id"] in SWITCHES_TO_JAX and not _HAS_JAX:
        pytest.skip("the example switches to jax: unikeras-jax is not installed here")
    status, reason = tool.judge(
        example, keras_result, unikeras_results.get(example["id"]), STRICT_DTYPE[example["id"]]
    )
    if example["id"] in UNSUPPORTED:
        assert status == "ERROR" and reason.startswith(UNSUPPORTED[example["id"]]), reason
        return
    if (BACKEND, example["id"]) in KNOWN_DIFFERENCES:
        expected, why = KNOWN_DIFFERENCES[BACKEND, example["id"]]
        assert (status, reason[: len(expected)]) == ("FAIL", expected), why
        return
    if _NEEDS_ML_DTYPES and status == "ERROR" and "bfloat16" in reason:
        # a bfloat16 array without ml-dtypes: the error must name the install that fixes it
        assert "pip install ml-dtypes" in reason, reason
        return
    if status == "ERROR" and not TRAINS and "needs a training backend" in reason:
        # Only where Keras cannot train on its backend of that name either.
        assert "backend_error" in keras_result, f"Keras 3.15.1 runs it on {BACKEND}: {reason}"
        pytest.skip(f"inference-only backend, training raises by design: {reason}")
    if status == "KERAS-FAILS":
        pytest.skip(
            f"fails under Keras 3.15.1 on {BACKEND} after the compared statements: {reason}"
        )
    assert status == "PASS", reason


def test_the_data_file_matches_the_installed_keras():
    keras = pytest.importorskip("keras")
    if keras.__version__ != "3.15.1":
        pytest.skip(
            f"the data file holds Keras 3.15.1's examples, Keras {keras.__version__} is installed"
        )
    extracted = {e["id"]: e for e in tool.extract(NAMESPACES, FILTER)}
    stored = {e["id"]: {k: v for k, v in e.items() if k != "keras"} for e in EXAMPLES}
    assert sorted(extracted) == sorted(stored)
    for key, example in extracted.items():
        assert example == stored[key], key
