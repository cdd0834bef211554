"""The OpenVINO plugin keeps its tracing state (op nesting depth, whether a symbolic value
entered, the variables of a model trace) in context variables: each thread (and asyncio
task) sees its own, so a trace in one thread never turns another thread's eager ops
symbolic."""

import contextvars
import threading

import numpy as np
import pytest

from unikeras.backend import registry

pytestmark = pytest.mark.skipif(
    registry.backend() != "openvino", reason="needs UNIKERAS_BACKEND=openvino (unikeras-openvino)"
)

if registry.backend() == "openvino":
    from unikeras_openvino.graph import STATE


def _in_thread(fn):
    box = []
    thread = threading.Thread(target=lambda: box.append(fn()))
    thread.start()
    thread.join()
    return box[0]


def _state():
    return STATE.depth, STATE.symbolic, STATE.variables


def test_a_new_thread_starts_from_the_defaults():
    assert _in_thread(_state) == (0, False, None)


def test_assignments_stay_in_their_context():
    before = _state()

    def inside():
        STATE.depth, STATE.symbolic, STATE.variables = 3, True, {}
        return _state()

    assert contextvars.copy_context().run(inside) == (3, True, {})
    assert _state() == before


def test_a_trace_in_one_thread_is_invisible_to_another():
    import unikeras as keras

    variable = keras.Variable(np.array([1.0, 2.0], "float32"))
    STATE.variables = {}  # this thread traces: variables read as graph Parameters
    try:
        assert getattr(variable.value, "is_symbolic", False)
        seen = _in_thread(
            lambda: (STATE.variables, keras.ops.convert_to_numpy(keras.ops.add(variable, 1.0)))
        )
    finally:
        STATE.variables = None
    assert seen[0] is None
    np.testing.assert_allclose(seen[1], [2.0, 3.0])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(variable), [1.0, 2.0])
