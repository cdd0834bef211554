"""The code examples of Keras 3.15.1's own docstrings for `keras.losses`, `keras.metrics`,
`keras.optimizers` (with `schedules`), `keras.initializers`, `keras.regularizers` and
`keras.constraints` run on unikeras and give Keras' values (task B; the `keras.ops`,
`activations`, `random`, `tree` and `utils` examples are `test_keras_docstring_examples.py`'s).

The examples and Keras 3.15.1's values on jax are in `keras_docstring_examples_api.json`,
written by `core/tools/run_keras_docstring_examples.py --keras-only --examples FILE` with those
namespaces; the tool's worker runs them on the active backend in one subprocess, and each
value must match Keras' (shape, allclose; dtypes on jax only, values only elsewhere). Examples
that fail under Keras itself are skipped with Keras' error (the statements before the failure
were compared); examples that train skip on the inference-only backends. The `keras.layers`
and Model examples, too slow for this test's budget, are run by the tool by hand (see the
README's docstring-examples paragraph).
"""

import importlib.util
import os

import numpy as np
import pytest

import unikeras
from unikeras.backend import table

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, "core", "tools", "run_keras_docstring_examples.py")
DATA = os.path.join(HERE, "keras_docstring_examples_api.json")
NAMESPACES = ("losses", "metrics", "optimizers", "constraints", "initializers", "regularizers")

_spec = importlib.util.spec_from_file_location("run_keras_docstring_examples", TOOL)
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

BACKEND = unikeras.backend.backend()
TRAINS = bool(table.backend_info()["training"])
EXAMPLES, KERAS, STRICT_DTYPE = tool.load_examples(DATA, BACKEND)

_INT_INPUTS = (
    "Keras 3.15.1 computes this metric on the docstring's int32 lists in int32 (nan or a "
    "truncated value on jax and torch, an error on tensorflow); unikeras gives the value its "
    "docstring shows"
)
# Examples where unikeras differs from Keras 3.15.1: example id -> why. Each must still not
# pass (a change shows up as a failure, to be moved out of this table).
KNOWN_DIFFERENCES = {
    "metrics.LogCoshError#doctest": _INT_INPUTS,
    "metrics.MeanAbsolutePercentageError#doctest": _INT_INPUTS,
    "metrics.Poisson#doctest": _INT_INPUTS,
}


@pytest.fixture(scope="module")
def unikeras_results(tmp_path_factory):
    """Runs every comparable example once on the active backend, in one subprocess."""
    tmp = tmp_path_factory.mktemp("docstring_examples_api")
    examples = [e for e in EXAMPLES if tool.comparable(KERAS[e["id"]])]
    return tool.run_unikeras_examples(examples, BACKEND, str(tmp))


def test_the_data_file_covers_the_namespaces():
    assert {e["name"].split(".")[0] for e in EXAMPLES} == set(NAMESPACES)
    assert sum(tool.comparable(KERAS[e["id"]]) for e in EXAMPLES) >= 80


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_docstring_example(example, unikeras_results):
    keras_result = KERAS[example["id"]]
    if not tool.comparable(keras_result):
        pytest.skip(f"fails under Keras 3.15.1: {(keras_result or {}).get('error')}")
    status, reason = tool.judge(
        example, keras_result, unikeras_results.get(example["id"]), STRICT_DTYPE[example["id"]]
    )
    if example["id"] in KNOWN_DIFFERENCES:
        assert status in ("FAIL", "ERROR"), KNOWN_DIFFERENCES[example["id"]]
        return
    if status == "ERROR" and not TRAINS and "needs a training backend" in reason:
        pytest.skip(f"inference-only backend, training raises by design: {reason}")
    if status == "KERAS-FAILS":
        pytest.skip(f"fails under Keras 3.15.1 after the compared statements: {reason}")
    assert status == "PASS", reason


def test_the_data_file_matches_the_installed_keras():
    keras = pytest.importorskip("keras")
    if keras.__version__ != "3.15.1":
        pytest.skip(
            f"the data file holds Keras 3.15.1's examples, Keras {keras.__version__} is here"
        )
    extracted = {e["id"]: e for e in tool.extract(NAMESPACES)}
    stored = {e["id"]: {k: v for k, v in e.items() if k != "keras"} for e in EXAMPLES}
    assert sorted(extracted) == sorted(stored)
    for key, example in extracted.items():
        assert example == stored[key], key


def test_tool_joins_a_continuation_line_missing_its_prompt():
    # keras.initializers.VarianceScaling's docstring has such a line.
    doc = """
    >>> x = dict(
        a=1)
    >>> x["a"]
    1
    """
    statements = tool._doctest_statements(doc)
    assert [s["src"] for s in statements] == ["x = dict(\na=1)\n", 'x["a"]\n']
    assert [s["want"] for s in statements] == ["", "1\n"]


def test_tool_compares_values_that_change_with_the_seed_by_shape_and_dtype():
    def run(value):
        return {"id": "e", "status": "ok", "values": [[0, value], [1, value]]}

    def array(data):
        return tool.serialize(np.array(data, "float32"), unikeras)

    keras_result = run(array([1.0, 2.0]))
    other = run(array([1.0, 2.0]))
    other["values"][1][1] = array([3.0, 4.0])  # statement 1 drew random numbers
    results = {"e": keras_result}
    tool._mark_random(results, {"e": other})
    assert keras_result["random_keys"] == ["1"]
    example = {"id": "e", "kind": "doctest", "statements": [{"src": "a"}, {"src": "b"}]}
    ours = run(array([5.0, 6.0]))
    assert tool.judge(example, keras_result, ours)[0] == "FAIL"  # statement 0 is exact
    ours["values"][0][1] = array([1.0, 2.0])
    assert tool.judge(example, keras_result, ours) == ("PASS", "")
    ours["values"][1][1] = array([5.0, 6.0, 7.0])
    assert tool.judge(example, keras_result, ours)[0] == "FAIL"  # the shape still counts


def test_tool_serializes_variables_and_numpy_strings():
    # A layer's call may return its Variable (the `Layer` docstring); vocabularies are np.str_.
    variable = tool.serialize(unikeras.Variable([1.0, 2.0]), unikeras)
    assert variable == {"t": "array", "dtype": "float32", "shape": [2], "data": [1.0, 2.0]}
    assert tool.serialize(np.str_("ab"), unikeras)["dtype"] == "<U2"
