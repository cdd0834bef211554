"""TensorFlow backend: the Variable class (hook `variable_class`), holding a `tf.Variable`."""

import tensorflow as tf

from unikeras.backend.api import Variable as BaseVariable, hookimpl
from unikeras_tf.convert import convert_to_tensor


class TFVariable(BaseVariable, tf.__internal__.tracking.Trackable):
    """A Variable holding a `tf.Variable`.

    Reading `value` gives a snapshot tensor (reads of trainable variables are watched by
    `tf.GradientTape`); TensorFlow ops accept the Variable itself (a tensor conversion
    function is registered), and checkpoints save the `tf.Variable`.
    """

    # `tf.GradientTape.gradient(loss, model.trainable_variables)` (Keras 3's custom
    # TensorFlow train steps) differentiates with respect to the resource `handle`.
    _should_act_as_resource_variable = True

    @property
    def handle(self):
        """The resource handle of the underlying `tf.Variable`."""
        return self._variable.handle

    def _initialize(self, value):
        from unikeras_tf import distribution  # a MirroredVariable under a tf.distribute strategy

        self._variable = distribution.create_variable(self, value)

    def _direct_assign(self, value):
        from unikeras_tf import distribution

        value = convert_to_tensor(value)
        if value.dtype != self._variable.dtype:
            value = tf.cast(value, self._variable.dtype)
        distribution.assign(self, self._variable, value)

    @property
    def value(self):
        return self._variable.value()

    @property
    def native(self):
        """The underlying `tf.Variable`."""
        return self._variable

    def _trackable_children(self, save_type="checkpoint", **kwargs):
        return {"variable": self._variable}


def _variable_to_tensor(value, dtype=None, name=None, as_ref=False):
    tensor = value.value
    return tensor if dtype is None or tensor.dtype == dtype else tf.cast(tensor, dtype)


tf.register_tensor_conversion_function(TFVariable, _variable_to_tensor)


@hookimpl
def variable_class():
    return TFVariable
