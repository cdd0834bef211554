"""`BaseDepthwiseConv`: per-channel convolution behind `DepthwiseConv1D` / `DepthwiseConv2D`
(and, with a pointwise step, the separable convolutions)."""

from unikeras import activations, constraints, initializers, ops, regularizers
from unikeras.backend.config import standardize_data_format
from unikeras.layers.convolutional.conv_utils import (
    add_bias,
    check_strides_dilation,
    known_channels,
    spatial_output_shape,
    standardize_padding,
    standardize_tuple,
    with_channels,
)
from unikeras.layers.input_spec import InputSpec
from unikeras.layers.layer import Layer


class BaseDepthwiseConv(Layer):
    """`activation(depthwise_conv(inputs, kernel) + bias)` over `rank` spatial axes.

    Each input channel `c` is convolved with its own `depth_multiplier` filters, giving
    output channels `c * depth_multiplier + m`.

    Args:
        rank: Number of spatial axes (1 or 2).
        depth_multiplier: Number of filters per input channel.
        kernel_size: int or tuple of `rank` ints.
        strides: int or tuple of `rank` ints (> 1 only with `dilation_rate` 1).
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (`None`: the global default).
        dilation_rate: int or tuple of `rank` ints.
        activation: Activation function or name (`None`: linear).
        use_bias: Whether to add a `(channels * depth_multiplier,)` bias.
        depthwise_initializer: Initializer of the `(*kernel_size, channels,
            depth_multiplier)` kernel.
        bias_initializer: Initializer of the bias.
        depthwise_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        depthwise_constraint, bias_constraint: Optional constraints.
    """

    _depthwise_name = "kernel"

    def __init__(
        self,
        rank,
        depth_multiplier,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if (
            isinstance(depth_multiplier, bool)
            or not isinstance(depth_multiplier, int)
            or depth_multiplier <= 0
        ):
            raise ValueError(
                f'Layer "{self.name}": `depth_multiplier` must be a positive int. '
                f"Received: depth_multiplier={depth_multiplier!r}"
            )
        self.rank = rank
        self.depth_multiplier = depth_multiplier
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        check_strides_dilation(self)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _output_channels(self, channels):
        return channels * self.depth_multiplier

    def _build_pointwise(self, channels):
        """Creates the weights used after the depthwise step (none here)."""

    def build(self, input_shape):
        channels = known_channels(self, input_shape)
        self.compute_output_shape(input_shape)  # raises when the input is too small
        depthwise = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            name=self._depthwise_name,
        )
        setattr(self, self._depthwise_name, depthwise)
        self._build_pointwise(channels)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self._output_channels(channels),),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        channel_axis = -1 if self.data_format == "channels_last" else 1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={channel_axis: channels})
        self.built = True

    def convolution_op(self, inputs):
        """The convolution of `call`, before bias and activation."""
        return ops.depthwise_conv(
            inputs,
            self.kernel,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
            dilation_rate=self.dilation_rate,
        )

    def call(self, inputs):
        return self.activation(add_bias(self, self.convolution_op(inputs), self.bias))

    def compute_output_shape(self, input_shape):
        spatial = spatial_output_shape(
            self, input_shape, self.kernel_size, self.strides, self.dilation_rate, self.padding
        )
        channels = input_shape[-1 if self.data_format == "channels_last" else 1]
        channels = None if channels is None else self._output_channels(channels)
        return with_channels(self, input_shape[0], spatial, channels)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "depth_multiplier": self.depth_multiplier,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        return config
