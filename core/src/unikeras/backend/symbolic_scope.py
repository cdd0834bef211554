"""`keras.SymbolicScope`: marks the symbolic stage (shape inference, graph tracing)."""

import threading


class _State(threading.local):
    scope = None


_STATE = _State()


class SymbolicScope:
    """Scope to indicate the symbolic stage.

    Code can ask `in_symbolic_scope()` to tell shape inference (where inputs are
    `KerasTensor`s or their engine stand-ins) from a real computation.
    """

    def __init__(self):
        self.original_scope = None

    def __enter__(self):
        self.original_scope = _STATE.scope
        _STATE.scope = self
        return self

    def __exit__(self, *exc_info):
        _STATE.scope = self.original_scope


def in_symbolic_scope():
    """Returns whether a `SymbolicScope` is active."""
    return _STATE.scope is not None


def get_symbolic_scope():
    """Returns the innermost active `SymbolicScope`, or `None`."""
    return _STATE.scope
