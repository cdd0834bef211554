"""The code examples of Keras 3.15.1's own docstrings run on unikeras and give Keras' values.

`core/tools/run_keras_docstring_examples.py` extracts the examples of every public object of
`keras.ops` (numpy, nn, math, linalg, image, core), `keras.activations`, `keras.random`,
`keras.tree` and `keras.utils` (doctest blocks and fenced python blocks under Example/Usage
headings) and runs them under Keras 3.15.1 on each of its backends; `keras_docstring_examples.json`
holds the examples and Keras' values per backend (regenerate it with the tool's `--examples`
and `--keras-only`, once per backend), so this test needs no Keras install. Here the examples
run on the active backend, all in one subprocess (fresh namespace per example; examples set
seeds and register objects), and every value must match Keras' on the same backend (shape,
dtype, allclose rtol 1e-5 / atol 1e-6; random draws: shape and dtype), or Keras' on jax
(values only) where Keras fails on this backend (its OpenVINO backend lacks many ops).
Examples that fail under Keras itself are reported skipped with Keras' error, after the
statements before the failure were compared. Where Keras is importable (the jax envs), the data file must match the
examples of the installed Keras' docstrings.
"""

import importlib.util
import json
import os

import pytest

import unikeras

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, "core", "tools", "run_keras_docstring_examples.py")
DATA = os.path.join(HERE, "keras_docstring_examples.json")
NAMESPACES = ("ops", "activations", "random", "tree", "utils")

_spec = importlib.util.spec_from_file_location("run_keras_docstring_examples", TOOL)
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

BACKEND = unikeras.backend.backend()
_HAS_TF = importlib.util.find_spec("tensorflow") is not None
EXAMPLES, KERAS, STRICT_DTYPE = tool.load_examples(DATA, BACKEND)

# Keras 3.15.1's numpy backend turns float64/int64 NumPy data into float32/int32 in some ops
# and not in others (nanmax keeps float64, lists of floats give float64 cross-entropies,
# segment_max of int32 data gives float64); unikeras' numpy backend keeps NumPy's dtypes, as
# its torch and tensorflow backends do. So on numpy values are compared and dtypes are not.
# Keras 3.15.1's OpenVINO backend is no steadier (binary_crossentropy of float lists gives
# int32, deg2rad of a float list float64, the nan-reductions of float64 data float32), so the
# same holds there.
if BACKEND in ("numpy", "openvino"):
    STRICT_DTYPE = dict.fromkeys(STRICT_DTYPE, False)

# OpenVINO has no complex element types (README: `eig`, `polar`, `view_as_complex`,
# `view_as_real` raise NotImplementedError naming the op): example id -> the error's start.
UNSUPPORTED = {
    "openvino": {
        "ops.angle#doctest": "NotImplementedError: `angle` with this `x` is not implemented",
        "ops.isreal#doctest": "ValueError: `array`: OpenVINO rejected the graph",
        "ops.polar#doctest": "NotImplementedError: `polar` is not implemented",
        "ops.view_as_complex#doctest": "NotImplementedError: `view_as_complex` is not implemented",
        "ops.view_as_real#doctest": "NotImplementedError: `view_as_real` is not implemented",
    }
}.get(BACKEND, {})

_NAN_OPS = ("nancumprod", "nancumsum", "nanmean", "nanmedian", "nanprod", "nanstd", "nanvar")
_HISTOGRAM = (
    "unikeras returns int32 counts on every backend (its spec); Keras 3.15.1's counts dtype "
    "depends on the backend: float32 on jax, float64 on torch and tensorflow for float64 data, "
    "int64 on numpy"
)
_ISTFT = (
    "statement 1 (istft(stft(x, 1, 1, 1), 1, 1, 1)): value: shape (5,), Keras (0,)",
    "Keras 3.15.1 returns an empty array on jax, tensorflow and numpy (torch raises) where its "
    "own docstring shows the 5 input values back, which unikeras returns (as Keras on OpenVINO)",
)
_COMPLEX = (
    "statement 4 (complex_tensor): value: dtype complex128, Keras complex64",
    "Keras 3.15.1 casts to complex64 whatever the precision (float64 data loses precision); "
    "unikeras gives complex128 for float64 data, as its spec documents",
)

