"""`GRUCell` and `GRU` (Cho et al., 2014); gates ordered z, r, h."""

from unikeras import activations, ops
from unikeras.layers.rnn import kernels
from unikeras.layers.rnn.base_cell import BaseRNNCell, first_state, like_states
from unikeras.layers.rnn.base_rnn_layer import CellRNN, cell_property


class GRUCell(BaseRNNCell):
    """One GRU step; state `h`.

    Args:
        units: Positive int: the size of the output and of the state.
        activation: Activation function or name (default `"tanh"`; `None`: linear).
        recurrent_activation: Activation function or name of the gates (default `"sigmoid"`).
        use_bias: Whether to add a bias vector (default `True`).
        kernel_initializer: Initializer of the `(input_dim, 3 * units)` input kernel (default
            `"glorot_uniform"`).
        recurrent_initializer: Initializer of the `(units, 3 * units)` recurrent kernel (default
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
        reset_after: Whether the reset gate applies after the recurrent matmul (default `True`, the
            Keras 3 and cuDNN convention, with separate input and recurrent biases: a `(2, 3 *
            units)` bias) or before it (a `(3 * units,)` bias).
        seed: Optional int seed of the dropout masks.

    Weights: `kernel (input_dim, 3 * units)`, `recurrent_kernel (units, 3 * units)`,
    `bias (2, 3 * units)` with `reset_after`, else `(3 * units,)`.

    Examples:
        >>> cell = keras.layers.GRUCell(3)
        >>> keras.layers.RNN(cell)(np.zeros((2, 5, 4), "float32")).shape
        (2, 3)
        >>> [tuple(w.shape) for w in cell.weights]  # kernel, recurrent kernel, bias
        [(4, 9), (3, 9), (2, 9)]
    """

    gates = 3
    extra_config = ("reset_after",)

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        reset_after=True,
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
        self.reset_after = reset_after

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _biases(self):
        """`(input_bias, recurrent_bias)`; either may be `None`."""
        if self.bias is None:
            return None, None
        if self.reset_after:
            return self.bias[0], self.bias[1]
        return self.bias, None

    def call(self, inputs, states, training=False):
        h_tm1 = first_state(states)
        inputs, h_in = self._apply_dropout(inputs, h_tm1, training)
        input_bias, recurrent_bias = self._biases()
        x_proj = ops.matmul(inputs, self.kernel)
        if input_bias is not None:
            x_proj = x_proj + input_bias
        h = kernels.gru_gates(
            x_proj,
            h_tm1,
            self.recurrent_kernel,
            recurrent_bias,
            self.reset_after,
            self.activation,
            self.recurrent_activation,
            recurrent_input=h_in,
        )
        return h, like_states(states, h)


class GRU(CellRNN):
    """Gated Recurrent Unit layer; runs through `kernels.gru` (the backend's fused kernel
    when the arguments fit it, else one input matmul for all steps, then an `ops.scan` over
    time) unless recurrent dropout is active in training.

    Args:
        units: Positive int: the size of the output and of the state.
        activation: Activation function or name (default `"tanh"`; `None`: linear).
        recurrent_activation: Activation function or name of the gates (default `"sigmoid"`).
        use_bias: Whether to add a bias vector (default `True`).
        kernel_initializer: Initializer of the `(input_dim, 3 * units)` input kernel (default
            `"glorot_uniform"`).
        recurrent_initializer: Initializer of the `(units, 3 * units)` recurrent kernel (default
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
        reset_after: Whether the reset gate applies after the recurrent matmul (default `True`, the
            Keras 3 and cuDNN convention, with separate input and recurrent biases: a `(2, 3 *
            units)` bias) or before it (a `(3 * units,)` bias).
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
        use_cudnn: `"auto"` (default) or `True` use the backend's fused kernel (cuDNN, `torch.gru`,
            a lean `lax.scan` on JAX) when the arguments fit its semantics (`reset_after=True`);
            `False` always runs the generic loop.

    Examples:
        >>> keras.layers.GRU(4)(np.zeros((2, 5, 3), 'float32')).shape
        (2, 4)
    """

    cell_class = GRUCell
    cell_name = "gru_cell"
    fused = staticmethod(kernels.gru)
    recurrent_activation = cell_property("recurrent_activation")
    reset_after = cell_property("reset_after")

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
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
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        reset_after=True,
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
                kernel_regularizer=kernel_regularizer,
                recurrent_regularizer=recurrent_regularizer,
                bias_regularizer=bias_regularizer,
                kernel_constraint=kernel_constraint,
                recurrent_constraint=recurrent_constraint,
                bias_constraint=bias_constraint,
                dropout=dropout,
                recurrent_dropout=recurrent_dropout,
                reset_after=reset_after,
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
        return {
            **super().fused_arguments(),
            "reset_after": self.cell.reset_after,
            "use_fused": self.use_cudnn is not False,
        }
