"""`Conv3D`: 3-D convolution over volumes."""

from unikeras.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3-D convolution layer (e.g. spatial convolution over volumes or video).

    Inputs are `(batch, dim1, dim2, dim3, channels)` (channels_last) or
    `(batch, channels, dim1, dim2, dim3)`; the kernel is `(*kernel_size, channels // groups,
    filters)`.

    Args:
        filters: Number of output channels.
        kernel_size: An int or a tuple of 3 ints: the size of the convolution window.
        strides: An int or a tuple of 3 ints: the step of the window (default 1); values above 1 are
            incompatible with `dilation_rate` above 1.
        padding: `"valid"` (no padding, the default) or `"same"` (zero padding so that the output
            size is `ceil(size / strides)`).
        data_format: `"channels_last"` or `"channels_first"` (`None`:
            `keras.config.image_data_format()`).
        dilation_rate: An int or a tuple of 3 ints: the spacing of the kernel taps (default 1).
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
        >>> keras.layers.Conv3D(2, 3)(np.zeros((1, 4, 5, 6, 3), "float32")).shape  # size - 2
        (1, 2, 3, 4, 2)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1, 1),
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
            3,
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
