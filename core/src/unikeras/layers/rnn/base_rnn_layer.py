"""`CellRNN`: shared base of `SimpleRNN`, `LSTM` and `GRU` (an `RNN` owning its cell)."""

from unikeras import ops, regularizers
from unikeras.layers.rnn.rnn import RNN

_BASE_CONFIG_KEYS = ("name", "trainable", "dtype", "batch_shape")


class CellRNN(RNN):
    """An `RNN` whose cell (`cell_class`) is built from the layer's own arguments.

    Subclasses have the Keras 3 constructor signature and pass the cell's arguments as a
    dict written out name by name (`cell_args`), the `RNN` ones as keyword arguments. They
    may set `fused` to a function of `kernels` (`lstm`, `gru`) that runs the whole sequence
    at once; it is used unless recurrent dropout is active.

    Args:
        cell_args: Keyword arguments of `cell_class` (without `dtype`, `trainable`, `name`,
            which come from the layer's own).
        activity_regularizer: Regularizer of the layer's output.
        return_sequences, return_state, go_backwards, stateful, unroll: As in `RNN`.
        **kwargs: Base layer arguments (`name`, `dtype`, `trainable`, ...).
    """

    cell_class = None
    cell_name = None
    fused = None

    def __init__(
        self,
        cell_args,
        activity_regularizer=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        **kwargs,
    ):
        cell = self.cell_class(
            **cell_args,
            dtype=kwargs.get("dtype"),
            trainable=kwargs.get("trainable", True),
            name=self.cell_name,
        )
        super().__init__(
            cell,
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        if self.fused is None or (training and cell.recurrent_dropout > 0):
            return super().inner_loop(sequences, initial_state, mask, training)
        if training and cell.dropout > 0:
            # The input dropout mask is the same at every step: apply it to the sequence.
            sequences = sequences * ops.expand_dims(cell.get_dropout_mask(sequences[:, 0]), 1)
            cell.reset_dropout_mask()
        return type(self).fused(
            sequences,
            initial_state,
            cell.kernel,
            cell.recurrent_kernel,
            cell.bias,
            mask=mask,
            go_backwards=self.go_backwards,
            return_sequences=self.return_sequences,
            unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask,
            **self.fused_arguments(),
        )

    def fused_arguments(self):
        """Extra keyword arguments of `fused` (activations, ...)."""
        return {
            "activation": self.cell.activation,
            "recurrent_activation": self.cell.recurrent_activation,
        }

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        for key in _BASE_CONFIG_KEYS:
            cell_config.pop(key, None)
        config.update(cell_config)
        # Keras 3 puts the layer's `activity_regularizer` among the cell's arguments.
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config


def cell_property(name):
    """A read-only layer attribute forwarding to the cell's (Keras exposes `layer.units`...)."""
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


for _name in (
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
):
    setattr(CellRNN, _name, cell_property(_name))
