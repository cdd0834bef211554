"""`ConvLSTM3D`: convolutional LSTM over sequences of 3-D feature maps."""

from unikeras.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    """3-D convolutional LSTM: an LSTM whose input and recurrent transformations are
    3-D convolutions.

    Input: `(batch, time, dim1, dim2, dim3, channels)` (channels_last)
    or `(batch, time, channels, dim1, dim2, dim3)` (channels_first).

    Weights: `kernel (*kernel_size, channels, 4 * filters)`, `recurrent_kernel
    (*kernel_size, filters, 4 * filters)`, `bias (4 * filters,)`, gates ordered i, f, c, o.

    Args:
        filters: Number of output channels (of the state and output).
        kernel_size: An int or a tuple of 3 ints: the size of the convolution windows.
        strides: An int or a tuple of 3 ints: the step of the input convolution (default 1); values
            above 1 are incompatible with `dilation_rate` above 1.
        padding: `"valid"` (default) or `"same"`, of the input convolution (the recurrent one always
            uses `"same"` and stride 1).
        data_format: `"channels_last"` or `"channels_first"` (`None`:
            `keras.config.image_data_format()`).
        dilation_rate: An int or a tuple of 3 ints: the spacing of the kernel taps (default 1).
        activation: Activation function or name (default `"tanh"`).
        recurrent_activation: Activation function or name of the gates (default `"sigmoid"`).
        use_bias: Whether to add a `(4 * filters,)` bias vector (default `True`).
        kernel_initializer: Initializer of the `(*kernel_size, channels, 4 * filters)` input kernel
            (default `"glorot_uniform"`).
        recurrent_initializer: Initializer of the `(*kernel_size, filters, 4 * filters)` recurrent
            kernel (default `"orthogonal"`).
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
        return_sequences: Whether to return the output of every step (a time axis after the batch
            axis) instead of the last one (default `False`).
        return_state: Whether to also return the final `h` and `c` after the output (default
            `False`).
        go_backwards: Whether to process the sequence backwards and return the reversed sequence
            (default `False`).
        stateful: Whether the final states of a batch are the initial states of the next (default
            `False`).

    Examples:
        >>> x = np.zeros((1, 2, 4, 4, 4, 1), "float32")
        >>> keras.layers.ConvLSTM3D(2, 3)(x).shape
        (1, 2, 2, 2, 2)
    """

    rank = 3
