"""`Conv2D`: 2-D convolution over images."""

from unikeras.layers.convolutional.base_conv import BaseConv


class Conv2D(BaseConv):
    """2-D convolution layer.

    Inputs are `(batch, height, width, channels)` (channels_last) or
    `(batch, channels, height, width)`; the kernel is `(*kernel_size, channels // groups,
    filters)`. See `BaseConv` for the arguments.

    Example:

    >>> keras.layers.Conv2D(4, 3, padding='same')(np.zeros((1, 5, 5, 2), 'float32')).shape
    (1, 5, 5, 4)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
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
            2,
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
