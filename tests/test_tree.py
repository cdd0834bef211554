"""`keras.tree`: the 12 public names with Keras 3's semantics (None is a leaf, dict keys sorted,
OrderedDict in insertion order, namedtuples/deques as nodes, strict structure checks)."""

import collections

import numpy as np
import pytest

import unikeras as keras
from unikeras import tree

Point = collections.namedtuple("Point", ["x", "y"])
OtherPoint = collections.namedtuple("Point", ["x", "y"])


def test_public_names():
    names = {
        "MAP_TO_NONE",
        "assert_same_paths",
        "assert_same_structure",
        "flatten",
        "flatten_with_path",
        "is_nested",
        "lists_to_tuples",
        "map_shape_structure",
        "map_structure",
        "map_structure_up_to",
        "pack_sequence_as",
        "traverse",
    }
    assert names <= set(dir(keras.tree))


@pytest.mark.parametrize(
    "value, nested",
    [
        (42, False),
        (None, False),
        ("abc", False),
        (np.ones(3), False),
        ([], True),
        ((), True),
        ({}, True),
        ({"foo": 42}, True),
        (Point(1, 2), True),
        (collections.deque([1]), True),
        (collections.OrderedDict(a=1), True),
        ({1, 2}, False),
    ],
)
def test_is_nested(value, nested):
    assert tree.is_nested(value) is nested


def test_flatten_orders_and_leaves():
    assert tree.flatten([[1, 2, 3], [4, [5], [[6]]]]) == [1, 2, 3, 4, 5, 6]
    assert tree.flatten(None) == [None]
    assert tree.flatten(1) == [1]
    assert tree.flatten({100: "world!", 6: "Hello"}) == ["Hello", "world!"]
    assert tree.flatten({"b": 1, "a": [2, None]}) == [2, None, 1]
    assert tree.flatten(collections.OrderedDict([("b", 1), ("a", 2)])) == [1, 2]
    assert tree.flatten(collections.defaultdict(int, {"b": 1, "a": 2})) == [2, 1]
    assert tree.flatten(Point(x=(1, 2), y=3)) == [1, 2, 3]
    assert tree.flatten([]) == [] and tree.flatten({}) == []
    array = np.arange(4)
    assert tree.flatten([array])[0] is array


def test_flatten_with_path():
    assert tree.flatten_with_path([{"foo": 42}]) == [((0, "foo"), 42)]
    result = tree.flatten_with_path({"b": (1, None), "a": Point(2, 3)})
    assert result == [(("a", 0), 2), (("a", 1), 3), (("b", 0), 1), (("b", 1), None)]
    assert tree.flatten_with_path(5) == [((), 5)]


def test_pack_sequence_as_roundtrip_keeps_key_order():
    structure = {"key3": "", "key1": "", "key2": ""}
    packed = tree.pack_sequence_as(structure, ["value1", "value2", "value3"])
    assert packed == {"key3": "value3", "key1": "value1", "key2": "value2"}
    assert list(packed) == ["key3", "key1", "key2"]
    structure = (("a", "b"), ("c", "d", "e"), "f")
    assert tree.pack_sequence_as(structure, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]) == (
        (1.0, 2.0),
        (3.0, 4.0, 5.0),
        6.0,
    )
    nested = {"key3": {"c": ("alpha", "beta"), "a": ("gamma")}, "key1": {"e": "v", "d": "w"}}
    assert tree.pack_sequence_as(nested, ["val2", "val1", 3.0, 1.0, 2.0]) == {
        "key3": {"c": (1.0, 2.0), "a": 3.0},
        "key1": {"e": "val1", "d": "val2"},
    }
    assert tree.pack_sequence_as(7, ["only"]) == "only"
    assert tree.pack_sequence_as(Point(0, [0]), [5, 6]) == Point(5, [6])
    ordered = collections.OrderedDict([("b", 0), ("a", 0)])
    repacked = tree.pack_sequence_as(ordered, [1, 2])
    assert type(repacked) is collections.OrderedDict and list(repacked.items()) == [
        ("b", 1),
        ("a", 2),
    ]
    for structure in ([None, {"z": 1, "y": (2, 3)}], Point(1, {"q": [2]}), {}):
        assert tree.pack_sequence_as(structure, tree.flatten(structure)) == structure


def test_pack_sequence_as_errors():
    with pytest.raises(ValueError):
        tree.pack_sequence_as([1, 2], [1])
    with pytest.raises(ValueError):
        tree.pack_sequence_as([1, 2], [1, 2, 3])
    with pytest.raises(TypeError):
        tree.pack_sequence_as([1], 5)


