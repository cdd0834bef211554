"""Conformance cases for the `core` op hooks.

Functions passed to control-flow ops only use Python operators and comparisons, which every
engine's tensors support.
"""

import numpy as np

from unikeras.testing.case import Case, rand

CASES = {}

_M = rand((3, 4), seed=1)
_I = rand((3, 4), "int32", seed=2, low=-300, high=300)
_B = rand((2, 3, 4), seed=3)

CASES["cast"] = [
    Case(_M, "int32", id="f2i"),
    Case(_I, "float32", id="i2f"),
    Case(_I, "bool", id="i2b"),
    Case(rand((), seed=4), "float16", id="scalar"),
    Case(rand((0, 2)), "int8", id="empty"),
    Case(rand((4,), "bool"), "float32", id="b2f"),
]
CASES["get_item"] = [
    Case(_B, 1, id="int"),
    Case(_B, (slice(None), 0), id="slice_int"),
    Case(_B, (Ellipsis, -1), id="ellipsis_neg"),
    Case(_B, (None, slice(0, 2)), id="newaxis"),
    Case(_I, (slice(None, None, -1), slice(1, 3)), id="reverse"),
    Case(_M, (0, 0), id="scalar"),
]
CASES["shape"] = [
    Case(_B, id="3d"),
    Case(rand((), seed=5), id="scalar"),
    Case(rand((0, 3)), id="empty"),
]
CASES["saturate_cast"] = [
    Case(rand((6,), seed=6, low=-400, high=400), "uint8", id="f2u8"),
    Case(rand((6,), seed=7, low=-4e4, high=4e4), "int16", id="f2i16"),
    Case(_I, "int8", id="i2i8"),
    Case(np.array([-1.0, 3e9, 1e10], "float32"), "uint32", id="f2u32_edge"),
    Case(np.array([1e6, -1e6, np.inf], "float64"), "float16", id="f2f16"),
    Case(np.array(70000, "int32"), "uint16", id="scalar"),
]
CASES["slice"] = [
    Case(_B, (0, 1, 1), (2, 2, 2), id="3d"),
    Case(_M, np.array([1, 0], "int32"), (2, 4), id="tensor_start"),
    Case(_I, (2, 3), (1, 1), id="int"),
    Case(_M, (0, 0), (0, 2), id="empty"),
]
CASES["slice_update"] = [
    Case(_B, (0, 1, 1), rand((2, 2, 2), seed=8), id="3d"),
    Case(_I, (1, 2), rand((2, 2), "int32", seed=9), id="int"),
    Case(_M, (0, 0), rand((3, 4), seed=10), id="whole"),
    Case(rand((5,), seed=11), (4,), rand((1,), seed=12), id="end"),
]
CASES["scatter"] = [
    Case(np.array([[0, 1], [2, 3]], "int32"), rand((2,), seed=13), (3, 4), id="2d"),
    Case(np.array([[1], [0]], "int32"), rand((2, 4), seed=14), (3, 4), id="rows"),
    Case(
        np.array([[0, 1], [0, 1]], "int32"),
        np.array([1.0, 2.0], "float32"),
        (2, 2),
        id="duplicates_add",
    ),
    Case(np.array([[2]], "int32"), np.array([7], "int32"), (4,), id="int"),
]
CASES["scatter_update"] = [
    Case(_M, np.array([[0, 1], [2, 3]], "int32"), rand((2,), seed=15), id="2d"),
    Case(_B, np.array([[1, 2]], "int32"), rand((1, 4), seed=16), id="partial_index"),
    Case(
        _I,
        np.array([[0, 0], [0, 0]], "int32"),
        np.array([5, 6], "int32"),
        reduction="add",
        id="add",
    ),
    Case(_M, np.array([[1, 1]], "int32"), rand((1,), seed=17), reduction="max", id="max"),
    Case(_M, np.array([[1, 1]], "int32"), rand((1,), seed=18), reduction="mul", id="mul"),
    Case(_M, np.array([[2, 0]], "int32"), rand((1,), seed=19), reduction="min", id="min"),
]
CASES["stop_gradient"] = [Case(_M), Case(_I, id="int"), Case(rand((), seed=20), id="scalar")]
CASES["cond"] = [
    Case(np.array(True), lambda: _M * 2.0, lambda: _M - 1.0, id="true"),
    Case(np.array(False), lambda: (_M, _I), lambda: (_M + 1.0, _I * 2), id="false_tuple"),
]
CASES["switch"] = [
    Case(np.array(1, "int32"), [lambda x: x + 1.0, lambda x: x * 3.0], _M, id="second"),
    Case(np.array(7, "int32"), [lambda x, y: x + y, lambda x, y: x - y], _M, _M, id="clamped_high"),
    Case(np.array(-2, "int32"), [lambda x: x * 2, lambda x: x], _I, id="clamped_low"),
]
CASES["while_loop"] = [
    Case(lambda i: i < 10, lambda i: i + 3, np.array(0, "int32"), id="single"),
    Case(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2.0), (np.array(0, "int32"), _M), id="tuple"),
    Case(
        lambda i: i < 100,
        lambda i: i + 1,
        np.array(0, "int32"),
        maximum_iterations=5,
        id="max_iter",
    ),
]
CASES["fori_loop"] = [
    Case(0, 5, lambda i, v: v + i, np.array(0, "int32"), id="sum"),
    Case(1, 4, lambda i, v: (v[0] * 2.0, v[1] + 1), (_M, _I), id="tuple"),
    Case(3, 3, lambda i, v: v + 1.0, _M, id="empty_range"),
]
CASES["scan"] = [
    Case(lambda c, x: (c + x, c * x), np.array(0.0, "float32"), rand((5,), seed=21), id="1d"),
    Case(lambda c, x: (c + x, c), rand((4,), seed=22), _M, reverse=True, id="reverse"),
    Case(lambda c, x: (c * 2.0, c), np.array(1.0, "float32"), None, length=3, id="no_xs"),
    Case(
        lambda c, x: ((c[0] + x["a"], c[1] + 1), x["b"] * 2),
        (np.zeros(4, "float32"), np.array(0, "int32")),
        {"a": _M, "b": _I},
        id="nested",
    ),
]
CASES["associative_scan"] = [
    Case(lambda a, b: a + b, rand((6,), seed=23), id="cumsum"),
    Case(lambda a, b: a * b, _M, axis=1, id="cumprod_axis1"),
    Case(lambda a, b: a + b, _I, reverse=True, id="reverse_int"),
    Case(lambda a, b: (a[0] + b[0], a[1] * b[1]), (_M, _M), id="tuple"),
]
CASES["map"] = [
    Case(lambda x: x * 2.0, _M, id="rows"),
    Case(lambda x: (x[0] + x[1], x[0]), (_M, _M), id="tuple"),
    Case(lambda x: x["a"] * 2, {"a": _I}, id="dict_int"),
]
CASES["vectorized_map"] = [
    Case(lambda x: x * 2.0 + 1.0, _B, id="3d"),
    Case(lambda x: x[0] * x[1], (_M, _M), id="tuple"),
]
CASES["unstack"] = [
    Case(_B, id="axis0"),
    Case(_B, axis=-1, id="neg_axis"),
    Case(_I, num=3, id="num_int"),
    Case(rand((2, 0)), id="empty_rows"),
]


def _square_with_gradient(x):
    """`x**2` with its hand-written gradient; Python operators only, so any engine's tensors
    work (the reference and the tested backend both call it)."""

    def grad(upstream):
        return upstream * 2 * x

    return x * x, grad


CASES["custom_gradient"] = [
    Case(_square_with_gradient, call_result=(rand((3, 4), seed=7),), id="square"),
]
