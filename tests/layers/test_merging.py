"""Concatenate and the element-wise merge layers against NumPy."""

import numpy as np
import pytest
from layer_checks import (
    assert_outputs_close,
    check_config_roundtrip,
    check_symbolic_shape,
    rand,
    to_numpy,
)

import unikeras as keras

L = keras.layers

MERGES = [
    (L.Add, L.add, lambda xs: sum(xs[1:], xs[0])),
    (L.Multiply, L.multiply, lambda xs: np.prod(np.broadcast_arrays(*xs), axis=0)),
    (L.Average, L.average, lambda xs: sum(xs[1:], xs[0]) / len(xs)),
    (L.Maximum, L.maximum, lambda xs: np.max(np.broadcast_arrays(*xs), axis=0)),
    (L.Minimum, L.minimum, lambda xs: np.min(np.broadcast_arrays(*xs), axis=0)),
]


@pytest.mark.parametrize("cls,fn,reference", MERGES)
@pytest.mark.parametrize(
    "shapes",
    [
        [(2, 3)] * 2,
        [(2, 3, 4)] * 3,
        [(2, 3, 4), (2, 1, 4)],
        [(2, 3, 4), (2, 3, 1), (2, 1, 1)],
    ],
)
def test_elementwise_merge(cls, fn, reference, shapes):
    xs = [rand(s, seed=i) for i, s in enumerate(shapes)]
    assert_outputs_close(cls()(xs), reference(xs))
    assert_outputs_close(fn(xs), reference(xs))
    check_symbolic_shape(cls(), [s[1:] for s in shapes], xs)
    check_config_roundtrip(cls(), xs)


def test_merge_lower_rank_aligned_after_batch():
    a, b = rand((2, 3, 4)), rand((2, 4), seed=1)
    assert_outputs_close(L.Add()([a, b]), a + b[:, None, :])
    assert L.Add()([L.Input((3, 4)), L.Input((4,))]).shape == (None, 3, 4)


def test_merge_unknown_dims():
    out = L.Maximum()([L.Input((None, 4)), L.Input((5, 1))])
    assert out.shape == (None, 5, 4)


def test_subtract():
    a, b = rand((2, 3)), rand((2, 3), seed=1)
    assert_outputs_close(L.Subtract()([a, b]), a - b)
    assert_outputs_close(L.subtract([a, b]), a - b)
    check_symbolic_shape(L.Subtract(), [(3,), (3,)], [a, b])
    with pytest.raises(ValueError, match='"sub".*exactly 2 inputs'):
        L.Subtract(name="sub")([a, b, a])


def test_merge_incompatible_shapes_error():
    with pytest.raises(ValueError, match=r'"add_bad".*broadcast.*\(None, 3\).*\(None, 4\)'):
        L.Add(name="add_bad")([L.Input((3,)), L.Input((4,))])
    with pytest.raises(ValueError, match='"mul_bad"'):
        L.Multiply(name="mul_bad")([rand((2, 3)), rand((2, 5))])


def test_merge_needs_list_and_same_batch():
    with pytest.raises(ValueError, match="list"):
        L.Add()(rand((2, 3)))
    with pytest.raises(ValueError, match="batch"):
        L.Add()([rand((2, 3)), rand((3, 3))])


def test_merge_mask():
    mask_a = np.array([[True, False, True]])
    mask_b = np.array([[True, True, False]])
    out = to_numpy(L.Add().compute_mask([rand((1, 3, 2))] * 2, [mask_a, mask_b]))
    np.testing.assert_array_equal(out, mask_a & mask_b)
    assert L.Add().compute_mask([rand((1, 3))] * 2, [None, None]) is None


def test_average_of_ints_is_float():
    out = L.Average()([np.array([[1, 2]], "int32"), np.array([[2, 3]], "int32")])
    np.testing.assert_allclose(to_numpy(out), [[1.5, 2.5]])


@pytest.mark.parametrize(
    "shapes,axis",
    [
        ([(2, 3), (2, 4)], -1),
        ([(2, 3, 4), (2, 5, 4)], 1),
        ([(2, 3, 4), (2, 3, 1), (2, 3, 2)], 2),
        ([(2, 3, 4), (2, 3, 4)], 0),
    ],
)
def test_concatenate(shapes, axis):
    xs = [rand(s, seed=i) for i, s in enumerate(shapes)]
    expected = np.concatenate(xs, axis=axis)
    layer = L.Concatenate(axis=axis)
    assert_outputs_close(layer(xs), expected)
    assert_outputs_close(L.concatenate(xs, axis=axis), expected)
    if axis != 0:
        check_symbolic_shape(L.Concatenate(axis=axis), [s[1:] for s in shapes], xs)
    clone = check_config_roundtrip(layer, xs)
    assert clone.get_config()["axis"] == axis


def test_concatenate_unknown_dims():
    out = L.Concatenate(axis=1)([L.Input((None, 4)), L.Input((3, 4))])
    assert out.shape == (None, None, 4)
    assert L.Concatenate()([L.Input((None, 4)), L.Input((3, 2))]).shape == (None, 3, 6)


def test_concatenate_shape_errors():
    with pytest.raises(
        ValueError,
        match=r'"cat".*axis=-1.*\(None, 3, \'\?\'\).*\(None, 3, 4\), '
        r"\(None, 5, 4\)",
    ):
        L.Concatenate(name="cat")([L.Input((3, 4)), L.Input((5, 4))])
    with pytest.raises(ValueError, match='"cat2".*rank 3'):
        L.Concatenate(name="cat2")([rand((2, 3, 4)), rand((2, 3))])
    with pytest.raises(ValueError, match="list"):
        L.Concatenate()(rand((2, 3)))


def test_concatenate_mask():
    x = rand((1, 2, 3))
    mask = np.array([[True, False]])
    out = to_numpy(L.Concatenate(axis=1).compute_mask([x, x], [mask, None]))
    np.testing.assert_array_equal(out, [[True, False, True, True]])