def test_map_structure():
    structure = [[1], [2], [3]]
    assert tree.map_structure(lambda v: v**2, structure) == [[1], [4], [9]]
    assert tree.map_structure(lambda x, y: x * y, structure, structure) == [[1], [4], [9]]
    assert tree.map_structure(lambda v: v * 2, Point(1, 2)) == Point(2, 4)
    assert tree.map_structure(lambda v: v is None, [None, 1]) == [True, False]
    assert tree.map_structure(lambda v: 0, [None, 1], none_is_leaf=False) == [None, 0]
    assert tree.map_structure(lambda v: v + 1, 3) == 4
    assert tree.map_structure(lambda v: 1, None, none_is_leaf=False) is None
    mapped = tree.map_structure(lambda a, b: a + b, {"b": 1, "a": 2}, {"a": 10, "b": 20})
    assert mapped == {"a": 12, "b": 21} and list(mapped) == ["b", "a"]


def test_map_structure_rejects_other_structures():
    with pytest.raises(ValueError):
        tree.map_structure(lambda a, b: a, [1, 2], [1, 2, 3])
    with pytest.raises(ValueError):
        tree.map_structure(lambda a, b: a, [1, 2], (1, 2))
    with pytest.raises(ValueError):
        tree.map_structure(lambda a, b: a, [1, 2], [1, [2]])
    with pytest.raises(ValueError):
        tree.map_structure(lambda a, b: a, {"a": 1}, {"b": 1})
    with pytest.raises(ValueError):
        tree.map_structure(lambda: 0)
    with pytest.raises(TypeError):
        tree.map_structure("not callable", [1])


def test_map_structure_up_to():
    structure = [[1, 1], [2, 2]]
    assert tree.map_structure_up_to([None, None], len, structure) == [2, 2]
    assert tree.map_structure_up_to([None, [None, None]], str, structure) == ["[1, 1]", ["2", "2"]]
    assert tree.map_structure_up_to({"a": None}, lambda x, y: x + y, {"a": [1]}, {"a": [2]}) == {
        "a": [1, 2]
    }
    with pytest.raises(ValueError):
        tree.map_structure_up_to([None, [None, None]], str, [[1, 1], 2])
    with pytest.raises(ValueError):
        tree.map_structure_up_to([None], str)


def test_assert_same_structure():
    tree.assert_same_structure([(0, 1)], [(2, 3)])
    tree.assert_same_structure(Point(0, 1), Point(2, 3))
    tree.assert_same_structure({"a": 1, "b": 2}, collections.OrderedDict([("b", 1), ("a", 2)]))
    tree.assert_same_structure([None, 1], [2, None])
    for a, b in [
        (Point(0, 1), OtherPoint(2, 3)),
        ([0, 1], (0, 1)),
        ([0, 1], [0, [1]]),
        ([0], [0, 1]),
        ({"a": 1}, {"b": 1}),
        ([0, 1], collections.deque([0, 1])),
    ]:
        with pytest.raises(ValueError, match="same nested structure"):
            tree.assert_same_structure(a, b)
    with pytest.warns(DeprecationWarning):
        tree.assert_same_structure([1], [2], check_types=False)


def test_assert_same_paths():
    tree.assert_same_paths([0, 1], (2, 3))
    tree.assert_same_paths(Point(0, 1), OtherPoint(2, 3))
    tree.assert_same_paths({"a": [1]}, {"a": (2,)})
    with pytest.raises(ValueError, match="Paths in `a` missing in `b`"):
        tree.assert_same_paths({"a": 1, "b": 2}, {"a": 1})
    with pytest.raises(ValueError, match="Paths in `b` missing in `a`"):
        tree.assert_same_paths([1], [1, 2])


def test_traverse_top_down_and_bottom_up():
    visited = []
    structure = [(1, 2), [3], {"a": 4}]
    assert tree.traverse(visited.append, structure, top_down=True) == structure
    assert visited == [[(1, 2), [3], {"a": 4}], (1, 2), 1, 2, [3], 3, {"a": 4}, 4]
    visited = []
    assert tree.traverse(visited.append, structure, top_down=False) == structure
    assert visited == [1, 2, (1, 2), 3, [3], 4, {"a": 4}, [(1, 2), [3], {"a": 4}]]
    # A non-None result replaces the sub-tree (and stops the descent top-down).
    replaced = tree.traverse(lambda x: "T" if isinstance(x, tuple) else None, structure)
    assert replaced == ["T", [3], {"a": 4}]
    assert tree.traverse(lambda x: tree.MAP_TO_NONE if x == 3 else None, [1, [3]]) == [1, [None]]
    doubled = tree.traverse(
        lambda x: x * 2 if isinstance(x, int) else None, [1, (2,)], top_down=False
    )
    assert doubled == [2, (4,)]
    with pytest.raises(TypeError):
        tree.traverse(None, [1])


