"""JAX backend: the Variable class (hook `variable_class`)."""

import jax.numpy as jnp

from unikeras.backend.api import Variable as BaseVariable, hookimpl


class JaxVariable(BaseVariable):
    """A Variable holding an immutable `jax.Array`; assignment replaces the array."""

    def _initialize(self, value):
        self._value = jnp.asarray(value)

    def _direct_assign(self, value):
        value = jnp.asarray(value)
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
