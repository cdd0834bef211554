"""`keras.tree`: nested structures of leaves, on optree.

Structures are lists, tuples, namedtuples, dicts (values in sorted-key order; an
`OrderedDict` keeps its insertion order), `collections.deque`s and types registered in the
`"unikeras"` optree namespace. `None` is a leaf. Everything else is a leaf.
"""

import warnings

import optree

NAMESPACE = "unikeras"

_FLATTEN_KW = {"none_is_leaf": True, "namespace": NAMESPACE}


def register_tree_node_class(cls):
    """Registers a class as a tree node (it must define `tree_flatten`/`tree_unflatten`)."""
    return optree.register_pytree_node_class(cls, namespace=NAMESPACE)


def register_tree_node(cls, flatten_func, unflatten_func):
    """Registers `cls` as a tree node with optree's `(children, metadata[, entries])` protocol,
    ignoring a second registration of the same class."""
    try:
        optree.register_pytree_node(cls, flatten_func, unflatten_func, namespace=NAMESPACE)
    except ValueError:
        pass  # already registered (e.g. the package was imported again)


class MAP_TO_NONE:
    """Special value for use with `traverse()`."""


def _is_leaf(x):
    return optree.tree_is_leaf(x, **_FLATTEN_KW)


def _mismatch(a, b):
    return ValueError(
        "The two structures don't have the same nested structure.\n\n"
        f"First structure: {a!r}\n\nSecond structure: {b!r}"
    )


def is_nested(structure):
    """Checks if a given structure is nested.

    Examples:
        >>> keras.tree.is_nested(42)
        False
        >>> keras.tree.is_nested({"foo": 42})
        True

    Args:
        structure: A structure to check.

    Returns:
        `True` if a given structure is nested, i.e. is a sequence, a mapping, or a
        namedtuple, and `False` otherwise.
    """
    return not optree.tree_is_leaf(structure, **_FLATTEN_KW)


def traverse(func, structure, top_down=True):
    """Traverses the given nested structure, applying the given function.

    The traversal is depth-first. If `top_down` is True (default), parents are visited before
    their children (giving the option to avoid traversing into a sub-tree).

    Examples:
        >>> v = []
        >>> keras.tree.traverse(v.append, [(1, 2), [3], {"a": 4}], top_down=True)
        [(1, 2), [3], {'a': 4}]
        >>> v
        [[(1, 2), [3], {'a': 4}], (1, 2), 1, 2, [3], 3, {'a': 4}, 4]

    Args:
        func: The function applied to each sub-nest of the structure. Top-down: when
            `func(subtree)` is `None` the traversal continues into the sub-tree, otherwise
            the sub-tree is replaced by `func(subtree)` and not entered (return `MAP_TO_NONE`
            to replace it with `None`). Bottom-up: when `func(subtree)` is `None` the
            traversed sub-tree is kept, otherwise it is replaced by `func(subtree)`.
        structure: The structure to traverse.
        top_down: If True, parent structures are visited before their children.

    Returns:
        The structured output from the traversal.

    Raises:
        TypeError: If `func` is not callable.
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")

    def children_done(node):
        if _is_leaf(node):
            return node
        children, spec = optree.tree_flatten(node, is_leaf=lambda x: x is not node, **_FLATTEN_KW)
        return optree.tree_unflatten(spec, [visit(c) for c in children])

    def visit(node):
        if top_down:
            result = func(node)
            if result is None:
                return children_done(node)
        else:
            node = children_done(node)
            result = func(node)
            if result is None:
                return node
        return None if result is MAP_TO_NONE else result

    return visit(structure)


def flatten(structure):
    """Flattens a possibly nested structure into a list.

    Dict values come in sorted-key order (an `OrderedDict` keeps its own order); the same
    convention is followed in `pack_sequence_as`. Dicts with non-sortable keys are not
    supported.

    Examples:
        >>> keras.tree.flatten([[1, 2, 3], [4, [5], [[6]]]])
        [1, 2, 3, 4, 5, 6]
        >>> keras.tree.flatten(None)
        [None]
        >>> keras.tree.flatten({100: 'world!', 6: 'Hello'})
        ['Hello', 'world!']

    Args:
        structure: An arbitrarily nested structure.

    Returns:
        A list, the flattened version of the input `structure`.
    """
    return optree.tree_leaves(structure, **_FLATTEN_KW)


def flatten_with_path(structure):
    """Flattens a possibly nested structure into a list of `(path, item)` pairs.

    A path is a tuple of indices and/or keys which uniquely identifies the position of the
    corresponding item.

    Examples:
        >>> keras.tree.flatten_with_path([{"foo": 42}])
        [((0, 'foo'), 42)]

    Args:
        structure: An arbitrarily nested structure.

    Returns:
        A list of `(path, item)` pairs in the order of `flatten(structure)`.
    """
    paths, leaves, _ = optree.tree_flatten_with_path(structure, **_FLATTEN_KW)
    return list(zip(paths, leaves))


def map_structure(func, *structures, none_is_leaf=True):
    """Maps `func` through given structures.

    Examples:
        >>> structure = [[1], [2], [3]]
        >>> keras.tree.map_structure(lambda v: v**2, structure)
        [[1], [4], [9]]
        >>> keras.tree.map_structure(lambda x, y: x * y, structure, structure)
        [[1], [4], [9]]

    Args:
        func: A callable that accepts as many arguments as there are structures.
        *structures: Arbitrarily nested structures of the same layout.
        none_is_leaf: If True, `func` is called on `None` leaves. If False, `None` values
            are not passed to `func` and are returned in the output directly.

    Returns:
        A new structure with the same layout as the given ones.

    Raises:
        TypeError: If `func` is not callable.
        ValueError: If `structures` is empty.
        ValueError: If there is more than one item in `structures` and some of the nested
            structures don't match according to the rules of `assert_same_structure`.
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")
    if not structures:
        raise ValueError("Must provide at least one structure")
    if len(structures) == 1:
        return optree.tree_map(func, structures[0], none_is_leaf=none_is_leaf, namespace=NAMESPACE)

    def checked(*leaves):
        # optree maps a deeper structure onto a leaf of the first one: Keras refuses it.
        for leaf in leaves[1:]:
            if not optree.tree_is_leaf(leaf, none_is_leaf=none_is_leaf, namespace=NAMESPACE):
                raise _mismatch(structures[0], structures[1])
        return func(*leaves)

    try:
        return optree.tree_map(checked, *structures, none_is_leaf=none_is_leaf, namespace=NAMESPACE)
    except ValueError as error:
        if "same nested structure" in str(error):
            raise
        raise ValueError(f"The structures don't have the same nested structure: {error}") from None


