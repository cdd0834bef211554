"""`BaseConvTranspose`: the N-D transposed convolution behind `Conv1DTranspose`,
`Conv2DTranspose` and `Conv3DTranspose`."""

from unikeras import ops
from unikeras.layers.convolutional.base_conv import BaseConv
from unikeras.layers.convolutional.conv_utils import standardize_tuple, with_channels


def transpose_output_length(size, kernel, stride, dilation, padding, output_padding):
    """Output size of one spatial axis of a transposed convolution (`None` stays `None`)."""
    if size is None:
        return None
    span = (kernel - 1) * dilation + 1
    if output_padding is None:
        return size * stride + (max(span - stride, 0) if padding == "valid" else 0)
    pad = span // 2 if padding == "same" else 0
    return (size - 1) * stride + span - 2 * pad + output_padding


class BaseConvTranspose(BaseConv):
    """`activation(conv_transpose(inputs, kernel) + bias)` over `rank` spatial axes.

    The kernel is `(*kernel_size, filters, in_channels)`. Output sizes per axis:
    `size * stride + max(span - stride, 0)` (`"valid"`) or `size * stride` (`"same"`), with
    `span = (kernel_size - 1) * dilation_rate + 1`; when `output_padding` is given,
    `(size - 1) * stride + span - 2 * pad + output_padding` with `pad = 0` (valid) or
    `span // 2` (same).

    Args:
        output_padding: `None`, an int or a tuple of `rank` ints, each `< strides`: the
            extra size added at the end of each axis.
        Others: as in `BaseConv` (there is no `groups`).
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
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
            rank,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            1,
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
        if self.padding == "causal":
            raise ValueError(
                f'Layer "{self.name}": `padding` must be "valid" or "same". '
                f"Received: padding={padding!r}"
            )
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = standardize_tuple(
                output_padding, rank, "output_padding", allow_zero=True
            )
            if any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(
                    f'Layer "{self.name}": `output_padding` must be smaller than '
                    f"`strides` on every axis. Received: output_padding="
                    f"{self.output_padding}, strides={self.strides}"
                )

    def _kernel_shape(self, channels):
        return self.kernel_size + (self.filters, channels)

    def convolution_op(self, inputs, kernel):
        return ops.conv_transpose(
            inputs,
            kernel,
            strides=self.strides,
            padding=self.padding,
            output_padding=self.output_padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def compute_output_shape(self, input_shape):
        first = 1 if self.data_format == "channels_last" else 2
        output_padding = self.output_padding or (None,) * self.rank
        spatial = tuple(
            transpose_output_length(size, *args, self.padding, pad)
            for size, *args, pad in zip(
                input_shape[first : first + self.rank],
                self.kernel_size,
                self.strides,
                self.dilation_rate,
                output_padding,
            )
        )
        return with_channels(self, input_shape[0], spatial, self.filters)

    def get_config(self):
        config = super().get_config()
        del config["groups"]
        config["output_padding"] = self.output_padding
        return config