# Examples where unikeras deliberately differs from Keras 3.15.1 on a backend:
# (backend, example id) -> (the start of the tool's reason, why). Each must still differ
# exactly so (a change shows up as a failure).
KNOWN_DIFFERENCES = {
    **{
        (backend, "ops.histogram#doctest"): (
            f"statement 1 (keras.ops.histogram(input_tensor)): value[0]: dtype int32, Keras {dt}",
            _HISTOGRAM,
        )
        for backend, dt in (("jax", "float32"), ("torch", "float64"), ("tensorflow", "float64"))
    },
    **{
        (backend, "ops.istft#doctest"): _ISTFT
        for backend in ("jax", "torch", "tensorflow", "numpy")
    },
    **{(backend, "ops.view_as_complex#doctest"): _COMPLEX for backend in ("torch", "tensorflow")},
    **{
        ("torch", f"ops.{name}#doctest"): (
            f"statement 3 (ops.{name}(x)): value: dtype float64, Keras float32",
            "Keras 3.15.1 on torch gives float32 from the nan-reductions of float64 data while its "
            "mean/sum (and every nan-op on tensorflow) keep float64, as unikeras does",
        )
        for name in _NAN_OPS
    },
    **{
        ("torch", f"ops.{name}#doctest"): (
            f"statement {index} ({statement}): value: dtype int32, Keras int64",
            "Keras 3.15.1 on torch returns torch's int64 here; its docstring (and its jax and "
            "tensorflow backends) give int32, as unikeras does on every backend",
        )
        for name, index, statement in (
            ("top_k", 3, "print(indices)"),
            ("unique", 5, "counts"),
            ("einsum", 4, 'ops.einsum("ii", a)'),
        )
    },
    ("torch", "ops.associative_scan#doctest"): (
        "statement 3 (ys): value: dtype int32, Keras float32",
        "Keras 3.15.1 on torch turns int32 data into float32 in associative_scan; on jax and "
        "tensorflow it keeps int32, as unikeras does",
    ),
    ("torch", "ops.vander#doctest"): (
        "statement 3 (keras.ops.vander(x)): value: dtype int64, Keras int32",
        "Keras 3.15.1 on torch gives int32 from int64 data, on tensorflow int64 (as unikeras on "
        "torch and tensorflow: 64-bit data keeps its width there)",
    ),
    ("torch", "tree.pack_sequence_as#doctest"): (
        "statement 8 (keras.tree.pack_sequence_as(structure, flat_sequence)): "
        "value['key1']['e']: Keras gives 'val2', unikeras 'val1'",
        "Keras 3.15.1 on torch (torch's pytree) packs dicts in insertion order; its docstring and "
        "its other backends use sorted keys, as unikeras does",
    ),
    ("openvino", "ops.all#doctest"): (
        "statement 5 (keras.ops.all(x, keepdims=True)): value: shape (1, 1), Keras (1,)",
        "Keras 3.15.1 on OpenVINO drops a dimension of a 2-D all(x, keepdims=True) (its other "
        "backends give (1, 1), as unikeras does)",
    ),
    ("openvino", "ops.any#doctest"): (
        "statement 5 (keras.ops.all(x, keepdims=True)): value: shape (1, 1), Keras (1,)",
        "the same all(x, keepdims=True) in any's docstring",
    ),
    ("openvino", "ops.average#doctest"): (
        "statement 2 (keras.ops.average(data)): value: 2.5, Keras 2",
        "Keras 3.15.1 on OpenVINO averages int32 data in int32 (2); its other backends give "
        "2.5, as unikeras does",
    ),
    ("openvino", "ops.binary_crossentropy#doctest"): (
        "statement 2 (binary_crossentropy(target, output)): value: [0.10536054521799088",
        "Keras 3.15.1 on OpenVINO gives int32 garbage ([-2147483648, 0, 0, -2147483648]) for "
        "these float lists; unikeras gives Keras' jax/torch/tensorflow values",
    ),
    ("openvino", "ops.arctan2#doctest"): (
        "statement 4 (keras.ops.arctan2( keras.ops.array([0., 0., numpy.inf]), "
        "keras.ops.array([+0....): value: [0.0, 3.1415927410125732, 0.7853981852531433], "
        "Keras [0.0, 0.0, nan]",
        "Keras 3.15.1 on OpenVINO gives arctan2(0., -0.) = 0 and arctan2(inf, inf) = nan; NumPy, "
        "its docstring and its other backends give pi and pi/4, as unikeras does",
    ),
    ("openvino", "ops.fabs#doctest"): (
        "statement 1 (keras.ops.fabs(x)): value: [1.0, 2.0], Keras [-1.0, 2.0]",
        "Keras 3.15.1 on OpenVINO gives fabs(-1) = -1 for int32 data",
    ),
    ("openvino", "ops.pinv#doctest"): (
        "statement 1 (keras.ops.pinv(a) @ a): value: [[1.000000238418579, 0.0]",
        "float32 round-off: Keras (on jax: Keras' OpenVINO backend has no pinv) and unikeras "
        "both give the identity to 1.4e-6, beyond atol 1e-6 in the off-diagonal zeros",
    ),
    ("tensorflow", "ops.stft#doctest"): (
        "statement 1 (stft(x, 3, 2, 3)): value[0]: [[0.75, -0.375]",
        "Keras 3.15.1 on tensorflow frames stft(x, 3, 2, 3) differently from its jax, torch and "
        "numpy backends (and its docstring), which unikeras matches on every backend",
    ),
}


@pytest.fixture(scope="module")
def unikeras_results(tmp_path_factory):
    """Runs every comparable example once on the active backend, in one subprocess."""
    tmp = tmp_path_factory.mktemp("docstring_examples")
    examples = [e for e in EXAMPLES if tool.comparable(KERAS[e["id"]])]
    return tool.run_unikeras_examples(examples, BACKEND, str(tmp))


def test_the_data_file_covers_every_namespace_and_backend():
    namespaces = {e["name"].split(".")[0] for e in EXAMPLES}
    assert namespaces == set(NAMESPACES)
    with open(DATA) as f:
        assert set(json.load(f)["keras_backends"]) == {
            "jax",
            "torch",
            "tensorflow",
            "numpy",
            "openvino",
        }
    assert len(EXAMPLES) > 200


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_docstring_example(example, unikeras_results):
    keras_result = KERAS[example["id"]]
    if not tool.comparable(keras_result):
        pytest.skip(f"fails under Keras 3.15.1 on {BACKEND}: {(keras_result or {}).get('error')}")
    result = unikeras_results.get(example["id"]) or {}
    if result.get("error") == "NameError: name 'tf' is not defined" and not _HAS_TF:
        pytest.skip("the example uses tf.data / tf.image: TensorFlow is not installed here")
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
    extracted = {e["id"]: e for e in tool.extract(NAMESPACES)}
    stored = {e["id"]: {k: v for k, v in e.items() if k != "keras"} for e in EXAMPLES}
    assert sorted(extracted) == sorted(stored)
    for key, example in extracted.items():
        assert example == stored[key], key
