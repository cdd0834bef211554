"""Hook `saved_model_adapter`: `keras.export.ExportArchive` on the JAX backend.

A SavedModel holds TensorFlow graphs, so the model's JAX computation is converted with
`jax.experimental.jax2tf`: each endpoint becomes a stateless function of the tracked
variables' values, and the variables are saved as `tf.Variable` copies of their values at
`track()` time. TensorFlow and jax2tf are imported only when an archive is used.
"""

from unikeras import ops
from unikeras.backend.api import hookimpl


def _map_signature(signature, fn):
    if isinstance(signature, (list, tuple)):
        return type(signature)(_map_signature(s, fn) for s in signature)
    if isinstance(signature, dict):
        return {k: _map_signature(v, fn) for k, v in signature.items()}
    return fn(signature)


def _polymorphic(spec):
    """jax2tf's polymorphic shape of a `tf.TensorSpec`: `batch` for an unknown first axis,
    `d<i>` for other unknown axes, `None` when every size is known."""
    if all(d is not None for d in spec.shape.as_list()):
        return None
    dims = [
        "batch" if i == 0 and d is None else (f"d{i}" if d is None else str(d))
        for i, d in enumerate(spec.shape.as_list())
    ]
    return "(" + ", ".join(dims) + ")"


class JaxSavedModelAdapter:
    """What `ExportArchive` asks of the JAX backend (see the `saved_model_adapter` hook)."""

    #: `add_endpoint` keyword arguments this backend accepts (Keras 3's names).
    endpoint_kwargs = ("jax2tf_kwargs", "is_static")

    def __init__(self, archive):
        self.archive = archive
        self.variables = []  # the tracked unikeras Variables
        self.tf_variables = []  # the tf.Variables saved for them

    def track_layer(self, layer):
        """Saves a `tf.Variable` copy of each of `layer`'s variables (once each)."""
        import tensorflow as tf

        trackable = self.archive._tf_trackable
        known = {id(v) for v in self.variables}
        for variable in layer.variables:
            if id(variable) in known:
                continue
            known.add(id(variable))
            native = tf.Variable(
                ops.convert_to_numpy(variable.value),
                trainable=bool(getattr(variable, "trainable", False)),
                name=str(variable.name),
            )
            self.variables.append(variable)
            self.tf_variables.append(native)
            trackable.variables.append(native)
            if native.trainable:
                trackable.trainable_variables.append(native)
            else:
                trackable.non_trainable_variables.append(native)

    def endpoint(self, fn, input_signature, jax2tf_kwargs=None, is_static=None):
        """`fn` converted with jax2tf as a stateless function of the tracked variables'
        values, wrapped in a `tf.function` reading the saved tf.Variables. `is_static` is
        accepted (state updates made by `fn` are not saved)."""
        import tensorflow as tf
        from jax.experimental import jax2tf

        variables = list(self.variables)
        tf_variables = list(self.tf_variables)

        def stateless(values, *args):
            saved = [v.value for v in variables]
            try:
                for variable, value in zip(variables, values):
                    variable._direct_assign(value)
                return fn(*args)
            finally:
                for variable, value in zip(variables, saved):
                    variable._direct_assign(value)

        kwargs = dict(jax2tf_kwargs or {})
        if "polymorphic_shapes" not in kwargs:
            kwargs["polymorphic_shapes"] = [None] + [
                _map_signature(spec, _polymorphic) for spec in input_signature
            ]
        converted = jax2tf.convert(stateless, **kwargs)
        return tf.function(
            lambda *args: converted(tf_variables, *args),
            input_signature=input_signature,
            autograph=False,
        )

    def native_variables(self, variables):
        """The `tf.Variable`s saved for `variables` (new copies for untracked ones)."""
        import tensorflow as tf

        by_id = {id(v): t for v, t in zip(self.variables, self.tf_variables)}
        natives = []
        for v in variables:
            if not isinstance(v, tf.Variable):
                v = (
                    by_id[id(v)]
                    if id(v) in by_id
                    else tf.Variable(
                        ops.convert_to_numpy(v.value), trainable=bool(v.trainable), name=str(v.name)
                    )
                )
            natives.append(v)
        return natives


@hookimpl
def saved_model_adapter():
    return JaxSavedModelAdapter
