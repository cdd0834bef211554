"""core/tools/op_dtype_parity.py: the comparison of two workers' results and the case list."""

import importlib.util
import os

import pytest

_PATH = os.path.join(os.path.dirname(__file__), "..", "core", "tools", "op_dtype_parity.py")
_spec = importlib.util.spec_from_file_location("op_dtype_parity", _PATH)
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


def _out(dtype, values, shape=None):
    return {"outs": [{"dtype": dtype, "shape": shape or [len(values)], "values": [values]}]}


@pytest.mark.parametrize(
    "keras,unikeras,status",
    [
        (_out("float32", [1.0, float("nan")]), _out("float32", [1.0, float("nan")]), "ok"),
        (_out("int32", [1.0]), _out("int64", [1.0]), "dtype"),
        (_out("float32", [1.0, 2.0]), _out("float32", [1.0, 2.5]), "value"),
        (_out("float16", [1.0]), _out("float16", [1.005]), "ok"),  # 16-bit tolerance
        (_out("float32", [1.0], [1]), _out("float32", [1.0], [1, 1]), "shape"),
        (
            {"error": "ValueError", "message": ""},
            {"error": "TypeError", "message": ""},
            "both-raise",
        ),
        ({"error": "NotImplementedError", "message": "x"}, _out("float32", [1.0]), "keras-NI"),
        ({"error": "TypeError", "message": "x"}, _out("float32", [1.0]), "keras-raises"),
        (_out("float32", [1.0]), {"error": "TypeError", "message": "x"}, "uk-raises"),
        (_out("float32", [1.0]), {"crash": True}, "crash"),
    ],
)
def test_compare(keras, unikeras, status):
    assert tool.compare(keras, unikeras)[0] == status


def test_cases_cover_dtype_pairs_of_binary_ops():
    pytest.importorskip("keras")
    cases, _ = tool.make_cases(["int8", "float32", "pyint"], "^(add|sin|matmul)$")
    ops = {(c["op"], tuple(c["dtypes"])) for c in cases}
    assert ("add", ("int8", "pyint")) in ops and ("matmul", ("pyint", "float32")) in ops
    assert len([c for c in cases if c["op"] == "add"]) == 9
    assert len([c for c in cases if c["op"] == "sin"]) == 3