def test_lists_to_tuples_and_shapes():
    assert tree.lists_to_tuples([1, [2, {"a": [3]}], (4, [5])]) == (1, (2, {"a": (3,)}), (4, (5,)))
    shapes = {"x": (None, 3), "y": [[2, 4], (5,)], "z": ()}
    result = tree.map_shape_structure(lambda s: tuple(0 if d is None else d for d in s), shapes)
    assert result == {"x": (0, 3), "y": [(2, 4), (5,)], "z": ()}


def test_tensors_are_leaves():
    x = keras.ops.ones((2, 3))
    flat = tree.flatten({"x": x, "v": [keras.Variable(np.zeros(2, "float32"))]})
    assert len(flat) == 2 and flat[1] is x
    doubled = tree.map_structure(lambda t: keras.ops.convert_to_numpy(t) * 2, [x])
    np.testing.assert_allclose(doubled[0], np.full((2, 3), 2.0))


def test_tensorflow_tracking_wrappers_are_nodes():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("TensorFlow's tracking wrappers exist only with the tensorflow backend")
    from tensorflow.python.trackable.data_structures import ListWrapper, _DictWrapper

    wrapped = ListWrapper([1, [2, 3]])
    assert tree.flatten(wrapped) == [1, 2, 3]
    doubled = tree.map_structure(lambda v: v * 2, wrapped)
    assert isinstance(doubled, ListWrapper) and list(doubled) == [2, [4, 6]]
    mapping = _DictWrapper({"b": 1, "a": 2})
    assert tree.flatten(mapping) == [2, 1]
    assert dict(tree.map_structure(lambda v: v + 1, mapping)) == {"a": 3, "b": 2}


# --- differential check against Keras 3's own keras.tree (where it is installed) -----------
_CASES = r"""
import collections
Point = collections.namedtuple("Point", ["x", "y"])
STRUCTURES = [
    None, 1, "s", [], (), {}, [1, [2, (3, None)]], {"b": 1, "a": [2, {"d": 3, "c": 4}]},
    collections.OrderedDict([("z", 1), ("y", (2, 3))]), Point(1, [2, 3]), {1: "x", 0: "y"},
    collections.deque([1, (2,)]), [None, None], ((),), [[], {}],
]
def run(tree):
    out = []
    for s in STRUCTURES:
        row = {"nested": tree.is_nested(s), "flat": repr(tree.flatten(s)),
               "paths": repr(tree.flatten_with_path(s)),
               "mapped": repr(tree.map_structure(lambda v: None if v is None else repr(v), s)),
               "packed": repr(tree.pack_sequence_as(s, list(range(len(tree.flatten(s)))))),
               "tuples": repr(tree.lists_to_tuples(s))}
        try:
            tree.assert_same_structure(s, tree.lists_to_tuples(s))
            row["same_as_tuples"] = True
        except ValueError:
            row["same_as_tuples"] = False
        out.append(row)
    visited = []
    tree.traverse(lambda x: visited.append(repr(x)), STRUCTURES[7], top_down=False)
    out.append(visited)
    out.append(repr(tree.map_shape_structure(lambda s: len(s), {"a": (None, 2), "b": [3]})))
    # (Keras 3.15.1 refuses `None` in `shallow_structure`, against its own docstring
    # example: compared on other leaves; `None` is checked in test_map_structure_up_to.)
    out.append(repr(tree.map_structure_up_to([0, [0]], repr, [[1, 2], [3]])))
    return out
"""


def test_matches_keras_tree(run_python):
    import importlib.util
    import json

    if importlib.util.find_spec("keras") is None:
        pytest.skip("Keras 3 is not installed here (the jax tox env has it)")
    code = _CASES + "\nimport json, keras\nprint(json.dumps(run(keras.tree)))\n"
    result = run_python(code, KERAS_BACKEND="numpy")
    if result.returncode != 0:
        pytest.skip(f"Keras 3 could not run on its numpy backend here: {result.stderr[-300:]}")
    expected = json.loads(result.stdout.strip().splitlines()[-1])
    namespace = {}
    exec(_CASES, namespace)
    assert json.loads(json.dumps(namespace["run"](keras.tree))) == expected
