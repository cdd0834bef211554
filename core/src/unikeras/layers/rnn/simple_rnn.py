"""`SimpleRNNCell` and `SimpleRNN`: `h_t = activation(x_t W + h_{t-1} U + b)`."""

from unikeras import ops
from unikeras.layers.rnn.base_cell import BaseRNNCell, first_state, like_states
from unikeras.layers.rnn.base_rnn_layer import CellRNN


class SimpleRNNCell(BaseRNNCell):
    """One step of a fully connected RNN.

    Args:
        units: Positive int: the size of the output and of the state.
        activation: Activation function or name (default `"tanh"`; `None`: linear).
        use_bias: Whether to add a bias vector (default `True`).
        kernel_initializer: Initializer of the `(input_dim, units)` input kernel (default
            `"glorot_uniform"`).
        recurrent_initializer: Initializer of the `(units, units)` recurrent kernel (default
            `"orthogonal"`).
        bias_initializer: Initializer of the bias (default `"zeros"`).
        kernel_regularizer: Optional regularizer of the input kernel.
        recurrent_regularizer: Optional regularizer of the recurrent kernel.
        bias_regularizer: Optional regularizer of the bias.
        kernel_constraint: Optional constraint of the input kernel.
        recurrent_constraint: Optional constraint of the recurrent kernel.
        bias_constraint: Optional constraint of the bias.
        dropout: Fraction in `[0, 1]` of the input units dropped in training (default 0).
        recurrent_dropout: Fraction in `[0, 1]` of the recurrent state units dropped in training
            (default 0).
        seed: Optional int seed of the dropout masks.

    Call: `cell(inputs, states, training=False) -> (output, new_states)`.

    Examples:
        >>> cell = keras.layers.SimpleRNNCell(
        ...     2, kernel_initializer="ones", recurrent_initializer="ones"
        ... )
        >>> x, h = np.array([[1.0, 2.0]], "float32"), np.full((1, 2), 0.5, "float32")
        >>> output, new_states = cell(x, [h])
        >>> output  # tanh(1 + 2 + 0.5 + 0.5)
        array([[0.9993293, 0.9993293]], dtype=float32)
        >>> keras.layers.RNN(cell)(np.zeros((4, 5, 2), "float32")).shape
        (4, 2)
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

    Args:
        units: Positive int: the size of the output and of the state.
        activation: Activation function or name (default `"tanh"`; `None`: linear).
        use_bias: Whether to add a bias vector (default `True`).
        kernel_initializer: Initializer of the `(input_dim, units)` input kernel (default
            `"glorot_uniform"`).
        recurrent_initializer: Initializer of the `(units, units)` recurrent kernel (default
            `"orthogonal"`).
        bias_initializer: Initializer of the bias (default `"zeros"`).
        kernel_regularizer: Optional regularizer of the input kernel.
        recurrent_regularizer: Optional regularizer of the recurrent kernel.
        bias_regularizer: Optional regularizer of the bias.
        activity_regularizer: Optional regularizer on the output.
        kernel_constraint: Optional constraint of the input kernel.
        recurrent_constraint: Optional constraint of the recurrent kernel.
        bias_constraint: Optional constraint of the bias.
        dropout: Fraction in `[0, 1]` of the input units dropped in training (default 0).
        recurrent_dropout: Fraction in `[0, 1]` of the recurrent state units dropped in training
            (default 0).
        seed: Optional int seed of the dropout masks.
        return_sequences: Whether to return the whole output sequence `(batch, time, units)` instead
            of the last output `(batch, units)` (default `False`).
        return_state: Whether to also return the final state(s) after the output (default `False`).
        go_backwards: Whether to process the sequence backwards and return the reversed sequence
            (default `False`).
        stateful: Whether the final states of a batch are the initial states of the next (default
            `False`; needs a fixed batch size, `reset_states()` zeroes them).
        unroll: Whether to unroll the time loop (faster for short sequences, more memory; default
            `False`).

    Examples:
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
