"""`Bidirectional`: runs a recurrent layer forwards and backwards and merges the outputs."""

from unikeras import ops
from unikeras.backend.name_scope import name_scope
from unikeras.layers.layer import Layer
from unikeras.saving import serialization
from unikeras.backend import tree

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _merge(mode, y, y_rev):
    if mode == "concat":
        return ops.concatenate([y, y_rev], axis=-1)
    if mode == "sum":
        return y + y_rev
    if mode == "ave":
        return (y + y_rev) / 2
    if mode == "mul":
        return y * y_rev
    return [y, y_rev]


def _copy(layer, name, **overrides):
    config = serialization.serialize_keras_object(layer)
    config["config"].update(name=name, **overrides)
    return serialization._deserialize_object(config)


class Bidirectional(Layer):
    """Bidirectional wrapper of an `RNN` (or any layer with `go_backwards`,
    `return_sequences` and `return_state`).

    Args:
        layer: The forward recurrent layer; a copy of it is run forwards and, unless
            `backward_layer` is given, another copy with `go_backwards` flipped backwards.
        merge_mode: How the two outputs are combined: `"concat"` (default), `"sum"`,
            `"mul"`, `"ave"`, or `None` (a list `[forward, backward]`).
        weights: Optional initial weights (forward then backward).
        backward_layer: Optional explicit backward layer.

    The backward output sequence is flipped back into time order before merging. With
    `return_state`, the output is followed by the forward then the backward states.

    Examples:
        >>> layer = keras.layers.Bidirectional(keras.layers.LSTM(4))
        >>> layer(np.zeros((2, 5, 3), 'float32')).shape  # forward and backward: 2 x 4 features
        (2, 8)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        super().__init__(**kwargs)
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f'Layer "{self.name}": invalid merge mode. Merge mode should be '
                f"one of {_MERGE_MODES}. Received: merge_mode={merge_mode!r}"
            )
        if not isinstance(layer, Layer) or not hasattr(layer, "go_backwards"):
            raise ValueError(
                "Bidirectional: `layer` must be a recurrent layer (with "
                f"`go_backwards`). Received: layer={layer!r}"
            )
        self.forward_layer = _copy(layer, "forward_" + layer.name.removeprefix("forward_"))
        if backward_layer is None:
            backward_layer = _copy(
                layer,
                "backward_" + layer.name.removeprefix("backward_"),
                go_backwards=not layer.go_backwards,
            )
        elif (
            backward_layer.go_backwards == layer.go_backwards
            or backward_layer.return_sequences != layer.return_sequences
            or backward_layer.return_state != layer.return_state
        ):
            raise ValueError(
                f'Layer "{self.name}": `backward_layer` must have the opposite '
                "`go_backwards` of `layer` and the same `return_sequences` and `return_state`."
                f" Received: backward_layer={backward_layer.get_config()}"
            )
        self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = getattr(layer, "stateful", False)
        self.supports_masking = True
        if weights is not None:
            self._initial_weights = weights

    def build(self, sequences_shape, initial_state_shape=None):
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:
                with name_scope(layer.name):
                    layer.build(sequences_shape)
                layer.built = True
        self.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        kwargs = {"mask": mask, "training": training}
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = ops.flip(y_rev, axis=1)
        output = _merge(self.merge_mode, y, y_rev)
        if self.return_state:
            return (output if isinstance(output, list) else [output]) + states
        return output

    def reset_states(self):
        """Zeroes the kept states of both directions (stateful layers)."""
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    reset_state = reset_states

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        forward = self.forward_layer.compute_output_shape(sequences_shape)
        backward = self.backward_layer.compute_output_shape(sequences_shape)
        states = []
        if self.return_state:
            states = list(forward[1:]) + list(backward[1:])
            forward, backward = forward[0], backward[0]
        if self.merge_mode == "concat":
            output = [tuple(forward[:-1]) + (forward[-1] + backward[-1],)]
        elif self.merge_mode is None:
            output = [tuple(forward), tuple(backward)]
        else:
            output = [tuple(forward)]
        if not self.return_state and len(output) == 1:
            return output[0]
        return output + [tuple(s) for s in states]

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask] * (2 if self.merge_mode is None else 1)
        if self.return_state:
            states = len(tree.flatten(self.forward_layer.state_size)) * 2
            return masks + [None] * states
        return masks[0] if len(masks) == 1 else masks

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialization.serialize_keras_object(self.forward_layer)
        config["merge_mode"] = self.merge_mode
        # Keras 3 always stores the backward layer (the copy it made when none was given).
        config["backward_layer"] = serialization.serialize_keras_object(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("layer", "backward_layer"):
            if config.get(key) is not None:
                config[key] = serialization._deserialize_object(
                    config[key], custom_objects=custom_objects
                )
        return super().from_config(config)
