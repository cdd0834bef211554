"""`LSTMCell` and `LSTM` (Hochreiter & Schmidhuber, 1997); gates ordered i, f, c, o."""

from unikeras import activations, initializers, ops
from unikeras.layers.rnn import kernels
from unikeras.layers.rnn.base_cell import BaseRNNCell
from unikeras.layers.rnn.base_rnn_layer import CellRNN, cell_property


class LSTMCell(BaseRNNCell):
    """One LSTM step; states `[h, c]`.

    Args:
        units: Positive int: the size of the output and of the state.
        activation: Activation function or name (default `"tanh"`; `None`: linear).
        recurrent_activation: Activation function or name of the gates (default `"sigmoid"`).
        use_bias: Whether to add a bias vector (default `True`).
        kernel_initializer: Initializer of the `(input_dim, 4 * units)` input kernel (default
            `"glorot_uniform"`).
        recurrent_initializer: Initializer of the `(units, 4 * units)` recurrent kernel (default
            `"orthogonal"`).
        bias_initializer: Initializer of the bias (default `"zeros"`).
        unit_forget_bias: Whether the forget gate's bias starts at 1, the rest of the bias using
            `bias_initializer` (default `True`).
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

    Weights: `kernel (input_dim, 4 * units)`, `recurrent_kernel (units, 4 * units)`,
    `bias (4 * units,)`.

    Examples:
        >>> cell = keras.layers.LSTMCell(3)
        >>> output, h, c = keras.layers.RNN(cell, return_state=True)(np.zeros((2, 5, 4), "float32"))
        >>> output.shape, h.shape, c.shape  # the output is the final h
        ((2, 3), (2, 3), (2, 3))
    """

    gates = 4
    extra_config = ("unit_forget_bias",)

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(
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
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias

    @property
    def state_size(self):
        """The sizes of the cell's states: `[units, units]` (hidden and carry)."""
        return [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def initializer(shape, dtype=None):
            return ops.concatenate(
                [
                    base((units,), dtype=dtype),
                    initializers.get("ones")((units,), dtype=dtype),
                    base((2 * units,), dtype=dtype),
                ]
            )

        return initializer

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        inputs, h_in = self._apply_dropout(inputs, h_tm1, training)
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_in, self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        h, c = kernels.lstm_gates(z, c_tm1, self.activation, self.recurrent_activation)
        return h, [h, c]


class LSTM(CellRNN):
    """Long Short-Term Memory layer; runs through `kernels.lstm` (the backend's fused kernel
    when the arguments fit it, else one input matmul for all steps, then an `ops.scan` over
    time) unless recurrent dropout is active in training.

    Args:
        units: Positive int: the size of the output and of the state.
        activation: Activation function or name (default `"tanh"`; `None`: linear).
        recurrent_activation: Activation function or name of the gates (default `"sigmoid"`).
        use_bias: Whether to add a bias vector (default `True`).
        kernel_initializer: Initializer of the `(input_dim, 4 * units)` input kernel (default
            `"glorot_uniform"`).
        recurrent_initializer: Initializer of the `(units, 4 * units)` recurrent kernel (default
            `"orthogonal"`).
        bias_initializer: Initializer of the bias (default `"zeros"`).
        unit_forget_bias: Whether the forget gate's bias starts at 1, the rest of the bias using
            `bias_initializer` (default `True`).
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
        use_cudnn: `"auto"` (default) or `True` use the backend's fused kernel (cuDNN, `torch.lstm`,
            TensorFlow's `BlockLSTM`, a lean `lax.scan` on JAX) when the arguments fit its
            semantics; `False` always runs the generic loop.

    Examples:
        >>> keras.layers.LSTM(4)(np.zeros((2, 5, 3), 'float32')).shape
        (2, 4)
        >>> keras.layers.LSTM(4, return_sequences=True)(np.zeros((2, 5, 3), 'float32')).shape
        (2, 5, 4)
    """

    cell_class = LSTMCell
    cell_name = "lstm_cell"
    fused = staticmethod(kernels.lstm)
    recurrent_activation = cell_property("recurrent_activation")
    unit_forget_bias = cell_property("unit_forget_bias")

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        use_cudnn="auto",
        **kwargs,
    ):
        super().__init__(
            dict(
                units=units,
                activation=activation,
                recurrent_activation=recurrent_activation,
                use_bias=use_bias,
                kernel_initializer=kernel_initializer,
                recurrent_initializer=recurrent_initializer,
                bias_initializer=bias_initializer,
                unit_forget_bias=unit_forget_bias,
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
        self.use_cudnn = use_cudnn

    def fused_arguments(self):
        return {**super().fused_arguments(), "use_fused": self.use_cudnn is not False}
