"""The shared probe-and-merge shape inference (`unikeras.backend.common.shape_probe`) and
the eager control-flow loops (`unikeras.backend.common.eager_loops`), checked on plain NumPy
stand-ins, plus `compute_output_spec` of the active backend on unknown dimensions."""

import numpy as np
import pytest

from unikeras import KerasTensor, ops
from unikeras.backend import table
from unikeras.backend.common import eager_loops, shape_probe


def _numpy_run(calls):
    """A `run` for `output_spec` computing on NumPy zeros, recording the probe sizes."""

    def run(fn, args, kwargs, size):
        calls.append(size)
        return shape_probe.call_on_concrete(
            fn, args, kwargs, lambda s: np.zeros(shape_probe.probe_shape(s, size), s.dtype)
        )

    return run


def test_probe_shape_replaces_only_unknown_dims():
    spec = KerasTensor((None, 3, None))
    assert shape_probe.probe_shape(spec, 5) == (5, 3, 5)
    assert shape_probe.probe_shape(spec, None) == (None, 3, None)


def test_has_unknown_dims_looks_through_structures():
    assert shape_probe.has_unknown_dims(([KerasTensor((2,))], {"a": KerasTensor((None,))}))
    assert not shape_probe.has_unknown_dims(([KerasTensor((2,))], {"a": 3, "b": None}))


def test_positional_calls_fn_with_the_keras_tensors_replaced_in_order():
    a, b = KerasTensor((2,)), KerasTensor((3,))
    specs, call = shape_probe.positional(lambda x, y=None, z=0: (x, y, z), (a,), {"y": b, "z": 4})
    assert specs == [a, b]
    assert call("first", "second") == ("first", "second", 4)


@pytest.mark.parametrize(
    "leaf, shape, dtype",
    [
        (np.zeros((2, 3), "float16"), (2, 3), "float16"),
        (np.float64(1.5), (), "float64"),  # a NumPy scalar keeps its dtype (not a weak float)
        (True, (), "bool"),
        (3, (), "int32"),
    ],
)
def test_spec_of_tensor_likes_and_scalars(leaf, shape, dtype):
    spec = shape_probe.spec_of(leaf)
    assert isinstance(spec, KerasTensor) and spec.shape == shape and spec.dtype == dtype


def test_spec_of_leaves_other_values_alone():
    assert shape_probe.spec_of(None) is None and shape_probe.spec_of("text") == "text"
    spec = KerasTensor((1,))
    assert shape_probe.spec_of(spec) is spec


def test_merge_specs_marks_differing_dims_unknown():
    first = {"x": np.zeros((83, 4, 83)), "y": np.zeros((2,), "int32"), "n": None}
    second = {"x": np.zeros((89, 4, 89)), "y": np.zeros((2,), "int32"), "n": None}
    merged = shape_probe.merge_specs(first, second)
    assert merged["x"].shape == (None, 4, None) and merged["x"].dtype == "float64"
    assert merged["y"].shape == (2,) and merged["y"].dtype == "int32"
    assert merged["n"] is None


def test_output_spec_probes_twice_only_with_unknown_dims():
    calls = []
    out = shape_probe.output_spec(
        lambda x: np.concatenate([x, x], axis=0),
        (KerasTensor((None, 3), "float32"),),
        {},
        _numpy_run(calls),
    )
    assert calls == list(shape_probe.PROBE_SIZES)
    assert out.shape == (None, 3) and out.dtype == "float32"
    calls.clear()
    out = shape_probe.output_spec(
        lambda x: x.sum(axis=0), (KerasTensor((4, 3), "float32"),), {}, _numpy_run(calls)
    )
    assert calls == [shape_probe.PROBE_SIZES[0]] and out.shape == (3,)


def test_output_spec_prefers_run_unknown_and_falls_back_on_error():
    calls = []

    def run_unknown(fn, args, kwargs):
        return np.zeros((7,), "int8")

    out = shape_probe.output_spec(
        lambda x: x, (KerasTensor((None,)),), {}, _numpy_run(calls), run_unknown
    )
    assert out.shape == (7,) and out.dtype == "int8" and calls == []

    def failing(fn, args, kwargs):
        raise TypeError("needs static sizes")

    out = shape_probe.output_spec(
        lambda x: x[:1], (KerasTensor((None, 2)),), {}, _numpy_run(calls), failing
    )
    assert out.shape == (1, 2) and calls == list(shape_probe.PROBE_SIZES)


