"""The shared argument checks of the ops (`_check_<op>`, `unikeras.ops.arg_checks`): the same
`ValueError`, naming the op, what it expects and what it received, on every backend, for NumPy
inputs, the backend's own tensors and KerasTensors alike."""

import numpy as np
import pytest

import unikeras
from unikeras import ops
from unikeras.ops import arg_checks

Z = np.zeros

# (id, call taking a converter for the tensor arguments, the message as a regex)
CASES = [
    ("diag", lambda t: ops.diag(t(Z((2, 2, 2)))), r"diag: `x` must be 1-D or 2-D\. .*\(2, 2, 2\)"),
    (
        "vander",
        lambda t: ops.vander(t(Z((2, 2)))),
        r"vander: `x` must be 1-D\. .*x\.shape=\(2, 2\)",
    ),
    (
        "searchsorted",
        lambda t: ops.searchsorted(t(Z((2, 2))), t(Z(2))),
        r"searchsorted: `sorted_sequence` must be 1-D\. .*\(2, 2\)",
    ),
    (
        "searchsorted_side",
        lambda t: ops.searchsorted(t(Z(2)), t(Z(2)), side="middle"),
        r"searchsorted: `side` must be one of 'left', 'right'\. Received: side='middle'",
    ),
    ("digitize", lambda t: ops.digitize(t(Z(3)), t(Z((2, 2)))), r"digitize: `bins` must be 1-D"),
    (
        "cross",
        lambda t: ops.cross(t(Z((2, 4))), t(Z((2, 3)))),
        r"cross: both inputs must hold 2- or 3-vectors.*lengths 4 and 3",
    ),
    (
        "cross_axis",
        lambda t: ops.cross(t(Z((3, 5))), t(Z((3, 5))), axis=-1),
        r"cross: .*lengths 5 and 5",
    ),
    (
        "meshgrid",
        lambda t: ops.meshgrid(t(Z(2)), t(Z(3)), indexing="yx"),
        r"meshgrid: `indexing` must be one of 'xy', 'ij'\. Received: indexing='yx'",
    ),
    (
        "glu",
        lambda t: ops.glu(t(Z((2, 3)))),
        r"glu: the size of `axis` must be even\. Received: x\.shape=\(2, 3\), axis=-1",
    ),
    ("glu_scalar", lambda t: ops.glu(t(np.float32(1.0))), r"glu: .*x\.shape=\(\)"),
    (
        "normalize",
        lambda t: ops.normalize(t(Z((2, 2))), order=0),
        r"normalize: `order` must be an int >= 1\. Received: order=0",
    ),
    ("normalize_float", lambda t: ops.normalize(t(Z(2)), order=2.0), r"order=2\.0"),
    (
        "multi_hot",
        lambda t: ops.multi_hot(t(Z((2, 2), "int32"))),
        r"multi_hot: `num_classes` is required",
    ),
    (
        "psnr",
        lambda t: ops.psnr(t(Z((4, 4))), t(Z((2, 4))), 1.0),
        r"psnr: `x1` and `x2` must have the same shape\. .*\(4, 4\).*\(2, 4\)",
    ),
    ("top_k", lambda t: ops.top_k(t(Z((2, 3))), 4), r"top_k: `k` must be in \[0, 3\].*k=4"),
    (
        "scale_and_translate",
        lambda t: ops.image.scale_and_translate(
            t(Z((4, 4, 1))), (2, 2, 1), t(np.ones(2)), t(Z(2)), (0, 1), "box"
        ),
        r"scale_and_translate: `method` must be one of \[.*'bilinear'.*\]\. Received: 'box'",
    ),
]

CONVERTERS = {
    "numpy": lambda a: np.asarray(a, "int32" if np.asarray(a).dtype.kind == "i" else "float32"),
    "tensor": lambda a: ops.convert_to_tensor(
        a, "int32" if np.asarray(a).dtype.kind == "i" else "float32"
    ),
    "symbolic": lambda a: unikeras.KerasTensor(
        np.shape(a), "int32" if np.asarray(a).dtype.kind == "i" else "float32"
    ),
}


@pytest.mark.parametrize("kind", sorted(CONVERTERS))
@pytest.mark.parametrize("call, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_argument_errors_same_on_every_backend(call, message, kind):
    with pytest.raises(ValueError, match=message):
        call(CONVERTERS[kind])


def test_unknown_dims_pass_the_checks():
    # Unknown dimensions are not judged: the symbolic ops infer their shapes.
    x = unikeras.KerasTensor((None, 4), "float32")
    assert ops.glu(x).shape == (None, 2)
    assert ops.psnr(x, x, 1.0).shape == ()
    kt = unikeras.KerasTensor((None, 3))
    assert ops.cross(kt, kt).shape == (None, 3)


def test_valid_arguments_still_compute():
    # The checks accept what the ops compute: a few values against NumPy.
    np.testing.assert_allclose(
        ops.convert_to_numpy(ops.diag(np.arange(3.0))), np.diag(np.arange(3.0))
    )
    got = ops.searchsorted(np.array([1.0, 2.0, 3.0]), np.array([2.0]), side="right")
    assert ops.convert_to_numpy(got).tolist() == [2]
    a, b = np.array([[1.0, 0, 0]], "float32"), np.array([[0, 1.0, 0]], "float32")
    np.testing.assert_allclose(ops.convert_to_numpy(ops.cross(a, b)), np.cross(a, b))
    hot = ops.multi_hot(np.array([[0, 2]], "int32"), num_tokens=3)
    np.testing.assert_allclose(ops.convert_to_numpy(hot), [[1, 0, 1]])


def test_static_shape_of_python_values_and_unknown_rank():
    assert arg_checks.static_shape([[1, 2, 3]]) == (1, 3)
    assert arg_checks.static_shape(2.0) == ()
    assert arg_checks.static_shape(unikeras.KerasTensor((None, 2))) == (None, 2)

    class Shape:  # iterating fails, as for a TensorShape of unknown rank
        def __iter__(self):
            raise ValueError("unknown rank")

    class UnknownRank:
        shape = Shape()

    assert arg_checks.static_shape(UnknownRank()) is None
    assert arg_checks.compatible((None, 2), (3, 2)) and not arg_checks.compatible((2,), (2, 1))
