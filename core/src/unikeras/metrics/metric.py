"""`keras.metrics.Metric`: the base class of stateful metrics.

A metric's state lives in `unikeras.Variable`s created with `add_variable` and changed only
with `assign`/`assign_add`, so that compiled steps can thread it as state through the
`stateless_*` methods.
"""

from unikeras import backend, dtype_policies, initializers, ops
from unikeras.backend.name_scope import name_scope
from unikeras.ops.operation import to_snake_case, unique_name
from unikeras import variables


class Metric:
    """Base class of metrics: `update_state(...)` accumulates, `result()` reads.

    Args:
        dtype: Dtype of the metric's variables and result (default `floatx()`).
        name: Name of the metric instance.
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._dtype_policy = dtype_policies.get(dtype or backend.floatx())
        self._dtype = self._dtype_policy.compute_dtype
        self._metrics = []
        self._variables = []

    def __setattr__(self, name, value):
        if isinstance(value, Metric) and "_metrics" in self.__dict__:
            self._metrics.append(value)
        super().__setattr__(name, value)

    @property
    def dtype(self):
        """The dtype of the metric's state and result."""
        return self._dtype

    @property
    def variables(self):
        """The state variables, this metric's then those of sub-metrics."""
        found = list(self._variables)
        for metric in self._metrics:
            found.extend(metric.variables)
        return found

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable owned by this metric."""
        with name_scope(self.name.replace("/", ">")):
            variable = variables.Variable(
                initializers.get(initializer),
                shape=shape,
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                name=name,
            )
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable` (zeros by default)."""
        return self.add_variable(shape, initializer or "zeros", dtype=dtype, name=name)

    def update_state(self, *args, **kwargs):
        """Accumulates statistics of one batch into the state variables."""
        raise NotImplementedError(f"{type(self).__name__} does not implement `update_state`.")

    def result(self):
        """Returns the metric's value from the state variables."""
        raise NotImplementedError(f"{type(self).__name__} does not implement `result`.")

    def reset_state(self):
        """Sets every state variable back to zero."""
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    # --- stateless versions, for compiled steps ---------------------------------------------
    def _with_values(self, metric_variables, fn):
        """Runs `fn()` with the variables holding `metric_variables` (or their own values
        when `None`); returns `(fn's result, the variables' values afterwards)` and leaves
        the variables as they were."""
        variables = self.variables
        if metric_variables is not None and len(metric_variables) != len(variables):
            raise ValueError(
                f"Metric {self.name!r}: expected {len(variables)} variable values, received "
                f"{len(metric_variables)}."
            )
        saved = [ops.copy(v.value) for v in variables]  # torch assigns in place
        try:
            if metric_variables is not None:
                for v, value in zip(variables, metric_variables):
                    v._direct_assign(ops.convert_to_tensor(value, dtype=v.dtype))
            out = fn()
            values = [ops.copy(v.value) for v in variables]
        finally:
            for v, value in zip(variables, saved):
                v._direct_assign(value)
        return out, values

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """Returns the variable values after `update_state(*args, **kwargs)` applied to
        `metric_variables`, without changing the metric."""
        return self._with_values(metric_variables, lambda: self.update_state(*args, **kwargs))[1]

    def stateless_result(self, metric_variables):
        """Returns `result()` computed from `metric_variables`."""
        return self._with_values(metric_variables, self.result)[0]

    def stateless_reset_state(self):
        """Returns the variable values after `reset_state()`, without changing the metric."""
        return self._with_values(None, self.reset_state)[1]

    # --- config ----------------------------------------------------------------------------
    def get_config(self):
        """Returns the metric's config: its name and dtype."""
        return {"name": self.name, "dtype": self._dtype_policy.name}

    @classmethod
    def from_config(cls, config):
        """Creates a metric from its config (the output of `get_config`)."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
