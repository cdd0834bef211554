"""The code examples of Keras 3.15.1's own docstrings for `keras.config`, `keras.backend`,
`keras.saving`, `keras.models`, `keras.export`, `keras.dtype_policies` (`mixed_precision`'s
names are the same objects), `keras.quantizers`, `keras.distribution` and
`keras.preprocessing` run on unikeras and give Keras' values (`keras.visualization`,
`keras.applications` and `keras.wrappers` have no examples; `ops`, `activations`, `random`,
`tree` and `utils` are `test_keras_docstring_examples.py`'s, `losses` to `constraints`
`test_keras_docstring_examples_api.py`'s).

`keras_docstring_examples_more.json` holds the examples and Keras 3.15.1's values on each of
its five backends, written by `core/tools/run_keras_docstring_examples.py --keras-only
--examples FILE --keras-backend B` with these namespaces, once per backend. Here the tool's
worker runs them on the active backend in one subprocess, and each value must match Keras' on
the same backend (shape, dtype, allclose), or Keras' on jax (values only) where Keras fails on
this backend. Examples that fail under Keras itself (most of these docstrings name a `model`
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
from unikeras.backend import table

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
)
# The tool's --filter: the examples left out of the data file (see the module docstring).
FILTER = r"^(?!models\.Model\.save_weights)"

_spec = importlib.util.spec_from_file_location("run_keras_docstring_examples", TOOL)
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

BACKEND = unikeras.backend.backend()
TRAINS = bool(table.backend_info()["training"])
EXAMPLES, KERAS, STRICT_DTYPE = tool.load_examples(DATA, BACKEND)

# OpenVINO has no complex element types (README); Keras 3.15.1 on OpenVINO fails at the same
# statement (KeyError: 'complex64'): example id -> the start of unikeras' error.
UNSUPPORTED = {
    "openvino": {
        "backend.result_type#doctest": "ValueError: `ones`: OpenVINO rejected the graph for "
        "these arguments (unikeras backend 'openvino'): Unsupported data type: complex64",
    }
}.get(BACKEND, {})


@pytest.fixture(scope="module")
def unikeras_results(tmp_path_factory):
    """Runs every comparable example once on the active backend, in one subprocess."""
    tmp = tmp_path_factory.mktemp("docstring_examples_more")
    examples = [e for e in EXAMPLES if tool.comparable(KERAS[e["id"]])]
    return tool.run_unikeras_examples(examples, BACKEND, str(tmp))


def test_the_data_file_covers_the_namespaces_and_backends():
    with_examples = {"config", "backend", "saving", "models", "export", "dtype_policies"}
    with_examples |= {"quantizers", "distribution", "preprocessing"}
    assert {e["name"].split(".")[0] for e in EXAMPLES} == with_examples
    with open(DATA) as f:
        assert set(json.load(f)["keras_backends"]) == set(tool.RUN_KEYS)
    assert sum(tool.comparable(KERAS[e["id"]]) for e in EXAMPLES) >= 25


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_docstring_example(example, unikeras_results):
    keras_result = KERAS[example["id"]]
    if not tool.comparable(keras_result):
        pytest.skip(f"fails under Keras 3.15.1 on {BACKEND}: {(keras_result or {}).get('error')}")
    status, reason = tool.judge(
        example, keras_result, unikeras_results.get(example["id"]), STRICT_DTYPE[example["id"]]
    )
    if example["id"] in UNSUPPORTED:
        assert status == "ERROR" and reason.startswith(UNSUPPORTED[example["id"]]), reason
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
