"""JAX backend: the Variable class (hook `variable_class`)."""

import jax
import jax.numpy as jnp

from unikeras.backend.api import Variable as BaseVariable, hookimpl

# One dict per traced step under way (the trainer pushes and pops them): the Variables
# assigned a tracer in it, with their values before, so that those the step does not thread
# as state (e.g. the seed generator of a layer the model does not track) get their value
# back after the trace instead of keeping a leaked tracer. Keras 3 drops such updates too.
TRACED_ASSIGNS = []


class JaxVariable(BaseVariable):
    """A Variable holding an immutable `jax.Array`; assignment replaces the array."""

    def _initialize(self, value):
        self._value = jnp.asarray(value)

    def _direct_assign(self, value):
        value = jnp.asarray(value)
        if TRACED_ASSIGNS and isinstance(value, jax.core.Tracer):
            TRACED_ASSIGNS[-1].setdefault(id(self), (self, self._value))
        if self._layout is not None:  # keep the keras.distribution placement
            from unikeras_jax.distribution import backend_layout, _place

            value = _place(value, backend_layout(self._layout))
        self._value = value

    @property
    def value(self):
        return self._value

    def __jax_array__(self):
        return self.value


@hookimpl
def variable_class():
    return JaxVariable
