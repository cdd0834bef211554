"""Name scopes: the `/`-joined prefix of variable paths (`"dense/kernel"`)."""

import threading

_local = threading.local()


def _stack():
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


def current_path():
    """Returns the current name-scope path, e.g. `"model/dense"` (`""` outside any scope)."""
    return "/".join(_stack())


class name_scope:
    """Context manager that appends `name` to the path of variables created inside it.

    Args:
        name: Scope name (no `/`).
        deduplicate: When the innermost scope already has this name, don't repeat it.
    """

    def __init__(self, name, deduplicate=True):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"Name scope must be a string without '/'. Received: {name!r}")
        self.name = name
        self.deduplicate = deduplicate
        self._pushed = False

    def __enter__(self):
        stack = _stack()
        if not (self.deduplicate and stack and stack[-1] == self.name):
            stack.append(self.name)
            self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _stack().pop()
            self._pushed = False
