"""`Conv3DTranspose`: 3-D transposed convolution ("deconvolution")."""

from unikeras.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3-D transposed convolution layer, e.g. to upsample feature maps.

    Inputs are `(batch, dim1, dim2, dim3, channels)` (channels_last)
    or `(batch, channels, dim1, dim2, dim3)`; the kernel is
    `(*kernel_size, filters, channels)`.

    Args:
        filters: Number of output channels.
        kernel_size: An int or a tuple of 3 ints: the size of the convolution window.
        strides: An int or a tuple of 3 ints: the upsampling step (default 1); values above 1 are
            incompatible with `dilation_rate` above 1.
        padding: `"valid"` (the default: output size `size * strides + max(kernel_size - strides,
            0)` with `dilation_rate` 1) or `"same"` (output size `size * strides`).
        output_padding: `None` (default: the output size follows `padding`) or an int or a tuple of
            3 ints, each smaller than `strides`: the padding added along each axis of the output.
        data_format: `"channels_last"` or `"channels_first"` (`None`:
            `keras.config.image_data_format()`).
        dilation_rate: An int or a tuple of 3 ints: the spacing of the kernel taps (default 1).
        activation: Activation function or name (`None`: linear).
        use_bias: Whether to add a `(filters,)` bias vector (default `True`).
        kernel_initializer: Initializer of the `(*kernel_size, filters, channels)` kernel (default
            `"glorot_uniform"`).
        bias_initializer: Initializer of the bias (default `"zeros"`).
        kernel_regularizer: Optional regularizer of the kernel.
        bias_regularizer: Optional regularizer of the bias.
        activity_regularizer: Optional regularizer on the output.
        kernel_constraint: Optional constraint of the kernel.
        bias_constraint: Optional constraint of the bias.

    Examples:
        >>> keras.layers.Conv3DTranspose(3, 2, strides=2)(np.zeros((1, 2, 2, 2, 4), "float32")).shape
        (1, 4, 4, 4, 3)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=(1, 1, 1),
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
            3,
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
