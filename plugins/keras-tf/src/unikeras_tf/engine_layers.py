"""TensorFlow implementation of Keras 3's `TFSMLayer`, returned by the hook `engine_layer`
(`unikeras_tf.layers`); imported on first use, once `unikeras.layers` exists."""

import tensorflow as tf

from unikeras import config as keras_config
from unikeras import layers as _layers
from unikeras.backend.api import name_scope

from unikeras_tf.variable import TFVariable


def _variables_used_by(fns):
    """The trainable and non-trainable `tf.Variable`s the endpoint functions capture."""
    trainable, non_trainable, seen = [], [], set()
    for fn in fns:
        if hasattr(fn, "concrete_functions"):
            concrete = fn.concrete_functions
        elif hasattr(fn, "get_concrete_function"):
            concrete = [fn.get_concrete_function()]
        else:
            concrete = [fn]
        for function in concrete:
            for v in function.trainable_variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    trainable.append(v)
            for v in function.variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    non_trainable.append(v)
    return trainable, non_trainable


class TFSMLayer(_layers.TFSMLayer):
    # Documented and serialized as the declared `keras.layers.TFSMLayer` (`_EngineLayer`).
    def __init__(
        self,
        filepath,
        call_endpoint="serve",
        call_training_endpoint=None,
        trainable=True,
        name=None,
        dtype=None,
    ):
        super().__init__(
            filepath,
            call_endpoint=call_endpoint,
            call_training_endpoint=call_training_endpoint,
            trainable=trainable,
            name=name,
            dtype=dtype,
        )
        self._reloaded_obj = tf.saved_model.load(filepath)
        self.filepath = filepath
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        self.call_endpoint_fn = self._endpoint(call_endpoint)
        self.call_training_endpoint_fn = (
            self._endpoint(call_training_endpoint) if call_training_endpoint else None
        )
        fns = [self.call_endpoint_fn] + (
            [self.call_training_endpoint_fn] if call_training_endpoint else []
        )
        trainable_vars, non_trainable_vars = _variables_used_by(fns)
        for v in trainable_vars + non_trainable_vars:
            self._add_existing_weight(v)
        self.built = True

    def _endpoint(self, endpoint):
        if hasattr(self._reloaded_obj, endpoint):
            return getattr(self._reloaded_obj, endpoint)
        signatures = getattr(self._reloaded_obj, "signatures", {})
        if endpoint in signatures:
            return signatures[endpoint]
        raise ValueError(
            f"The endpoint '{endpoint}' is neither an attribute of the reloaded "
            "SavedModel, nor an entry in the `signatures` field of the reloaded "
            "SavedModel. Select another endpoint via the `call_endpoint` argument. "
            f"Available endpoints for this SavedModel: {list(signatures.keys())}"
        )

    def _add_existing_weight(self, weight):
        """Tracks the SavedModel's own `tf.Variable` (shared, so training updates it)."""
        with name_scope(self.name):
            variable = TFVariable(
                weight.read_value(),
                dtype=weight.dtype.name,
                trainable=weight.trainable,
                name=weight.name.split(":")[0].replace("/", "_"),
            )
        variable._variable = weight
        self._own_variables.append(variable)

    def call(self, inputs, training=False, **kwargs):
        if training and self.call_training_endpoint:
            return self.call_training_endpoint_fn(inputs, **kwargs)
        return self.call_endpoint_fn(inputs, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filepath": self.filepath,
                "call_endpoint": self.call_endpoint,
                "call_training_endpoint": self.call_training_endpoint,
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        if safe_mode is not False and keras_config.in_safe_mode():
            raise ValueError(
                "Requested the deserialization of a `TFSMLayer`, which loads an external "
                "SavedModel. This carries a potential risk of arbitrary code execution and "
                "thus it is disallowed by default. If you trust the source of the artifact, "
                "you can override this error by passing `safe_mode=False` to the loading "
                "function, or calling `keras.config.enable_unsafe_deserialization()`."
            )
        return cls(**config)
