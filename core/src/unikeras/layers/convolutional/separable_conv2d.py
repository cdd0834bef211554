"""`SeparableConv2D`: 2-D depthwise separable convolution."""

from unikeras.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv2D(BaseSeparableConv):
    """2-D separable convolution: a depthwise convolution followed by a pointwise
    (`1x1`) convolution mixing the channels into `filters` outputs.

    Inputs are `(batch, height, width, channels)` (channels_last) or
    `(batch, channels, height, width)`. See `BaseSeparableConv` for the arguments.

    Example:

    >>> keras.layers.SeparableConv2D(6, 3)(np.zeros((1, 5, 5, 4), 'float32')).shape
    (1, 3, 3, 6)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(
            2,
            depth_multiplier,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            activation,
            use_bias,
            depthwise_initializer,
            pointwise_initializer,
            bias_initializer,
            depthwise_regularizer,
            pointwise_regularizer,
            bias_regularizer,
            activity_regularizer,
            depthwise_constraint,
            pointwise_constraint,
            bias_constraint,
            **kwargs,
        )
