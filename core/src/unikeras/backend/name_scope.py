"""Name scopes: the `/`-joined prefix of variable paths (`"dense/kernel"`)."""

import threading

_local = threading.local()


def _stack():
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


def current_path():
    """Returns the current name-scope path, e.g. `"model/dense"` (`""` outside any scope)."""
    parts = []
    for scope in _stack():
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)


class name_scope:
    """Creates a sub-namespace for variable paths.

    Variables created inside `with keras.name_scope("block"):` get paths `"block/<name>"`.

    Args:
        name: Name scope string (no `/`).
        caller: Optional object (typically the layer) opening the scope; with
            `deduplicate=True`, a scope opened again by the same caller directly inside its
            own scope is not repeated.
        deduplicate: When the innermost scope already has this name (or this caller), don't
            repeat it.
        override_parent: Optional path replacing the enclosing scopes' path for this scope's
            contents (e.g. `"model/block"`).
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"Name scope must be a string without '/'. Received: {name!r}")
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pushed = False

    def __enter__(self):
        stack = _stack()
        if self.deduplicate and stack:
            parent = stack[-1]
            if (self.caller is not None and self.caller is parent.caller) or (
                self.caller is None and parent.name == self.name
            ):
                return self
        stack.append(self)
        self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _stack().pop()
            self._pushed = False
