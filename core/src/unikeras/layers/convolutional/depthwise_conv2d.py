"""`DepthwiseConv2D`: 2-D depthwise convolution."""

from unikeras.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution: every input channel gets its own `depth_multiplier`
    filters and no channels are mixed.

    Inputs are `(batch, height, width, channels)` (channels_last) or
    `(batch, channels, height, width)`. See `BaseDepthwiseConv` for the arguments.

    Example:

    >>> keras.layers.DepthwiseConv2D(3, depth_multiplier=2)(np.zeros((1, 5, 5, 4), 'float32')).shape
    (1, 3, 3, 8)
    """

    def __init__(
        self,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            2,
            depth_multiplier,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            activation,
            use_bias,
            depthwise_initializer,
            bias_initializer,
            depthwise_regularizer,
            bias_regularizer,
            activity_regularizer,
            depthwise_constraint,
            bias_constraint,
            **kwargs,
        )
