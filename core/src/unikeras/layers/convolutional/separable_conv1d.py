"""`SeparableConv1D`: 1-D depthwise separable convolution."""

from unikeras.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1-D separable convolution: a depthwise convolution followed by a pointwise
    (`1x1`) convolution mixing the channels into `filters` outputs.

    Inputs are `(batch, steps, channels)` (channels_last) or
    `(batch, channels, steps)`.

    Args:
        filters: Number of output channels (of the pointwise convolution).
        kernel_size: An int: the size of the depthwise convolution window.
        strides: An int: the step of the window (default 1); values above 1 are incompatible with
            `dilation_rate` above 1.
        padding: `"valid"` (no padding, the default) or `"same"` (zero padding so that the output
            size is `ceil(size / strides)`).
        data_format: `"channels_last"` or `"channels_first"` (`None`:
            `keras.config.image_data_format()`).
        dilation_rate: An int: the spacing of the kernel taps (default 1).
        depth_multiplier: Number of depthwise filters per input channel (default 1).
        activation: Activation function or name (`None`: linear).
        use_bias: Whether to add a `(filters,)` bias vector (default `True`).
        depthwise_initializer: Initializer of the `(*kernel_size, channels, depth_multiplier)`
            depthwise kernel (default `"glorot_uniform"`).
        pointwise_initializer: Initializer of the `(*ones, channels * depth_multiplier, filters)`
            pointwise kernel (default `"glorot_uniform"`).
        bias_initializer: Initializer of the bias (default `"zeros"`).
        depthwise_regularizer: Optional regularizer of the depthwise kernel.
        pointwise_regularizer: Optional regularizer of the pointwise kernel.
        bias_regularizer: Optional regularizer of the bias.
        activity_regularizer: Optional regularizer on the output.
        depthwise_constraint: Optional constraint of the depthwise kernel.
        pointwise_constraint: Optional constraint of the pointwise kernel.
        bias_constraint: Optional constraint of the bias.

    Examples:
        >>> layer = keras.layers.SeparableConv1D(
        ...     1, 2, depthwise_initializer="ones", pointwise_initializer="ones"
        ... )
        >>> x = np.array([[[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]], "float32")
        >>> layer(x)[..., 0]  # depthwise: [3, 30] and [5, 50], then summed over channels
        array([[33., 55.]], dtype=float32)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
            1,
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