def map_structure_up_to(shallow_structure, func, *structures):
    """Maps `func` through given structures up to `shallow_structure`.

    This is a variant of `map_structure` which only maps the given structures up to
    `shallow_structure`. All further nested components are retained as-is.

    Examples:
        >>> shallow_structure = [None, None]
        >>> structure = [[1, 1], [2, 2]]
        >>> keras.tree.map_structure_up_to(shallow_structure, len, structure)
        [2, 2]
        >>> shallow_structure = [None, [None, None]]
        >>> keras.tree.map_structure_up_to(shallow_structure, str, structure)
        ['[1, 1]', ['2', '2']]

    Args:
        shallow_structure: A structure with layout common to all `structures`.
        func: A callable that accepts as many arguments as there are structures.
        *structures: Arbitrarily nested structures of the same layout.

    Returns:
        A new structure with the same layout as `shallow_structure`.

    Raises:
        TypeError: If `func` is not callable.
        ValueError: If `structures` is empty.
        ValueError: If one of the items in `structures` doesn't match the nested structure
            of `shallow_structure`. Items in `structures` may be nested deeper than
            `shallow_structure`, but not shallower.
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")
    if not structures:
        raise ValueError("Must provide at least one structure")

    def apply(shallow_leaf, *leaves):
        return func(*leaves)

    try:
        return optree.tree_map(apply, shallow_structure, *structures, **_FLATTEN_KW)
    except ValueError as error:
        raise ValueError(
            "The structures don't have the same nested structure up to "
            f"`shallow_structure`: {error}"
        ) from None


def assert_same_structure(a, b, check_types=None):
    """Asserts that two structures are nested in the same way.

    At each level, the structures must be of the same type and have the same number of
    elements. `dict`, `OrderedDict` and `defaultdict` are all considered the same as long as
    they have the same set of keys; `list`, `tuple`, `namedtuple` and `deque` are not, and
    two namedtuple classes are different structures even with identical fields and names.

    Examples:
        >>> keras.tree.assert_same_structure([(0, 1)], [(2, 3)])

    Args:
        a: an arbitrarily nested structure.
        b: an arbitrarily nested structure.
        check_types: Deprecated, has no effect. For a looser check, use
            `assert_same_paths`, which considers `list`, `tuple`, `namedtuple` and `deque`
            as matching structures.

    Raises:
        ValueError: If the two structures `a` and `b` don't match.
    """
    if check_types is not None:
        warnings.warn(
            "The `check_types` argument is deprecated and no longer has any effect"
            + (
                ", please remove."
                if check_types
                else ". For a looser check, use `keras.tree.assert_same_paths()`, which considers "
                "`list`, `tuple`, `namedtuple` and `deque` as matching"
            ),
            DeprecationWarning,
            stacklevel=2,
        )

    def check(x, y):
        if not (_is_leaf(x) and _is_leaf(y)):
            raise _mismatch(a, b)

    try:
        optree.tree_map(check, a, b, **_FLATTEN_KW)
    except ValueError as error:
        if "same nested structure" in str(error):
            raise
        raise _mismatch(a, b) from None


def assert_same_paths(a, b):
    """Asserts that two structures have identical paths in their tree structure.

    Unlike `assert_same_structure`, only the paths are compared, not the collection types.
    For sequences the path is the index (namedtuples included), for mappings the key.

    Examples:
        >>> keras.tree.assert_same_paths([0, 1], (2, 3))

    Args:
        a: an arbitrarily nested structure.
        b: an arbitrarily nested structure.

    Raises:
        ValueError: If the paths in structure `a` don't match the paths in structure `b`;
            the message lists the paths that differ.
    """
    a_paths = set(optree.tree_paths(a, **_FLATTEN_KW))
    b_paths = set(optree.tree_paths(b, **_FLATTEN_KW))
    if a_paths != b_paths:
        message = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(message)


def pack_sequence_as(structure, flat_sequence):
    """Returns a given flattened sequence packed into a given structure.

    If `structure` is a leaf, `flat_sequence` must be a single-item list; the result is
    `flat_sequence[0]`. Dicts are filled in sorted-key order (an `OrderedDict` in its own
    order) and keep their key order, as in `flatten`.

    Examples:
        >>> structure = {"key3": "", "key1": "", "key2": ""}
        >>> flat_sequence = ["value1", "value2", "value3"]
        >>> keras.tree.pack_sequence_as(structure, flat_sequence)
        {'key3': 'value3', 'key1': 'value1', 'key2': 'value2'}

    Args:
        structure: Arbitrarily nested structure.
        flat_sequence: Flat sequence to pack.

    Returns:
        `flat_sequence` converted to have the same recursive structure as `structure`.

    Raises:
        TypeError: If `flat_sequence` is not iterable.
        ValueError: If `flat_sequence` has too few or too many elements for `structure`.
    """
    if isinstance(flat_sequence, (str, bytes)) or not hasattr(flat_sequence, "__iter__"):
        raise TypeError(
            f"`flat_sequence` must be a sequence. Received: {type(flat_sequence).__name__}"
        )
    spec = optree.tree_structure(structure, **_FLATTEN_KW)
    flat_sequence = list(flat_sequence)
    if len(flat_sequence) != spec.num_leaves:
        raise ValueError(
            f"The target structure has {spec.num_leaves} leaves, but `flat_sequence` has "
            f"{len(flat_sequence)} elements.\nStructure: {structure!r}"
        )
    return optree.tree_unflatten(spec, flat_sequence)


def lists_to_tuples(structure):
    """Returns the structure with list instances changed to tuples.

    Args:
        structure: Arbitrarily nested structure.

    Returns:
        The same structure but with tuples instead of lists.
    """
    return traverse(lambda x: tuple(x) if isinstance(x, list) else None, structure, top_down=False)


def _is_shape_tuple(x):
    return isinstance(x, (list, tuple)) and all(isinstance(e, (int, type(None))) for e in x)


def map_shape_structure(func, structure):
    """Variant of `map_structure` that operates on shape tuples.

    Lists and tuples of ints and `None`s are considered shapes and passed to `func` whole.

    Args:
        func: A callable applied to each shape.
        structure: Arbitrarily nested structure.

    Returns:
        The same structure with `func` applied to each shape.
    """
    return optree.tree_map(func, structure, is_leaf=_is_shape_tuple, **_FLATTEN_KW)
