"""`ConvLSTMCell` and `ConvLSTM`: the LSTM with convolutions instead of matmuls, shared by
`ConvLSTM1D`, `ConvLSTM2D` and `ConvLSTM3D`."""

from unikeras import ops
from unikeras.backend.config import standardize_data_format
from unikeras.layers.convolutional.conv_utils import (
    add_bias,
    check_strides_dilation,
    known_channels,
    spatial_output_shape,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.rnn import kernels
from unikeras.layers.rnn.base_rnn_layer import CellRNN, cell_property
from unikeras.layers.rnn.lstm import LSTMCell

_CONV_ARGS = (
    "rank",
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
)


class ConvLSTMCell(LSTMCell):
    """One ConvLSTM step over inputs `(batch, *spatial, channels)` (or channels_first);
    states `[h, c]` of shape `(batch, *out_spatial, filters)`.

    Gates (ordered i, f, c, o) are `conv(x, kernel) + bias + conv(h, recurrent_kernel)`,
    the recurrent convolution with stride 1 and `"same"` padding.

    Args:
        rank: Number of spatial axes (1, 2 or 3).
        filters: Number of output channels.
        kernel_size, strides, dilation_rate: int or tuple of `rank` ints, for the input
            convolution (`strides > 1` is incompatible with `dilation_rate > 1`).
        padding: `"valid"` or `"same"` (input convolution).
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
        Other arguments: as in `LSTMCell`.

    Weights: `kernel (*kernel_size, channels, 4 * filters)`, `recurrent_kernel
    (*kernel_size, filters, 4 * filters)`, `bias (4 * filters,)`.
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError(
                f"ConvLSTM: `filters` must be a positive int. Received: filters={filters!r}"
            )
        if rank not in (1, 2, 3):
            raise ValueError(f"ConvLSTM: `rank` must be 1, 2 or 3. Received: rank={rank!r}")
        super().__init__(
            units=filters,
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
            **kwargs,
        )
        self.rank = rank
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        check_strides_dilation(self)
        self.channel_axis = -1 if self.data_format == "channels_last" else 1

    def state_shape(self, input_shape):
        """The shape of `h` and `c` for a step input of shape `input_shape`."""
        spatial = spatial_output_shape(
            self, input_shape, self.kernel_size, self.strides, self.dilation_rate, self.padding
        )
        return with_channels(self, input_shape[0], spatial, self.filters)

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        if None in spatial:
            raise ValueError(
                f'Layer "{self.name}": ConvLSTM needs static spatial dimensions. '
                f"Received input shape {input_shape}"
            )
        self.input_dim = known_channels(self, input_shape)
        self.step_shape = (None,) + input_shape[1:]
        width = 4 * self.filters
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.input_dim, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(width,),
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.built = True

    def get_initial_state(self, batch_size=None):
        """Zero `[h, c]` for `batch_size` sequences (the cell must be built)."""
        shape = (batch_size,) + self.state_shape(self.step_shape)[1:]
        return [ops.zeros(shape, dtype=self.compute_dtype) for _ in range(2)]

    def input_conv(self, inputs):
        """The input convolution plus bias: the gates' pre-activations from the input."""
        outputs = ops.conv(
            inputs,
            self.kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
        return add_bias(self, outputs, self.bias)

    def recurrent_step(self, input_part, states, recurrent_input):
        """Finishes a step from `input_conv`'s output; `recurrent_input` is `h` (after
        recurrent dropout, if any). Returns `(h, [h, c])`."""
        z = input_part + ops.conv(
            recurrent_input,
            self.recurrent_kernel,
            strides=1,
            padding="same",
            data_format=self.data_format,
        )
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=self.channel_axis)
        gate = self.recurrent_activation
        c = gate(z_f) * states[1] + gate(z_i) * self.activation(z_c)
        h = gate(z_o) * self.activation(c)
        return h, [h, c]

    def call(self, inputs, states, training=False):
        inputs, h_in = self._apply_dropout(inputs, states[0], training)
        return self.recurrent_step(self.input_conv(inputs), states, h_in)

    def get_config(self):
        config = super().get_config()
        del config["units"]
        config.update({name: getattr(self, name) for name in _CONV_ARGS[1:]})
        return config


class ConvLSTM(CellRNN):
    """Convolutional LSTM over `(batch, time, *spatial, channels)` (channels_last) or
    `(batch, time, channels, *spatial)`; subclasses set `rank`.

    The input convolution runs once over all timesteps before the time loop (an
    `ops.scan` through `kernels.rnn`), which then only runs the recurrent convolution.

    Args: those of `ConvLSTMCell` except `rank` (`filters`, `kernel_size`, `strides`,
    `padding`, `data_format`, `dilation_rate`, `activation`, `recurrent_activation`,
    `use_bias`, initializers, regularizers, constraints, `unit_forget_bias`, `dropout`,
    `recurrent_dropout`, `seed`), `activity_regularizer`, and `return_sequences`,
    `return_state`, `go_backwards`, `stateful` as in `RNN`.

    Weights: `kernel (*kernel_size, channels, 4 * filters)`, `recurrent_kernel
    (*kernel_size, filters, 4 * filters)`, `bias (4 * filters,)`, gates ordered i, f, c, o.

    Output: `(batch, *out_spatial, filters)` (channels_last), or with a time axis after the
    batch with `return_sequences`; followed by the final `h` and `c` with `return_state`.
    """

    rank = None
    cell_class = ConvLSTMCell
    cell_name = "conv_lstm_cell"

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        **kwargs,
    ):
        # Keras 3's ConvLSTM configs carry `unroll` (from `RNN`).
        unroll = kwargs.pop("unroll", False)
        super().__init__(
            dict(
                rank=self.rank,
                filters=filters,
                kernel_size=kernel_size,
                strides=strides,
                padding=padding,
                data_format=data_format,
                dilation_rate=dilation_rate,
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
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def build(self, sequences_shape, initial_state_shape=None):
        if not self.cell.built:
            self._build_cell((sequences_shape[0],) + tuple(sequences_shape[2:]))
        if self.stateful:
            batch = sequences_shape[0]
            if batch is None:
                raise ValueError(
                    f'Layer "{self.name}": a stateful ConvLSTM needs a fixed batch '
                    f"size. Received input shape {sequences_shape}"
                )
            self.states = [
                self.add_weight(
                    shape=(batch,) + self._state_shape(sequences_shape),
                    initializer="zeros",
                    trainable=False,
                    name="rnn_state",
                )
                for _ in range(2)
            ]
        self.built = True

    def _state_shape(self, sequences_shape):
        """The shape of `h` and `c` without the batch axis."""
        return self.cell.state_shape((None,) + tuple(sequences_shape[2:]))[1:]

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        input_mask = recurrent_mask = None
        if training and cell.dropout > 0:
            input_mask = ops.expand_dims(cell.get_dropout_mask(sequences[:, 0]), 1)
        if training and cell.recurrent_dropout > 0:
            recurrent_mask = cell.get_recurrent_dropout_mask(initial_state[0])
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
        if input_mask is not None:
            sequences = sequences * input_mask
        batch, time = ops.shape(sequences)[:2]
        projected = cell.input_conv(ops.reshape(sequences, (-1,) + tuple(sequences.shape[2:])))
        projected = ops.reshape(projected, (batch, time) + tuple(projected.shape[1:]))

        def step(input_part, states):
            h_in = states[0] if recurrent_mask is None else states[0] * recurrent_mask
            return cell.recurrent_step(input_part, states, h_in)

        return kernels.rnn(
            step,
            projected,
            list(initial_state),
            ops.zeros_like(initial_state[0]),
            mask=mask,
            go_backwards=self.go_backwards,
            unroll=self.unroll,
            zero_output_for_mask=self.zero_output_for_mask,
            return_sequences=self.return_sequences,
        )

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, time = sequences_shape[:2]
        state = (batch,) + self._state_shape(sequences_shape)
        output = (batch, time) + state[1:] if self.return_sequences else state
        return [output, state, state] if self.return_state else output


for _name in _CONV_ARGS[1:] + ("recurrent_activation", "unit_forget_bias"):
    setattr(ConvLSTM, _name, cell_property(_name))
