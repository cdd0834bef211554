"""`keras.Sequential`: a linear stack of layers."""

from unikeras.backend.keras_tensor import KerasTensor
from unikeras.backend.name_scope import name_scope
from unikeras.layers.core.input_layer import InputLayer
from unikeras.layers.layer import Layer
from unikeras.models.functional import Functional, _planned_call
from unikeras.models.model import Model
from unikeras.saving import serialization


class Sequential(Model):
    """A stack of layers, each with one input and one output.

    Once the input shape is known (an `Input`/`InputLayer` first, an `input_shape` argument
    on the first layer, or the first call), the stack is built as a functional graph.

    Args:
        layers: Optional list of layers to add.
        trainable: Whether the weights are trainable.
        name: Model name.

    Examples:
        >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> x, y = np.ones((8, 3), "float32"), np.zeros((8, 1), "float32")
        >>> history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
        >>> losses = history.history["loss"]
        >>> len(losses), bool(losses[1] < losses[0])
        (2, True)
        >>> model.predict(x, verbose=0).shape
        (8, 1)
    """

    # Saving's protocol: `from_config` rebuilds the model with all its weights and `layers`
    # lists the whole stack (saving reads this instead of importing the model classes).
    _built_by_config = True
    # The trainers' serving path: this class's `call` is the graph's own (see Functional).
    _serving_graph = True

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack = []
        self._functional = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    def add(self, layer, rebuild=True):
        """Appends a layer (or a `keras.Input` tensor) to the stack."""
        if isinstance(layer, KerasTensor) and layer._keras_history is not None:
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Sequential.add only accepts layers; received {layer!r} "
                f"of type {type(layer).__name__}."
            )
        if isinstance(layer, InputLayer) and self._stack:
            raise ValueError("Sequential: an InputLayer can only be the first layer.")
        if (
            not self._stack
            and not isinstance(layer, InputLayer)
            and getattr(layer, "_batch_input_shape", None) is not None
        ):
            self._stack.append(InputLayer(batch_shape=layer._batch_input_shape))
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError(
                f'Sequential: all layers need unique names; "{layer.name}" is already in the model.'
            )
        self._stack.append(layer)
        if rebuild:
            self._rebuild()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self.layers:
            raise TypeError("Sequential.pop: there are no layers to remove.")
        layer = self._stack.pop()
        if rebuild:
            self._rebuild()
        return layer

    def _rebuild(self):
        self._functional = None
        self.built = False
        # Compiled steps hold the old stack's variables (and a jitted predict would serve the
        # old graph for an unchanged input signature): they are made again on next use.
        self.train_function = self.test_function = self.predict_function = None
        if self._stack and isinstance(self._stack[0], InputLayer) and len(self._stack) > 1:
            inputs = self._stack[0].output
            x = inputs
            # As in Keras 3, the layers built here get variable paths under the model's name.
            with name_scope(self.name):
                for layer in self._stack[1:]:
                    x = layer(x)
            self._functional = Functional(inputs, x, name=self.name)
            self.built = True

    def build(self, input_shape=None):
        if input_shape is None:
            raise ValueError("Sequential.build needs an input shape.")
        if not self._stack or not isinstance(self._stack[0], InputLayer):
            # As Keras 3, the batch size given is kept (a model built by `fit` from its first
            # batch has that batch size): layers whose `call` needs a concrete batch size
            # (e.g. a kernel tiling the batch) build; other batch sizes still run.
            self._stack.insert(0, InputLayer(batch_shape=tuple(input_shape)))
        self._rebuild()

    def _maybe_build(self, args):
        if self.built:
            return
        if self._functional is None:
            self.build(tuple(args[0].shape))
        self.built = True

    def call(self, inputs, training=None, mask=None):
        """Calls the layers in order on `inputs`."""
        functional = self._functional  # one read: on torch a submodule lookup
        if functional is not None:
            return functional.call(inputs, training=training, mask=mask)
        x = inputs
        for layer in self.layers:
            x = layer(x, training=training)
        return x

    def _inference_call(self, inputs, training):
        """`self(inputs, training=training)` through the inference plan of the stack's
        graph, or None (see `functional._planned_call`)."""
        functional = self._functional
        if functional is None:
            return None
        return _planned_call(self, functional, inputs, training)

    def compute_output_spec(self, inputs, training=None, mask=None):
        """Returns the output KerasTensor for symbolic `inputs`."""
        if self._functional is not None:
            return self._functional.compute_output_spec(inputs)
        return super().compute_output_spec(inputs, training=training)

    @property
    def layers(self):
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    def _sublayers(self):
        return list(self._stack)

    @property
    def input_shape(self):
        """The shape of the model's input, once it is known."""
        if self._functional is not None:
            return self._functional.input_shape
        raise AttributeError(f"Sequential model '{self.name}' has no defined input_shape yet.")

    @property
    def output_shape(self):
        """The shape of the model's output, once its input shape is known."""
        if self._functional is not None:
            return self._functional.output_shape
        raise AttributeError(f"Sequential model '{self.name}' has no defined output_shape yet.")

    @property
    def inputs(self):
        """The model's input KerasTensors once its input shape is known, else None."""
        return self._functional.inputs if self._functional else None

    @property
    def outputs(self):
        """The model's output KerasTensors once its input shape is known, else None."""
        return self._functional.outputs if self._functional else None

    @property
    def input(self):
        return self._functional.input if self._functional else super().input

    @property
    def output(self):
        return self._functional.output if self._functional else super().output

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "layers": [serialization.serialize_keras_object(layer) for layer in self._stack],
        }

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=True):
        layers = [
            serialization._deserialize_object(c, custom_objects=custom_objects, safe_mode=safe_mode)
            for c in config["layers"]
        ]
        return cls(layers, trainable=config.get("trainable", True), name=config.get("name"))
