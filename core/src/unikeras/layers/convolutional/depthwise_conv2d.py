"""`DepthwiseConv2D`: 2-D depthwise convolution."""

from unikeras.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution: every input channel gets its own `depth_multiplier`
    filters and no channels are mixed.

    Inputs are `(batch, height, width, channels)` (channels_last) or
    `(batch, channels, height, width)`.

    Args:
        kernel_size: An int or a tuple of 2 ints: the size of the convolution window.
        strides: An int or a tuple of 2 ints: the step of the window (default 1); values above 1 are
            incompatible with `dilation_rate` above 1.
        padding: `"valid"` (no padding, the default) or `"same"` (zero padding so that the output
            size is `ceil(size / strides)`).
        depth_multiplier: Number of filters per input channel (default 1); the output has `channels
            * depth_multiplier` channels.
        data_format: `"channels_last"` or `"channels_first"` (`None`:
            `keras.config.image_data_format()`).
        dilation_rate: An int or a tuple of 2 ints: the spacing of the kernel taps (default 1).
        activation: Activation function or name (`None`: linear).
        use_bias: Whether to add a `(channels * depth_multiplier,)` bias vector (default `True`).
        depthwise_initializer: Initializer of the `(*kernel_size, channels, depth_multiplier)`
            kernel (default `"glorot_uniform"`).
        bias_initializer: Initializer of the bias (default `"zeros"`).
        depthwise_regularizer: Optional regularizer of the depthwise kernel.
        bias_regularizer: Optional regularizer of the bias.
        activity_regularizer: Optional regularizer on the output.
        depthwise_constraint: Optional constraint of the depthwise kernel.
        bias_constraint: Optional constraint of the bias.

    Examples:
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