@pytest.mark.parametrize(
    "fn, shapes, expected",
    [
        (lambda x, y: ops.concatenate([x, y], axis=1), [(None, 2), (None, 3)], (None, 5)),
        (lambda x: ops.reshape(x, (-1, 6)), [(None, 2, 3)], (None, 6)),
        (lambda x: ops.sum(x, axis=0), [(None, 4)], (4,)),
        (lambda x, y: ops.matmul(x, y), [(None, 3), (3, None)], (None, None)),
    ],
)
def test_active_backend_compute_output_spec_on_unknown_dims(fn, shapes, expected):
    args = [KerasTensor(s, "float32") for s in shapes]
    out = table.compute_output_spec(fn, tuple(args), {})
    assert isinstance(out, KerasTensor) and out.shape == expected and out.dtype == "float32"


def test_active_backend_compute_output_spec_of_structures():
    x = KerasTensor((None, 3), "float32")
    out = table.compute_output_spec(
        lambda t: {"a": ops.shape(t)[1], "b": [t, ops.cast(t, "int32")], "c": None}, (x,), {}
    )
    # A Python int becomes a scalar spec of its (weak) dtype; None stays None.
    assert isinstance(out["a"], KerasTensor) and out["a"].shape == () and out["c"] is None
    assert out["b"][0].shape == (None, 3) and out["b"][1].dtype == "int32"


def test_eager_while_loop_keeps_the_container_type():
    assert eager_loops.while_loop(lambda i: i < 5, lambda i: i + 2, 0) == 6
    out = eager_loops.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 2), [0, 1])
    assert out == [4, 16]
    out = eager_loops.while_loop(
        lambda i, s: True, lambda i, s: (i + 1, s + i), (0, 0), maximum_iterations=3
    )
    assert out == (3, 3)


def test_eager_fori_loop_and_switch():
    assert eager_loops.fori_loop(2, 5, lambda i, v: v + i, 10) == 10 + 2 + 3 + 4
    branches = [lambda x: x + 1, lambda x: x * 10]
    assert eager_loops.switch(np.array(7), branches, (3,)) == 30  # clamped to the last
    assert eager_loops.switch(-2, branches, (3,)) == 4  # clamped to the first


def test_eager_scan_matches_a_cumulative_sum():
    xs = np.arange(12.0).reshape(4, 3)
    carry, ys = eager_loops.scan(
        lambda c, x: (c + x, c + x), np.zeros(3), xs, None, False, np.asarray, np.stack
    )
    np.testing.assert_allclose(ys, np.cumsum(xs, axis=0))
    np.testing.assert_allclose(carry, xs.sum(axis=0))
    carry, ys = eager_loops.scan(
        lambda c, x: (c + x, c + x), np.zeros(3), xs, None, True, np.asarray, np.stack
    )
    np.testing.assert_allclose(ys, np.cumsum(xs[::-1], axis=0)[::-1])
    carry, ys = eager_loops.scan(
        lambda c, x: (c + 1, None), 0, None, 3, False, np.asarray, np.stack
    )
    assert carry == 3 and ys is None
    with pytest.raises(ValueError, match="`length` is required"):
        eager_loops.scan(lambda c, x: (c, x), 0, None, None, False, np.asarray, np.stack)
    with pytest.raises(ValueError, match="must match the leading dimension"):
        eager_loops.scan(lambda c, x: (c, x), 0, xs, 3, False, np.asarray, np.stack)


def test_eager_map_and_unstack_check():
    xs = np.arange(6.0).reshape(3, 2)
    np.testing.assert_allclose(eager_loops.map(lambda x: x * 2, xs, np.asarray, np.stack), xs * 2)
    with pytest.raises(ValueError, match="no entries along axis 0"):
        eager_loops.map(lambda x: x, np.zeros((0, 2)), np.asarray, np.stack)
    eager_loops.check_unstack_num(None, 4, 1)
    eager_loops.check_unstack_num(4, 4, 1)
    with pytest.raises(ValueError, match=r"`num` \(3\) must equal the size of axis 1 \(4\)"):
        eager_loops.check_unstack_num(3, 4, 1)
