"""`Conv2DTranspose`: 2-D transposed convolution ("deconvolution")."""

from unikeras.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution layer, e.g. to upsample feature maps.

    Inputs are `(batch, height, width, channels)` (channels_last)
    or `(batch, channels, height, width)`; the kernel is
    `(*kernel_size, filters, channels)`. See `BaseConvTranspose` for the arguments.

    Example:

    >>> keras.layers.Conv2DTranspose(3, 2, strides=2)(np.zeros((1, 4, 4, 8), 'float32')).shape
    (1, 8, 8, 3)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=(1, 1),
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
            2,
            filters,
            kernel_size,
            strides,
            padding,
            output_padding,
            data_format,
            dilation_rate,
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
