"""`SimpleRNNCell` and `SimpleRNN`: `h_t = activation(x_t W + h_{t-1} U + b)`."""

from unikeras import ops
from unikeras.layers.rnn.base_cell import BaseRNNCell, first_state, like_states
from unikeras.layers.rnn.base_rnn_layer import CellRNN


class SimpleRNNCell(BaseRNNCell):
    """One step of a fully connected RNN.

    Args:
        units: Output (and state) size.
        activation: Activation (default `tanh`).
        use_bias: Whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: Initializers of the
            `(input_dim, units)` kernel, `(units, units)` recurrent kernel, `(units,)` bias.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: Optional constraints.
        dropout: Fraction of the input units dropped (training only).
        recurrent_dropout: Fraction of the recurrent units dropped (training only).
        seed: Seed of the dropout masks.

    Call: `cell(inputs, states, training=False) -> (output, new_states)`.
    """

    def call(self, sequence, states, training=False):
        h_tm1 = first_state(states)
        inputs, h_in = self._apply_dropout(sequence, h_tm1, training)
        x = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = x + self.bias
        output = self.activation(x + ops.matmul(h_in, self.recurrent_kernel))
        return output, like_states(states, output)


class SimpleRNN(CellRNN):
    """Fully connected RNN whose output is fed back as the next step's state.

    Args: those of `SimpleRNNCell`, `activity_regularizer`, and `return_sequences`,
    `return_state`, `go_backwards`, `stateful`, `unroll` as in `RNN`.

    Example:

    >>> keras.layers.SimpleRNN(4, return_sequences=True)(np.zeros((2, 5, 3), 'float32')).shape
    (2, 5, 4)
    """

    cell_class = SimpleRNNCell
    cell_name = "simple_rnn_cell"

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            dict(
                units=units,
                activation=activation,
                use_bias=use_bias,
                kernel_initializer=kernel_initializer,
                recurrent_initializer=recurrent_initializer,
                bias_initializer=bias_initializer,
                kernel_regularizer=kernel_regularizer,
                recurrent_regularizer=recurrent_regularizer,
                bias_regularizer=bias_regularizer,
                kernel_constraint=kernel_constraint,
                recurrent_constraint=recurrent_constraint,
                bias_constraint=bias_constraint,
                dropout=dropout,
                recurrent_dropout=recurrent_dropout,
                seed=seed,
            ),
            activity_regularizer=activity_regularizer,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        # Keras 3's SimpleRNN takes `seed` but leaves it out of its config (its cell keeps it).
        del config["seed"]
        return config
