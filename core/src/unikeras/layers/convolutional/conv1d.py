"""`Conv1D`: 1-D convolution, with `"causal"` padding for autoregressive models."""

from unikeras import ops
from unikeras.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """1-D convolution layer (e.g. temporal convolution).

    Inputs are `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)`;
    `padding="causal"` left-pads by `dilation_rate * (kernel_size - 1)` so that output `t`
    only sees inputs `<= t`.

    Args:
        filters: Number of output channels.
        kernel_size: An int: the size of the convolution window.
        strides: An int: the step of the window (default 1); values above 1 are incompatible with
            `dilation_rate` above 1.
        padding: `"valid"` (no padding, the default), `"same"` (zero padding so that the output size
            is `ceil(size / strides)`) or `"causal"` (left padding only).
        data_format: `"channels_last"` or `"channels_first"` (`None`:
            `keras.config.image_data_format()`).
        dilation_rate: An int: the spacing of the kernel taps (default 1).
        groups: Number of channel groups (default 1): each group of `filters // groups` outputs sees
            `channels // groups` inputs; both counts must be multiples.
        activation: Activation function or name (`None`: linear).
        use_bias: Whether to add a `(filters,)` bias vector (default `True`).
        kernel_initializer: Initializer of the `(*kernel_size, channels // groups, filters)` kernel
            (default `"glorot_uniform"`).
        bias_initializer: Initializer of the bias (default `"zeros"`).
        kernel_regularizer: Optional regularizer of the kernel.
        bias_regularizer: Optional regularizer of the bias.
        activity_regularizer: Optional regularizer on the output.
        kernel_constraint: Optional constraint of the kernel.
        bias_constraint: Optional constraint of the bias.

    Examples:
        >>> keras.layers.Conv1D(4, 3)(np.zeros((2, 10, 8), 'float32')).shape  # 10 - 3 + 1 steps
        (2, 8, 4)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            1,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            groups,
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
            **kwargs,
        )

    def convolution_op(self, inputs, kernel):
        if self.padding != "causal":
            return super().convolution_op(inputs, kernel)
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        steps_axis = 1 if self.data_format == "channels_last" else 2
        pad_width = [(0, 0)] * 3
        pad_width[steps_axis] = (left, 0)
        return ops.conv(
            ops.pad(inputs, pad_width),
            kernel,
            strides=self.strides,
            padding="valid",
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )
