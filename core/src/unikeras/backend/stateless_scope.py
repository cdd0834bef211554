"""`keras.StatelessScope`: run code that touches variables without changing any of them.

Inside the scope, reading a variable gives the value mapped to it (if any), `assign` records
the new value in the scope instead of changing the variable, and variables created with a
callable initializer are only declared: they get their values when the outermost scope exits
(when `initialize_variables=True`). Symbolic shape inference and stateless training steps are
built on it.
"""

import threading

from unikeras.backend.registry import table


class _State(threading.local):
    scope = None
    uninitialized = None


_STATE = _State()


class StatelessScope:
    """Scope to prevent any update to Keras Variables.

    The values of variables to be used inside the scope should be passed via the
    `state_mapping` argument, a list of tuples `(k, v)` where `k` is a `Variable` and `v` is
    the intended value for this variable (a backend tensor).

    Updated values can be collected on scope exit via
    `value = scope.get_current_value(variable)`. No updates are applied in-place to any
    variable for the duration of the scope.

    Examples:
        ```python
        state_mapping = [(k, ops.ones(k.shape, k.dtype)) for k in model.weights]
        with keras.StatelessScope(state_mapping) as scope:
            outputs = model.some_function(inputs)

        # All model variables remain unchanged. Their new values can be collected via:
        for k in model.weights:
            new_value = scope.get_current_value(k)
        ```

    Args:
        state_mapping: Iterable of `(variable, value)` pairs; reads of `variable` inside the
            scope return `value` (converted to the variable's dtype).
        collect_losses: Whether losses added with `layer.add_loss()` inside the scope are
            collected in `scope.losses` (otherwise they are dropped).
        initialize_variables: Whether variables created inside the scope are initialized
            when the outermost scope exits.
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        from unikeras.backend.variable import Variable

        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self.state_mapping = {}
        self.original_scope = None
        for k, v in state_mapping or ():
            if not isinstance(k, Variable):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument "
                    f"`state_mapping` must be Variable instances. Received instead: {k!r}"
                )
            if isinstance(v, Variable):
                v = table.cast(v.value, k.dtype)
            else:
                v = table.convert_to_tensor(v, k.dtype, None)
            if tuple(v.shape) != tuple(k.shape):
                raise ValueError(
                    "Invalid variable value in StatelessScope: all values in argument "
                    "`state_mapping` must be tensors with a shape that matches the "
                    f"corresponding variable shape. For variable {k.path!r} of shape "
                    f"{tuple(k.shape)}, received a value of shape {tuple(v.shape)}."
                )
            self.state_mapping[id(k)] = v

    def __enter__(self):
        self.original_scope = _STATE.scope
        _STATE.scope = self
        return self

    def add_loss(self, loss):
        """Records a loss added by a layer inside the scope."""
        self.losses.append(loss)

    def add_update(self, update):
        """Records `(variable, value)`: later reads of `variable` in the scope see `value`."""
        variable, value = update
        self.state_mapping[id(variable)] = value

    def get_current_value(self, variable):
        """The value `variable` has in the scope (mapped or assigned), or `None`."""
        return self.state_mapping.get(id(variable), None)

    def __exit__(self, *exc_info):
        _STATE.scope = self.original_scope
        if self.original_scope is None and self.initialize_variables:
            # Back in eager scope: variables declared inside get their values now.
            initialize_all_variables()


def in_stateless_scope():
    """Returns whether a `StatelessScope` is active."""
    return _STATE.scope is not None


def get_stateless_scope():
    """Returns the innermost active `StatelessScope`, or `None`."""
    return _STATE.scope


def register_uninitialized_variable(variable):
    """Declares a variable created inside a stateless scope (initialized on scope exit)."""
    if _STATE.uninitialized is None:
        _STATE.uninitialized = []
    _STATE.uninitialized.append(variable)


def initialize_all_variables():
    """Initializes every variable declared inside a stateless scope so far."""
    pending, _STATE.uninitialized = _STATE.uninitialized, []
    for variable in pending or ():
        variable._deferred_initialize()
